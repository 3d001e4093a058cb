//! `irsa-gen lab` as a user runs it: test's table and exit code, and serve,
//! token and env together, stopped by SIGTERM. Everything on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_irsa-gen");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn test_passes_the_step_by_step_guide() {
    let (code, out, _) = run(&["lab", "test", "-f", "examples/s3-writer.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok   own token"), "{out}");
    assert!(
        out.contains(
            "admitted as arn:aws:sts::123456789012:assumed-role/S3WriterRole/irsa-gen-lab-test"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("6 probes, 6 answered as AWS would, 0 otherwise\n"),
        "{out}"
    );
}

#[test]
fn test_fails_a_trust_open_to_the_namespace() {
    let (code, out, _) = run(&[
        "lab",
        "test",
        "-f",
        "tests/fixtures/lab/open-namespace.yaml",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL neighbour ServiceAccount"), "{out}");
    assert!(
        out.contains(
            "expected AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
        ),
        "{out}"
    );
    let (code, out, _) = run(&[
        "lab",
        "test",
        "-f",
        "tests/fixtures/lab/open-namespace.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["passed"] == false)
            .count(),
        1
    );
}

#[test]
fn test_of_an_invalid_spec_is_an_input_error() {
    let (code, _, err) = run(&["lab", "test", "-f", "tests/fixtures/lab/missing.yaml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn serve_token_env_and_sigterm() {
    let state = tempfile_dir();
    let mut serve = Command::new(BIN)
        .args([
            "lab",
            "serve",
            "-f",
            "examples/s3-writer.yaml",
            "--port",
            "0",
            "--state",
            &state,
        ])
        .current_dir(ROOT)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("irsa-gen lab listening on ")
        .unwrap()
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    let (code, path, _) = run(&[
        "lab",
        "token",
        "--state",
        &state,
        "-n",
        "production",
        "--service-account",
        "s3-writer",
    ]);
    assert_eq!(code, 0);
    let token = std::fs::read_to_string(path.trim()).unwrap();
    let jwt = irsa_core::jwt::decode(&token).unwrap();
    assert_eq!(
        jwt.claim_str("sub"),
        Some("system:serviceaccount:production:s3-writer")
    );
    assert_eq!(
        jwt.claim_str("iss"),
        Some(
            format!("{base}/oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E")
                .as_str()
        )
    );
    let (code, env, _) = lab_env(&state, "s3-writer");
    assert_eq!(code, 0);
    assert!(
        env.contains("export AWS_ROLE_ARN=arn:aws:iam::123456789012:role/S3WriterRole\n"),
        "{env}"
    );
    assert!(
        env.contains(&format!("export AWS_ENDPOINT_URL_STS={base}\n")),
        "{env}"
    );
    let (code, _, note) = lab_env(&state, "default");
    assert_eq!(code, 0);
    assert!(
        note.contains("production/default is not bound by the setup"),
        "{note}"
    );
    Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(serve.wait().unwrap().code(), Some(0));
    assert!(!std::path::Path::new(&state).join("state.json").exists());
    let _ = std::fs::remove_dir_all(&state);
}

/// `lab env` for a ServiceAccount of namespace production.
fn lab_env(state: &str, service_account: &str) -> (i32, String, String) {
    run(&[
        "lab",
        "env",
        "--state",
        state,
        "-n",
        "production",
        "--service-account",
        service_account,
    ])
}

fn tempfile_dir() -> String {
    let dir = std::env::temp_dir().join(format!("irsa-lab-cli-{}", std::process::id()));
    dir.to_string_lossy().into_owned()
}

#[test]
fn test_reads_the_files_people_have() {
    for dir in ["files-ok", "get-role", "pod-identity-association"] {
        let (code, out, err) = run(&["lab", "test", &format!("tests/fixtures/lab/{dir}")]);
        assert_eq!(code, 0, "{dir}: {out}{err}");
        assert!(
            out.ends_with("6 probes, 6 answered as AWS would, 0 otherwise\n"),
            "{dir}: {out}"
        );
    }
    // The trust names another cluster than the one the pods run in: the pod is refused.
    let issuer = "https://oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E";
    let (code, out, _) = run(&[
        "lab",
        "test",
        "tests/fixtures/lab/files-wrong-issuer",
        "--issuer",
        issuer,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL own token"), "{out}");
    // A bare trust with no ServiceAccount beside it needs --role.
    let (code, _, err) = run(&[
        "lab",
        "test",
        "tests/fixtures/lab/files-ok/trust-policy.json",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--role ARN=tests/fixtures/lab/files-ok/trust-policy.json"),
        "{err}"
    );
    let role =
        "arn:aws:iam::123456789012:role/S3WriterRole=tests/fixtures/lab/files-ok/trust-policy.json";
    let (code, out, err) = run(&[
        "lab",
        "test",
        "tests/fixtures/lab/files-ok/trust-policy.json",
        "tests/fixtures/lab/get-role/serviceaccount.yaml",
        "--role",
        role,
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

/// The README's `irsa-gen lab test out/` after `generate --output-dir out/`:
/// the directory also holds `main.tf`, the scripts and the templates, which
/// are no input of the lab and must not stop it.
#[test]
fn test_reads_what_generate_output_dir_wrote() {
    let out = std::env::temp_dir().join(format!("irsa-lab-cli-outdir-{}", std::process::id()));
    let out = out.to_string_lossy().into_owned();
    let (code, _, err) = run(&[
        "generate",
        "-f",
        "examples/s3-writer.yaml",
        "--output-dir",
        &out,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(std::path::Path::new(&out).join("main.tf").exists());
    let (code, stdout, err) = run(&["lab", "test", &out]);
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(code, 0, "{stdout}{err}");
    assert!(
        stdout.ends_with("6 probes, 6 answered as AWS would, 0 otherwise\n"),
        "{stdout}"
    );
}

/// `lab test --format json` prints the probes as an array, and `--help` says
/// so (not check's `{"diagnostics": [...]}`).
#[test]
fn test_format_help_describes_the_json_it_prints() {
    let (_, help, _) = run(&["lab", "test", "--help"]);
    assert!(!help.contains(r#"{"diagnostics""#), "{help}");
    let (code, out, err) = run(&[
        "lab",
        "test",
        "-f",
        "examples/s3-writer.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let probes: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &probes.as_array().unwrap()[0];
    for key in ["case", "expected", "got", "passed"] {
        assert!(first.get(key).is_some(), "{key}: {first}");
        assert!(help.contains(&format!("`{key}`")), "{key}: {help}");
    }
}
