//! A trust in a `data "aws_iam_policy_document"` of the same file, read
//! and written as its `statement` blocks: each block the statement
//! Terraform makes of it (`sid`, `effect`, `actions`, `principals`,
//! `condition`). What the plan cannot read through (`dynamic` blocks,
//! `source_policy_documents`, `override_policy_documents`) is said (MIG060).
//! [`write()`] gives a phase's statements in any of the forms a trust's
//! statements are written in ([`Style`]: these blocks, the objects of a
//! `jsonencode` list, the items of a YAML sequence): a statement the plan
//! kept is its text as written (byte for byte), a new or changed one is
//! written as `terraform fmt` or core's YAML writer lays it out.

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use serde_json::{Map, Value};

use crate::formats::hcl::{render, Expr, Item};

use super::trust_file::{indent_at, Blocks, Original, Style};
use super::trust_text::{hcl_expr, indent_rest, restore};

/// The data source `name` of `body`: its trust and blocks, or why it is not read.
pub(super) fn read(
    text: &str,
    body: &Body,
    name: &str,
    value: &mut impl FnMut(&hcl_edit::expr::Expression) -> Value,
) -> Result<(Value, Blocks), String> {
    let block = body
        .blocks()
        .find(|b| {
            b.ident.as_str() == "data"
                && matches!(b.labels.as_slice(), [k, n] if k.as_str() == "aws_iam_policy_document" && n.as_str() == name)
        })
        .ok_or_else(|| format!("names `data.aws_iam_policy_document.{name}`, which this file does not declare: give that file, or the trust as JSON"))?;
    for unread in [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        if block.body.has_attribute(unread) {
            return Err(format!("is `data.aws_iam_policy_document.{name}`, which merges `{unread}`: migrate does not evaluate it"));
        }
    }
    if block.body.get_blocks("dynamic").next().is_some() {
        return Err(format!("is `data.aws_iam_policy_document.{name}`, whose `dynamic` blocks Terraform expands: migrate does not evaluate them"));
    }
    let mut statements = Vec::new();
    for s in block.body.get_blocks("statement") {
        let range = s.span().unwrap_or(0..0);
        statements.push((range.start, range.end, statement(s, value)));
    }
    let Some(first) = statements.first() else {
        return Err(format!(
            "is `data.aws_iam_policy_document.{name}`, which has no statement block to edit"
        ));
    };
    let indent = indent_at(text, first.0);
    let mut doc = Map::new();
    if let Some(v) = block.body.get_attribute("version") {
        doc.insert("Version".into(), value(&v.value));
    } else {
        doc.insert("Version".into(), Value::String("2012-10-17".into()));
    }
    doc.insert(
        "Statement".into(),
        Value::Array(statements.iter().map(|(_, _, s)| s.clone()).collect()),
    );
    Ok((
        Value::Object(doc),
        Blocks {
            statements,
            indent,
            style: Style::Blocks,
        },
    ))
}

/// The statement a block makes, in IAM's names.
fn statement(s: &Block, value: &mut impl FnMut(&hcl_edit::expr::Expression) -> Value) -> Value {
    let mut out = Map::new();
    for (attr, key) in [("sid", "Sid"), ("effect", "Effect")] {
        if let Some(a) = s.body.get_attribute(attr) {
            out.insert(key.into(), value(&a.value));
        }
    }
    out.entry("Effect")
        .or_insert_with(|| Value::String("Allow".into()));
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(a) = s.body.get_attribute(attr) {
            out.insert(key.into(), value(&a.value));
        }
    }
    for (blocks, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let mut by_type = Map::new();
        for p in s.body.get_blocks(blocks) {
            let kind = p.body.get_attribute("type").map(|a| value(&a.value));
            let ids = p.body.get_attribute("identifiers").map(|a| value(&a.value));
            let kind = kind
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let slot = by_type
                .entry(kind)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let (Value::Array(all), Some(Value::Array(ids))) = (slot, ids) {
                all.extend(ids);
            }
        }
        if !by_type.is_empty() {
            out.insert(key.into(), Value::Object(by_type));
        }
    }
    let mut conditions = Map::new();
    for c in s.body.get_blocks("condition") {
        let get = |k: &str| c.body.get_attribute(k).map(|a| a.value.clone());
        let (Some(test), Some(variable), Some(values)) =
            (get("test"), get("variable"), get("values"))
        else {
            continue;
        };
        let (test, variable) = (value(&test), value(&variable));
        let test = test.as_str().unwrap_or("").to_string();
        let variable = variable.as_str().unwrap_or("").to_string();
        let slot = conditions
            .entry(test)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = slot {
            keys.insert(variable, value(&values));
        }
    }
    if !conditions.is_empty() {
        out.insert("Condition".into(), Value::Object(conditions));
    }
    Value::Object(out)
}

/// The statements for a phase's: kept ones as written, with what stood
/// between them (comments, commas); new or changed ones written.
pub fn write(
    text: &str,
    blocks: &Blocks,
    trust: &Value,
    originals: &[(String, Original)],
) -> Option<String> {
    let planned: Vec<&Value> = match trust.get("Statement")? {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    if planned.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut next = 0;
    let mut last: Option<usize> = None;
    for p in planned {
        let kept = blocks
            .statements
            .iter()
            .enumerate()
            .skip(next)
            .find(|(_, (_, _, s))| s == p);
        let piece = match kept {
            Some((k, (start, end, _))) => {
                let sep = match last {
                    Some(l) if l + 1 == k => blocks
                        .statements
                        .get(l)
                        .and_then(|(_, e, _)| text.get(*e..*start)),
                    _ => None,
                };
                next = k + 1;
                last = Some(k);
                (sep.map(str::to_string), text.get(*start..*end)?.to_string())
            }
            None => {
                last = None;
                let written = match blocks.style {
                    Style::HclList => object(p, originals, &blocks.indent),
                    Style::Blocks => block(p, originals, &blocks.indent)?,
                    Style::YamlList => yaml_item(p, originals, &blocks.indent),
                };
                (None, written)
            }
        };
        if !out.is_empty() {
            let joiner = match blocks.style {
                Style::HclList => ",",
                Style::Blocks => "\n",
                Style::YamlList => "",
            };
            out.push_str(
                &piece
                    .0
                    .unwrap_or_else(|| format!("{joiner}\n{}", blocks.indent)),
            );
        }
        out.push_str(&piece.1);
    }
    Some(out)
}

/// A statement as an item of a YAML sequence, its intrinsics as they were.
fn yaml_item(stmt: &Value, originals: &[(String, Original)], indent: &str) -> String {
    let item = Value::Array(vec![restore(stmt, originals)]);
    let text = crate::yaml::to_string(&item);
    indent_rest(text.trim_end(), indent)
}

/// A statement as an HCL object (an element of a `jsonencode` list).
fn object(stmt: &Value, originals: &[(String, Original)], indent: &str) -> String {
    let text = render(&[Item::Attr("x".into(), hcl_expr(stmt, originals))]);
    let text = text
        .strip_prefix("x = ")
        .unwrap_or(&text)
        .trim_end()
        .to_string();
    indent_rest(&text, indent)
}

/// A statement as a `statement` block (None for a statement a block cannot say).
fn block(stmt: &Value, originals: &[(String, Original)], indent: &str) -> Option<String> {
    let expr = |v: &Value| hcl_expr(v, originals);
    let list = |v: &Value| match v {
        Value::Array(_) => expr(v),
        one => Expr::List(vec![expr(one)]),
    };
    const KEYS: &[&str] = &[
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
    ];
    let stmt = stmt.as_object()?;
    if stmt.keys().any(|k| !KEYS.contains(&k.as_str())) {
        return None;
    }
    let mut items = Vec::new();
    for key in KEYS {
        let Some(v) = stmt.get(*key) else { continue };
        match *key {
            "Sid" => items.push(Item::Attr("sid".into(), expr(v))),
            "Effect" => items.push(Item::Attr("effect".into(), expr(v))),
            "Action" => items.push(Item::Attr("actions".into(), list(v))),
            "NotAction" => items.push(Item::Attr("not_actions".into(), list(v))),
            "Resource" => items.push(Item::Attr("resources".into(), list(v))),
            "NotResource" => items.push(Item::Attr("not_resources".into(), list(v))),
            "Principal" | "NotPrincipal" => {
                let name = if *key == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                for (kind, ids) in v.as_object()? {
                    let inner = vec![
                        Item::Attr("type".into(), expr(&Value::String(kind.clone()))),
                        Item::Attr("identifiers".into(), list(ids)),
                    ];
                    items.push(Item::Block(name.into(), Vec::new(), inner));
                }
            }
            _ => {
                for (test, keys) in v.as_object()? {
                    for (variable, values) in keys.as_object()? {
                        let inner = vec![
                            Item::Attr("test".into(), expr(&Value::String(test.clone()))),
                            Item::Attr("variable".into(), expr(&Value::String(variable.clone()))),
                            Item::Attr("values".into(), list(values)),
                        ];
                        items.push(Item::Block("condition".into(), Vec::new(), inner));
                    }
                }
            }
        }
    }
    let text = render(&[Item::Block("statement".into(), Vec::new(), items)]);
    let mut out = String::new();
    for (i, line) in text.trim_end().lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    Some(out)
}
