//! A small HCL (Terraform) writer: a tree of blocks, attributes and
//! expressions rendered the way `terraform fmt` lays them out: two-space
//! indentation, and the `=` of consecutive one-line attributes aligned (an
//! attribute whose value opens a multi-line bracket, a blank line or a comment
//! ends the run, as in hclwrite).

/// An HCL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A quoted string, escaped by [`string`].
    Str(String),
    /// A reference or call written by irsa-gen (`aws_iam_role.x.arn`), never user data.
    Raw(String),
    /// A list of scalars, on one line.
    List(Vec<Expr>),
    /// An object constructor, one item per line.
    Object(Vec<(String, Expr)>),
    /// A call around one expression: `jsonencode({...})`.
    Call(&'static str, Box<Expr>),
}

impl Expr {
    /// A string expression.
    pub fn str(s: impl Into<String>) -> Expr {
        Expr::Str(s.into())
    }

    /// The HCL expression of a JSON value, as `jsonencode` turns it back into
    /// the same JSON: objects keep their key order.
    pub fn from_json(v: &serde_json::Value) -> Expr {
        use serde_json::Value;
        match v {
            Value::Null => Expr::Raw("null".into()),
            Value::Bool(b) => Expr::Raw(b.to_string()),
            Value::Number(n) => Expr::Raw(n.to_string()),
            Value::String(s) => Expr::Str(s.clone()),
            Value::Array(items) => Expr::List(items.iter().map(Expr::from_json).collect()),
            Value::Object(map) => Expr::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Expr::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// True when the expression spans several lines.
    fn multiline(&self) -> bool {
        match self {
            Expr::Str(_) | Expr::Raw(_) => false,
            Expr::List(items) => items.iter().any(Expr::multiline),
            Expr::Object(items) => !items.is_empty(),
            Expr::Call(_, arg) => arg.multiline(),
        }
    }
}

/// A body item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `name = expr`
    Attr(String, Expr),
    /// `type "label" ... { items }`
    Block(String, Vec<String>, Vec<Item>),
    /// An empty line.
    Blank,
    /// `# text` (control characters become spaces).
    Comment(String),
}

/// Escapes a string into a quoted HCL string literal: `\` `"` and control
/// characters are escaped, and the template sequences `${` and `%{` are
/// written `$${` and `%%{` so that Terraform keeps them literal.
///
/// ```
/// use irsa_core::formats::hcl::string;
/// assert_eq!(string(r#"a "b" ${c} %{d}"#), r#""a \"b\" $${c} %%{d}""#);
/// ```
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Printable ASCII with nothing to escape (most values) goes in as it is.
    let plain = |b: u8| (b' '..0x7f).contains(&b) && !matches!(b, b'\\' | b'"' | b'$' | b'%');
    if s.bytes().all(plain) {
        out.push_str(s);
        out.push('"');
        return out;
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// True for a name HCL reads as an identifier (and not a keyword that would
/// change what an object constructor means).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(s, "true" | "false" | "null" | "for" | "in" | "if")
}

/// A block label or resource name made from free text: invalid characters
/// become `_`, and a leading digit gets a `_` before it.
pub fn label(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn key(k: &str) -> String {
    if is_identifier(k) {
        k.to_string()
    } else {
        string(k)
    }
}

/// One output line: indentation, the part before `=`, and the rest.
struct Line {
    indent: usize,
    lead: String,
    assign: Option<String>,
}

/// Renders a body.
pub fn render(items: &[Item]) -> String {
    let mut lines = Vec::new();
    body(items, 0, &mut lines);
    // Align `=` over runs of consecutive one-line attributes.
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let run_end = lines
            .iter()
            .skip(i)
            .position(|l| l.assign.is_none())
            .map_or(lines.len(), |n| i + n);
        if run_end == i {
            if let Some(l) = lines.get(i) {
                push_line(&mut out, l, 0);
            }
            i += 1;
            continue;
        }
        let run = lines.get(i..run_end).unwrap_or_default();
        let width = run
            .iter()
            .map(|l| l.indent * 2 + l.lead.chars().count())
            .max()
            .unwrap_or(0);
        for l in run {
            push_line(&mut out, l, width);
        }
        i = run_end;
    }
    out
}

fn push_line(out: &mut String, l: &Line, width: usize) {
    let pad = "  ".repeat(l.indent);
    out.push_str(&pad);
    out.push_str(&l.lead);
    if let Some(rest) = &l.assign {
        let used = l.indent * 2 + l.lead.chars().count();
        out.push_str(&" ".repeat(width.saturating_sub(used) + 1));
        out.push_str("= ");
        out.push_str(rest);
    }
    out.push('\n');
}

fn line(lines: &mut Vec<Line>, indent: usize, text: String) {
    lines.push(Line {
        indent,
        lead: text,
        assign: None,
    });
}

fn body(items: &[Item], indent: usize, lines: &mut Vec<Line>) {
    for item in items {
        match item {
            Item::Blank => line(lines, 0, String::new()),
            Item::Comment(c) => {
                let clean: String = c
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                line(lines, indent, format!("# {clean}"));
            }
            Item::Block(kind, labels, inner) => {
                let mut head = kind.clone();
                for l in labels {
                    head.push(' ');
                    head.push_str(&string(l));
                }
                line(lines, indent, format!("{head} {{"));
                body(inner, indent + 1, lines);
                line(lines, indent, "}".into());
            }
            Item::Attr(name, value) => assignment(&key(name), value, indent, lines),
        }
    }
}

/// `lead = value`, on one line or opening a multi-line value.
fn assignment(lead: &str, value: &Expr, indent: usize, lines: &mut Vec<Line>) {
    if value.multiline() {
        let mut open = format!("{lead} = ");
        let close = expr_open(value, &mut open);
        line(lines, indent, open);
        expr_inner(value, indent + 1, lines);
        line(lines, indent, close);
    } else {
        lines.push(Line {
            indent,
            lead: lead.to_string(),
            assign: Some(inline(value)),
        });
    }
}

/// A one-line expression.
fn inline(e: &Expr) -> String {
    match e {
        Expr::Str(s) => string(s),
        Expr::Raw(r) => r.clone(),
        Expr::List(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Expr::Object(_) => "{}".into(),
        Expr::Call(f, arg) => format!("{f}({})", inline(arg)),
    }
}

/// Writes the opening of a multi-line expression and returns its closing.
fn expr_open(e: &Expr, open: &mut String) -> String {
    match e {
        Expr::Call(f, arg) => {
            open.push_str(f);
            open.push('(');
            let close = expr_open(arg, open);
            format!("{close})")
        }
        Expr::List(_) => {
            open.push('[');
            "]".into()
        }
        _ => {
            open.push('{');
            "}".into()
        }
    }
}

/// The lines inside a multi-line expression.
fn expr_inner(e: &Expr, indent: usize, lines: &mut Vec<Line>) {
    match e {
        Expr::Call(_, arg) => expr_inner(arg, indent, lines),
        Expr::Object(items) => {
            for (k, v) in items {
                assignment(&key(k), v, indent, lines);
            }
        }
        Expr::List(items) => {
            for item in items {
                if item.multiline() {
                    let mut open = String::new();
                    let close = expr_open(item, &mut open);
                    line(lines, indent, open);
                    expr_inner(item, indent + 1, lines);
                    line(lines, indent, format!("{close},"));
                } else {
                    line(lines, indent, format!("{},", inline(item)));
                }
            }
        }
        Expr::Str(_) | Expr::Raw(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_like_terraform_fmt() {
        let doc = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Sid": "", "Principal": {"Service": "ec2.amazonaws.com"}}]
        });
        let items = vec![Item::Block(
            "resource".into(),
            vec!["aws_iam_role".into(), "test_role".into()],
            vec![
                Item::Attr("name".into(), Expr::str("test_role")),
                Item::Blank,
                Item::Attr(
                    "assume_role_policy".into(),
                    Expr::Call("jsonencode", Box::new(Expr::from_json(&doc))),
                ),
                Item::Blank,
                Item::Attr(
                    "tags".into(),
                    Expr::Object(vec![("tag-key".into(), Expr::str("tag-value"))]),
                ),
            ],
        )];
        // The example of the aws_iam_role documentation, as terraform fmt leaves it.
        let want = r#"resource "aws_iam_role" "test_role" {
  name = "test_role"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = "sts:AssumeRole"
        Effect = "Allow"
        Sid    = ""
        Principal = {
          Service = "ec2.amazonaws.com"
        }
      },
    ]
  })

  tags = {
    tag-key = "tag-value"
  }
}
"#;
        assert_eq!(render(&items), want);
    }

    #[test]
    fn escapes() {
        assert_eq!(string("a\nb\\c"), r#""a\nb\\c""#);
        assert_eq!(string("$x %y ${ %{"), r#""$x %y $${ %%{""#);
        assert_eq!(string("\u{1}"), r#""\u0001""#);
        assert!(is_identifier("aws-usage"));
        assert!(!is_identifier("kubernetes.io/x"));
        assert!(!is_identifier("for"));
        assert_eq!(label("1.a"), "_1_a");
    }
}
