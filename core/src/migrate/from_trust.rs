//! A plan's trusts from an existing trust file instead of a spec (IRSA ->
//! Pod Identity): phase 1 and phase 3 through `phases.rs`, and what the
//! trust says about the move: other clusters and accounts it trusts (kept),
//! patterns this cluster's statement admits, a trust that names this
//! cluster's provider nowhere.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::eval::parse_trust_text;
use crate::trust;

use super::codes::diagnostic;
use super::phases::{remove_cluster_oidc, widen_for_pod_identity};
use super::plan::PlanFile;

/// The trust of each phase (phase 2 leaves it as phase 1 made it), and the findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustPlan {
    /// The MIG findings; an error means no phase trust.
    pub diagnostics: Vec<Diagnostic>,
    /// After phase 1: both paths admitted.
    pub both: Option<String>,
    /// After phase 3: this cluster's provider removed.
    pub end: Option<String>,
}

impl TrustPlan {
    /// The files `migrate --trust` writes (`phase-1/trust.json`, then
    /// `phase-3/trust.json`), one list for every shell; none when blocked.
    pub fn files(&self) -> Vec<PlanFile> {
        let (Some(both), Some(end)) = (&self.both, &self.end) else {
            return Vec::new();
        };
        vec![
            PlanFile {
                path: "phase-1/trust.json".into(),
                text: both.clone(),
            },
            PlanFile {
                path: "phase-3/trust.json".into(),
                text: end.clone(),
            },
        ]
    }
}

/// The findings of a trust for a move of `issuer`'s cluster.
pub(super) fn findings(
    text: &str,
    hp: &str,
    cluster_arn: Option<&str>,
    target_account: Option<&str>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let policy = parse_trust_text(text)?;
    let mut out = Vec::new();
    let providers: Vec<trust::Provider> = policy
        .statements
        .iter()
        .flat_map(|s| s.federated())
        .filter_map(|p| trust::provider(&p.value.value))
        .collect();
    let this = |p: &trust::Provider| p.host_path.eq_ignore_ascii_case(hp);
    if !providers.iter().any(this) {
        out.push(diagnostic(
            "MIG003",
            format!(
                "the trust names no OIDC provider of `{hp}`: it is not this cluster's IRSA trust"
            ),
        ));
    }
    out.extend(cluster_findings(
        &providers,
        hp,
        cluster_arn,
        target_account,
    ));
    let mut others: Vec<&str> = providers
        .iter()
        .filter(|p| !this(p))
        .map(|p| p.host_path.as_str())
        .collect();
    others.dedup();
    if !others.is_empty() {
        out.push(diagnostic(
            "MIG030",
            format!(
                "the role also trusts {} ({}); those statements are kept in every phase",
                match others.len() {
                    1 => "another cluster's OIDC provider".to_string(),
                    n => format!("{n} other clusters' OIDC providers"),
                },
                others.join(", ")
            ),
        ));
    }
    let mut accounts: Vec<&str> = providers.iter().map(|p| p.account.as_str()).collect();
    accounts.sort_unstable();
    accounts.dedup();
    if accounts.len() > 1 {
        out.push(diagnostic("MIG032", format!("the trust names OIDC providers of {} accounts ({}); STS uses only the role's own account's: the others' statements are kept as they are", accounts.len(), accounts.join(", "))));
    }
    let key = format!("{hp}:sub");
    let patterns = policy
        .statements
        .iter()
        .flat_map(|s| s.conditions.iter())
        .filter(|c| {
            c.key.value.eq_ignore_ascii_case(&key) && c.operator.value.contains("StringLike")
        });
    if let Some(c) = patterns.into_iter().next() {
        let values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
        out.push(diagnostic("MIG020", format!("this cluster's statement admits ServiceAccounts by pattern (`{}`); a Pod Identity association names one namespace and ServiceAccount", values.join("`, `"))));
    }
    out.push(diagnostic("MIG040", "the Pod Identity statements admit the role through EKS's session tags (kubernetes-namespace, kubernetes-service-account, eks-cluster-arn): the associations keep session tags on"));
    Ok(out)
}

/// What the cluster's ARN says against this cluster's providers: a China
/// cluster has no Pod Identity (MIG012); a provider of another account than
/// the cluster's means a role of that account, reached by role chaining only
/// (MIG033), which the plan makes when the target role's ARN is given
/// (`target_account`: MIG034, or MIG035 when the provider is not the
/// target's account's).
fn cluster_findings(
    providers: &[trust::Provider],
    hp: &str,
    cluster_arn: Option<&str>,
    target_account: Option<&str>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let arn = cluster_arn.and_then(crate::aws::Arn::parse);
    let china = |partition: &str| partition == crate::aws::Partition::AwsCn.as_str();
    let this: Vec<&trust::Provider> = providers
        .iter()
        .filter(|p| p.host_path.eq_ignore_ascii_case(hp))
        .collect();
    if arn.as_ref().is_some_and(|a| china(a.partition)) || this.iter().any(|p| china(&p.partition))
    {
        out.push(diagnostic(
            "MIG012",
            "the cluster is in a China region (aws-cn), where EKS Pod Identity is not available",
        ));
    }
    if let Some(arn) = arn {
        let mut elsewhere: Vec<&str> = this
            .iter()
            // Accounts as written: a placeholder (`${ACCOUNT_ID}`) is not another account.
            .filter(|p| {
                crate::aws::is_account_id(&p.account)
                    && crate::aws::is_account_id(arn.account)
                    && p.account != arn.account
            })
            .map(|p| p.account.as_str())
            .collect();
        elsewhere.dedup();
        let cluster = cluster_arn.unwrap_or_default();
        match (elsewhere.as_slice(), target_account) {
            ([], _) => {}
            ([one], Some(target)) if *one == target => out.push(diagnostic("MIG034", format!(
                "this cluster's OIDC provider is registered in account {one}, the cluster (`{cluster}`) is in {}: the plan reaches the role by role chaining, a source role in {} and the association's targetRoleArn",
                arn.account, arn.account
            ))),
            (_, Some(target)) => out.push(diagnostic("MIG035", format!(
                "--target-role-arn names a role of account {target}, but this cluster's OIDC provider in the trust is registered in {}: the trust is a role of that account's",
                elsewhere.join(", ")
            ))),
            (_, None) => out.push(diagnostic("MIG033", format!(
                "this cluster's OIDC provider is registered in account {}, the cluster (`{cluster}`) is in {}: the role is another account's, which an association reaches only by role chaining; give the role's ARN (--target-role-arn) to plan the chain",
                elsewhere.join(", "),
                arn.account
            ))),
        }
    }
    out
}

/// The trusts of phases 1 and 3 for an existing trust text, moving the
/// cluster of `issuer` (its URL) to Pod Identity; `cluster_arn` scopes the
/// Pod Identity statement when given.
pub fn plan_trust(text: &str, issuer: &str, cluster_arn: Option<&str>) -> TrustPlan {
    let hp = issuer.trim_start_matches("https://").trim_end_matches('/');
    let diagnostics = match findings(text, hp, cluster_arn, None) {
        Ok(d) => d,
        Err(d) => {
            return TrustPlan {
                diagnostics: d,
                both: None,
                end: None,
            }
        }
    };
    if crate::diagnostic::has_errors(&diagnostics) {
        return TrustPlan {
            diagnostics,
            both: None,
            end: None,
        };
    }
    let both = widen_for_pod_identity(text, issuer, cluster_arn);
    let end = both.as_ref().ok().map(|b| remove_cluster_oidc(b, issuer));
    match (both, end) {
        (Ok(both), Some(Ok(end))) => TrustPlan {
            diagnostics,
            both: Some(both),
            end: Some(end),
        },
        (Err(d), _) | (_, Some(Err(d))) => TrustPlan {
            diagnostics: d,
            both: None,
            end: None,
        },
        (Ok(_), None) => TrustPlan {
            diagnostics,
            both: None,
            end: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://oidc.eks.us-west-2.amazonaws.com/id/AAAA";

    fn trust(account: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{account}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/AAAA"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"oidc.eks.us-west-2.amazonaws.com/id/AAAA:sub":"system:serviceaccount:prod:a"}}}}}}]}}"#
        )
    }

    fn codes(account: &str, cluster_arn: &str) -> Vec<String> {
        plan_trust(&trust(account), ISSUER, Some(cluster_arn))
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn the_files_are_the_two_phase_trusts_or_none_when_blocked() {
        let prod = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
        let plan = plan_trust(&trust("111122223333"), ISSUER, Some(prod));
        let paths: Vec<String> = plan.files().into_iter().map(|f| f.path).collect();
        assert_eq!(paths, ["phase-1/trust.json", "phase-3/trust.json"]);
        assert_eq!(plan.files()[1].text, plan.end.clone().unwrap());
        assert!(plan_trust(&trust("444455556666"), ISSUER, Some(prod))
            .files()
            .is_empty());
    }

    #[test]
    fn another_account_blocks_but_a_placeholder_does_not() {
        let prod = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
        assert!(codes("444455556666", prod).contains(&"MIG033".to_string()));
        assert!(!codes("111122223333", prod).contains(&"MIG033".to_string()));
        assert!(!codes("${ACCOUNT_ID}", prod).contains(&"MIG033".to_string()));
        let china = "arn:aws-cn:eks:cn-north-1:111122223333:cluster/prod";
        assert!(codes("111122223333", china).contains(&"MIG012".to_string()));
    }
}
