//! A permissions (identity) policy met among the files: checked for what IAM
//! refuses when it is created (a statement without `Resource`, an action
//! that is not `service:Action`), not judged as a trust.

use super::out::Out;
use crate::placeholder;
use crate::trust::Policy;

/// Checks a permissions policy's statements.
pub(super) fn check(file: &str, policy: &Policy, out: &mut Out) {
    for s in &policy.statements {
        if s.resource_span.is_none() {
            out.push(
                file,
                s.action_span.unwrap_or(s.span),
                "IRSA017",
                format!(
                    "statement {} of this permissions policy has no `Resource` (or `NotResource`)",
                    s.index
                ),
            );
        }
        for a in &s.actions {
            if !placeholder::has_placeholder(&a.value) && !is_action(&a.value) {
                out.push(
                    file,
                    a.span,
                    "IRSA018",
                    format!(
                        "action `{}` is not service:Action (`s3:GetObject`)",
                        a.value
                    ),
                );
            }
        }
    }
}

/// `*`, or a service prefix and an action name with `*` and `?` (`s3:Get*`).
fn is_action(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let Some((service, name)) = a.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

#[cfg(test)]
mod tests {
    use super::is_action;

    #[test]
    fn actions() {
        for a in [
            "*",
            "s3:GetObject",
            "s3:Get*",
            "sts:AssumeRole?",
            "elasticloadbalancing:*",
            "execute-api:Invoke",
        ] {
            assert!(is_action(a), "{a}");
        }
        for a in [
            "GetObject",
            "s3:",
            ":Get",
            "s3 :Get",
            "s3:Get Object",
            "s3:Get:Object",
        ] {
            assert!(!is_action(a), "{a}");
        }
    }
}
