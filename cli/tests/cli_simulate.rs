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
