//! `generate --output-dir` into directories that could lose or overwrite
//! something (issue 14): links, the user's own files, modes, write errors,
//! interrupted runs, stale files after a layout change, FIFOs. Each case has
//! its near miss: the same directory without the trap is written.
//!
//! A full disk needs a small file system mounted (root, a loop device): the
//! write error is a file size limit instead (`ulimit -f`), which fails a
//! write the same way, root included.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ONE: &str = "examples/s3-writer.yaml";
/// Three bindings: backend-apps/cache-access, backend-apps/s3-reader, kube-system/cluster-autoscaler.
const THREE: &str = "examples/eksctl-cluster-13.yaml";
const MANIFEST: &str = ".irsa-gen-manifest";
const MARKER: &str = ".irsa-gen-incomplete";

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-cli-outdir-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `generate -f SPEC --output-dir DIR [extra]`: exit code and stderr.
fn generate(spec: &str, dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "generate",
        "-f",
        spec,
        "--output-dir",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = common::output(&args, None);
    finished(&out)
}

fn finished(out: &Output) -> (i32, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The paths the manifest lists.
fn manifest(dir: &Path) -> Vec<String> {
    read(&dir.join(MANIFEST))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn a_complete_run_lists_what_it_wrote_and_leaves_no_marker() {
    let dir = scratch("complete");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let mut written = files(&out);
    written.retain(|f| f != MANIFEST);
    assert_eq!(manifest(&out), written);
    assert!(written.contains(&"setup.sh".to_string()), "{written:?}");
    assert!(!out.join(MARKER).exists());
    // Rerunning replaces its own files without --force.
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_symlinked_file_is_refused_and_its_target_untouched() {
    let dir = scratch("link-file");
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me\n").unwrap();
    let victim_mode = mode(&victim);
    std::os::unix::fs::symlink("../victim.txt", out.join("main.tf")).unwrap();
    // Even with --force: a link is never written through.
    for extra in [&[][..], &["--force"][..]] {
        let (code, err) = generate(ONE, &out, extra);
        assert_eq!(code, 2, "{err}");
        let path = out.join("main.tf");
        assert!(
            err.contains(&format!("{} is a symbolic link", path.display())),
            "{err}"
        );
        assert_eq!(read(&victim), "keep me\n");
        assert_eq!(mode(&victim), victim_mode, "the target's mode is unchanged");
    }
    // The near miss: without the link, the run completes.
    std::fs::remove_file(out.join("main.tf")).unwrap();
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("did not complete"), "the refused runs: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_symlinked_folder_is_refused_and_nothing_lands_behind_it() {
    let dir = scratch("link-folder");
    let out = dir.join("out");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("kube-system")).unwrap();
    let (code, err) = generate(THREE, &out, &["--force"]);
    assert_eq!(code, 2, "{err}");
    let link = out.join("kube-system");
    assert!(
        err.contains(&format!("{} is a symbolic link", link.display())),
        "{err}"
    );
    assert!(files(&elsewhere).is_empty(), "{:?}", files(&elsewhere));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_of_the_user_is_refused_unless_force() {
    let dir = scratch("user-file");
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let mine = out.join("trust-policy.json");
    std::fs::write(&mine, "my own notes\n").unwrap();
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "{} exists and no earlier irsa-gen run wrote it",
            mine.display()
        )) && err.contains("--force"),
        "{err}"
    );
    assert_eq!(read(&mine), "my own notes\n");
    // --force replaces it, and from then on it is irsa-gen's.
    let (code, err) = generate(ONE, &out, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(read(&mine).contains("sts:AssumeRoleWithWebIdentity"));
    assert!(manifest(&out).contains(&"trust-policy.json".to_string()));
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scripts_are_executable_data_is_not_and_a_replaced_file_keeps_its_mode() {
    let dir = scratch("modes");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let (script, data) = (out.join("setup.sh"), out.join("trust-policy.json"));
    assert_eq!(mode(&script) & 0o111, 0o111, "{:o}", mode(&script));
    assert_eq!(mode(&data) & 0o111, 0, "{:o}", mode(&data));
    // The user narrows both; the next run replaces the text, not the modes.
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(&data, "stale\n").unwrap();
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&script), 0o700);
    assert_eq!(mode(&data), 0o600);
    assert!(read(&data).contains("sts:AssumeRoleWithWebIdentity"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_in_the_way_of_a_file_is_an_error_naming_it() {
    let dir = scratch("folder-in-way");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("setup.sh")).unwrap();
    let (code, err) = generate(ONE, &out, &["--force"]);
    assert_eq!(code, 2, "{err}");
    let path = out.join("setup.sh");
    assert!(
        err.contains(&format!(
            "{} is a folder, where irsa-gen writes a file",
            path.display()
        )),
        "{err}"
    );
    // And a file where a binding's folder goes.
    let three = dir.join("three");
    std::fs::create_dir(&three).unwrap();
    std::fs::write(three.join("backend-apps"), "").unwrap();
    let (code, err) = generate(THREE, &three, &["--force"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is a file, where irsa-gen writes a folder"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_write_cut_short_keeps_the_old_file_and_the_last_manifest() {
    let dir = scratch("write-error");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let complete: Vec<(String, String)> = manifest(&out)
        .into_iter()
        .map(|f| {
            let text = read(&out.join(&f));
            (f, text)
        })
        .collect();
    let listed = read(&out.join(MANIFEST));
    for (f, _) in &complete {
        std::fs::write(out.join(f), "old\n").unwrap();
    }
    // Files past 1 KiB fail with EFBIG, as on a full disk (SIGXFSZ
    // ignored, so the write returns the error instead of killing).
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let run = Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_irsa-gen"))
        .args(["generate", "-f", ONE, "--output-dir", out.to_str().unwrap()])
        .current_dir(root)
        .output()
        .unwrap();
    let (code, err) = finished(&run);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("File too large") && err.contains("is unchanged"),
        "{err}"
    );
    // Each file is the old one or the complete new one; at least one is old.
    let mut old = 0;
    for (f, text) in &complete {
        let now = read(&out.join(f));
        assert!(now == "old\n" || now == *text, "{f} is cut: {now:?}");
        old += usize::from(now == "old\n");
    }
    assert!(old > 0);
    assert!(
        !files(&out).iter().any(|f| f.ends_with(".irsa-gen-tmp")),
        "{:?}",
        files(&out)
    );
    assert_eq!(read(&out.join(MANIFEST)), listed, "the last complete run's");
    assert!(out.join(MARKER).exists());
    // The next run says so, and completes.
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!(
        "warning: the previous run into {} did not complete; files listed in the manifest are from the last complete run",
        out.display()
    )), "{err}");
    assert!(!out.join(MARKER).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_interrupted_run_is_reported_and_its_files_are_irsa_gens() {
    let dir = scratch("interrupted");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    // A run killed after writing `old-binding/setup.sh`, which this spec
    // no longer has, and halfway through main.tf.
    std::fs::create_dir(out.join("old-binding")).unwrap();
    std::fs::write(out.join("old-binding/setup.sh"), "#!/bin/bash\n").unwrap();
    std::fs::write(
        out.join(MARKER),
        "# irsa-gen: a run into this directory started and did not finish. The files it wrote:\nold-binding/setup.sh\nmain.tf\n",
    )
    .unwrap();
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "did not complete; files listed in the manifest are from the last complete run"
        ),
        "{err}"
    );
    assert!(!out.join("old-binding").exists(), "{:?}", files(&out));
    assert!(!out.join(MARKER).exists());
    // The near miss: the run after a complete one says nothing.
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("did not complete"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_layout_change_removes_only_the_files_the_last_run_wrote() {
    let dir = scratch("layout");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(out.join("notes.txt"), "mine\n").unwrap();
    // One binding to three: the top-level files go, folders come.
    let (code, err) = generate(THREE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("removed"), "{err}");
    let now = files(&out);
    assert!(!now.contains(&"setup.sh".to_string()), "{now:?}");
    assert!(now.contains(&"notes.txt".to_string()), "{now:?}");
    assert!(now.contains(&"kube-system/cluster-autoscaler/setup.sh".to_string()));
    let mut expected: Vec<String> = now
        .into_iter()
        .filter(|f| f != MANIFEST && f != "notes.txt")
        .collect();
    expected.sort();
    assert_eq!(manifest(&out), expected);
    // And back: the binding folders go too, once empty.
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.join("kube-system").exists(), "{:?}", files(&out));
    assert!(out.join("notes.txt").exists() && out.join("setup.sh").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn only_writes_one_file_and_keeps_the_rest() {
    let dir = scratch("only");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let before = manifest(&out);
    let (code, err) = generate(ONE, &out, &["--only", "trust-policy"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote 1 file to "), "{err}");
    assert_eq!(manifest(&out), before);
    assert!(out.join("setup.sh").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fifo_is_refused_without_opening_it() {
    let dir = scratch("fifo");
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let fifo = out.join("trust-policy.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Opening the FIFO to write would block until a reader comes: a
    // run that does not end within 30 s fails the test instead of hanging it.
    let mut child = Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .args([
            "generate",
            "-f",
            ONE,
            "--output-dir",
            out.to_str().unwrap(),
            "--force",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > 30 {
            child.kill().unwrap();
            panic!("generate hangs on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (code, err) = finished(&child.wait_with_output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{} is a FIFO", fifo.display())),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_manifest_line_outside_the_directory_is_refused() {
    let dir = scratch("manifest-escape");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me\n").unwrap();
    std::fs::write(out.join(MANIFEST), "../victim.txt\n").unwrap();
    let (code, err) = generate(ONE, &out, &["--force"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`../victim.txt` is not a path inside"),
        "{err}"
    );
    assert_eq!(read(&victim), "keep me\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `generate -f SPEC --output-dir DIR` under `umask MASK`: exit code and stderr.
fn generate_with_umask(spec: &str, dir: &Path, mask: &str) -> (i32, String) {
    let run = Command::new("bash")
        .arg("-c")
        .arg(format!("umask {mask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_irsa-gen"))
        .args([
            "generate",
            "-f",
            spec,
            "--output-dir",
            dir.to_str().unwrap(),
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    finished(&run)
}

#[test]
fn new_files_are_created_in_place_with_their_modes_less_the_umask() {
    let dir = scratch("new-modes");
    for (mask, script_mode, data_mode) in [("022", 0o755, 0o644), ("027", 0o750, 0o640)] {
        let out = dir.join(mask);
        let (code, err) = generate_with_umask(THREE, &out, mask);
        assert_eq!(code, 0, "{err}");
        let folder = out.join("kube-system/cluster-autoscaler");
        assert_eq!(mode(&folder.join("setup.sh")), script_mode, "umask {mask}");
        assert_eq!(
            mode(&folder.join("trust-policy.json")),
            data_mode,
            "umask {mask}"
        );
        // Top-level files, in a folder the run did not make, too.
        assert_eq!(mode(&out.join(MANIFEST)), data_mode, "umask {mask}");
        assert!(
            !files(&out).iter().any(|f| f.ends_with(".irsa-gen-tmp")),
            "{:?}",
            files(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_existing_file_is_still_replaced_by_a_rename_keeping_its_mode() {
    let dir = scratch("replace-rename");
    let out = dir.join("out");
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let (data, script) = (out.join("trust-policy.json"), out.join("setup.sh"));
    let text = read(&data);
    // A second name for each file: a file written in place would change
    // under it too; one renamed into place leaves it the old text.
    std::fs::write(&data, "old\n").unwrap();
    std::fs::hard_link(&data, dir.join("data-before")).unwrap();
    std::fs::hard_link(&script, dir.join("script-before")).unwrap();
    let script_text = read(&script);
    std::fs::write(&script, "old script\n").unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o604)).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A umask that would take bits the files have: the modes stay.
    let (code, err) = generate_with_umask(ONE, &out, "077");
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&data), text);
    assert_eq!(read(&script), script_text);
    assert_eq!(read(&dir.join("data-before")), "old\n");
    assert_eq!(read(&dir.join("script-before")), "old script\n");
    assert_eq!(mode(&data), 0o604);
    assert_eq!(mode(&script), 0o755);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_new_file_cut_short_is_removed_and_the_marker_names_the_run() {
    let dir = scratch("new-write-error");
    let out = dir.join("out");
    // Files past 1 KiB fail with EFBIG, as on a full disk.
    let run = Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_irsa-gen"))
        .args(["generate", "-f", ONE, "--output-dir", out.to_str().unwrap()])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    let (code, err) = finished(&run);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("File too large") && err.contains("the part written is removed"),
        "{err}"
    );
    // No file is cut: each one there is complete (the next run makes the
    // same text) or was never made.
    let left = files(&out);
    assert!(left.contains(&MARKER.to_string()), "{left:?}");
    assert!(!left.contains(&MANIFEST.to_string()), "{left:?}");
    let clean = dir.join("clean");
    let (code, err) = generate(ONE, &clean, &[]);
    assert_eq!(code, 0, "{err}");
    for f in left.iter().filter(|f| *f != MARKER) {
        assert_eq!(read(&out.join(f)), read(&clean.join(f)), "{f} is cut");
    }
    // The next run says no run completed, and completes without --force.
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("did not complete; no run into it has completed"),
        "{err}"
    );
    assert_eq!(files(&out), files(&clean));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_new_file_a_killed_run_was_writing_is_replaced_by_the_next_run() {
    // A first run into an empty directory killed while writing main.tf:
    // the marker names it, and no manifest lists anything.
    let dir = scratch("killed-new");
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("main.tf"), "resource \"aws_iam_role\" \"s3_wr").unwrap();
    std::fs::write(
        out.join(MARKER),
        "# irsa-gen: a run into this directory started and did not finish. The files it wrote:\nmain.tf\nsetup.sh\n",
    )
    .unwrap();
    let (code, err) = generate(ONE, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("did not complete; no run into it has completed"),
        "{err}"
    );
    let clean = dir.join("clean");
    let (code, err) = generate(ONE, &clean, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&out.join("main.tf")), read(&clean.join("main.tf")));
    assert!(!out.join(MARKER).exists());
    // The near miss: a cut file the marker does not name is the user's.
    let other = dir.join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("main.tf"), "resource").unwrap();
    std::fs::write(other.join(MARKER), "# irsa-gen: a run ...\nsetup.sh\n").unwrap();
    let (code, err) = generate(ONE, &other, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("main.tf exists and no earlier irsa-gen run wrote it"),
        "{err}"
    );
    assert_eq!(read(&other.join("main.tf")), "resource");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_run_killed_midway_leaves_only_complete_or_listed_files() {
    let dir = scratch("killed");
    let out = dir.join("out");
    // Enough bindings that the run is still writing when it is killed.
    let mut spec = String::from(
        "accountId: \"111122223333\"\nregion: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF\nclusterName: kill\nbindings:\n",
    );
    for i in 0..400 {
        spec.push_str(&format!(
            "  - namespace: team-{}\n    serviceAccount: app-{i}\n    permissions:\n      s3: [{{bucket: bucket-{i}, access: read-write}}]\n",
            i % 10
        ));
    }
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec).unwrap();
    let spec_arg = spec_path.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .args([
            "generate",
            "-f",
            spec_arg,
            "--output-dir",
            out.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the marker names some files (or the run ends first).
    let marker = out.join(MARKER);
    loop {
        let listed = std::fs::read_to_string(&marker).map_or(0, |t| t.lines().count());
        if listed > 200 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let _ = child.kill();
    child.wait().unwrap();
    let clean = dir.join("clean");
    let (code, err) = generate(spec_arg, &clean, &[]);
    assert_eq!(code, 0, "{err}");
    if out.join(MARKER).exists() {
        // Every file there is complete or named by the marker.
        let listed = read(&out.join(MARKER));
        for f in files(&out).iter().filter(|f| *f != MARKER) {
            assert!(
                read(&out.join(f)) == read(&clean.join(f)) || listed.lines().any(|l| l == f),
                "{f} is cut and not in the marker"
            );
        }
    }
    // The next run completes without --force and writes what a clean one does.
    let (code, err) = generate(spec_arg, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files(&out), files(&clean));
    for f in files(&clean) {
        assert_eq!(read(&out.join(&f)), read(&clean.join(&f)), "{f}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
