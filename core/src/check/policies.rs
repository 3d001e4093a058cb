//! A policy document met among the files: its characters outside IAM's set
//! (IRSA001) and its keys written twice (IRSA021), then a trust's record
//! (with the bare words that stand for placeholders) or a permissions policy
//! checked ([`super::permissions`]).

use super::found::{Found, TrustDoc};
use super::out::Out;
use super::permissions;
use crate::inventory::InputKind;
use crate::placeholder::{self, Slot};
use crate::source::{Node, Span, Value};
use crate::trust::{self, Policy};

/// A policy document (`root`; `shown` is the node the user wrote, the same
/// unless a bare statement was wrapped): a trust, or a permissions policy.
pub(super) fn read<'a>(
    file: &'a str,
    root: &Node,
    shown: &Node,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    let parsed = trust::parse_policy(root);
    if parsed.is_ok() {
        policy_characters(file, shown, out);
        policy_duplicate_keys(file, shown, out);
    }
    match parsed {
        Ok(policy) if is_trust(&policy) => {
            // Counted again as a trust policy if a ServiceAccount names it (check.rs).
            out.inventory
                .add(if super::trust_checks::meant_for_pods(&policy) {
                    InputKind::TrustPolicy
                } else {
                    InputKind::TrustNotForPods
                });
            policy_words(&policy, out);
            let length = shown.json_chars();
            found
                .trusts
                .push(TrustDoc::new(file, policy, length, shown.span));
        }
        Ok(policy) => {
            out.inventory.add(InputKind::PermissionsPolicy);
            permissions::check(file, &policy, out);
        }
        Err(e) => {
            out.inventory.add(InputKind::Unreadable);
            out.push(
                file,
                e.span,
                "IRSA001",
                format!("not a policy document: {}", e.message),
            );
        }
    }
}

/// True for a trust policy (a principal, or an `sts:AssumeRole*` action), not a permissions policy.
pub fn is_trust(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.principal_span.is_some()
            || s.actions
                .iter()
                .any(|a| a.value.to_ascii_lowercase().starts_with("sts:assumerole"))
    })
}

/// The bare words of a trust that stand where an account, region, cluster
/// ID, issuer, namespace or name belongs (`ACCOUNT_ID`, `OIDC_PROVIDER`).
fn policy_words(policy: &Policy, out: &mut Out) {
    for s in &policy.statements {
        for f in s.federated() {
            let v = &f.value;
            for w in crate::widen::principal_words(&v.value) {
                out.placeholders.push((w, v.span));
            }
        }
        for c in &s.conditions {
            if let Some(issuer) = trust::key_issuer(&c.key.value) {
                for w in placeholder::issuer_words(issuer) {
                    out.placeholders.push((w, c.key.span));
                }
            }
            if trust::claim_of(&c.key.value) == Some("sub") {
                for v in &c.values {
                    let rest = v.value.strip_prefix("system:serviceaccount:").unwrap_or("");
                    for part in rest.split(':') {
                        if placeholder::is_word(part, Slot::KubeName) {
                            out.placeholders.push((part.to_string(), v.span));
                        }
                    }
                }
            }
        }
    }
}

/// IRSA001 for a policy holding a character outside IAM's policy character
/// set (tab, LF, CR and U+0020 to U+00FF, the documented pattern of every
/// policy document parameter): the first one, at its key or value. The
/// decoded text counts: a JSON `\u001b` is an ESC in the policy.
fn policy_characters(file: &str, root: &Node, out: &mut Out) {
    if let Some((c, span)) = first_outside_policy_set(root) {
        let mut d = crate::rules::diagnostic(
            "IRSA001",
            format!(
                "IAM refuses this policy: it contains `{}`; a policy holds tab, newline, carriage return and characters U+0020 to U+00FF",
                c.escape_default()
            ),
        )
        .at(span)
        .in_file(Some(file));
        d.help = "Remove the character or replace it with one IAM accepts.".into();
        d.failure = Some("ValidationError: ... failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+".into());
        out.diags.push(d);
    }
}

fn first_outside_policy_set(node: &Node) -> Option<(char, Span)> {
    let outside = |c: &char| !crate::aws::is_policy_char(*c);
    match &node.value {
        // Printable ASCII is all inside: no characters to decode.
        // (DEL is inside too: ASCII without a control character is enough.)
        Value::Scalar { raw, .. } if raw.is_ascii() && !raw.bytes().any(|b| b < 0x20) => None,
        Value::Scalar { raw, .. } => raw.chars().find(outside).map(|c| (c, node.span)),
        Value::Seq(items) => items.iter().find_map(first_outside_policy_set),
        Value::Map(entries) => entries
            .iter()
            .find_map(|(k, v)| first_outside_policy_set(k).or_else(|| first_outside_policy_set(v))),
    }
}

/// IRSA021: a key written twice in one object of a policy, at the second
/// writing (what is lost depends on the reader, so a warning).
fn policy_duplicate_keys(file: &str, policy: &Node, out: &mut Out) {
    for dup in policy.duplicate_keys() {
        out.push(
            file,
            dup.second,
            "IRSA021",
            format!(
                "`{}` is written twice in the same object (first on line {}): a JSON reader keeps one of the two, usually this last one, and drops the other",
                dup.path, dup.first.line
            ),
        );
    }
}
