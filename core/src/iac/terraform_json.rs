//! `terraform show -json` output, of a plan (`planned_values`) or of the
//! state (`values`), where Terraform has resolved every value: the
//! `assume_role_policy` of each `aws_iam_role` and the `policy` of each
//! `aws_iam_role_policy` and `aws_iam_policy` (JSON strings), each
//! `kubernetes_service_account(_v1)` (`metadata[0]`) and each
//! `aws_eks_pod_identity_association`, in the root module and every child
//! module. A plan leaves a value out when it is known only after apply:
//! that is said.

use super::{association, json_string, map, service_account, text, Reading};
use crate::source::Node;

/// True for the JSON `terraform show -json` prints.
pub fn is_show_output(root: &Node) -> bool {
    root.get("format_version").is_some()
        && root.get("terraform_version").is_some()
        && (root.get("planned_values").is_some() || root.get("values").is_some())
}

/// The documents of a plan or state.
pub fn read(root: &Node) -> Reading {
    let mut r = Reading::default();
    let values = root.get("planned_values").or_else(|| root.get("values"));
    if let Some(m) = values.and_then(|v| v.get("root_module")) {
        module(m, &mut r, 0);
    }
    r
}

fn module(m: &Node, r: &mut Reading, depth: usize) {
    for res in m.get("resources").and_then(Node::as_seq).unwrap_or(&[]) {
        if res.get("mode").and_then(Node::as_text) == Some("managed") {
            resource(res, r);
        }
    }
    if depth < 32 {
        for child in m.get("child_modules").and_then(Node::as_seq).unwrap_or(&[]) {
            module(child, r, depth + 1);
        }
    }
}

fn resource(res: &Node, r: &mut Reading) {
    let kind = res.get("type").and_then(Node::as_text).unwrap_or("");
    let address = res.get("address").and_then(Node::as_text).unwrap_or(kind);
    let Some(values) = res.get("values") else {
        return;
    };
    match kind {
        "aws_iam_role" => policy(address, values, "assume_role_policy", res, r),
        "aws_iam_role_policy" | "aws_iam_policy" => policy(address, values, "policy", res, r),
        "kubernetes_service_account" | "kubernetes_service_account_v1" => {
            let meta = values
                .get("metadata")
                .and_then(|m| m.as_seq().and_then(|s| s.first()).or(Some(m)));
            if let Some(meta) = meta {
                let entries = ["name", "namespace", "annotations"]
                    .iter()
                    .filter_map(|k| meta.entry(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                r.push_json(service_account(map(entries, meta.span), res.span));
            }
        }
        "aws_eks_pod_identity_association" => {
            let fields = super::ASSOCIATION_FIELDS
                .iter()
                .filter_map(|(tf, api)| {
                    let (k, v) = values.entry(tf)?;
                    Some((text(*api, k.span), v.clone()))
                })
                .collect();
            r.push_json(association(address, fields, res.span));
        }
        _ => {}
    }
}

fn policy(address: &str, values: &Node, key: &str, res: &Node, r: &mut Reading) {
    match values.get(key).filter(|v| !v.is_null()) {
        Some(v) => match v.as_str().and_then(|s| json_string(s, v.span)) {
            Some(doc) => r.push_json(doc),
            None => r.said(
                v.span,
                "IRSA001",
                format!("not a policy document: the `{key}` of `{address}` is not JSON"),
            ),
        },
        None => r.unread(
            res.span,
            format!("the `{key}` of `{address}` is known only after apply: not checked"),
        ),
    }
}
