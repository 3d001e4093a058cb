//! A trust statement's conditions judged: the keys name the statement's own
//! issuer, `aud` is an audience the cluster's tokens carry, `sub` is a
//! ServiceAccount subject (namespace and name valid, patterns only with
//! StringLike), the operators are positive; and what `sub` and `aud` let in,
//! for the link index.

use std::collections::BTreeSet;

use super::index;
use super::out::Out;
use crate::eval;
use crate::kube;
use crate::placeholder::{self, HOLE};
use crate::source::Span;
use crate::trust::{self, Statement};

/// What a trust's statements add to its record for linking, gathered while
/// they are checked.
#[derive(Debug, Default)]
pub(super) struct Acc {
    pub(super) literal_subs: Vec<String>,
    pub(super) keys: Vec<index::Key>,
    pub(super) auds: Vec<String>,
}

fn is_positive_string_op(base: &str) -> bool {
    matches!(
        base,
        "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
    )
}

/// What the condition checks of one statement need to know.
pub(super) struct StatementContext<'c> {
    pub(super) file: &'c str,
    pub(super) providers: &'c [String],
    pub(super) web: bool,
    pub(super) audiences: &'c BTreeSet<&'c str>,
}

/// The statement's conditions checked; what its `sub` and `aud` let in, for the link index.
pub(super) fn check_conditions(
    ctx: &StatementContext<'_>,
    s: &Statement,
    t: &mut Acc,
    out: &mut Out,
) -> index::Key {
    let (file, providers, web) = (ctx.file, ctx.providers, ctx.web);
    let mut key = index::Key::default();
    let mut has_aud = false;
    let mut auds: Vec<(String, Span)> = Vec::new();
    for c in &s.conditions {
        let op = eval::parse_operator(&c.operator.value);
        let claim = trust::claim_of(&c.key.value);
        if let Some(issuer) = trust::key_issuer(&c.key.value) {
            let differs = !providers.is_empty()
                && providers
                    .iter()
                    .all(|p| placeholder::compare_issuers(issuer, p) == placeholder::Same::No);
            if differs {
                let why = if issuer.contains("://") {
                    "a condition key has no `https://`".to_string()
                } else {
                    format!("the statement's provider is `{}`", providers.join("`, `"))
                };
                out.push(
                    file,
                    c.key.span,
                    "IRSA008",
                    format!(
                        "condition key `{}` names issuer `{issuer}`; {why}",
                        c.key.value
                    ),
                );
            }
        }
        if op.set.is_some() && matches!(claim, Some("sub" | "aud")) {
            out.push(
                file,
                c.operator.span,
                "IRSA014",
                format!(
                    "`{}` on the single-valued `{}`",
                    c.operator.value, c.key.value
                ),
            );
        }
        if matches!(op.base, "StringEquals" | "StringEqualsIgnoreCase") {
            for v in c
                .values
                .iter()
                .filter(|v| placeholder::masked_text(&v.value).contains(['*', '?']))
            {
                out.push(
                    file,
                    v.span,
                    "IRSA006",
                    format!(
                        "`{}` under {} is compared literally: the wildcard never matches",
                        v.value, c.operator.value
                    ),
                );
            }
        }
        let positive = is_positive_string_op(op.base) && op.set.is_none();
        match claim {
            Some("sub") if positive && !op.if_exists => {
                for v in &c.values {
                    let masked = crate::widen::mask_value(Some("sub"), &v.value);
                    let literal_wildcard = op.base != "StringLike" && masked.contains(['*', '?']);
                    if !literal_wildcard {
                        check_sub(
                            file,
                            &v.value,
                            &masked,
                            v.span,
                            op.base == "StringLike",
                            out,
                        );
                    }
                    if web {
                        let pattern = op.base == "StringLike" && masked.contains(['*', '?']);
                        if !pattern && !placeholder::is_masked(&masked) {
                            t.literal_subs.push(v.value.clone());
                        }
                        key.subs.push(index::Sub::of(op.base, &v.value, &masked));
                    }
                }
            }
            // Set operators and IfExists still restrict a present sub; the index cannot use them.
            Some("sub") if web => key.subs.push(index::Sub::Any),
            Some("aud") if positive && !op.if_exists => {
                has_aud = true;
                auds.extend(c.values.iter().map(|v| (v.value.clone(), v.span)));
                let literal = c.values.iter().all(|v| {
                    !v.value.contains(['*', '?', '$']) && !placeholder::has_placeholder(&v.value)
                });
                if key.auds.is_none() && literal && op.base != "StringEqualsIgnoreCase" {
                    key.auds = Some(c.values.iter().map(|v| v.value.clone()).collect());
                }
            }
            Some("aud") => {
                has_aud |= op.set.is_some() || (op.if_exists && is_positive_string_op(op.base))
            }
            _ => {}
        }
    }
    if !web {
        return key;
    }
    if !has_aud {
        out.push(
            file,
            s.condition_span.unwrap_or(s.span),
            "IRSA005",
            format!("statement {} has no `aud` condition", s.index),
        );
    }
    check_auds(file, &auds, ctx.audiences, out);
    t.auds.extend(auds.into_iter().map(|(a, _)| a));
    key
}

/// IRSA009: an aud no token carries (a misspelt STS audience, a sub value).
fn check_auds(file: &str, auds: &[(String, Span)], audiences: &BTreeSet<&str>, out: &mut Out) {
    for (a, span) in auds {
        if a.starts_with("system:serviceaccount:") {
            out.push(
                file,
                *span,
                "IRSA009",
                format!(
                    "aud `{a}` is a `sub` value; tokens carry the audience {}",
                    kube::DEFAULT_AUDIENCE
                ),
            );
        }
    }
    let literal: Vec<&(String, Span)> = auds
        .iter()
        .filter(|(a, _)| {
            !placeholder::has_placeholder(a) && !a.starts_with("system:serviceaccount:")
        })
        .collect();
    if literal.is_empty()
        || literal.len() < auds.len()
        || literal.iter().any(|(a, _)| audiences.contains(a.as_str()))
    {
        return;
    }
    for (a, span) in literal {
        let sts_like = a.contains("sts") && a.contains("amazonaws");
        // A custom audience is judged per ServiceAccount (IRSA302); here only a
        // misspelt STS audience, which no token ever carries.
        if sts_like {
            let note = if a == "sts.amazonaws.com.cn" {
                "; tokens carry sts.amazonaws.com in every partition, China included".to_string()
            } else {
                format!(
                    "; tokens in use carry {}",
                    audiences
                        .iter()
                        .map(|x| format!("`{x}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(
                file,
                *span,
                "IRSA009",
                format!("aud `{a}` is not the audience in use{note}"),
            );
        }
    }
}

/// IRSA007 and IRSA011 on a `sub` value, judged on its literal parts
/// (`masked` holds a [`HOLE`] for each placeholder).
fn check_sub(file: &str, v: &str, masked: &str, span: Span, like: bool, out: &mut Out) {
    const PREFIX: &str = "system:serviceaccount:";
    if masked.starts_with(HOLE) {
        return;
    }
    let pattern = like && masked.contains(['*', '?']);
    let bad =
        |out: &mut Out, why: String| out.push(file, span, "IRSA011", format!("sub `{v}` {why}"));
    let Some(rest) = masked.strip_prefix(PREFIX) else {
        if pattern {
            let lit = masked.split(['*', '?']).next().unwrap_or("");
            if PREFIX.starts_with(lit) {
                out.push(
                    file,
                    span,
                    "IRSA007",
                    format!("sub pattern `{v}` matches service accounts of every namespace"),
                );
            } else {
                bad(out, "is not system:serviceaccount:NAMESPACE:NAME".into());
            }
        } else {
            bad(out, "is not system:serviceaccount:NAMESPACE:NAME".into());
        }
        return;
    };
    let mut parts = rest.splitn(2, ':');
    let ns = parts.next().unwrap_or("");
    let name = parts.next();
    if pattern && ns.contains(['*', '?']) {
        out.push(
            file,
            span,
            "IRSA007",
            format!("sub pattern `{v}` is wider than one namespace"),
        );
        return;
    }
    if !ns.contains(HOLE) {
        if let Some(p) = kube::label_problem(ns) {
            bad(out, format!("has namespace `{ns}` that {p}"));
            return;
        }
    }
    match name {
        None if pattern || ns.contains(HOLE) => {}
        None => bad(
            out,
            "has no service account name (system:serviceaccount:NAMESPACE:NAME)".into(),
        ),
        Some(n) if (pattern && n.contains(['*', '?'])) || n.contains(HOLE) => {}
        Some(n) => {
            if let Some(p) = kube::subdomain_problem(n) {
                bad(out, format!("has service account name `{n}` that {p}"));
            }
        }
    }
}
