//! One document to the reader of what it is: a policy, the output of a
//! read-only command ([`super::live`]), a bare statement, Helm values, a
//! SpicepodSet ([`super::values`]), a ServiceAccount or a workload's pod
//! template ([`super::kubernetes`]); a `kind: List`'s items each in turn.
//! Whatever is none of them is counted as what it is (another Kubernetes
//! kind, a file type check does not read, IRSA001 for a `Version` without
//! `Statement`). The readers below it never call back: only a list nests.

use super::found::Found;
use super::kubernetes::{service_account, workload};
use super::out::Out;
use super::{live, policies, values};
use crate::filetype::{self, FileType};
use crate::inventory::InputKind;
use crate::source::{Node, Span};
use crate::trust;

/// Kinds whose pod template the checker reads, with the path to the pod spec.
const POD_TEMPLATE_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "ReplicationController",
];

/// The node at `path` under `node`.
fn text_of<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut n = node;
    for k in path {
        n = n.get(k)?;
    }
    Some(n)
}

/// Reads one document (`depth`: how many lists it is nested in).
pub(super) fn document<'a>(
    file: &'a str,
    root: &Node,
    found: &mut Found<'a>,
    out: &mut Out,
    depth: usize,
) {
    if root.as_map().is_none() {
        values::not_a_mapping(file, root, found, out);
        return;
    }
    if let Some(t) = filetype::of_document(root) {
        not_read(file, t, root.span, out);
        return;
    }
    if trust::looks_like_policy(root) {
        policies::read(file, root, root, found, out);
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
                document(file, item, found, out, depth + 1);
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

/// A file or document of a type check does not read.
pub(super) fn not_read(file: &str, t: FileType, span: Span, out: &mut Out) {
    out.inventory.add(InputKind::NotRead(t.name));
    out.push(
        file,
        span,
        "IRSA407",
        format!(
            "{} {} is not read by check yet: nothing in it was checked",
            if t.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            },
            t.name
        ),
    );
}
