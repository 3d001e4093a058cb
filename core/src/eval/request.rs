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
        Role::assumed_in(policy, issuer_partition(issuer))
    }

    /// [`Role::assumed`] with the issuer's partition already known.
    pub(super) fn assumed_in(policy: &Policy, partition: Option<Partition>) -> Option<Role> {
        let first = policy
            .statements
            .iter()
            .flat_map(Statement::federated)
            .find_map(|p| trust::provider_as_written(&p.value.value))?;
        Some(Role {
            partition: partition.map_or(first.partition, |p| p.to_string()),
            account: first.account,
        })
    }

    /// The ARN of the OIDC provider of `issuer` in this role's account.
    pub fn provider_arn(&self, issuer: &str) -> String {
        self.arn_of_provider(&normalise_issuer(issuer))
    }

    /// [`Role::provider_arn`] of an issuer already normalised.
    pub(super) fn arn_of_provider(&self, host_path: &str) -> String {
        format!(
            "arn:{}:iam::{}:oidc-provider/{host_path}",
            self.partition, self.account
        )
    }
}

/// A request's issuer, parsed once for everything an evaluation asks of it
/// (it used to be parsed three times per evaluation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RequestIssuer {
    /// As IAM writes it: [`normalise_issuer`] of the claim.
    pub written: String,
    /// [`normalise_issuer`] of `written`: the issuer in the provider ARN.
    pub in_arn: String,
    /// The partition of `written`'s region, when it names one.
    pub partition: Option<Partition>,
}

impl RequestIssuer {
    pub(super) fn of(issuer: &str) -> Self {
        match Issuer::parse(issuer) {
            // A valid issuer's host and path parse to themselves: nothing
            // to parse again.
            Ok(i) => RequestIssuer {
                partition: i.region.as_deref().map(Partition::of_region),
                in_arn: i.host_path.clone(),
                written: i.host_path,
            },
            Err(_) => {
                let written = as_written(issuer);
                let again = Issuer::parse(&written);
                RequestIssuer {
                    partition: again
                        .as_ref()
                        .ok()
                        .and_then(|i| i.region.as_deref())
                        .map(Partition::of_region),
                    in_arn: again.map_or_else(|_| as_written(&written), |i| i.host_path),
                    written,
                }
            }
        }
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
    Issuer::parse(issuer).map_or_else(|_| as_written(issuer), |i| i.host_path)
}

/// What [`normalise_issuer`] makes of an issuer that does not parse.
fn as_written(issuer: &str) -> String {
    let s = issuer.trim();
    let s = s.strip_prefix("https://").unwrap_or(s);
    s.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What an evaluation computed before [`RequestIssuer`]: three parses.
    fn three_parses(raw: &str) -> RequestIssuer {
        let written = normalise_issuer(raw);
        RequestIssuer {
            in_arn: normalise_issuer(&written),
            partition: issuer_partition(&written),
            written,
        }
    }

    #[test]
    fn one_parse_gives_what_three_gave() {
        for raw in [
            "https://oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7",
            "oidc.eks.cn-north-1.amazonaws.com.cn/id/b71ee52a96a24e6eb1a3c8d0f4e5a6b7/",
            " HTTPS://OIDC.EKS.EU-WEST-1.AMAZONAWS.COM/id/X ",
            "https://token.actions.githubusercontent.com",
            "https://https://x/",
            "http://oidc.eks.us-east-1.amazonaws.com/id/ABC",
            "oidc.eks.us-east-1.amazonaws.com:443/id/ABC",
            "oidc.eks.us-east-1.amazonaws.com/",
            "${OIDC_PROVIDER}",
            "",
        ] {
            assert_eq!(RequestIssuer::of(raw), three_parses(raw), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn one_parse_gives_what_three_gave_on_any_text(
            raw in "(https?://| |HTTPS://)?(oidc\\.eks\\.[a-z0-9-]{1,12}\\.amazonaws\\.com(\\.cn)?|[a-zA-Z0-9.:-]{0,12})(/id/[a-fA-F0-9XG_]{0,8}|/[a-z/]{0,6})?/?( )?"
        ) {
            prop_assert_eq!(RequestIssuer::of(&raw), three_parses(&raw));
        }
    }
}
