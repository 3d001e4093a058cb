//! The findings of one Kubernetes object on its own: a ServiceAccount's
//! name, namespace and role ARN annotation, and a workload's pod template
//! (its ServiceAccount, security context and static credentials).
//! `service_accounts.rs` and `linking.rs` link these records to the rest of
//! the set.

use super::found::{Found, SaDoc, WorkloadDoc};
use super::out::Out;
use crate::aws;
use crate::kube;
use crate::placeholder::{self, Slot, HOLE};
use crate::source::{Node, Scalar, Span, Value};

/// Environment variables that put static credentials ahead of IRSA in the SDK chain.
const STATIC_CREDENTIAL_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SHARED_CREDENTIALS_FILE",
];

/// True when a Kubernetes name or namespace is a placeholder (`${NS}`, `NAMESPACE`).
fn is_templated_name(s: &str) -> bool {
    placeholder::has_placeholder(s) || placeholder::is_word(s, Slot::KubeName)
}

/// A ServiceAccount's record and the findings of its name, namespace and
/// annotations. `meta` holds `name`, `namespace` and `annotations` (a
/// manifest's `metadata`, or a Helm values `serviceAccount` block).
pub(super) fn service_account<'a>(
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
pub(super) fn workload<'a>(
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
