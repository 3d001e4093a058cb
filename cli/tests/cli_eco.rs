//! The ecosystem around the CLI: the spec schema shipped in the repository,
//! `init`'s modeline, `check --format sarif|github`, and the pre-commit hooks.
//! (The independent validators, Python jsonschema against the spec schema and
//! the official SARIF 2.1.0 schema, and pre-commit's own manifest loader, run
//! in `scripts/test.d/ecosystem.sh`.)

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn irsa_gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irsa-gen"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn committed_schema_is_what_the_code_generates() {
    let out = irsa_gen(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read_to_string(root().join("schema/irsa-gen.schema.json")).unwrap();
    assert!(
        stdout(&out) == committed,
        "schema/irsa-gen.schema.json is stale: regenerate it with\n  cargo run -p irsa-gen -- schema > schema/irsa-gen.schema.json"
    );
    assert_eq!(committed, irsa_core::spec::json_schema_text());
}

#[test]
fn schema_describes_the_lenient_fields() {
    let schema = irsa_core::spec::json_schema();
    let props = &schema["properties"];
    assert_eq!(
        props["accountId"]["type"],
        serde_json::json!(["string", "integer", "null"])
    );
    let sa = &schema["definitions"]["BindingSpec"]["properties"]["serviceAccount"];
    assert_eq!(sa["anyOf"][0]["type"], "string");
    assert_eq!(sa["anyOf"][1]["type"], "array");
    // Descriptions come from the doc comments.
    assert!(props["region"]["description"]
        .as_str()
        .unwrap()
        .contains("partition"));
    // Every add-on name is offered.
    let names = schema["definitions"]["AddonGrant"]["properties"]["name"]["oneOf"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(names, irsa_core::addons::ADDONS.len());
}

#[test]
fn init_starts_with_the_modeline() {
    let out = stdout(&irsa_gen(&["init"]));
    assert_eq!(
        out.lines().next(),
        Some("# yaml-language-server: $schema=irsa-gen.schema.json")
    );
    assert!(out.ends_with(irsa_core::spec::STARTER_SPEC));
    let url = "https://example.com/irsa-gen.schema.json";
    let out = stdout(&irsa_gen(&["init", "--schema", url]));
    assert_eq!(
        out.lines().next(),
        Some(format!("# yaml-language-server: $schema={url}").as_str())
    );
    // The starter spec with its modeline still generates.
    let dir = std::env::temp_dir().join(format!("irsa-gen-init-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("irsa.yaml");
    std::fs::write(&spec, stdout(&irsa_gen(&["init"]))).unwrap();
    let gen = irsa_gen(&[
        "generate",
        "-f",
        spec.to_str().unwrap(),
        "--only",
        "trust-policy",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(gen.status.code(), Some(0), "{gen:?}");
}

const FINDINGS: &[&str] = &[
    "tests/fixtures/check/irsa301-wrong-namespace",
    "tests/fixtures/check/irsa203-static-keys/deployment.yaml",
];

#[test]
fn check_sarif() {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(FINDINGS);
    let out = irsa_gen(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "error-level findings exit 1 in every format"
    );
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "irsa-gen");
    assert_eq!(driver["version"], irsa_core::VERSION);
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), irsa_core::rules::RULES.len());
    for (rule, meta) in irsa_core::rules::RULES.iter().zip(rules) {
        assert_eq!(meta["id"], rule.code);
        assert_eq!(meta["shortDescription"]["text"], rule.title);
        assert_eq!(meta["fullDescription"]["text"], rule.explanation);
        assert!(meta["help"]["text"].as_str().unwrap().starts_with(rule.fix));
        let level = match rule.severity {
            irsa_core::Severity::Error => "error",
            irsa_core::Severity::Warning => "warning",
            irsa_core::Severity::Info => "note",
        };
        assert_eq!(meta["defaultConfiguration"]["level"], level);
    }
    let results = &log["runs"][0]["results"];
    for r in results.as_array().unwrap() {
        let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    insta::assert_json_snapshot!(results);
}

#[test]
fn check_sarif_clean_set_has_no_results() {
    let out = irsa_gen(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/check/clean-set",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn check_github() {
    let mut args = vec!["check", "--format", "github"];
    args.extend(FINDINGS);
    let out = irsa_gen(&args);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

/// The hooks file parses, names an existing subcommand, matches the manifest
/// extensions `check` reads, and its entry run the way pre-commit runs it
/// (entry, args, file names) finds what `check` finds.
#[test]
fn pre_commit_hooks() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<serde_yaml_ng::Value> = serde_yaml_ng::from_str(&text).unwrap();
    assert_eq!(hooks.len(), 2);
    for hook in &hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(hook[key].as_str().is_some(), "{key} missing in {hook:?}");
        }
        assert_eq!(hook["language"], "system");
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(entry[0], "irsa-gen");
        let help = irsa_gen(&[entry[1], "--help"]);
        assert_eq!(
            help.status.code(),
            Some(0),
            "`{}` is no subcommand",
            entry[1]
        );
        let mut args: Vec<&str> = entry[1..].to_vec();
        let mut files = vec!["tests/fixtures/check/irsa301-wrong-namespace/serviceaccount.yaml"];
        files.push("tests/fixtures/check/irsa301-wrong-namespace/trust-policy.json");
        args.extend(files.iter().copied());
        assert_eq!(
            irsa_gen(&args).status.code(),
            Some(1),
            "{}",
            hook["id"].as_str().unwrap()
        );
    }
    let files = hooks[0]["files"].as_str().unwrap();
    assert_eq!(files, r"\.(json|ya?ml)$");
}
