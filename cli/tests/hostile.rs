//! Hostile files through the CLI (issue 7): `check` and `generate -f` end a
//! billion-laughs YAML, 100,000-deep JSON and a 50 MB file with exit code 2
//! and a message naming the limit and its value. Timings and peak memory are
//! printed by `scripts/bench-hostile`, not asserted.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-cli-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// (file name, text, what the output must say).
fn hostile() -> Vec<(&'static str, String, &'static str)> {
    let mut laughs = String::from("a0: &a0 \"lol\"\n");
    for i in 1..=9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    vec![
        (
            "laughs.yaml",
            laughs,
            "alias expansion (nodes copied by anchors and aliases) exceeds the limit of 100000",
        ),
        (
            "deep-seq.json",
            "[".repeat(100_000),
            "nesting depth exceeds the limit of 128",
        ),
        (
            "deep-map.json",
            "{\"a\":".repeat(100_000),
            "nesting depth exceeds the limit of 128",
        ),
        (
            "big.yaml",
            format!("a: \"{}\"\n", "x".repeat(50 * 1024 * 1024)),
            "larger than the",
        ),
    ]
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // miette wraps long messages at 80 columns behind a `│` gutter: unwrap.
    let words: Vec<&str> = text.split_whitespace().filter(|w| *w != "│").collect();
    (out.status.code().unwrap_or(-1), words.join(" "))
}

#[test]
fn check_and_generate_stop_hostile_files_with_the_limit_named() {
    let dir = scratch();
    for (name, text, says) in hostile() {
        let path = dir.join(name);
        std::fs::write(&path, &text).unwrap();
        let path = path.to_str().unwrap();
        for args in [
            vec!["check", path],
            vec!["check", "--format", "json", path],
            vec!["generate", "-f", path],
        ] {
            let (code, out) = run(&args);
            assert_eq!(code, 2, "{args:?}: {out}");
            assert!(out.contains(says), "{args:?} does not say {says:?}: {out}");
        }
    }
    // The size limit names its value: 5 MiB, and --max-file-size for check.
    let big = dir.join("big.yaml");
    let big = big.to_str().unwrap();
    let (_, out) = run(&["check", big]);
    assert!(
        out.contains("larger than the limit of 5242880 bytes (--max-file-size)"),
        "{out}"
    );
    let (_, out) = run(&["generate", "-f", big]);
    assert!(
        out.contains("larger than the input size limit of 5242880 bytes"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
