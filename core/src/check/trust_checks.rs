//! The findings of one trust policy: its statements one by one (the actions,
//! a non-EKS issuer, who it admits, Pod Identity's service principal), with
//! the Federated principal judged in `trust_principal.rs` and the conditions
//! (`aud`, `sub`, operators and patterns) in `trust_conditions.rs`.
//! `check.rs` reads the files and links them; this file judges a trust on
//! its own.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use super::found::TrustDoc;
use super::index;
use super::out::Out;
use super::trust_conditions::{check_conditions, Acc, StatementContext};
use super::trust_principal::{check_federated, WEB_IDENTITY_DOMAINS};
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::eval::{self, Claims, Decision};
use crate::kube;
use crate::placeholder::{self};
use crate::trust::{self, Effect, Policy, PrincipalKind, Statement};

/// OIDC issuers that are not Kubernetes clusters, whose `sub` is their own.
const NON_EKS_ISSUERS: &[(&str, &str)] = &[
    ("token.actions.githubusercontent.com", "GitHub Actions"),
    ("gitlab.com", "GitLab"),
    ("oidc.circleci.com", "CircleCI"),
    ("app.terraform.io", "Terraform Cloud"),
    ("agent.buildkite.com", "Buildkite"),
    ("api.bitbucket.org", "Bitbucket Pipelines"),
    ("vstoken.actions.githubusercontent.com", "GitHub Actions"),
];

/// The sub of a token no condition names: what the evaluator is asked about
/// to tell whether a statement restricts `sub` at all (IRSA004).
const PROBE_SUB: &str = "irsa-gen:probe";

/// The CI system or non-cluster issuer a statement trusts, if it trusts no
/// cluster: a known CI issuer, or a literal non-EKS issuer whose `sub`
/// values are not ServiceAccount subjects.
fn non_eks(s: &Statement, providers: &[String]) -> Option<String> {
    let host = |p: &String| p.split('/').next().unwrap_or("").to_ascii_lowercase();
    if providers.is_empty() || providers.iter().any(|p| placeholder::issuer_is_masked(p)) {
        return None;
    }
    if let Some((_, name)) = providers
        .iter()
        .find_map(|p| NON_EKS_ISSUERS.iter().find(|(h, _)| host(p) == *h))
    {
        return Some((*name).to_string());
    }
    let eks = providers.iter().any(|p| host(p).starts_with("oidc.eks."));
    let subs: Vec<&str> = s
        .conditions_on("sub")
        .flat_map(|c| c.values.iter().map(|v| v.value.as_str()))
        .collect();
    let foreign = !subs.is_empty()
        && subs
            .iter()
            .all(|v| !v.starts_with("system:serviceaccount:"));
    let first = providers.first()?;
    (!eks && foreign).then(|| format!("`{}`", host(first)))
}

pub(super) fn check_trust(
    t: &mut TrustDoc<'_>,
    max_len: usize,
    audiences: &BTreeSet<&str>,
    out: &mut Out,
) {
    let file = t.file;
    let len = t.length;
    if len > max_len {
        out.push(
            file,
            t.root_span,
            "IRSA013",
            format!(
                "the trust policy is {len} characters without whitespace; the limit is {max_len}"
            ),
        );
    }
    let pod_identity = t.policy.statements.iter().any(|s| {
        s.principals
            .iter()
            .any(|p| p.kind == PrincipalKind::Service && p.value.value == POD_IDENTITY_PRINCIPAL)
    });
    // Without placeholders the policy is its own view as written: no copy.
    let as_written = if t.templated {
        Cow::Owned(crate::widen::keys_matched(&t.policy))
    } else {
        Cow::Borrowed(&t.policy)
    };
    // Found once: every statement is judged beside them (IRSA004).
    let denies: Vec<&Statement> = as_written
        .statements
        .iter()
        .filter(|d| d.effect == Some(Effect::Deny))
        .collect();
    let mut web_identity_allow = false;
    let mut eks_service = Vec::new();
    let mut acc = Acc::default();
    let mut all_providers: Vec<String> = Vec::new();
    let mut seen_providers: HashSet<String> = HashSet::new();
    for s in &t.policy.statements {
        let is_pi = s
            .principals
            .iter()
            .any(|p| p.kind == PrincipalKind::Service && p.value.value == POD_IDENTITY_PRINCIPAL);
        if is_pi
            && s.effect == Some(Effect::Allow)
            && s.covers_action("sts:AssumeRole")
            && !s.covers_action("sts:TagSession")
        {
            out.push(
                file,
                s.action_span.unwrap_or(s.span),
                "IRSA016",
                "the Pod Identity statement allows sts:AssumeRole but not sts:TagSession",
            );
        }
        let everyone = s.principals.iter().any(|p| {
            p.kind == PrincipalKind::Any || (p.kind == PrincipalKind::Aws && p.value.value == "*")
        });
        if everyone && s.effect == Some(Effect::Allow) && s.covers_action(eval::WEB_IDENTITY_ACTION)
        {
            // Judged by the evaluator below (IRSA030); it lets web identities in.
            web_identity_allow = true;
        }
        if s.effect == Some(Effect::Allow) && s.covers_action("sts:AssumeRole") {
            eks_service.extend(
                s.principals
                    .iter()
                    .filter(|p| {
                        p.kind == PrincipalKind::Service
                            && p.value.value.eq_ignore_ascii_case("eks.amazonaws.com")
                    })
                    .map(|p| p.value.span),
            );
        }
        let federated: Vec<_> = s.federated().collect();
        if federated.is_empty() {
            continue;
        }
        let mut providers = Vec::new();
        for p in &federated {
            if let Some(hp) = check_federated(file, &p.value.value, p.value.span, out) {
                providers.push(hp);
            }
        }
        if let Some(a) = s
            .actions
            .iter()
            .find(|a| !s.not_action && a.value.eq_ignore_ascii_case("sts:AssumeRole"))
        {
            out.push(file, a.span, "IRSA012", "sts:AssumeRole with a Federated principal grants nothing; OIDC tokens use sts:AssumeRoleWithWebIdentity");
        }
        let web = s.effect == Some(Effect::Allow) && s.covers_action(eval::WEB_IDENTITY_ACTION);
        if web {
            web_identity_allow = true;
        }
        if let Some(ci) = non_eks(s, &providers) {
            let span = federated.first().map_or(s.span, |p| p.value.span);
            let unpinned = if s.conditions_on("sub").next().is_none() {
                "; it has no `sub` condition, so any identity of that issuer can assume the role"
            } else {
                ""
            };
            out.push(file, span, "IRSA020", format!("statement {} trusts {ci}, not an EKS cluster: checked as an IAM trust, without the ServiceAccount rules{unpinned}", s.index));
            continue;
        }
        let ctx = StatementContext {
            file,
            providers: &providers,
            web,
            audiences,
        };
        let mut key = check_conditions(&ctx, s, &mut acc, out);
        if web && admits_anyone(&as_written, &denies, s, &providers, audiences) {
            key.subs.push(index::Sub::Any);
            out.push(file, s.condition_span.unwrap_or(s.span), "IRSA004", format!("statement {} has no `sub` condition: every service account in the cluster can assume the role", s.index));
        }
        if web {
            key.providers.clone_from(&providers);
            acc.keys.push(key);
            for hp in providers {
                // A set beside the list: 26,000 providers in one trust stay linear.
                if seen_providers.insert(hp.clone()) {
                    all_providers.push(hp);
                }
            }
        }
    }
    t.providers = all_providers;
    t.literal_subs = acc.literal_subs;
    t.keys = acc.keys;
    t.auds = acc.auds;
    // A wildcard principal admits tokens of issuers the trust does not name:
    // the evaluator decides, as `simulate` does (eval::verdict).
    let open = eval::verdict::open_to_any_web_identity(&t.policy, kube::DEFAULT_AUDIENCE);
    if let Some(e) = &open {
        let s = e.statement.and_then(|i| t.policy.statements.get(i));
        let span = s.map_or(t.policy.span, |s| s.principal_span.unwrap_or(s.span));
        let when = if e.decision == Decision::Conditional {
            format!(" when {} allows", e.depends_on.join(", "))
        } else {
            String::new()
        };
        out.push(file, span, "IRSA030", format!(
            "statement {} lets any web identity assume the role{when}: a wildcard principal admits tokens of every OIDC provider, not only this cluster's",
            e.statement.unwrap_or(0)
        ));
    }
    if !web_identity_allow && !pod_identity {
        no_web_identity(t, out);
    } else if web_identity_allow {
        for span in eks_service {
            out.push(file, span, "IRSA019", "this IRSA role also lets the EKS service (eks.amazonaws.com) assume it with sts:AssumeRole");
        }
    }
}

/// A trust that lets no web identity in: IRSA002 when it is meant for pods
/// (its statements say so, or a ServiceAccount of the set names its role),
/// else IRSA022 (a Lambda or EC2 role: said, not judged as an IRSA trust).
fn no_web_identity(t: &TrustDoc<'_>, out: &mut Out) {
    let file = t.file;
    let span = t
        .policy
        .statements
        .first()
        .and_then(|s| s.action_span)
        .unwrap_or(t.policy.span);
    if let Some(sa) = &t.linked {
        out.push(file, span, "IRSA002", format!("no Allow statement lets an OIDC provider (Federated principal) call sts:AssumeRoleWithWebIdentity, but ServiceAccount `{sa}` names this role"));
    } else if meant_for_pods(&t.policy) {
        out.push(file, span, "IRSA002", "no Allow statement lets an OIDC provider (Federated principal) call sts:AssumeRoleWithWebIdentity");
    } else {
        let span = t
            .policy
            .statements
            .first()
            .and_then(|s| s.principal_span)
            .unwrap_or(span);
        out.push(file, span, "IRSA022", not_for_pods(&t.policy));
    }
}

/// True when a trust shows it is meant for pods, so that IRSA002 is a
/// certain error: a Federated principal other than a SAML provider or a
/// public web identity provider (an OIDC provider ARN, even beside the wrong
/// action), `sts:AssumeRoleWithWebIdentity`
/// named among its actions, an OIDC `sub` or `aud` condition key, or Pod
/// Identity's service. A trust of only Service and AWS principals (a Lambda,
/// EC2 or ECS role) shows none: no ServiceAccount naming it, it is not judged
/// as an IRSA trust (IRSA022).
pub(super) fn meant_for_pods(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.principals.iter().any(|p| match p.kind {
            PrincipalKind::Federated => {
                !p.value.value.contains(":saml-provider/")
                    && !WEB_IDENTITY_DOMAINS.contains(&p.value.value.as_str())
            }
            PrincipalKind::Service => p.value.value == POD_IDENTITY_PRINCIPAL,
            _ => false,
        }) || (!s.not_action
            && s.actions
                .iter()
                .any(|a| a.value.eq_ignore_ascii_case(eval::WEB_IDENTITY_ACTION)))
            || s.conditions
                .iter()
                .any(|c| matches!(trust::claim_of(&c.key.value), Some("sub" | "aud")))
    })
}

/// IRSA022's message: whom the trust names instead of pods.
fn not_for_pods(policy: &Policy) -> String {
    // A set beside the list: a trust of 100,000 principals stays linear.
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut named: Vec<String> = Vec::new();
    for p in policy.statements.iter().flat_map(|s| &s.principals) {
        let kind = match p.kind {
            PrincipalKind::Any => "everyone",
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::Service => "Service",
            PrincipalKind::Other => "other",
        };
        if seen.insert((kind, p.value.value.as_str())) {
            named.push(format!("`{}` ({kind})", p.value.value));
        }
    }
    const SHOWN: usize = 3;
    let whom = match named.len() {
        0 => "this policy names no principal".to_string(),
        n if n > SHOWN => format!(
            "this role trusts only {} and {} more",
            named.get(..SHOWN).unwrap_or_default().join(", "),
            n - SHOWN
        ),
        _ => format!("this role trusts only {}", named.join(", ")),
    };
    format!("{whom}: not an IRSA or Pod Identity role, and nothing in the set links it to a ServiceAccount, so it was not checked as an IRSA trust")
}

/// Does the statement (with the policy's Deny statements) let in a token
/// whose `sub` no condition names? Asked of the evaluator, for every provider
/// and every audience tokens of the set carry (and an aud placeholder, which
/// is filled with one), so that check says what simulate says.
fn admits_anyone(
    policy: &Policy,
    denies: &[&Statement],
    s: &Statement,
    providers: &[String],
    audiences: &BTreeSet<&str>,
) -> bool {
    // The statement (as `policy` has it) among the policy's Deny statements,
    // in policy order.
    let own = policy
        .statements
        .get(s.index)
        .filter(|d| d.index == s.index)
        .or_else(|| policy.statements.iter().find(|d| d.index == s.index));
    let before = denies.partition_point(|d| d.index < s.index);
    let (head, tail) = denies.split_at(before);
    // A policy of only this statement and Deny statements (in policy
    // order) is already that policy: no copy.
    let alone = if policy
        .statements
        .iter()
        .all(|d| d.index == s.index || d.effect == Some(Effect::Deny))
    {
        Cow::Borrowed(policy)
    } else {
        Cow::Owned(Policy {
            version: policy.version.clone(),
            statements: head
                .iter()
                .copied()
                .chain(own)
                .chain(tail.iter().copied().filter(|d| d.index != s.index))
                .cloned()
                .collect(),
            span: policy.span,
        })
    };
    let auds: BTreeSet<&str> = audiences
        .iter()
        .copied()
        .chain(
            s.conditions_on("aud")
                .flat_map(|c| c.values.iter().map(|v| v.value.as_str()))
                .filter(|v| placeholder::has_placeholder(v)),
        )
        .collect();
    providers.iter().any(|iss| {
        auds.iter().any(|aud| {
            let claims = Claims {
                iss: Some(iss.clone()),
                sub: Some(PROBE_SUB.to_string()),
                aud: Some((*aud).to_string()),
                ..Claims::default()
            };
            eval::evaluate(&alone, &claims).decision == Decision::Allow
        })
    })
}
