//! `generate --only KIND` with several bindings writes one file that the
//! format's own tool reads (issue 14 item 3): one bash script that sets up
//! every binding (`bash -n`, and a run with stubbed `aws` and `kubectl`), one
//! `main.tf` (hcl-rs parses it), a JSON array of policies; CloudFormation and
//! the one-binding formats refuse with exit 2 and point to `--output-dir`.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const TWO: &str = "accountId: \"123456789012\"
region: us-west-2
cluster: EXAMPLED539D4633E53DE1B716D3041E
bindings:
  - namespace: production
    serviceAccount: app
    roleName: ProdApp
    permissions:
      s3:
        - bucket: bucket-one
          access: read
  - namespace: staging
    serviceAccount: app
    roleName: StagingApp
";

const ONE: &str = "accountId: \"123456789012\"
region: us-west-2
cluster: EXAMPLED539D4633E53DE1B716D3041E
bindings:
  - namespace: production
    serviceAccount: app
    roleName: ProdApp
";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-only-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `generate -f SPEC --only KIND`: exit code, stdout, stderr.
fn only(dir: &Path, spec: &str, kind: &str) -> (i32, String, String) {
    let file = dir.join("spec.yaml");
    fs::write(&file, spec).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .arg("generate")
        .arg("-f")
        .arg(&file)
        .args(["--only", kind])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn setup_is_one_script_for_every_binding() {
    let dir = scratch("setup");
    let (code, script, err) = only(&dir, TWO, "setup");
    assert_eq!(code, 0, "{err}");
    assert_eq!(script.matches("#!").count(), 1, "{script}");
    fs::write(dir.join("setup.sh"), &script).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(dir.join("setup.sh"))
        .status()
        .unwrap();
    assert!(syntax.success(), "bash -n refuses the script");
    // Stubs that log every call: the roles are missing, everything else works.
    let bin = dir.join("bin");
    fs::create_dir(&bin).unwrap();
    let stubs = [
        (
            "aws",
            "echo \"aws $*\" >> \"$LOG\"\ncase \"$2\" in get-*) exit 1;; esac\n",
        ),
        (
            "kubectl",
            "echo \"kubectl $*\" >> \"$LOG\"\ncat > /dev/null\n",
        ),
    ];
    for (name, body) in stubs {
        fs::write(bin.join(name), format!("#!/bin/sh\n{body}")).unwrap();
        fs::set_permissions(bin.join(name), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let ran = Command::new("bash")
        .arg(dir.join("setup.sh"))
        .env("PATH", path)
        .env("LOG", dir.join("log"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let log = fs::read_to_string(dir.join("log")).unwrap();
    for role in ["ProdApp", "StagingApp"] {
        assert!(
            log.contains(&format!("aws iam create-role --role-name {role}")),
            "{log}"
        );
    }
}

#[test]
fn main_tf_is_one_module_hcl_reads() {
    let dir = scratch("main");
    let (code, tf, err) = only(&dir, TWO, "main");
    assert_eq!(code, 0, "{err}");
    let body: hcl::Body = hcl::from_str(&tf).unwrap();
    let roles = body
        .blocks()
        .filter(|b| {
            b.identifier() == "resource"
                && b.labels()
                    .first()
                    .is_some_and(|l| l.as_str() == "aws_iam_role")
        })
        .count();
    assert_eq!(roles, 2, "{tf}");
}

#[test]
fn json_policies_are_one_array_and_one_binding_its_document() {
    let dir = scratch("json");
    let (code, text, err) = only(&dir, TWO, "trust-policy");
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(2), "{text}");
    // Near miss: a spec of one binding prints the document itself.
    let (code, text, err) = only(&dir, ONE, "trust-policy");
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(value.is_object(), "{text}");
}

#[test]
fn a_format_of_one_binding_points_to_output_dir() {
    let dir = scratch("refuse");
    for kind in ["cloudformation", "cloudformation-json", "helm-values"] {
        let (code, out, err) = only(&dir, TWO, kind);
        assert_eq!(code, 2, "{kind}: {err}");
        assert!(out.is_empty(), "{kind}: nothing half-printed");
        assert!(err.contains("--output-dir"), "{kind}: {err}");
        // Near miss: with one binding the template is printed.
        let (code, _, err) = only(&dir, ONE, kind);
        assert_eq!(code, 0, "{kind}: {err}");
    }
}
