//! The AWS side of a setup, as the lab emulates it: IAM roles with their trust
//! policies, IAM OIDC providers with their client IDs (audiences), EKS Pod
//! Identity associations, and the ServiceAccounts the setup binds (what `lab
//! test` probes). Built from a spec with the same generators `generate` uses,
//! so the lab evaluates exactly the trust policy irsa-gen writes.

use crate::aws::Partition;
use crate::diagnostic::Diagnostic;
use crate::documents;
use crate::eval;
use crate::kube;
use crate::model::ValidSpec;
use crate::trust::Policy;

/// The session limit of a role created without `--max-session-duration`.
pub const DEFAULT_MAX_SESSION_DURATION: i64 = 3_600;

/// An IAM role.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    pub arn: String,
    /// The role's name (the assumed-role ARN carries the name, not the path).
    pub name: String,
    /// The role's account.
    pub account: String,
    /// The role's partition.
    pub partition: String,
    /// The unique ID (`AROA...`); IAM makes it at random, so the caller sets it.
    pub id: String,
    /// The trust policy.
    pub trust: Policy,
    /// `MaxSessionDuration`.
    pub max_session_duration: i64,
}

/// An IAM OIDC provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The account it is in.
    pub account: String,
    /// Its partition.
    pub partition: String,
    /// The issuer's host and path.
    pub issuer: String,
    /// The client ID list: the audiences STS accepts.
    pub client_ids: Vec<String>,
}

/// An EKS Pod Identity association.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Association {
    /// The cluster's name.
    pub cluster: String,
    /// The cluster's region.
    pub region: String,
    /// The cluster's issuer (host and path) in the lab.
    pub issuer: String,
    /// Namespace.
    pub namespace: String,
    /// ServiceAccount.
    pub service_account: String,
    /// The role.
    pub role_arn: String,
}

/// How a bound ServiceAccount gets credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// A web identity token and `AssumeRoleWithWebIdentity`.
    Irsa,
    /// The Pod Identity Agent's container credentials endpoint.
    PodIdentity,
}

/// A ServiceAccount (or a pattern of them) the setup binds to a role.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bound {
    /// Namespace (or pattern).
    pub namespace: String,
    /// ServiceAccount name (or pattern).
    pub service_account: String,
    /// The role.
    pub role_arn: String,
    /// The token audience its pods get.
    pub audience: String,
    /// The cluster issuer its pods' tokens come from (host and path).
    pub issuer: String,
    /// IRSA or Pod Identity.
    pub mode: Mode,
    /// The region its pods run in (`AWS_REGION`).
    pub region: String,
    /// The annotations of its ServiceAccount, as `generate` writes them.
    pub annotations: Vec<(String, String)>,
}

/// Everything the lab knows about the AWS side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Account {
    /// Roles.
    pub roles: Vec<Role>,
    /// OIDC providers.
    pub providers: Vec<Provider>,
    /// Pod Identity associations.
    pub associations: Vec<Association>,
    /// The bound ServiceAccounts.
    pub bound: Vec<Bound>,
    /// The clusters' issuers (host and path), primary first.
    pub issuers: Vec<String>,
}

impl Account {
    /// The role with this ARN (ARNs compare exactly, as IAM's do).
    pub fn role(&self, arn: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.arn == arn)
    }

    /// The provider for an issuer in an account and partition.
    pub fn provider(&self, partition: &str, account: &str, issuer: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| {
            p.partition == partition
                && p.account == account
                && p.issuer.eq_ignore_ascii_case(issuer)
        })
    }

    /// The association of a ServiceAccount in the cluster whose issuer this is.
    pub fn association(
        &self,
        issuer: &str,
        namespace: &str,
        service_account: &str,
    ) -> Option<&Association> {
        self.associations.iter().find(|a| {
            a.issuer.eq_ignore_ascii_case(issuer)
                && a.namespace == namespace
                && a.service_account == service_account
        })
    }

    /// The account of a spec: one role per binding with the trust `generate`
    /// writes, a provider per trusted issuer in the spec's account (client ID:
    /// the audience, as `setup.sh` creates it), and for Pod Identity an
    /// association per ServiceAccount. Role IDs are left empty for the caller.
    pub fn from_spec(spec: &ValidSpec) -> Result<Account, Vec<Diagnostic>> {
        let partition = spec.partition.as_str().to_string();
        let pod_identity = spec.uses_pod_identity();
        let cluster_name = spec
            .cluster_name
            .clone()
            .unwrap_or_else(|| "cluster".into());
        let issuers: Vec<String> = if spec.issuers.is_empty() {
            // Pod Identity needs no IAM provider, but the pods' tokens still
            // come from the cluster's issuer; the lab names one for it.
            vec![format!("eks/{cluster_name}")]
        } else {
            spec.issuers.iter().map(|i| i.host_path.clone()).collect()
        };
        let mut account = Account {
            issuers: issuers.clone(),
            ..Account::default()
        };
        if spec.uses_irsa() {
            account.providers = issuers
                .iter()
                .map(|issuer| Provider {
                    account: spec.account_id.clone(),
                    partition: partition.clone(),
                    issuer: issuer.clone(),
                    client_ids: vec![spec.audience.clone()],
                })
                .collect();
        }
        let primary = issuers.first().cloned().unwrap_or_default();
        for b in &spec.bindings {
            let text = serde_json::to_string(&documents::trust_policy(spec, b))
                .map_err(|e| vec![crate::rules::diagnostic("IRSA403", e.to_string())])?;
            account.roles.push(Role {
                arn: b.role_arn(spec),
                name: b.role_name.clone(),
                account: spec.account_id.clone(),
                partition: partition.clone(),
                id: String::new(),
                trust: eval::parse_trust_text(&text)?,
                max_session_duration: DEFAULT_MAX_SESSION_DURATION,
            });
            // The annotations depend on the binding only, not on the name.
            let mut named = b.clone();
            named.namespace = super::matrix::example_name(&b.namespace);
            named.service_accounts = vec![super::matrix::example_name(
                b.service_accounts.first().map_or("", String::as_str),
            )];
            let annotations: Vec<(String, String)> = documents::service_accounts(spec, &named)
                .first()
                .map(|sa| sa.metadata.annotations.clone().into_iter().collect())
                .unwrap_or_default();
            for sa in &b.service_accounts {
                account.bound.push(Bound {
                    annotations: annotations.clone(),
                    namespace: b.namespace.clone(),
                    service_account: sa.clone(),
                    role_arn: b.role_arn(spec),
                    audience: if pod_identity {
                        crate::aws::POD_IDENTITY_PRINCIPAL.to_string()
                    } else {
                        spec.audience.clone()
                    },
                    issuer: primary.clone(),
                    mode: if pod_identity {
                        Mode::PodIdentity
                    } else {
                        Mode::Irsa
                    },
                    region: spec.region.clone(),
                });
                if pod_identity {
                    account.associations.push(Association {
                        cluster: cluster_name.clone(),
                        region: spec.region.clone(),
                        issuer: primary.clone(),
                        namespace: b.namespace.clone(),
                        service_account: sa.clone(),
                        role_arn: b.role_arn(spec),
                    });
                }
            }
        }
        Ok(account)
    }

    /// The bound ServiceAccount a namespace and name are, if any (patterns match).
    pub fn bound_for(&self, namespace: &str, service_account: &str) -> Option<&Bound> {
        let sub = kube::subject(namespace, service_account);
        self.bound.iter().find(|b| {
            crate::trust::wildcard_match(&kube::subject(&b.namespace, &b.service_account), &sub)
        })
    }
}

/// The partition and account of a role ARN, and its name; None when the ARN is not a role's.
pub fn parse_role_arn(arn: &str) -> Option<(String, String, String)> {
    if crate::aws::role_arn_problem(arn).is_some() {
        return None;
    }
    let a = crate::aws::Arn::parse(arn)?;
    let name = a.resource.rsplit('/').next()?;
    Partition::parse(a.partition)?;
    Some((
        a.partition.to_string(),
        a.account.to_string(),
        name.to_string(),
    ))
}

/// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION` (the role's name, without its path).
pub fn assumed_role_arn(role: &Role, session: &str) -> String {
    format!(
        "arn:{}:sts::{}:assumed-role/{}/{session}",
        role.partition, role.account, role.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> ValidSpec {
        crate::load_spec(text, None).spec.unwrap()
    }

    #[test]
    fn from_the_step_by_step_guide() {
        let a = Account::from_spec(&spec(
            "accountId: '123456789012'\nregion: ap-south-1\ncluster: EXAMPLED539D4633E53DE1B716D3041E\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n    rolePath: /apps/\n",
        ))
        .unwrap();
        let role = &a.roles[0];
        assert_eq!(role.arn, "arn:aws:iam::123456789012:role/apps/S3WriterRole");
        assert_eq!(
            assumed_role_arn(role, "s"),
            "arn:aws:sts::123456789012:assumed-role/S3WriterRole/s"
        );
        let p = &a.providers[0];
        assert_eq!(
            p.issuer,
            "oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"
        );
        assert_eq!(p.client_ids, vec!["sts.amazonaws.com"]);
        assert!(a.bound_for("production", "s3-writer").is_some());
        assert!(a.bound_for("production", "default").is_none());
        assert_eq!(
            parse_role_arn("arn:aws-cn:iam::111122223333:role/a/b"),
            Some(("aws-cn".into(), "111122223333".into(), "b".into()))
        );
        assert_eq!(parse_role_arn("arn:aws:iam::111122223333:user/b"), None);
    }

    #[test]
    fn pod_identity_has_associations_and_no_provider() {
        let a = Account::from_spec(&spec(
            "accountId: '123456789012'\nregion: eu-west-1\nclusterName: my-cluster\nidentityType: pod-identity\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: R\n",
        ))
        .unwrap();
        assert!(a.providers.is_empty());
        assert_eq!(a.associations[0].cluster, "my-cluster");
        assert_eq!(a.issuers, vec!["eks/my-cluster"]);
        assert_eq!(a.bound[0].mode, Mode::PodIdentity);
    }
}
