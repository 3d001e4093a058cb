//! The checker: any set of files (trust and permission policies, ServiceAccounts,
//! Pods and pod templates, `kind: List`, multi-document YAML) in, diagnostics out.
//! Each document is checked alone, then the set together (does this trust let
//! that ServiceAccount in?). Codes and texts live in [`crate::rules`].
//!
//! Every input ends as a checked document of a known kind or as a finding
//! that says what it is and why it was not checked ([`Report::inventory`]).
//! Placeholders are opaque tokens ([`crate::placeholder`]): the rules judge
//! the literal text around them, and the questions for the evaluator are
//! asked of the trust as written and, where the answer depends on the
//! placeholders, of the trust widened around them ([`crate::widen`]).

mod doctor;
mod index;
mod linking;
mod live;
mod permissions;
mod reading;
mod referenced;
mod values;

/// The input file type lives with the reader; re-exported at its old path.
pub use crate::source::SourceFile;
pub use linking::LinkWork;
pub(crate) use live::roles::url_decode;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::aws::{self, Partition};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Claims, Decision};
use crate::inventory::{InputKind, Inventory};
use crate::kube;
use crate::placeholder::{self, Slot, Values, HOLE};
use crate::quotas::{DEFAULT_MAX_TRUST_POLICY_LENGTH, HARD_MAX_TRUST_POLICY_LENGTH};
use crate::rules::diagnostic;
use crate::source::{Limits, Node, Scalar, Span, Value};
use crate::trust::{self, Effect, Policy, PrincipalKind, Statement};

/// Limits and settings of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// Parse limits applied to every file.
    pub limits: Limits,
    /// Trust policy size quota in characters without whitespace (default 2048; never above 8192).
    pub max_trust_policy_length: usize,
    /// Most files one check accepts.
    pub max_files: usize,
    /// Most work linking ServiceAccounts to trust policies may do
    /// ([`LinkWork::total`]: index lookups, candidates, evaluations and the
    /// condition values they match). Indexed linking stays far below it for
    /// real sets (10,000 trusts and 10,000 ServiceAccounts need about
    /// 100,000); past it the ServiceAccounts left are named in IRSA402
    /// instead of taking minutes (one trust of 90,000 patterns that every
    /// ServiceAccount must be matched against).
    pub max_link_work: usize,
    /// Values for placeholders (`--set NAME=VALUE`), filled into every file
    /// before it is read ([`placeholder::fill`]).
    pub set: Values,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            limits: Limits::default(),
            max_trust_policy_length: DEFAULT_MAX_TRUST_POLICY_LENGTH,
            max_files: 100_000,
            max_link_work: 2_000_000,
            set: Values::new(),
        }
    }
}

/// Kinds whose pod template the checker reads, with the path to the pod spec.
const POD_TEMPLATE_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "ReplicationController",
];

/// Web identity providers that are domain names, not OIDC provider ARNs (not IRSA, but valid).
const WEB_IDENTITY_DOMAINS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// Environment variables that put static credentials ahead of IRSA in the SDK chain.
const STATIC_CREDENTIAL_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SHARED_CREDENTIALS_FILE",
];

#[derive(Debug, Default)]
struct Acc {
    literal_subs: Vec<String>,
    keys: Vec<index::Key>,
    auds: Vec<String>,
}

#[derive(Debug)]
struct TrustDoc<'a> {
    file: &'a str,
    policy: Policy,
    /// Characters without whitespace, as IAM counts them.
    length: usize,
    root_span: Span,
    /// The providers (issuer host/path, lower-case) of web-identity Allow statements.
    providers: Vec<String>,
    /// Literal `sub` values of positive conditions.
    literal_subs: Vec<String>,
    /// Its web-identity Allow statements, as the link index reads them.
    keys: Vec<index::Key>,
    /// Positive `aud` values.
    auds: Vec<String>,
    /// True when a statement holds a placeholder: links are then also asked
    /// of the trust widened around them.
    templated: bool,
    /// The role it belongs to, when a role dump says it.
    role_arn: Option<String>,
    /// The URL-encoded string it was decoded from: its findings are placed there.
    encoded: Option<Span>,
    /// False for a dumped role no pod could use (an EC2 or Lambda role): listed, not judged.
    checked: bool,
    /// Its findings when the set's tokens carry only the default audience,
    /// found while its file was summarised (so on every core): the set
    /// replaces them only when a ServiceAccount asks for another audience.
    alone: Option<Vec<Diagnostic>>,
}

#[derive(Debug)]
struct SaDoc<'a> {
    file: &'a str,
    name: String,
    namespace: String,
    name_span: Span,
    role_arn: Option<String>,
    role_arn_span: Option<Span>,
    audience: Option<(String, Span)>,
    /// True when namespace and name are known (a manifest, a SpicepodSet),
    /// not a Helm values file's chart-made name in the release's namespace.
    linkable: bool,
    /// True when the namespace or name is a placeholder.
    templated: bool,
}

#[derive(Debug)]
struct WorkloadDoc<'a> {
    file: &'a str,
    kind: String,
    name: String,
    namespace: String,
    namespace_span: Span,
    spec_span: Span,
    sa: Option<(String, Span)>,
    /// True when the namespace or the ServiceAccount name is a placeholder.
    templated: bool,
}

#[derive(Debug, Default)]
struct Found<'a> {
    trusts: Vec<TrustDoc<'a>>,
    sas: Vec<SaDoc<'a>>,
    workloads: Vec<WorkloadDoc<'a>>,
    /// What dumps of the live setup say.
    live: live::Facts<'a>,
    /// Policies read from other files (Terraform's `file(...)`).
    referenced: Vec<referenced::Reference<'a>>,
    /// Terraform's `aws_iam_policy_document` data sources, by file and name.
    policy_documents: Vec<(&'a str, String)>,
}

#[derive(Debug, Default)]
struct Out {
    diags: Vec<Diagnostic>,
    /// What the file's inputs ended as.
    inventory: Inventory,
    /// Placeholders found while reading (text, where), for the file's IRSA405.
    placeholders: Vec<(String, Span)>,
}

impl Out {
    fn push(&mut self, file: &str, span: Span, code: &str, message: impl Into<String>) {
        self.diags
            .push(diagnostic(code, message).at(span).in_file(Some(file)));
    }

    /// A finding with its own help text (the rule's fix made concrete).
    fn push_help(
        &mut self,
        file: &str,
        span: Span,
        code: &str,
        message: impl Into<String>,
        help: String,
    ) {
        let mut d = diagnostic(code, message).at(span).in_file(Some(file));
        d.help = help;
        self.diags.push(d);
    }
}

/// What a check found, and what it read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Every finding, sorted by file, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Every input counted by the kind it ended as.
    pub inventory: Inventory,
    /// The work linking ServiceAccounts to trusts did.
    pub links: LinkWork,
}

/// Checks a set of files; diagnostics sorted by file, line, column and code.
/// The same as [`summarise`] on every file, then [`link`].
pub fn check(files: &[SourceFile], options: &CheckOptions) -> Vec<Diagnostic> {
    check_report(files, options).diagnostics
}

/// Checks a set of files: the findings and what was read.
pub fn check_report(files: &[SourceFile], options: &CheckOptions) -> Report {
    if files.len() > options.max_files {
        return Report {
            diagnostics: vec![too_many_files(files.len(), options)],
            ..Report::default()
        };
    }
    let summaries = files.iter().map(|f| summarise(f, options)).collect();
    link_report(summaries, options)
}

fn too_many_files(n: usize, options: &CheckOptions) -> Diagnostic {
    diagnostic(
        "IRSA402",
        format!(
            "number of files ({n}) exceeds the limit of {}",
            options.max_files
        ),
    )
}

/// What [`link`] needs of one file: its documents read into owned records (the
/// parsed tree is dropped at once), the findings of the file alone and what
/// its inputs were. Files are independent, so callers may summarise them in parallel.
#[derive(Debug, Default)]
pub struct FileSummary<'a> {
    /// The file's name.
    name: &'a str,
    found: Found<'a>,
    diags: Vec<Diagnostic>,
    inventory: Inventory,
    /// The `--set` names that filled something in this file.
    used: BTreeSet<String>,
}

/// Reads one file (its `--set` values filled) and summarises its documents.
pub fn summarise<'a>(file: &'a SourceFile, options: &CheckOptions) -> FileSummary<'a> {
    let mut found = Found::default();
    let mut out = Out::default();
    let filled = placeholder::fill(&file.text, &options.set);
    reading::read(
        &file.name,
        &filled.text,
        &options.limits,
        &mut found,
        &mut out,
    );
    let default_audience = BTreeSet::from([kube::DEFAULT_AUDIENCE]);
    for t in found.trusts.iter_mut().filter(|t| t.checked) {
        t.alone = Some(trust_findings(
            t,
            max_trust_length(options),
            &default_audience,
        ));
    }
    FileSummary {
        name: &file.name,
        found,
        diags: out.diags,
        inventory: out.inventory,
        used: filled.used,
    }
}

/// Checks the summarised documents alone and together; diagnostics sorted by
/// file, line, column and code.
pub fn link(summaries: Vec<FileSummary<'_>>, options: &CheckOptions) -> Vec<Diagnostic> {
    link_report(summaries, options).diagnostics
}

/// [`link`], with what the files held.
pub fn link_report(summaries: Vec<FileSummary<'_>>, options: &CheckOptions) -> Report {
    if summaries.len() > options.max_files {
        return Report {
            diagnostics: vec![too_many_files(summaries.len(), options)],
            ..Report::default()
        };
    }
    let mut out = Out::default();
    let mut found = Found::default();
    let mut used = BTreeSet::new();
    let mut names = Vec::new();
    for s in summaries {
        out.diags.extend(s.diags);
        out.inventory.merge(s.inventory);
        used.extend(s.used);
        found.trusts.extend(s.found.trusts);
        found.sas.extend(s.found.sas);
        found.workloads.extend(s.found.workloads);
        found.live.extend(s.found.live);
        found.referenced.extend(s.found.referenced);
        found.policy_documents.extend(s.found.policy_documents);
        names.push(s.name);
    }
    referenced::check(&found.referenced, &names, &found.policy_documents, &mut out);
    out.diags.extend(placeholder::unused(&options.set, &used));
    let audiences: BTreeSet<&str> = std::iter::once(kube::DEFAULT_AUDIENCE)
        .chain(
            found
                .sas
                .iter()
                .filter_map(|s| s.audience.as_ref().map(|(a, _)| a.as_str())),
        )
        .collect();
    // Each trust was checked for the default audience when its file was
    // summarised; other audiences in the set check it again.
    let only_default = audiences.len() == 1;
    for t in found.trusts.iter_mut().filter(|t| t.checked) {
        let diags = match t.alone.take() {
            Some(alone) if only_default => alone,
            _ => trust_findings(t, max_trust_length(options), &audiences),
        };
        out.diags.extend(diags);
    }
    let links = check_links(&found, options, &mut out);
    doctor::check(&found, &mut out);
    out.diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
    });
    Report {
        diagnostics: out.diags,
        inventory: out.inventory,
        links,
    }
}

/// The trust policy size quota a check applies.
fn max_trust_length(options: &CheckOptions) -> usize {
    options
        .max_trust_policy_length
        .min(HARD_MAX_TRUST_POLICY_LENGTH)
}

/// [`check_trust`]'s findings, placed on the URL-encoded string a trust was
/// decoded from when it was.
fn trust_findings(
    t: &mut TrustDoc<'_>,
    max_len: usize,
    audiences: &BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let mut scratch = Out::default();
    check_trust(t, max_len, audiences, &mut scratch);
    match t.encoded {
        None => scratch.diags,
        Some(at) => scratch.diags.into_iter().map(|d| d.at(at)).collect(),
    }
}

fn text_of<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut n = node;
    for k in path {
        n = n.get(k)?;
    }
    Some(n)
}

/// True when a Kubernetes name or namespace is a placeholder (`${NS}`, `NAMESPACE`).
fn is_templated_name(s: &str) -> bool {
    placeholder::has_placeholder(s) || placeholder::is_word(s, Slot::KubeName)
}

fn classify<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out, depth: usize) {
    if root.as_map().is_none() {
        values::not_a_mapping(file, root, found, out);
        return;
    }
    if let Some(t) = crate::filetype::of_document(root) {
        reading::not_read(file, t, root.span, out);
        return;
    }
    if trust::looks_like_policy(root) {
        policy(file, root, root, found, out);
        return;
    }
    if live::read(file, root, found, out) {
        return;
    }
    if values::is_statement(root) {
        values::bare_statements(file, root, found, out);
        return;
    }
    let Some(kind) = root.get("kind").and_then(Node::as_str) else {
        if let Some(v) = root.get("Version").and_then(Node::as_text) {
            if v == "2012-10-17" || v == "2008-10-17" {
                out.inventory.add(InputKind::Unreadable);
                out.push(
                    file,
                    root.span,
                    "IRSA001",
                    "not a policy document: the document has `Version` but no `Statement`",
                );
                return;
            }
        }
        values::helm_values(file, root, found, out);
        return;
    };
    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_text)
        .unwrap_or("")
        .to_string();
    let (namespace, namespace_span) = match meta.and_then(|m| m.entry("namespace")) {
        Some((k, v)) => (
            v.as_text().unwrap_or("default").to_string(),
            if v.is_null() { k.span } else { v.span },
        ),
        None => ("default".to_string(), meta.map_or(root.span, |m| m.span)),
    };
    let pod_spec = match kind {
        "Pod" => root.entry("spec"),
        "CronJob" => text_of(root, &["spec", "jobTemplate", "spec", "template"])
            .and_then(|t| t.entry("spec")),
        k if POD_TEMPLATE_KINDS.contains(&k) => {
            text_of(root, &["spec", "template"]).and_then(|t| t.entry("spec"))
        }
        _ => None,
    };
    match kind {
        "List" if depth < 4 => {
            for item in root.get("items").and_then(Node::as_seq).unwrap_or(&[]) {
                classify(file, item, found, out, depth + 1);
            }
        }
        "ServiceAccount" => {
            out.inventory.add(InputKind::ServiceAccount);
            let name_span = text_of(root, &["metadata", "name"]).map_or(root.span, |n| n.span);
            let sa = service_account(file, meta, name, namespace, name_span, out);
            found.sas.push(sa);
        }
        "SpicepodSet" => values::spicepod_set(file, root, name, namespace, found, out),
        k if k == "Pod" || k == "CronJob" || POD_TEMPLATE_KINDS.contains(&k) => {
            out.inventory.add(InputKind::Workload(kind.to_string()));
            if kind == "Pod" {
                live::pods::read(file, root, &namespace, &name, found);
            }
            workload(
                file,
                kind,
                name,
                namespace,
                namespace_span,
                pod_spec,
                found,
                out,
            );
        }
        _ => out.inventory.add(InputKind::OtherKubernetes),
    }
}

/// A policy document (`root`; `shown` is the node the user wrote, the same
/// unless a bare statement was wrapped): a trust, or a permissions policy.
fn policy<'a>(file: &'a str, root: &Node, shown: &Node, found: &mut Found<'a>, out: &mut Out) {
    let parsed = trust::parse_policy(root);
    if parsed.is_ok() {
        reading::policy_characters(file, shown, out);
        reading::policy_duplicate_keys(file, shown, out);
    }
    match parsed {
        Ok(policy) if is_trust(&policy) => {
            out.inventory.add(InputKind::TrustPolicy);
            reading::policy_words(&policy, out);
            let length = serde_json::to_string(&shown.to_json()).map_or(0, |s| s.chars().count());
            found
                .trusts
                .push(trust_doc(file, policy, length, shown.span));
        }
        Ok(policy) => {
            out.inventory.add(InputKind::PermissionsPolicy);
            permissions::check(file, &policy, out);
        }
        Err(e) => {
            out.inventory.add(InputKind::Unreadable);
            out.push(
                file,
                e.span,
                "IRSA001",
                format!("not a policy document: {}", e.message),
            );
        }
    }
}

/// The record of a trust (`length` in characters without whitespace).
fn trust_doc(file: &str, policy: Policy, length: usize, root_span: Span) -> TrustDoc<'_> {
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
        alone: None,
    }
}

/// True for a trust policy (a principal, or an `sts:AssumeRole*` action), not a permissions policy.
pub fn is_trust(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.principal_span.is_some()
            || s.actions
                .iter()
                .any(|a| a.value.to_ascii_lowercase().starts_with("sts:assumerole"))
    })
}

/// A ServiceAccount's record and the findings of its name, namespace and
/// annotations. `meta` holds `name`, `namespace` and `annotations` (a
/// manifest's `metadata`, or a Helm values `serviceAccount` block).
fn service_account<'a>(
    file: &'a str,
    meta: Option<&Node>,
    name: String,
    namespace: String,
    name_span: Span,
    out: &mut Out,
) -> SaDoc<'a> {
    let templated = is_templated_name(&name) || is_templated_name(&namespace);
    // Helm values (no namespace) may leave the name to the chart.
    let chart_named = name.is_empty() && namespace.is_empty();
    if let Some(p) =
        kube::subdomain_problem(&name).filter(|_| !is_templated_name(&name) && !chart_named)
    {
        out.push(
            file,
            name_span,
            "IRSA105",
            format!("ServiceAccount name `{name}` {p}"),
        );
    }
    if let Some((k, v)) = meta.and_then(|m| m.entry("namespace")) {
        if let Some(p) = kube::label_problem(&namespace).filter(|_| !is_templated_name(&namespace))
        {
            out.push(
                file,
                if v.is_null() { k.span } else { v.span },
                "IRSA105",
                format!("namespace `{namespace}` {p}"),
            );
        }
    }
    let mut sa = SaDoc {
        file,
        name,
        namespace,
        name_span,
        role_arn: None,
        role_arn_span: None,
        audience: None,
        linkable: true,
        templated,
    };
    for (k, v) in meta
        .and_then(|m| m.get("annotations"))
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        let Some(key) = k.as_text() else { continue };
        let value = match &v.value {
            Value::Scalar {
                value: Scalar::Str,
                raw,
            } => Some(raw.as_str()),
            _ => {
                let shown = v
                    .as_text()
                    .map_or_else(|| "a mapping or list".to_string(), |t| format!("`{t}`"));
                out.push(
                    file,
                    v.span,
                    "IRSA104",
                    format!("annotation `{key}` is {shown}, not a string"),
                );
                None
            }
        };
        match key {
            kube::ROLE_ARN => {
                sa.role_arn_span = Some(v.span);
                if let Some(arn) = value {
                    if let Some(p) = role_arn_problem(arn.trim(), v.span, out) {
                        out.push(
                            file,
                            v.span,
                            "IRSA102",
                            format!("role-arn `{arn}` is malformed: {p}"),
                        );
                    }
                    sa.role_arn = Some(arn.trim().to_string());
                }
            }
            kube::AUDIENCE => {
                if let Some(a) = value {
                    sa.audience = Some((a.to_string(), v.span));
                }
            }
            kube::TOKEN_EXPIRATION => {
                if let Some(t) = value.filter(|t| !placeholder::has_placeholder(t)) {
                    match t.trim().parse::<u64>() {
                        Err(_) => out.push(file, v.span, "IRSA103", format!("token-expiration `{t}` is not a whole number of seconds; EKS ignores it and uses 86400")),
                        Ok(n) if n < u64::from(kube::MIN_TOKEN_EXPIRATION) => out.push(file, v.span, "IRSA103", format!("token-expiration {n} is below 600 seconds; EKS raises it to 600")),
                        Ok(n) if n > u64::from(kube::DEFAULT_TOKEN_EXPIRATION) => out.push(file, v.span, "IRSA103", format!("token-expiration {n} is above 86400 seconds, the longest token EKS issues")),
                        Ok(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
    sa
}

/// What is wrong with a role ARN, judged on its literal parts: a placeholder
/// (or an upper-case word as the account) stands in for a valid part.
fn role_arn_problem(arn: &str, span: Span, out: &mut Out) -> Option<String> {
    let (masked, _) = placeholder::mask(arn);
    let mut parts: Vec<String> = masked.splitn(6, ':').map(str::to_string).collect();
    if let Some(account) = parts.get_mut(4) {
        if placeholder::is_word(account, Slot::Account) {
            out.placeholders.push((account.clone(), span));
            *account = HOLE.to_string();
        }
    }
    if !parts.iter().any(|p| p.contains(HOLE)) {
        return aws::role_arn_problem(arn);
    }
    if masked.starts_with(HOLE) {
        // `${ROLE_ARN}`, `{{ .Values.roleArn }}`: nothing written to judge.
        return None;
    }
    // Stand-ins that are valid in each position, so only literal parts can fail.
    let stand_in = |i: usize, p: &String| match (i, p.contains(HOLE)) {
        (1, true) => "aws".to_string(),
        (4, true) => "000000000000".to_string(),
        (_, true) => p.replace(HOLE, "x"),
        _ => p.clone(),
    };
    let rebuilt: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| stand_in(i, p))
        .collect();
    aws::role_arn_problem(&rebuilt.join(":"))
}

#[allow(clippy::too_many_arguments)]
fn workload<'a>(
    file: &'a str,
    kind: &str,
    name: String,
    namespace: String,
    namespace_span: Span,
    spec: Option<(&Node, &Node)>,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    let Some((key, spec)) = spec else { return };
    if spec.as_map().is_none() {
        return;
    }
    let sa = spec
        .entry("serviceAccountName")
        .or_else(|| spec.entry("serviceAccount"))
        .and_then(|(k, v)| {
            v.as_text()
                .map(|t| (t.to_string(), if v.is_null() { k.span } else { v.span }))
        });
    let templated =
        is_templated_name(&namespace) || sa.as_ref().is_some_and(|(n, _)| is_templated_name(n));
    let w = WorkloadDoc {
        file,
        kind: kind.to_string(),
        name,
        namespace,
        namespace_span,
        spec_span: key.span,
        sa,
        templated,
    };
    check_pod(&w, spec, out);
    found.workloads.push(w);
}

fn is_positive_string_op(base: &str) -> bool {
    matches!(
        base,
        "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
    )
}

/// OIDC issuers that are not Kubernetes clusters, whose `sub` is their own.
const NON_EKS_ISSUERS: &[(&str, &str)] = &[
    ("token.actions.githubusercontent.com", "GitHub Actions"),
    ("gitlab.com", "GitLab"),
    ("oidc.circleci.com", "CircleCI"),
    ("app.terraform.io", "Terraform Cloud"),
    ("agent.buildkite.com", "Buildkite"),
    ("api.bitbucket.org", "Bitbucket Pipelines"),
    ("vstoken.actions.githubusercontent.com", "GitHub Actions"),
];

/// The sub of a token no condition names: what the evaluator is asked about
/// to tell whether a statement restricts `sub` at all (IRSA004).
const PROBE_SUB: &str = "irsa-gen:probe";

/// The CI system or non-cluster issuer a statement trusts, if it trusts no
/// cluster: a known CI issuer, or a literal non-EKS issuer whose `sub`
/// values are not ServiceAccount subjects.
fn non_eks(s: &Statement, providers: &[String]) -> Option<String> {
    let host = |p: &String| p.split('/').next().unwrap_or("").to_ascii_lowercase();
    if providers.is_empty()
        || providers
            .iter()
            .any(|p| placeholder::is_masked(&placeholder::mask_issuer(p).0))
    {
        return None;
    }
    if let Some((_, name)) = providers
        .iter()
        .find_map(|p| NON_EKS_ISSUERS.iter().find(|(h, _)| host(p) == *h))
    {
        return Some((*name).to_string());
    }
    let eks = providers.iter().any(|p| host(p).starts_with("oidc.eks."));
    let subs: Vec<&str> = s
        .conditions_on("sub")
        .flat_map(|c| c.values.iter().map(|v| v.value.as_str()))
        .collect();
    let foreign = !subs.is_empty()
        && subs
            .iter()
            .all(|v| !v.starts_with("system:serviceaccount:"));
    let first = providers.first()?;
    (!eks && foreign).then(|| format!("`{}`", host(first)))
}

fn check_trust(t: &mut TrustDoc<'_>, max_len: usize, audiences: &BTreeSet<&str>, out: &mut Out) {
    let file = t.file;
    let len = t.length;
    if len > max_len {
        out.push(
            file,
            t.root_span,
            "IRSA013",
            format!(
                "the trust policy is {len} characters without whitespace; the limit is {max_len}"
            ),
        );
    }
    let pod_identity = t.policy.statements.iter().any(|s| {
        s.principals
            .iter()
            .any(|p| p.kind == PrincipalKind::Service && p.value.value == POD_IDENTITY_PRINCIPAL)
    });
    // Without placeholders the policy is its own view as written: no copy.
    let as_written = if t.templated {
        Cow::Owned(crate::widen::keys_matched(&t.policy))
    } else {
        Cow::Borrowed(&t.policy)
    };
    // Found once: every statement is judged beside them (IRSA004).
    let denies: Vec<&Statement> = as_written
        .statements
        .iter()
        .filter(|d| d.effect == Some(Effect::Deny))
        .collect();
    let mut web_identity_allow = false;
    let mut eks_service = Vec::new();
    let mut acc = Acc::default();
    let mut all_providers: Vec<String> = Vec::new();
    let mut seen_providers: HashSet<String> = HashSet::new();
    for s in &t.policy.statements {
        let is_pi = s
            .principals
            .iter()
            .any(|p| p.kind == PrincipalKind::Service && p.value.value == POD_IDENTITY_PRINCIPAL);
        if is_pi
            && s.effect == Some(Effect::Allow)
            && s.covers_action("sts:AssumeRole")
            && !s.covers_action("sts:TagSession")
        {
            out.push(
                file,
                s.action_span.unwrap_or(s.span),
                "IRSA016",
                "the Pod Identity statement allows sts:AssumeRole but not sts:TagSession",
            );
        }
        let everyone = s.principals.iter().any(|p| {
            p.kind == PrincipalKind::Any || (p.kind == PrincipalKind::Aws && p.value.value == "*")
        });
        if everyone && s.effect == Some(Effect::Allow) && s.covers_action(eval::WEB_IDENTITY_ACTION)
        {
            // Judged by the evaluator below (IRSA030); it lets web identities in.
            web_identity_allow = true;
        }
        if s.effect == Some(Effect::Allow) && s.covers_action("sts:AssumeRole") {
            eks_service.extend(
                s.principals
                    .iter()
                    .filter(|p| {
                        p.kind == PrincipalKind::Service
                            && p.value.value.eq_ignore_ascii_case("eks.amazonaws.com")
                    })
                    .map(|p| p.value.span),
            );
        }
        let federated: Vec<_> = s.federated().collect();
        if federated.is_empty() {
            continue;
        }
        let mut providers = Vec::new();
        for p in &federated {
            if let Some(hp) = check_federated(file, &p.value.value, p.value.span, out) {
                providers.push(hp);
            }
        }
        if let Some(a) = s
            .actions
            .iter()
            .find(|a| !s.not_action && a.value.eq_ignore_ascii_case("sts:AssumeRole"))
        {
            out.push(file, a.span, "IRSA012", "sts:AssumeRole with a Federated principal grants nothing; OIDC tokens use sts:AssumeRoleWithWebIdentity");
        }
        let web = s.effect == Some(Effect::Allow) && s.covers_action(eval::WEB_IDENTITY_ACTION);
        if web {
            web_identity_allow = true;
        }
        if let Some(ci) = non_eks(s, &providers) {
            let span = federated.first().map_or(s.span, |p| p.value.span);
            let unpinned = if s.conditions_on("sub").next().is_none() {
                "; it has no `sub` condition, so any identity of that issuer can assume the role"
            } else {
                ""
            };
            out.push(file, span, "IRSA020", format!("statement {} trusts {ci}, not an EKS cluster: checked as an IAM trust, without the ServiceAccount rules{unpinned}", s.index));
            continue;
        }
        let ctx = StatementContext {
            file,
            providers: &providers,
            web,
            audiences,
        };
        let mut key = check_conditions(&ctx, s, &mut acc, out);
        if web && admits_anyone(&as_written, &denies, s, &providers, audiences) {
            key.subs.push(index::Sub::Any);
            out.push(file, s.condition_span.unwrap_or(s.span), "IRSA004", format!("statement {} has no `sub` condition: every service account in the cluster can assume the role", s.index));
        }
        if web {
            key.providers.clone_from(&providers);
            acc.keys.push(key);
            for hp in providers {
                // A set beside the list: 26,000 providers in one trust stay linear.
                if seen_providers.insert(hp.clone()) {
                    all_providers.push(hp);
                }
            }
        }
    }
    t.providers = all_providers;
    t.literal_subs = acc.literal_subs;
    t.keys = acc.keys;
    t.auds = acc.auds;
    // A wildcard principal admits tokens of issuers the trust does not name:
    // the evaluator decides, as `simulate` does (eval::verdict).
    let open = eval::verdict::open_to_any_web_identity(&t.policy, kube::DEFAULT_AUDIENCE);
    if let Some(e) = &open {
        let s = e.statement.and_then(|i| t.policy.statements.get(i));
        let span = s.map_or(t.policy.span, |s| s.principal_span.unwrap_or(s.span));
        let when = if e.decision == Decision::Conditional {
            format!(" when {} allows", e.depends_on.join(", "))
        } else {
            String::new()
        };
        out.push(file, span, "IRSA030", format!(
            "statement {} lets any web identity assume the role{when}: a wildcard principal admits tokens of every OIDC provider, not only this cluster's",
            e.statement.unwrap_or(0)
        ));
    }
    if !web_identity_allow && !pod_identity {
        let span = t
            .policy
            .statements
            .first()
            .and_then(|s| s.action_span)
            .unwrap_or(t.policy.span);
        out.push(file, span, "IRSA002", "no Allow statement lets an OIDC provider (Federated principal) call sts:AssumeRoleWithWebIdentity");
    } else if web_identity_allow {
        for span in eks_service {
            out.push(file, span, "IRSA019", "this IRSA role also lets the EKS service (eks.amazonaws.com) assume it with sts:AssumeRole");
        }
    }
}

/// Does the statement (with the policy's Deny statements) let in a token
/// whose `sub` no condition names? Asked of the evaluator, for every provider
/// and every audience tokens of the set carry (and an aud placeholder, which
/// is filled with one), so that check says what simulate says.
fn admits_anyone(
    policy: &Policy,
    denies: &[&Statement],
    s: &Statement,
    providers: &[String],
    audiences: &BTreeSet<&str>,
) -> bool {
    // The statement (as `policy` has it) among the policy's Deny statements,
    // in policy order.
    let own = policy
        .statements
        .get(s.index)
        .filter(|d| d.index == s.index)
        .or_else(|| policy.statements.iter().find(|d| d.index == s.index));
    let before = denies.partition_point(|d| d.index < s.index);
    let (head, tail) = denies.split_at(before);
    let alone = Policy {
        version: policy.version.clone(),
        statements: head
            .iter()
            .copied()
            .chain(own)
            .chain(tail.iter().copied().filter(|d| d.index != s.index))
            .cloned()
            .collect(),
        span: policy.span,
    };
    let auds: BTreeSet<&str> = audiences
        .iter()
        .copied()
        .chain(
            s.conditions_on("aud")
                .flat_map(|c| c.values.iter().map(|v| v.value.as_str()))
                .filter(|v| placeholder::has_placeholder(v)),
        )
        .collect();
    providers.iter().any(|iss| {
        auds.iter().any(|aud| {
            let claims = Claims {
                iss: Some(iss.clone()),
                sub: Some(PROBE_SUB.to_string()),
                aud: Some((*aud).to_string()),
                ..Claims::default()
            };
            eval::evaluate(&alone, &claims).decision == Decision::Allow
        })
    })
}

/// An ARN written like the principal, with its own partition and region, for a fix.
fn suggested_provider(partition: &str, account: &str, host_path: &str) -> String {
    let region = host_path.split('.').nth(2).unwrap_or("");
    let partition = match Partition::parse(partition) {
        Some(p) => p.as_str().to_string(),
        None if host_path.starts_with("oidc.eks.") => {
            Partition::of_region(region).as_str().to_string()
        }
        None => "aws".to_string(),
    };
    let account = if aws::is_account_id(account) {
        account
    } else {
        "ACCOUNT"
    };
    format!("Write \"arn:{partition}:iam::{account}:oidc-provider/{host_path}\" (the issuer without https://, as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it).")
}

/// Checks a Federated principal on its literal parts; returns the provider
/// it names (the issuer host and path, or the placeholder standing for it)
/// when it is an OIDC provider ARN.
fn check_federated(file: &str, value: &str, span: Span, out: &mut Out) -> Option<String> {
    if WEB_IDENTITY_DOMAINS.contains(&value) || value.contains(":saml-provider/") {
        return None;
    }
    let bad = |out: &mut Out, why: String, help: String| {
        out.push_help(
            file,
            span,
            "IRSA003",
            format!("Federated principal `{value}` is not an OIDC provider ARN: {why}"),
            help,
        )
    };
    let generic = || suggested_provider("", "", "ISSUER");
    if value.trim().is_empty() {
        bad(out, "it is empty".into(), generic());
        return None;
    }
    if value.starts_with("https://") || value.starts_with("oidc.") {
        let host_path = value.trim_start_matches("https://").trim_end_matches('/');
        bad(out, "this is the issuer URL; the principal is arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER-WITHOUT-https".into(), suggested_provider("", "", host_path));
        return None;
    }
    let Some(pr) = trust::provider(value) else {
        if let Some(id) = crate::widen::provider_id(value) {
            return Some(id);
        }
        bad(
            out,
            "expected arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER".into(),
            generic(),
        );
        return None;
    };
    let templated_partition = placeholder::has_placeholder(&pr.partition);
    if !templated_partition && Partition::parse(&pr.partition).is_none() {
        bad(
            out,
            format!("`{}` is not an AWS partition", pr.partition),
            suggested_provider("", &pr.account, &pr.host_path),
        );
        return None;
    }
    let account_open = placeholder::has_placeholder(&pr.account)
        || placeholder::is_word(&pr.account, Slot::Account);
    if !account_open && !aws::is_account_id(&pr.account) {
        bad(
            out,
            format!("account `{}` must be exactly 12 digits", pr.account),
            suggested_provider(&pr.partition, "", &pr.host_path),
        );
        return None;
    }
    let (masked, _) = placeholder::mask_issuer(&pr.host_path);
    let fix = || {
        suggested_provider(
            &pr.partition,
            &pr.account,
            pr.host_path
                .trim_start_matches("https://")
                .trim_end_matches('/'),
        )
    };
    if masked.contains("://") {
        bad(
            out,
            "the provider part must not contain `https://`".into(),
            fix(),
        );
        return None;
    }
    if masked.ends_with('/') {
        bad(out, "the provider part must not end with `/`".into(), fix());
        return None;
    }
    if !placeholder::is_masked(&masked) {
        let Some(issuer) = pr.issuer else {
            bad(
                out,
                format!("`{}` is not a valid issuer host and path", pr.host_path),
                fix(),
            );
            return None;
        };
        let region = issuer.region.clone();
        let partition = if templated_partition {
            ""
        } else {
            pr.partition.as_str()
        };
        check_region_and_id(
            file,
            span,
            partition,
            region.as_deref(),
            issuer.cluster_id.as_deref(),
            out,
        );
        return Some(pr.host_path);
    }
    // A template: judge what is written around the placeholders.
    if let Some(c) = masked
        .chars()
        .find(|c| *c != HOLE && !(c.is_ascii_alphanumeric() || "-._~/%".contains(*c)))
    {
        bad(
            out,
            format!(
                "`{}` has `{c}`, which no issuer host or path has",
                pr.host_path
            ),
            fix(),
        );
        return None;
    }
    let labels: Vec<&str> = masked.split('/').next().unwrap_or("").split('.').collect();
    if let ["oidc", "eks", region, "amazonaws", "com", rest @ ..] = labels.as_slice() {
        let china = rest == ["cn"];
        let region = (!region.contains(HOLE)).then_some(*region);
        let id = masked
            .strip_prefix(labels.join(".").as_str())
            .and_then(|p| p.strip_prefix("/id/"));
        let id = id.filter(|i| !i.contains(HOLE));
        if region.is_none() && !templated_partition {
            let want = if china { "aws-cn" } else { "" };
            if (china && pr.partition != "aws-cn") || (!china && pr.partition == "aws-cn") {
                let want = if want.is_empty() {
                    "aws or aws-us-gov"
                } else {
                    want
                };
                out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{}` but the issuer's host is in `{want}`", pr.partition));
            }
        }
        let partition = if templated_partition {
            ""
        } else {
            pr.partition.as_str()
        };
        check_region_and_id(file, span, partition, region, id, out);
    }
    Some(pr.host_path)
}

/// IRSA010 (partition against region, when both are written) and IRSA015 (cluster ID shape).
fn check_region_and_id(
    file: &str,
    span: Span,
    partition: &str,
    region: Option<&str>,
    id: Option<&str>,
    out: &mut Out,
) {
    if let Some(region) = region.filter(|_| !partition.is_empty()) {
        let want = Partition::of_region(region);
        if want.as_str() != partition {
            out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{partition}` but the issuer's region `{region}` is in `{want}`"));
        }
    }
    if let Some(id) = id {
        if !aws::is_real_cluster_id(id) {
            out.push(
                file,
                span,
                "IRSA015",
                format!("cluster ID `{id}` is not 32 upper-case hex characters"),
            );
        }
    }
}

/// What the condition checks of one statement need to know.
struct StatementContext<'c> {
    file: &'c str,
    providers: &'c [String],
    web: bool,
    audiences: &'c BTreeSet<&'c str>,
}

/// The statement's conditions checked; what its `sub` and `aud` let in, for the link index.
fn check_conditions(
    ctx: &StatementContext<'_>,
    s: &Statement,
    t: &mut Acc,
    out: &mut Out,
) -> index::Key {
    let (file, providers, web) = (ctx.file, ctx.providers, ctx.web);
    let mut key = index::Key::default();
    let mut has_aud = false;
    let mut auds: Vec<(String, Span)> = Vec::new();
    for c in &s.conditions {
        let op = eval::parse_operator(&c.operator.value);
        let claim = trust::claim_of(&c.key.value);
        if let Some(issuer) = trust::key_issuer(&c.key.value) {
            let differs = !providers.is_empty()
                && providers
                    .iter()
                    .all(|p| placeholder::compare_issuers(issuer, p) == placeholder::Same::No);
            if differs {
                let why = if issuer.contains("://") {
                    "a condition key has no `https://`".to_string()
                } else {
                    format!("the statement's provider is `{}`", providers.join("`, `"))
                };
                out.push(
                    file,
                    c.key.span,
                    "IRSA008",
                    format!(
                        "condition key `{}` names issuer `{issuer}`; {why}",
                        c.key.value
                    ),
                );
            }
        }
        if op.set.is_some() && matches!(claim, Some("sub" | "aud")) {
            out.push(
                file,
                c.operator.span,
                "IRSA014",
                format!(
                    "`{}` on the single-valued `{}`",
                    c.operator.value, c.key.value
                ),
            );
        }
        if matches!(op.base, "StringEquals" | "StringEqualsIgnoreCase") {
            for v in c
                .values
                .iter()
                .filter(|v| placeholder::mask(&v.value).0.contains(['*', '?']))
            {
                out.push(
                    file,
                    v.span,
                    "IRSA006",
                    format!(
                        "`{}` under {} is compared literally: the wildcard never matches",
                        v.value, c.operator.value
                    ),
                );
            }
        }
        let positive = is_positive_string_op(op.base) && op.set.is_none();
        match claim {
            Some("sub") if positive && !op.if_exists => {
                for v in &c.values {
                    let masked = crate::widen::mask_value(Some("sub"), &v.value);
                    let literal_wildcard = op.base != "StringLike" && masked.contains(['*', '?']);
                    if !literal_wildcard {
                        check_sub(
                            file,
                            &v.value,
                            &masked,
                            v.span,
                            op.base == "StringLike",
                            out,
                        );
                    }
                    if web {
                        let pattern = op.base == "StringLike" && masked.contains(['*', '?']);
                        if !pattern && !placeholder::is_masked(&masked) {
                            t.literal_subs.push(v.value.clone());
                        }
                        key.subs.push(index::Sub::of(op.base, &v.value, &masked));
                    }
                }
            }
            // Set operators and IfExists still restrict a present sub; the index cannot use them.
            Some("sub") if web => key.subs.push(index::Sub::Any),
            Some("aud") if positive && !op.if_exists => {
                has_aud = true;
                auds.extend(c.values.iter().map(|v| (v.value.clone(), v.span)));
                let literal = c.values.iter().all(|v| {
                    !v.value.contains(['*', '?', '$']) && !placeholder::has_placeholder(&v.value)
                });
                if key.auds.is_none() && literal && op.base != "StringEqualsIgnoreCase" {
                    key.auds = Some(c.values.iter().map(|v| v.value.clone()).collect());
                }
            }
            Some("aud") => {
                has_aud |= op.set.is_some() || (op.if_exists && is_positive_string_op(op.base))
            }
            _ => {}
        }
    }
    if !web {
        return key;
    }
    if !has_aud {
        out.push(
            file,
            s.condition_span.unwrap_or(s.span),
            "IRSA005",
            format!("statement {} has no `aud` condition", s.index),
        );
    }
    check_auds(file, &auds, ctx.audiences, out);
    t.auds.extend(auds.into_iter().map(|(a, _)| a));
    key
}

/// IRSA009: an aud no token carries (a misspelt STS audience, a sub value).
fn check_auds(file: &str, auds: &[(String, Span)], audiences: &BTreeSet<&str>, out: &mut Out) {
    for (a, span) in auds {
        if a.starts_with("system:serviceaccount:") {
            out.push(
                file,
                *span,
                "IRSA009",
                format!(
                    "aud `{a}` is a `sub` value; tokens carry the audience {}",
                    kube::DEFAULT_AUDIENCE
                ),
            );
        }
    }
    let literal: Vec<&(String, Span)> = auds
        .iter()
        .filter(|(a, _)| {
            !placeholder::has_placeholder(a) && !a.starts_with("system:serviceaccount:")
        })
        .collect();
    if literal.is_empty()
        || literal.len() < auds.len()
        || literal.iter().any(|(a, _)| audiences.contains(a.as_str()))
    {
        return;
    }
    for (a, span) in literal {
        let sts_like = a.contains("sts") && a.contains("amazonaws");
        // A custom audience is judged per ServiceAccount (IRSA302); here only a
        // misspelt STS audience, which no token ever carries.
        if sts_like {
            let note = if a == "sts.amazonaws.com.cn" {
                "; tokens carry sts.amazonaws.com in every partition, China included".to_string()
            } else {
                format!(
                    "; tokens in use carry {}",
                    audiences
                        .iter()
                        .map(|x| format!("`{x}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(
                file,
                *span,
                "IRSA009",
                format!("aud `{a}` is not the audience in use{note}"),
            );
        }
    }
}

/// IRSA007 and IRSA011 on a `sub` value, judged on its literal parts
/// (`masked` holds a [`HOLE`] for each placeholder).
fn check_sub(file: &str, v: &str, masked: &str, span: Span, like: bool, out: &mut Out) {
    const PREFIX: &str = "system:serviceaccount:";
    if masked.starts_with(HOLE) {
        return;
    }
    let pattern = like && masked.contains(['*', '?']);
    let bad =
        |out: &mut Out, why: String| out.push(file, span, "IRSA011", format!("sub `{v}` {why}"));
    let Some(rest) = masked.strip_prefix(PREFIX) else {
        if pattern {
            let lit = masked.split(['*', '?']).next().unwrap_or("");
            if PREFIX.starts_with(lit) {
                out.push(
                    file,
                    span,
                    "IRSA007",
                    format!("sub pattern `{v}` matches service accounts of every namespace"),
                );
            } else {
                bad(out, "is not system:serviceaccount:NAMESPACE:NAME".into());
            }
        } else {
            bad(out, "is not system:serviceaccount:NAMESPACE:NAME".into());
        }
        return;
    };
    let mut parts = rest.splitn(2, ':');
    let ns = parts.next().unwrap_or("");
    let name = parts.next();
    if pattern && ns.contains(['*', '?']) {
        out.push(
            file,
            span,
            "IRSA007",
            format!("sub pattern `{v}` is wider than one namespace"),
        );
        return;
    }
    if !ns.contains(HOLE) {
        if let Some(p) = kube::label_problem(ns) {
            bad(out, format!("has namespace `{ns}` that {p}"));
            return;
        }
    }
    match name {
        None if pattern || ns.contains(HOLE) => {}
        None => bad(
            out,
            "has no service account name (system:serviceaccount:NAMESPACE:NAME)".into(),
        ),
        Some(n) if (pattern && n.contains(['*', '?'])) || n.contains(HOLE) => {}
        Some(n) => {
            if let Some(p) = kube::subdomain_problem(n) {
                bad(out, format!("has service account name `{n}` that {p}"));
            }
        }
    }
}

fn check_links(found: &Found<'_>, options: &CheckOptions, out: &mut Out) -> LinkWork {
    // A trust that names pods.eks.amazonaws.com, alone or beside OIDC
    // providers (a migration's `both`, or a role other clusters still reach
    // through IRSA), may serve its ServiceAccounts through an association:
    // they need no role-arn annotation (IRSA101).
    let pod_identity = found.trusts.iter().any(|t| {
        t.policy.statements.iter().any(|s| {
            s.principals
                .iter()
                .any(|p| p.value.value == POD_IDENTITY_PRINCIPAL)
        })
    });
    let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, sa) in found.sas.iter().enumerate().filter(|(_, s)| s.linkable) {
        by_key
            .entry((sa.namespace.as_str(), sa.name.as_str()))
            .or_default()
            .push(i);
        by_name.entry(sa.name.as_str()).or_default().push(i);
    }
    duplicates(found, &by_key, out);
    // The IRSA ServiceAccounts of each namespace (IRSA201).
    let mut irsa_in: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for sa in found
        .sas
        .iter()
        .filter(|s| s.linkable && s.role_arn.is_some())
    {
        irsa_in
            .entry(sa.namespace.as_str())
            .or_default()
            .insert(sa.name.as_str());
    }
    // Named ServiceAccounts the trusts admit, by namespace (IRSA201 without the ServiceAccount).
    let mut admitted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in &found.trusts {
        for (ns, name) in t.literal_subs.iter().filter_map(|s| kube::parse_subject(s)) {
            if name != "default" {
                admitted.entry(ns).or_default().insert(name);
            }
        }
    }
    let sas_templated = found.sas.iter().any(|s| s.templated);
    // ServiceAccounts something relies on, with who.
    let mut relied: HashMap<usize, String> = HashMap::new();
    for w in found.workloads.iter().filter(|w| !w.templated) {
        let sa_name =
            w.sa.as_ref()
                .map(|(n, _)| n.as_str())
                .filter(|n| !n.is_empty() && *n != "default");
        match sa_name {
            None => {
                let irsa: Vec<&str> = irsa_in
                    .get(w.namespace.as_str())
                    .map(|names| names.iter().copied().collect())
                    .unwrap_or_default();
                let span = w.sa.as_ref().map_or(w.spec_span, |(_, s)| *s);
                if !irsa.is_empty() {
                    out.push(w.file, span, "IRSA201", format!("{} `{}` runs as the `default` service account, but namespace `{}` has the IRSA service account `{}`", w.kind, w.name, w.namespace, irsa.join("`, `")));
                } else if let Some(names) = admitted.get(w.namespace.as_str()) {
                    let names: Vec<&str> = names.iter().copied().collect();
                    out.push(w.file, span, "IRSA201", format!("{} `{}` runs as the `default` service account, but a trust policy of the set admits the service account `{}` of namespace `{}`", w.kind, w.name, names.join("`, `"), w.namespace));
                }
            }
            Some(n) => {
                let span = w.sa.as_ref().map_or(w.spec_span, |(_, s)| *s);
                if let Some(ix) = by_key.get(&(w.namespace.as_str(), n)) {
                    for i in ix {
                        relied
                            .entry(*i)
                            .or_insert_with(|| format!("{} `{}` in {}", w.kind, w.name, w.file));
                    }
                } else if let Some(other) = by_name.get(n) {
                    let nss: BTreeSet<&str> = other
                        .iter()
                        .filter_map(|i| found.sas.get(*i))
                        .map(|s| s.namespace.as_str())
                        .collect();
                    out.push(
                        w.file,
                        w.namespace_span,
                        "IRSA303",
                        format!(
                            "{} `{}` is in namespace `{}` but ServiceAccount `{n}` is in `{}`",
                            w.kind,
                            w.name,
                            w.namespace,
                            nss.into_iter().collect::<Vec<_>>().join("`, `")
                        ),
                    );
                } else if found.sas.iter().any(|s| s.linkable) && !sas_templated {
                    out.push(w.file, span, "IRSA202", format!("{} `{}` uses ServiceAccount `{n}`, which is not among the ServiceAccounts of namespace `{}`", w.kind, w.name, w.namespace));
                }
            }
        }
    }
    for t in &found.trusts {
        for sub in &t.literal_subs {
            if let Some((ns, name)) = kube::parse_subject(sub) {
                for i in by_key.get(&(ns, name)).into_iter().flatten() {
                    relied
                        .entry(*i)
                        .or_insert_with(|| format!("the trust policy {}", t.file));
                }
            }
        }
    }
    if !pod_identity {
        let mut relied: Vec<_> = relied.into_iter().collect();
        relied.sort();
        for (i, who) in relied {
            if let Some(sa) = found.sas.get(i) {
                if sa.role_arn_span.is_none() {
                    out.push(sa.file, sa.name_span, "IRSA101", format!("ServiceAccount `{}/{}` has no eks.amazonaws.com/role-arn, but {who} relies on it", sa.namespace, sa.name));
                }
            }
        }
    }
    linking::link_trusts(found, options, out)
}

/// IRSA304: ServiceAccounts of the same namespace and name with different role ARNs.
fn duplicates(found: &Found<'_>, by_key: &HashMap<(&str, &str), Vec<usize>>, out: &mut Out) {
    let mut keys: Vec<_> = by_key.iter().filter(|(_, ix)| ix.len() > 1).collect();
    keys.sort();
    for ((ns, name), ix) in keys {
        // A role ARN with a placeholder (`${aws_iam_role.x.arn}` in Terraform)
        // may be the other one once filled: only literal ARNs are compared.
        let sas: Vec<&SaDoc<'_>> = ix
            .iter()
            .filter_map(|i| found.sas.get(*i))
            .filter(|s| {
                !s.role_arn
                    .as_deref()
                    .is_some_and(placeholder::has_placeholder)
            })
            .collect();
        let Some(first) = sas.iter().find(|s| s.role_arn.is_some()) else {
            continue;
        };
        for sa in sas
            .iter()
            .filter(|s| s.role_arn.is_some() && s.role_arn != first.role_arn)
        {
            out.push(
                sa.file,
                sa.role_arn_span.unwrap_or(sa.name_span),
                "IRSA304",
                format!(
                    "ServiceAccount `{ns}/{name}` has role-arn `{}` here and `{}` in {}",
                    sa.role_arn.as_deref().unwrap_or(""),
                    first.role_arn.as_deref().unwrap_or(""),
                    first.file
                ),
            );
        }
    }
}

fn check_pod(w: &WorkloadDoc<'_>, spec: &Node, out: &mut Out) {
    let pod_sc = spec.get("securityContext");
    let has_fs_group = pod_sc
        .and_then(|s| s.get("fsGroup"))
        .is_some_and(|n| !n.is_null());
    let uses_sa =
        w.sa.as_ref()
            .is_some_and(|(n, _)| !n.is_empty() && n != "default");
    for list in ["initContainers", "containers"] {
        for c in spec.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
            let cname = c.get("name").and_then(Node::as_text).unwrap_or("?");
            for e in c.get("env").and_then(Node::as_seq).unwrap_or(&[]) {
                if let Some(n) = e.get("name") {
                    if let Some(var) = n.as_text().filter(|v| STATIC_CREDENTIAL_VARS.contains(v)) {
                        out.push(w.file, n.span, "IRSA203", format!("container `{cname}` sets {var}: static credentials come before IRSA in the SDK credential chain"));
                    }
                }
            }
            for m in c.get("volumeMounts").and_then(Node::as_seq).unwrap_or(&[]) {
                if let Some(p) = m.get("mountPath") {
                    if let Some(path) = p.as_text().filter(|t| {
                        let t = t.trim_end_matches('/');
                        t.ends_with("/.aws") || t.ends_with("/.aws/credentials")
                    }) {
                        out.push(w.file, p.span, "IRSA203", format!("container `{cname}` mounts `{path}`: a shared credentials file comes before IRSA in the SDK credential chain"));
                    }
                }
            }
            if uses_sa && !has_fs_group && runs_non_root(c.get("securityContext"), pod_sc) {
                let span = c.get("name").map_or(c.span, |n| n.span);
                out.push(w.file, span, "IRSA204", format!("container `{cname}` runs as a non-root user and the pod sets no securityContext.fsGroup"));
            }
        }
    }
}

fn runs_non_root(container: Option<&Node>, pod: Option<&Node>) -> bool {
    let pick = |key: &str| {
        container
            .and_then(|c| c.get(key))
            .filter(|n| !n.is_null())
            .or_else(|| pod.and_then(|p| p.get(key)).filter(|n| !n.is_null()))
    };
    let user = pick("runAsUser").and_then(Node::as_text);
    match user {
        Some(u) => u != "0",
        None => pick("runAsNonRoot").and_then(Node::as_text) == Some("true"),
    }
}
