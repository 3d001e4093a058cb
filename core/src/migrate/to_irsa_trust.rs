//! A plan's trusts from an existing Pod Identity trust file instead of a
//! spec (Pod Identity -> IRSA, `migrate --trust --to irsa`), the mirror of
//! `from_trust.rs`: phase 1 appends one OIDC statement of this cluster per
//! Pod Identity statement of this cluster (the namespace and ServiceAccount
//! its session-tag conditions name, as `sub`); phase 3 removes the Pod
//! Identity statements scoped to this cluster's ARN only. Statements scoped
//! to other clusters are kept in every phase (MIG030), unscoped ones too
//! (MIG031: other clusters' associations may use them). Every statement is
//! kept as written, in order (the editing of `phases.rs`).

use serde_json::{json, Map, Value};

use crate::aws::{Arn, POD_IDENTITY_PRINCIPAL};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::kube;
use crate::trust::wildcard_match;

use super::codes::diagnostic;
use super::from_trust::TrustPlan;
use super::phases::{edit_statements, host_path, read, text};

const NAMESPACE_TAG: &str = "aws:RequestTag/kubernetes-namespace";
const SERVICE_ACCOUNT_TAG: &str = "aws:RequestTag/kubernetes-service-account";
const CLUSTER_TAG: &str = "aws:RequestTag/eks-cluster-arn";

/// One condition on a session tag: its operator and values, as written.
#[derive(Debug, Default, Clone)]
struct TagCondition {
    operator: String,
    values: Vec<String>,
}

impl TagCondition {
    /// The values as names: None when a value is a pattern, or the operator
    /// is not one that compares whole values (a StringLike without `*`/`?`
    /// compares them too).
    fn names(&self) -> Option<Vec<String>> {
        let op = self.operator.trim_end_matches("IfExists");
        let exact = op == "StringEquals"
            || (op == "StringLike" && !self.values.iter().any(|v| v.contains(['*', '?'])));
        (exact && !self.values.is_empty()).then(|| self.values.clone())
    }

    /// True when the condition admits this value.
    fn admits(&self, value: &str) -> bool {
        let op = self.operator.trim_end_matches("IfExists");
        match op {
            "StringEquals" => self.values.iter().any(|v| v == value),
            "StringLike" => self.values.iter().any(|v| wildcard_match(v, value)),
            _ => false,
        }
    }
}

/// Text or a list of texts (IAM's two ways of writing a value).
pub(super) fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The statement's condition on one key (keys without case, as IAM compares them).
fn tag_condition(stmt: &Value, key: &str) -> Option<TagCondition> {
    let ops = stmt.get("Condition")?.as_object()?;
    ops.iter().find_map(|(op, keys)| {
        let (_, values) = keys
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))?;
        Some(TagCondition {
            operator: op.clone(),
            values: texts(values),
        })
    })
}

/// An Allow statement that lets `pods.eks.amazonaws.com` call sts:AssumeRole.
fn is_pod_identity(stmt: &Value) -> bool {
    let allow = stmt.get("Effect").and_then(Value::as_str) == Some("Allow");
    let service = stmt
        .pointer("/Principal/Service")
        .map(texts)
        .unwrap_or_default()
        .iter()
        .any(|s| s.eq_ignore_ascii_case(POD_IDENTITY_PRINCIPAL));
    let assume = stmt
        .get("Action")
        .map(texts)
        .unwrap_or_default()
        .iter()
        .any(|a| wildcard_match(&a.to_ascii_lowercase(), "sts:assumerole"));
    allow && service && assume
}

/// Whose a Pod Identity statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Scoped to this cluster's ARN alone: removed in phase 3.
    ThisCluster,
    /// Admits this cluster and others (no cluster named, or a pattern or
    /// list that names others too): kept in phase 3 (MIG031).
    Shared,
    /// Another cluster's: nothing of this plan (MIG030).
    Other,
}

fn scope(stmt: &Value, cluster_arn: &str) -> Scope {
    match tag_condition(stmt, CLUSTER_TAG) {
        None => Scope::Shared,
        Some(c) if !c.admits(cluster_arn) => Scope::Other,
        Some(c)
            if c.names()
                .is_some_and(|n| n.iter().all(|v| v == cluster_arn)) =>
        {
            Scope::ThisCluster
        }
        Some(_) => Scope::Shared,
    }
}

/// The `sub` values of a statement: every namespace with every ServiceAccount;
/// None when either is missing or a pattern.
fn subjects(stmt: &Value) -> Option<Vec<String>> {
    let namespaces = tag_condition(stmt, NAMESPACE_TAG)?.names()?;
    let accounts = tag_condition(stmt, SERVICE_ACCOUNT_TAG)?.names()?;
    let subs = namespaces
        .iter()
        .flat_map(|ns| accounts.iter().map(move |sa| kube::subject(ns, sa)))
        .collect();
    Some(subs)
}

/// This cluster's OIDC statement for these subjects, shaped as `generate` writes it.
fn oidc_statement(provider_arn: &str, hp: &str, subs: Vec<String>) -> Value {
    let sub = match subs.as_slice() {
        [one] => json!(one),
        _ => json!(subs),
    };
    let mut keys = Map::new();
    keys.insert(format!("{hp}:sub"), sub);
    keys.insert(format!("{hp}:aud"), json!("sts.amazonaws.com"));
    json!({
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": keys},
    })
}

/// What a statement of the trust is to the plan, by its place in the list.
pub(super) struct Reading {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The OIDC statements phase 1 appends.
    pub(super) additions: Vec<Value>,
    /// The places of the statements phase 3 removes.
    pub(super) removed: Vec<usize>,
    /// Every `sub` the statements of this cluster name, in order.
    pub(super) subjects: Vec<String>,
}

pub(super) fn reading(list: &[Value], cluster_arn: &str, provider_arn: &str, hp: &str) -> Reading {
    let mut r = Reading {
        diagnostics: Vec::new(),
        additions: Vec::new(),
        removed: Vec::new(),
        subjects: Vec::new(),
    };
    let mut ours = 0;
    for (i, stmt) in list.iter().enumerate().filter(|(_, s)| is_pod_identity(s)) {
        let sid = stmt.get("Sid").and_then(Value::as_str).map_or_else(
            || format!("statement {}", i + 1),
            |s| format!("statement `{s}`"),
        );
        let scope = scope(stmt, cluster_arn);
        if scope == Scope::Other {
            r.diagnostics.push(diagnostic("MIG030", format!("the Pod Identity {sid} is scoped to other clusters (eks-cluster-arn): it is kept in every phase")));
            continue;
        }
        ours += 1;
        let Some(subs) = subjects(stmt) else {
            r.diagnostics.push(diagnostic("MIG020", format!("the Pod Identity {sid} names no exact namespace and ServiceAccount (aws:RequestTag/kubernetes-namespace, kubernetes-service-account with StringEquals): the OIDC statement and the annotations need them by name")));
            continue;
        };
        for sub in &subs {
            if !r.subjects.contains(sub) {
                r.subjects.push(sub.clone());
            }
        }
        // A trust mid-migration (`identityType: both`) has it already: not twice.
        let oidc = oidc_statement(provider_arn, hp, subs);
        if !list.contains(&oidc) && !r.additions.contains(&oidc) {
            r.additions.push(oidc);
        }
        match scope {
            Scope::ThisCluster => r.removed.push(i),
            _ => r.diagnostics.push(diagnostic("MIG031", format!("the Pod Identity {sid} is not scoped to this cluster alone, so other clusters' associations may use it: phase 3 keeps it"))),
        }
    }
    if ours == 0 {
        r.diagnostics.push(diagnostic("MIG022", format!("the trust has no statement admitting `{POD_IDENTITY_PRINCIPAL}` (sts:AssumeRole) for `{cluster_arn}`: it is not this cluster's Pod Identity trust")));
    }
    r
}

fn blocked(diagnostics: Vec<Diagnostic>) -> TrustPlan {
    TrustPlan {
        diagnostics,
        both: None,
        end: None,
    }
}

/// The trusts of phases 1 and 3 for an existing Pod Identity trust text,
/// moving the cluster `cluster_arn` (whose OIDC issuer URL is `issuer`) back
/// to IRSA. The OIDC provider is the cluster's account's, in its partition.
pub fn plan_trust(text_in: &str, issuer: &str, cluster_arn: &str) -> TrustPlan {
    let arn = Arn::parse(cluster_arn)
        .filter(|a| a.service == "eks" && a.resource.starts_with("cluster/"));
    let Some(arn) = arn else {
        return blocked(vec![diagnostic("MIG001", format!("`{cluster_arn}` is not an EKS cluster ARN (arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME)"))]);
    };
    let (_, mut doc) = match read(text_in) {
        Ok(read) => read,
        Err(d) => return blocked(d),
    };
    let hp = host_path(issuer);
    let provider_arn = format!(
        "arn:{}:iam::{}:oidc-provider/{hp}",
        arn.partition, arn.account
    );
    let list = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    let Reading {
        diagnostics,
        additions,
        removed,
        ..
    } = reading(&list, cluster_arn, &provider_arn, hp);
    if has_errors(&diagnostics) {
        return blocked(diagnostics);
    }
    edit_statements(&mut doc, |l| l.extend(additions));
    let both = text(&doc);
    edit_statements(&mut doc, |l| {
        let mut i = 0;
        l.retain(|_| {
            i += 1;
            !removed.contains(&(i - 1))
        });
    });
    match (both, text(&doc)) {
        (Ok(both), Ok(end)) => TrustPlan {
            diagnostics,
            both: Some(both),
            end: Some(end),
        },
        (Err(d), _) | (_, Err(d)) => blocked(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
    const ISSUER: &str = "https://oidc.eks.us-west-2.amazonaws.com/id/AAAA";

    fn pod_identity(condition: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"pods.eks.amazonaws.com"}},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{{{condition}}}}}]}}"#
        )
    }

    fn codes(plan: &TrustPlan) -> Vec<&str> {
        plan.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn a_scoped_statement_becomes_the_oidc_statement_and_goes_in_phase_3() {
        let trust = pod_identity(&format!(
            r#""StringEquals":{{"aws:RequestTag/kubernetes-namespace":"prod","aws:RequestTag/kubernetes-service-account":["a","b"],"aws:RequestTag/eks-cluster-arn":"{ARN}"}}"#
        ));
        let plan = plan_trust(&trust, ISSUER, ARN);
        assert_eq!(codes(&plan), Vec::<&str>::new());
        let end: Value = serde_json::from_str(plan.end.as_deref().unwrap()).unwrap();
        let list = end["Statement"].as_array().unwrap();
        assert_eq!(list.len(), 1);
        let sub =
            &list[0]["Condition"]["StringEquals"]["oidc.eks.us-west-2.amazonaws.com/id/AAAA:sub"];
        assert_eq!(
            sub,
            &json!([
                "system:serviceaccount:prod:a",
                "system:serviceaccount:prod:b"
            ])
        );
        let both = plan.both.unwrap();
        assert!(
            both.contains("pods.eks.amazonaws.com") && both.contains("AssumeRoleWithWebIdentity")
        );
    }

    #[test]
    fn a_trust_that_has_the_oidc_statement_already_does_not_get_it_twice() {
        let trust = pod_identity(&format!(
            r#""StringEquals":{{"aws:RequestTag/kubernetes-namespace":"prod","aws:RequestTag/kubernetes-service-account":"a","aws:RequestTag/eks-cluster-arn":"{ARN}"}}"#
        ));
        let once = plan_trust(&trust, ISSUER, ARN);
        let again = plan_trust(once.both.as_deref().unwrap(), ISSUER, ARN);
        assert_eq!(again.both, once.both);
        assert_eq!(again.end, once.end);
    }

    #[test]
    fn patterns_other_clusters_and_bad_arns_are_said() {
        let pattern = pod_identity(
            r#""StringLike":{"aws:RequestTag/kubernetes-namespace":"prod","aws:RequestTag/kubernetes-service-account":"s3-*"}"#,
        );
        assert_eq!(codes(&plan_trust(&pattern, ISSUER, ARN)), vec!["MIG020"]);
        let other = pod_identity(
            r#""StringEquals":{"aws:RequestTag/kubernetes-namespace":"prod","aws:RequestTag/kubernetes-service-account":"a","aws:RequestTag/eks-cluster-arn":"arn:aws:eks:us-west-2:111122223333:cluster/staging"}"#,
        );
        assert_eq!(
            codes(&plan_trust(&other, ISSUER, ARN)),
            vec!["MIG030", "MIG022"]
        );
        assert_eq!(codes(&plan_trust(&other, ISSUER, "prod")), vec!["MIG001"]);
    }
}
