//! Golden files: every example spec times every artefact, byte for byte.

// Test code: a panic is a failed test, not a crash in front of a user.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

fn examples_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples"))
}

#[test]
fn every_example_and_artefact() {
    insta::glob!(examples_dir(), "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let validated = irsa_core::load_spec(&text, Some("spec.yaml"));
        let spec = validated.spec.unwrap_or_else(|| {
            panic!(
                "{} is invalid: {:#?}",
                path.display(),
                validated.diagnostics
            )
        });
        let bundle = irsa_core::generate(&spec).unwrap();
        let mut out = String::new();
        for b in &bundle.bindings {
            // The core artefacts; the other formats have their golden files in formats.rs.
            for a in b.artefacts.iter().filter(|a| a.kind.in_stream()) {
                out.push_str(&format!("=== {}/{}\n{}", b.dir, a.file, a.text));
            }
        }
        insta::assert_snapshot!(out);
    });
}

#[test]
fn example_warnings_are_only_placeholders() {
    // The examples use AWS's own placeholder cluster IDs, which are not hex:
    // that warning (SPEC014) is expected; nothing else may be.
    insta::glob!(examples_dir(), "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let validated = irsa_core::load_spec(&text, None);
        let unexpected: Vec<_> = validated
            .diagnostics
            .iter()
            .filter(|d| d.severity != irsa_core::Severity::Info && d.code != "SPEC014")
            .collect();
        assert!(unexpected.is_empty(), "{}: {unexpected:#?}", path.display());
    });
}

#[test]
fn output_parses_back_to_its_documents() {
    insta::glob!(examples_dir(), "*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let spec = irsa_core::load_spec(&text, None).spec.unwrap();
        for b in irsa_core::generate(&spec).unwrap().bindings {
            for a in b.artefacts {
                let parsed: Vec<serde_json::Value> = match a.kind.format() {
                    irsa_core::Format::Json => vec![serde_json::from_str(&a.text).unwrap()],
                    irsa_core::Format::Yaml => serde_yaml_ng::Deserializer::from_str(&a.text)
                        .map(|d| serde::Deserialize::deserialize(d).unwrap())
                        .collect(),
                    // Scripts and HCL carry no documents (formats.rs parses them back).
                    irsa_core::Format::Shell | irsa_core::Format::Hcl => Vec::new(),
                };
                assert_eq!(parsed, a.documents, "{} {}", path.display(), a.file);
            }
        }
    });
}
