//! The normalised model generation reads: a [`ValidSpec`] is a spec that
//! passed validation, with every name checked, defaults filled and issuers
//! normalised. Only validation makes one; everything after it reads it.

use indexmap::IndexMap;
use serde::Serialize;

use crate::aws::{Issuer, Partition};
use crate::diagnostic::Diagnostic;
use crate::kube;
use crate::spec::{IdentityType, Permissions};

/// The tag irsa-gen's setup.sh puts on the roles and OIDC providers it
/// creates, and the only roles it removes things from when it is rerun: a
/// spec may not use it, and has one tag fewer than IAM's 50.
pub const MANAGED_TAG: &str = "irsa-gen:managed";

/// A spec that passed validation: every name checked and trimmed, defaults
/// filled, issuers normalised. Nothing that reads it trims again.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidSpec {
    /// 12-digit account of the roles and providers.
    pub account_id: String,
    /// 12-digit account of the EKS cluster (`clusterAccountId`; the roles'
    /// account when not given).
    pub cluster_account_id: String,
    /// Region of the cluster.
    pub region: String,
    /// Partition of the region.
    pub partition: Partition,
    /// IRSA, Pod Identity, or both (a migration's transition).
    pub identity_type: IdentityType,
    /// The trusted issuers, primary first (empty for Pod Identity without a cluster).
    pub issuers: Vec<Issuer>,
    /// The cluster's name, if given.
    pub cluster_name: Option<String>,
    /// Create the IAM OIDC providers (`createOidcProvider`), else look them up.
    pub create_oidc_provider: bool,
    /// Token audience.
    pub audience: String,
    /// Token lifetime, if set.
    pub token_expiration: Option<u32>,
    /// Regional STS endpoints, if set.
    pub sts_regional_endpoints: Option<bool>,
    /// Trust policy size limit.
    pub max_trust_policy_length: usize,
    /// One role each.
    pub bindings: Vec<Binding>,
}

/// A validated binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// Namespace or namespace pattern.
    pub namespace: String,
    /// Service account names or patterns (at least one).
    pub service_accounts: Vec<String>,
    /// IAM role name.
    pub role_name: String,
    /// IAM role path (`/` by default).
    pub role_path: String,
    /// Permissions boundary ARN.
    pub permissions_boundary: Option<String>,
    /// Role description (free text).
    pub description: Option<String>,
    /// Role tags.
    pub tags: IndexMap<String, String>,
    /// What the role may do.
    pub permissions: Permissions,
    /// The Deployment, if asked for.
    pub workload: Option<Workload>,
}

/// A validated workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// Deployment name.
    pub name: String,
    /// Container image.
    pub image: String,
    /// Container name.
    pub container: String,
    /// Replicas.
    pub replicas: u32,
}

impl ValidSpec {
    /// True when the roles trust the cluster's OIDC provider (IRSA or both).
    pub fn uses_irsa(&self) -> bool {
        self.identity_type.uses_irsa()
    }

    /// True when the roles trust pods.eks.amazonaws.com (Pod Identity or both).
    pub fn uses_pod_identity(&self) -> bool {
        self.identity_type.uses_pod_identity()
    }

    /// The EKS cluster's ARN, when its name is known: in the cluster's
    /// account, which need not be the roles'.
    pub fn cluster_arn(&self) -> Option<String> {
        let name = self.cluster_name.as_deref()?;
        Some(format!(
            "arn:{}:eks:{}:{}:cluster/{name}",
            self.partition, self.region, self.cluster_account_id
        ))
    }

    /// True when the roles are in another account than the cluster
    /// (`clusterAccountId`): IRSA trusts the OIDC provider of the roles'
    /// account; Pod Identity needs role chaining.
    pub fn cross_account(&self) -> bool {
        self.cluster_account_id != self.account_id
    }
}

impl Binding {
    /// True when the namespace or any service account is a pattern (`*`, `?`).
    pub fn is_pattern(&self) -> bool {
        is_pattern(&self.namespace) || self.service_accounts.iter().any(|s| is_pattern(s))
    }

    /// The `sub` values this role trusts.
    pub fn subjects(&self) -> Vec<String> {
        self.service_accounts
            .iter()
            .map(|sa| kube::subject(&self.namespace, sa))
            .collect()
    }

    /// The role ARN.
    pub fn role_arn(&self, spec: &ValidSpec) -> String {
        format!(
            "arn:{}:iam::{}:role{}{}",
            spec.partition, spec.account_id, self.role_path, self.role_name
        )
    }

    /// Folder for this binding's files when a spec has several: `NAMESPACE/SERVICE_ACCOUNT`.
    pub fn dir(&self) -> String {
        let sa = self.service_accounts.first().map_or("", String::as_str);
        format!("{}/{}", file_safe(&self.namespace), file_safe(sa))
    }

    /// The one service account, when there is exactly one and it is a plain name.
    pub fn single_service_account(&self) -> Option<&str> {
        let mut named = self.named_service_accounts();
        let first = named.next()?;
        (self.service_accounts.len() == 1 && named.next().is_none()).then_some(first)
    }

    /// The service accounts that are plain names (patterns get no manifest).
    pub fn named_service_accounts(&self) -> impl Iterator<Item = &str> {
        let ns_pattern = is_pattern(&self.namespace);
        self.service_accounts
            .iter()
            .map(String::as_str)
            .filter(move |s| !ns_pattern && !is_pattern(s))
    }
}

/// True for a value with IAM `StringLike` wildcards.
pub fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?'])
}

fn file_safe(s: &str) -> String {
    s.replace('*', "_all_").replace('?', "_any_")
}

/// The outcome of loading a spec: the valid spec (when there is no error) and every finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validated {
    /// Present when no diagnostic is an error.
    pub spec: Option<ValidSpec>,
    /// Errors, warnings and notes, in field order.
    pub diagnostics: Vec<Diagnostic>,
}
