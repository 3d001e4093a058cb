//! The trusts of a CloudFormation template's `AWS::IAM::Role` resources,
//! read for editing: `AssumeRolePolicyDocument` as a mapping (YAML, short
//! tags read as their long forms, or JSON) or a `Fn::Sub` JSON string, with
//! the bytes it takes, so the phase template is the same template with only
//! that document replaced. Intrinsics are never resolved: `Fn::Sub` reads as
//! its text (`${AWS::AccountId}` a placeholder), `Ref` as `${Name}`, the
//! others as a placeholder of their own, each kept as written
//! ([`Original::Json`]). A YAML document's block `Statement` sequence is
//! also read item by item, so that the items the plan keeps stay as written.

use serde_json::{Map, Value};

use crate::source::Node;

use super::codes::diagnostic;
use super::sources::{byte_at, Edit, Found, Kind, Original, Source};
use super::tf_policy_document::{Blocks, Style};

/// A template's role trusts.
pub(super) fn read(root: &Node, text: &str) -> Source {
    let mut out = Source {
        kind: Kind::CloudFormation,
        found: Vec::new(),
        diagnostics: Vec::new(),
    };
    let json = crate::source::starts_as_json(text);
    let resources = root.get("Resources").and_then(Node::as_map).unwrap_or(&[]);
    for (id, resource) in resources {
        let id = id.as_text().unwrap_or("").to_string();
        if resource.get("Type").and_then(Node::as_text) != Some("AWS::IAM::Role") {
            continue;
        }
        let Some((key, doc)) = resource
            .get("Properties")
            .and_then(|p| p.entry("AssumeRolePolicyDocument"))
        else {
            continue;
        };
        let mut names = vec![id.clone()];
        if let Some(n) = resource
            .get("Properties")
            .and_then(|p| p.get("RoleName"))
            .and_then(Node::as_str)
        {
            names.push(n.to_string());
        }
        let mut originals = Vec::new();
        let (trust, sub) = match document(&doc.to_json(), &mut originals) {
            Ok(t) => t,
            Err(why) => {
                out.diagnostics.push(
                    diagnostic(
                        "MIG060",
                        format!("the AssumeRolePolicyDocument of `{id}` {why}"),
                    )
                    .at(doc.span),
                );
                continue;
            }
        };
        let Some((start, end, indent)) = range(text, key, doc, json) else {
            continue;
        };
        let items = match json || sub {
            true => None,
            false => items(text, doc, &trust),
        };
        out.found.push(Found {
            role: id,
            names,
            trust,
            originals,
            at: doc.span,
            edit: Edit::Cfn {
                start,
                end,
                indent,
                json,
                sub,
                items,
            },
        });
    }
    out
}

/// The document as the plan reads it, and whether it was a `Fn::Sub` JSON string.
fn document(doc: &Value, originals: &mut Vec<(String, Original)>) -> Result<(Value, bool), String> {
    let (text, sub) = match doc {
        Value::Object(m) if m.len() == 1 && m.get("Fn::Sub").is_some_and(Value::is_string) => {
            (m.get("Fn::Sub").and_then(Value::as_str).unwrap_or(""), true)
        }
        Value::String(s) => (s.as_str(), false),
        Value::Object(_) => return Ok((intrinsics(doc, originals), false)),
        _ => return Err("is not a mapping or a JSON string".into()),
    };
    serde_json::from_str(text)
        .map(|v| (v, sub))
        .map_err(|e| format!("is a string that is not JSON ({e})"))
}

/// Every intrinsic of a value read as the text the plan reads it as.
fn intrinsics(v: &Value, originals: &mut Vec<(String, Original)>) -> Value {
    match v {
        Value::Array(items) => {
            Value::Array(items.iter().map(|i| intrinsics(i, originals)).collect())
        }
        Value::Object(m) => match intrinsic(m, originals.len()) {
            Some(text) => {
                originals.push((text.clone(), Original::Json(v.clone())));
                Value::String(text)
            }
            None => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), intrinsics(x, originals)))
                    .collect::<Map<String, Value>>(),
            ),
        },
        other => other.clone(),
    }
}

/// The text an intrinsic reads as: a `Fn::Sub` string's own text, `Ref`'s
/// `${Name}`, `Fn::GetAtt`'s `${Res.Attr}`, others a numbered placeholder.
fn intrinsic(m: &Map<String, Value>, n: usize) -> Option<String> {
    let (name, arg) = m.iter().next().filter(|_| m.len() == 1)?;
    if name != "Ref" && !name.starts_with("Fn::") {
        return None;
    }
    Some(match (name.as_str(), arg) {
        ("Fn::Sub", Value::String(s)) => s.clone(),
        ("Ref", Value::String(s)) => format!("${{{s}}}"),
        ("Fn::GetAtt", Value::String(s)) => format!("${{{s}}}"),
        ("Fn::GetAtt", Value::Array(parts)) => {
            let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            format!("${{{}}}", parts.join("."))
        }
        (other, _) => format!("${{{}{n}}}", other.trim_start_matches("Fn::")),
    })
}

/// The bytes the document takes and the indentation to write it at: in
/// YAML from after the key's `:` to the end of the last line indented under
/// the key; in JSON the value itself.
fn range(text: &str, key: &Node, doc: &Node, json: bool) -> Option<(usize, usize, usize)> {
    let key_at = byte_at(text, key.span.offset);
    let line_start = text.get(..key_at)?.rfind('\n').map_or(0, |i| i + 1);
    let key_indent = text.get(line_start..key_at)?.chars().count();
    if json {
        let start = byte_at(text, doc.span.offset);
        let end = json_end(text, start)?;
        let indent = text
            .get(line_start..)?
            .chars()
            .take_while(|c| *c == ' ')
            .count();
        return Some((start, end, indent));
    }
    let colon = key_at + text.get(key_at..)?.find(':')? + 1;
    let mut end = text
        .get(colon..)?
        .find('\n')
        .map_or(text.len(), |i| colon + i);
    let mut at = end;
    // A CRLF line's `\r` stays outside (the writer puts its own line ends).
    if text.get(..end).is_some_and(|t| t.ends_with('\r')) {
        end -= 1;
    }
    while at < text.len() {
        let next = at + 1;
        let line_end = text
            .get(next..)?
            .find('\n')
            .map_or(text.len(), |i| next + i);
        let line = text.get(next..line_end)?.trim_end_matches('\r');
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if !content.is_empty() && !content.starts_with('#') {
            if indent <= key_indent {
                break;
            }
            end = next + line.len();
        }
        at = line_end;
    }
    Some((colon, end, key_indent))
}

/// The items of a YAML document's block `Statement` sequence: each one's
/// bytes from its `-` to its last line (comments and blank lines after it
/// belong to what follows), with the statement the plan reads.
fn items(text: &str, doc: &Node, trust: &Value) -> Option<Blocks> {
    let seq = doc.get("Statement")?.as_seq()?;
    let values = trust.get("Statement")?.as_array()?;
    let mut statements = Vec::new();
    let mut indent = None;
    for (item, value) in seq.iter().zip(values) {
        let at = byte_at(text, item.span.offset);
        let dash = text.get(..at)?.rfind('-')?;
        let line_start = text.get(..dash)?.rfind('\n').map_or(0, |i| i + 1);
        let lead = text.get(line_start..dash)?;
        // A block item: `-` first on its line, then the item (a flow `[...]` is not one).
        if !lead.chars().all(|c| c == ' ')
            || !text.get(dash + 1..at)?.chars().all(char::is_whitespace)
        {
            return None;
        }
        if *indent.get_or_insert(lead.len()) != lead.len() {
            return None;
        }
        statements.push((dash, item_end(text, dash, lead.len()), value.clone()));
    }
    (statements.len() == seq.len() && !statements.is_empty()).then(|| Blocks {
        statements,
        indent: " ".repeat(indent.unwrap_or(0)),
        style: Style::YamlList,
    })
}

/// The end of the last line of the item whose `-` is at `dash` (column `col`).
fn item_end(text: &str, dash: usize, col: usize) -> usize {
    let mut end = text
        .get(dash..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| dash + i);
    let mut at = end;
    while at < text.len() {
        let next = at + 1;
        let line_end = text
            .get(next..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| next + i);
        let line = text
            .get(next..line_end)
            .unwrap_or("")
            .trim_end_matches('\r');
        let content = line.trim_start();
        if !content.is_empty() && !content.starts_with('#') {
            if line.len() - content.len() <= col {
                break;
            }
            end = next + line.len();
        }
        at = line_end;
    }
    if text.get(..end).is_some_and(|t| t.ends_with('\r')) {
        end -= 1;
    }
    end
}

/// The byte after the JSON value that starts at `start` (an object, array or string).
fn json_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in bytes.iter().enumerate().skip(start) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_documents, Limits};

    const YAML: &str = "Resources:\n  App:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: app\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        # the statements\n        Statement:\n          - Effect: Allow\n            Principal:\n              Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/x\n            Action: sts:AssumeRoleWithWebIdentity\n\n      Path: /\n";

    fn source(text: &str) -> Source {
        let docs = parse_documents(text, &Limits::default()).unwrap_or_default();
        let root = docs
            .into_iter()
            .next()
            .map(|d| d.root)
            .unwrap_or_else(|| crate::iac::text("", Default::default()));
        read(&root, text)
    }

    #[test]
    fn yaml_document_up_to_the_next_key() {
        let s = source(YAML);
        let [app] = s.found.as_slice() else {
            panic!("{s:?}")
        };
        assert_eq!(app.names, ["App", "app"]);
        let Edit::Cfn {
            start,
            end,
            indent,
            json: false,
            sub: false,
            items: Some(items),
        } = &app.edit
        else {
            panic!()
        };
        let (start, end, indent) = (*start, *end, *indent);
        // The one item: from its `-` past the comment above it to its last line.
        let (from, to, _) = &items.statements[0];
        assert_eq!(
            YAML.get(*from..*to)
                .map(|t| (t.starts_with("- Effect"), t.ends_with("WebIdentity"))),
            Some((true, true))
        );
        assert_eq!(indent, 6);
        let taken = YAML.get(start..end).unwrap_or("");
        assert!(
            taken.starts_with("\n        Version")
                && taken.ends_with("sts:AssumeRoleWithWebIdentity"),
            "{taken:?}"
        );
        assert_eq!(
            app.trust["Statement"][0]["Principal"]["Federated"],
            "arn:aws:iam::${AWS::AccountId}:oidc-provider/x"
        );
        assert_eq!(app.originals.len(), 1);
    }

    #[test]
    fn crlf_lines_stay_crlf() {
        let crlf = YAML.replace('\n', "\r\n");
        let s = source(&crlf);
        let value = serde_json::json!({"Version": "2012-10-17", "Statement": []});
        let out = crate::migrate::iac_edit::edit(&crlf, &[(&s.found[0], &value)]);
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
        let out = crate::migrate::iac_edit::edit(&crlf, &[(&s.found[0], &more)]);
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

    #[test]
    fn json_document_is_its_brackets() {
        let t = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "a}"}]}, "Path": "/"}}}}"#;
        let s = source(t);
        let Edit::Cfn {
            start,
            end,
            json: true,
            ..
        } = s.found[0].edit
        else {
            panic!("{s:?}")
        };
        assert_eq!(
            t.get(start..end),
            Some(r#"{"Version": "2012-10-17", "Statement": [{"Sid": "a}"}]}"#)
        );
    }
}
