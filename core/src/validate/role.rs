//! The IAM role of a binding: its name (given, or derived to fit), path,
//! permissions boundary, description and tags, each with IAM's limits
//! (SPEC030-SPEC034).

use indexmap::IndexMap;

use crate::aws::{self, Partition};
use crate::source::FieldPath;
use crate::spec::BindingSpec;

use super::report::Report;

/// The role's fields once checked.
pub(super) struct Role {
    pub(super) name: String,
    pub(super) path: String,
    pub(super) permissions_boundary: Option<String>,
    pub(super) description: Option<String>,
}

/// `rolePath` (SPEC031), `roleName` (SPEC030, or `derived_name` when absent),
/// `permissionsBoundary` (SPEC032) and `description` (SPEC034).
pub(super) fn check_role(
    r: &mut Report,
    p: &FieldPath,
    b: &BindingSpec,
    partition: Partition,
    derived_name: impl FnOnce() -> String,
) -> Role {
    let role_path = b
        .role_path
        .as_deref()
        .map(str::trim)
        .unwrap_or("/")
        .to_string();
    if !aws::is_iam_path(&role_path) {
        r.error(
            "SPEC031",
            &p.key("rolePath"),
            format!("rolePath `{role_path}` is not a valid IAM path"),
            "start and end it with `/`, e.g. /eks/ (at most 512 characters, no spaces)",
        );
    }
    let role_name = match b.role_name.as_deref().map(str::trim) {
        Some(name) => {
            if name.is_empty() || name.len() > 64 {
                r.error(
                    "SPEC030",
                    &p.key("roleName"),
                    format!(
                        "roleName is {} characters long; IAM allows 1 to 64",
                        name.len()
                    ),
                    "shorten it, or remove roleName to get a derived name that fits",
                );
            } else if let Some(c) = name.chars().find(|c| !aws::is_iam_name_char(*c)) {
                r.error(
                    "SPEC030",
                    &p.key("roleName"),
                    format!("roleName `{name}` contains `{c}`, which IAM does not allow"),
                    "use only A-Z a-z 0-9 and + = , . @ _ -",
                );
            }
            name.to_string()
        }
        None => derived_name(),
    };
    let permissions_boundary = b
        .permissions_boundary
        .as_deref()
        .map(str::trim)
        .map(str::to_string);
    if let Some(pb) = &permissions_boundary {
        if let Some(problem) = aws::policy_arn_problem(pb, partition) {
            r.error(
                "SPEC032",
                &p.key("permissionsBoundary"),
                format!("permissionsBoundary: {problem}"),
                "use a managed policy ARN such as arn:aws:iam::111122223333:policy/Boundary",
            );
        }
    }
    let description = b.description.clone().filter(|d| !d.is_empty());
    if let Some(d) = &description {
        // IAM: up to 1000 characters of tab, LF, CR, U+0020-U+007E and U+00A1-U+00FF.
        let bad = d
            .chars()
            .find(|c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}'));
        if d.chars().count() > 1000 {
            r.error(
                "SPEC034",
                &p.key("description"),
                format!(
                    "description has {} characters; IAM allows at most 1000",
                    d.chars().count()
                ),
                "shorten the description",
            );
        } else if let Some(c) = bad {
            r.error(
                "SPEC034",
                &p.key("description"),
                format!(
                    "description contains `{}`, which IAM does not accept",
                    c.escape_default()
                ),
                "use tab, newline and characters U+0020 to U+007E and U+00A1 to U+00FF",
            );
        }
    }
    Role {
        name: role_name,
        path: role_path,
        permissions_boundary,
        description,
    }
}

/// characters, with a short hash when it has to be cut so that it stays unique.
pub fn derive_role_name(cluster: Option<&str>, namespace: &str, service_account: &str) -> String {
    let raw = match cluster {
        Some(c) => format!("{c}-{namespace}-{service_account}"),
        None => format!("irsa-{namespace}-{service_account}"),
    };
    let clean: String = raw
        .chars()
        .map(|c| match c {
            '*' => '+',
            '?' => '=',
            c if aws::is_iam_name_char(c) => c,
            _ => '-',
        })
        .collect();
    if clean.len() <= 64 {
        return clean;
    }
    let hash = fnv1a(raw.as_bytes());
    let head: String = clean.chars().take(55).collect();
    format!("{head}-{hash:08x}")
}

/// FNV-1a, 32 bits: a stable, platform-independent hash for derived names.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// `tags` (SPEC033): IAM's count, characters and reserved prefix.
pub(super) fn check_tags(r: &mut Report, p: &FieldPath, tags: &IndexMap<String, String>) {
    // IAM allows 50 tags a role; setup.sh adds its own `irsa-gen:managed`.
    if tags.len() > 49 {
        r.error(
            "SPEC033",
            p,
            format!(
                "{} tags; IAM allows at most 50 per role and setup.sh adds {}, so at most 49",
                tags.len(),
                crate::model::MANAGED_TAG
            ),
            "remove some tags",
        );
    }
    let ok_char = aws::is_tag_char;
    for (k, v) in tags {
        let kp = p.key(k);
        if k.is_empty() || k.chars().count() > 128 || !k.chars().all(ok_char) {
            r.error(
                "SPEC033",
                &kp,
                format!("tag key `{}` is not valid", k.escape_debug()),
                "tag keys are 1 to 128 letters, digits, spaces and _ . : / = + - @",
            );
        } else if k.eq_ignore_ascii_case(crate::model::MANAGED_TAG) {
            r.error(
                "SPEC033",
                &kp,
                format!(
                    "tag key `{k}` is irsa-gen's own (setup.sh marks the roles it creates with it)"
                ),
                "choose another key",
            );
        } else if k.to_ascii_lowercase().starts_with("aws:") {
            r.error(
                "SPEC033",
                &kp,
                format!(
                    "tag key `{}` uses the reserved prefix aws:",
                    k.escape_debug()
                ),
                "choose a key without the aws: prefix",
            );
        }
        if v.chars().count() > 256 || !v.chars().all(ok_char) {
            r.error(
                "SPEC033",
                &kp,
                format!("tag value of `{}` is not valid", k.escape_debug()),
                "tag values are up to 256 letters, digits, spaces and _ . : / = + - @",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_fit() {
        assert_eq!(
            derive_role_name(Some("my-cluster"), "production", "s3-writer"),
            "my-cluster-production-s3-writer"
        );
        let long = derive_role_name(Some(&"c".repeat(100)), &"n".repeat(63), "sa");
        assert_eq!(long.len(), 64);
        assert!(aws::is_role_name(&long));
        assert_ne!(
            long,
            derive_role_name(Some(&"c".repeat(100)), &"n".repeat(63), "sb")
        );
    }
}
