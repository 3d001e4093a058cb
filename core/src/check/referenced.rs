//! Policies a file names but holds elsewhere: a file Terraform reads
//! (`file("${path.module}/trust.json")`, `templatefile(...)`), or a `data
//! "aws_iam_policy_document"` declared in another file of the module. Each
//! is checked where it is when the set holds it, so nothing more is said;
//! when the set does not, the policy was not checked, and that is said
//! (IRSA407).

use super::found::Reference;
use super::out::Out;
use crate::iac::Target;
use crate::inventory::InputKind;

/// The directory of a file name (`infra` of `infra/main.tf`, `` of `main.tf`).
fn dir(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(d, _)| d)
}

/// True when the set's file `name` is the file `path` that `file` names.
fn is_file(file: &str, path: &str, name: &str) -> bool {
    let path = path.trim_start_matches("./");
    let joined = match dir(file) {
        "" => path.to_string(),
        d => format!("{d}/{path}"),
    };
    name == joined || name == path || name.ends_with(&format!("/{path}"))
}

/// IRSA407 for every policy held where the set does not reach: a file it
/// does not hold, a data source no file of the module's directory declares.
pub(super) fn check(
    references: &[Reference<'_>],
    names_in_set: &[&str],
    declared: &[(&str, String)],
    out: &mut Out,
) {
    for r in references {
        let (held, at) = match &r.target {
            Target::File(path) => (
                names_in_set.iter().any(|n| is_file(r.file, path, n)),
                format!("from `{path}`, which is not among the files checked"),
            ),
            Target::PolicyDocument(name) => (
                declared
                    .iter()
                    .any(|(f, n)| n == name && dir(f) == dir(r.file)),
                format!("from `data.aws_iam_policy_document.{name}`, which no file checked of its module declares"),
            ),
        };
        if held {
            continue;
        }
        out.inventory.add(InputKind::NotRead("policy expression"));
        out.push(
            r.file,
            r.span,
            "IRSA407",
            format!("{} is read by Terraform {at}: check them together", r.what),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_relative_to_the_naming_file() {
        let f = "infra/main.tf";
        assert!(is_file(
            f,
            "policies/trust.json",
            "infra/policies/trust.json"
        ));
        assert!(is_file(
            f,
            "policies/trust.json",
            "/abs/infra/policies/trust.json"
        ));
        assert!(!is_file(
            f,
            "policies/trust.json",
            "infra/policies/other.json"
        ));
        assert!(!is_file(f, "policies/trust.json", "infra/trust.json"));
    }
}
