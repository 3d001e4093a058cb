//! IRSA301 and IRSA302: does some trust of the set let each ServiceAccount
//! in? Candidates come from the [`Index`]; only they are evaluated, each for
//! the providers and audiences of the statements that made it one. The work
//! is counted as it is done ([`LinkWork`]) and stops at
//! [`CheckOptions::max_link_work`]: the ServiceAccounts left are named (IRSA402).

use std::borrow::Cow;
use std::collections::HashSet;

use super::doctor::{self, RoleKey, Roles};
use super::found::{Found, SaDoc, TrustDoc};
use super::index::{Entry, Index};
use super::options::CheckOptions;
use super::out::Out;
use crate::eval::{self, Claims, Decision};
use crate::kube;
use crate::rules::diagnostic;
use crate::trust::Policy;

/// The work linking ServiceAccounts to trusts did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkWork {
    /// ServiceAccounts with a role-arn whose trust was looked for.
    pub service_accounts: usize,
    /// ServiceAccounts not linked because the work reached its limit.
    pub skipped: usize,
    /// Index lookups (one per exact map, one per prefix length).
    pub lookups: usize,
    /// Candidate statements looked at.
    pub candidates: usize,
    /// Trust evaluations (one trust, one provider, one audience; the trust
    /// as written and, with placeholders, widened).
    pub evaluations: usize,
    /// Condition values, principals and statements the evaluations went
    /// through: the pattern matching they did.
    pub pattern_steps: usize,
}

impl LinkWork {
    /// All the work, in the unit [`CheckOptions::max_link_work`] counts.
    pub fn total(&self) -> usize {
        self.lookups + self.candidates + self.evaluations + self.pattern_steps
    }
}

/// A trust ready to be evaluated: as IAM reads it and widened around its
/// placeholders (a link is missing only when no filling admits the token),
/// with what one evaluation of it costs.
struct Ready<'t> {
    doc: &'t TrustDoc<'t>,
    written: Cow<'t, Policy>,
    wide: Option<Policy>,
    steps: usize,
    /// The role a role dump says this trust is of.
    role: Option<RoleKey>,
}

impl<'t> Ready<'t> {
    fn new(doc: &'t TrustDoc<'t>) -> Self {
        let wide = doc.templated.then(|| crate::widen::widened(&doc.policy));
        let written = if doc.templated {
            Cow::Owned(crate::widen::as_written(&doc.policy))
        } else {
            Cow::Borrowed(&doc.policy)
        };
        let steps = steps(&written) + wide.as_ref().map_or(0, steps);
        Ready {
            doc,
            written,
            wide,
            steps,
            role: doc.role_arn.as_deref().and_then(doctor::role_key),
        }
    }
}

/// What one evaluation of `policy` goes through.
fn steps(policy: &Policy) -> usize {
    policy
        .statements
        .iter()
        .map(|s| {
            1 + s.principals.len()
                + s.conditions
                    .iter()
                    .map(|c| c.values.len().max(1))
                    .sum::<usize>()
        })
        .sum()
}

/// The work stopped at its limit.
struct Exhausted;

/// One ServiceAccount's question to the trusts.
struct Asker<'a> {
    sub: String,
    role: Option<eval::Role>,
    /// The ServiceAccount's role when a dump has it: its own trust is the one STS reads.
    dumped: Option<RoleKey>,
    trusts: &'a [Ready<'a>],
    max: usize,
}

impl Asker<'_> {
    /// Does a trust among `entries` let the token for `aud` in?
    fn admits<'e>(
        &self,
        entries: impl IntoIterator<Item = &'e Entry>,
        aud: &str,
        work: &mut LinkWork,
    ) -> Result<bool, Exhausted> {
        let mut asked = HashSet::new();
        for e in entries {
            work.candidates += 1;
            if work.total() > self.max {
                return Err(Exhausted);
            }
            let Some(t) = self.trusts.get(e.trust) else {
                continue;
            };
            if self.dumped.is_some() && t.role != self.dumped {
                continue;
            }
            let Some(key) = t.doc.keys.get(e.key).filter(|k| k.accepts(aud)) else {
                continue;
            };
            for p in &key.providers {
                if !asked.insert((e.trust, p.as_str())) {
                    continue;
                }
                let cost = 1 + t.steps;
                if work.total() + cost > self.max {
                    return Err(Exhausted);
                }
                work.evaluations += 1 + usize::from(t.wide.is_some());
                work.pattern_steps += t.steps;
                if self.evaluate(t, p, aud) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The trust as written for this ServiceAccount's role, or widened for
    /// any role: a decision that depends on caller-only keys is not a
    /// certain refusal.
    fn evaluate(&self, t: &Ready<'_>, provider: &str, aud: &str) -> bool {
        let claims = Claims {
            iss: Some(provider.to_string()),
            sub: Some(self.sub.clone()),
            aud: Some(aud.to_string()),
            role: self.role.clone(),
            ..Claims::default()
        };
        if eval::evaluate(&t.written, &claims).decision != Decision::Deny {
            return true;
        }
        t.wide.as_ref().is_some_and(|w| {
            let widened = Claims {
                role: None,
                ..claims
            };
            eval::evaluate(w, &widened).decision != Decision::Deny
        })
    }
}

/// IRSA301/302 for every ServiceAccount with a role-arn, within the work limit.
pub(super) fn link_trusts(found: &Found<'_>, options: &CheckOptions, out: &mut Out) -> LinkWork {
    let mut work = LinkWork::default();
    let docs: Vec<&TrustDoc<'_>> = found
        .trusts
        .iter()
        .filter(|t| !t.providers.is_empty())
        .collect();
    if docs.is_empty() {
        return work;
    }
    let index = Index::build(docs.iter().enumerate().map(|(i, t)| (i, t.keys.as_slice())));
    let trusts: Vec<Ready<'_>> = docs.iter().map(|t| Ready::new(t)).collect();
    // A role a complete dump lacks is IRSA504, not a trust that refuses.
    let roles = Roles::new(found);
    let linked: Vec<&SaDoc<'_>> = found
        .sas
        .iter()
        .filter(|s| s.role_arn.is_some() && s.linkable && !s.templated)
        .filter(|s| {
            s.role_arn
                .as_deref()
                .and_then(|a| roles.absent(a))
                .is_none()
        })
        .collect();
    work.service_accounts = linked.len();
    for (n, sa) in linked.iter().enumerate() {
        if link_one(sa, &index, &trusts, &roles, options, &mut work, out).is_err() {
            skipped(linked.get(n..).unwrap_or_default(), options, &mut work, out);
            break;
        }
    }
    work
}

/// IRSA301 or IRSA302 for one ServiceAccount, if no trust admits it.
fn link_one(
    sa: &SaDoc<'_>,
    index: &Index,
    trusts: &[Ready<'_>],
    roles: &Roles<'_>,
    options: &CheckOptions,
    work: &mut LinkWork,
    out: &mut Out,
) -> Result<(), Exhausted> {
    let sub = kube::subject(&sa.namespace, &sa.name);
    let (mut entries, lookups) = index.candidates(&sub);
    work.lookups += lookups;
    let asker = Asker {
        sub,
        role: sa
            .role_arn
            .as_deref()
            .and_then(|a| eval::Role::from_arn(a).ok()),
        dumped: sa
            .role_arn
            .as_deref()
            .and_then(doctor::role_key)
            .filter(|k| roles.dumped(k)),
        trusts,
        max: options.max_link_work,
    };
    let aud = sa
        .audience
        .as_ref()
        .map_or(kube::DEFAULT_AUDIENCE, |(a, _)| a.as_str());
    if asker.admits(entries.iter().chain(index.open()), aud, work)? {
        return Ok(());
    }
    // Which trust would let it in for another audience: the first in file order.
    entries.extend_from_slice(index.open());
    entries.sort_unstable();
    entries.dedup();
    let mut other = None;
    for group in entries.chunk_by(|a, b| a.trust == b.trust) {
        let Some(t) = group.first().and_then(|e| trusts.get(e.trust)) else {
            continue;
        };
        if asker.dumped.is_some() && t.role != asker.dumped {
            continue;
        }
        for a in &t.doc.auds {
            if asker.admits(group, a, work)? {
                other = Some((t.doc.file, a.clone()));
                break;
            }
        }
        if other.is_some() {
            break;
        }
    }
    match other {
        Some((file, want)) => {
            let span = sa
                .audience
                .as_ref()
                .map(|(_, s)| *s)
                .or(sa.role_arn_span)
                .unwrap_or(sa.name_span);
            out.push(sa.file, span, "IRSA302", format!("ServiceAccount `{}/{}` gets tokens for audience `{aud}`, but the trust policy {file} admits it only for `{want}`", sa.namespace, sa.name));
        }
        None if asker.dumped.is_some() => out.push(
            sa.file,
            sa.name_span,
            "IRSA301",
            format!(
                "the trust of role `{}`, as the role dump has it, does not admit `{}`",
                sa.role_arn.as_deref().unwrap_or_default(),
                asker.sub
            ),
        ),
        None => out.push(
            sa.file,
            sa.name_span,
            "IRSA301",
            format!(
                "no trust policy in the set admits `{}` ({} checked)",
                asker.sub,
                trusts.len()
            ),
        ),
    }
    Ok(())
}

/// IRSA402 naming the ServiceAccounts whose links were not checked.
fn skipped(rest: &[&SaDoc<'_>], options: &CheckOptions, work: &mut LinkWork, out: &mut Out) {
    const SHOWN: usize = 3;
    work.skipped = rest.len();
    let mut names: Vec<String> = rest
        .iter()
        .take(SHOWN)
        .map(|s| format!("`{}/{}`", s.namespace, s.name))
        .collect();
    if rest.len() > SHOWN {
        names.push(format!("{} more", rest.len() - SHOWN));
    }
    out.diags.push(diagnostic(
        "IRSA402",
        format!(
            "linking ServiceAccounts to trust policies stopped at the limit of {} steps of work: IRSA301 and IRSA302 were not checked for {} of {} ServiceAccounts ({})",
            options.max_link_work,
            rest.len(),
            work.service_accounts,
            names.join(", ")
        ),
    ));
}
