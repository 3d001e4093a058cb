//! `simulate`: a trust policy text and a ServiceAccount's token, decided for
//! each OIDC provider the token may come from.
//!
//! STS looks the token's issuer up among the IAM OIDC providers of the role's
//! own account and partition. The request names the role by its ARN, or by its
//! account (the partition is then the issuer region's); without either, the
//! role is assumed to be in the account of the trust's first OIDC provider, and
//! the simulation says so. A statement naming the issuer's provider in another
//! account or partition never applies, Allow or Deny, and each result lists it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decide::{evaluate, Decision, Evaluation};
use super::keys::caller_key;
use super::request::{normalise_issuer, Claims, Role};
use crate::aws;
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::diagnostic::Diagnostic;
use crate::kube;
use crate::source::{self, Limits};
use crate::trust::{self, Policy, PrincipalKind};

/// The request for [`simulate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulateRequest {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's ServiceAccount.
    pub service_account: String,
    /// The token audience (default `sts.amazonaws.com`).
    pub audience: Option<String>,
    /// The cluster's issuer; without it every provider in the trust is tried.
    pub issuer: Option<String>,
    /// The role's ARN: its account and partition are where STS looks the provider up.
    pub role_arn: Option<String>,
    /// The role's account, when its ARN is not given (partition: the issuer region's).
    pub account: Option<String>,
    /// Values of keys only the caller knows ([`super::keys::CALLER_KEYS`]), several for a multi-valued key.
    pub context: BTreeMap<String, Vec<String>>,
}

impl SimulateRequest {
    /// What is wrong with the request itself (role ARN, account, context keys).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(arn) = &self.role_arn {
            match Role::from_arn(arn) {
                Err(p) => out.push(format!("role ARN `{arn}` is malformed: {p}")),
                Ok(r) => {
                    if let Some(a) = self.account.as_ref().filter(|a| **a != r.account) {
                        out.push(format!(
                            "account {a} is not the role ARN's account {}",
                            r.account
                        ));
                    }
                }
            }
        }
        if let Some(a) = self.account.as_ref().filter(|a| !aws::is_account_id(a)) {
            out.push(format!("account `{a}` must be exactly 12 digits"));
        }
        for key in self.context.keys() {
            if caller_key(key, true).is_none() {
                out.push(format!(
                    "`{key}` is not a key whose value only the caller knows; give one of {}",
                    super::keys::CALLER_KEYS
                        .iter()
                        .map(|k| k.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        out
    }
}

/// Where the role's account and partition come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RoleSource {
    /// The role ARN given.
    RoleArn,
    /// The account given, the partition from the issuer's region.
    Account,
    /// Neither given: the account of the trust's first OIDC provider.
    Assumed,
    /// No OIDC provider to evaluate (a Pod Identity trust, or none).
    None,
}

/// The role the simulation assumed the token asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssumption {
    /// Where the account comes from.
    pub source: RoleSource,
    /// The role ARN, when given.
    pub arn: Option<String>,
    /// The role's account.
    pub account: Option<String>,
    /// In one sentence.
    pub note: String,
}

/// The decision for one provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderResult {
    /// The provider (issuer host and path), or `pods.eks.amazonaws.com`.
    pub provider: String,
    /// The role's partition and account STS looks this provider up in.
    pub role: Option<Role>,
    /// The decision, what decided it and why.
    #[serde(flatten)]
    pub evaluation: Evaluation,
}

/// The outcome of [`simulate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// Allow when some provider allows; else Conditional when some provider's
    /// decision depends on a key only the caller knows; else Deny.
    pub decision: Decision,
    /// The role's account and where it comes from.
    pub role: RoleAssumption,
    /// One entry per provider evaluated.
    pub results: Vec<ProviderResult>,
}

/// Most OIDC providers [`simulate`] evaluates one by one. A trust policy is at
/// most 8,192 characters, room for about 80 provider ARNs; 40,000 of them in a
/// 4 MB file took minutes (every provider against every principal).
pub const MAX_PROVIDERS: usize = 100;

/// Parses a trust policy text and decides for a ServiceAccount token. Parse
/// problems come back as IRSA001 diagnostics, a bad request as IRSA420.
pub fn simulate(
    trust_text: &str,
    request: &SimulateRequest,
) -> Result<Simulation, Vec<Diagnostic>> {
    let problems = request.problems();
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| crate::rules::diagnostic("IRSA420", p))
            .collect());
    }
    // Placeholders are opaque tokens, judged as `check` judges them (super::widen).
    let policy = super::widen::keys_matched(&parse_trust_text(trust_text)?);
    let providers = providers(&policy, request)?;
    let sub = kube::subject(&request.namespace, &request.service_account);
    let aud = request
        .audience
        .clone()
        .unwrap_or_else(|| kube::DEFAULT_AUDIENCE.to_string());
    let fixed_role = request
        .role_arn
        .as_deref()
        .and_then(|a| Role::from_arn(a).ok());
    let mut results = Vec::new();
    for provider in &providers {
        let iss = if provider == ANY_ISSUER {
            super::verdict::PROBE_ISSUER
        } else {
            provider.as_str()
        };
        let role = match (&fixed_role, &request.account) {
            (Some(r), _) => Some(r.clone()),
            (None, Some(a)) => Some(Role::in_account(a, iss)),
            (None, None) => Role::assumed(&policy, iss),
        };
        let claims = Claims {
            iss: Some(iss.to_string()),
            sub: Some(sub.clone()),
            aud: Some(aud.clone()),
            role: role.clone(),
            context: request.context.clone(),
            pod_identity: false,
        };
        let evaluation = evaluate(&policy, &claims);
        results.push(ProviderResult {
            provider: provider.clone(),
            role,
            evaluation,
        });
    }
    // A trust may admit both paths (a migration's `both` phase): the pod takes
    // Pod Identity when an association exists, IRSA otherwise, so each is decided.
    if is_pod_identity(&policy) {
        results.push(pod_identity(&policy, request, &sub));
    }
    if results.is_empty() {
        results.push(ProviderResult {
            provider: String::new(),
            role: None,
            evaluation: Evaluation {
                decision: Decision::Deny,
                statement: None,
                condition: None,
                reason: "the trust names no OIDC provider (Federated principal) and is not a Pod Identity trust".into(),
                depends_on: Vec::new(),
                foreign: Vec::new(),
            },
        });
    }
    let any = |d| results.iter().any(|r| r.evaluation.decision == d);
    let decision = if any(Decision::Allow) {
        Decision::Allow
    } else if any(Decision::Conditional) {
        Decision::Conditional
    } else {
        Decision::Deny
    };
    let role = assumption(request, &results);
    Ok(Simulation {
        decision,
        role,
        results,
    })
}

/// The issuers to evaluate: the one given, or every provider host the trust names.
fn providers(policy: &Policy, request: &SimulateRequest) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut providers: Vec<String> = Vec::new();
    match &request.issuer {
        Some(i) => providers.push(normalise_issuer(i)),
        None => {
            let mut seen = std::collections::HashSet::new();
            for p in policy.statements.iter().flat_map(|s| s.federated()) {
                if let Some(pr) = trust::provider(&p.value.value) {
                    if seen.insert(pr.host_path.to_ascii_lowercase()) {
                        providers.push(pr.host_path);
                    }
                }
            }
        }
    }
    // A wildcard principal admits tokens of issuers the trust does not name.
    if providers.is_empty() && request.issuer.is_none() && names_everyone(policy) {
        providers.push(ANY_ISSUER.to_string());
    }
    // Each provider is evaluated against the whole policy: bound the product.
    if providers.len() > MAX_PROVIDERS {
        return Err(vec![crate::rules::diagnostic(
            "IRSA402",
            format!(
                "the trust policy names {} OIDC providers, more than the limit of {MAX_PROVIDERS} that simulate evaluates; pass --issuer to evaluate one",
                providers.len()
            ),
        )]);
    }
    Ok(providers)
}

/// The provider of a result for a trust that names none but admits everyone
/// (`"Principal": "*"`): a token of any issuer, evaluated as one the trust does
/// not name ([`super::verdict::PROBE_ISSUER`]).
pub const ANY_ISSUER: &str = "*";

fn names_everyone(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.principals.iter().any(|p| {
            p.kind == PrincipalKind::Any || (p.kind == PrincipalKind::Aws && p.value.value == "*")
        })
    })
}

fn is_pod_identity(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.principals
            .iter()
            .any(|p| p.kind == PrincipalKind::Service && p.value.value == POD_IDENTITY_PRINCIPAL)
    })
}

fn pod_identity(policy: &Policy, request: &SimulateRequest, sub: &str) -> ProviderResult {
    let mut context = request.context.clone();
    context.insert(
        "aws:RequestTag/kubernetes-namespace".to_string(),
        vec![request.namespace.clone()],
    );
    context.insert(
        "aws:RequestTag/kubernetes-service-account".to_string(),
        vec![request.service_account.clone()],
    );
    let claims = Claims {
        sub: Some(sub.to_string()),
        context,
        pod_identity: true,
        ..Claims::default()
    };
    ProviderResult {
        provider: POD_IDENTITY_PRINCIPAL.to_string(),
        role: None,
        evaluation: evaluate(policy, &claims),
    }
}

fn assumption(request: &SimulateRequest, results: &[ProviderResult]) -> RoleAssumption {
    let account = results
        .iter()
        .find_map(|r| r.role.as_ref())
        .map(|r| r.account.clone());
    let (source, note) = match (&request.role_arn, &request.account, &account) {
        (Some(arn), _, _) => (RoleSource::RoleArn, format!("the role is {arn}")),
        (None, Some(a), _) => (
            RoleSource::Account,
            format!("the role is in account {a}, in the partition of the issuer's region"),
        ),
        (None, None, Some(a)) => (
            RoleSource::Assumed,
            format!("the role is assumed to be in account {a}, the account of the trust's first OIDC provider"),
        ),
        (None, None, None) => (RoleSource::None, "no OIDC provider is evaluated, so no role account is needed".into()),
    };
    RoleAssumption {
        source,
        arn: request.role_arn.clone(),
        account: account.or_else(|| request.account.clone()),
        note,
    }
}

/// Parses the text of a trust policy (JSON or YAML) into the located model,
/// or IRSA001 diagnostics.
pub fn parse_trust_text(text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let not_policy =
        |message: String, span| vec![crate::rules::diagnostic("IRSA001", message).at(span)];
    let docs = source::parse_documents(text, &Limits::default())
        .map_err(|e| not_policy(format!("not a policy document: {e}"), e.span()))?;
    let Some(doc) = docs.into_iter().find(|d| !d.root.is_null()) else {
        return Err(not_policy(
            "not a policy document: the text is empty".into(),
            source::Span {
                line: 1,
                column: 1,
                offset: 0,
            },
        ));
    };
    trust::parse_policy(&doc.root)
        .map_err(|e| not_policy(format!("not a policy document: {}", e.message), e.span))
}
