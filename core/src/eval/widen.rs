//! A trust policy with placeholders, made ready for the evaluator.
//!
//! The evaluator compares a placeholder like any text: the same token is the
//! same value, so a key `${OIDC}:sub` applies to the principal
//! `.../oidc-provider/${OIDC}`, and `system:serviceaccount:${NS}:app` admits
//! no real token. That is what IAM would do with the file as it is
//! ([`as_written`]). The checker also asks what the trust *could* admit once
//! filled ([`widened`]): every placeholder read as a wildcard, so that it
//! reports "does not admit" (IRSA301) only when no filling would.

use super::operators::{parse_operator, SetQualifier};
use crate::placeholder::{self, Same, Slot, HOLE};
use crate::trust::{self, Effect, Policy, PrincipalKind, Statement};

/// The provider a Federated principal names, as the checker and the
/// evaluator identify it: the ARN's provider part (`oidc.eks...`, or
/// `${OIDC}`), or the whole value when it is one placeholder (`${ROLE_ARN}`).
pub fn provider_id(value: &str) -> Option<String> {
    if let Some(p) = trust::provider(value) {
        return Some(p.host_path);
    }
    let (masked, _) = placeholder::mask(value);
    let opaque = !masked.is_empty() && masked.trim().chars().all(|c| c == HOLE);
    (opaque || placeholder::is_word(value, Slot::Issuer)).then(|| value.to_string())
}

/// The bare words of a principal that stand for its parts: the whole value
/// (`OIDC_PROVIDER`), the account of an ARN (`ACCOUNT_ID`), the region and
/// cluster ID of its provider (`oidc.eks.REGION.amazonaws.com/id/CLUSTER_ID`).
pub fn principal_words(value: &str) -> Vec<String> {
    if placeholder::is_word(value, Slot::Issuer) {
        return vec![value.to_string()];
    }
    // Split on the literal colons only (`${AWS::Partition}` holds two).
    let masked = placeholder::masked_text(value);
    let Some(arn) = crate::aws::Arn::parse(&masked) else {
        return Vec::new();
    };
    let mut words = Vec::new();
    if placeholder::is_word(arn.account, Slot::Account) {
        words.push(arn.account.to_string());
    }
    if let Some(host_path) = arn.resource.strip_prefix("oidc-provider/") {
        words.extend(placeholder::issuer_words(host_path));
    }
    words
}

/// `!principal_words(value).is_empty()`, without building the words.
fn has_principal_words(value: &str) -> bool {
    if placeholder::is_word(value, Slot::Issuer) {
        return true;
    }
    let masked = placeholder::masked_text(value);
    crate::aws::Arn::parse(&masked).is_some_and(|arn| {
        placeholder::is_word(arn.account, Slot::Account)
            || arn
                .resource
                .strip_prefix("oidc-provider/")
                .is_some_and(|host_path| !placeholder::issuer_words(host_path).is_empty())
    })
}

/// A condition value masked: its delimited placeholders, and the bare words
/// in the namespace and name of a `sub`, as [`HOLE`]s.
pub fn mask_value(claim: Option<&str>, value: &str) -> String {
    let (masked, _) = placeholder::mask(value);
    if claim != Some("sub") {
        return masked;
    }
    let Some(rest) = masked.strip_prefix("system:serviceaccount:") else {
        return masked;
    };
    let hole = |part: &str| {
        if placeholder::is_word(part, Slot::KubeName) {
            HOLE.to_string()
        } else {
            part.to_string()
        }
    };
    match rest.split_once(':') {
        Some((ns, name)) => format!("system:serviceaccount:{}:{}", hole(ns), hole(name)),
        None => format!("system:serviceaccount:{}", hole(rest)),
    }
}

/// `placeholder::is_masked(&mask_value(claim, value))`, without building
/// the masked value: a placeholder, or a bare word as a `sub`'s namespace or name.
fn value_is_masked(claim: Option<&str>, value: &str) -> bool {
    let masked = placeholder::masked_text(value);
    if placeholder::is_masked(&masked) {
        return true;
    }
    let word = |part: &str| placeholder::is_word(part, Slot::KubeName);
    match masked.strip_prefix("system:serviceaccount:") {
        Some(rest) if claim == Some("sub") => match rest.split_once(':') {
            Some((ns, name)) => word(ns) || word(name),
            None => word(rest),
        },
        _ => false,
    }
}

/// True when a statement holds a placeholder in a principal, a condition key
/// or a condition value.
pub fn is_templated(s: &Statement) -> bool {
    s.principals.iter().any(|p| {
        placeholder::has_placeholder(&p.value.value) || has_principal_words(&p.value.value)
    }) || s.conditions.iter().any(|c| {
        let claim = trust::claim_of(&c.key.value);
        trust::key_issuer(&c.key.value).is_some_and(placeholder::issuer_is_masked)
            || c.values.iter().any(|v| value_is_masked(claim, &v.value))
    })
}

/// The policy as IAM reads the file as it is, except that a Federated
/// principal that is one placeholder (`${ROLE_ARN}`) names its own token as
/// its provider, so that keys of that token apply to it.
pub fn as_written(policy: &Policy) -> Policy {
    let mut p = policy.clone();
    for s in &mut p.statements {
        for pr in s.principals.iter_mut() {
            if pr.kind == PrincipalKind::Federated && trust::provider(&pr.value.value).is_none() {
                if let Some(id) = provider_id(&pr.value.value) {
                    pr.value.value = format!("arn:aws:iam::ACCOUNT_ID:oidc-provider/{id}");
                }
            }
        }
    }
    p
}

/// The policy [`as_written`], with every condition key whose issuer is a
/// placeholder read as the key of the statement's provider it could be
/// (`${OIDC_URL}:sub` under the principal `.../oidc-provider/${OIDC}`):
/// values stay opaque. What "does the statement restrict sub?" is asked of.
pub fn keys_matched(policy: &Policy) -> Policy {
    let mut p = as_written(policy);
    for s in &mut p.statements {
        let providers: Vec<String> = s
            .federated()
            .filter_map(|f| provider_id(&f.value.value))
            .collect();
        for c in &mut s.conditions {
            let (Some(issuer), Some(claim)) = (
                trust::key_issuer(&c.key.value),
                trust::claim_of(&c.key.value),
            ) else {
                continue;
            };
            let templated = placeholder::issuer_is_masked(issuer);
            let fit = providers
                .iter()
                .find(|p| placeholder::compare_issuers(issuer, p) != Same::No);
            if let (true, Some(p)) = (templated, fit) {
                c.key.value = format!("{p}:{claim}");
            }
        }
    }
    p
}

/// What the policy could admit once its placeholders are filled: Deny
/// statements with a placeholder are dropped (they could be filled not to
/// match), keys are matched as in [`keys_matched`], a value with a
/// placeholder becomes a wildcard pattern, and a negated or non-string
/// condition on one is dropped.
pub fn widened(policy: &Policy) -> Policy {
    let templated_denies: Vec<usize> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Some(Effect::Deny) && is_templated(s))
        .map(|s| s.index)
        .collect();
    let mut p = keys_matched(policy);
    p.statements
        .retain(|s| !templated_denies.contains(&s.index));
    for s in &mut p.statements {
        let mut kept = Vec::new();
        for mut c in std::mem::take(&mut s.conditions) {
            let claim = trust::claim_of(&c.key.value);
            let masked: Vec<String> = c
                .values
                .iter()
                .map(|v| mask_value(claim, &v.value))
                .collect();
            if !masked.iter().any(|m| placeholder::is_masked(m)) {
                kept.push(c);
                continue;
            }
            let op = parse_operator(&c.operator.value);
            let like = match op.base {
                "StringEquals" | "StringEqualsIgnoreCase" | "StringLike" => "StringLike",
                "ArnEquals" | "ArnLike" => "ArnLike",
                _ => continue,
            };
            let set = match op.set {
                Some(SetQualifier::AnyValue) => "ForAnyValue:",
                Some(SetQualifier::AllValues) => "ForAllValues:",
                None => "",
            };
            let if_exists = if op.if_exists { "IfExists" } else { "" };
            c.operator.value = format!("{set}{like}{if_exists}");
            for (v, m) in c.values.iter_mut().zip(masked) {
                v.value = m
                    .chars()
                    .map(|ch| if ch == HOLE { '*' } else { ch })
                    .collect();
            }
            kept.push(c);
        }
        s.conditions = kept;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::decide::{evaluate, Decision};
    use crate::eval::request::Claims;
    use crate::source::{parse_documents, Limits};

    fn policy(json: &str) -> Policy {
        let docs = parse_documents(json, &Limits::default()).unwrap();
        trust::parse_policy(&docs[0].root).ok().unwrap()
    }

    fn decide(p: &Policy, iss: &str, sub: &str) -> Decision {
        let claims = Claims {
            iss: Some(iss.into()),
            sub: Some(sub.into()),
            aud: Some("sts.amazonaws.com".into()),
            ..Claims::default()
        };
        evaluate(p, &claims).decision
    }

    proptest::proptest! {
        /// The tests that build nothing answer what the built values say.
        #[test]
        fn templated_without_building_answers_as_built(
            value in "(system:serviceaccount:)?(NS|ns|\\$\\{NS\\}|<N>|\u{e000}|[a-zA-Z_:]{0,5})(:)?(APP|app|SA_NAME|[a-z:]{0,4})",
            principal in "(arn:(aws|\\$\\{P\\}):iam::(111122223333|ACCOUNT_ID|<ACCOUNT>|account-id):oidc-provider/)?(oidc\\.eks\\.(REGION|us-west-2)\\.amazonaws\\.com/id/(CLUSTER_ID|ABCDEF0123456789ABCDEF0123456789)|OIDC_PROVIDER|\\$\\{OIDC\\}|[a-z.]{0,6})",
        ) {
            for claim in [Some("sub"), Some("aud"), None] {
                proptest::prop_assert_eq!(
                    value_is_masked(claim, &value),
                    placeholder::is_masked(&mask_value(claim, &value))
                );
            }
            proptest::prop_assert_eq!(has_principal_words(&principal), !principal_words(&principal).is_empty());
        }
    }

    const TEMPLATE: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${OIDC}"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringEquals": {"${OIDC}:sub": "system:serviceaccount:${NAMESPACE}:app", "${OIDC}:aud": "sts.amazonaws.com"}}}]}"#;

    #[test]
    fn the_same_token_is_the_same_issuer_and_a_hole_admits_only_when_widened() {
        let p = policy(TEMPLATE);
        assert!(is_templated(&p.statements[0]));
        let written = as_written(&p);
        assert_eq!(
            decide(&written, "${OIDC}", "system:serviceaccount:prod:app"),
            Decision::Deny
        );
        // In a 2012-10-17 policy `${NAMESPACE}` in a value is a policy variable:
        // IAM substitutes it, and with no such key it matches nothing, not even itself.
        assert_eq!(
            decide(
                &written,
                "${OIDC}",
                "system:serviceaccount:${NAMESPACE}:app"
            ),
            Decision::Deny
        );
        let wide = widened(&p);
        assert_eq!(
            decide(&wide, "${OIDC}", "system:serviceaccount:prod:app"),
            Decision::Allow
        );
        assert_eq!(
            decide(&wide, "${OIDC}", "system:serviceaccount:prod:other"),
            Decision::Deny,
            "the literal name still decides"
        );
    }

    #[test]
    fn an_opaque_principal_names_its_own_token() {
        let p = policy(
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"Federated": "${PROVIDER_ARN}"},
          "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"${OIDC}:sub": "system:serviceaccount:ns:app"}}}]}"#,
        );
        assert_eq!(
            provider_id("${PROVIDER_ARN}").as_deref(),
            Some("${PROVIDER_ARN}")
        );
        let wide = widened(&p);
        assert_eq!(
            decide(&wide, "${PROVIDER_ARN}", "system:serviceaccount:ns:app"),
            Decision::Allow
        );
        assert_eq!(
            decide(&wide, "${PROVIDER_ARN}", "system:serviceaccount:ns:x"),
            Decision::Deny
        );
        assert_eq!(
            mask_value(Some("sub"), "system:serviceaccount:NAMESPACE:SA_NAME"),
            format!("system:serviceaccount:{HOLE}:{HOLE}")
        );
    }
}
