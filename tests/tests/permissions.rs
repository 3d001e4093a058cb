//! The permissions evaluator's corpus: every folder under
//! `fixtures/simulate/permissions/` is one behaviour. Its policy files (JSON or
//! YAML; `boundary.*` is the permissions boundary) are a role's policies, and
//! `requests.json` lists requests (`action`, `resource`, `context`) with the
//! decision AWS's documented evaluation logic gives (`Allow`, `Deny`,
//! `Conditional`, or `Unreadable` for a policy IAM refuses or a bad request):
//! at least one `trigger:` and one `near miss:` each. The answers are
//! snapshotted per folder. The facts, from AWS's pages:
//! - evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
//! - Action and NotAction: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
//!   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
//! - Resource and NotResource: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html,
//!   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
//! - policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//! - permissions boundaries: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use irsa_core::eval::permissions::{simulate_permissions, PermissionsRequest};
use irsa_core::SourceFile;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    action: String,
    resource: String,
    #[serde(default)]
    context: BTreeMap<String, Values>,
    expect: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Values {
    One(String),
    Many(Vec<String>),
}

fn policies(dir: &Path) -> (Vec<SourceFile>, Option<SourceFile>) {
    let mut files: Vec<SourceFile> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "requests.json")
        .map(|p| SourceFile {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let boundary = files
        .iter()
        .position(|f| f.name.starts_with("boundary."))
        .map(|i| files.remove(i));
    (files, boundary)
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures/simulate/permissions", "[a-z0-9]*", |dir| {
        let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (files, boundary) = policies(dir);
        assert!(!files.is_empty(), "{folder}: no policy");
        let cases: Vec<Case> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("requests.json")).unwrap())
                .unwrap();
        assert!(
            cases.iter().any(|c| c.name.starts_with("trigger:")),
            "{folder}: no trigger"
        );
        assert!(
            cases.iter().any(|c| c.name.starts_with("near miss:")),
            "{folder}: no near miss"
        );
        let mut answers = Vec::new();
        for c in &cases {
            let request = PermissionsRequest {
                action: c.action.clone(),
                resource: c.resource.clone(),
                context: c
                    .context
                    .iter()
                    .map(|(k, v)| match v {
                        Values::One(v) => (k.clone(), vec![v.clone()]),
                        Values::Many(v) => (k.clone(), v.clone()),
                    })
                    .collect(),
            };
            let answer = simulate_permissions(&files, boundary.as_ref(), &request);
            let got = match &answer {
                Ok(s) => format!("{:?}", s.decision),
                Err(_) => "Unreadable".to_string(),
            };
            assert_eq!(got, c.expect, "{folder}: {}", c.name);
            let value = match answer {
                Ok(s) => serde_json::to_value(s).unwrap(),
                Err(d) => serde_json::json!({ "diagnostics": d }),
            };
            answers.push(serde_json::json!({ "case": c.name, "answer": value }));
        }
        insta::assert_yaml_snapshot!(answers);
    });
}
