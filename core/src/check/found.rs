//! What the documents of a file say, as owned records (the parsed tree is
//! dropped once a file is read): its trusts, ServiceAccounts, workloads, the
//! live facts of its dumps and the policies it names but holds elsewhere.
//! The readers fill a [`Found`]; the rules read it. It imports no reader.

use super::index;
use super::live::facts::Facts;
use crate::diagnostic::Diagnostic;
use crate::iac::Target;
use crate::source::Span;
use crate::trust::Policy;

#[derive(Debug)]
pub(super) struct TrustDoc<'a> {
    pub file: &'a str,
    pub policy: Policy,
    /// Characters without whitespace, as IAM counts them.
    pub length: usize,
    pub root_span: Span,
    /// The providers (issuer host/path, lower-case) of web-identity Allow statements.
    pub providers: Vec<String>,
    /// Literal `sub` values of positive conditions.
    pub literal_subs: Vec<String>,
    /// Its web-identity Allow statements, as the link index reads them.
    pub keys: Vec<index::Key>,
    /// Positive `aud` values.
    pub auds: Vec<String>,
    /// True when a statement holds a placeholder: links are then also asked
    /// of the trust widened around them.
    pub templated: bool,
    /// The role it belongs to, when a role dump says it.
    pub role_arn: Option<String>,
    /// The URL-encoded string it was decoded from: its findings are placed there.
    pub encoded: Option<Span>,
    /// False for a dumped role no pod could use (an EC2 or Lambda role):
    /// listed, not judged, unless a ServiceAccount of the set names it.
    pub checked: bool,
    /// What a ServiceAccount's role-arn may name its role by, when the file
    /// says (Terraform's `aws_iam_role.x` and `name`, CloudFormation's
    /// logical ID and `RoleName`).
    pub role_names: Vec<String>,
    /// When its statements show no pod but a ServiceAccount of the set
    /// names its role, that ServiceAccount (`namespace/name`): then it is
    /// judged as an IRSA trust after all (IRSA002, not IRSA022).
    pub linked: Option<String>,
    /// Its findings when the set's tokens carry only the default audience,
    /// found while its file was summarised (so on every core): the set
    /// replaces them only when a ServiceAccount asks for another audience.
    pub alone: Option<Vec<Diagnostic>>,
}

impl<'a> TrustDoc<'a> {
    /// The record of a trust (`length` in characters without whitespace).
    pub fn new(file: &'a str, policy: Policy, length: usize, root_span: Span) -> Self {
        let templated = policy.statements.iter().any(crate::widen::is_templated);
        TrustDoc {
            file,
            policy,
            length,
            root_span,
            providers: Vec::new(),
            literal_subs: Vec::new(),
            keys: Vec::new(),
            auds: Vec::new(),
            templated,
            role_arn: None,
            encoded: None,
            checked: true,
            role_names: Vec::new(),
            linked: None,
            alone: None,
        }
    }
}

#[derive(Debug)]
pub(super) struct SaDoc<'a> {
    pub file: &'a str,
    pub name: String,
    pub namespace: String,
    pub name_span: Span,
    pub role_arn: Option<String>,
    pub role_arn_span: Option<Span>,
    pub audience: Option<(String, Span)>,
    /// True when namespace and name are known (a manifest, a SpicepodSet),
    /// not a Helm values file's chart-made name in the release's namespace.
    pub linkable: bool,
    /// True when the namespace or name is a placeholder.
    pub templated: bool,
}

#[derive(Debug)]
pub(super) struct WorkloadDoc<'a> {
    pub file: &'a str,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub namespace_span: Span,
    pub spec_span: Span,
    pub sa: Option<(String, Span)>,
    /// True when the namespace or the ServiceAccount name is a placeholder.
    pub templated: bool,
}

/// A policy named in `file`, held elsewhere (Terraform's `file(...)`, a data
/// source of another file): [`super::referenced`] says when the set lacks it.
#[derive(Debug)]
pub(super) struct Reference<'a> {
    /// The file that names it.
    pub file: &'a str,
    /// Where the policy is.
    pub target: Target,
    /// Where it is named.
    pub span: Span,
    /// What names it (`the assume_role_policy of aws_iam_role.x`).
    pub what: String,
}

#[derive(Debug, Default)]
pub(super) struct Found<'a> {
    pub trusts: Vec<TrustDoc<'a>>,
    pub sas: Vec<SaDoc<'a>>,
    pub workloads: Vec<WorkloadDoc<'a>>,
    /// What dumps of the live setup say.
    pub live: Facts<'a>,
    /// Policies read from other files (Terraform's `file(...)`).
    pub referenced: Vec<Reference<'a>>,
    /// Terraform's `aws_iam_policy_document` data sources, by file and name.
    pub policy_documents: Vec<(&'a str, String)>,
}

impl<'a> Found<'a> {
    /// Adds another file's records.
    pub fn extend(&mut self, other: Found<'a>) {
        self.trusts.extend(other.trusts);
        self.sas.extend(other.sas);
        self.workloads.extend(other.workloads);
        self.live.extend(other.live);
        self.referenced.extend(other.referenced);
        self.policy_documents.extend(other.policy_documents);
    }
}
