//! Whole-CLI runs over inputs that used to lose data in silence: symbolic
//! links under a checked folder, and terminal escape sequences in files.

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};

const CLEAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/check/clean-set"
);

/// A fresh folder under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("irsa-gen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    fn arg(&self, rel: &str) -> String {
        self.path(rel).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_clean_set(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in [
        "deployment.yaml",
        "serviceaccount.yaml",
        "trust-policy.json",
    ] {
        std::fs::copy(Path::new(CLEAN).join(f), to.join(f)).unwrap();
    }
}

fn check(args: &[&str]) -> (i32, String, String) {
    let out = common::output(args, None);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn symlinked_files_and_folders_are_followed() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new("links");
    copy_clean_set(&s.path("real"));
    std::fs::create_dir_all(s.path("checked")).unwrap();
    // A linked folder, and a linked file whose target is outside the folder.
    symlink(s.path("real"), s.path("checked/iam")).unwrap();
    std::fs::create_dir_all(s.path("other")).unwrap();
    std::fs::copy(
        s.path("real/trust-policy.json"),
        s.path("other/extra-trust.json"),
    )
    .unwrap();
    symlink(
        s.path("other/extra-trust.json"),
        s.path("checked/trust.json"),
    )
    .unwrap();
    let (code, stdout, stderr) = check(&["check", &s.arg("checked")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("in 4 files: 2 trust policies, 1 ServiceAccount, 1 Deployment"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_reached_twice_is_read_once() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new("twice");
    copy_clean_set(&s.path("set/v2"));
    // `current -> v2` beside v2, and a link beside its target file.
    symlink(s.path("set/v2"), s.path("set/current")).unwrap();
    symlink(
        s.path("set/v2/serviceaccount.yaml"),
        s.path("set/sa-link.yaml"),
    )
    .unwrap();
    let (code, stdout, stderr) = check(&["check", &s.arg("set")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("in 3 files"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_naming_the_path() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new("loop");
    copy_clean_set(&s.path("set/sub"));
    symlink(s.path("set"), s.path("set/sub/back")).unwrap();
    let (code, stdout, stderr) = check(&["check", &s.arg("set")]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} is a symbolic link loop",
            s.arg("set/sub/back")
        )),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_an_error_naming_the_path() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new("dangling");
    copy_clean_set(&s.path("set"));
    symlink(s.path("gone.yaml"), s.path("set/gone.yaml")).unwrap();
    let (code, _, stderr) = check(&["check", &s.arg("set")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("cannot read {}", s.arg("set/gone.yaml"))),
        "{stderr}"
    );
}

/// A ServiceAccount whose name and file name hold raw ESC sequences, and a
/// trust whose `sub` holds a JSON `\u001b` that decodes to ESC.
fn hostile_set(s: &Scratch) -> String {
    let dir = s.path("esc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sa-\u{1b}[2J.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \"s3-\u{1b}]8;;http://x\u{7}writer\u{1b}[31m\"\n  namespace: production\n  annotations:\n    eks.amazonaws.com/role-arn: \"arn:aws:iam::111122223333:role/\u{1b}[1mRole\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("trust.json"),
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7:sub\":\"system:serviceaccount:production:\\u001b[2Jx\",\"oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7:aud\":\"sts.amazonaws.com\"}}}]}\n",
    )
    .unwrap();
    dir.display().to_string()
}

#[test]
fn escape_sequences_never_reach_the_terminal() {
    let s = Scratch::new("esc");
    let dir = hostile_set(&s);
    for format in ["human", "github"] {
        let out = common::output(&["check", "--format", format, &dir], None);
        let (stdout, stderr) = (&out.stdout, &out.stderr);
        assert!(
            !stdout.contains(&0x1b) && !stderr.contains(&0x1b) && !stdout.contains(&0x07),
            "{format}: raw control characters in {}{}",
            String::from_utf8_lossy(stdout),
            String::from_utf8_lossy(stderr)
        );
        let text = String::from_utf8_lossy(stdout);
        // There were findings, and they show the characters escaped.
        assert!(text.contains("\\u{1b}"), "{format}: {text}");
        assert!(out.status.code() == Some(1), "{format}: {text}");
    }
}

#[test]
fn json_and_sarif_keep_the_exact_text_as_json_escapes() {
    let s = Scratch::new("esc-json");
    let dir = hostile_set(&s);
    for format in ["json", "sarif"] {
        let out = common::output(&["check", "--format", format, &dir], None);
        assert!(!out.stdout.contains(&0x1b), "{format}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // serde's escapes decode back to the characters of the file.
        assert!(doc.to_string().contains("\\u001b"), "{format}: {doc}");
    }
}

#[test]
fn a_snippet_with_escapes_keeps_the_file_position_and_the_caret() {
    let s = Scratch::new("caret");
    let file = s.path("sa.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {labels: {a: \"\u{1b}[2J\u{1b}[1m\"}, name: \"Bad_Name\", namespace: production}\n",
    )
    .unwrap();
    let (_, stdout, _) = check(&["check", &s.arg("sa.yaml")]);
    // The header names the file's column (43), not the escaped line's.
    assert!(stdout.contains("sa.yaml:3:43]"), "{stdout}");
    // The caret stands under the value in the escaped line.
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("name: \"Bad_Name\""))
        .unwrap();
    let value = lines[at].find("\"Bad_Name\"").unwrap();
    let caret = lines[at + 1].find('┬').unwrap();
    assert_eq!(
        lines[at].get(..value).unwrap().chars().count(),
        lines[at + 1].get(..caret).unwrap().chars().count(),
        "{stdout}"
    );
}
