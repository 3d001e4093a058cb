//! Which condition keys a request carries, and with what values.
//!
//! An `sts:AssumeRoleWithWebIdentity` request carries, from the token and from
//! STS itself:
//! - `ISSUER:sub` and `ISSUER:aud` (ISSUER is the provider's host and path),
//!   and `ISSUER:amr` where the token has it: "Available keys for IAM OIDC
//!   federation", <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>.
//!   ServiceAccount tokens have no `amr`, so it is absent unless given.
//! - `aws:FederatedProvider`: the ARN of the IAM OIDC provider that
//!   authenticated the token, in the role's account; `aws:SecureTransport`:
//!   `true`, STS takes requests over TLS only
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).
//!
//! Some keys are in every request but only the caller knows their value (the
//! time, its address, the session name it chose): [`CALLER_KEYS`]. Without a
//! value for one of them a decision that depends on it is conditional.
//! Every other key is absent, as in IAM: the request is unsigned, so there is
//! no `aws:PrincipalAccount`, `aws:PrincipalTag/...`, and no service calls on
//! its behalf, so no `aws:SourceAccount`/`aws:SourceArn`
//! (each key's "Availability" in the global condition keys page).
//!
//! An EKS Pod Identity request (`sts:AssumeRole` and `sts:TagSession` by
//! `pods.eks.amazonaws.com`) carries its session tags as `aws:RequestTag/...`
//! (<https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html>). The
//! cluster's tags, and `aws:SourceAccount`/`aws:SourceArn`, which a service
//! principal's request may carry (the confused-deputy keys,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>),
//! are treated as known only to the caller: a trust that tests them is
//! Conditional, never a false Deny.

use super::request::Claims;

/// A key only the caller knows the value of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerKey {
    /// The key as AWS documents it.
    pub name: &'static str,
    /// True when the key is in every such request (`Null` is then decided).
    pub always_present: bool,
    /// True for keys of Pod Identity requests only.
    pub pod_identity_only: bool,
}

const fn caller(name: &'static str, always_present: bool) -> CallerKey {
    CallerKey {
        name,
        always_present,
        pod_identity_only: false,
    }
}

const fn pod_identity(name: &'static str) -> CallerKey {
    CallerKey {
        name,
        always_present: true,
        pod_identity_only: true,
    }
}

/// The keys whose value only the caller knows (`simulate --context KEY=VALUE`).
/// `aws:SourceVpc`, `aws:SourceVpce` and `aws:VpcSourceIp` are present when the
/// request comes through a VPC endpoint
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sts_vpc_condition_keys_federated.html>);
/// `sts:RoleSessionName` is the session name the SDK sends (a required parameter).
pub const CALLER_KEYS: &[CallerKey] = &[
    caller("aws:CurrentTime", true),
    caller("aws:EpochTime", true),
    caller("aws:SourceIp", true),
    caller("aws:UserAgent", true),
    caller("aws:RequestedRegion", true),
    caller("aws:Referer", false),
    caller("aws:SourceVpc", false),
    caller("aws:SourceVpce", false),
    caller("aws:VpcSourceIp", false),
    caller("sts:RoleSessionName", true),
    pod_identity("aws:SourceAccount"),
    pod_identity("aws:SourceArn"),
    pod_identity("aws:RequestTag/eks-cluster-arn"),
    pod_identity("aws:RequestTag/eks-cluster-name"),
    pod_identity("aws:RequestTag/kubernetes-pod-name"),
    pod_identity("aws:RequestTag/kubernetes-pod-uid"),
];

/// The caller key of that name (without case), for this kind of request.
pub fn caller_key(name: &str, pod_identity: bool) -> Option<&'static CallerKey> {
    CALLER_KEYS
        .iter()
        .find(|k| k.name.eq_ignore_ascii_case(name) && (pod_identity || !k.pod_identity_only))
}

/// What a request holds for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Present with these values; `multi` for a multi-valued key.
    Present { values: Vec<String>, multi: bool },
    /// Not in the request.
    Absent,
    /// In the request (or maybe, unless `always_present`), value unknown.
    Unknown { always_present: bool },
}

/// Keys documented as multi-valued that a web-identity request can carry.
fn is_multi_valued(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:TagKeys")
        || key
            .rsplit_once(':')
            .is_some_and(|(_, claim)| claim.eq_ignore_ascii_case("amr"))
}

/// The request's keys: the claims, the provider STS resolved, the caller's context.
pub(crate) struct Request<'a> {
    pub(crate) claims: &'a Claims,
    /// The token's issuer, host and path.
    pub(crate) issuer: Option<String>,
    /// The OIDC provider STS looks the issuer up as: in the role's account and partition.
    pub(crate) provider_arn: Option<String>,
    /// A service request judged by a permissions policy: what it carries is the
    /// caller's to say, so a key not in `claims.context` is unknown, not absent.
    pub(crate) open: bool,
    /// Another caller than a token (a role session, `session.rs`): its keys
    /// instead of the claims'.
    pub(crate) session: Option<&'a dyn Carries>,
}

/// What a request of another kind than a token's carries for each key.
pub(crate) trait Carries {
    /// The value of `key` (names compare without case).
    fn lookup(&self, key: &str) -> Lookup;
}

impl Request<'_> {
    /// The value of `key` (names compare without case).
    pub(crate) fn lookup(&self, key: &str) -> Lookup {
        if let Some(session) = self.session {
            return session.lookup(key);
        }
        let present = |values: Vec<String>| {
            let multi = values.len() > 1 || is_multi_valued(key);
            if values.is_empty() {
                Lookup::Absent
            } else {
                Lookup::Present { values, multi }
            }
        };
        if let Some((_, v)) = self
            .claims
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return present(v.clone());
        }
        if self.open {
            return Lookup::Unknown {
                always_present: false,
            };
        }
        if let Some(v) = self.carried(key) {
            return present(vec![v]);
        }
        match caller_key(key, self.claims.pod_identity) {
            Some(k) => Lookup::Unknown {
                always_present: k.always_present,
            },
            None => Lookup::Absent,
        }
    }

    /// The keys the request itself carries.
    fn carried(&self, key: &str) -> Option<String> {
        let c = self.claims;
        if key.eq_ignore_ascii_case("aws:SecureTransport") {
            return Some("true".into());
        }
        if c.pod_identity {
            return None;
        }
        if key.eq_ignore_ascii_case("aws:FederatedProvider") {
            return self.provider_arn.clone();
        }
        let (prefix, claim) = key.rsplit_once(':')?;
        if !self.issuer.as_deref()?.eq_ignore_ascii_case(prefix) {
            return None;
        }
        if claim.eq_ignore_ascii_case("sub") {
            c.sub.clone()
        } else if claim.eq_ignore_ascii_case("aud") {
            c.aud.clone()
        } else {
            None
        }
    }
}
