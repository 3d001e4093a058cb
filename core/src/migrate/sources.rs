//! The role trusts of a file `migrate --trust` is given, found the way
//! `check` finds them: a bare trust policy (JSON or YAML), `aws iam
//! get-role` / `list-roles` / `get-account-authorization-details` output
//! (the document decoded or URL-encoded), a Terraform file's
//! `aws_iam_role.assume_role_policy` (`hcl_trust.rs`) and a CloudFormation
//! template's `AWS::IAM::Role` `AssumeRolePolicyDocument` (YAML or JSON,
//! short tags read as their long forms). Each trust comes with what the
//! plan needs to write it back in the file's own format (`Edit`, used by
//! `iac_edit.rs`) and the values it keeps as written (`Original`): a
//! Terraform expression, a CloudFormation intrinsic.

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::filetype;
use crate::source::{self, Limits, Node, Span};

use super::codes::diagnostic;

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
        items: Option<super::tf_policy_document::Blocks>,
    },
}

/// The form of a Terraform trust expression.
#[derive(Debug, Clone, PartialEq)]
pub enum HclForm {
    /// A `data "aws_iam_policy_document"` of the file: its statement blocks
    /// are what is edited (the edit's bytes run from the first to the last).
    PolicyDocument(super::tf_policy_document::Blocks),
    /// `jsonencode({...})`.
    Jsonencode,
    /// The objects of a `jsonencode` trust's literal `Statement` list: the
    /// edit's bytes run from the first to the last, kept ones stay as written.
    Statements(super::tf_policy_document::Blocks),
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

/// The trusts of a file, by its name and content. A file that is none of
/// these shapes is read as a trust (its errors the planners' IRSA001).
pub fn read(name: &str, text: &str) -> Source {
    let kind = filetype::by_name(name).or_else(|| filetype::by_content(text));
    if kind.is_some_and(|t| filetype::reads_as_hcl(name, t)) {
        return super::hcl_trust::read(text);
    }
    let whole = |trust: Value| Source {
        kind: Kind::Trust,
        found: vec![Found {
            role: name.to_string(),
            names: Vec::new(),
            trust,
            originals: Vec::new(),
            at: Span::default(),
            edit: Edit::Whole,
        }],
        diagnostics: Vec::new(),
    };
    let Ok(docs) = source::parse_documents(text, &Limits::default()) else {
        return whole(Value::Null);
    };
    let Some(root) = docs.into_iter().map(|d| d.root).find(|r| !r.is_null()) else {
        return whole(Value::Null);
    };
    if filetype::of_document(&root) == Some(filetype::CLOUDFORMATION) {
        return super::cfn_trust::read(&root, text);
    }
    // Files check reads whose trusts are not written in them as text to edit.
    let unread = if filetype::of_document(&root) == Some(filetype::EKSCTL) {
        Some("an eksctl ClusterConfig, whose trusts eksctl writes itself")
    } else if crate::iac::terraform_json::is_show_output(&root) {
        Some("`terraform show -json` output, whose trusts come from the .tf files")
    } else {
        None
    };
    if let Some(what) = unread {
        return Source {
            kind: Kind::Dump,
            found: Vec::new(),
            diagnostics: vec![diagnostic(
                "MIG060",
                format!("the file is {what}: give the .tf file or template, or `aws iam get-role` output"),
            )
            .at(root.span)],
        };
    }
    dump(&root).unwrap_or_else(|| whole(root.to_json()))
}

/// The roles of `get-role`, `list-roles` or authorization details output.
fn dump(root: &Node) -> Option<Source> {
    let roles: Vec<&Node> = match root.get("Role") {
        Some(r) if r.get("AssumeRolePolicyDocument").is_some() => vec![r],
        _ => ["Roles", "RoleDetailList"]
            .iter()
            .find_map(|k| root.get(k).and_then(Node::as_seq))?
            .iter()
            .collect(),
    };
    let mut out = Source {
        kind: Kind::Dump,
        found: Vec::new(),
        diagnostics: Vec::new(),
    };
    for r in roles {
        let name = r
            .get("RoleName")
            .and_then(Node::as_text)
            .or_else(|| r.get("Arn")?.as_text()?.rsplit('/').next())
            .unwrap_or_default()
            .to_string();
        let Some(doc) = r.get("AssumeRolePolicyDocument") else {
            continue;
        };
        let trust = match doc.as_str() {
            Some(encoded) => match serde_json::from_str(&url_decode(encoded)) {
                Ok(v) => v,
                Err(e) => {
                    out.diagnostics.push(
                        diagnostic("MIG060", format!("the trust of role `{name}` is a string that is not a URL-encoded JSON policy ({e})"))
                            .at(doc.span),
                    );
                    continue;
                }
            },
            None => doc.to_json(),
        };
        out.found.push(Found {
            role: name.clone(),
            names: vec![name],
            trust,
            originals: Vec::new(),
            at: doc.span,
            edit: Edit::Dump,
        });
    }
    Some(out)
}

/// A policy document as the IAM API returns it: RFC 3986 URL-encoded (`+` is a plus sign).
fn url_decode(encoded: &str) -> String {
    form_urlencoded::parse(format!("d={}", encoded.replace('+', "%2B")).as_bytes())
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The byte offset of a character offset.
pub(super) fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// The span of a byte offset (1-based line and column, character offset).
pub(super) fn span_at(text: &str, byte: usize) -> Span {
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
pub(super) fn indent_at(text: &str, at: usize) -> String {
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
    fn get_role_output_decoded_or_url_encoded() {
        let decoded = r#"{"Role": {"RoleName": "app", "Arn": "arn:aws:iam::111122223333:role/app", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}}"#;
        let s = read("role.json", decoded);
        assert_eq!(s.kind, Kind::Dump);
        assert_eq!(s.found.len(), 1);
        assert_eq!(s.found[0].role, "app");
        let encoded = r#"{"Roles": [{"Arn": "arn:aws:iam::111122223333:role/path/b", "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}]}"#;
        let s = read("roles.json", encoded);
        assert_eq!(s.found[0].role, "b");
        assert_eq!(s.found[0].trust["Version"], "2012-10-17");
        // A near miss: a bare trust is the whole file.
        let bare = read(
            "trust.json",
            r#"{"Version": "2012-10-17", "Statement": []}"#,
        );
        assert_eq!(
            (bare.kind, &bare.found[0].edit),
            (Kind::Trust, &Edit::Whole)
        );
    }

    #[test]
    fn eksctl_and_terraform_show_are_said() {
        for text in [
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: a, region: us-west-2}\n",
            r#"{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}}"#,
        ] {
            let s = read("x", text);
            assert!(s.found.is_empty(), "{text}");
            assert_eq!(s.diagnostics[0].code, "MIG060", "{text}");
        }
    }

    #[test]
    fn spans_count_characters() {
        let t = "ä\n  b";
        let at = span_at(t, t.find('b').unwrap_or(0));
        assert_eq!((at.line, at.column, at.offset), (2, 3, 4));
        assert_eq!(byte_at(t, 4), t.find('b').unwrap_or(0));
        assert_eq!(indent_at(t, t.len()), "  ");
    }
}
