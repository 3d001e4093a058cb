//! Running the built `irsa-gen` as a user would, for the whole-CLI tests.

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
