//! Whole CLI runs, snapshotted: arguments, exit code, stdout and stderr.

// Test code: a panic is a failed test, not a crash in front of a user.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

mod common;
use common::run;

const GOOD: &[&str] = &[
    "generate",
    "--account",
    "123456789012",
    "--region",
    "ap-south-1",
    "--cluster-id",
    "EXAMPLED539D4633E53DE1B716D3041E",
    "--namespace",
    "production",
    "--service-account",
    "s3-writer",
];

/// GOOD with one flag's value replaced (or a flag added).
fn with(flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = GOOD.iter().map(|s| s.to_string()).collect();
    match args.iter().position(|a| a == flag) {
        Some(i) => args[i + 1] = value.to_string(),
        None => args.extend([flag.to_string(), value.to_string()]),
    }
    args
}

macro_rules! cli_snapshot {
    ($name:ident, $args:expr) => {
        cli_snapshot!($name, $args, None);
    };
    ($name:ident, $args:expr, $stdin:expr) => {
        #[test]
        fn $name() {
            let args: Vec<String> = $args.iter().map(|s| s.to_string()).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            insta::assert_snapshot!(run(&refs, $stdin));
        }
    };
}

cli_snapshot!(help, ["--help"]);
cli_snapshot!(generate_help, ["generate", "--help"]);
cli_snapshot!(init, ["init"]);
cli_snapshot!(generate_from_flags, GOOD);
cli_snapshot!(
    generate_s3_writer_example,
    ["generate", "-f", "examples/s3-writer.yaml"]
);
cli_snapshot!(
    generate_only_trust_policy,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--only",
        "trust-policy"
    ]
);
cli_snapshot!(
    generate_only_serviceaccount_json,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--only",
        "serviceaccount",
        "-o",
        "json"
    ]
);
cli_snapshot!(
    generate_json_stream,
    [
        "generate",
        "-f",
        "examples/kuberocketci-test-pod.yaml",
        "-o",
        "json"
    ]
);
cli_snapshot!(
    generate_several_bindings_only,
    [
        "generate",
        "-f",
        "examples/eksctl-cluster-13.yaml",
        "--only",
        "serviceaccount"
    ]
);
cli_snapshot!(
    generate_only_setup_script,
    [
        "generate",
        "-f",
        "examples/pod-identity.yaml",
        "--only",
        "setup"
    ]
);
cli_snapshot!(
    generate_only_terraform_by_file_name,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--only",
        "main.tf"
    ]
);
cli_snapshot!(
    generate_only_cloudformation_as_json,
    [
        "generate",
        "-f",
        "examples/kuberocketci-test-pod.yaml",
        "--only",
        "cloudformation",
        "-o",
        "json"
    ]
);
cli_snapshot!(
    generate_only_format_that_does_not_apply,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--only",
        "pod-identity"
    ]
);
cli_snapshot!(
    generate_addon_from_flags,
    [
        "generate",
        "--account",
        "111122223333",
        "--region",
        "us-east-1",
        "--cluster-id",
        "0123456789ABCDEF0123456789ABCDEF",
        "--namespace",
        "kube-system",
        "--service-account",
        "external-dns",
        "--addon",
        "external-dns",
        "--description",
        "it's $(not run)",
        "--only",
        "setup"
    ]
);
cli_snapshot!(
    generate_spec_from_stdin,
    ["generate", "-f", "-", "--only", "serviceaccount"],
    Some("accountId: 111122223333\nregion: us-gov-west-1\ncluster: 0123456789ABCDEF0123456789ABCDEF\nbindings:\n  - {namespace: ops, serviceAccount: deployer}\n")
);
cli_snapshot!(
    flags_override_spec_file,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--account",
        "999988887777",
        "--only",
        "serviceaccount"
    ]
);
cli_snapshot!(
    pod_identity_flag,
    with("--pod-identity", "")
        .iter()
        .filter(|a| !a.is_empty())
        .chain(&[
            "--cluster-name".to_string(),
            "prod".to_string(),
            "--only".to_string(),
            "trust-policy".to_string()
        ])
        .collect::<Vec<_>>()
);

// The bad-input table: each is refused with exit 2, a named field and a fix.
cli_snapshot!(bad_account_too_short, with("--account", "12345"));
cli_snapshot!(bad_account_too_long, with("--account", "1234567890123"));
cli_snapshot!(bad_account_letter, with("--account", "12345678901a"));
cli_snapshot!(bad_namespace_upper_case, with("--namespace", "Prod"));
cli_snapshot!(
    bad_namespace_64_characters,
    with("--namespace", &"a".repeat(64))
);
cli_snapshot!(
    bad_service_account_underscore,
    with("--service-account", "s3_writer")
);
cli_snapshot!(
    bad_role_name_65_characters,
    with("--role-name", &"R".repeat(65))
);
cli_snapshot!(bad_role_name_space, with("--role-name", "S3 Writer"));
cli_snapshot!(
    bad_issuer_url,
    GOOD.iter()
        .take(5)
        .chain(&[
            "--issuer",
            "https://oidc.eks.ap-south-1.amazonaws.com:443/id/X",
            "--namespace",
            "production",
            "--service-account",
            "s3-writer"
        ])
        .collect::<Vec<_>>()
);
cli_snapshot!(bad_bucket_upper_case, with("--s3-write", "My-Bucket"));
cli_snapshot!(
    bad_china_audience,
    with("--audience", "sts.amazonaws.com.cn")
);
cli_snapshot!(bad_empty_spec, ["generate", "-f", "-"], Some(""));
cli_snapshot!(bad_empty_flags, ["generate"]);
cli_snapshot!(
    bad_spec_file_every_problem_at_once,
    ["generate", "-f", "-"],
    Some("accountId: 12345\nregion: ap-south-1\ncluster: https://oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E\nbindings:\n  - namespace: Prod\n    serviceAcount: s3-writer\n    permissions:\n      s3:\n        - bucket: My_Bucket\n")
);
cli_snapshot!(
    bad_spec_wrong_type,
    ["generate", "-f", "-"],
    Some("accountId: \"123456789012\"\nregion: ap-south-1\ncluster: EXAMPLED539D4633E53DE1B716D3041E\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    permissions:\n      s3:\n        - bucket: my-bucket\n          access: everything\n")
);
cli_snapshot!(
    bad_spec_json_format,
    ["generate", "-f", "-", "--format", "json"],
    Some("{\"accountId\": \"12345\", \"region\": \"us-east-1\", \"cluster\": \"EXAMPLED539D4633E53DE1B716D3041E\", \"bindings\": [{\"namespace\": \"default\", \"serviceAccount\": \"app\"}]}")
);
cli_snapshot!(
    bad_spec_syntax,
    ["generate", "-f", "-"],
    Some("accountId: [123\nregion: x\n")
);
cli_snapshot!(bad_missing_file, ["generate", "-f", "does-not-exist.yaml"]);
cli_snapshot!(
    bad_file_with_binding_flags,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--namespace",
        "x"
    ]
);
cli_snapshot!(
    bad_only_name,
    [
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--only",
        "policy"
    ]
);
cli_snapshot!(
    bad_cluster_id_and_issuer,
    with(
        "--issuer",
        "https://oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"
    )
);

#[test]
fn output_dir_writes_one_file_per_artefact() {
    let dir = std::env::temp_dir().join(format!("irsa-gen-cli-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run1 = run(
        &[
            "generate",
            "-f",
            "examples/eksctl-cluster-13.yaml",
            "--output-dir",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(run1.contains("exit: 0"), "{run1}");
    let mut files: Vec<String> = walk(&dir)
        .into_iter()
        .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    files.sort();
    insta::assert_snapshot!(files.join("\n"));
    let single = dir.join("single");
    let run2 = run(
        &[
            "generate",
            "-f",
            "examples/s3-writer.yaml",
            "--output-dir",
            single.to_str().unwrap(),
        ],
        None,
    );
    assert!(run2.contains("exit: 0"), "{run2}");
    let trust = std::fs::read_to_string(single.join("trust-policy.json")).unwrap();
    let only = run(
        &[
            "generate",
            "-f",
            "examples/s3-writer.yaml",
            "--only",
            "trust-policy",
        ],
        None,
    );
    assert!(only.contains(&trust), "the file and --only agree");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_spec_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("irsa-gen-cli-invalid-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = run(
        &[
            "generate",
            "--account",
            "1",
            "--region",
            "us-east-1",
            "--cluster-id",
            "X",
            "--namespace",
            "a",
            "--service-account",
            "b",
            "--output-dir",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.contains("exit: 2"), "{out}");
    assert!(!dir.exists(), "nothing may be written for an invalid spec");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell], None);
        assert!(
            out.starts_with(&format!("args: completions {shell}\nexit: 0\n")),
            "{out}"
        );
        for word in ["generate", "init", "service-account"] {
            assert!(out.contains(word), "{shell} completions lack {word}");
        }
    }
    // The bash script is valid bash.
    let script = run(&["completions", "bash"], None);
    let body = script
        .split("--- stdout\n")
        .nth(1)
        .unwrap()
        .split("--- stderr\n")
        .next()
        .unwrap();
    let status = Command::new("bash")
        .args(["-n", "-c", body])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn man_pages() {
    let main = run(&["man"], None);
    assert!(
        main.contains("exit: 0") && main.contains(".TH irsa-gen 1"),
        "{main}"
    );
    let sub = run(&["man", "--subcommand", "generate"], None);
    assert!(
        sub.contains(".TH irsa-gen-generate 1") && sub.contains("service\\-account"),
        "{sub}"
    );
    insta::assert_snapshot!(run(&["man", "--subcommand", "nope"], None));
}

#[test]
fn permissions_policy_over_the_managed_policy_limit() {
    let buckets: Vec<String> = (0..80).map(|i| format!("bucket-number-{i:03}")).collect();
    let mut args: Vec<&str> = GOOD.to_vec();
    for b in &buckets {
        args.extend(["--s3-read-write", b.as_str()]);
    }
    let out = run(&args, None);
    assert!(
        out.contains("exit: 2") && out.contains("SPEC065") && out.contains("at most 6144"),
        "{out}"
    );
}

/// The commands an example line of `--help` may start with.
const EXAMPLE_COMMANDS: &[&str] = &[
    "irsa-gen", "aws", "kubectl", "cat", "helm", "bash", "eval", "cargo",
];

/// Every example of every `--help` reads as written: clap wraps lines past
/// 100 columns, and a wrapped example (`... --assume-role-policy-document` /
/// `file://trust-policy.json`) is no longer a command one can copy, nor a
/// wrapped comment a comment. In each `Examples:` section a line is blank, a
/// `#` comment, the continuation of a line ended with `\`, or a command.
#[test]
fn help_examples_are_not_wrapped() {
    let subcommands = [
        "generate",
        "init",
        "check",
        "explain",
        "diagnose",
        "addons",
        "simulate",
        "inject",
        "lab",
        "lab serve",
        "lab token",
        "lab env",
        "lab test",
        "schema",
        "completions",
        "man",
        "migrate",
    ];
    let mut wrapped = Vec::new();
    for sub in std::iter::once("").chain(subcommands) {
        let mut args: Vec<&str> = sub.split_whitespace().collect();
        args.push("--help");
        let out = common::output(&args, None);
        let help = String::from_utf8_lossy(&out.stdout);
        let mut in_examples = false;
        let mut continued = false;
        for line in help.lines() {
            if line == "Examples:" {
                in_examples = true;
                continue;
            }
            if !line.is_empty() && !line.starts_with(' ') {
                in_examples = false;
            }
            if !in_examples || line.is_empty() {
                continue;
            }
            let text = line.trim_start();
            let command = EXAMPLE_COMMANDS
                .iter()
                .any(|c| text.split_whitespace().next() == Some(c));
            if !(text.starts_with('#') || continued || command) {
                wrapped.push(format!("irsa-gen {sub} --help: `{line}`"));
            }
            continued = line.ends_with('\\');
        }
    }
    assert!(
        wrapped.is_empty(),
        "wrapped example lines:\n{}",
        wrapped.join("\n")
    );
}

/// A one-letter bucket is "1 character long", not "1 characters".
#[test]
fn a_one_letter_bucket_is_one_character() {
    let args = with("--s3-write", "b");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::output(&refs, None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bucket `b` is 1 character long;"), "{err}");
}

/// `irsa-gen explain --list --format json | head -1`: the reader goes away
/// before the 85 KB are written (more than a pipe holds, so the write fails
/// whatever the timing). The run ends as a Unix tool's does on SIGPIPE
/// (141), with no panic message or backtrace.
#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .args(["explain", "--list", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(141), "{err}");
}

/// `--format json` of simulate, explain and addons prints each its own
/// object, and `--help` says which: not check's `{"diagnostics": [...]}`.
#[test]
fn format_help_describes_the_json_each_command_prints() {
    let trust = "tests/fixtures/simulate/source-ip.json";
    let runs: [(&[&str], &[&str]); 3] = [
        (
            &[
                "simulate",
                "--trust",
                trust,
                "-n",
                "production",
                "--service-account",
                "s3-writer",
            ],
            &["decision", "role", "results"],
        ),
        (
            &["explain", "IRSA301"],
            &["code", "title", "explanation", "fix"],
        ),
        (&["addons"], &["addons"]),
    ];
    for (args, keys) in runs {
        let help = common::output(&[args[0], "--help"], None);
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        assert!(!help.contains(r#"{"diagnostics""#), "{}: {help}", args[0]);
        let mut json = args.to_vec();
        json.extend(["--format", "json"]);
        let out = common::output(&json, None);
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in keys {
            assert!(value.get(key).is_some(), "{}: {key} in {value}", args[0]);
            assert!(
                help.contains(&format!("`{key}`")) || help.contains(&format!("\"{key}\"")),
                "{}: {key} in {help}",
                args[0]
            );
        }
    }
}
