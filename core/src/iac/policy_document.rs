//! `data "aws_iam_policy_document"` as the JSON policy Terraform renders it
//! to: `version` (default `2012-10-17`), one statement per `statement`
//! block (`sid`, `effect` default `Allow`, `actions`, `not_actions`,
//! `resources`, `not_resources`), `principals`/`not_principals` blocks as
//! `Principal`/`NotPrincipal` by `type`, and `condition` blocks as
//! `Condition: {test: {variable: values}}` (blocks of one test and variable
//! share the entry). A document merged with others (`source_policy_documents`,
//! `override_policy_documents`) or made by `dynamic` blocks is said, not
//! guessed: the statements written are not the whole policy.

use hcl_edit::structure::Block;

use super::hcl::Locator;
use super::{map, seq, text, Reading};
use crate::source::{Node, Span};

/// Attributes that merge other documents into this one.
const MERGED: &[&str] = &[
    "source_policy_documents",
    "override_policy_documents",
    "source_json",
    "override_json",
];

/// Statement attributes and the policy elements they render as.
const ELEMENTS: &[(&str, &str)] = &[
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
];

pub(super) fn read(loc: &Locator<'_>, name: &str, block: &Block, r: &mut Reading) {
    let id = format!("data.aws_iam_policy_document.{name}");
    let span = loc.of(block);
    if let Some(a) = MERGED.iter().find_map(|k| block.body.get_attribute(k)) {
        r.unread(
            loc.of(a),
            format!(
                "`{id}` merges `{}` into the statements written here: not checked",
                a.key.as_str()
            ),
        );
        return;
    }
    if block
        .body
        .get_blocks("dynamic")
        .any(|d| d.labels.first().is_some_and(|l| l.as_str() == "statement"))
    {
        r.unread(span, format!("`{id}` makes statements with a `dynamic` block, from values check does not evaluate: not checked"));
        return;
    }
    let version = block
        .body
        .get_attribute("version")
        .map_or_else(|| text("2012-10-17", span), |a| loc.node(&a.value));
    let statements: Vec<Node> = block
        .body
        .get_blocks("statement")
        .map(|s| statement(loc, s))
        .collect();
    r.push(map(
        vec![
            (text("Version", span), version),
            (text("Statement", span), seq(statements, span)),
        ],
        span,
    ));
}

fn statement(loc: &Locator<'_>, s: &Block) -> Node {
    let span = loc.of(s);
    let mut entries: Vec<(Node, Node)> = ELEMENTS
        .iter()
        .filter_map(|(tf, iam)| {
            let a = s.body.get_attribute(tf)?;
            Some((text(*iam, loc.of(&a.key)), loc.node(&a.value)))
        })
        .collect();
    if s.body.get_attribute("effect").is_none() {
        entries.push((text("Effect", span), text("Allow", span)));
    }
    for (tf, iam) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(p) = principals(loc, s, tf) {
            entries.push((text(iam, p.span), p));
        }
    }
    if let Some(c) = conditions(loc, s) {
        entries.push((text("Condition", c.span), c));
    }
    map(entries, span)
}

/// `principals` blocks by `type`: `{type: identifiers}` (`*` for type `*`).
fn principals(loc: &Locator<'_>, s: &Block, ident: &str) -> Option<Node> {
    let blocks: Vec<&Block> = s.body.get_blocks(ident).collect();
    let first = blocks.first()?;
    let mut by_type: Vec<(Node, Vec<Node>)> = Vec::new();
    for b in &blocks {
        let (Some(t), Some(ids)) = (
            b.body.get_attribute("type"),
            b.body.get_attribute("identifiers"),
        ) else {
            continue;
        };
        let kind = loc.node(&t.value);
        let kind_text = kind.as_text().unwrap_or("").to_string();
        if kind_text == "*" {
            return Some(text("*", loc.of(*b)));
        }
        let values = list(loc.node(&ids.value));
        match by_type
            .iter_mut()
            .find(|(k, _)| k.as_text() == Some(&kind_text))
        {
            Some((_, v)) => v.extend(values),
            None => by_type.push((kind, values)),
        }
    }
    let span = loc.of(*first);
    Some(map(
        by_type
            .into_iter()
            .map(|(k, v)| (k, seq_at(v, span)))
            .collect(),
        span,
    ))
}

/// The condition keys of one operator, each with its values, in order.
type Keys = Vec<(Node, Vec<Node>)>;

/// `condition` blocks as `{test: {variable: values}}`.
fn conditions(loc: &Locator<'_>, s: &Block) -> Option<Node> {
    let blocks: Vec<&Block> = s.body.get_blocks("condition").collect();
    let first = blocks.first()?;
    let mut tests: Vec<(Node, Keys)> = Vec::new();
    for b in &blocks {
        let attr = |k: &str| b.body.get_attribute(k).map(|a| loc.node(&a.value));
        let (Some(test), Some(variable), Some(values)) =
            (attr("test"), attr("variable"), attr("values"))
        else {
            continue;
        };
        let i = match tests
            .iter()
            .position(|(t, _)| t.as_text() == test.as_text())
        {
            Some(i) => i,
            None => {
                tests.push((test, Vec::new()));
                tests.len() - 1
            }
        };
        let Some((_, keys)) = tests.get_mut(i) else {
            continue;
        };
        match keys
            .iter_mut()
            .find(|(v, _)| v.as_text() == variable.as_text())
        {
            Some((_, vs)) => vs.extend(list(values)),
            None => keys.push((variable, list(values))),
        }
    }
    let span = loc.of(*first);
    Some(map(
        tests
            .into_iter()
            .map(|(t, keys)| {
                let s = t.span;
                let keys = keys.into_iter().map(|(k, v)| (k, seq_at(v, s))).collect();
                (t, map(keys, s))
            })
            .collect(),
        span,
    ))
}

/// The items of a list node, or the node itself (an expression's placeholder).
fn list(n: Node) -> Vec<Node> {
    match n.value {
        crate::source::Value::Seq(items) => items,
        _ => vec![n],
    }
}

fn seq_at(items: Vec<Node>, fallback: Span) -> Node {
    let span = items.first().map_or(fallback, |i| i.span);
    seq(items, span)
}
