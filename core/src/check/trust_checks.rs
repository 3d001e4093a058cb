//! The findings of one trust policy: its principals (the OIDC provider's
//! ARN, a non-EKS issuer, region and cluster ID), its conditions (`aud`,
//! `sub`, operators and patterns) and who it admits. `check.rs` reads the
//! files and links them; this file judges a trust on its own.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use super::found::TrustDoc;
use super::index;
use super::out::Out;
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::aws::{self, Partition};
use crate::eval::{self, Claims, Decision};
use crate::kube;
use crate::placeholder::{self, Slot, HOLE};
use crate::source::Span;
use crate::trust::{self, Effect, Policy, PrincipalKind, Statement};

/// Web identity providers that are domain names, not OIDC provider ARNs (not IRSA, but valid).
const WEB_IDENTITY_DOMAINS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// What a trust's statements add to its record for linking, gathered while
/// they are checked.
#[derive(Debug, Default)]
struct Acc {
    literal_subs: Vec<String>,
    keys: Vec<index::Key>,
    auds: Vec<String>,
}

fn is_positive_string_op(base: &str) -> bool {
    matches!(
        base,
        "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
    )
}

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
    if providers.is_empty()
        || providers
            .iter()
            .any(|p| placeholder::is_masked(&placeholder::mask_issuer(p).0))
    {
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
    let alone = Policy {
        version: policy.version.clone(),
        statements: head
            .iter()
            .copied()
            .chain(own)
            .chain(tail.iter().copied().filter(|d| d.index != s.index))
            .cloned()
            .collect(),
        span: policy.span,
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

/// An ARN written like the principal, with its own partition and region, for a fix.
fn suggested_provider(partition: &str, account: &str, host_path: &str) -> String {
    let region = host_path.split('.').nth(2).unwrap_or("");
    let partition = match Partition::parse(partition) {
        Some(p) => p.as_str().to_string(),
        None if host_path.starts_with("oidc.eks.") => {
            Partition::of_region(region).as_str().to_string()
        }
        None => "aws".to_string(),
    };
    let account = if aws::is_account_id(account) {
        account
    } else {
        "ACCOUNT"
    };
    format!("Write \"arn:{partition}:iam::{account}:oidc-provider/{host_path}\" (the issuer without https://, as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it).")
}

/// Checks a Federated principal on its literal parts; returns the provider
/// it names (the issuer host and path, or the placeholder standing for it)
/// when it is an OIDC provider ARN.
fn check_federated(file: &str, value: &str, span: Span, out: &mut Out) -> Option<String> {
    if WEB_IDENTITY_DOMAINS.contains(&value) || value.contains(":saml-provider/") {
        return None;
    }
    let bad = |out: &mut Out, why: String, help: String| {
        out.push_help(
            file,
            span,
            "IRSA003",
            format!("Federated principal `{value}` is not an OIDC provider ARN: {why}"),
            help,
        )
    };
    let generic = || suggested_provider("", "", "ISSUER");
    if value.trim().is_empty() {
        bad(out, "it is empty".into(), generic());
        return None;
    }
    if value.starts_with("https://") || value.starts_with("oidc.") {
        let host_path = value.trim_start_matches("https://").trim_end_matches('/');
        bad(out, "this is the issuer URL; the principal is arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER-WITHOUT-https".into(), suggested_provider("", "", host_path));
        return None;
    }
    let Some(pr) = trust::provider(value) else {
        if let Some(id) = crate::widen::provider_id(value) {
            return Some(id);
        }
        bad(
            out,
            "expected arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER".into(),
            generic(),
        );
        return None;
    };
    let templated_partition = placeholder::has_placeholder(&pr.partition);
    if !templated_partition && Partition::parse(&pr.partition).is_none() {
        bad(
            out,
            format!("`{}` is not an AWS partition", pr.partition),
            suggested_provider("", &pr.account, &pr.host_path),
        );
        return None;
    }
    let account_open = placeholder::has_placeholder(&pr.account)
        || placeholder::is_word(&pr.account, Slot::Account);
    if !account_open && !aws::is_account_id(&pr.account) {
        bad(
            out,
            format!("account `{}` must be exactly 12 digits", pr.account),
            suggested_provider(&pr.partition, "", &pr.host_path),
        );
        return None;
    }
    let (masked, _) = placeholder::mask_issuer(&pr.host_path);
    let fix = || {
        suggested_provider(
            &pr.partition,
            &pr.account,
            pr.host_path
                .trim_start_matches("https://")
                .trim_end_matches('/'),
        )
    };
    if masked.contains("://") {
        bad(
            out,
            "the provider part must not contain `https://`".into(),
            fix(),
        );
        return None;
    }
    if masked.ends_with('/') {
        bad(out, "the provider part must not end with `/`".into(), fix());
        return None;
    }
    if !placeholder::is_masked(&masked) {
        let Some(issuer) = pr.issuer else {
            bad(
                out,
                format!("`{}` is not a valid issuer host and path", pr.host_path),
                fix(),
            );
            return None;
        };
        let region = issuer.region.clone();
        let partition = if templated_partition {
            ""
        } else {
            pr.partition.as_str()
        };
        check_region_and_id(
            file,
            span,
            partition,
            region.as_deref(),
            issuer.cluster_id.as_deref(),
            out,
        );
        return Some(pr.host_path);
    }
    // A template: judge what is written around the placeholders.
    if let Some(c) = masked
        .chars()
        .find(|c| *c != HOLE && !(c.is_ascii_alphanumeric() || "-._~/%".contains(*c)))
    {
        bad(
            out,
            format!(
                "`{}` has `{c}`, which no issuer host or path has",
                pr.host_path
            ),
            fix(),
        );
        return None;
    }
    let labels: Vec<&str> = masked.split('/').next().unwrap_or("").split('.').collect();
    if let ["oidc", "eks", region, "amazonaws", "com", rest @ ..] = labels.as_slice() {
        let china = rest == ["cn"];
        let region = (!region.contains(HOLE)).then_some(*region);
        let id = masked
            .strip_prefix(labels.join(".").as_str())
            .and_then(|p| p.strip_prefix("/id/"));
        let id = id.filter(|i| !i.contains(HOLE));
        if region.is_none() && !templated_partition {
            let want = if china { "aws-cn" } else { "" };
            if (china && pr.partition != "aws-cn") || (!china && pr.partition == "aws-cn") {
                let want = if want.is_empty() {
                    "aws or aws-us-gov"
                } else {
                    want
                };
                out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{}` but the issuer's host is in `{want}`", pr.partition));
            }
        }
        let partition = if templated_partition {
            ""
        } else {
            pr.partition.as_str()
        };
        check_region_and_id(file, span, partition, region, id, out);
    }
    Some(pr.host_path)
}

/// IRSA010 (partition against region, when both are written) and IRSA015 (cluster ID shape).
fn check_region_and_id(
    file: &str,
    span: Span,
    partition: &str,
    region: Option<&str>,
    id: Option<&str>,
    out: &mut Out,
) {
    if let Some(region) = region.filter(|_| !partition.is_empty()) {
        let want = Partition::of_region(region);
        if want.as_str() != partition {
            out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{partition}` but the issuer's region `{region}` is in `{want}`"));
        }
    }
    if let Some(id) = id {
        if !aws::is_real_cluster_id(id) {
            out.push(
                file,
                span,
                "IRSA015",
                format!("cluster ID `{id}` is not 32 upper-case hex characters"),
            );
        }
    }
}

/// What the condition checks of one statement need to know.
struct StatementContext<'c> {
    file: &'c str,
    providers: &'c [String],
    web: bool,
    audiences: &'c BTreeSet<&'c str>,
}

/// The statement's conditions checked; what its `sub` and `aud` let in, for the link index.
fn check_conditions(
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
                .filter(|v| placeholder::mask(&v.value).0.contains(['*', '?']))
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
