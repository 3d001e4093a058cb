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

use super::sources::{indent_at, Original};

/// The statements of a trust as written: a data source's `statement`
/// blocks, or the objects of a `jsonencode` trust's `Statement` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocks {
    /// Each one's bytes (`start..end`) and the statement it makes.
    pub statements: Vec<(usize, usize, Value)>,
    /// Their indentation.
    pub indent: String,
    /// How they are written.
    pub style: Style,
}

/// How a trust's statements are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `statement { ... }` blocks of a data source.
    Blocks,
    /// Objects of an HCL list, joined by `,`.
    HclList,
    /// Items of a YAML block sequence (`- Effect: ...`).
    YamlList,
}

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
    let item = Value::Array(vec![super::iac_edit::restore(stmt, originals)]);
    let text = crate::yaml::to_string(&item);
    super::iac_edit::indent_rest(text.trim_end(), indent)
}

/// A statement as an HCL object (an element of a `jsonencode` list).
fn object(stmt: &Value, originals: &[(String, Original)], indent: &str) -> String {
    let text = render(&[Item::Attr(
        "x".into(),
        super::iac_edit::hcl_expr(stmt, originals),
    )]);
    let text = text
        .strip_prefix("x = ")
        .unwrap_or(&text)
        .trim_end()
        .to_string();
    super::iac_edit::indent_rest(&text, indent)
}

/// A statement as a `statement` block (None for a statement a block cannot say).
fn block(stmt: &Value, originals: &[(String, Original)], indent: &str) -> Option<String> {
    let expr = |v: &Value| super::iac_edit::hcl_expr(v, originals);
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

#[cfg(test)]
mod tests {
    use crate::migrate::from_file::{plan_file, Request};
    use crate::migrate::Direction;

    const TF: &str = "data \"aws_iam_policy_document\" \"trust\" {\n  # prod\n  statement {\n    actions = [\"sts:AssumeRoleWithWebIdentity\"]\n    principals {\n      type        = \"Federated\"\n      identifiers = [\"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/AAAA\"]\n    }\n    condition {\n      test     = \"StringEquals\"\n      variable = \"oidc.eks.us-west-2.amazonaws.com/id/AAAA:sub\"\n      values   = [\"system:serviceaccount:a:b\"]\n    }\n  }\n\n  statement { # other\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"AWS\"\n      identifiers = [var.admin]\n    }\n  }\n}\n\nresource \"aws_iam_role\" \"a\" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n";

    #[test]
    fn kept_blocks_as_written_new_ones_appended_removed_ones_gone() {
        let req = Request {
            direction: Direction::ToPodIdentity,
            issuer: "https://oidc.eks.us-west-2.amazonaws.com/id/AAAA",
            cluster_arn: Some("arn:aws:eks:us-west-2:111122223333:cluster/prod"),
            role: None,
        };
        let plan = plan_file("main.tf", TF, &req);
        let text = |p: &str| {
            plan.files
                .iter()
                .find(|f| f.path == p)
                .map(|f| f.text.clone())
                .unwrap_or_default()
        };
        let (one, three) = (text("phase-1/main.tf"), text("phase-3/main.tf"));
        // Phase 1: every block as it was, the Pod Identity block after them.
        let end = TF.find("\n}\n\nresource").unwrap_or(0);
        assert!(one.starts_with(TF.get(..end).unwrap_or("")), "{one}");
        assert!(one.contains("  }\n\n  statement {\n    effect  = \"Allow\"\n    actions = [\"sts:AssumeRole\", \"sts:TagSession\"]\n    principals {"), "{one}");
        // Phase 3: prod's block gone, the other kept with its comment and its reference.
        assert!(
            !three.contains("oidc-provider")
                && three.contains("statement { # other")
                && three.contains("identifiers = [var.admin]"),
            "{three}"
        );
        assert!(three.contains("pods.eks.amazonaws.com"), "{three}");
    }
}
