//! Whole-CLI runs of `simulate --principal-role-arn`: may a session of this
//! role assume the role whose trust it is? Arguments, exit code, stdout and
//! stderr, snapshotted; each trigger with its near miss.

// A helper of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;
use common::run;

macro_rules! session {
    ($name:ident, $trust:expr, [$($arg:expr),*]) => {
        #[test]
        fn $name() {
            let args = ["simulate", "--trust", $trust, $($arg),*];
            insta::assert_snapshot!(run(&args, None));
        }
    };
}

/// The chained migration's target trust going back (the source role's statement, and staging's IRSA).
const CHAIN: &str = "tests/fixtures/migrate/cross-account-back/chained/trust.json";
const VENDOR: &str = "tests/fixtures/simulate/role-session/account-external-id.json";
const SOURCE: &str = "arn:aws:iam::111122223333:role/s3-writer-pod-identity";
const TARGET: &str = "arn:aws:iam::444455556666:role/s3-writer";

// The source role, with EKS's session tags: admitted, the caller's side said.
session!(
    chain_source_role,
    CHAIN,
    [
        "--principal-role-arn",
        SOURCE,
        "--session-tag",
        "kubernetes-namespace=payments",
        "--session-tag",
        "kubernetes-service-account=s3-writer",
        "--role-arn",
        TARGET
    ]
);
// Near miss: another role of the same account.
session!(
    chain_other_role,
    CHAIN,
    [
        "--principal-role-arn",
        "arn:aws:iam::111122223333:role/s3-reader-pod-identity",
        "--role-arn",
        TARGET,
        "--format",
        "json"
    ]
);
// The account as principal: decided by its conditions, Conditional on a key only IAM knows.
session!(
    account_principal_conditional,
    VENDOR,
    [
        "--principal-role-arn",
        "arn:aws:iam::111122223333:role/ci-deploy",
        "--context",
        "sts:ExternalId=a-8f3k2m9q1z"
    ]
);
session!(
    account_principal_allowed,
    VENDOR,
    [
        "--principal-role-arn",
        "arn:aws:iam::111122223333:role/ci-deploy",
        "--context",
        "sts:ExternalId=a-8f3k2m9q1z",
        "--context",
        "aws:PrincipalTag/team=platform",
        "--account",
        "444455556666"
    ]
);
// Near misses: without the external ID, and a role outside `ci-*`.
session!(
    account_principal_without_external_id,
    VENDOR,
    [
        "--principal-role-arn",
        "arn:aws:iam::111122223333:role/ci-deploy",
        "--context",
        "aws:PrincipalTag/team=platform"
    ]
);
session!(
    account_principal_other_role,
    VENDOR,
    [
        "--principal-role-arn",
        "arn:aws:iam::111122223333:role/admin",
        "--context",
        "sts:ExternalId=a-8f3k2m9q1z",
        "--context",
        "aws:PrincipalTag/team=platform"
    ]
);
// Requests simulate cannot use: exit 2, never a guess.
session!(
    bad_principal_role_arn,
    CHAIN,
    [
        "--principal-role-arn",
        "arn:aws:iam::111122223333:user/alice"
    ]
);
session!(
    principal_role_arn_excludes_a_service_account,
    CHAIN,
    ["--principal-role-arn", SOURCE, "-n", "payments"]
);
