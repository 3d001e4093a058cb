//! Inputs the fuzz targets (fuzz/fuzz_targets/) found crashing, each fed to the
//! same functions the same way, named after the bug. The inputs live in
//! tests/fixtures/fuzz/.

// Helpers of a test file are test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

/// The inject fuzz target's own harness: a crash replays exactly.
#[path = "../../fuzz/harness/inject.rs"]
mod inject_harness;

use irsa_core::source::{self, Limits};
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fuzz")
            .join(name),
    )
    .unwrap()
}

/// Bug: a mapping key whose quoted form passes 1024 characters (here a
/// nodeSelector key full of escaped control characters) was written as an
/// implicit key, which YAML readers refuse; `inject` printed unreadable YAML.
#[test]
fn inject_output_with_a_key_over_1024_characters_reads_back() {
    inject_harness::run(&fixture("inject-key-over-1024-characters"));
}

/// The same bug at the writer: keys around the limit, with every kind of
/// value, at the top, nested, and first in a sequence item, read back the
/// same by our reader and by serde_yaml_ng.
#[test]
fn yaml_writer_writes_keys_over_1024_characters_explicitly() {
    for len in [990, 1000, 1021, 1022, 1024, 1030, 5000] {
        for key in ["k".repeat(len), "\u{1}".repeat(len / 6), "é".repeat(len)] {
            for value in [
                json!("v"),
                json!({"a": 1, "b": [1, 2]}),
                json!(["x", {"y": "z"}]),
                json!([]),
                json!({}),
                json!(null),
                json!("multi\nline\n"),
            ] {
                let mut map = serde_json::Map::new();
                map.insert(key.clone(), value.clone());
                map.insert("after".into(), json!("x"));
                let doc = Value::Object(map);
                for whole in [
                    doc.clone(),
                    json!({"outer": doc.clone()}),
                    json!([doc.clone(), doc.clone()]),
                ] {
                    let text = irsa_core::yaml::to_string(&whole);
                    let ours = source::parse_documents(&text, &Limits::default())
                        .unwrap_or_else(|e| panic!("{e}\n{text}"));
                    assert_eq!(ours.len(), 1);
                    assert_eq!(ours[0].root.to_json(), whole, "{text}");
                    let theirs: Value = serde_yaml_ng::from_str(&text)
                        .unwrap_or_else(|e| panic!("serde_yaml_ng: {e}\n{text}"));
                    assert_eq!(theirs, whole, "{text}");
                }
            }
        }
    }
}
