//! What a request is: the role it assumes ([`Role`]) and the token's claims
//! ([`Claims`]), with the issuer written as IAM writes it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aws::{Arn, Issuer, Partition};
use crate::trust::{self, Policy, Statement};

/// The action IRSA calls.
pub const WEB_IDENTITY_ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// The role a request assumes: where STS looks the token's provider up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// The role's partition (`aws`, `aws-cn`...).
    pub partition: String,
    /// The role's 12-digit account.
    pub account: String,
}

impl Role {
    /// The role of an ARN `arn:P:iam::ACCOUNT:role/NAME`, or what is wrong with it.
    pub fn from_arn(arn: &str) -> Result<Role, String> {
        if let Some(p) = crate::aws::role_arn_problem(arn.trim()) {
            return Err(p);
        }
        let a = Arn::parse(arn.trim()).ok_or_else(|| format!("`{arn}` is not an ARN"))?;
        Ok(Role {
            partition: a.partition.to_string(),
            account: a.account.to_string(),
        })
    }

    /// The role in `account`, in the partition of the issuer's region (`aws` when
    /// the issuer names no region).
    pub fn in_account(account: &str, issuer: &str) -> Role {
        Role {
            partition: issuer_partition(issuer)
                .unwrap_or(Partition::Aws)
                .to_string(),
            account: account.to_string(),
        }
    }

    /// The role assumed when none is given: the account of the trust's first OIDC
    /// provider, in the partition of the issuer's region (that provider's
    /// partition when the issuer names no region).
    pub fn assumed(policy: &Policy, issuer: &str) -> Option<Role> {
        let first = policy
            .statements
            .iter()
            .flat_map(Statement::federated)
            .find_map(|p| trust::provider(&p.value.value))?;
        Some(Role {
            partition: issuer_partition(issuer).map_or(first.partition, |p| p.to_string()),
            account: first.account,
        })
    }

    /// The ARN of the OIDC provider of `issuer` in this role's account.
    pub fn provider_arn(&self, issuer: &str) -> String {
        format!(
            "arn:{}:iam::{}:oidc-provider/{}",
            self.partition,
            self.account,
            normalise_issuer(issuer)
        )
    }
}

fn issuer_partition(issuer: &str) -> Option<Partition> {
    let region = Issuer::parse(issuer).ok()?.region?;
    Some(Partition::of_region(&region))
}

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
    /// The role assumed. None: [`Role::assumed`] from the trust.
    pub role: Option<Role>,
    /// More context keys by full name (`aws:SourceIp`, `ISSUER:amr`), each with
    /// its values (several for multi-valued keys). They win over what the
    /// request carries; caller-only keys not given here are unknown.
    pub context: BTreeMap<String, Vec<String>>,
    /// An EKS Pod Identity request (principal `pods.eks.amazonaws.com`, actions
    /// `sts:AssumeRole` and `sts:TagSession`) instead of a web identity one.
    pub pod_identity: bool,
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
