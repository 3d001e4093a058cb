//! HCL (hcl-edit's located syntax tree) turned into `source::Node` trees:
//! literals as they are, objects and lists as mappings and sequences, and
//! every expression Terraform evaluates (`var.x`, `module.eks.oidc_provider`,
//! `replace(...)`) as a `${...}` placeholder of its own source text. A string
//! template keeps its literal parts: `"${local.oidc}:sub"` stays that text.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span as HasSpan;

use super::lines::Lines;
use super::{map, seq, text};
use crate::source::{Node, Scalar, Span, Value};

/// hcl-edit's spans (byte ranges) read as located nodes.
pub(super) struct Locator<'t> {
    pub lines: &'t Lines<'t>,
    /// References the file itself defines, with the text they stand for
    /// (`data.aws_iam_openid_connect_provider.x.arn` and the provider ARN of
    /// its literal `url`, its partition and account placeholders).
    pub known: Vec<(String, String)>,
}

impl<'t> Locator<'t> {
    pub fn new(lines: &'t Lines<'t>) -> Self {
        Locator {
            lines,
            known: Vec::new(),
        }
    }

    /// The span of a byte offset.
    pub fn at(&self, byte: usize) -> Span {
        self.lines.at(byte)
    }

    /// Where a parsed element starts.
    pub fn of(&self, x: &impl HasSpan) -> Span {
        self.at(x.span().map_or(0, |r| r.start))
    }

    /// The source text of a parsed element.
    pub fn source(&self, x: &impl HasSpan) -> &'t str {
        x.span()
            .and_then(|r| self.lines.text.get(r))
            .unwrap_or("")
            .trim()
    }

    /// An expression as a located node.
    pub fn node(&self, e: &Expression) -> Node {
        let span = self.of(e);
        let scalar = |value: Scalar, raw: String| Node {
            value: Value::Scalar { value, raw },
            span,
        };
        match e {
            Expression::Null(_) => scalar(Scalar::Null, "null".into()),
            Expression::Bool(b) => scalar(Scalar::Bool(*b.value()), b.value().to_string()),
            Expression::Number(n) => {
                let raw = n.value().to_string();
                match serde_json::from_str(&raw) {
                    Ok(num) => scalar(Scalar::Number(num), raw),
                    Err(_) => text(raw, span),
                }
            }
            Expression::String(s) => text(s.value().clone(), inside(span)),
            Expression::Array(items) => seq(items.iter().map(|i| self.node(i)).collect(), span),
            Expression::Object(o) => map(
                o.iter()
                    .map(|(k, v)| (self.key(k), self.node(v.expr())))
                    .collect(),
                span,
            ),
            Expression::StringTemplate(t) => text(self.template(t), inside(span)),
            Expression::Parenthesis(p) => self.node(p.inner()),
            Expression::FuncCall(f)
                if matches!(f.name.name.as_str(), "tolist" | "toset") && f.args.len() == 1 =>
            {
                f.args
                    .iter()
                    .next()
                    .map_or_else(|| self.opaque(e), |a| self.node(a))
            }
            _ => self.opaque(e),
        }
    }

    /// An object key: an identifier, a string, or an expression's placeholder.
    fn key(&self, k: &ObjectKey) -> Node {
        match k {
            ObjectKey::Ident(id) => text(id.as_str(), self.of(id)),
            ObjectKey::Expression(e) => {
                let n = self.node(e);
                match n.as_text() {
                    Some(_) => n,
                    None => self.opaque(e),
                }
            }
        }
    }

    /// An expression Terraform evaluates: `${source}`, or what a reference
    /// the file defines stands for ([`Locator::known`]).
    pub fn opaque(&self, e: &impl HasSpan) -> Node {
        let source = self.source(e);
        match self.known.iter().find(|(r, _)| r == source) {
            Some((_, value)) => text(value.clone(), self.of(e)),
            None => text(format!("${{{source}}}"), self.of(e)),
        }
    }

    /// A string template's text: literals kept, each interpolation a
    /// placeholder of its source; a directive (`%{ if }`) makes the whole
    /// string one placeholder.
    pub fn template(&self, t: &Template) -> String {
        let mut out = String::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => {
                    out.push_str("${");
                    out.push_str(self.source(&i.expr));
                    out.push('}');
                }
                Element::Directive(_) => return format!("${{{}}}", self.source(t)),
            }
        }
        out
    }
}

/// A quoted string's span moved past its opening quote, to its first character.
fn inside(span: Span) -> Span {
    Span {
        column: span.column + 1,
        offset: span.offset + 1,
        ..span
    }
}

/// The literal string of an expression, if it is one.
pub(super) fn literal(e: &Expression) -> Option<&str> {
    match e {
        Expression::String(s) => Some(s.value().as_str()),
        _ => None,
    }
}
