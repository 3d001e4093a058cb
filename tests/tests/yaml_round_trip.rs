//! The YAML writer: whatever the strings, YAML 1.2 (serde_yaml_ng, libyaml)
//! and Kubernetes' YAML 1.1 reading (our source.rs, where `no` and `on` are
//! booleans) both get the same document back.

// Test code: a panic is a failed test, not a crash in front of a user.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use irsa_core::source::{parse_documents, Limits};
use proptest::prelude::*;
use serde_json::{json, Value};

fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "no",
            "on",
            "Y",
            "yes",
            "~",
            "null",
            "1_000",
            "12:30",
            "2012-10-17",
            "0x1F",
            ".inf",
            "-",
            "- a",
            "a: b",
            "a #b",
            "#x",
            "*a",
            "&a",
            "!a",
            "%a",
            "@a",
            "`a",
            "'",
            "\"",
            "\\",
            "=",
            "<<",
            "a:",
            " a",
            "a ",
            "\t",
            "\n",
            "a\n",
            "a\n\n",
            "\na",
            "x\r\ny",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "\u{1}",
            "é",
            "日本",
            "{a}",
            "[a]",
            "a,b",
            "?",
            "? a",
            "|",
            ">",
        ])
        .prop_map(str::to_string),
        any::<String>(),
        "[ -~\n\t]{0,12}",
    ]
}

fn document() -> impl Strategy<Value = Value> {
    (tricky(), tricky(), prop::collection::vec(tricky(), 0..4), tricky()).prop_map(|(k, v, list, nested)| {
        json!({ k.clone(): v, "list": list, "nested": { "inner": [ { "key": nested, "n": 1, "b": true } ] }, "empty": [], "obj": {} })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn both_yaml_versions_read_back_the_same(doc in document()) {
        let text = irsa_core::yaml::to_string(&doc);
        let v12: Value = serde_yaml_ng::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&v12, &doc, "YAML 1.2 reading of\n{}", text);
        let docs = parse_documents(&text, &Limits::default()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(docs.len(), 1);
        prop_assert_eq!(&docs[0].root.to_json(), &doc, "YAML 1.1 reading of\n{}", text);
    }
}
