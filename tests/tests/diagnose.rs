//! The diagnose corpus: every folder under `fixtures/diagnose/` is one
//! message code (`diagNNN-...`). Each file of its `messages/` is a sample as
//! one SDK or CLI prints it and must be recognised as that code, with the
//! values of `extracted.json`; `near-miss-*` samples must not be. `files/`
//! and `token.jwt` are the user's inputs: each folder's answer is
//! snapshotted with and without them, and `evidence.txt` names the codes of
//! the findings in `files/` that cause the message, one a line.

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use irsa_core::check::{CheckOptions, SourceFile};
use irsa_core::diagnose::{catalogue, diagnose, Request, MESSAGES};

/// The clock the shell would pass in: 2024-12-02T03:10:00Z.
const NOW: i64 = 1_733_109_000;

fn read_dir(dir: &Path) -> Vec<SourceFile> {
    irsa_tests::folder_files(dir)
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect()
}

#[test]
fn samples() {
    let options = CheckOptions::default();
    insta::glob!("../fixtures/diagnose", "diag*", |dir| {
        let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
        let code = folder.split('-').next().unwrap().to_ascii_uppercase();
        assert!(
            catalogue::message(&code).is_some(),
            "{folder}: no message {code}"
        );
        let expected: serde_json::Value = std::fs::read_to_string(dir.join("extracted.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or_else(|_| serde_json::json!({}));
        let files = read_dir(&dir.join("files"));
        let token = std::fs::read_to_string(dir.join("token.jwt")).ok();
        let samples = read_dir(&dir.join("messages"));
        assert!(
            samples.iter().any(|s| !s.name.starts_with("near-miss")),
            "{folder}: no trigger"
        );
        assert!(
            samples.iter().any(|s| s.name.starts_with("near-miss")),
            "{folder}: no near miss"
        );
        for sample in &samples {
            let bare = Request {
                message: &sample.text,
                files: &[],
                token: None,
                now: None,
                options: &options,
            };
            let answer = diagnose(&bare);
            let got = answer.message.map(|m| m.code);
            if sample.name.starts_with("near-miss") {
                assert_ne!(got, Some(code.as_str()), "{folder}/{}", sample.name);
            } else {
                assert_eq!(got, Some(code.as_str()), "{folder}/{}", sample.name);
                let extracted = serde_json::to_value(&answer.extracted).unwrap();
                for (key, value) in expected.as_object().unwrap() {
                    assert_eq!(&extracted[key], value, "{folder}/{}: {key}", sample.name);
                }
            }
            insta::assert_yaml_snapshot!(format!("{folder}-{}", sample.name), answer);
        }
        let first = samples
            .iter()
            .find(|s| !s.name.starts_with("near-miss"))
            .unwrap();
        if !files.is_empty() || token.is_some() {
            let with = Request {
                message: &first.text,
                files: &files,
                token: token.as_deref(),
                now: Some(NOW),
                options: &options,
            };
            let answer = diagnose(&with);
            // `evidence.txt`: the codes of the findings in the files that
            // cause this message, one a line (absent: files without the cause).
            let want: Vec<String> = std::fs::read_to_string(dir.join("evidence.txt"))
                .map(|t| t.lines().map(str::to_string).collect())
                .unwrap_or_default();
            let got: Vec<String> = answer.evidence.iter().map(|d| d.code.clone()).collect();
            assert_eq!(got, want, "{folder}: the evidence in its files");
            let rules = answer.message.map(|m| m.rules).unwrap_or_default();
            assert!(
                got.iter().all(|c| rules.contains(&c.as_str())),
                "{folder}: evidence outside the message's rules"
            );
            insta::assert_yaml_snapshot!(format!("{folder}-with-files"), answer);
        }
    });
}

#[test]
fn every_message_has_a_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diagnose");
    let folders: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .to_ascii_uppercase()
        })
        .collect();
    for m in MESSAGES {
        assert!(
            folders
                .iter()
                .any(|f| f.starts_with(&format!("{}-", m.code))),
            "{} has no fixture folder",
            m.code
        );
    }
}

#[test]
fn unknown_text_is_not_recognised_and_lists_the_known() {
    let options = CheckOptions::default();
    let answer = diagnose(&Request {
        message: "segmentation fault (core dumped)",
        files: &[],
        token: None,
        now: None,
        options: &options,
    });
    assert!(answer.message.is_none());
    assert_eq!(answer.known.len(), MESSAGES.len());
}
