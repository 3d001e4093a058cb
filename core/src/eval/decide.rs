//! Deciding a request against a policy, as IAM does: an explicit Deny wins,
//! then an Allow, else an implicit deny; caller-only keys make it Conditional.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::trust::{Effect, Policy, Statement};

use super::condition::{self, Truth};
use super::keys::Request;
use super::principal::{self, ForeignProvider};
use super::request::{Claims, RequestIssuer, Role, WEB_IDENTITY_ACTION};

/// Allow, Deny, or "depends on a key only the caller knows".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// Some Allow statement matched and no Deny did.
    Allow,
    /// An explicit or implicit deny.
    Deny,
    /// Allow or Deny depending on keys only the caller knows (see `dependsOn`).
    Conditional,
}

/// The outcome of [`evaluate`]: the decision, what decided it, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// Allow, Deny or Conditional.
    pub decision: Decision,
    /// The deciding statement (0-based), if one decided.
    pub statement: Option<usize>,
    /// The deciding condition (`StringEquals ISSUER:sub`), if one decided.
    pub condition: Option<String>,
    /// Why, in one sentence.
    pub reason: String,
    /// For Conditional: the keys only the caller knows that decide.
    pub depends_on: Vec<String>,
    /// Statements that never apply: they name this issuer's provider in another account or partition.
    pub foreign: Vec<ForeignProvider>,
}

/// How a statement fares against the request.
pub(super) enum Outcome {
    Applies,
    /// It does not: how far it got (0 principal, 1 action, 2 condition), which condition, why.
    Misses(u8, Option<String>, String),
    /// It applies if these caller-only keys allow: the keys and the first such condition.
    Depends(BTreeSet<String>, String),
}

/// Decides a request against a parsed policy.
pub fn evaluate(policy: &Policy, claims: &Claims) -> Evaluation {
    let issuer = claims.iss.as_deref().map(RequestIssuer::of);
    let role = claims.role.clone().or_else(|| {
        issuer
            .as_ref()
            .and_then(|i| Role::assumed_in(policy, i.partition))
    });
    let request = Request {
        claims,
        provider_arn: role
            .as_ref()
            .zip(issuer.as_ref())
            .map(|(r, i)| r.arn_of_provider(&i.in_arn)),
        issuer: issuer.map(|i| i.written),
        open: false,
        session: None,
    };
    let variables = policy
        .version
        .as_ref()
        .is_some_and(|v| v.value == "2012-10-17");
    let mut foreign = Vec::new();
    let outcomes: Vec<(&Statement, Outcome)> = policy
        .statements
        .iter()
        .map(|s| {
            let (outcome, f) = statement(s, &request, role.as_ref(), variables);
            foreign.extend(f);
            (s, outcome)
        })
        .collect();
    let mut e = decide(&outcomes);
    e.foreign = foreign;
    e
}

fn statement(
    s: &Statement,
    request: &Request<'_>,
    role: Option<&Role>,
    variables: bool,
) -> (Outcome, Vec<ForeignProvider>) {
    let claims = request.claims;
    let (named, foreign) = principal::names_caller(s, claims, request.issuer.as_deref(), role);
    if !named {
        let why = match (foreign.first(), claims.pod_identity) {
            (Some(f), _) => format!(
                "its provider `{}` is not in the role's account and partition, so the statement never applies",
                f.provider
            ),
            (None, true) => format!(
                "its principal is not Service {}",
                crate::aws::POD_IDENTITY_PRINCIPAL
            ),
            (None, false) => format!(
                "its principal is not the OIDC provider of `{}`",
                request.issuer.as_deref().unwrap_or("(no issuer)")
            ),
        };
        return (Outcome::Misses(0, None, why), foreign);
    }
    let actions: &[&str] = if claims.pod_identity {
        &["sts:AssumeRole", "sts:TagSession"]
    } else {
        &[WEB_IDENTITY_ACTION]
    };
    if let Some(a) = actions.iter().find(|a| !s.covers_action(a)) {
        let why = format!("its Action does not cover {a}");
        return (Outcome::Misses(1, None, why), foreign);
    }
    (conditions(s, request, variables, None), foreign)
}

/// A statement whose principal and action match, judged by its conditions;
/// `unknown` the caller-only keys (and the first such element) its
/// principal already depends on.
pub(super) fn conditions(
    s: &Statement,
    request: &Request<'_>,
    variables: bool,
    mut unknown: Option<(BTreeSet<String>, String)>,
) -> Outcome {
    for c in &s.conditions {
        // Named only when it decides: most conditions hold.
        let name = || format!("{} {}", c.operator.value, c.key.value);
        match condition::holds(c, request, variables) {
            Truth::Holds => {}
            Truth::Fails(why) => return Outcome::Misses(2, Some(name()), why),
            Truth::Unknown(key) => {
                let entry = unknown.get_or_insert_with(|| (BTreeSet::new(), name()));
                entry.0.insert(key);
            }
        }
    }
    match unknown {
        Some((keys, name)) => Outcome::Depends(keys, name),
        None => Outcome::Applies,
    }
}

/// IAM's decision over every statement's outcome: Deny wins, then Allow.
pub(super) fn decide(outcomes: &[(&Statement, Outcome)]) -> Evaluation {
    let effect = |e| move |(s, _): &&(&Statement, Outcome)| s.effect == Some(e);
    let applies = |o: &&(&Statement, Outcome)| matches!(o.1, Outcome::Applies);
    let depends = |o: &&(&Statement, Outcome)| matches!(o.1, Outcome::Depends(..));
    if let Some((s, _)) = outcomes.iter().filter(effect(Effect::Deny)).find(applies) {
        return done(
            Decision::Deny,
            s.index,
            None,
            format!("explicit Deny in statement {}", s.index),
        );
    }
    let allow = outcomes.iter().filter(effect(Effect::Allow)).find(applies);
    let maybe_deny: Vec<_> = outcomes
        .iter()
        .filter(effect(Effect::Deny))
        .filter(depends)
        .collect();
    let maybe_allow: Vec<_> = outcomes
        .iter()
        .filter(effect(Effect::Allow))
        .filter(depends)
        .collect();
    if let Some((s, _)) = allow.filter(|_| maybe_deny.is_empty()) {
        return done(
            Decision::Allow,
            s.index,
            None,
            format!("statement {} allows it and no Deny matches", s.index),
        );
    }
    if !maybe_deny.is_empty() && (allow.is_some() || !maybe_allow.is_empty()) {
        let deciding = if allow.is_some() {
            maybe_deny
        } else {
            [maybe_deny, maybe_allow].concat()
        };
        return conditional(&deciding);
    }
    if !maybe_allow.is_empty() {
        return conditional(&maybe_allow);
    }
    implicit_deny(outcomes)
}

fn done(
    decision: Decision,
    statement: usize,
    condition: Option<String>,
    reason: String,
) -> Evaluation {
    Evaluation {
        decision,
        statement: Some(statement),
        condition,
        reason,
        depends_on: Vec::new(),
        foreign: Vec::new(),
    }
}

fn conditional(deciding: &[&(&Statement, Outcome)]) -> Evaluation {
    let mut keys = BTreeSet::new();
    let mut first = None;
    for (s, o) in deciding {
        if let Outcome::Depends(k, name) = o {
            keys.extend(k.iter().cloned());
            first.get_or_insert((s.index, name.clone()));
        }
    }
    let (index, name) = first.unwrap_or_default();
    let keys: Vec<String> = keys.into_iter().collect();
    let reason = format!(
        "the decision depends on {}, which only the caller knows",
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Evaluation {
        depends_on: keys,
        ..done(Decision::Conditional, index, Some(name), reason)
    }
}

fn implicit_deny(outcomes: &[(&Statement, Outcome)]) -> Evaluation {
    // The most telling miss is the one of an Allow statement that got furthest.
    let best = outcomes
        .iter()
        .filter(|(s, _)| s.effect == Some(Effect::Allow))
        .filter_map(|(s, o)| match o {
            Outcome::Misses(stage, c, why) => Some((*stage, s.index, c, why)),
            _ => None,
        })
        .fold(
            None,
            |best: Option<(u8, usize, &Option<String>, &String)>, m| match best {
                Some(b) if b.0 >= m.0 => Some(b),
                _ => Some(m),
            },
        );
    match best {
        Some((_, i, c, why)) => done(
            Decision::Deny,
            i,
            c.clone(),
            format!("implicit deny: statement {i} does not match: {why}"),
        ),
        None => Evaluation {
            statement: None,
            ..done(
                Decision::Deny,
                0,
                None,
                "implicit deny: no Allow statement".into(),
            )
        },
    }
}
