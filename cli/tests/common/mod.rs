//! Running the built `irsa-gen` as a user would, for the whole-CLI tests.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs irsa-gen from the workspace root (so paths in the output are the
/// repository's) with `stdin` as standard input, and renders the run as text
/// for a snapshot: arguments, exit code, stdout and stderr.
pub fn run(args: &[&str], stdin: Option<&str>) -> String {
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
    let out = child.wait_with_output().unwrap();
    format!(
        "args: {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
