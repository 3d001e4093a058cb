//! Whole-CLI runs of `simulate` with the role's account and the caller's
//! context: arguments, exit code, stdout and stderr, snapshotted. The trusts
//! are in `tests/fixtures/simulate/`.

// A helper of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
use common::run;

macro_rules! simulate {
    ($name:ident, $trust:expr, [$($arg:expr),*]) => {
        #[test]
        fn $name() {
            let trust = concat!("tests/fixtures/simulate/", $trust);
            let args = ["simulate", "--trust", trust, "-n", "production", "--service-account", "s3-writer", $($arg),*];
            insta::assert_snapshot!(run(&args, None));
        }
    };
}

const ROLE: &str = "arn:aws:iam::111122223333:role/S3WriterRole";

// The role's account: a Deny naming another account's provider never applies.
simulate!(
    other_account_deny_does_not_apply,
    "other-account-deny.json",
    ["--role-arn", ROLE]
);
// Near miss: in the role's own account the same trust is the ServiceAccount's.
simulate!(
    role_in_the_trusts_account,
    "source-ip.json",
    ["--role-arn", ROLE, "--context", "aws:SourceIp=10.1.2.3"]
);
// The role in another account: the trust's provider is not that account's.
simulate!(
    role_in_another_account,
    "other-account-deny.json",
    ["--account", "444455556666", "--format", "json"]
);
// Without the role, the assumed account is said.
simulate!(assumed_account, "other-account-deny.json", []);
// A key only the caller knows, not given: Conditional, naming the key.
simulate!(
    conditional_on_source_ip,
    "source-ip.json",
    ["--role-arn", ROLE]
);
simulate!(
    source_ip_outside,
    "source-ip.json",
    ["--role-arn", ROLE, "--context", "aws:SourceIp=192.0.2.1"]
);
// A wildcard principal admits every token.
simulate!(
    wildcard_principal,
    "wildcard-principal.json",
    ["--account", "111122223333"]
);
// IAM's element names are case-sensitive.
simulate!(lower_case_elements, "lower-case-elements.json", []);
// Requests simulate cannot use: exit 2 with IRSA420, never a guess.
simulate!(
    bad_context_key,
    "source-ip.json",
    [
        "--context",
        "aws:SourceAccount=111122223333",
        "--context",
        "aws:PrincipalTag/team=a",
        "--format",
        "json"
    ]
);
simulate!(
    bad_role_arn,
    "source-ip.json",
    ["--role-arn", "arn:aws:iam:111122223333:role/x"]
);
simulate!(
    context_not_a_pair,
    "source-ip.json",
    ["--context", "aws:SourceIp"]
);

#[test]
fn help_explains_the_roles_account() {
    insta::assert_snapshot!(run(&["simulate", "--help"], None));
}

/// `simulate --policy`: the permissions fixtures of `tests/fixtures/simulate/permissions/`.
macro_rules! permissions {
    ($name:ident, [$($arg:expr),*]) => {
        #[test]
        fn $name() {
            let args = ["simulate", $($arg),*];
            insta::assert_snapshot!(run(&args, None));
        }
    };
}

// The classic: bucket/* does not cover the bucket; the nearest statement and its Resource are named.
permissions!(
    policy_narrower_resource,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/resource-wildcards/policy.json",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::my-app-uploads"
    ]
);
// Near miss: an object in the bucket is allowed (exit 0), as JSON.
permissions!(
    policy_allows_json,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/resource-wildcards/policy.json",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::my-app-uploads/a.txt",
        "--format",
        "json"
    ]
);
// Several policies: the explicit Deny of the managed one wins.
permissions!(
    policy_deny_in_another_file,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/deny-over-allow/inline.json",
        "--policy",
        "tests/fixtures/simulate/permissions/deny-over-allow/managed.yaml",
        "--action",
        "s3:DeleteObject",
        "--resource",
        "arn:aws:s3:::my-app-uploads/a.txt"
    ]
);
// The boundary decides.
permissions!(
    policy_boundary,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/boundary/policy.json",
        "--boundary",
        "tests/fixtures/simulate/permissions/boundary/boundary.json",
        "--action",
        "sqs:SendMessage",
        "--resource",
        "arn:aws:sqs:us-west-2:111122223333:jobs"
    ]
);
// Unknown keys: Conditional, naming them; with their values, decided.
permissions!(
    policy_conditional,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/conditions/policy.json",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::my-app-uploads/a.txt"
    ]
);
permissions!(
    policy_variable_given,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/variables/policy.json",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::home-bucket/alice/notes.txt",
        "--context",
        "aws:username=alice"
    ]
);
// A policy IAM refuses, and a request that is not one action: exit 2.
permissions!(
    policy_unreadable,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/unreadable/policy.json",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::my-app-uploads/a.txt"
    ]
);
permissions!(
    policy_wildcard_action,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/not-action/policy.json",
        "--action",
        "s3:*",
        "--resource",
        "*"
    ]
);
// Usage: --policy needs --action and --resource, and is not --trust.
permissions!(
    policy_without_action,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/not-action/policy.json",
        "--resource",
        "*"
    ]
);
permissions!(
    policy_and_trust,
    [
        "--policy",
        "tests/fixtures/simulate/permissions/not-action/policy.json",
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
        "--trust",
        "tests/fixtures/simulate/source-ip.json"
    ]
);
