//! A trust's values written in its tool's own words, shared by the writers
//! of whole trusts (`iac_edit.rs`) and of statement blocks
//! (`tf_policy_document.rs`): Terraform expressions back as their source
//! text ([`Original::Hcl`]), CloudFormation intrinsics back as they were
//! ([`Original::Json`]), continuation lines indented.

use serde_json::Value;

use crate::formats::hcl::Expr;

use super::trust_file::Original;

/// Lines after the first indented by `indent`.
pub fn indent_rest(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}

/// A JSON value as the HCL `jsonencode` turns back into it; the values
/// Terraform computed as their source text.
pub fn hcl_expr(v: &Value, originals: &[(String, Original)]) -> Expr {
    match v {
        Value::String(s) => match originals.iter().find(|(k, _)| k == s) {
            Some((_, Original::Hcl(source))) => Expr::Raw(source.clone()),
            _ => Expr::Str(s.clone()),
        },
        Value::Array(items) => Expr::List(items.iter().map(|i| hcl_expr(i, originals)).collect()),
        Value::Object(m) => Expr::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), hcl_expr(x, originals)))
                .collect(),
        ),
        other => Expr::Raw(other.to_string()),
    }
}

/// Every string that stands for an intrinsic replaced by the intrinsic.
pub fn restore(v: &Value, originals: &[(String, Original)]) -> Value {
    match v {
        Value::String(s) => match originals.iter().find(|(k, _)| k == s) {
            Some((_, Original::Json(j))) => j.clone(),
            _ => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|i| restore(i, originals)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), restore(x, originals)))
                .collect(),
        ),
        other => other.clone(),
    }
}
