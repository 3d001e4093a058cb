//! Whole-CLI runs of check, explain, simulate and inject: arguments, exit code,
//! stdout and stderr, snapshotted. Runs from the workspace root so that paths
//! in the output are the fixture paths.

// A helper of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
use common::run;

macro_rules! cli {
    ($name:ident, [$($arg:expr),*]) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(run(&[$($arg),*], None));
        }
    };
    ($name:ident, [$($arg:expr),*], stdin = $stdin:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(run(&[$($arg),*], Some($stdin)));
        }
    };
}

const CHECK: &str = "tests/fixtures/check";

cli!(check_clean_set, ["check", "tests/fixtures/check/clean-set"]);
cli!(
    check_findings_human,
    [
        "check",
        "tests/fixtures/check/irsa301-wrong-namespace",
        "tests/fixtures/check/irsa203-static-keys/deployment.yaml"
    ]
);
cli!(
    check_findings_json,
    [
        "check",
        "--format",
        "json",
        "tests/fixtures/check/irsa302-audience-override"
    ]
);
cli!(
    check_warnings_only_exit_zero,
    ["check", "tests/fixtures/check/irsa007-all-namespaces"]
);
cli!(
    check_oversized_file,
    [
        "check",
        "--max-file-size",
        "100",
        "tests/fixtures/check/clean-set"
    ]
);
cli!(
    check_deep_nesting,
    ["check", "tests/fixtures/check/irsa402-deep-nesting"]
);
cli!(
    check_alias_bomb,
    [
        "check",
        "--format",
        "json",
        "tests/fixtures/check/irsa402-alias-bomb"
    ]
);
cli!(check_missing_file, ["check", "no/such/file.yaml"]);
cli!(check_no_args, ["check"]);
cli!(
    check_trust_length_flag,
    [
        "check",
        "--max-trust-policy-length",
        "4096",
        "tests/fixtures/check/irsa013-too-long"
    ]
);
cli!(
    check_trust_length_over_8192,
    [
        "check",
        "--max-trust-policy-length",
        "9000",
        "tests/fixtures/check/irsa013-too-long"
    ]
);
cli!(check_stdin, ["check", "-"], stdin = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    eks.amazonaws.com/token-expiration: 86400\n");
cli!(
    check_template_unfilled,
    ["check", "tests/fixtures/check/clean-template-set-linked"]
);
cli!(
    check_template_filled_with_set,
    [
        "check",
        "--set-file",
        "tests/fixtures/set/cluster.env",
        "--set",
        "NAMESPACE=production",
        "tests/fixtures/check/clean-template-set-linked"
    ]
);
cli!(
    check_template_set_name_that_fills_nothing,
    [
        "check",
        "--set-file",
        "tests/fixtures/set/cluster.env",
        "--set",
        "NAMESPACE=production",
        "--set",
        "NAMSPACE=typo",
        "tests/fixtures/check/clean-template-set-linked"
    ]
);
cli!(
    check_set_without_equals,
    ["check", "--set", "ACCOUNT_ID", "-"]
);
cli!(
    check_terraform_nothing_checked,
    ["check", "tests/fixtures/check/irsa407-terraform/main.tf"]
);
cli!(
    check_terraform_trust,
    [
        "check",
        "tests/fixtures/check/irsa004-terraform-jsonencode/main.tf"
    ]
);
cli!(
    check_terraform_directory,
    [
        "check",
        "tests/fixtures/check/irsa301-terraform-service-account"
    ]
);
cli!(
    check_cloudformation_block_trust,
    [
        "check",
        "tests/fixtures/check/irsa004-cloudformation-yaml/template.yaml"
    ]
);
cli!(
    check_helm_template_stdin,
    ["check", "-"],
    stdin = "{{- if .Values.serviceAccount.create }}\napiVersion: v1\nkind: ServiceAccount\n{{- end }}\n"
);
cli!(
    simulate_template_with_set,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/clean-template-set-linked/trust.json.tpl",
        "--set-file",
        "tests/fixtures/set/cluster.env",
        "--set",
        "NAMESPACE=production",
        "-n",
        "production",
        "--service-account",
        "s3-writer"
    ]
);
cli!(
    inject_template_with_set,
    [
        "inject",
        "--service-account",
        "tests/fixtures/check/clean-template-set-linked/serviceaccount.yaml.tpl",
        "tests/fixtures/check/clean-template-set-linked/deployment.yaml.tpl",
        "--set-file",
        "tests/fixtures/set/cluster.env",
        "--set",
        "NAMESPACE=production"
    ]
);
cli!(explain_code, ["explain", "irsa004"]);
cli!(explain_json, ["explain", "IRSA301", "--format", "json"]);
cli!(explain_unknown, ["explain", "IRSA999"]);
cli!(explain_list, ["explain", "--list"]);
cli!(explain_spec_code, ["explain", "spec045"]);
cli!(addons_list, ["addons"]);
cli!(addons_one, ["addons", "karpenter"]);
cli!(addons_json, ["addons", "efs-csi", "--format", "json"]);
cli!(addons_unknown, ["addons", "karpenterr"]);
cli!(
    simulate_allow,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/clean-set/trust-policy.json",
        "-n",
        "production",
        "--service-account",
        "s3-writer"
    ]
);
cli!(
    simulate_deny_namespace,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/clean-set/trust-policy.json",
        "-n",
        "staging",
        "--service-account",
        "s3-writer"
    ]
);
cli!(
    simulate_deny_audience_json,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/clean-set/trust-policy.json",
        "-n",
        "production",
        "--service-account",
        "s3-writer",
        "--audience",
        "sts.amazonaws.com.cn",
        "--format",
        "json"
    ]
);
cli!(
    simulate_two_clusters,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/irsa301-near-miss-second-cluster/trust-policy.json",
        "-n",
        "production",
        "--service-account",
        "s3-writer"
    ]
);
cli!(
    simulate_other_issuer,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/clean-set/trust-policy.json",
        "-n",
        "production",
        "--service-account",
        "s3-writer",
        "--issuer",
        "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
    ]
);
cli!(
    simulate_not_a_policy,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/irsa001-syntax/trust-policy.json",
        "-n",
        "production",
        "--service-account",
        "s3-writer"
    ]
);
cli!(
    simulate_pod_identity,
    [
        "simulate",
        "--trust",
        "tests/fixtures/check/irsa016-near-miss/trust-policy.json",
        "-n",
        "production",
        "--service-account",
        "s3-writer"
    ]
);
cli!(
    inject_deployment,
    [
        "inject",
        "--service-account",
        "tests/fixtures/inject/deployment/serviceaccount.yaml",
        "tests/fixtures/inject/deployment/workload.yaml",
        "--region",
        "eu-west-1",
        "--sts-regional-endpoints"
    ]
);
cli!(
    inject_json_output,
    [
        "inject",
        "--service-account",
        "tests/fixtures/inject/pod-basic/serviceaccount.yaml",
        "tests/fixtures/inject/pod-basic/workload.yaml",
        "-o",
        "json"
    ]
);
cli!(
    inject_pod_identity,
    [
        "inject",
        "--pod-identity",
        "--service-account",
        "tests/fixtures/inject/pod-identity/serviceaccount.yaml",
        "tests/fixtures/inject/pod-identity/workload.yaml"
    ]
);
cli!(
    inject_no_role_arn,
    [
        "inject",
        "--service-account",
        "tests/fixtures/inject/error-no-role-arn/serviceaccount.yaml",
        "tests/fixtures/inject/error-no-role-arn/workload.yaml"
    ]
);

#[test]
fn check_whole_corpus_with_hostile_files_exits_two() {
    let out = run(&["check", "--format", "json", CHECK], None);
    assert!(
        out.contains("\nexit: 2\n"),
        "the corpus holds hostile files: {out}"
    );
}

#[test]
fn help_lists_the_new_subcommands() {
    let out = run(&["--help"], None);
    for cmd in ["check", "explain", "addons", "simulate", "inject"] {
        assert!(out.contains(&format!("  {cmd}")), "{cmd} missing: {out}");
    }
}

/// A minified trust of `n` statements without a `sub` condition: one line,
/// `n` IRSA004 errors and one IRSA013 (the trust is over the size quota).
fn minified_trust(n: usize) -> std::path::PathBuf {
    let statement = r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7:aud":"sts.amazonaws.com"}}}"#;
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        vec![statement; n].join(",")
    );
    let dir = std::env::temp_dir().join(format!("irsa-cli-minified-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trust.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn human_and_github_show_200_findings_per_file_and_count_the_rest() {
    let path = minified_trust(250);
    let file = path.to_str().unwrap();
    let human = common::output(&["check", file], None);
    let human = String::from_utf8_lossy(&human.stdout);
    let reports = human.lines().filter(|l| l.starts_with("IRSA")).count();
    assert_eq!(reports, 200, "{human}");
    assert!(human.contains(&format!(
        "… and 51 more findings in {file}; --format json lists every one"
    )));
    assert!(
        human.contains("251 errors"),
        "the count is of every finding"
    );
    // Each snippet of the 87,000-byte line is a window around its column.
    let snippets: Vec<&str> = human.lines().filter(|l| l.starts_with(" 1 │ ")).collect();
    assert_eq!(snippets.len(), 200);
    assert!(
        snippets.iter().all(|l| l.chars().count() < 100),
        "{snippets:?}"
    );
    assert!(
        human.contains(&format!("╭─[{file}:1:234]")),
        "statement 0's column"
    );
    assert!(human.contains(
        r#" 1 │ …Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us…"#
    ));
    let github = common::output(&["check", "--format", "github", file], None);
    let github = String::from_utf8_lossy(&github.stdout);
    assert_eq!(
        github.lines().filter(|l| l.starts_with("::error")).count(),
        200
    );
    assert!(github.contains("::notice::… and 51 more findings in"));
    // JSON and SARIF keep every one.
    let json = common::output(&["check", "--format", "json", file], None);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 251);
    // The near miss: 200 findings in a file are all shown, nothing counted.
    let path = minified_trust(199);
    let human = common::output(&["check", path.to_str().unwrap()], None);
    let human = String::from_utf8_lossy(&human.stdout);
    assert_eq!(human.lines().filter(|l| l.starts_with("IRSA")).count(), 200);
    assert!(!human.contains("more findings"), "{human}");
    for p in [path.as_path(), std::path::Path::new(file)] {
        let _ = std::fs::remove_dir_all(p.parent().unwrap());
    }
}
