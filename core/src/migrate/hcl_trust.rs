//! The trusts of a Terraform file's `aws_iam_role` resources, read for
//! editing: `assume_role_policy` as `jsonencode({...})`, a heredoc, a JSON
//! string or a `data "aws_iam_policy_document"` of the file
//! (`tf_policy_document.rs`), with the bytes and form of what is edited, so
//! the phase file is the same file with only that replaced. hcl-edit parses (as
//! `iac::terraform` does); every value Terraform computes (`var.x`,
//! `aws_iam_openid_connect_provider.eks.arn`, `"${local.oidc}:sub"`) is read
//! as a `${...}` placeholder and kept as its source text ([`Original::Hcl`]),
//! never resolved: what the plan needs of it is said (MIG060).

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span as _;
use serde_json::{Map, Value};

use super::codes::diagnostic;
use super::sources::{indent_at, span_at, Edit, Found, HclForm, Kind, Original, Source};

/// A file's role trusts.
pub(super) fn read(text: &str) -> Source {
    let mut out = Source {
        kind: Kind::Terraform,
        found: Vec::new(),
        diagnostics: Vec::new(),
    };
    // Core's Terraform reader first: its size and nesting limits hold
    // before hcl-edit's recursive parser sees the text.
    if let Err(crate::iac::terraform::NotRead::Limit(e)) =
        crate::iac::terraform::read(text, &crate::source::Limits::default())
    {
        out.diagnostics
            .push(diagnostic("MIG060", format!("the file is not read: {e}")).at(e.span()));
        return out;
    }
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(b) => b,
        Err(e) => {
            let at = span_at(text, e.location().offset().min(text.len()));
            out.diagnostics.push(
                diagnostic(
                    "MIG060",
                    format!("the file is not valid Terraform ({})", e.message()),
                )
                .at(at),
            );
            return out;
        }
    };
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        if let ("resource", ["aws_iam_role", name]) = (block.ident.as_str(), labels.as_slice()) {
            role(text, &body, name, block, &mut out);
        }
    }
    shared_documents(&mut out);
    out
}

/// Roles whose trust is one data source: its blocks are edited once, so
/// none of them is (MIG060).
fn shared_documents(out: &mut Source) {
    let start = |f: &Found| match &f.edit {
        Edit::Hcl {
            start,
            form: HclForm::PolicyDocument(_),
            ..
        } => Some(*start),
        _ => None,
    };
    let starts: Vec<Option<usize>> = out.found.iter().map(start).collect();
    let shared = |s: &Option<usize>| s.is_some() && starts.iter().filter(|x| *x == s).count() > 1;
    let (keep, drop): (Vec<Found>, Vec<Found>) = std::mem::take(&mut out.found)
        .into_iter()
        .partition(|f| !shared(&start(f)));
    out.found = keep;
    for f in drop {
        out.diagnostics.push(
            diagnostic(
                "MIG060",
                format!("the `assume_role_policy` of `{}` is a policy document data source other roles use too: editing it would move them all; give each role its own data source, or the trust as JSON", f.role),
            )
            .at(f.at),
        );
    }
}

/// One `aws_iam_role`'s trust, or what says why it is not read.
fn role(text: &str, body: &Body, label: &str, block: &Block, out: &mut Source) {
    let address = format!("aws_iam_role.{label}");
    let Some(attr) = block.body.get_attribute("assume_role_policy") else {
        return;
    };
    let e = &attr.value;
    let range = e.span().unwrap_or(0..0);
    let at = span_at(text, range.start);
    let source = text.get(range.clone()).unwrap_or("").trim();
    let mut names = vec![label.to_string(), address.clone()];
    if let Some(Expression::String(s)) = block.body.get_attribute("name").map(|a| &a.value) {
        names.push(s.value().to_string());
    }
    let mut reader = Reader {
        text,
        originals: Vec::new(),
        computed_keys: Vec::new(),
    };
    let not_read = |why: String| {
        diagnostic(
            "MIG060",
            format!("the `assume_role_policy` of `{address}` {why}"),
        )
        .at(at)
    };
    let read = match e {
        Expression::FuncCall(f) if f.name.name.as_str() == "jsonencode" => {
            match f.args.iter().next() {
                Some(arg @ Expression::Object(o)) => {
                    let trust = reader.value(arg);
                    let form = statements(text, o, &mut reader)
                        .map_or(HclForm::Jsonencode, HclForm::Statements);
                    Ok((trust, form))
                }
                _ => Err(not_read(format!(
                    "is `{source}`, the JSON of an expression migrate does not evaluate"
                ))),
            }
        }
        Expression::HeredocTemplate(h) => {
            let indented = source.starts_with("<<-");
            reader.json(&h.template, h.delimiter.as_str(), indented)
        }
        .map_err(not_read),
        Expression::StringTemplate(t) => reader.json(t, "EOF", true).map_err(not_read),
        Expression::String(s) => serde_json::from_str(s.value())
            .map(|v| (v, heredoc("EOF", true, Vec::new())))
            .map_err(|e| not_read(format!("is a string that is not JSON ({e})"))),
        Expression::Traversal(_) if source.starts_with("data.aws_iam_policy_document.") => {
            let name = source
                .trim_start_matches("data.aws_iam_policy_document.")
                .trim_end_matches(".json");
            let mut value = |e: &Expression| reader.value(e);
            super::tf_policy_document::read(text, body, name, &mut value)
                .map(|(trust, blocks)| (trust, HclForm::PolicyDocument(blocks)))
                .map_err(not_read)
        }
        _ => Err(not_read(format!(
            "is `{source}`, an expression migrate does not evaluate"
        ))),
    };
    match read {
        Ok(_) if !reader.computed_keys.is_empty() => out.diagnostics.push(not_read(format!(
            "has keys Terraform computes ({}): migrate cannot write them back as they are",
            reader.computed_keys.join(", ")
        ))),
        Ok((trust, form)) => {
            // A data source's blocks are edited, not the reference to it;
            // a jsonencode trust's statements, not the whole trust.
            let (start, end) = match &form {
                HclForm::PolicyDocument(b) | HclForm::Statements(b) => (
                    b.statements.first().map_or(0, |s| s.0),
                    b.statements.last().map_or(0, |s| s.1),
                ),
                _ => (range.start, range.end),
            };
            out.found.push(Found {
                role: address,
                names,
                trust,
                originals: reader.originals,
                at,
                edit: Edit::Hcl {
                    start,
                    end,
                    indent: indent_at(text, start),
                    form,
                },
            });
        }
        Err(d) => out.diagnostics.push(d),
    }
}

/// The objects of a trust's literal `Statement` list, with their bytes.
fn statements(
    text: &str,
    trust: &hcl_edit::expr::Object,
    reader: &mut Reader<'_>,
) -> Option<super::tf_policy_document::Blocks> {
    let (_, list) = trust.iter().find(|(k, _)| match k {
        ObjectKey::Ident(id) => id.as_str() == "Statement",
        ObjectKey::Expression(Expression::String(s)) => s.value() == "Statement",
        ObjectKey::Expression(_) => false,
    })?;
    let Expression::Array(items) = list.expr() else {
        return None;
    };
    let mut statements = Vec::new();
    for item in items.iter() {
        let Expression::Object(_) = item else {
            return None;
        };
        let range = item.span()?;
        statements.push((range.start, range.end, reader.value(item)));
    }
    let first = statements.first()?.0;
    Some(super::tf_policy_document::Blocks {
        statements,
        indent: indent_at(text, first),
        style: super::tf_policy_document::Style::HclList,
    })
}

fn heredoc(delimiter: &str, indented: bool, interpolations: Vec<String>) -> HclForm {
    HclForm::Heredoc {
        delimiter: delimiter.to_string(),
        indented,
        interpolations,
    }
}

/// HCL expressions read as JSON values, recording what is kept as written.
struct Reader<'t> {
    text: &'t str,
    originals: Vec<(String, Original)>,
    /// Object keys that are expressions (`"${local.oidc}:sub" = ...`).
    computed_keys: Vec<String>,
}

impl Reader<'_> {
    fn source(&self, x: &impl hcl_edit::Span) -> String {
        x.span()
            .and_then(|r| self.text.get(r))
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// A value computed by Terraform: its placeholder, its source kept.
    fn kept(&mut self, placeholder: String, source: String) -> Value {
        self.originals
            .push((placeholder.clone(), Original::Hcl(source)));
        Value::String(placeholder)
    }

    fn value(&mut self, e: &Expression) -> Value {
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => serde_json::from_str(&n.value().to_string())
                .unwrap_or_else(|_| Value::String(n.value().to_string())),
            Expression::String(s) => Value::String(s.value().to_string()),
            Expression::Array(items) => Value::Array(items.iter().map(|i| self.value(i)).collect()),
            Expression::Object(o) => {
                let mut map = Map::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                        ObjectKey::Expression(other) => {
                            let s = self.source(other);
                            self.computed_keys.push(format!("`{s}`"));
                            s
                        }
                    };
                    let value = self.value(v.expr());
                    map.insert(key, value);
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => {
                let text = self
                    .template(t)
                    .unwrap_or_else(|| format!("${{{}}}", self.source(t)));
                let source = self.source(e);
                self.kept(text, source)
            }
            Expression::Parenthesis(p) => self.value(p.inner()),
            other => {
                let source = self.source(other);
                self.kept(format!("${{{source}}}"), source)
            }
        }
    }

    /// A template's text (literals decoded, each interpolation `${source}`);
    /// None with a directive (`%{ if }`).
    fn template(&self, t: &Template) -> Option<String> {
        let mut out = String::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => {
                    out.push_str("${");
                    out.push_str(&self.source(&i.expr));
                    out.push('}');
                }
                Element::Directive(_) => return None,
            }
        }
        Some(out)
    }

    /// A heredoc or string template of JSON: its text parsed, the
    /// interpolations kept for writing back.
    fn json(
        &self,
        t: &Template,
        delimiter: &str,
        indented: bool,
    ) -> Result<(Value, HclForm), String> {
        let Some(text) = self.template(t) else {
            return Err(
                "has a template directive (`%{ ... }`): migrate does not evaluate it".into(),
            );
        };
        let interpolations: Vec<String> = t
            .iter()
            .filter_map(|el| match el {
                Element::Interpolation(i) => Some(format!("${{{}}}", self.source(&i.expr))),
                _ => None,
            })
            .collect();
        match serde_json::from_str(&text) {
            Ok(v) => Ok((v, heredoc(delimiter, indented, interpolations))),
            Err(e) if interpolations.is_empty() => Err(format!("is not JSON ({e})")),
            Err(e) => Err(format!(
                "is JSON only once Terraform fills its interpolations ({}; {e})",
                interpolations.join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TF: &str = r#"# roles
resource "aws_iam_role" "app" {
  name = "app-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}

resource "aws_iam_role" "doc" {
  assume_role_policy = <<-EOF
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${var.account}:root"}, "Action": "sts:AssumeRole"}]}
  EOF
}
"#;

    #[test]
    fn jsonencode_and_heredoc_with_their_spans() {
        let s = read(TF);
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        let [app, doc] = s.found.as_slice() else {
            panic!("{:?}", s.found)
        };
        assert_eq!(app.names, ["app", "aws_iam_role.app", "app-role"]);
        let Edit::Hcl { start, end, .. } = &app.edit else {
            panic!()
        };
        // A literal Statement list: its objects are what is edited.
        let expr = TF.get(*start..*end).unwrap_or("");
        assert!(
            expr.starts_with("{\n      Effect") && expr.ends_with('}'),
            "{expr}"
        );
        assert_eq!(
            app.trust["Statement"][0]["Principal"]["Federated"],
            "${aws_iam_openid_connect_provider.eks.arn}"
        );
        let Edit::Hcl {
            start, end, form, ..
        } = &doc.edit
        else {
            panic!()
        };
        let expr = TF.get(*start..*end).unwrap_or("");
        assert!(
            expr.starts_with("<<-EOF") && expr.trim_end().ends_with("EOF"),
            "{expr:?}"
        );
        assert!(
            matches!(form, HclForm::Heredoc { indented: true, interpolations, .. } if interpolations == &["${var.account}"])
        );
    }

    #[test]
    fn nesting_past_the_limit_is_said_not_parsed() {
        let deep = format!(
            "locals {{\n  x = {}{}\n}}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let s = read(&deep);
        assert_eq!(s.diagnostics.len(), 1);
        assert!(
            s.diagnostics[0].message.contains("nesting depth"),
            "{:?}",
            s.diagnostics
        );
    }

    #[test]
    fn expressions_and_data_sources_are_said() {
        let s = read("resource \"aws_iam_role\" \"a\" {\n  assume_role_policy = data.aws_iam_policy_document.elsewhere.json\n}\nresource \"aws_iam_role\" \"b\" {\n  assume_role_policy = jsonencode(local.trust)\n}\n");
        assert!(s.found.is_empty());
        let codes: Vec<&str> = s.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MIG060", "MIG060"]);
        assert!(s.diagnostics[1].message.contains("jsonencode(local.trust)"));
    }
}
