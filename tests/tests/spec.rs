//! The spec's fixture corpus: every folder under `fixtures/spec/` holds one
//! `spec.yaml`; its validation is the snapshot. The folder name is the
//! contract, as for the checker's corpus: `SPECnnn-...` must produce that
//! code and no other (but for the companions below), `SPECnnn-near-miss-...`
//! must not produce it and must be a valid spec. Every registered code has
//! both, and no folder names a code that is not registered.

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use irsa_core::validate::codes::{spec_code, SPEC_CODES};
use irsa_core::{load_spec, Severity};

/// Codes that cannot come alone: a namespace pattern (SPEC022) is a pattern,
/// which gets no manifests (SPEC024).
const COMPANIONS: &[(&str, &str)] = &[("SPEC022", "SPEC024")];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/spec")
}

fn folders() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures/spec", "SPEC*", |dir| {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let code = name.split('-').next().unwrap();
        let registered =
            spec_code(code).unwrap_or_else(|| panic!("{name}: {code} is not registered"));
        let text = std::fs::read_to_string(dir.join("spec.yaml")).unwrap();
        let validated = load_spec(&text, Some("spec.yaml"));
        let found: BTreeSet<&str> = validated
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        if name.contains("-near-miss-") {
            assert!(
                !found.contains(code),
                "{name}: {code} fired: {:#?}",
                validated.diagnostics
            );
            assert!(
                validated.spec.is_some(),
                "{name}: not a valid spec: {:#?}",
                validated.diagnostics
            );
        } else {
            let mut expected = BTreeSet::from([code]);
            expected.extend(
                COMPANIONS
                    .iter()
                    .filter(|(c, _)| *c == code)
                    .map(|(_, also)| *also),
            );
            assert_eq!(found, expected, "{name}: {:#?}", validated.diagnostics);
        }
        for d in &validated.diagnostics {
            let rule = spec_code(&d.code)
                .unwrap_or_else(|| panic!("{name}: {} is not registered", d.code));
            assert!(
                rank(d.severity) <= rank(rule.severity),
                "{name}: {d:?} above {:?}",
                rule.severity
            );
            if let Some(failure) = &d.failure {
                assert_eq!(Some(failure.as_str()), rule.failure, "{name}: {d:?}");
            }
            // A finding about a field is placed at it; one about the whole
            // file (empty, several documents) carries the file alone.
            assert!(d.file.is_some(), "{name}: no file {d:?}");
            assert!(
                d.path.is_none() || d.line.is_some(),
                "{name}: unlocated {d:?}"
            );
        }
        let _ = registered;
        insta::assert_yaml_snapshot!(validated.diagnostics);
    });
}

/// Every registered code has a trigger and a near miss; every folder names a
/// registered code.
#[test]
fn every_code_has_a_trigger_and_a_near_miss() {
    let names = folders();
    for name in &names {
        let code = name.split('-').next().unwrap();
        assert!(
            spec_code(code).is_some(),
            "{name}: {code} is not registered"
        );
        assert!(
            name.starts_with("SPEC") && name.len() > 8,
            "{name}: not SPECnnn-what"
        );
    }
    for rule in SPEC_CODES {
        let prefix = format!("{}-", rule.code);
        let near = format!("{}-near-miss-", rule.code);
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(&prefix) && !n.starts_with(&near)),
            "{}: no trigger in fixtures/spec",
            rule.code
        );
        assert!(
            names.iter().any(|n| n.starts_with(&near)),
            "{}: no near miss in fixtures/spec",
            rule.code
        );
    }
}

/// The registry and the validation code agree: every code the source of
/// `core/src/validate/` reports is registered, and every registered code is
/// reported somewhere (a code no line can produce is dead).
#[test]
fn registry_matches_the_codes_validation_reports() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src/validate");
    let mut reported = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "codes.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("\"SPEC") {
            reported.insert(text[i + 1..i + 8].to_string());
        }
    }
    let registered: BTreeSet<String> = SPEC_CODES.iter().map(|r| r.code.to_string()).collect();
    assert_eq!(reported, registered);
}
