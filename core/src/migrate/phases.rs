//! The trust of each phase. Existing statements are kept as written (content
//! and order; serde_json keeps key order): phase 1 only appends, phase 3 only
//! drops this cluster's OIDC statements, so other clusters' admissions stay
//! (eksctl's removal drops every OIDC statement: the bug #19 avoids).

use serde_json::{json, Value};

use crate::aws::POD_IDENTITY_PRINCIPAL;

/// `namespace/service-account` pairs a statement's exact `HOST_PATH:sub` admits.
fn exact_subjects(stmt: &Value, host_path: &str) -> Vec<(String, String)> {
    let key = format!("{host_path}:sub");
    let subs = stmt
        .pointer("/Condition/StringEquals")
        .and_then(|c| c.get(&key))
        .unwrap_or(&Value::Null);
    let values: Vec<&str> = match subs {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    values
        .into_iter()
        .filter_map(|s| s.strip_prefix("system:serviceaccount:"))
        .filter_map(|s| s.split_once(':'))
        .map(|(ns, sa)| (ns.to_string(), sa.to_string()))
        .collect()
}

/// True when the statement's Federated principal names this issuer's provider.
fn names_provider(stmt: &Value, host_path: &str) -> bool {
    let suffix = format!(":oidc-provider/{host_path}");
    match stmt.pointer("/Principal/Federated").unwrap_or(&Value::Null) {
        Value::String(s) => s.ends_with(&suffix),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .any(|s| s.ends_with(&suffix)),
        _ => false,
    }
}

/// The issuer URL as the provider's host/path (`https://` and a trailing `/` dropped).
fn host_path(issuer: &str) -> &str {
    issuer.trim_start_matches("https://").trim_end_matches('/')
}

/// Phase 1: the trust plus one Pod Identity statement per namespace, shaped as
/// `generate` writes it for identityType pod-identity (StringEquals on
/// `aws:RequestTag/kubernetes-namespace` and `kubernetes-service-account`).
/// None when the text is not a JSON policy.
pub fn widen_for_pod_identity(trust_text: &str, issuer: &str) -> Option<String> {
    let mut doc: Value = serde_json::from_str(trust_text).ok()?;
    let hp = host_path(issuer);
    let statements = doc.get_mut("Statement")?.as_array_mut()?;
    let mut by_ns: Vec<(String, Vec<String>)> = Vec::new();
    for (ns, sa) in statements
        .iter()
        .filter(|s| names_provider(s, hp))
        .flat_map(|s| exact_subjects(s, hp))
    {
        match by_ns.iter_mut().find(|(n, _)| *n == ns) {
            Some((_, sas)) if !sas.contains(&sa) => sas.push(sa),
            Some(_) => {}
            None => by_ns.push((ns, vec![sa])),
        }
    }
    for (ns, sas) in by_ns {
        // One value as a bare string, several as a list (as `generate` writes).
        let sa = match sas.as_slice() {
            [one] => json!(one),
            _ => json!(sas),
        };
        statements.push(json!({
            "Effect": "Allow",
            "Principal": {"Service": POD_IDENTITY_PRINCIPAL},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {
                "aws:RequestTag/kubernetes-namespace": ns,
                "aws:RequestTag/kubernetes-service-account": sa,
            }},
        }));
    }
    serde_json::to_string_pretty(&doc).ok()
}

/// Phase 3: the trust without the statements naming this cluster's OIDC provider.
pub fn remove_cluster_oidc(trust_text: &str, issuer: &str) -> Option<String> {
    let mut doc: Value = serde_json::from_str(trust_text).ok()?;
    let hp = host_path(issuer);
    doc.get_mut("Statement")?
        .as_array_mut()?
        .retain(|s| !names_provider(s, hp));
    serde_json::to_string_pretty(&doc).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "oidc.eks.us-west-2.amazonaws.com/id/AAAA";
    const B: &str = "oidc.eks.eu-west-1.amazonaws.com/id/BBBB";

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

    #[test]
    fn phase_1_appends_one_scoped_statement_and_keeps_the_rest() {
        let out: Value = serde_json::from_str(
            &widen_for_pod_identity(&shared(), &format!("https://{A}")).unwrap(),
        )
        .unwrap();
        let st = out["Statement"].as_array().unwrap();
        assert_eq!(st.len(), 3);
        assert_eq!(st[0], serde_json::from_str::<Value>(&oidc(A)).unwrap());
        assert_eq!(st[2]["Principal"]["Service"], POD_IDENTITY_PRINCIPAL);
        assert_eq!(
            st[2]["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-service-account"],
            "s3-writer"
        );
    }

    #[test]
    fn phase_3_removes_only_this_clusters_statement() {
        let out: Value = serde_json::from_str(&remove_cluster_oidc(&shared(), A).unwrap()).unwrap();
        let st = out["Statement"].as_array().unwrap();
        assert_eq!(st.len(), 1);
        assert!(names_provider(&st[0], B) && !names_provider(&st[0], A));
    }

    /// Per provider, the decision `simulate` gives prod/s3-writer under this trust.
    /// (`simulate` evaluates Pod Identity only for a trust without OIDC
    /// providers: the Pod Identity half is checked with both OIDC statements removed.)
    fn decisions(trust: &str, issuer: &str) -> Vec<(String, crate::eval::Decision)> {
        let request = crate::eval::SimulateRequest {
            namespace: "prod".into(),
            service_account: "s3-writer".into(),
            issuer: (issuer != POD_IDENTITY_PRINCIPAL).then(|| format!("https://{issuer}")),
            account: Some("111122223333".into()),
            ..Default::default()
        };
        // A trust left with no statement is refused (IRSA001): it admits no one.
        let Ok(sim) = crate::eval::simulate(trust, &request) else {
            return Vec::new();
        };
        sim.results
            .into_iter()
            .map(|r| (r.provider, r.evaluation.decision))
            .collect()
    }

    #[test]
    fn every_phase_admits_the_service_account() {
        use crate::eval::Decision::Allow;
        let phase1 = widen_for_pod_identity(&shared(), A).unwrap();
        let phase3 = remove_cluster_oidc(&phase1, A).unwrap();
        let allows = |trust: &str, issuer: &str, provider: &str| {
            let trust = if provider == POD_IDENTITY_PRINCIPAL {
                remove_cluster_oidc(&remove_cluster_oidc(trust, A).unwrap(), B).unwrap()
            } else {
                trust.to_string()
            };
            decisions(&trust, issuer)
                .iter()
                .any(|(p, d)| p == provider && *d == Allow)
        };
        // Outage-free: phase 1 admits through this cluster's OIDC and through Pod Identity.
        assert!(
            allows(&phase1, A, A)
                && allows(&phase1, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_PRINCIPAL)
        );
        // Phase 3: no more through this cluster's OIDC, still through Pod Identity...
        assert!(
            !allows(&phase3, A, A)
                && allows(&phase3, POD_IDENTITY_PRINCIPAL, POD_IDENTITY_PRINCIPAL)
        );
        // ...and the other cluster's admission is unchanged.
        assert!(allows(&shared(), B, B) && allows(&phase3, B, B));
        // Near miss: the original trust has no Pod Identity statement.
        assert!(!allows(
            &shared(),
            POD_IDENTITY_PRINCIPAL,
            POD_IDENTITY_PRINCIPAL
        ));
    }
}
