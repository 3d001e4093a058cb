//! The spec loader, pinned: random spec-like texts (known fields, misspelt
//! ones, wrong types, YAML 1.1 scalars, structs written as lists) give the
//! same lenient [`Spec`] and the same diagnostics, message, path, line and
//! column, as the loader before it read `source::Node` directly (which went
//! through JSON, `serde_ignored` and `serde_path_to_error`). That loader's
//! answers are the corpus `fixtures/spec-loader/corpus.json`, written once by
//! `write_corpus` below from the same deterministic generator. One answer is
//! new: a key written twice is SPEC005 now (it was last-wins in silence).

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use irsa_core::validate::load_spec_with;
use irsa_core::{Diagnostic, Spec};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde::{Deserialize, Serialize};

/// How many texts the corpus holds.
const CASES: usize = 400;

/// One text and what the loader made of it.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Case {
    text: String,
    /// The lenient spec as JSON, when it deserialised.
    spec: Option<serde_json::Value>,
    /// Whether it validated.
    valid: bool,
    diagnostics: Vec<Diagnostic>,
}

fn load(text: &str) -> Case {
    let mut spec = None;
    let validated = load_spec_with(text, Some("spec.yaml"), |s: &mut Spec| {
        spec = Some(serde_json::to_value(&*s).unwrap());
    });
    Case {
        text: text.to_string(),
        spec,
        valid: validated.spec.is_some(),
        diagnostics: validated.diagnostics,
    }
}

/// A generated node, rendered in YAML flow style, one entry a line.
#[derive(Debug, Clone)]
enum Gen {
    /// Written as is: `yes`, `~`, `012`, `1.10`, `"quoted"`, `-5`...
    Scalar(&'static str),
    Seq(Vec<Gen>),
    Map(Vec<(&'static str, Gen)>),
}

impl Gen {
    fn render(&self, indent: usize, out: &mut String) {
        match self {
            Gen::Scalar(s) => out.push_str(s),
            Gen::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render(indent, out);
                }
                out.push(']');
            }
            Gen::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    out.push_str(if i > 0 { ",\n" } else { "\n" });
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(k);
                    out.push_str(": ");
                    v.render(indent + 2, out);
                }
                out.push_str(&format!("\n{}}}", " ".repeat(indent)));
            }
        }
    }
}

const SCALARS: &[&str] = &[
    "~",
    "null",
    "yes",
    "off",
    "true",
    "012",
    "111122223333",
    "\"111122223333\"",
    "-5",
    "1.10",
    "1e3",
    "18446744073709551615",
    "-9223372036854775808",
    "prod",
    "\"prod\"",
    "us-west-2",
    "read-write",
    "irsa",
    "pod-identity",
    "send",
    "external-dns",
    "karpenter",
    "\"v0.37.5\"",
    "''",
    "\"a b\"",
    "https://oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
];

/// Keys, spelt right and wrong, of every level of the spec. Frozen with the
/// corpus (its texts come from this list), so not read from the loader's own
/// field list: a new field there must not change the pinned texts.
const KEYS: &[&str] = &[
    "accountId",
    "acountId",
    "region",
    "cluster",
    "clusterName",
    "additionalClusters",
    "identityType",
    "audience",
    "tokenExpiration",
    "stsRegionalEndpoints",
    "maxTrustPolicyLength",
    "bindings",
    "namespace",
    "serviceAccount",
    "serviceAcount",
    "roleName",
    "roleNmae",
    "rolePath",
    "permissionsBoundary",
    "description",
    "tags",
    "permissions",
    "workload",
    "managedPolicyArns",
    "s3",
    "secretsManager",
    "dynamodb",
    "sqs",
    "addons",
    "statements",
    "name",
    "version",
    "hostedZoneArns",
    "bucket",
    "prefix",
    "access",
    "secret",
    "table",
    "queue",
    "image",
    "container",
    "replicas",
    "Effect",
    "\"x.y\"",
    "\"a[0]\"",
    "zzzzzzzz",
    "1",
    "\"1\"",
    "true",
    "~",
];

fn scalar() -> impl Strategy<Value = Gen> {
    prop::sample::select(SCALARS).prop_map(Gen::Scalar)
}

/// A node of any shape, keys drawn from [`KEYS`], each key once per mapping.
fn node() -> impl Strategy<Value = Gen> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Gen::Seq),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6)
                .prop_map(|entries| Gen::Map(unique(entries))),
        ]
    })
}

fn unique(entries: Vec<(&'static str, Gen)>) -> Vec<(&'static str, Gen)> {
    let mut seen = std::collections::HashSet::new();
    entries
        .into_iter()
        .filter(|(k, _)| seen.insert(*k))
        .collect()
}

/// A spec-shaped text: top-level fields (bindings usually a list of
/// binding-shaped mappings), every value possibly of the wrong shape.
fn spec_text() -> impl Strategy<Value = String> {
    let binding = prop::collection::vec((prop::sample::select(KEYS), node()), 0..7)
        .prop_map(|e| Gen::Map(unique(e)));
    let bindings = prop_oneof![
        4 => prop::collection::vec(binding, 0..3).prop_map(Gen::Seq),
        1 => node(),
    ];
    let top = prop::collection::vec((prop::sample::select(KEYS), node()), 0..6);
    (top, bindings).prop_map(|(mut top, bindings)| {
        top.insert(0, ("bindings", bindings));
        let mut out = String::new();
        Gen::Map(unique(top)).render(0, &mut out);
        out.push('\n');
        out
    })
}

fn corpus_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/spec-loader/corpus.json")
}

fn texts() -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    let strategy = spec_text();
    (0..CASES)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// Writes the corpus from the loader of the day: run once, on the loader
/// being replaced (`cargo test -p irsa-tests --test spec_loader -- --ignored`).
#[test]
#[ignore = "writes the corpus"]
fn write_corpus() {
    let cases: Vec<Case> = texts().iter().map(|t| load(t)).collect();
    let path = corpus_file();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // One case a line: a change of the loader shows as the lines it changes.
    let lines: Vec<String> = cases
        .iter()
        .map(|c| serde_json::to_string(c).unwrap())
        .collect();
    std::fs::write(&path, format!("[\n{}\n]\n", lines.join(",\n"))).unwrap();
}

#[test]
fn the_loader_answers_as_the_corpus_pins() {
    let text = std::fs::read_to_string(corpus_file()).unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), CASES);
    // The generator still makes the corpus's texts (else regenerate it from
    // the loader it pins, not from this one).
    assert_eq!(
        cases.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
        texts()
    );
    let (mut failures, mut duplicates) = (0, 0);
    for case in &cases {
        let mut now = load(&case.text);
        // New since the corpus: a key written twice (`1` and `"1"` are one
        // key to JSON) is SPEC005, an error; all else stays as it was.
        let before = now.diagnostics.len();
        now.diagnostics.retain(|d| d.code != "SPEC005");
        if now.diagnostics.len() < before {
            duplicates += 1;
            assert!(!now.valid, "{}", case.text);
            now.valid = case.valid;
        }
        if &now != case {
            failures += 1;
            eprintln!("--- {}\nwas {case:#?}\nnow {now:#?}", case.text);
        }
    }
    assert_eq!(failures, 0, "{failures} of {} cases differ", cases.len());
    assert!(duplicates > 0, "no generated text writes a key twice");
    // The corpus reaches what it is for: unknown fields, type errors, valid specs.
    let has = |code: &str| {
        cases
            .iter()
            .filter(|c| c.diagnostics.iter().any(|d| d.code == code))
            .count()
    };
    assert!(has("SPEC003") > 40, "{}", has("SPEC003"));
    assert!(has("SPEC002") > 40, "{}", has("SPEC002"));
    assert!(cases.iter().filter(|c| c.spec.is_some()).count() > 40);
}
