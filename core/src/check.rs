//! The checker: any set of files (trust and permission policies, ServiceAccounts,
//! Pods and pod templates, `kind: List`, multi-document YAML) in, diagnostics out.
//! Each document is checked alone, then the set together (does this trust let
//! that ServiceAccount in?). Codes and texts live in [`crate::rules`].

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::aws::{self, Partition};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Claims, Decision};
use crate::generate::POD_IDENTITY_PRINCIPAL;
use crate::kube;
use crate::rules::diagnostic;
use crate::source::{self, Limits, Node, Scalar, SourceError, Span, Value};
use crate::trust::{self, Effect, Policy, PrincipalKind, Statement};
use crate::validate::{DEFAULT_MAX_TRUST_POLICY_LENGTH, HARD_MAX_TRUST_POLICY_LENGTH};

/// One input text and the name diagnostics give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// File name (or `<stdin>`).
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// Limits and settings of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// Parse limits applied to every file.
    pub limits: Limits,
    /// Trust policy size quota in characters without whitespace (default 2048; never above 8192).
    pub max_trust_policy_length: usize,
    /// Most files one check accepts.
    pub max_files: usize,
    /// Most trust evaluations linking ServiceAccounts to trust policies may
    /// need (each ServiceAccount with a role-arn against each trust whose
    /// `sub` is literally its own or is a pattern). Beyond it the links are
    /// not checked (IRSA402): 4,500 pattern trusts and 4,500 ServiceAccounts
    /// in one 2.5 MB file would otherwise take minutes.
    pub max_evaluations: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            limits: Limits::default(),
            max_trust_policy_length: DEFAULT_MAX_TRUST_POLICY_LENGTH,
            max_files: 100_000,
            max_evaluations: 200_000,
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
    open: bool,
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
    /// True when some web-identity statement's sub is not a plain list of literals.
    open: bool,
    /// Positive `aud` values.
    auds: Vec<String>,
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
}

#[derive(Debug, Default)]
struct Found<'a> {
    trusts: Vec<TrustDoc<'a>>,
    sas: Vec<SaDoc<'a>>,
    workloads: Vec<WorkloadDoc<'a>>,
}

struct Out {
    diags: Vec<Diagnostic>,
}

impl Out {
    fn push(&mut self, file: &str, span: Span, code: &str, message: impl Into<String>) {
        self.diags
            .push(diagnostic(code, message).at(span).in_file(Some(file)));
    }
}

/// Checks a set of files; diagnostics sorted by file, line, column and code.
/// The same as [`summarise`] on every file, then [`link`].
pub fn check(files: &[SourceFile], options: &CheckOptions) -> Vec<Diagnostic> {
    if files.len() > options.max_files {
        return vec![too_many_files(files.len(), options)];
    }
    let summaries = files.iter().map(|f| summarise(f, options)).collect();
    link(summaries, options)
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
/// parsed tree is dropped at once) and the findings of the file alone. Files
/// are independent, so callers may summarise them in parallel.
#[derive(Debug, Default)]
pub struct FileSummary<'a> {
    found: Found<'a>,
    diags: Vec<Diagnostic>,
}

/// Parses one file and summarises its documents.
pub fn summarise<'a>(file: &'a SourceFile, options: &CheckOptions) -> FileSummary<'a> {
    let mut found = Found::default();
    let mut out = Out { diags: Vec::new() };
    let f = file;
    match source::parse_documents(&f.text, &options.limits) {
        Ok(docs) => {
            for doc in &docs {
                classify(&f.name, &doc.root, &mut found, &mut out, 0);
            }
        }
        Err(e @ SourceError::Limit { .. }) => {
            out.push(
                &f.name,
                e.span(),
                "IRSA402",
                format!("{e}: nothing in this file was checked"),
            );
        }
        Err(e @ SourceError::Syntax { .. }) => {
            let json = f.name.to_ascii_lowercase().ends_with(".json");
            let code = if json { "IRSA001" } else { "IRSA401" };
            let what = if json {
                "not a policy document"
            } else {
                "not valid YAML or JSON"
            };
            out.push(&f.name, e.span(), code, format!("{what}: {e}"));
        }
    }
    FileSummary {
        found,
        diags: out.diags,
    }
}

/// Checks the summarised documents alone and together; diagnostics sorted by
/// file, line, column and code.
pub fn link(summaries: Vec<FileSummary<'_>>, options: &CheckOptions) -> Vec<Diagnostic> {
    if summaries.len() > options.max_files {
        return vec![too_many_files(summaries.len(), options)];
    }
    let mut out = Out { diags: Vec::new() };
    let mut found = Found::default();
    for s in summaries {
        out.diags.extend(s.diags);
        found.trusts.extend(s.found.trusts);
        found.sas.extend(s.found.sas);
        found.workloads.extend(s.found.workloads);
    }
    let max_len = options
        .max_trust_policy_length
        .min(HARD_MAX_TRUST_POLICY_LENGTH);
    let audiences: BTreeSet<&str> = std::iter::once(kube::DEFAULT_AUDIENCE)
        .chain(
            found
                .sas
                .iter()
                .filter_map(|s| s.audience.as_ref().map(|(a, _)| a.as_str())),
        )
        .collect();
    for t in &mut found.trusts {
        check_trust(t, max_len, &audiences, &mut out);
    }
    check_links(&found, options, &mut out);
    out.diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
    });
    out.diags
}

fn text_of<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut n = node;
    for k in path {
        n = n.get(k)?;
    }
    Some(n)
}

fn classify<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out, depth: usize) {
    if root.as_map().is_none() {
        return;
    }
    if trust::looks_like_policy(root) {
        match trust::parse_policy(root) {
            Ok(policy) => {
                if is_trust(&policy) {
                    found.trusts.push(TrustDoc {
                        file,
                        policy,
                        length: serde_json::to_string(&root.to_json())
                            .map_or(0, |s| s.chars().count()),
                        root_span: root.span,
                        providers: Vec::new(),
                        literal_subs: Vec::new(),
                        open: false,
                        auds: Vec::new(),
                    });
                }
            }
            Err(e) => out.push(
                file,
                e.span,
                "IRSA001",
                format!("not a policy document: {}", e.message),
            ),
        }
        return;
    }
    let Some(kind) = root.get("kind").and_then(Node::as_str) else {
        if let Some(v) = root.get("Version").and_then(Node::as_text) {
            if v == "2012-10-17" || v == "2008-10-17" {
                out.push(
                    file,
                    root.span,
                    "IRSA001",
                    "not a policy document: the document has `Version` but no `Statement`",
                );
            }
        }
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
    match kind {
        "List" if depth < 4 => {
            for item in root.get("items").and_then(Node::as_seq).unwrap_or(&[]) {
                classify(file, item, found, out, depth + 1);
            }
        }
        "ServiceAccount" => service_account(file, root, name, namespace, found, out),
        "Pod" => workload(
            file,
            kind,
            name,
            namespace,
            namespace_span,
            root.entry("spec"),
            found,
            out,
        ),
        "CronJob" => workload(
            file,
            kind,
            name,
            namespace,
            namespace_span,
            text_of(root, &["spec", "jobTemplate", "spec", "template"])
                .and_then(|t| t.entry("spec")),
            found,
            out,
        ),
        k if POD_TEMPLATE_KINDS.contains(&k) => workload(
            file,
            kind,
            name,
            namespace,
            namespace_span,
            text_of(root, &["spec", "template"]).and_then(|t| t.entry("spec")),
            found,
            out,
        ),
        _ => {}
    }
}

fn is_trust(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.principal_span.is_some()
            || s.actions
                .iter()
                .any(|a| a.value.to_ascii_lowercase().starts_with("sts:assumerole"))
    })
}

fn service_account<'a>(
    file: &'a str,
    root: &Node,
    name: String,
    namespace: String,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    let meta = root.get("metadata");
    let name_node = meta.and_then(|m| m.get("name"));
    let name_span = name_node.map_or(root.span, |n| n.span);
    if let Some(p) = kube::subdomain_problem(&name) {
        out.push(
            file,
            name_span,
            "IRSA105",
            format!("ServiceAccount name `{name}` {p}"),
        );
    }
    if let Some((k, v)) = meta.and_then(|m| m.entry("namespace")) {
        if let Some(p) = kube::label_problem(&namespace) {
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
                    if let Some(p) = aws::role_arn_problem(arn.trim()) {
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
                if let Some(t) = value {
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
    found.sas.push(sa);
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
    let w = WorkloadDoc {
        file,
        kind: kind.to_string(),
        name,
        namespace,
        namespace_span,
        spec_span: key.span,
        sa,
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
    let mut web_identity_allow = false;
    let mut acc = Acc::default();
    let mut all_providers: Vec<String> = Vec::new();
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
        check_conditions(file, s, &providers, web, audiences, &mut acc, out);
        if web {
            for hp in providers {
                if !all_providers.contains(&hp) {
                    all_providers.push(hp);
                }
            }
        }
    }
    t.providers = all_providers;
    t.literal_subs = acc.literal_subs;
    t.open = acc.open;
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
    }
}

/// Checks a Federated principal; returns the provider's issuer when it is an OIDC provider ARN.
fn check_federated(file: &str, value: &str, span: Span, out: &mut Out) -> Option<String> {
    if WEB_IDENTITY_DOMAINS.contains(&value) || value.contains(":saml-provider/") {
        return None;
    }
    let bad = |out: &mut Out, why: String| {
        out.push(
            file,
            span,
            "IRSA003",
            format!("Federated principal `{value}` is not an OIDC provider ARN: {why}"),
        )
    };
    if value.trim().is_empty() {
        bad(out, "it is empty".into());
        return None;
    }
    if value.starts_with("https://") || value.starts_with("oidc.") {
        bad(out, "this is the issuer URL; the principal is arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER-WITHOUT-https".into());
        return None;
    }
    let Some(pr) = trust::provider(value) else {
        bad(
            out,
            "expected arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER".into(),
        );
        return None;
    };
    if Partition::parse(&pr.partition).is_none() {
        bad(out, format!("`{}` is not an AWS partition", pr.partition));
        return None;
    }
    if !aws::is_account_id(&pr.account) {
        bad(
            out,
            format!("account `{}` must be exactly 12 digits", pr.account),
        );
        return None;
    }
    if pr.host_path.contains("://") {
        bad(out, "the provider part must not contain `https://`".into());
        return None;
    }
    if pr.host_path.ends_with('/') {
        bad(out, "the provider part must not end with `/`".into());
        return None;
    }
    let Some(issuer) = pr.issuer else {
        bad(
            out,
            format!("`{}` is not a valid issuer host and path", pr.host_path),
        );
        return None;
    };
    if let Some(region) = &issuer.region {
        let want = Partition::of_region(region);
        if want.as_str() != pr.partition {
            out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{}` but the issuer's region `{region}` is in `{want}`", pr.partition));
        }
    }
    if let Some(id) = &issuer.cluster_id {
        if !aws::is_real_cluster_id(id) {
            out.push(
                file,
                span,
                "IRSA015",
                format!("cluster ID `{id}` is not 32 upper-case hex characters"),
            );
        }
    }
    Some(pr.host_path)
}

#[allow(clippy::too_many_arguments)]
fn check_conditions(
    file: &str,
    s: &Statement,
    providers: &[String],
    web: bool,
    audiences: &BTreeSet<&str>,
    t: &mut Acc,
    out: &mut Out,
) {
    let mut has_sub = false;
    let mut has_aud = false;
    let mut auds: Vec<(String, Span)> = Vec::new();
    for c in &s.conditions {
        let op = eval::parse_operator(&c.operator.value);
        let claim = trust::claim_of(&c.key.value);
        if let Some(issuer) = trust::key_issuer(&c.key.value) {
            if !providers.is_empty() && !providers.iter().any(|p| p.eq_ignore_ascii_case(issuer)) {
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
            for v in c.values.iter().filter(|v| v.value.contains(['*', '?'])) {
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
                has_sub = true;
                for v in &c.values {
                    let literal_wildcard = op.base != "StringLike" && v.value.contains(['*', '?']);
                    if !literal_wildcard {
                        check_sub(file, &v.value, v.span, op.base == "StringLike", out);
                    }
                    if web {
                        if op.base == "StringLike" && v.value.contains(['*', '?']) {
                            t.open = true;
                        } else {
                            t.literal_subs.push(v.value.clone());
                        }
                    }
                }
            }
            Some("sub") => {
                // Set operators and IfExists still restrict a present sub; the index cannot use them.
                has_sub |= op.set.is_some() || (op.if_exists && is_positive_string_op(op.base));
                if web {
                    t.open = true;
                }
            }
            Some("aud") if positive && !op.if_exists => {
                has_aud = true;
                auds.extend(c.values.iter().map(|v| (v.value.clone(), v.span)));
            }
            Some("aud") => {
                has_aud |= op.set.is_some() || (op.if_exists && is_positive_string_op(op.base))
            }
            _ => {}
        }
    }
    if !web {
        return;
    }
    if !has_sub {
        t.open = true;
        out.push(file, s.condition_span.unwrap_or(s.span), "IRSA004", format!("statement {} has no `sub` condition: every service account in the cluster can assume the role", s.index));
    }
    if !has_aud {
        out.push(
            file,
            s.condition_span.unwrap_or(s.span),
            "IRSA005",
            format!("statement {} has no `aud` condition", s.index),
        );
    }
    if !auds.is_empty() && !auds.iter().any(|(a, _)| audiences.contains(a.as_str())) {
        for (a, span) in &auds {
            let sts_like = a.contains("sts") && a.contains("amazonaws");
            // A custom audience is judged per ServiceAccount (IRSA302); here only a
            // misspelt STS audience, which no token ever carries.
            if sts_like {
                let note = if a == "sts.amazonaws.com.cn" {
                    "; tokens carry sts.amazonaws.com in every partition, China included"
                        .to_string()
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
    t.auds.extend(auds.into_iter().map(|(a, _)| a));
}

fn check_sub(file: &str, v: &str, span: Span, like: bool, out: &mut Out) {
    const PREFIX: &str = "system:serviceaccount:";
    let pattern = like && v.contains(['*', '?']);
    let bad =
        |out: &mut Out, why: String| out.push(file, span, "IRSA011", format!("sub `{v}` {why}"));
    let Some(rest) = v.strip_prefix(PREFIX) else {
        if pattern {
            let lit = v.split(['*', '?']).next().unwrap_or("");
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
    if let Some(p) = kube::label_problem(ns) {
        bad(out, format!("has namespace `{ns}` that {p}"));
        return;
    }
    match name {
        None if pattern => {}
        None => bad(
            out,
            "has no service account name (system:serviceaccount:NAMESPACE:NAME)".into(),
        ),
        Some(n) if pattern && n.contains(['*', '?']) => {}
        Some(n) => {
            if let Some(p) = kube::subdomain_problem(n) {
                bad(out, format!("has service account name `{n}` that {p}"));
            }
        }
    }
}

fn check_links(found: &Found<'_>, options: &CheckOptions, out: &mut Out) {
    let pod_identity = found.trusts.iter().any(|t| {
        t.providers.is_empty()
            && t.policy.statements.iter().any(|s| {
                s.principals
                    .iter()
                    .any(|p| p.value.value == POD_IDENTITY_PRINCIPAL)
            })
    });
    let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, sa) in found.sas.iter().enumerate() {
        by_key
            .entry((sa.namespace.as_str(), sa.name.as_str()))
            .or_default()
            .push(i);
        by_name.entry(sa.name.as_str()).or_default().push(i);
    }
    // ServiceAccounts something relies on, with who.
    let mut relied: HashMap<usize, String> = HashMap::new();
    for w in &found.workloads {
        let sa_name =
            w.sa.as_ref()
                .map(|(n, _)| n.as_str())
                .filter(|n| !n.is_empty() && *n != "default");
        match sa_name {
            None => {
                let irsa: Vec<&str> = by_key
                    .iter()
                    .filter(|((ns, _), _)| *ns == w.namespace)
                    .flat_map(|(_, ix)| ix.iter())
                    .filter_map(|i| found.sas.get(*i))
                    .filter(|sa| sa.role_arn.is_some())
                    .map(|sa| sa.name.as_str())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                if !irsa.is_empty() {
                    let span = w.sa.as_ref().map_or(w.spec_span, |(_, s)| *s);
                    out.push(w.file, span, "IRSA201", format!("{} `{}` runs as the `default` service account, but namespace `{}` has the IRSA service account `{}`", w.kind, w.name, w.namespace, irsa.join("`, `")));
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
                } else if !found.sas.is_empty() {
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
    let irsa_trusts: Vec<&TrustDoc<'_>> = found
        .trusts
        .iter()
        .filter(|t| !t.providers.is_empty())
        .collect();
    if irsa_trusts.is_empty() {
        return;
    }
    let mut by_sub: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut open = Vec::new();
    for (i, t) in irsa_trusts.iter().enumerate() {
        if t.open {
            open.push(i);
        }
        for s in &t.literal_subs {
            by_sub.entry(s.as_str()).or_default().push(i);
        }
    }
    let needed = found
        .sas
        .iter()
        .filter(|s| s.role_arn.is_some())
        .map(|sa| {
            let sub = kube::subject(&sa.namespace, &sa.name);
            by_sub.get(sub.as_str()).map_or(0, Vec::len) + open.len()
        })
        .fold(0usize, usize::saturating_add);
    if needed > options.max_evaluations {
        out.diags.push(diagnostic(
            "IRSA402",
            format!(
                "linking ServiceAccounts to trust policies needs {needed} trust evaluations, more than the limit of {}: IRSA301 and IRSA302 were not checked",
                options.max_evaluations
            ),
        ));
        return;
    }
    for sa in found.sas.iter().filter(|s| s.role_arn.is_some()) {
        let sub = kube::subject(&sa.namespace, &sa.name);
        let aud = sa
            .audience
            .as_ref()
            .map_or(kube::DEFAULT_AUDIENCE, |(a, _)| a.as_str());
        let mut candidates: Vec<usize> = by_sub.get(sub.as_str()).cloned().unwrap_or_default();
        candidates.extend(open.iter().copied());
        candidates.sort_unstable();
        candidates.dedup();
        // The ServiceAccount's role decides which account's providers count;
        // a decision that depends on caller-only keys is not a certain refusal.
        let role = sa.role_arn.as_deref().and_then(|a| eval::Role::from_arn(a).ok());
        let admits = |t: &TrustDoc<'_>, aud: &str| {
            t.providers.iter().any(|p| {
                let claims = Claims {
                    iss: Some(p.clone()),
                    sub: Some(sub.clone()),
                    aud: Some(aud.to_string()),
                    role: role.clone(),
                    ..Claims::default()
                };
                eval::evaluate(&t.policy, &claims).decision != Decision::Deny
            })
        };
        let trusts = candidates
            .iter()
            .filter_map(|i| irsa_trusts.get(*i).copied());
        if trusts.clone().any(|t| admits(t, aud)) {
            continue;
        }
        let other = trusts.clone().find_map(|t| {
            t.auds
                .iter()
                .find(|a| admits(t, a))
                .map(|a| (t.file, a.clone()))
        });
        match other {
            Some((file, want)) => {
                let span = sa
                    .audience
                    .as_ref()
                    .map(|(_, s)| *s)
                    .or(sa.role_arn_span)
                    .unwrap_or(sa.name_span);
                out.push(sa.file, span, "IRSA302", format!("ServiceAccount `{}/{}` gets tokens for audience `{aud}`, but the trust policy {file} admits it only for `{want}`", sa.namespace, sa.name));
            }
            None => out.push(
                sa.file,
                sa.name_span,
                "IRSA301",
                format!(
                    "no trust policy in the set admits `{sub}` ({} checked)",
                    irsa_trusts.len()
                ),
            ),
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
