//! A policy whose structure is an expression: `Statement = local.statements`,
//! `Condition = var.conditions`, `Action = var.actions`, `!Ref` where a list
//! or a mapping belongs. Terraform or CloudFormation makes a list or a
//! mapping of it, so it is not the string it reads as here: judging it as
//! one would be a false error, and the policy is said instead (IRSA407).

use crate::source::{Node, Span};

/// Statement elements whose value is a list or a mapping, never only a string.
const STRUCTURAL: &[&str] = &[
    "Principal",
    "NotPrincipal",
    "Condition",
    "Action",
    "NotAction",
];

/// The first element of a policy that is one placeholder where structure
/// belongs: where, and its text.
pub(super) fn opaque_part(root: &Node) -> Option<(Span, String)> {
    let statement = root.get("Statement")?;
    if let Some(found) = whole_placeholder(statement) {
        return Some(found);
    }
    let statements = match statement.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![statement],
    };
    for s in statements {
        if let Some(found) = whole_placeholder(s) {
            return Some(found);
        }
        for k in STRUCTURAL {
            if let Some(found) = s.get(k).and_then(whole_placeholder) {
                return Some(found);
            }
        }
        let operators = s.get("Condition").and_then(Node::as_map).unwrap_or(&[]);
        if let Some(found) = operators.iter().find_map(|(_, v)| whole_placeholder(v)) {
            return Some(found);
        }
    }
    None
}

/// A scalar that is one placeholder and nothing else (`${local.x}`, or an
/// expression with braces of its own: `${[for s in var.x : {...}]}`).
fn whole_placeholder(n: &Node) -> Option<(Span, String)> {
    let text = n.as_str()?;
    // `${` ... `}` with balanced braces between: the closing one is the last.
    let body = text.strip_prefix("${")?;
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                return (i + 1 == body.len()).then(|| (n.span, text.to_string()));
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_documents, Limits};

    fn part(yaml: &str) -> Option<String> {
        let docs = parse_documents(yaml, &Limits::default()).unwrap_or_default();
        opaque_part(&docs.first()?.root).map(|(_, t)| t)
    }

    #[test]
    fn structure_that_is_an_expression() {
        assert_eq!(
            part("Statement: ${local.s}\n").as_deref(),
            Some("${local.s}")
        );
        assert_eq!(
            part("Statement:\n- Effect: Allow\n  Condition: ${var.c}\n").as_deref(),
            Some("${var.c}")
        );
        assert_eq!(
            part("Statement:\n- Condition:\n    StringEquals: ${var.c}\n").as_deref(),
            Some("${var.c}")
        );
        assert_eq!(
            part("Statement:\n- Action: ${var.a}\n").as_deref(),
            Some("${var.a}")
        );
    }

    #[test]
    fn strings_with_placeholders_are_strings() {
        assert_eq!(
            part("Statement:\n- Principal:\n    Federated: ${var.arn}\n  Action: sts:AssumeRoleWithWebIdentity\n  Condition:\n    StringEquals:\n      ${local.oidc}:sub: system:serviceaccount:a:b\n"),
            None
        );
        assert_eq!(part("Statement:\n- Action: sts:${var.verb}\n"), None);
    }
}
