//! The checker's questions about a trust, answered by the evaluator so that
//! `check` and `simulate` can never disagree:
//!
//! - [`admits`]: does it admit this ServiceAccount's token?
//! - [`admits_everyone`]: every ServiceAccount of the cluster (a subject no
//!   condition names)? The question behind "no `sub` condition" (IRSA004).
//! - [`admits_anyone`]: some ServiceAccount at all (one of the subjects the
//!   trust's own conditions name)? No: nobody can assume the role.
//! - [`reach`]: the three answers above as one [`Reach`].
//! - [`open_to_any_web_identity`]: a token from an issuer the trust does not
//!   name (a wildcard principal, IRSA030)?
//! - [`admits_pod_identity`]: EKS Auth's request for a Pod Identity
//!   association (`pods.eks.amazonaws.com`, `sts:AssumeRole` and
//!   `sts:TagSession` with the session tags it knows), IRSA506?
//!
//! Each answer is an [`Evaluation`], so a finding can cite the deciding
//! statement and condition, and a Conditional answer names the caller-only
//! keys it depends on. The role defaults as in `simulate` ([`Role::assumed`]).

use serde::Serialize;

use super::decide::{evaluate, Decision, Evaluation};
use super::request::{Claims, Role};
use crate::kube;
use crate::trust::{self, claim_of, Effect, Policy, PrincipalKind, Statement};

/// A ServiceAccount name no trust names: the probe for "everyone in the cluster".
pub const PROBE_NAMESPACE: &str = "irsa-gen-probe";
/// See [`PROBE_NAMESPACE`].
pub const PROBE_SERVICE_ACCOUNT: &str = "irsa-gen-probe";
/// An issuer no trust names: the probe for "any web identity".
pub const PROBE_ISSUER: &str = "oidc.irsa-gen.invalid/probe";
/// Most tokens [`admits_anyone`] tries (subjects times audiences).
pub const MAX_CANDIDATES: usize = 64;

/// Who of one issuer's ServiceAccounts a trust admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Reach {
    /// No ServiceAccount (of the subjects the trust names, nor any other).
    Nobody,
    /// Some, not every one.
    Some,
    /// Every ServiceAccount of the cluster, whatever its name.
    Everyone,
    /// It depends on keys only the caller knows.
    Conditional,
}

fn token(issuer: &str, sub: String, aud: &str, role: Option<&Role>) -> Claims {
    Claims {
        iss: Some(issuer.to_string()),
        sub: Some(sub),
        aud: Some(aud.to_string()),
        role: role.cloned(),
        ..Claims::default()
    }
}

/// Does the trust admit `namespace/name`'s token for `audience` from `issuer`?
pub fn admits(
    policy: &Policy,
    issuer: &str,
    namespace: &str,
    name: &str,
    audience: &str,
    role: Option<&Role>,
) -> Evaluation {
    let sub = kube::subject(namespace, name);
    evaluate(policy, &token(issuer, sub, audience, role))
}

/// Does it admit a ServiceAccount that no condition names (so every one)?
pub fn admits_everyone(
    policy: &Policy,
    issuer: &str,
    audience: &str,
    role: Option<&Role>,
) -> Evaluation {
    admits(
        policy,
        issuer,
        PROBE_NAMESPACE,
        PROBE_SERVICE_ACCOUNT,
        audience,
        role,
    )
}

/// The first token of the subjects and audiences the trust names (and
/// `audiences`) that it admits: `(sub, aud, evaluation)`. None: nobody is
/// admitted. A Conditional answer comes back when nothing is plainly allowed.
pub fn admits_anyone(
    policy: &Policy,
    issuer: &str,
    audiences: &[&str],
    role: Option<&Role>,
) -> Option<(String, String, Evaluation)> {
    let mut subs = named_values(policy, "sub");
    subs.push(kube::subject(PROBE_NAMESPACE, PROBE_SERVICE_ACCOUNT));
    let mut auds: Vec<String> = audiences.iter().map(|a| a.to_string()).collect();
    auds.extend(named_values(policy, "aud"));
    auds.dedup();
    let mut conditional = None;
    let pairs = subs.iter().flat_map(|s| auds.iter().map(move |a| (s, a)));
    for (sub, aud) in pairs.take(MAX_CANDIDATES) {
        let e = evaluate(policy, &token(issuer, sub.clone(), aud, role));
        match e.decision {
            Decision::Allow => return Some((sub.clone(), aud.clone(), e)),
            Decision::Conditional if conditional.is_none() => {
                conditional = Some((sub.clone(), aud.clone(), e));
            }
            _ => {}
        }
    }
    conditional
}

/// Everyone, some, nobody, or conditional, for `issuer`'s ServiceAccounts.
pub fn reach(policy: &Policy, issuer: &str, audiences: &[&str], role: Option<&Role>) -> Reach {
    let everyone = audiences
        .iter()
        .map(|a| admits_everyone(policy, issuer, a, role).decision)
        .collect::<Vec<_>>();
    if everyone.contains(&Decision::Allow) {
        return Reach::Everyone;
    }
    match admits_anyone(policy, issuer, audiences, role).map(|(_, _, e)| e.decision) {
        Some(Decision::Allow) => Reach::Some,
        Some(_) => Reach::Conditional,
        None if everyone.contains(&Decision::Conditional) => Reach::Conditional,
        None => Reach::Nobody,
    }
}

/// Does the trust admit a token from an issuer it does not name, such as any
/// web identity? The evaluation of that probe when it is not a plain Deny.
pub fn open_to_any_web_identity(policy: &Policy, audience: &str) -> Option<Evaluation> {
    // Only an Allow statement that names the probe's caller can make the
    // decision anything but Deny (a statement whose principal does not name
    // the caller never applies nor depends): without one, no evaluation.
    if !policy.statements.iter().any(may_name_probe) {
        return None;
    }
    let role = Role::assumed(policy, PROBE_ISSUER).unwrap_or(Role {
        partition: "aws".into(),
        account: "000000000000".into(),
    });
    let sub = kube::subject(PROBE_NAMESPACE, PROBE_SERVICE_ACCOUNT);
    let e = evaluate(policy, &token(PROBE_ISSUER, sub, audience, Some(&role)));
    (e.decision != Decision::Deny).then_some(e)
}

/// Could this statement's principal name the caller of a probe token (as
/// `principal::names_caller` decides it): an Allow statement with
/// `NotPrincipal`, everyone, or a Federated provider of the probe's issuer.
fn may_name_probe(s: &Statement) -> bool {
    s.effect == Some(Effect::Allow)
        && (s.not_principal
            || s.principals.iter().any(|p| match p.kind {
                PrincipalKind::Any => true,
                PrincipalKind::Aws => p.value.value == "*",
                PrincipalKind::Federated => trust::provider_as_written(&p.value.value)
                    .is_some_and(|pr| pr.host_path.eq_ignore_ascii_case(PROBE_ISSUER)),
                PrincipalKind::Service | PrincipalKind::Other => false,
            }))
}

/// Does the trust let EKS Auth assume the role for an association of
/// `namespace/service_account` in `cluster` (name and ARN, empty when
/// unknown)? The session tags EKS sets are in the request; the pod's name and
/// UID are not known, so a trust that depends on them is Conditional.
pub fn admits_pod_identity(
    policy: &Policy,
    namespace: &str,
    service_account: &str,
    cluster: (&str, &str),
) -> Evaluation {
    let mut tags = vec![
        ("kubernetes-namespace", namespace),
        ("kubernetes-service-account", service_account),
    ];
    for (tag, value) in [
        ("eks-cluster-name", cluster.0),
        ("eks-cluster-arn", cluster.1),
    ] {
        if !value.is_empty() {
            tags.push((tag, value));
        }
    }
    let context = tags
        .iter()
        .map(|(k, v)| (format!("aws:RequestTag/{k}"), vec![(*v).to_string()]))
        .collect();
    let claims = Claims {
        sub: Some(kube::subject(namespace, service_account)),
        context,
        pod_identity: true,
        ..Claims::default()
    };
    evaluate(policy, &claims)
}

/// The values of conditions on `ISSUER:claim`, wildcards made concrete (`*`
/// and `?` become `x`), so that patterns have a subject that matches them.
fn named_values(policy: &Policy, claim: &str) -> Vec<String> {
    let mut out: Vec<String> = policy
        .statements
        .iter()
        .flat_map(|s| s.conditions.iter())
        .filter(|c| claim_of(&c.key.value) == Some(claim))
        .flat_map(|c| c.values.iter())
        .map(|v| v.value.replace(['*', '?'], "x"))
        .collect();
    out.sort();
    out.dedup();
    out
}
