//! Whom a statement is for: does its `Principal` (or `NotPrincipal`) name the
//! caller of this request?
//!
//! For `sts:AssumeRoleWithWebIdentity`, STS looks the token's issuer up among
//! the IAM OIDC providers of the role's own account, so the caller is exactly
//! `arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER` with the role's partition
//! and account. A Federated principal naming the same issuer in another
//! account or partition names a provider the request never comes from: its
//! statement never applies, Allow or Deny
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity>).
//! `"Principal": "*"` and `{"AWS": "*"}` are everyone, every web identity
//! included (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous>).

use serde::Serialize;

use super::request::{Claims, Role};
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::trust::{self, PrincipalKind, Statement};

/// A Federated principal naming the request's issuer in another account or
/// partition than the role's: its statement never applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForeignProvider {
    /// The statement (0-based).
    pub statement: usize,
    /// The provider ARN as written.
    pub provider: String,
    /// Why it never matches, in one sentence.
    pub reason: String,
}

/// Does the statement's principal name the caller? Also the foreign providers it names.
pub(crate) fn names_caller(
    s: &Statement,
    claims: &Claims,
    issuer: Option<&str>,
    role: Option<&Role>,
) -> (bool, Vec<ForeignProvider>) {
    let mut foreign = Vec::new();
    let hit = s.principals.iter().any(|p| {
        let v = p.value.value.as_str();
        match p.kind {
            PrincipalKind::Any => true,
            PrincipalKind::Aws => v == "*",
            PrincipalKind::Service => claims.pod_identity && v == POD_IDENTITY_PRINCIPAL,
            PrincipalKind::Federated if claims.pod_identity => false,
            PrincipalKind::Federated => {
                let (Some(issuer), Some(pr)) = (issuer, trust::provider_as_written(v)) else {
                    return false;
                };
                if !pr.host_path.eq_ignore_ascii_case(issuer) {
                    return false;
                }
                match role {
                    Some(r) if r.account != pr.account || r.partition != pr.partition => {
                        foreign.push(ForeignProvider {
                            statement: s.index,
                            provider: v.to_string(),
                            reason: foreign_reason(&pr, r),
                        });
                        false
                    }
                    _ => true,
                }
            }
            PrincipalKind::Other => false,
        }
    });
    (if s.not_principal { !hit } else { hit }, foreign)
}

fn foreign_reason(pr: &trust::Provider, role: &Role) -> String {
    let what = if pr.partition != role.partition {
        format!("partition `{}`", pr.partition)
    } else {
        format!("account {}", pr.account)
    };
    format!(
        "it is a provider of {what}; STS looks the token's issuer up among the providers of the role's account {} (partition `{}`) only, so the statement never applies",
        role.account, role.partition
    )
}
