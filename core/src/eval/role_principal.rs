//! Whom a statement is for, when the caller is a role session
//! ([`super::session::RoleSession`]).
//!
//! IAM's Principal element
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>):
//! - an IAM role ARN (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`) names that
//!   role, and so every session of it: a role session is the role's
//!   principal at work. IAM keeps the role's unique ID when it saves the
//!   policy, so the ARN must be the role's own, path included, written
//!   exactly ("Examples of policies for delegating access": a role deleted
//!   and made again under the same name is no longer named);
//! - an `assumed-role` ARN (`arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION`)
//!   names one session of the role NAME: decided by the session name, when given;
//! - an account (`ACCOUNT` or `arn:PARTITION:iam::ACCOUNT:root`) names every
//!   principal of the account, but delegates: the caller's own
//!   identity-based policy must allow the call as well ("AWS account
//!   principals"); this evaluator decides the trust side only and says so;
//! - `"*"` and `{"AWS": "*"}` are everyone;
//! - "You cannot use a wildcard to match part of a principal name or ARN":
//!   IAM refuses such a policy, and an ARN with `*` or `?` names no one here;
//! - users, Federated providers and services are other callers.
//!
//! A cross-account caller needs both sides whatever the principal: "the
//! principal's identity-based policy must allow the requested access to the
//! resource in the trusting service"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>).
//!
//! `NotPrincipal` is refused in a role trust policy ("You cannot use the
//! NotPrincipal element in an IAM identity-based policy nor in an IAM role
//! trust policy",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>);
//! where it is read, a role session is left out of a `NotPrincipal` statement
//! only when it names the session's account and its role (or the session),
//! as that page recommends, since IAM "might validate the account first,
//! then the role, and then the assumed-role user".

use super::session::{CallerRole, RoleSession};
use crate::aws::{is_account_id, Arn};
use crate::trust::{PrincipalKind, Statement};

/// How a principal names the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Named {
    /// Not at all.
    No,
    /// A session ARN of the caller's role, the caller's session name unknown.
    SessionUnknown,
    /// Its account: the caller's identity policy must allow as well.
    Account,
    /// Everyone (`*`).
    Everyone,
    /// The caller's role (or its session) exactly.
    Role,
}

/// How one principal entry names the caller.
fn entry(kind: PrincipalKind, value: &str, session: &RoleSession, caller: &CallerRole) -> Named {
    match kind {
        PrincipalKind::Any => Named::Everyone,
        PrincipalKind::Aws if value == "*" => Named::Everyone,
        PrincipalKind::Aws => aws(value, session, caller),
        PrincipalKind::Federated | PrincipalKind::Service | PrincipalKind::Other => Named::No,
    }
}

/// An `AWS` principal value other than `*`.
fn aws(value: &str, session: &RoleSession, caller: &CallerRole) -> Named {
    let v = value.trim();
    if v.contains(['*', '?']) {
        return Named::No;
    }
    if is_account_id(v) {
        return if v == caller.account {
            Named::Account
        } else {
            Named::No
        };
    }
    let Some(a) = Arn::parse(v) else {
        return Named::No;
    };
    if a.partition != caller.partition || a.account != caller.account || !a.region.is_empty() {
        return Named::No;
    }
    match (a.service, a.resource) {
        ("iam", "root") => Named::Account,
        ("iam", _) if v == session.role_arn => Named::Role,
        ("sts", r) => match r
            .strip_prefix("assumed-role/")
            .and_then(|s| s.split_once('/'))
        {
            Some((name, s)) if name == caller.name => match &session.session_name {
                Some(mine) if mine == s => Named::Role,
                Some(_) => Named::No,
                None => Named::SessionUnknown,
            },
            _ => Named::No,
        },
        _ => Named::No,
    }
}

/// How the statement's principal names the caller: the best of its entries;
/// for `NotPrincipal`, [`Named::Everyone`] unless it leaves the caller out.
pub(crate) fn names_session(s: &Statement, session: &RoleSession, caller: &CallerRole) -> Named {
    let each = s
        .principals
        .iter()
        .map(|p| entry(p.kind, &p.value.value, session, caller));
    if !s.not_principal {
        return each.max().unwrap_or(Named::No);
    }
    let named: Vec<Named> = each.collect();
    let account = named.contains(&Named::Account);
    let role = named.contains(&Named::Role);
    if named.contains(&Named::Everyone) || (account && role) {
        Named::No
    } else if account && named.contains(&Named::SessionUnknown) {
        Named::SessionUnknown
    } else {
        Named::Everyone
    }
}
