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
mod fixes;
mod index;
mod kubernetes;
mod linking;
mod live;
mod permissions;
mod reading;
mod referenced;
mod trust_checks;
mod values;

/// The input file type lives with the reader; re-exported at its old path.
pub use crate::source::SourceFile;
use kubernetes::*;
pub use linking::LinkWork;
pub(crate) use live::roles::url_decode;
use trust_checks::*;

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
    fixes::fill(&found, &mut out.diags);
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
            let length = shown.json_chars();
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
