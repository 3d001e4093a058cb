//! Policies a file holds only by naming another file (Terraform's
//! `file("${path.module}/trust.json")`, `templatefile(...)`): that file is
//! checked as itself when the set holds it, so nothing more is said; when
//! the set does not, the policy was not checked, and that is said (IRSA407).

use super::Out;
use crate::inventory::InputKind;
use crate::source::Span;

/// A policy read from another file.
#[derive(Debug)]
pub(super) struct Reference<'a> {
    /// The file that names it.
    pub file: &'a str,
    /// The path it names, relative to that file's directory.
    pub path: String,
    /// Where it is named.
    pub span: Span,
    /// What names it (`the assume_role_policy of aws_iam_role.x`).
    pub what: String,
}

/// True when the set's file `name` is the file `r` names.
fn names(r: &Reference<'_>, name: &str) -> bool {
    let path = r.path.trim_start_matches("./");
    let dir = r.file.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    name == joined || name == path || name.ends_with(&format!("/{path}"))
}

/// IRSA407 for every reference to a file the set does not hold.
pub(super) fn check(references: &[Reference<'_>], names_in_set: &[&str], out: &mut Out) {
    for r in references {
        if names_in_set.iter().any(|n| names(r, n)) {
            continue;
        }
        out.inventory.add(InputKind::NotRead("policy expression"));
        out.push(
            r.file,
            r.span,
            "IRSA407",
            format!(
                "{} is read by Terraform from `{}`, which is not among the files checked: check it with this file",
                r.what, r.path
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_relative_to_the_naming_file() {
        let r = Reference {
            file: "infra/main.tf",
            path: "policies/trust.json".into(),
            span: Span::default(),
            what: String::new(),
        };
        assert!(names(&r, "infra/policies/trust.json"));
        assert!(names(&r, "/abs/infra/policies/trust.json"));
        assert!(!names(&r, "infra/policies/other.json"));
        assert!(!names(&r, "infra/trust.json"));
    }
}
