//! The placeholders of a trust that the plan would have to read (MIG060):
//! those in the statements it judges and edits, the web-identity ones and
//! the Pod Identity ones (a `Federated` principal, a `Service` principal
//! that is `pods.eks.amazonaws.com` or a placeholder, a principal or a
//! statement that is one placeholder). Whose provider a statement names, its
//! `sub`, its session-tag conditions: a plan built on a guess of these could
//! leave a cluster out or a ServiceAccount without a path. A provider ARN
//! whose account alone is a placeholder is read (its host and path say which
//! cluster it is), and statements of other principals are kept as written,
//! placeholders and all.

use serde_json::Value;

use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::placeholder::{has_placeholder, scan};
use crate::trust;

/// Each placeholder the plan cannot read past, as written, once each, in order.
pub fn unresolved(trust: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let statements: Vec<&Value> = match trust.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for stmt in statements {
        if !read_by_the_plan(stmt) {
            continue;
        }
        strings(stmt, &mut |s, federated| {
            // A provider ARN: only its host and path say whose it is.
            let provider = trust::provider(s).filter(|_| federated);
            let read = provider.as_ref().map_or(s, |p| p.host_path.as_str());
            for p in scan(read) {
                if !out.contains(&p.text) {
                    out.push(p.text);
                }
            }
        });
    }
    out
}

/// True for a statement the plan judges or edits.
fn read_by_the_plan(stmt: &Value) -> bool {
    let principal = match stmt {
        Value::String(_) => return true,
        Value::Object(_) => stmt.get("Principal"),
        _ => None,
    };
    match principal {
        Some(Value::String(s)) => has_placeholder(s),
        Some(Value::Object(p)) => {
            p.contains_key("Federated")
                || p.get("Service").is_some_and(|s| {
                    super::to_irsa_trust::texts(s).iter().any(|v| {
                        v.eq_ignore_ascii_case(POD_IDENTITY_PRINCIPAL) || has_placeholder(v)
                    })
                })
        }
        _ => false,
    }
}

/// Every string of a value, keys included, with whether it is a `Federated` principal.
fn strings(v: &Value, f: &mut impl FnMut(&str, bool)) {
    match v {
        Value::String(s) => f(s, false),
        Value::Array(items) => items.iter().for_each(|i| strings(i, f)),
        Value::Object(m) => {
            for (k, x) in m {
                f(k, false);
                if k == "Federated" {
                    match x {
                        Value::String(s) => f(s, true),
                        Value::Array(items) => {
                            for i in items {
                                match i.as_str() {
                                    Some(s) => f(s, true),
                                    None => strings(i, f),
                                }
                            }
                        }
                        other => strings(other, f),
                    }
                } else {
                    strings(x, f);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn oidc(federated: &str, sub_key: &str) -> Value {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${var.account}:root"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": federated}, "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {sub_key: "system:serviceaccount:a:b"}}}
        ]})
    }

    #[test]
    fn only_what_the_plan_reads() {
        let host = "oidc.eks.us-west-2.amazonaws.com/id/AAAA";
        // The account alone is a placeholder, and another principal's statement has one: read.
        let ok = oidc(
            &format!("arn:aws:iam::${{ACCOUNT_ID}}:oidc-provider/{host}"),
            &format!("{host}:sub"),
        );
        assert!(unresolved(&ok).is_empty());
        // The provider or the `sub` key is computed: not read.
        let computed = oidc(
            "${aws_iam_openid_connect_provider.eks.arn}",
            "${local.oidc}:sub",
        );
        assert_eq!(
            unresolved(&computed),
            [
                "${aws_iam_openid_connect_provider.eks.arn}",
                "${local.oidc}"
            ]
        );
        let angle = oidc(
            &format!("arn:aws:iam::111122223333:oidc-provider/{host}"),
            "<ISSUER>:sub",
        );
        assert_eq!(unresolved(&angle), ["<ISSUER>"]);
        // A statement that is one placeholder.
        assert_eq!(
            unresolved(&json!({"Statement": ["${local.s}"]})),
            ["${local.s}"]
        );
    }
}
