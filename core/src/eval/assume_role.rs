//! May this role session assume that role? A role trust policy against a
//! role session's `sts:AssumeRole` (and `sts:TagSession`), decided as IAM
//! decides any request: an explicit Deny wins, then an Allow, else an
//! implicit deny; a key only IAM or the caller knows makes it Conditional
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//!
//! This is the trust side only. The caller's own side (its identity-based
//! policies, boundary, session policy, SCPs) must allow the call too when
//! the caller is in another account than the role, or when the trust names
//! the caller's account rather than its role
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>);
//! an Allow says so in its notes.

use serde::Serialize;

use super::decide::{self, Decision, Evaluation, Outcome};
use super::keys::Request;
use super::request::Claims;
use super::role_principal::{names_session, Named};
use super::session::{CallerRole, RoleSession};
use crate::diagnostic::Diagnostic;
use crate::trust::{Effect, Policy, Statement};

/// The key a Conditional names when an `assumed-role` principal decides and
/// the caller's session name is not given.
pub const SESSION_NAME: &str = "the caller's role session name";

/// The outcome of [`evaluate_session`]: the decision, and what IAM also
/// requires beyond the trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionEvaluation {
    /// The caller's role ARN.
    pub principal_role_arn: String,
    /// The actions decided (`sts:AssumeRole`, and `sts:TagSession` with session tags).
    pub actions: Vec<String>,
    /// The decision, what decided it and why.
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// What the decision leaves to the caller's side, and what IAM would
    /// refuse in the trust itself, one sentence each.
    pub notes: Vec<String>,
}

/// Decides a role session's `sts:AssumeRole` against a parsed trust policy;
/// `target_account` is the account of the role whose trust it is, when
/// known (a cross-account call needs the caller's identity policy too).
pub fn evaluate_session(
    policy: &Policy,
    session: &RoleSession,
    target_account: Option<&str>,
) -> SessionEvaluation {
    let actions = session.actions();
    let Some(caller) = session.parts() else {
        return SessionEvaluation {
            principal_role_arn: session.role_arn.clone(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            evaluation: decide::decide(&[]),
            notes: vec![format!("`{}` is not a role ARN", session.role_arn)],
        };
    };
    let claims = Claims::default();
    let request = Request {
        claims: &claims,
        issuer: None,
        provider_arn: None,
        open: false,
        session: Some(session),
    };
    let variables = policy
        .version
        .as_ref()
        .is_some_and(|v| v.value == "2012-10-17");
    let named: Vec<Named> = policy
        .statements
        .iter()
        .map(|s| names_session(s, session, &caller))
        .collect();
    // Each action is authorized on its own, and the call needs every one:
    // the decision is the first action's that is not an Allow.
    let mut evaluation = None;
    for action in &actions {
        let outcomes: Vec<(&Statement, Outcome)> = policy
            .statements
            .iter()
            .zip(&named)
            .map(|(s, n)| (s, statement(s, *n, action, &request, variables, &caller)))
            .collect();
        let mut e = decide::decide(&outcomes);
        if actions.len() > 1 {
            e.reason = format!("{action}: {}", e.reason);
        }
        let worse = |old: &Evaluation| rank(e.decision) > rank(old.decision);
        if evaluation.as_ref().is_none_or(worse) {
            evaluation = Some(e);
        }
    }
    let evaluation = evaluation.unwrap_or_else(|| decide::decide(&[]));
    let notes = notes(
        policy,
        &evaluation,
        &named,
        &caller,
        target_account,
        &actions,
    );
    SessionEvaluation {
        principal_role_arn: session.role_arn.clone(),
        actions: actions.iter().map(|a| a.to_string()).collect(),
        evaluation,
        notes,
    }
}

/// Allow before Conditional before Deny.
fn rank(d: Decision) -> u8 {
    match d {
        Decision::Allow => 0,
        Decision::Conditional => 1,
        Decision::Deny => 2,
    }
}

fn statement(
    s: &Statement,
    named: Named,
    action: &str,
    request: &Request<'_>,
    variables: bool,
    caller: &CallerRole,
) -> Outcome {
    if named == Named::No {
        let wildcard = s
            .principals
            .iter()
            .any(|p| p.value.value != "*" && p.value.value.contains(['*', '?']));
        let why = if wildcard {
            "a wildcard inside an ARN of Principal names no one (IAM refuses the policy)"
                .to_string()
        } else if s.not_principal {
            "its NotPrincipal leaves the caller out".to_string()
        } else {
            format!(
                "its principal names neither the role `{}`, nor account {}, nor everyone",
                caller.arn, caller.account
            )
        };
        return Outcome::Misses(0, None, why);
    }
    if !s.covers_action(action) {
        return Outcome::Misses(1, None, format!("its Action does not cover {action}"));
    }
    let unknown = (named == Named::SessionUnknown).then(|| {
        (
            std::iter::once(SESSION_NAME.to_string()).collect(),
            "Principal".to_string(),
        )
    });
    decide::conditions(s, request, variables, unknown)
}

/// What an Allow leaves to the caller's side, and NotPrincipal, which IAM
/// refuses in a trust.
fn notes(
    policy: &Policy,
    e: &Evaluation,
    named: &[Named],
    caller: &CallerRole,
    target_account: Option<&str>,
    actions: &[&str],
) -> Vec<String> {
    let mut out = Vec::new();
    for s in policy.statements.iter().filter(|s| s.not_principal) {
        out.push(format!(
            "statement {} uses NotPrincipal, which IAM refuses in a role trust policy (MalformedPolicyDocument)",
            s.index
        ));
    }
    if e.decision == Decision::Deny {
        return out;
    }
    let deciding = e.statement.and_then(|i| named.get(i).copied());
    let allow = e
        .statement
        .and_then(|i| policy.statements.get(i))
        .is_some_and(|s| s.effect == Some(Effect::Allow));
    let how = match deciding {
        Some(Named::Account) if allow => Some(format!(
            "statement {} names account {}, not the role: the caller's identity-based policy must also allow the call",
            e.statement.unwrap_or_default(),
            caller.account,
        )),
        Some(Named::Everyone) if allow => Some(format!(
            "statement {} admits every AWS principal (`*`): the caller's identity-based policy must also allow the call",
            e.statement.unwrap_or_default()
        )),
        _ => None,
    };
    out.extend(how);
    if let Some(t) = target_account.filter(|t| *t != caller.account) {
        out.push(format!(
            "cross-account ({} to {t}): the caller's identity-based policy must also allow {} on the role; only the trust is evaluated here",
            caller.account,
            actions.join(" and ")
        ));
    }
    out
}

/// Parses a trust text and decides a role session's call: IRSA001 for a
/// text that is not a policy, IRSA420 for a bad request.
pub fn simulate_session(
    trust_text: &str,
    session: &RoleSession,
    target_account: Option<&str>,
) -> Result<SessionEvaluation, Vec<Diagnostic>> {
    let problems = session.problems();
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| crate::rules::diagnostic("IRSA420", p))
            .collect());
    }
    let policy = super::simulate::parse_trust_text(trust_text)?;
    Ok(evaluate_session(&policy, session, target_account))
}

#[cfg(test)]
#[path = "assume_role_tests.rs"]
mod tests;
