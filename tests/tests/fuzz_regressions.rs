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

use irsa_core::inject::{inject, InjectOptions};
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

/// What fuzz_targets/inject.rs does: the first byte picks the options, U+0001
/// splits the ServiceAccount from the workload; the output must read back.
fn inject_like_the_fuzz_target(data: &[u8]) -> Result<(), String> {
    let (&flags, rest) = data.split_first().unwrap();
    let text = std::str::from_utf8(rest).unwrap();
    let (sa, workload) = text.split_once('\u{1}').unwrap_or((text, ""));
    let options = InjectOptions {
        region: (flags & 1 != 0).then(|| "us-west-2".to_string()),
        sts_regional_endpoints: flags & 2 != 0,
        token_expiration: (flags & 4 != 0).then_some(u32::from(flags) * 7),
        audience: (flags & 8 != 0).then(|| "custom.example".to_string()),
        pod_identity: flags & 16 != 0,
        limits: None,
    };
    let Ok(injected) = inject(sa, workload, &options) else {
        return Ok(());
    };
    let docs = source::parse_documents(&injected.text, &Limits::default())
        .map_err(|e| format!("injected output does not parse: {e}\n{}", injected.text))?;
    let back: Vec<_> = docs.iter().map(|d| d.root.to_json()).collect();
    if back != vec![injected.document.clone()] {
        return Err(format!("reads back differently:\n{}", injected.text));
    }
    Ok(())
}

/// Bug: a mapping key whose quoted form passes 1024 characters (here a
/// nodeSelector key full of escaped control characters) was written as an
/// implicit key, which YAML readers refuse; `inject` printed unreadable YAML.
#[test]
fn inject_output_with_a_key_over_1024_characters_reads_back() {
    inject_like_the_fuzz_target(&fixture("inject-key-over-1024-characters")).unwrap();
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
