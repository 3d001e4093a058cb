//! The checker's fixture corpus: every folder under `fixtures/check/` is one
//! set of files checked together; its diagnostics are the snapshot.
//! Folder names say the rule they trigger, or `near-miss` for a set that must
//! not trigger it (the snapshot then shows its absence).

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use irsa_core::check::{check, CheckOptions, SourceFile};

fn load(dir: &Path) -> Vec<SourceFile> {
    irsa_tests::folder_files(dir)
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect()
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures/check", "[a-z0-9]*", |dir| {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let diags = check(&load(dir), &CheckOptions::default());
        // The folder name is the contract: `irsaNNN-...` triggers IRSANNN,
        // `irsaNNN-near-miss...` must not.
        if let Some(code) = name.split('-').next().filter(|c| c.starts_with("irsa")) {
            let code = code.to_ascii_uppercase();
            let fired = diags.iter().any(|d| d.code == code);
            if name.contains("near-miss") {
                assert!(!fired, "{name}: {code} fired: {diags:#?}");
            } else {
                assert!(fired, "{name}: {code} did not fire: {diags:#?}");
            }
        }
        for d in &diags {
            assert!(
                d.line.is_some() && d.column.is_some() && d.file.is_some(),
                "{name}: unlocated {d:?}"
            );
        }
        insta::assert_yaml_snapshot!(diags);
    });
}

#[test]
fn clean_set_is_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check/clean-set");
    assert_eq!(check(&load(&dir), &CheckOptions::default()), vec![]);
}

#[test]
fn too_many_files_is_a_limit() {
    let files = vec![
        SourceFile {
            name: "a.yaml".into(),
            text: String::new(),
        };
        3
    ];
    let options = CheckOptions {
        max_files: 2,
        ..CheckOptions::default()
    };
    let diags = check(&files, &options);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "IRSA402");
    assert!(
        diags[0].message.contains("limit of 2"),
        "{}",
        diags[0].message
    );
}

#[test]
fn trust_length_limit_is_configurable_up_to_8192() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check/irsa013-too-long");
    let raised = CheckOptions {
        max_trust_policy_length: 4096,
        ..CheckOptions::default()
    };
    assert!(!check(&load(&dir), &raised)
        .iter()
        .any(|d| d.code == "IRSA013"));
    let beyond = CheckOptions {
        max_trust_policy_length: 100_000,
        ..CheckOptions::default()
    };
    let small = CheckOptions {
        max_trust_policy_length: 100,
        ..CheckOptions::default()
    };
    let near = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check/irsa013-near-miss");
    assert!(check(&load(&near), &small)
        .iter()
        .any(|d| d.code == "IRSA013"));
    // Nothing above 8192 is ever accepted.
    let huge: Vec<String> = (0..400)
        .map(|i| format!("system:serviceaccount:team-{i:03}:app-{i:03}"))
        .collect();
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7:sub": huge}}}]})
    .to_string();
    let files = [SourceFile {
        name: "t.json".into(),
        text,
    }];
    let d = check(&files, &beyond);
    assert!(
        d.iter()
            .any(|d| d.code == "IRSA013" && d.message.contains("8192")),
        "{d:#?}"
    );
}

#[test]
fn templates_fine_but_for_their_placeholders_give_only_the_placeholder_note() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("clean-template-") {
            continue;
        }
        seen += 1;
        let diags = check(&load(&dir), &CheckOptions::default());
        assert!(
            !diags.is_empty() && diags.iter().all(|d| d.code == "IRSA405"),
            "{name}: {diags:#?}"
        );
    }
    assert!(
        seen >= 10,
        "every placeholder style has a clean template ({seen})"
    );
}

#[test]
fn read_types_without_iam_say_so() {
    // Read whole, nothing IAM in them: counted as such, not as a trust checked.
    let files = [
        ("main.tf", "variable \"x\" {\n  default = 1\n}\n"),
        ("infra.hcl", "x = 1\n"),
        ("<stdin>", "resource \"aws_s3_bucket\" \"b\" {\n}\n"),
        ("stack.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n"),
        (
            "stack.cfn.json",
            "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}\n",
        ),
        (
            "cluster.yaml",
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n",
        ),
    ];
    for (name, text) in files {
        let f = SourceFile {
            name: name.into(),
            text: text.into(),
        };
        let report =
            irsa_core::check::check_report(std::slice::from_ref(&f), &CheckOptions::default());
        assert_eq!(report.diagnostics, vec![], "{name}");
        let summary = report.inventory.summary(&report.diagnostics, 1);
        assert!(
            summary.contains("without IAM or ServiceAccounts"),
            "{name}: {summary}"
        );
    }
    // A role without its required trust is said, not passed.
    let f = SourceFile {
        name: "<stdin>".into(),
        text: "resource \"aws_iam_role\" \"r\" {\n}\n".into(),
    };
    let diags = check(&[f], &CheckOptions::default());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "IRSA001");
}

#[test]
fn every_file_type_check_does_not_read_is_said() {
    use irsa_core::filetype;
    let mut files: Vec<SourceFile> = filetype::NOT_READ
        .iter()
        .flat_map(|t| t.endings.iter().map(move |e| (*t, format!("input{e}"))))
        // Terraform's HCL and CloudFormation templates are read (read_types_without_iam_say_so).
        .filter(|(t, name)| !filetype::reads_as_hcl(name, *t) && *t != filetype::CLOUDFORMATION)
        .map(|(_, name)| SourceFile {
            name,
            text: "x = 1\n".into(),
        })
        .collect();
    let by_content = [("script", "#!/bin/bash\necho hi\n")];
    files.extend(by_content.iter().map(|(n, t)| SourceFile {
        name: (*n).into(),
        text: (*t).into(),
    }));
    for f in &files {
        let report =
            irsa_core::check::check_report(std::slice::from_ref(f), &CheckOptions::default());
        assert!(
            report.diagnostics.iter().any(|d| d.code == "IRSA407"),
            "{}: {:#?}",
            f.name,
            report.diagnostics
        );
        assert_eq!(report.inventory.checked(), 0, "{}", f.name);
        let summary = report.inventory.summary(&report.diagnostics, 1);
        assert!(
            summary.starts_with("nothing checked") && !summary.contains("0 errors"),
            "{summary}"
        );
    }
}

/// check and simulate share one verdict: a trust that check says lets every
/// service account in (IRSA004, or a pattern or principal that does) is Allow
/// for a ServiceAccount it names nowhere, and one it does not is Deny.
#[test]
fn check_and_simulate_agree_on_who_gets_in() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check");
    let request = irsa_core::eval::SimulateRequest {
        namespace: "zz-unnamed".into(),
        service_account: "zz-unnamed".into(),
        ..Default::default()
    };
    let mut compared = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        for file in load(&dir) {
            let diags = check(std::slice::from_ref(&file), &CheckOptions::default());
            let Ok(sim) = irsa_core::eval::simulate(&file.text, &request) else {
                continue;
            };
            if !file.text.contains("Federated") {
                continue;
            }
            compared += 1;
            let open = diags
                .iter()
                .any(|d| ["IRSA004", "IRSA007", "IRSA020", "IRSA030"].contains(&d.code.as_str()));
            let allowed = sim.decision != irsa_core::eval::Decision::Deny;
            assert!(
                !allowed || open,
                "{}/{}: simulate admits an unnamed ServiceAccount, check does not say so: {diags:#?}",
                dir.display(),
                file.name
            );
            if diags.iter().any(|d| d.code == "IRSA004") {
                assert!(
                    allowed,
                    "{}/{}: IRSA004 but simulate denies: {sim:#?}",
                    dir.display(),
                    file.name
                );
            }
        }
    }
    assert!(compared >= 40, "{compared} trusts compared");
}

/// The doctor set: a dumped cluster and account with every drift planted
/// once reports each IRSA5xx code exactly once; the same setup fixed reports nothing.
#[test]
fn doctor_set_reports_each_drift_once_and_the_fixed_set_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check");
    let drift = check(&load(&root.join("doctor-drift")), &CheckOptions::default());
    let codes: Vec<&str> = drift.iter().map(|d| d.code.as_str()).collect();
    let doctor: Vec<&str> = irsa_core::rules::RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| c.starts_with("IRSA5"))
        .collect();
    assert_eq!(doctor.len(), 8, "{doctor:?}");
    for code in &doctor {
        let n = codes.iter().filter(|c| *c == code).count();
        assert_eq!(n, 1, "{code} reported {n} times: {drift:#?}");
    }
    assert_eq!(codes.len(), doctor.len(), "{drift:#?}");
    let clean = check(&load(&root.join("doctor-clean")), &CheckOptions::default());
    assert_eq!(clean, vec![]);
}

/// A role's trust as the API gives it (URL-encoded) and as the CLI prints it
/// (decoded) gives the same findings; the encoded one's are placed at its string.
#[test]
fn url_encoded_and_decoded_role_trusts_give_the_same_findings() {
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:aud": "sts.amazonaws.com"}}}]});
    let text = trust.to_string();
    let encoded: String = text
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let role = |doc: serde_json::Value| SourceFile {
        name: "role.json".into(),
        text: serde_json::to_string_pretty(&serde_json::json!({"Role": {
            "Path": "/", "RoleName": "app", "RoleId": "AROAEXAMPLEAPP000001",
            "Arn": "arn:aws:iam::111122223333:role/app", "AssumeRolePolicyDocument": doc}}))
        .unwrap(),
    };
    let decoded = check(&[role(trust.clone())], &CheckOptions::default());
    let url = check(
        &[role(serde_json::Value::String(encoded))],
        &CheckOptions::default(),
    );
    let codes = |d: &[irsa_core::diagnostic::Diagnostic]| {
        d.iter().map(|d| d.code.clone()).collect::<Vec<_>>()
    };
    assert!(
        codes(&decoded).contains(&"IRSA004".to_string()),
        "{decoded:#?}"
    );
    assert_eq!(codes(&decoded), codes(&url));
    // The encoded document is one string on line 7 of the pretty-printed get-role.
    assert!(url.iter().all(|d| d.line == Some(7)), "{url:#?}");
}
