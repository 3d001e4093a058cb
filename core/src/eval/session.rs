//! A role session as the caller of `sts:AssumeRole`: a role of account A,
//! assumed, calls AssumeRole on the role whose trust is judged (role
//! chaining: EKS Pod Identity's `targetRoleArn`, or any cross-account hop).
//!
//! What such a request carries
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>,
//! each key's "Availability"):
//! - `aws:PrincipalArn`: for a role session, the ARN of the role (with its
//!   path), not the session's `assumed-role` ARN; `aws:PrincipalAccount` its
//!   account; `aws:PrincipalType` `AssumedRole`; `aws:PrincipalIsAWSService`
//!   `false` (the caller is not a service principal); `aws:SecureTransport`
//!   `true` (STS takes requests over TLS only).
//! - the session tags it passes as `aws:RequestTag/KEY`, their keys as the
//!   multi-valued `aws:TagKeys`; passing tags needs `sts:TagSession` too
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html>).
//! - keys whose value only IAM knows here ([`SESSION_KEYS`]): the caller's
//!   tags (`aws:PrincipalTag/...`, the role's and its session's), its
//!   organization, `aws:userid` (the role's unique ID and the session name),
//!   the target role's own tags (`aws:ResourceTag/...`), the source identity.
//!   A condition on one of them is Conditional, never a guessed Allow or Deny.
//! - no `aws:SourceAccount`/`aws:SourceArn` (no service calls on its
//!   behalf), no `aws:FederatedProvider`, no OIDC claims: absent.

use std::collections::BTreeMap;

use serde::Serialize;

use super::keys::{caller_key, Carries, Lookup};
use crate::aws::{role_arn_problem, Arn};

/// The action a role session calls on the role it assumes.
pub const ASSUME_ROLE_ACTION: &str = "sts:AssumeRole";
/// The action that passing session tags needs as well.
pub const TAG_SESSION_ACTION: &str = "sts:TagSession";

/// A role session calling `sts:AssumeRole` (and `sts:TagSession` when it
/// passes tags) on the role whose trust is evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleSession {
    /// The caller's role ARN, `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    pub role_arn: String,
    /// The caller's session name, when known (decides an `assumed-role` principal).
    pub session_name: Option<String>,
    /// The session tags passed (`aws:RequestTag/KEY`).
    pub session_tags: BTreeMap<String, String>,
    /// Values of keys only the caller or IAM knows ([`SESSION_KEYS`],
    /// [`super::keys::CALLER_KEYS`]), and any key the request sends
    /// (`sts:ExternalId`); several for a multi-valued key.
    pub context: BTreeMap<String, Vec<String>>,
}

/// The parts of the caller's role ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallerRole {
    pub partition: String,
    pub account: String,
    /// The role's name, the last segment (a session ARN has no path).
    pub name: String,
    /// The role's ARN as given.
    pub arn: String,
}

impl RoleSession {
    /// A session of the role `role_arn`, with no tags.
    pub fn of(role_arn: &str) -> RoleSession {
        RoleSession {
            role_arn: role_arn.trim().to_string(),
            ..RoleSession::default()
        }
    }

    /// What is wrong with the request itself (the role ARN, session tags).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = role_arn_problem(&self.role_arn) {
            out.push(format!("role ARN `{}` is malformed: {p}", self.role_arn));
        }
        out.extend(
            self.session_tags
                .keys()
                .filter(|k| k.trim().is_empty())
                .map(|_| "a session tag needs a key".to_string()),
        );
        out
    }

    /// The actions the request needs the trust to allow.
    pub fn actions(&self) -> Vec<&'static str> {
        if self.session_tags.is_empty() {
            vec![ASSUME_ROLE_ACTION]
        } else {
            vec![ASSUME_ROLE_ACTION, TAG_SESSION_ACTION]
        }
    }

    /// The keys the request itself carries, with whether the key is multi-valued.
    fn carried(&self, key: &str) -> Option<(Vec<String>, bool)> {
        let caller = self.parts()?;
        let one = |v: String| Some((vec![v], false));
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if is("aws:PrincipalArn") {
            return one(self.role_arn.clone());
        }
        if is("aws:PrincipalAccount") {
            return one(caller.account);
        }
        if is("aws:PrincipalType") {
            return one("AssumedRole".into());
        }
        if is("aws:PrincipalIsAWSService") {
            return one("false".into());
        }
        if is("aws:SecureTransport") {
            return one("true".into());
        }
        if is_tag_keys(key) {
            let keys: Vec<String> = self.session_tags.keys().cloned().collect();
            return Some((keys, true));
        }
        let tag = key
            .get(..15)
            .filter(|p| p.eq_ignore_ascii_case("aws:RequestTag/"))
            .and_then(|_| key.get(15..))?;
        // Tag keys are case-insensitive in a condition's key name.
        self.session_tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(tag))
            .and_then(|(_, v)| one(v.clone()))
    }

    /// The parts of the role ARN (partition, account, name) and the ARN.
    pub(crate) fn parts(&self) -> Option<CallerRole> {
        if role_arn_problem(&self.role_arn).is_some() {
            return None;
        }
        let a = Arn::parse(&self.role_arn)?;
        Some(CallerRole {
            partition: a.partition.to_string(),
            account: a.account.to_string(),
            name: a
                .resource
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            arn: self.role_arn.clone(),
        })
    }
}

impl Carries for RoleSession {
    /// What the request holds for a key (names compare without case).
    fn lookup(&self, key: &str) -> Lookup {
        if let Some((_, v)) = self
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return present(v.clone(), v.len() > 1 || is_tag_keys(key));
        }
        if let Some((values, multi)) = self.carried(key) {
            return present(values, multi);
        }
        if let Some(k) = session_key(key) {
            return Lookup::Unknown {
                always_present: k.always_present,
            };
        }
        match caller_key(key, false) {
            Some(k) => Lookup::Unknown {
                always_present: k.always_present,
            },
            None => Lookup::Absent,
        }
    }
}

fn present(values: Vec<String>, multi: bool) -> Lookup {
    if values.is_empty() {
        Lookup::Absent
    } else {
        Lookup::Present { values, multi }
    }
}

fn is_tag_keys(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:TagKeys")
}

/// A key of a role session's request whose value only IAM (or the caller) knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionKey {
    /// The key, or a prefix ending in `/` (`aws:PrincipalTag/`).
    pub name: &'static str,
    /// True when every such request has it (`Null` is then decided).
    pub always_present: bool,
}

/// The keys of [`RoleSession`] requests that are unknown unless given: the
/// caller's tags, organization and unique ID, the target role's tags (the
/// request's resource), the session's source identity and MFA, the time its
/// credentials were issued.
pub const SESSION_KEYS: &[SessionKey] = &[
    SessionKey {
        name: "aws:PrincipalTag/",
        always_present: false,
    },
    SessionKey {
        name: "aws:ResourceTag/",
        always_present: false,
    },
    SessionKey {
        name: "aws:PrincipalOrgID",
        always_present: false,
    },
    SessionKey {
        name: "aws:PrincipalOrgPaths",
        always_present: false,
    },
    SessionKey {
        name: "aws:userid",
        always_present: true,
    },
    SessionKey {
        name: "aws:SourceIdentity",
        always_present: false,
    },
    SessionKey {
        name: "aws:MultiFactorAuthPresent",
        always_present: false,
    },
    SessionKey {
        name: "aws:MultiFactorAuthAge",
        always_present: false,
    },
    SessionKey {
        name: "aws:TokenIssueTime",
        always_present: true,
    },
    SessionKey {
        name: "aws:ViaAWSService",
        always_present: true,
    },
    SessionKey {
        name: "aws:CalledVia",
        always_present: false,
    },
];

/// The session key of that name (a prefix entry matches its keys), without case.
pub fn session_key(name: &str) -> Option<&'static SessionKey> {
    SESSION_KEYS.iter().find(|k| {
        if k.name.ends_with('/') {
            name.get(..k.name.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(k.name))
        } else {
            name.eq_ignore_ascii_case(k.name)
        }
    })
}
