//! The evaluator: does a trust policy let a token in? IAM's rules (DESIGN.md §2):
//! Deny wins; a statement matches when principal, action and every condition
//! match; operators AND, keys AND, values OR; `...IfExists` and negated
//! operators hold on absent keys; `Null` tests presence; condition key names
//! are case-insensitive.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aws::Issuer;
use crate::diagnostic::Diagnostic;
use crate::generate::POD_IDENTITY_PRINCIPAL;
use crate::kube;
use crate::source::{self, Limits};
use crate::trust::{self, Condition, Effect, Policy, PrincipalKind, Statement};

/// The action IRSA calls.
pub const WEB_IDENTITY_ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// The claims of a request (a token), and any other context keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    /// The token's issuer (URL, or host and path). Selects the Federated principal.
    pub iss: Option<String>,
    /// The `sub` claim (`system:serviceaccount:NS:NAME`).
    pub sub: Option<String>,
    /// The `aud` claim.
    pub aud: Option<String>,
    /// More context keys by full name (`aws:RequestTag/kubernetes-namespace`, `ISSUER:amr`),
    /// each with its values (several for multi-valued keys).
    pub context: BTreeMap<String, Vec<String>>,
    /// An EKS Pod Identity request (principal `pods.eks.amazonaws.com`, actions
    /// `sts:AssumeRole` and `sts:TagSession`) instead of a web identity one.
    pub pod_identity: bool,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// Some Allow statement matched and no Deny did.
    Allow,
    /// Otherwise.
    Deny,
}

/// The outcome of [`evaluate`]: the decision, what decided it, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// Allow or Deny.
    pub decision: Decision,
    /// The deciding statement (0-based), if one decided.
    pub statement: Option<usize>,
    /// The deciding condition (`StringEquals ISSUER:sub`), if one decided.
    pub condition: Option<String>,
    /// Why, in one sentence.
    pub reason: String,
}

/// The request for [`simulate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

/// The decision for one provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderResult {
    /// The provider (issuer host and path), or `pods.eks.amazonaws.com`.
    pub provider: String,
    /// Allow or Deny.
    pub decision: Decision,
    /// The deciding statement (0-based).
    pub statement: Option<usize>,
    /// The deciding condition.
    pub condition: Option<String>,
    /// Why.
    pub reason: String,
}

/// The outcome of [`simulate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// Allow when some provider allows.
    pub decision: Decision,
    /// One entry per provider evaluated.
    pub results: Vec<ProviderResult>,
}

/// Most OIDC providers [`simulate`] evaluates one by one. A trust policy is at
/// most 8,192 characters, room for about 80 provider ARNs; 40,000 of them in a
/// 4 MB file took minutes (every provider against every principal).
pub const MAX_PROVIDERS: usize = 100;

/// Parses a trust policy text and decides for a ServiceAccount token.
/// Parse problems come back as IRSA001 diagnostics.
pub fn simulate(
    trust_text: &str,
    request: &SimulateRequest,
) -> Result<Simulation, Vec<Diagnostic>> {
    let policy = parse_trust_text(trust_text)?;
    let sub = kube::subject(&request.namespace, &request.service_account);
    let aud = request
        .audience
        .clone()
        .unwrap_or_else(|| kube::DEFAULT_AUDIENCE.to_string());
    let mut providers: Vec<String> = Vec::new();
    match &request.issuer {
        Some(i) => providers.push(normalise_issuer(i)),
        None => {
            let mut seen = std::collections::HashSet::new();
            for s in &policy.statements {
                for p in s.federated() {
                    if let Some(pr) = trust::provider(&p.value.value) {
                        if seen.insert(pr.host_path.to_ascii_lowercase()) {
                            providers.push(pr.host_path);
                        }
                    }
                }
            }
        }
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
    let pod_identity = policy.statements.iter().any(|s| {
        s.principals
            .iter()
            .any(|p| p.kind == PrincipalKind::Service && p.value.value == POD_IDENTITY_PRINCIPAL)
    });
    let mut results = Vec::new();
    for provider in &providers {
        let claims = Claims {
            iss: Some(provider.clone()),
            sub: Some(sub.clone()),
            aud: Some(aud.clone()),
            ..Claims::default()
        };
        let e = evaluate(&policy, &claims);
        results.push(ProviderResult {
            provider: provider.clone(),
            decision: e.decision,
            statement: e.statement,
            condition: e.condition,
            reason: e.reason,
        });
    }
    if providers.is_empty() && pod_identity {
        let claims = Claims {
            sub: Some(sub.clone()),
            context: BTreeMap::from([
                (
                    "aws:RequestTag/kubernetes-namespace".to_string(),
                    vec![request.namespace.clone()],
                ),
                (
                    "aws:RequestTag/kubernetes-service-account".to_string(),
                    vec![request.service_account.clone()],
                ),
            ]),
            pod_identity: true,
            ..Claims::default()
        };
        let e = evaluate(&policy, &claims);
        results.push(ProviderResult {
            provider: POD_IDENTITY_PRINCIPAL.to_string(),
            decision: e.decision,
            statement: e.statement,
            condition: e.condition,
            reason: e.reason,
        });
    }
    if results.is_empty() {
        results.push(ProviderResult {
            provider: String::new(),
            decision: Decision::Deny,
            statement: None,
            condition: None,
            reason: "the trust names no OIDC provider (Federated principal) and is not a Pod Identity trust".into(),
        });
    }
    let decision = if results.iter().any(|r| r.decision == Decision::Allow) {
        Decision::Allow
    } else {
        Decision::Deny
    };
    Ok(Simulation { decision, results })
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

/// `https://host/path/` -> `host/path`, as IAM writes it.
pub fn normalise_issuer(issuer: &str) -> String {
    Issuer::parse(issuer).map_or_else(
        |_| {
            let s = issuer.trim();
            let s = s.strip_prefix("https://").unwrap_or(s);
            s.trim_end_matches('/').to_string()
        },
        |i| i.host_path,
    )
}

/// Decides a request against a parsed policy: Deny wins, then the first matching Allow.
pub fn evaluate(policy: &Policy, claims: &Claims) -> Evaluation {
    let mut allow: Option<usize> = None;
    let mut first_miss: Option<(usize, Miss)> = None;
    for s in &policy.statements {
        match statement_matches(s, claims) {
            Ok(()) => match s.effect {
                Some(Effect::Deny) => {
                    return Evaluation {
                        decision: Decision::Deny,
                        statement: Some(s.index),
                        condition: None,
                        reason: format!("explicit Deny in statement {}", s.index),
                    }
                }
                Some(Effect::Allow) if allow.is_none() => allow = Some(s.index),
                _ => {}
            },
            Err(miss) => {
                // The most telling miss is the one of an Allow statement that got furthest.
                if s.effect == Some(Effect::Allow) {
                    let better = match &first_miss {
                        None => true,
                        Some((_, m)) => miss.stage > m.stage,
                    };
                    if better {
                        first_miss = Some((s.index, miss));
                    }
                }
            }
        }
    }
    if let Some(i) = allow {
        return Evaluation {
            decision: Decision::Allow,
            statement: Some(i),
            condition: None,
            reason: format!("statement {i} allows it and no Deny matches"),
        };
    }
    match first_miss {
        Some((i, miss)) => Evaluation {
            decision: Decision::Deny,
            statement: Some(i),
            condition: miss.condition,
            reason: format!(
                "implicit deny: statement {i} does not match: {}",
                miss.reason
            ),
        },
        None => Evaluation {
            decision: Decision::Deny,
            statement: None,
            condition: None,
            reason: "implicit deny: no Allow statement".into(),
        },
    }
}

struct Miss {
    /// 0 principal, 1 action, 2 condition: how far the statement matched.
    stage: u8,
    condition: Option<String>,
    reason: String,
}

fn statement_matches(s: &Statement, claims: &Claims) -> Result<(), Miss> {
    let hit = s.principals.iter().any(|p| principal_matches(p, claims));
    let principal_ok = if s.not_principal { !hit } else { hit };
    if !principal_ok {
        let want = if claims.pod_identity {
            format!("Service {POD_IDENTITY_PRINCIPAL}")
        } else {
            format!(
                "the OIDC provider of `{}`",
                claims.iss.as_deref().unwrap_or("(no issuer)")
            )
        };
        return Err(Miss {
            stage: 0,
            condition: None,
            reason: format!("its principal is not {want}"),
        });
    }
    let actions: &[&str] = if claims.pod_identity {
        &["sts:AssumeRole", "sts:TagSession"]
    } else {
        &[WEB_IDENTITY_ACTION]
    };
    if let Some(a) = actions.iter().find(|a| !s.covers_action(a)) {
        return Err(Miss {
            stage: 1,
            condition: None,
            reason: format!("its Action does not cover {a}"),
        });
    }
    for c in &s.conditions {
        if let Err(reason) = condition_holds(c, claims) {
            return Err(Miss {
                stage: 2,
                condition: Some(format!("{} {}", c.operator.value, c.key.value)),
                reason,
            });
        }
    }
    Ok(())
}

fn principal_matches(p: &trust::PrincipalEntry, claims: &Claims) -> bool {
    let v = p.value.value.as_str();
    match p.kind {
        PrincipalKind::Any => true,
        PrincipalKind::Aws => v == "*",
        PrincipalKind::Service => claims.pod_identity && v == POD_IDENTITY_PRINCIPAL,
        PrincipalKind::Federated => {
            if claims.pod_identity {
                return false;
            }
            let Some(iss) = &claims.iss else { return false };
            let want = normalise_issuer(iss);
            trust::provider(v).is_some_and(|pr| pr.host_path.eq_ignore_ascii_case(&want))
        }
        PrincipalKind::Other => false,
    }
}

/// The values of a context key for a request, looked up without case.
fn lookup(claims: &Claims, key: &str) -> Option<Vec<String>> {
    if let Some(claim) = trust::claim_of(key) {
        if let (Some(issuer), Some(iss)) = (trust::key_issuer(key), &claims.iss) {
            if issuer.eq_ignore_ascii_case(&normalise_issuer(iss)) {
                let v = match claim {
                    "sub" => claims.sub.clone(),
                    "aud" => claims.aud.clone(),
                    _ => None,
                };
                if let Some(v) = v {
                    return Some(vec![v]);
                }
            }
        }
    }
    claims
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
}

/// An operator split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator<'a> {
    /// `ForAnyValue` / `ForAllValues` qualifier.
    pub set: Option<SetQualifier>,
    /// The base operator (`StringEquals`), without qualifier and `IfExists`.
    pub base: &'a str,
    /// True with the `IfExists` suffix.
    pub if_exists: bool,
}

/// The set qualifiers of multi-valued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAnyValue:`
    AnyValue,
    /// `ForAllValues:`
    AllValues,
}

/// Splits `ForAnyValue:StringLikeIfExists` into its parts.
pub fn parse_operator(op: &str) -> Operator<'_> {
    let (set, rest) = if let Some(r) = op.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::AnyValue), r)
    } else if let Some(r) = op.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::AllValues), r)
    } else {
        (None, op)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) if b != "Null" => (b, true),
        _ => (rest, false),
    };
    Operator {
        set,
        base,
        if_exists,
    }
}

/// True for the operators that hold when no value matches.
pub fn is_negated(base: &str) -> bool {
    base.contains("Not")
}

/// The operators the evaluator knows.
pub fn is_known_operator(base: &str) -> bool {
    matches!(
        base,
        "StringEquals"
            | "StringNotEquals"
            | "StringEqualsIgnoreCase"
            | "StringNotEqualsIgnoreCase"
            | "StringLike"
            | "StringNotLike"
            | "ArnEquals"
            | "ArnLike"
            | "ArnNotEquals"
            | "ArnNotLike"
            | "Bool"
            | "NumericEquals"
            | "NumericNotEquals"
            | "NumericLessThan"
            | "NumericLessThanEquals"
            | "NumericGreaterThan"
            | "NumericGreaterThanEquals"
            | "Null"
    )
}

/// Does one request value match one policy value under a (positive form of a) base operator?
fn value_matches(base: &str, policy: &str, request: &str) -> Option<bool> {
    Some(match base {
        "StringEquals" | "StringNotEquals" => policy == request,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => {
            policy.to_lowercase() == request.to_lowercase()
        }
        "StringLike" | "StringNotLike" | "ArnEquals" | "ArnLike" | "ArnNotEquals"
        | "ArnNotLike" => trust::wildcard_match(policy, request),
        "Bool" => policy.eq_ignore_ascii_case(request),
        _ if base.starts_with("Numeric") => {
            let (p, r) = (policy.parse::<f64>().ok()?, request.parse::<f64>().ok()?);
            match base {
                "NumericEquals" | "NumericNotEquals" => p == r,
                "NumericLessThan" => r < p,
                "NumericLessThanEquals" => r <= p,
                "NumericGreaterThan" => r > p,
                "NumericGreaterThanEquals" => r >= p,
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// Does a condition hold for a request? Err says why not.
pub fn condition_holds(c: &Condition, claims: &Claims) -> Result<(), String> {
    let op = parse_operator(&c.operator.value);
    let key = &c.key.value;
    let request = lookup(claims, key);
    if op.base == "Null" {
        let want_absent = c
            .values
            .iter()
            .any(|v| v.value.eq_ignore_ascii_case("true"));
        let want_present = c
            .values
            .iter()
            .any(|v| v.value.eq_ignore_ascii_case("false"));
        let absent = request.as_ref().is_none_or(Vec::is_empty);
        return if (absent && want_absent) || (!absent && want_present) {
            Ok(())
        } else if absent {
            Err(format!("Null: `{key}` is absent"))
        } else {
            Err(format!("Null: `{key}` is present"))
        };
    }
    if !is_known_operator(op.base) {
        return Err(format!("unknown condition operator `{}`", c.operator.value));
    }
    let negated = is_negated(op.base);
    let one = |r: &str| -> Result<bool, String> {
        let mut any = false;
        for v in &c.values {
            match value_matches(op.base, &v.value, r) {
                Some(true) => any = true,
                Some(false) => {}
                None => return Err(format!("`{}` cannot be compared with {}", v.value, op.base)),
            }
        }
        Ok(if negated { !any } else { any })
    };
    let values = request.unwrap_or_default();
    match op.set {
        None => match values.first() {
            None if op.if_exists => Ok(()),
            None if negated => Ok(()),
            None => Err(format!("`{key}` is absent from the request")),
            Some(r) => {
                if one(r)? {
                    Ok(())
                } else if negated {
                    Err(format!(
                        "`{r}` matches a value of {} `{key}`",
                        c.operator.value
                    ))
                } else {
                    Err(format!(
                        "`{r}` matches no value of {} `{key}`",
                        c.operator.value
                    ))
                }
            }
        },
        Some(SetQualifier::AnyValue) => {
            if values.is_empty() {
                return if op.if_exists {
                    Ok(())
                } else {
                    Err(format!(
                        "ForAnyValue: `{key}` is absent (an empty set has no value that matches)"
                    ))
                };
            }
            for r in &values {
                if one(r)? {
                    return Ok(());
                }
            }
            Err(format!("ForAnyValue: no value of `{key}` matches"))
        }
        Some(SetQualifier::AllValues) => {
            for r in &values {
                if !one(r)? {
                    return Err(format!("ForAllValues: `{r}` of `{key}` does not match"));
                }
            }
            Ok(())
        }
    }
}
