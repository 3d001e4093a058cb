//! IRSA301 and IRSA302: does some trust of the set let each ServiceAccount
//! in? Candidates come from the [`Index`]; only they are evaluated, each for
//! the providers and audiences of the statements that made it one. The work
//! is counted as it is done ([`LinkWork`]) and stops at
//! [`CheckOptions::max_link_work`](super::CheckOptions::max_link_work): the
//! ServiceAccounts left are named (IRSA402).
//!
//! ServiceAccounts are linked in parts ([`Linker::part`]), each on its own
//! (the shells may run them on several cores), and the parts are added up
//! in the set's order ([`Linker::merge`]) into what one pass over the
//! ServiceAccounts gives: the findings and the work counted, and where the
//! limit stops the pass. The [`Linker`] (index, prepared trusts) is built once.

use std::cell::Cell;
use std::collections::HashSet;
use std::ops::Range;

use super::doctor::{self, RoleKey, Roles};
use super::found::{Found, SaDoc, TrustDoc};
use super::index::{Entry, Index};
use super::out::Out;
use crate::diagnostic::Diagnostic;
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
    /// All the work, in the unit
    /// [`CheckOptions::max_link_work`](super::CheckOptions::max_link_work) counts.
    pub fn total(&self) -> usize {
        self.lookups + self.candidates + self.evaluations + self.pattern_steps
    }
}

/// A trust prepared once for every part: as IAM reads it when it holds
/// placeholders (else its record's policy is) and widened around them (a
/// link is missing only when no filling admits the token), with what one
/// evaluation of it costs. It borrows nothing of the records, so that a
/// plan holds the records and their [`Linker`] side by side.
#[derive(Debug)]
struct Prepared {
    written: Option<Policy>,
    wide: Option<Policy>,
    steps: usize,
    /// The role a role dump says this trust is of.
    role: Option<RoleKey>,
}

impl Prepared {
    fn new(doc: &TrustDoc<'_>) -> Self {
        let wide = doc.templated.then(|| crate::widen::widened(&doc.policy));
        let written = doc.templated.then(|| crate::widen::as_written(&doc.policy));
        let steps = steps(written.as_ref().unwrap_or(&doc.policy)) + wide.as_ref().map_or(0, steps);
        Prepared {
            written,
            wide,
            steps,
            role: doc.role_arn.as_deref().and_then(doctor::role_key),
        }
    }
}

/// A trust ready to be evaluated: its record and what [`Prepared`] holds.
struct Ready<'t> {
    doc: &'t TrustDoc<'t>,
    written: &'t Policy,
    wide: Option<&'t Policy>,
    steps: usize,
    role: Option<&'t RoleKey>,
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
    /// The largest total of work the limit was held against: where the
    /// limit would stop this ServiceAccount, whatever came before it.
    peak: Cell<usize>,
}

impl Asker<'_> {
    /// True when `work` and `more` go past the limit.
    fn over(&self, work: &LinkWork, more: usize) -> bool {
        let total = work.total() + more;
        self.peak.set(self.peak.get().max(total));
        total > self.max
    }

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
            if self.over(work, 0) {
                return Err(Exhausted);
            }
            let Some(t) = self.trusts.get(e.trust) else {
                continue;
            };
            if self.dumped.is_some() && t.role != self.dumped.as_ref() {
                continue;
            }
            let Some(key) = t.doc.keys.get(e.key).filter(|k| k.accepts(aud)) else {
                continue;
            };
            for p in &key.providers {
                if !asked.insert((e.trust, p.as_str())) {
                    continue;
                }
                if self.over(work, 1 + t.steps) {
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
        if eval::evaluate(t.written, &claims).decision != Decision::Deny {
            return true;
        }
        t.wide.is_some_and(|w| {
            let widened = Claims {
                role: None,
                ..claims
            };
            eval::evaluate(w, &widened).decision != Decision::Deny
        })
    }
}

/// What linking needs of the set, built once and shared by every part: the
/// index of the trusts with providers, each prepared, and the dumped roles.
pub(super) struct Linker<'a> {
    /// The positions in [`Found::trusts`] of the trusts with providers, each prepared.
    trusts: Vec<(usize, Prepared)>,
    index: Index,
    roles: Roles<'a>,
    max: usize,
}

impl std::fmt::Debug for Linker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linker")
            .field("trusts", &self.trusts.len())
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}

/// One part's links: its ServiceAccounts, each linked as the first of the
/// set would be, with the work it took and where the limit would stop it.
#[derive(Debug, Default)]
pub(super) struct Links {
    /// ServiceAccounts of the part with a role-arn whose trust was looked for.
    service_accounts: usize,
    done: Vec<Linked>,
    /// The ServiceAccount (its position in the set) at which the part's own
    /// work reached the limit: the set's reached it there or before.
    stopped: Option<usize>,
}

impl Links {
    /// True when the part's own work reached the limit: a pass over the
    /// ServiceAccounts stops there or before, so the parts after it are
    /// not needed (the merge links any range it reaches).
    pub(super) fn stopped(&self) -> bool {
        self.stopped.is_some()
    }
}

/// One ServiceAccount linked.
#[derive(Debug)]
struct Linked {
    /// Its position in [`Found::sas`].
    sa: usize,
    work: LinkWork,
    /// The most work its checks of the limit added to the work before it.
    peak: usize,
    diags: Vec<Diagnostic>,
}

impl<'a> Linker<'a> {
    /// Indexes and prepares the trusts of `found` (each once), within `max` steps of work.
    pub(super) fn new(found: &Found<'a>, max: usize) -> Self {
        let docs: Vec<(usize, &TrustDoc<'_>)> = found
            .trusts
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.providers.is_empty())
            .collect();
        let index = Index::build(
            docs.iter()
                .enumerate()
                .map(|(i, (_, t))| (i, t.keys.as_slice())),
        );
        Linker {
            trusts: docs.iter().map(|(at, t)| (*at, Prepared::new(t))).collect(),
            index,
            roles: Roles::new(found),
            max,
        }
    }

    /// The prepared trusts with their records, in the index's order.
    fn ready<'t>(&'t self, found: &'t Found<'_>) -> Vec<Ready<'t>> {
        self.trusts
            .iter()
            .filter_map(|(at, p)| {
                let doc = found.trusts.get(*at)?;
                Some(Ready {
                    doc,
                    written: p.written.as_ref().unwrap_or(&doc.policy),
                    wide: p.wide.as_ref(),
                    steps: p.steps,
                    role: p.role.as_ref(),
                })
            })
            .collect()
    }

    /// True for a ServiceAccount whose trust is looked for: a role-arn, a
    /// known namespace and name, and (a role a complete dump lacks is
    /// IRSA504, not a trust that refuses) a role the dumps do not lack.
    fn is_linked(&self, sa: &SaDoc<'_>) -> bool {
        sa.linkable
            && !sa.templated
            && sa
                .role_arn
                .as_deref()
                .is_some_and(|a| self.roles.absent(a).is_none())
    }

    /// The ServiceAccounts of `found` from position `from` on whose trust is looked for.
    fn linked<'f>(
        &'f self,
        found: &'f Found<'f>,
        from: usize,
    ) -> impl Iterator<Item = (usize, &'f SaDoc<'f>)> {
        found
            .sas
            .iter()
            .enumerate()
            .skip(from)
            .filter(|(_, sa)| self.is_linked(sa))
    }

    /// Links the ServiceAccounts of `found` at positions `range`, each as
    /// if it were the first: within the limit, the work and findings of
    /// one do not depend on the others ([`Linker::merge`] adds them up).
    pub(super) fn part(&self, found: &Found<'_>, range: Range<usize>) -> Links {
        let mut links = Links::default();
        if self.trusts.is_empty() {
            return links;
        }
        let trusts = self.ready(found);
        let linked: Vec<_> = self
            .linked(found, range.start)
            .take_while(|(at, _)| *at < range.end)
            .collect();
        links.service_accounts = linked.len();
        let mut work = LinkWork::default();
        for (at, sa) in linked {
            let before = work;
            let mut out = Out::default();
            match link_one(
                sa,
                &self.index,
                &trusts,
                &self.roles,
                self.max,
                &mut work,
                &mut out,
            ) {
                Ok(peak) => links.done.push(Linked {
                    sa: at,
                    work: work.since(&before),
                    peak: peak.saturating_sub(before.total()),
                    diags: out.diags,
                }),
                Err(Exhausted) => {
                    links.stopped = Some(at);
                    break;
                }
            }
        }
        links
    }

    /// The parts' links added up in the set's order (`parts`: each range
    /// and what linked it, the ranges following each other; a range not
    /// linked yet is linked here when the pass reaches it): the work and
    /// findings of one pass over the ServiceAccounts. Where the limit would
    /// stop that pass, the pass itself goes on from that ServiceAccount with
    /// the work before it, so the findings, IRSA402 and the work counted are
    /// the pass's exactly.
    pub(super) fn merge(
        &self,
        found: &Found<'_>,
        parts: Vec<(Range<usize>, Option<Links>)>,
        out: &mut Out,
    ) -> LinkWork {
        let counted = |(range, links): &(Range<usize>, Option<Links>)| match links {
            Some(l) => l.service_accounts,
            None => self.count(found, range.clone()),
        };
        let mut work = LinkWork {
            service_accounts: parts.iter().map(counted).sum(),
            ..LinkWork::default()
        };
        for (range, links) in parts {
            let part = links.unwrap_or_else(|| self.part(found, range));
            for one in part.done {
                if work.total() + one.peak > self.max {
                    return self.pass(found, one.sa, work, out);
                }
                work.add(&one.work);
                out.diags.extend(one.diags);
            }
            if let Some(at) = part.stopped {
                return self.pass(found, at, work, out);
            }
        }
        work
    }

    /// How many ServiceAccounts at positions `range` [`Linker::part`] would link.
    fn count(&self, found: &Found<'_>, range: Range<usize>) -> usize {
        if self.trusts.is_empty() {
            return 0;
        }
        self.linked(found, range.start)
            .take_while(|(at, _)| *at < range.end)
            .count()
    }

    /// The ServiceAccounts from position `from` on linked one after the
    /// other after `work`, until the limit stops them (IRSA402 naming the rest).
    fn pass(&self, found: &Found<'_>, from: usize, mut work: LinkWork, out: &mut Out) -> LinkWork {
        let trusts = self.ready(found);
        let linked: Vec<&SaDoc<'_>> = self.linked(found, from).map(|(_, sa)| sa).collect();
        for (n, sa) in linked.iter().enumerate() {
            let step = link_one(
                sa,
                &self.index,
                &trusts,
                &self.roles,
                self.max,
                &mut work,
                out,
            );
            if step.is_err() {
                skipped(
                    linked.get(n..).unwrap_or_default(),
                    self.max,
                    &mut work,
                    out,
                );
                break;
            }
        }
        work
    }
}

impl LinkWork {
    /// The work done since `before`.
    fn since(&self, before: &LinkWork) -> LinkWork {
        LinkWork {
            service_accounts: self.service_accounts - before.service_accounts,
            skipped: self.skipped - before.skipped,
            lookups: self.lookups - before.lookups,
            candidates: self.candidates - before.candidates,
            evaluations: self.evaluations - before.evaluations,
            pattern_steps: self.pattern_steps - before.pattern_steps,
        }
    }

    /// Adds `more` to this work.
    fn add(&mut self, more: &LinkWork) {
        self.service_accounts += more.service_accounts;
        self.skipped += more.skipped;
        self.lookups += more.lookups;
        self.candidates += more.candidates;
        self.evaluations += more.evaluations;
        self.pattern_steps += more.pattern_steps;
    }
}

/// IRSA301 or IRSA302 for one ServiceAccount, if no trust admits it; the
/// largest total of work the limit was held against.
fn link_one(
    sa: &SaDoc<'_>,
    index: &Index,
    trusts: &[Ready<'_>],
    roles: &Roles<'_>,
    max: usize,
    work: &mut LinkWork,
    out: &mut Out,
) -> Result<usize, Exhausted> {
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
        max,
        peak: Cell::new(0),
    };
    let aud = sa
        .audience
        .as_ref()
        .map_or(kube::DEFAULT_AUDIENCE, |(a, _)| a.as_str());
    if asker.admits(entries.iter().chain(index.open()), aud, work)? {
        return Ok(asker.peak.get());
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
        if asker.dumped.is_some() && t.role != asker.dumped.as_ref() {
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
    Ok(asker.peak.get())
}

/// IRSA402 naming the ServiceAccounts whose links were not checked.
fn skipped(rest: &[&SaDoc<'_>], max: usize, work: &mut LinkWork, out: &mut Out) {
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
            max,
            rest.len(),
            work.service_accounts,
            names.join(", ")
        ),
    ));
}
