//! One binding: its namespace and service accounts (names or patterns,
//! SPEC020-SPEC024), then its role, permissions and workload; a [`Binding`]
//! only when none of them has an error.

use crate::diagnostic::Diagnostic;
use crate::kube;
use crate::source::FieldPath;
use crate::spec::BindingSpec;

use super::report::Report;
use super::{is_pattern, permissions, role, workload, Binding};
use crate::aws::Partition;

/// Checks a binding, section by section, in field order.
pub(super) fn check_binding(
    r: &mut Report,
    p: &FieldPath,
    b: &BindingSpec,
    partition: Partition,
    cluster_name: Option<&str>,
) -> Option<Binding> {
    let errors_before = r.diagnostics.iter().filter(|d| d.is_error()).count();
    let namespace = check_namespace(r, p, b);
    let service_accounts = check_service_accounts(r, p, b);
    note_patterns(r, p, &namespace, &service_accounts);
    let first_service_account = service_accounts.first().map_or("", String::as_str);
    let role = role::check_role(r, p, b, partition, || {
        role::derive_role_name(cluster_name, &namespace, first_service_account)
    });
    role::check_tags(r, &p.key("tags"), &b.tags);
    let permissions = permissions::check_permissions(
        r,
        &p.key("permissions"),
        &b.permissions,
        partition,
        cluster_name,
    );
    let workload = b
        .workload
        .as_ref()
        .and_then(|w| workload::check_workload(r, &p.key("workload"), w, first_service_account));
    let errors_after = r.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors_after == errors_before).then(|| Binding {
        namespace,
        service_accounts,
        role_name: role.name,
        role_path: role.path,
        permissions_boundary: role.permissions_boundary,
        description: role.description,
        tags: b.tags.clone(),
        permissions,
        workload,
    })
}

/// `namespace`: present (SPEC004), a DNS-1123 label or a pattern of one (SPEC020).
fn check_namespace(r: &mut Report, p: &FieldPath, b: &BindingSpec) -> String {
    let namespace = b
        .namespace
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let np = p.key("namespace");
    if namespace.is_empty() {
        r.error(
            "SPEC004",
            &np,
            "namespace is missing",
            "set the Kubernetes namespace of the service account, e.g. `default`",
        );
    } else if let Some(problem) = pattern_or(&namespace, kube::label_problem) {
        r.error("SPEC020", &np, format!("namespace `{namespace}` {problem}"), "a namespace is a DNS-1123 label: 1 to 63 lower-case letters, digits and `-`, starting and ending with a letter or digit");
    }
    namespace
}

/// `serviceAccount`: one name or several, each a DNS-1123 subdomain or a
/// pattern of one, none twice (SPEC021).
fn check_service_accounts(r: &mut Report, p: &FieldPath, b: &BindingSpec) -> Vec<String> {
    let sp = p.key("serviceAccount");
    if b.service_account.is_empty() {
        r.error(
            "SPEC004",
            &sp,
            "serviceAccount is missing",
            "set the ServiceAccount name (or a list of names)",
        );
    }
    let mut service_accounts: Vec<String> = Vec::new();
    for (i, sa) in b.service_account.iter().enumerate() {
        let path = if b.service_account.len() == 1 {
            sp.clone()
        } else {
            sp.index(i)
        };
        let sa = sa.trim().to_string();
        if let Some(problem) = pattern_or(&sa, kube::subdomain_problem) {
            r.error("SPEC021", &path, format!("serviceAccount `{sa}` {problem}"), "a ServiceAccount name is a DNS-1123 subdomain: lower-case letters, digits, `-` and `.`; `*` and `?` make a pattern");
        } else if service_accounts.contains(&sa) {
            r.error(
                "SPEC021",
                &path,
                format!("serviceAccount `{sa}` is listed twice"),
                "remove the duplicate",
            );
        }
        service_accounts.push(sa);
    }
    service_accounts
}

/// Patterns: wider than one namespace (SPEC022), nothing generated for them (SPEC024).
fn note_patterns(r: &mut Report, p: &FieldPath, namespace: &str, service_accounts: &[String]) {
    let np = p.key("namespace");
    let sp = p.key("serviceAccount");
    if namespace == "*" || (is_pattern(namespace) && service_accounts.iter().any(|s| s == "*")) {
        r.warning("SPEC022", &np, format!("namespace pattern `{namespace}` lets service accounts of more than one namespace assume the role"), "name the namespace unless every matching namespace is trusted");
    } else if is_pattern(namespace) {
        r.warning("SPEC022", &np, format!("namespace pattern `{namespace}` lets service accounts of several namespaces assume the role"), "name the namespace unless every matching namespace is trusted");
    }

    if let Some(pattern) = service_accounts
        .iter()
        .map(String::as_str)
        .find(|s| is_pattern(s))
        .or(is_pattern(namespace).then_some(namespace))
    {
        r.diagnostics.push(
            Diagnostic::info(
                "SPEC024",
                format!("`{pattern}` is a pattern: no ServiceAccount, Deployment or verification pod is generated for it"),
                "the trust admits every matching service account; create and annotate each of them yourself",
            )
            .at_path(&sp),
        );
    }
}

/// Checks a name that may also be a pattern: for patterns only the characters around wildcards.
fn pattern_or(s: &str, check: fn(&str) -> Option<String>) -> Option<String> {
    if is_pattern(s) {
        let plain: String = s
            .chars()
            .map(|c| if c == '*' || c == '?' { 'a' } else { c })
            .collect();
        return check(&plain);
    }
    check(s)
}
