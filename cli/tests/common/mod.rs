//! Running the built `irsa-gen` as a user would, for the whole-CLI tests
//! (and, in `migrate.rs`, what the migrate tests share).

pub mod migrate;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs irsa-gen from the workspace root (so paths in the output are the
/// repository's) with `stdin` as standard input.
pub fn output(args: &[&str], stdin: Option<&str>) -> Output {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

/// [`output`] rendered as text for a snapshot: arguments, exit code, stdout and stderr.
// Each test crate compiles this module; not every one renders snapshots.
#[allow(dead_code)]
pub fn run(args: &[&str], stdin: Option<&str>) -> String {
    let out = output(args, stdin);
    format!(
        "args: {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `script` under bash after `stubs` (shell functions standing in for
/// `aws` and `kubectl` that append each call to `$LOG`: its words
/// NUL-separated, one record per call ended by `\x1e`), with `env` set and
/// HOME pointing nowhere: the script's success, and the calls in order.
#[allow(dead_code)]
pub fn run_stubbed(stubs: &str, script: &str, env: &[(&str, &str)]) -> (bool, Vec<Vec<String>>) {
    // One folder per run: the tests of one file run in parallel in one process.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("irsa-cli-stubbed-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (file, log) = (dir.join("script.sh"), dir.join("calls"));
    std::fs::write(&file, script).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{stubs}\nbash \"$0\""))
        .arg(&file)
        .env("LOG", &log)
        .envs(env.iter().copied())
        .env("HOME", "/nonexistent-home")
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let calls = text
        .split('\u{1e}')
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.trim_end_matches('\0')
                .split('\0')
                .map(str::to_string)
                .collect()
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    (out.status.success(), calls)
}
