//! A phase's trusts written back into the user's file: the same text with
//! only each trust's expression replaced (the rest byte for byte, comments
//! kept). Terraform gets `jsonencode({...})` laid out as `terraform fmt`
//! does (`formats::hcl`) or a heredoc like the one it had, the values it
//! computed written as they were ([`Original::Hcl`]); CloudFormation gets
//! the document as YAML at its key's indentation or as JSON, its
//! intrinsics as they were ([`Original::Json`]), a `Fn::Sub` JSON string
//! again as one.
//!
//! [`Original::Hcl`]: super::trust_file::Original::Hcl
//! [`Original::Json`]: super::trust_file::Original::Json

use serde_json::Value;

use crate::formats::hcl::{render, Expr, Item};

use super::trust_file::{Edit, Found, HclForm};
use super::trust_text::{hcl_expr, indent_rest, restore};

/// `text` with each found trust replaced by its new value (one that cannot
/// be written, a statement a `statement` block cannot say, is left: the
/// read-back of [`not_read_back`] then says so).
pub fn edit(text: &str, edits: &[(&Found, &Value)]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .filter_map(|(found, value)| {
            let written = match &found.edit {
                Edit::Hcl {
                    start,
                    end,
                    indent,
                    form,
                } => (*start, *end, hcl(text, found, value, indent, form)?),
                Edit::Cfn {
                    items: Some(items), ..
                } if let Some(written) =
                    super::tf_policy_document::write(text, items, value, &found.originals) =>
                {
                    let (first, last) = (items.statements.first()?, items.statements.last()?);
                    (first.0, last.1, written)
                }
                Edit::Cfn {
                    start,
                    end,
                    indent,
                    json,
                    sub,
                    ..
                } => (*start, *end, cfn(found, value, *indent, *json, *sub)),
                Edit::Whole | Edit::Dump => return None,
            };
            Some(written)
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    // A file of CRLF lines keeps them.
    let crlf = text.contains("\r\n");
    let mut out = text.to_string();
    for (start, end, new) in spans {
        if start <= end && end <= out.len() {
            // Kept statements are the file's own text, CRLF already.
            let new = match crlf {
                true => new.replace("\r\n", "\n").replace('\n', "\r\n"),
                false => new,
            };
            out.replace_range(start..end, &new);
        }
    }
    out
}

/// The roles whose trust, read back from the phase file `text` as the
/// file's own reader reads it, is not the one the plan wrote (a layout the
/// edit does not know, such as a flow mapping around the document): such a
/// file is never handed out.
pub fn not_read_back(name: &str, text: &str, edits: &[(&Found, &Value)]) -> Vec<String> {
    let again = super::sources::read(name, text);
    edits
        .iter()
        .filter(|(f, v)| {
            !again
                .found
                .iter()
                .any(|g| g.role == f.role && as_lists(&g.trust) == as_lists(v))
        })
        .map(|(f, _)| f.role.clone())
        .collect()
}

/// A policy with every value IAM reads as a list of one written as one
/// (`"Action": "a"` is `["a"]`): a `statement` block always writes lists.
fn as_lists(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = match (k.as_str(), x) {
                        ("Version" | "Sid" | "Effect", _) => x.clone(),
                        (_, Value::String(_)) => Value::Array(vec![x.clone()]),
                        _ => as_lists(x),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(as_lists).collect()),
        other => other.clone(),
    }
}

fn hcl(text: &str, found: &Found, value: &Value, indent: &str, form: &HclForm) -> Option<String> {
    let written = match form {
        HclForm::PolicyDocument(blocks) | HclForm::Statements(blocks) => {
            return super::tf_policy_document::write(text, blocks, value, &found.originals)
        }
        HclForm::Jsonencode => {
            let expr = Expr::Call("jsonencode", Box::new(hcl_expr(value, &found.originals)));
            let text = render(&[Item::Attr("x".into(), expr)]);
            let text = text.strip_prefix("x = ").unwrap_or(&text);
            indent_rest(text.trim_end(), indent)
        }
        HclForm::Heredoc {
            delimiter,
            indented,
            interpolations,
        } => {
            let json = serde_json::to_string_pretty(value).unwrap_or_default();
            let body = template_escape(&json, interpolations);
            let (inner, close) = if *indented {
                (format!("{indent}  "), indent.to_string())
            } else {
                (String::new(), String::new())
            };
            let mut out = format!("<<{}{delimiter}\n", if *indented { "-" } else { "" });
            for line in body.lines() {
                out.push_str(&inner);
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(&close);
            out.push_str(delimiter);
            out
        }
    };
    Some(written)
}

/// Template text with every `${` and `%{` escaped (`$${`, `%%{`) but the
/// interpolations the heredoc had.
fn template_escape(text: &str, interpolations: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(kept) = interpolations.iter().find(|i| rest.starts_with(i.as_str())) {
            out.push_str(kept);
            rest = rest.get(kept.len()..).unwrap_or("");
            continue;
        }
        if (c == '$' || c == '%') && rest.get(1..).is_some_and(|r| r.starts_with('{')) {
            out.push(c);
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

fn cfn(found: &Found, value: &Value, indent: usize, json: bool, sub: bool) -> String {
    // A `Fn::Sub` with nothing left to substitute is a plain document (cfn-lint W1020).
    let sub = sub && value.to_string().contains("${");
    let doc = if sub {
        let text = serde_json::to_string_pretty(value).unwrap_or_default() + "\n";
        serde_json::json!({ "Fn::Sub": text })
    } else {
        restore(value, &found.originals)
    };
    if json {
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        return indent_rest(&text, &" ".repeat(indent));
    }
    let pad = " ".repeat(indent + 2);
    if sub {
        // A `!Sub |` block again, the JSON as its lines.
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        let mut out = " !Sub |".to_string();
        for line in text.lines() {
            out.push('\n');
            out.push_str(&pad);
            out.push_str(line);
        }
        return out;
    }
    let mut out = String::new();
    for line in crate::yaml::to_string(&doc).lines() {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::trust_file::Original;
    use super::*;

    #[test]
    fn heredoc_keeps_interpolations_and_escapes_the_rest() {
        let kept = vec!["${var.account}".to_string()];
        assert_eq!(
            template_escape("arn:${var.account} ${aws:username} %{x}", &kept),
            "arn:${var.account} $${aws:username} %%{x}"
        );
    }

    #[test]
    fn terraform_edit_replaces_only_the_expression() {
        let tf = "# keep me\nresource \"aws_iam_role\" \"a\" {\n  name               = \"a\" # and me\n  assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n}\n";
        let source = super::super::hcl_trust::read(tf);
        let found = &source.found[0];
        let value = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "${aws_iam_openid_connect_provider.eks.arn}"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-west-2.amazonaws.com/id/AAAA:sub": "system:serviceaccount:a:b"}}}]});
        let mut f = found.clone();
        f.originals.push((
            "${aws_iam_openid_connect_provider.eks.arn}".into(),
            Original::Hcl("aws_iam_openid_connect_provider.eks.arn".into()),
        ));
        let out = edit(tf, &[(&f, &value)]);
        assert!(out.starts_with("# keep me\nresource \"aws_iam_role\" \"a\" {\n  name               = \"a\" # and me\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n"), "{out}");
        assert!(
            out.contains("Federated = aws_iam_openid_connect_provider.eks.arn\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "\"oidc.eks.us-west-2.amazonaws.com/id/AAAA:sub\" = \"system:serviceaccount:a:b\""
            ),
            "{out}"
        );
        assert!(out.ends_with("  })\n}\n"), "{out}");
        assert!(hcl_edit::parser::parse_body(&out).is_ok());
        assert!(not_read_back("main.tf", &out, &[(&f, &value)]).is_empty());
        let tf_crlf = tf.replace('\n', "\r\n");
        let mut g = super::super::hcl_trust::read(&tf_crlf).found[0].clone();
        g.originals = f.originals.clone();
        assert_eq!(edit(&tf_crlf, &[(&g, &value)]), out.replace('\n', "\r\n"));
    }

    #[test]
    fn a_flow_mapping_around_the_document_is_not_handed_out() {
        let t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}, Path: /}\n";
        let source = super::super::sources::read("t.yaml", t);
        let f = &source.found[0];
        let value =
            serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]});
        let out = edit(t, &[(f, &value)]);
        assert_eq!(not_read_back("t.yaml", &out, &[(f, &value)]), ["A"]);
    }

    /// A CloudFormation role (the reader's own test has the same text).
    const CFN_YAML: &str = "Resources:\n  App:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: app\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        # the statements\n        Statement:\n          - Effect: Allow\n            Principal:\n              Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/x\n            Action: sts:AssumeRoleWithWebIdentity\n\n      Path: /\n";

    #[test]
    fn crlf_lines_stay_crlf() {
        let crlf = CFN_YAML.replace('\n', "\r\n");
        let s = super::super::sources::read("template.yaml", &crlf);
        let value = serde_json::json!({"Version": "2012-10-17", "Statement": []});
        let out = edit(&crlf, &[(&s.found[0], &value)]);
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(
            out.contains("Statement: []\r\n\r\n      Path: /\r\n"),
            "{out:?}"
        );
        // One statement more: an item added after the one kept as written.
        let mut more = s.found[0].trust.clone();
        if let Some(list) = more["Statement"].as_array_mut() {
            list.push(
                serde_json::json!({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}),
            );
        }
        let out = edit(&crlf, &[(&s.found[0], &more)]);
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(
            out.contains(
                "- Effect: Allow\r\n            Principal:\r\n              Federated: !Sub"
            ),
            "{out:?}"
        );
        assert!(
            out.contains(
                "WebIdentity\r\n          - Effect: Deny\r\n            Principal: \"*\"\r\n"
            ),
            "{out:?}"
        );
    }
}
