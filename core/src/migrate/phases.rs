//! An existing trust edited for phases 1 and 3 (the first piece of a plan
//! from files; a plan from a spec builds its trusts in `trusts.rs`). The text
//! is read with core's located reader (JSON or YAML, its limits; IRSA001 when
//! it is no policy) and every statement is kept as written, in order: phase
//! 1 only appends, phase 3 only takes this cluster's provider out. A
//! statement that names several providers keeps the others and their
//! condition keys; one that names only this cluster's goes. (eksctl's
//! removal drops every single-provider OIDC statement, other clusters'
//! included: the bug #19 avoids.)

use serde_json::{json, Map, Value};

use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::diagnostic::Diagnostic;
use crate::eval::parse_trust_text;
use crate::kube;
use crate::source::{self, Limits};
use crate::trust::{self, Effect, Policy};

/// The issuer URL as the provider's host/path (`https://` and a trailing `/` dropped).
pub(super) fn host_path(issuer: &str) -> &str {
    issuer.trim_start_matches("https://").trim_end_matches('/')
}

/// True when a Federated value names this provider (host and path without case).
pub(super) fn names_provider(value: &str, hp: &str) -> bool {
    trust::provider(value).is_some_and(|p| p.host_path.eq_ignore_ascii_case(hp))
}

/// The policy, located (for reading) and as JSON in source order (for editing).
pub(super) fn read(text: &str) -> Result<(Policy, Map<String, Value>), Vec<Diagnostic>> {
    let policy = parse_trust_text(text)?;
    let not_object = || {
        vec![crate::rules::diagnostic(
            "IRSA001",
            "not a policy document: the trust is not an object",
        )]
    };
    let docs = source::parse_documents(text, &Limits::default()).map_err(|_| not_object())?;
    let root = docs
        .into_iter()
        .find(|d| !d.root.is_null())
        .map(|d| d.root.to_json());
    match root {
        Some(Value::Object(doc)) => Ok((policy, doc)),
        _ => Err(not_object()),
    }
}

/// Edits the statements as a list (IAM takes one statement object too),
/// leaving `Statement` where it was among the policy's keys.
pub(super) fn edit_statements(doc: &mut Map<String, Value>, edit: impl FnOnce(&mut Vec<Value>)) {
    let slot = doc.entry("Statement").or_insert(Value::Null);
    let mut list = match std::mem::take(slot) {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    edit(&mut list);
    *slot = Value::Array(list);
}

pub(super) fn text(doc: &Map<String, Value>) -> Result<String, Vec<Diagnostic>> {
    serde_json::to_string_pretty(doc)
        .map(|t| t + "\n")
        .map_err(|e| vec![crate::rules::diagnostic("IRSA001", e.to_string())])
}

/// `namespace -> service accounts` this provider's Allow statements admit by
/// exact `sub` (StringEquals); patterns cannot become associations (MIG020).
pub(super) fn exact_subjects(policy: &Policy, hp: &str) -> Vec<(String, Vec<String>)> {
    let key = format!("{hp}:sub");
    let mut by_ns: Vec<(String, Vec<String>)> = Vec::new();
    let statements = policy.statements.iter().filter(|s| {
        s.effect == Some(Effect::Allow) && s.federated().any(|p| names_provider(&p.value.value, hp))
    });
    let subjects = statements
        .flat_map(|s| s.conditions.iter())
        .filter(|c| {
            c.operator
                .value
                .trim_end_matches("IfExists")
                .ends_with("StringEquals")
                && c.key.value.eq_ignore_ascii_case(&key)
        })
        .flat_map(|c| c.values.iter())
        .filter_map(|v| kube::parse_subject(&v.value));
    for (ns, sa) in subjects {
        match by_ns.iter_mut().find(|(n, _)| n == ns) {
            Some((_, sas)) if !sas.iter().any(|s| s == sa) => sas.push(sa.to_string()),
            Some(_) => {}
            None => by_ns.push((ns.to_string(), vec![sa.to_string()])),
        }
    }
    by_ns
}

/// Phase 1: the trust plus one Pod Identity statement per namespace the
/// cluster's provider admits, shaped as `generate` writes it for
/// `identityType: both` (StringEquals on the namespace, service account and,
/// when known, the cluster's ARN).
pub fn widen_for_pod_identity(
    trust_text: &str,
    issuer: &str,
    cluster_arn: Option<&str>,
) -> Result<String, Vec<Diagnostic>> {
    let (policy, mut doc) = read(trust_text)?;
    let additions = exact_subjects(&policy, host_path(issuer));
    edit_statements(&mut doc, |list| {
        for (ns, sas) in &additions {
            list.push(pod_identity_statement(ns, sas, cluster_arn));
        }
    });
    text(&doc)
}

/// The Pod Identity statement of one namespace's ServiceAccounts, shaped as
/// `generate` writes it (one value as a bare string, several as a list).
pub(super) fn pod_identity_statement(ns: &str, sas: &[String], cluster_arn: Option<&str>) -> Value {
    let sa = match sas {
        [one] => json!(one),
        _ => json!(sas),
    };
    let mut scope = Map::new();
    scope.insert("aws:RequestTag/kubernetes-namespace".into(), json!(ns));
    scope.insert("aws:RequestTag/kubernetes-service-account".into(), sa);
    if let Some(arn) = cluster_arn {
        scope.insert("aws:RequestTag/eks-cluster-arn".into(), json!(arn));
    }
    json!({
        "Effect": "Allow",
        "Principal": {"Service": POD_IDENTITY_PRINCIPAL},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {"StringEquals": scope},
    })
}

/// Takes this cluster's provider out of one statement: false when nothing of
/// the statement is left (it named only this provider).
fn without_provider(stmt: &mut Value, hp: &str) -> bool {
    let Some(federated) = stmt.pointer_mut("/Principal/Federated") else {
        return true;
    };
    match federated {
        Value::String(s) => return !names_provider(s, hp),
        Value::Array(a) => {
            let before = a.len();
            a.retain(|v| !v.as_str().is_some_and(|s| names_provider(s, hp)));
            if a.is_empty() {
                return false;
            }
            if a.len() == before {
                return true;
            }
        }
        _ => return true,
    }
    // The provider's own condition keys (`HOST/PATH:sub`) only ever applied to its tokens.
    if let Some(Value::Object(ops)) = stmt.get_mut("Condition") {
        for keys in ops.values_mut() {
            if let Value::Object(keys) = keys {
                keys.retain(|k, _| {
                    !trust::key_issuer(k).is_some_and(|i| i.eq_ignore_ascii_case(hp))
                });
            }
        }
        ops.retain(|_, keys| keys.as_object().is_none_or(|k| !k.is_empty()));
    }
    true
}

/// Phase 3: the trust without this cluster's OIDC provider.
pub fn remove_cluster_oidc(trust_text: &str, issuer: &str) -> Result<String, Vec<Diagnostic>> {
    let (_, mut doc) = read(trust_text)?;
    let hp = host_path(issuer);
    edit_statements(&mut doc, |list| {
        list.retain_mut(|s| without_provider(s, hp))
    });
    text(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{simulate, Decision, SimulateRequest};

    const A: &str = "oidc.eks.us-west-2.amazonaws.com/id/AAAA";
    const B: &str = "oidc.eks.eu-west-1.amazonaws.com/id/BBBB";
    const ARN: &str = "arn:aws:eks:us-west-2:111122223333:cluster/prod";

    fn oidc(hp: &str) -> String {
        format!(
            r#"{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/{hp}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{hp}:sub":"system:serviceaccount:prod:s3-writer","{hp}:aud":"sts.amazonaws.com"}}}}}}"#
        )
    }

    fn shared() -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{},{}]}}"#,
            oidc(A),
            oidc(B)
        )
    }

    /// One statement naming both providers, each key IfExists so either token passes.
    fn one_statement_two_providers() -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"Federated":["arn:aws:iam::111122223333:oidc-provider/{A}","arn:aws:iam::111122223333:oidc-provider/{B}"]}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEqualsIfExists":{{"{A}:sub":"system:serviceaccount:prod:s3-writer","{B}:sub":"system:serviceaccount:prod:s3-writer"}}}}}}}}"#
        )
    }

    /// The decision of `simulate` for prod/s3-writer through `provider`.
    fn decision(trust: &str, provider: &str) -> Decision {
        let pod_identity = provider == POD_IDENTITY_PRINCIPAL;
        let mut request = SimulateRequest {
            namespace: "prod".into(),
            service_account: "s3-writer".into(),
            issuer: (!pod_identity).then(|| format!("https://{provider}")),
            account: Some("111122223333".into()),
            ..Default::default()
        };
        request
            .context
            .insert("aws:RequestTag/eks-cluster-arn".into(), vec![ARN.into()]);
        simulate(trust, &request)
            .unwrap()
            .results
            .into_iter()
            .find(|r| r.provider == provider)
            .map_or(Decision::Deny, |r| r.evaluation.decision)
    }

    #[test]
    fn every_phase_admits_the_service_account_and_only_this_cluster_loses_irsa() {
        use Decision::{Allow, Deny};
        for start in [shared(), one_statement_two_providers()] {
            let phase1 = widen_for_pod_identity(&start, A, Some(ARN)).unwrap();
            let phase3 = remove_cluster_oidc(&phase1, &format!("https://{A}/")).unwrap();
            let pi = POD_IDENTITY_PRINCIPAL;
            let row = |t: &str| (decision(t, A), decision(t, B), decision(t, pi));
            // Before: IRSA only; phase 1: both; phase 3: Pod Identity, B kept.
            assert_eq!(row(&start), (Allow, Allow, Deny), "{start}");
            assert_eq!(row(&phase1), (Allow, Allow, Allow), "{phase1}");
            assert_eq!(row(&phase3), (Deny, Allow, Allow), "{phase3}");
        }
    }

    #[test]
    fn a_statement_of_several_providers_keeps_the_others_and_their_keys() {
        let out = remove_cluster_oidc(&one_statement_two_providers(), A).unwrap();
        let doc: Value = serde_json::from_str(&out).unwrap();
        let st = &doc["Statement"][0];
        assert_eq!(st["Principal"]["Federated"].as_array().unwrap().len(), 1);
        let keys = st["Condition"]["StringEqualsIfExists"].as_object().unwrap();
        assert_eq!(keys.keys().collect::<Vec<_>>(), vec![&format!("{B}:sub")]);
    }

    #[test]
    fn yaml_and_broken_trusts_are_read_by_the_located_reader() {
        let yaml = format!("Version: '2012-10-17'\nStatement:\n  - {}\n", oidc(A));
        let out = widen_for_pod_identity(&yaml, A, None).unwrap();
        assert!(out.contains("kubernetes-service-account") && !out.contains("eks-cluster-arn"));
        let err = remove_cluster_oidc("{\"Statement\": [", A).unwrap_err();
        assert_eq!(err[0].code, "IRSA001");
    }
}
