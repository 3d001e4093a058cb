//! Pod preview fixtures: every folder under `fixtures/inject/` holds a
//! `serviceaccount.yaml`, a `workload.yaml` (or `.json`) and optional
//! `options.json` (the webhook's flags, camelCase); the admitted text after
//! its findings (or the diagnostics) is the snapshot.

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use irsa_core::inject::{inject, InjectOptions};

fn options(dir: &Path) -> InjectOptions {
    match std::fs::read_to_string(dir.join("options.json")) {
        Ok(text) => serde_json::from_str(&text).unwrap(),
        Err(_) => InjectOptions::default(),
    }
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures/inject", "[a-z0-9]*", |dir| {
        if !dir.is_dir() {
            return; // EQUIVALENCE.md
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let sa = std::fs::read_to_string(dir.join("serviceaccount.yaml")).unwrap();
        let workload = ["workload.yaml", "workload.json"]
            .iter()
            .find_map(|f| std::fs::read_to_string(dir.join(f)).ok())
            .unwrap();
        match inject(&sa, &workload, &options(dir)) {
            Ok(injected) => {
                assert!(!name.starts_with("error-"), "{name} was admitted");
                // The text and the document agree.
                let reparsed: serde_json::Value = serde_yaml_ng::from_str(&injected.text).unwrap();
                assert_eq!(reparsed, injected.document);
                // A folder named for a code pins that finding (`irsa213-...`);
                // its near miss (`near-miss-irsa213-...`) must not raise it.
                let codes: Vec<&str> = injected.findings.iter().map(|d| d.code.as_str()).collect();
                if let Some(code) = name.split('-').find(|w| w.starts_with("irsa")) {
                    let raised = codes.contains(&code.to_uppercase().as_str());
                    assert_eq!(raised, !name.starts_with("near-miss-"), "{name}: {codes:?}");
                }
                let findings: String = injected
                    .findings
                    .iter()
                    .map(|d| {
                        format!(
                            "# {} {:?} {}:{}: {}\n",
                            d.code,
                            d.severity,
                            d.line.unwrap_or(0),
                            d.column.unwrap_or(0),
                            d.message
                        )
                    })
                    .collect();
                insta::assert_snapshot!(format!("{findings}{}", injected.text));
            }
            Err(diags) => {
                assert!(name.starts_with("error-"), "{name}: {diags:#?}");
                insta::assert_yaml_snapshot!(diags);
            }
        }
    });
}

#[test]
fn injecting_twice_changes_nothing_more() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inject/deployment");
    let sa = std::fs::read_to_string(dir.join("serviceaccount.yaml")).unwrap();
    let w = std::fs::read_to_string(dir.join("workload.yaml")).unwrap();
    let once = inject(&sa, &w, &InjectOptions::default()).unwrap();
    let twice = inject(&sa, &once.text, &InjectOptions::default()).unwrap();
    assert_eq!(once.document, twice.document);
}

#[test]
fn hostile_workload_is_a_finding_naming_the_limit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inject/pod-basic");
    let sa = std::fs::read_to_string(dir.join("serviceaccount.yaml")).unwrap();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let errs = inject(&sa, &bomb, &InjectOptions::default()).unwrap_err();
    assert_eq!(errs[0].code, "IRSA402");
    assert_eq!(
        errs[0].message,
        "alias expansion (nodes copied by anchors and aliases) exceeds the limit of 100000"
    );
}
