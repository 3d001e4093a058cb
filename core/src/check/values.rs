//! Documents that are not Kubernetes objects or whole policies but carry a
//! ServiceAccount or a trust all the same: Helm values (`serviceAccount`
//! blocks at the top or under a component key), a SpicepodSet's
//! `spec.service_account`, a bare statement pasted from a README. Anything
//! else is said to be not understood (IRSA408), never skipped in silence.

use super::found::Found;
use super::kubernetes::service_account;
use super::out::Out;
use super::policies;
use crate::inventory::InputKind;
use crate::source::{Node, Scalar, Value};

/// Keys of a statement; one of them without `Statement` makes a bare statement.
const STATEMENT_KEYS: &[&str] = &["Principal", "NotPrincipal", "Action", "NotAction"];

/// True for a statement object written without a policy document around it.
pub(super) fn is_statement(node: &Node) -> bool {
    node.get("Effect").is_some()
        && node.get("Statement").is_none()
        && STATEMENT_KEYS.iter().any(|k| node.get(k).is_some())
}

/// A bare statement (or a list of them), checked as if wrapped in a policy document.
pub(super) fn bare_statements<'a>(
    file: &'a str,
    root: &Node,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    let key = |text: &str| Node {
        value: Value::Scalar {
            value: Scalar::Str,
            raw: text.to_string(),
        },
        span: root.span,
    };
    let wrapped = Node {
        value: Value::Map(vec![
            (key("Version"), key("2012-10-17")),
            (key("Statement"), root.clone()),
        ]),
        span: root.span,
    };
    out.push(
        file,
        root.span,
        "IRSA404",
        "a statement without a policy document around it: checked as if wrapped in {\"Version\": \"2012-10-17\", \"Statement\": [...]}",
    );
    policies::read(file, &wrapped, root, found, out);
}

/// A document that is not a mapping: a list of statements, or something not understood.
pub(super) fn not_a_mapping<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) {
    match &root.value {
        Value::Scalar {
            value: Scalar::Null,
            ..
        } => {}
        Value::Seq(items) if !items.is_empty() && items.iter().all(is_statement) => {
            bare_statements(file, root, found, out);
        }
        Value::Seq(_) => not_understood(
            file,
            root,
            "a list, not a policy, a Kubernetes object or Helm values",
            out,
        ),
        _ => not_understood(file, root, "plain text, not a JSON or YAML document", out),
    }
}

fn not_understood(file: &str, root: &Node, what: &str, out: &mut Out) {
    out.inventory.add(InputKind::NotUnderstood);
    out.push(
        file,
        root.span,
        "IRSA408",
        format!("not understood: {what}; nothing in it was checked"),
    );
}

/// How deep under the top a Helm values `serviceAccount` block may sit
/// (`serviceAccount`, `controller.serviceAccount`, `a.b.serviceAccount`).
const VALUES_DEPTH: usize = 2;

/// A mapping without `kind`: Helm values when it has `serviceAccount` blocks.
pub(super) fn helm_values<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) {
    let mut blocks = Vec::new();
    service_account_blocks(root, 0, &mut blocks);
    if blocks.is_empty() {
        not_understood(
            file,
            root,
            "no `kind`, no `Statement` and no Helm `serviceAccount` block",
            out,
        );
        return;
    }
    out.inventory.add(InputKind::HelmValues);
    for block in blocks {
        let name_node = block.get("name");
        let name = name_node.and_then(Node::as_text).unwrap_or("").to_string();
        let span = name_node.map_or(block.span, |n| n.span);
        let mut sa = service_account(file, Some(block), name, String::new(), span, out);
        // The chart names it (when `name` is empty) and the release picks the namespace.
        sa.linkable = false;
        found.sas.push(sa);
    }
}

fn service_account_blocks<'n>(node: &'n Node, depth: usize, blocks: &mut Vec<&'n Node>) {
    for (k, v) in node.as_map().unwrap_or(&[]) {
        let is_block = k.as_text() == Some("serviceAccount")
            && v.as_map().is_some()
            && (v.get("annotations").is_some()
                || (v.get("create").is_some() && v.get("name").is_some()));
        if is_block {
            blocks.push(v);
        } else if depth < VALUES_DEPTH && v.as_map().is_some() {
            service_account_blocks(v, depth + 1, blocks);
        }
    }
}

/// A SpicepodSet: its operator creates `spec.service_account` in its namespace.
pub(super) fn spicepod_set<'a>(
    file: &'a str,
    root: &Node,
    name: String,
    namespace: String,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    out.inventory.add(InputKind::SpicepodSet);
    let Some(block) = root
        .get("spec")
        .and_then(|s| s.get("service_account"))
        .filter(|b| b.as_map().is_some())
    else {
        return;
    };
    let name_node = block.get("name");
    let sa_name = name_node
        .and_then(Node::as_text)
        .map_or(name, str::to_string);
    let span = name_node.map_or(block.span, |n| n.span);
    let sa = service_account(file, Some(block), sa_name, namespace, span, out);
    found.sas.push(sa);
}
