//! What a file `migrate --trust` is given holds, once read: its kind, each
//! role's trust ([`Found`]) with how it is written back ([`Edit`],
//! [`HclForm`], the statements as written: [`Blocks`]) and the values kept
//! as their tool wrote them ([`Original`]); the text positions the readers
//! and writers share. Readers (`sources.rs`, `hcl_trust.rs`,
//! `cfn_trust.rs`, `tf_policy_document.rs`) fill these; writers
//! (`iac_edit.rs`, `trust_text.rs`) read them. Nothing here reads or writes.

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// What a file is, for the phase files and their apply steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A trust policy on its own: the phase files are trusts.
    Trust,
    /// `aws iam get-role` and the like: a trust per role, applied with `update-assume-role-policy`.
    Dump,
    /// A Terraform file: the same file with the trusts replaced, applied with `terraform apply`.
    Terraform,
    /// A CloudFormation template: the template with the trusts replaced, deployed as a change set.
    CloudFormation,
}

/// A value the trust holds as its tool writes it, and what the plan reads
/// it as (a `${...}` placeholder, or a `!Sub` string's text).
#[derive(Debug, Clone, PartialEq)]
pub enum Original {
    /// Terraform source text (`aws_iam_openid_connect_provider.eks.arn`, `"${local.x}:sub"`).
    Hcl(String),
    /// A CloudFormation intrinsic in its long form (`{"Fn::Sub": "..."}`).
    Json(Value),
}

/// How a trust is written back.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// The file is the trust: the phase file is the trust's JSON.
    Whole,
    /// A role of a dump: its trust as JSON, applied to the role by name.
    Dump,
    /// A Terraform expression at these bytes (`start..end`), indented as its
    /// attribute line is (`indent`), in this form.
    Hcl {
        /// First byte of the expression.
        start: usize,
        /// The byte after it.
        end: usize,
        /// The attribute line's indentation.
        indent: String,
        /// `jsonencode({...})`, or a heredoc (`<<EOF`, `<<-EOF`).
        form: HclForm,
    },
    /// A CloudFormation document at these bytes.
    Cfn {
        /// First byte of what is replaced (after the key's `:` in YAML).
        start: usize,
        /// The byte after it.
        end: usize,
        /// The key's column (0-based) in YAML, the key line's indentation in JSON.
        indent: usize,
        /// A JSON template.
        json: bool,
        /// The document was a `Fn::Sub` JSON string (written back as one).
        sub: bool,
        /// A YAML document's `Statement` items, each kept as written when the plan keeps it.
        items: Option<Blocks>,
    },
}

/// The form of a Terraform trust expression.
#[derive(Debug, Clone, PartialEq)]
pub enum HclForm {
    /// A `data "aws_iam_policy_document"` of the file: its statement blocks
    /// are what is edited (the edit's bytes run from the first to the last).
    PolicyDocument(Blocks),
    /// `jsonencode({...})`.
    Jsonencode,
    /// The objects of a `jsonencode` trust's literal `Statement` list: the
    /// edit's bytes run from the first to the last, kept ones stay as written.
    Statements(Blocks),
    /// A heredoc with this delimiter; `indented` for `<<-`. The
    /// interpolations it had (`${var.x}`) are written back as they were.
    Heredoc {
        /// The delimiter (`EOF`, `POLICY`).
        delimiter: String,
        /// `<<-` (the body indented).
        indented: bool,
        /// Each interpolation's text (`${var.account_id}`).
        interpolations: Vec<String>,
    },
}

/// One role's trust found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The role as the file names it (`aws_iam_role.app`, a logical ID, a role name).
    pub role: String,
    /// Every name `--role` picks it by (the label, the IAM name, the address).
    pub names: Vec<String>,
    /// The trust as the plan reads it.
    pub trust: Value,
    /// Values kept as written, by the text the plan reads them as.
    pub originals: Vec<(String, Original)>,
    /// Where the trust is.
    pub at: Span,
    /// How it is written back.
    pub edit: Edit,
}

impl Found {
    /// The trust as JSON text, the planners' input.
    pub fn text(&self) -> String {
        serde_json::to_string_pretty(&self.trust).unwrap_or_default() + "\n"
    }
}

/// The trusts of one file, and what could not be read (MIG060).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// What the file is.
    pub kind: Kind,
    /// Every role trust found, in file order.
    pub found: Vec<Found>,
    /// Trusts that could not be read, each said.
    pub diagnostics: Vec<Diagnostic>,
}

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

/// The byte offset of a character offset.
pub fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// The span of a byte offset (1-based line and column, character offset).
pub fn span_at(text: &str, byte: usize) -> Span {
    let before = text.get(..byte).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count());
    Span {
        line: u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX),
        column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        offset: before.chars().count(),
    }
}

/// The indentation of the line holding byte `at`.
pub fn indent_at(text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or(text);
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters() {
        let t = "ä\n  b";
        let at = span_at(t, t.find('b').unwrap_or(0));
        assert_eq!((at.line, at.column, at.offset), (2, 3, 4));
        assert_eq!(byte_at(t, 4), t.find('b').unwrap_or(0));
        assert_eq!(indent_at(t, t.len()), "  ");
    }
}
