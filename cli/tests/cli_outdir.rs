//! `generate --output-dir` cannot lose data (issue 14): each case with its
//! trigger and its near miss, through the built CLI. Symlinked file and
//! folder, a user's file, modes, a FIFO, a full disk (a file size limit makes
//! writes fail as a full disk does), an interrupted run, and the stale files
//! of a layout change.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ONE: &str = "accountId: \"123456789012\"
region: us-west-2
cluster: EXAMPLED539D4633E53DE1B716D3041E
bindings:
  - namespace: production
    serviceAccount: app
";

const TWO: &str = "accountId: \"123456789012\"
region: us-west-2
cluster: EXAMPLED539D4633E53DE1B716D3041E
bindings:
  - namespace: production
    serviceAccount: app
  - namespace: staging
    serviceAccount: app
";

/// A fresh folder for one test, holding `spec.yaml`.
fn scratch(name: &str, spec: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-outdir-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("spec.yaml"), spec).unwrap();
    dir
}

/// `generate -f DIR/spec.yaml --output-dir DIR/out EXTRA...` under `sh -c
/// PREFIX` (for `ulimit`); exit code and stderr. Killed after 20 s, so a run
/// that blocks fails the test instead of hanging it.
fn generate_with(dir: &Path, prefix: &str, extra: &[&str]) -> (i32, String) {
    let bin = env!("CARGO_BIN_EXE_irsa-gen");
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!("{prefix} exec \"$0\" \"$@\""))
        .arg(bin)
        .args(["generate", "-f"])
        .arg(dir.join("spec.yaml"))
        .arg("--output-dir")
        .arg(dir.join("out"))
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("generate --output-dir blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn generate(dir: &Path, extra: &[&str]) -> (i32, String) {
    generate_with(dir, "", extra)
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_symlinked_file_is_refused_and_its_target_untouched() {
    let dir = scratch("symlink-file", ONE);
    fs::create_dir(dir.join("out")).unwrap();
    fs::write(dir.join("victim.txt"), "precious\n").unwrap();
    fs::set_permissions(dir.join("victim.txt"), fs::Permissions::from_mode(0o600)).unwrap();
    symlink("../victim.txt", dir.join("out/main.tf")).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out/main.tf is a symlink"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("victim.txt")).unwrap(),
        "precious\n"
    );
    assert_eq!(mode(&dir.join("victim.txt")), 0o600);
    // --force never follows a symlink either.
    let (code, _) = generate(&dir, &["--force"]);
    assert_eq!(code, 2);
    assert_eq!(
        fs::read_to_string(dir.join("victim.txt")).unwrap(),
        "precious\n"
    );
    // Near miss: the same name as a real file irsa-gen wrote is replaced.
    fs::remove_file(dir.join("out/main.tf")).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(fs::read_to_string(dir.join("out/main.tf"))
        .unwrap()
        .contains("aws_iam_role"));
}

#[test]
fn a_symlinked_folder_is_refused() {
    let dir = scratch("symlink-folder", TWO);
    fs::create_dir_all(dir.join("out")).unwrap();
    fs::create_dir(dir.join("elsewhere")).unwrap();
    symlink("../elsewhere", dir.join("out/production")).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out/production is a symlink"), "{err}");
    assert_eq!(fs::read_dir(dir.join("elsewhere")).unwrap().count(), 0);
    // Near miss: a real folder of that name is written into.
    fs::remove_file(dir.join("out/production")).unwrap();
    fs::create_dir(dir.join("out/production")).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.join("out/production/app/main.tf").is_file());
}

#[test]
fn a_users_file_is_kept_unless_forced() {
    let dir = scratch("user-file", ONE);
    fs::create_dir(dir.join("out")).unwrap();
    fs::write(dir.join("out/main.tf"), "# mine\n").unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("out/main.tf exists and irsa-gen did not write it"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("out/main.tf")).unwrap(),
        "# mine\n"
    );
    // Near miss: asked to, it replaces the file; after that the file is its own.
    let (code, err) = generate(&dir, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(fs::read_to_string(dir.join("out/main.tf"))
        .unwrap()
        .contains("aws_iam_role"));
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    // A file irsa-gen never names is never touched.
    fs::write(dir.join("out/notes.md"), "keep\n").unwrap();
    let (code, _) = generate(&dir, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        fs::read_to_string(dir.join("out/notes.md")).unwrap(),
        "keep\n"
    );
}

#[test]
fn modes_are_kept_and_only_scripts_run() {
    let dir = scratch("modes", ONE);
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    let out = dir.join("out");
    assert_eq!(
        mode(&out.join("main.tf")) & 0o111,
        0,
        "a data file is not executable"
    );
    assert_eq!(mode(&out.join("setup.sh")) & 0o100, 0o100, "a script runs");
    fs::set_permissions(out.join("main.tf"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::set_permissions(out.join("setup.sh"), fs::Permissions::from_mode(0o600)).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&out.join("main.tf")), 0o600, "0600 is never widened");
    assert_eq!(
        mode(&out.join("setup.sh")),
        0o700,
        "a script gets the run bit, nothing more"
    );
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = scratch("fifo", ONE);
    fs::create_dir(dir.join("out")).unwrap();
    let fifo = dir.join("out/cloudformation.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (code, err) = generate(&dir, &["--force"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("out/cloudformation.yaml is a FIFO"), "{err}");
    // Near miss: with the FIFO gone, the run completes.
    fs::remove_file(&fifo).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("did not complete"),
        "the refused run left its marker: {err}"
    );
    assert!(!dir.join("out/.irsa-gen-incomplete").exists());
}

#[test]
fn a_layout_change_removes_only_the_last_runs_files() {
    let dir = scratch("layout", ONE);
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    fs::write(dir.join("out/notes.md"), "keep\n").unwrap();
    assert!(dir.join("out/main.tf").is_file());
    // One binding to two: files move into NAMESPACE/SERVICE_ACCOUNT/.
    fs::write(dir.join("spec.yaml"), TWO).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("removed 9 stale files"), "{err}");
    assert!(!dir.join("out/main.tf").exists());
    assert!(dir.join("out/staging/app/main.tf").is_file());
    assert_eq!(
        fs::read_to_string(dir.join("out/notes.md")).unwrap(),
        "keep\n"
    );
    // Near miss: the same spec again removes nothing.
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("stale"), "{err}");
    // Back to one: the folders it made go, a user's file in one stays with its folder.
    fs::write(dir.join("out/production/app/mine.txt"), "mine\n").unwrap();
    fs::write(dir.join("spec.yaml"), ONE).unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!dir.join("out/staging").exists());
    assert!(dir.join("out/production/app/mine.txt").is_file());
    assert!(dir.join("out/main.tf").is_file());
}

#[test]
fn a_hostile_manifest_cannot_remove_files_outside() {
    let dir = scratch("manifest", ONE);
    fs::create_dir(dir.join("out")).unwrap();
    fs::write(dir.join("victim.txt"), "precious\n").unwrap();
    fs::write(dir.join("out/.irsa-gen-manifest"), "../victim.txt\n").unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a plain relative path"), "{err}");
    assert!(dir.join("victim.txt").is_file());
}

/// A spec granting `buckets` buckets (30 make a permissions policy larger than 4 KiB).
fn buckets_spec(buckets: usize) -> String {
    let mut spec = String::from(ONE);
    spec.push_str("    permissions:\n      s3:\n");
    for i in 0..buckets {
        spec.push_str(&format!(
            "        - bucket: bucket-number-{i}\n          access: read\n"
        ));
    }
    spec
}

#[test]
fn a_full_disk_leaves_the_old_files_and_says_so_next_time() {
    let dir = scratch("full", &buckets_spec(1));
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    let policy = dir.join("out/permissions-policy.json");
    let old = fs::read_to_string(&policy).unwrap();
    fs::write(dir.join("spec.yaml"), buckets_spec(30)).unwrap();
    // Writes past 4 KiB fail with EFBIG, as writes to a full disk fail with ENOSPC.
    let (code, err) = generate_with(&dir, "trap '' XFSZ; ulimit -f 4;", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(
        fs::read_to_string(&policy).unwrap(),
        old,
        "the old file, whole"
    );
    serde_json::from_str::<serde_json::Value>(&old).unwrap();
    assert!(dir.join("out/.irsa-gen-incomplete").is_file());
    let leftovers: Vec<_> = fs::read_dir(dir.join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".irsa-gen-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left");
    // The interrupted run is visible, and the next run completes it.
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the previous run into"), "{err}");
    assert!(err.contains("did not complete"), "{err}");
    assert!(!dir.join("out/.irsa-gen-incomplete").exists());
    let new: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&policy).unwrap()).unwrap();
    assert!(new.to_string().contains("bucket-number-29"));
    // Near miss: a complete run says nothing about the previous one.
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("did not complete"), "{err}");
}

#[test]
fn a_killed_run_is_completed_by_the_next() {
    let dir = scratch("killed", TWO);
    // What a run killed after its first file leaves: the marker naming it, no manifest.
    fs::create_dir_all(dir.join("out/production/app")).unwrap();
    fs::write(dir.join("out/production/app/main.tf"), "").unwrap();
    fs::write(
        dir.join("out/.irsa-gen-incomplete"),
        "# marker\nproduction/app/main.tf\n",
    )
    .unwrap();
    let (code, err) = generate(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("did not complete (1 files noted"), "{err}");
    assert!(fs::read_to_string(dir.join("out/production/app/main.tf"))
        .unwrap()
        .contains("aws_iam_role"));
    let manifest = fs::read_to_string(dir.join("out/.irsa-gen-manifest")).unwrap();
    assert!(manifest.contains("staging/app/setup.sh"), "{manifest}");
}
