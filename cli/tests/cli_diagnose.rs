//! `irsa-gen diagnose` as a user runs it: the message from an argument, a
//! file or standard input, the user's files beside it; exit 0 when the
//! message is recognised, 1 when it is not, 2 when an input cannot be read.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::Output;

const DENIED: &str = "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity";

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/diagnose")
        .join(rel)
}

fn diagnose(args: &[&str], stdin: Option<&str>) -> Output {
    let mut all = vec!["diagnose"];
    all.extend_from_slice(args);
    common::output(&all, stdin)
}

fn code(out: &Output) -> String {
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    answer
        .pointer("/message/code")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_message_from_an_argument_a_file_or_stdin_is_the_same_answer() {
    let file = fixture("diag001-web-identity-denied/messages/boto3.txt");
    let runs = [
        diagnose(&["--format", "json", "-m", DENIED], None),
        diagnose(
            &["--format", "json", "--message-file", file.to_str().unwrap()],
            None,
        ),
        diagnose(&["--format", "json"], Some(DENIED)),
    ];
    for out in &runs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(code(out), "DIAG001");
    }
}

#[test]
fn the_users_files_are_the_evidence() {
    let files = fixture("diag001-web-identity-denied/files");
    let out = diagnose(&["-m", DENIED, files.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("DIAG001"), "{text}");
    assert!(
        text.contains("trust-policy.json"),
        "the evidence names the file: {text}"
    );
}

#[test]
fn text_that_is_no_known_message_exits_1_and_an_unreadable_input_2() {
    let unknown = diagnose(
        &["-m", "connection reset by peer while reading the chart"],
        None,
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stdout).contains("not recognised"));

    let missing = diagnose(&["-m", DENIED, "--token", "/nonexistent/token.jwt"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/token.jwt"));
}

/// `--help` describes the JSON `--format json` prints: the answer's object
/// (as `--list`'s `{"messages": [...]}`), not check's `{"diagnostics": [...]}`.
#[test]
fn help_describes_the_json_it_prints() {
    let help = String::from_utf8(diagnose(&["--help"], None).stdout).unwrap();
    assert!(!help.contains(r#"{"diagnostics""#), "{help}");
    let answer: serde_json::Value =
        serde_json::from_slice(&diagnose(&["--format", "json", "-m", DENIED], None).stdout)
            .unwrap();
    for key in ["message", "fix", "confirm", "evidence"] {
        assert!(answer.get(key).is_some(), "{key}: {answer}");
        assert!(help.contains(&format!("`{key}`")), "{key}: {help}");
    }
    let list: serde_json::Value =
        serde_json::from_slice(&diagnose(&["--list", "--format", "json"], None).stdout).unwrap();
    assert!(list
        .get("messages")
        .is_some_and(serde_json::Value::is_array));
    assert!(help.contains(r#"{"messages": [...]}"#), "{help}");
}
