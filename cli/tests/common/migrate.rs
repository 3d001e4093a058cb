//! What the migrate tests share: the cluster they plan for, their fixture
//! folders, the evaluator's verdict for one provider, `check`'s errors in a
//! phase file, and the rule that
//! every code has a trigger and a near miss among the fixtures. Not every
//! test file uses every item.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use irsa_core::check::{check, CheckOptions, SourceFile};
use irsa_core::diagnostic::Diagnostic;
use irsa_core::eval::{simulate, Decision, SimulateRequest};

/// The issuer of the cluster that moves (the fixtures are written against it).
pub const ISSUER: &str =
    "https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B";
/// Its ARN.
pub const CLUSTER_ARN: &str = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
/// Another cluster of the same account, whose statements stay.
pub const STAGING_ARN: &str = "arn:aws:eks:us-west-2:111122223333:cluster/staging";

/// The folders of `root`, sorted.
pub fn folders(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// A folder's name.
pub fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// `check`'s error-level findings in one file named `name`: a phase file a
/// plan hands out must have none.
pub fn check_errors(name: &str, text: &str) -> Vec<Diagnostic> {
    let file = SourceFile {
        name: name.into(),
        text: text.into(),
    };
    check(&[file], &CheckOptions::default())
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

/// The decision for one provider of a simulation (Deny when it is not evaluated).
pub fn decision(trust: &str, request: &SimulateRequest, provider: &str) -> Decision {
    simulate(trust, request)
        .unwrap()
        .results
        .into_iter()
        .find(|r| r.provider == provider)
        .map_or(Decision::Deny, |r| r.evaluation.decision)
}

/// Each of `codes` is reported by some fixture (its trigger) and not by
/// another (its near miss); `reported` holds each fixture's codes.
pub fn each_code_triggered_and_missed(reported: &[Vec<String>], codes: &[&str]) {
    for code in codes {
        assert!(
            reported.iter().any(|c| c.iter().any(|x| x == code)),
            "{code}: no trigger"
        );
        assert!(
            reported.iter().any(|c| !c.iter().any(|x| x == code)),
            "{code}: no near miss"
        );
    }
}
