//! Hostile input (issue 7): a billion-laughs YAML, 100,000-deep JSON and a
//! 50 MB file each end in an error that names the limit and its configured
//! value, through every entry point that reads text (`load_spec`, `check`,
//! `simulate`, `simulate --policy`, `inject`). Timings are printed by `scripts/bench-hostile`,
//! never asserted here.

// Helpers of a test file are test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use irsa_core::check::{CheckOptions, SourceFile};
use irsa_core::eval::SimulateRequest;
use irsa_core::inject::InjectOptions;
use irsa_core::source::Limits;

/// The classic: nine levels of ten aliases each, a billion `lol`s.
fn billion_laughs() -> String {
    let mut text = String::from("a0: &a0 \"lol\"\n");
    for i in 1..=9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text
}

/// Each of the hostile texts and the exact limit message it must end in.
fn hostile() -> Vec<(&'static str, String, String)> {
    let limits = Limits::default();
    vec![
        (
            "billion laughs",
            billion_laughs(),
            format!(
                "alias expansion (nodes copied by anchors and aliases) exceeds the limit of {}",
                limits.max_alias_nodes
            ),
        ),
        (
            "100k-deep sequences",
            "[".repeat(100_000),
            format!("nesting depth exceeds the limit of {}", limits.max_depth),
        ),
        (
            "100k-deep mappings",
            "{\"a\":".repeat(100_000),
            format!("nesting depth exceeds the limit of {}", limits.max_depth),
        ),
        (
            "100k-deep block sequences",
            "- ".repeat(100_000),
            format!("nesting depth exceeds the limit of {}", limits.max_depth),
        ),
        (
            "50 MB file",
            format!("a: \"{}\"\n", "x".repeat(50 * 1024 * 1024)),
            format!(
                "input size in bytes exceeds the limit of {}",
                limits.max_bytes
            ),
        ),
    ]
}

#[test]
fn the_limits_are_the_documented_ones() {
    let l = Limits::default();
    assert_eq!(
        (
            l.max_bytes,
            l.max_depth,
            l.max_nodes,
            l.max_alias_nodes,
            l.max_alias_bytes,
            l.max_documents,
        ),
        (
            5 * 1024 * 1024,
            128,
            1_000_000,
            100_000,
            16 * 1024 * 1024,
            10_000
        )
    );
    let c = CheckOptions::default();
    assert_eq!((c.max_files, c.max_link_work), (100_000, 2_000_000));
}

#[test]
fn load_spec_names_the_limit() {
    for (what, text, message) in hostile() {
        let v = irsa_core::load_spec(&text, Some("spec.yaml"));
        assert!(v.spec.is_none(), "{what}");
        let [d] = v.diagnostics.as_slice() else {
            panic!("{what}: {:#?}", v.diagnostics)
        };
        assert_eq!(d.code, "SPEC001", "{what}");
        assert_eq!(
            d.message,
            format!("the spec was not read: {message}"),
            "{what}"
        );
        assert_eq!(d.file.as_deref(), Some("spec.yaml"));
    }
}

#[test]
fn check_names_the_limit_and_checks_the_other_files() {
    let good = SourceFile {
        name: "sa.yaml".into(),
        text: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: prod\n  annotations:\n    eks.amazonaws.com/role-arn: not-an-arn\n"
            .into(),
    };
    for (what, text, message) in hostile() {
        let files = [
            SourceFile {
                name: "hostile.yaml".into(),
                text,
            },
            good.clone(),
        ];
        let diags = irsa_core::check(&files, &CheckOptions::default());
        let limit: Vec<_> = diags.iter().filter(|d| d.code == "IRSA402").collect();
        let [d] = limit.as_slice() else {
            panic!("{what}: {diags:#?}")
        };
        assert_eq!(d.file.as_deref(), Some("hostile.yaml"), "{what}");
        assert_eq!(
            d.message,
            format!("{message}: nothing in this file was checked"),
            "{what}"
        );
        // The ServiceAccount next to it is still checked (a malformed role-arn: IRSA102).
        assert!(
            diags
                .iter()
                .any(|d| d.file.as_deref() == Some("sa.yaml") && d.code == "IRSA102"),
            "{what}: {diags:#?}"
        );
    }
}

#[test]
fn simulate_and_inject_name_the_limit() {
    let request = SimulateRequest {
        namespace: "prod".into(),
        service_account: "app".into(),
        audience: None,
        issuer: None,
        ..SimulateRequest::default()
    };
    let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: prod\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n";
    for (what, text, message) in hostile() {
        let diags = irsa_core::eval::simulate(&text, &request).unwrap_err();
        assert_eq!(diags.len(), 1, "{what}");
        assert_eq!(diags[0].code, "IRSA001", "{what}");
        assert_eq!(
            diags[0].message,
            format!("not a policy document: {message}"),
            "{what}"
        );
        // simulate --policy: the same reader, the same finding, in the file.
        let policy = irsa_core::SourceFile {
            name: "policy.json".into(),
            text: text.clone(),
        };
        let diags = irsa_core::eval::permissions::simulate_permissions(
            &[policy],
            None,
            &irsa_core::eval::permissions::PermissionsRequest {
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::b/k".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(diags.len(), 1, "{what}");
        assert_eq!(
            (diags[0].code.as_str(), diags[0].file.as_deref()),
            ("IRSA001", Some("policy.json")),
            "{what}"
        );
        assert_eq!(
            diags[0].message,
            format!("not a policy document: {message}"),
            "{what}"
        );

        for (sa, workload) in [(sa, text.as_str()), (text.as_str(), "")] {
            let diags =
                irsa_core::inject::inject(sa, workload, &InjectOptions::default()).unwrap_err();
            assert_eq!(diags.len(), 1, "{what}");
            assert_eq!(diags[0].code, "IRSA402", "{what}");
            assert_eq!(diags[0].message, message, "{what}");
        }
    }
}

/// Too many documents in one stream, and too many files in one check.
#[test]
fn document_and_file_caps_name_their_limit() {
    let text = "a: 1\n---\n".repeat(10_001);
    let diags = irsa_core::check(
        &[SourceFile {
            name: "many.yaml".into(),
            text,
        }],
        &CheckOptions::default(),
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].message,
        "number of documents exceeds the limit of 10000: nothing in this file was checked"
    );

    let options = CheckOptions {
        max_files: 3,
        ..CheckOptions::default()
    };
    let files = vec![
        SourceFile {
            name: "a.yaml".into(),
            text: String::new(),
        };
        4
    ];
    let diags = irsa_core::check(&files, &options);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "IRSA402");
    assert_eq!(
        diags[0].message,
        "number of files (4) exceeds the limit of 3"
    );
}

fn trust_with_providers(ids: impl Iterator<Item = usize>) -> String {
    let providers: Vec<String> = ids
        .map(|i| format!("\"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/{i:032X}\""))
        .collect();
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":[{}]}},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}}]}}",
        providers.join(",")
    )
}

/// Regression: a 4 MB trust naming 40,000 OIDC providers kept `simulate`
/// busy for minutes (each provider deduplicated and evaluated against every
/// principal). Past 100 distinct providers (an IAM trust policy has room for
/// about 80) simulate stops with the limit named.
#[test]
fn simulate_of_a_trust_with_40000_providers_is_bounded() {
    let request = SimulateRequest {
        namespace: "prod".into(),
        service_account: "app".into(),
        audience: None,
        issuer: None,
        ..SimulateRequest::default()
    };
    let diags = irsa_core::eval::simulate(&trust_with_providers(0..40_000), &request).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "IRSA402");
    assert_eq!(
        diags[0].message,
        "the trust policy names 40000 OIDC providers, more than the limit of 100 that simulate evaluates; pass --issuer to evaluate one"
    );
    // At the limit, every provider is still evaluated and reported.
    let sim = irsa_core::eval::simulate(&trust_with_providers(0..100), &request).unwrap();
    assert_eq!(sim.results.len(), 100);
    // The same provider 40,000 times is one provider.
    let sim = irsa_core::eval::simulate(
        &trust_with_providers(std::iter::repeat_n(7, 40_000)),
        &request,
    )
    .unwrap();
    assert_eq!(sim.results.len(), 1);
}

#[test]
fn check_of_terraform_names_the_limit_before_parsing() {
    // hcl-edit's parser recurses: the depth is bounded before it sees the text.
    let limits = Limits::default();
    let cases = [
        (
            "100k-deep HCL lists",
            format!("x = {}", "[".repeat(100_000)),
            format!("nesting depth exceeds the limit of {}", limits.max_depth),
        ),
        (
            "100k-deep jsonencode",
            format!(
                "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = jsonencode({})\n}}\n",
                "{a = ".repeat(100_000)
            ),
            format!("nesting depth exceeds the limit of {}", limits.max_depth),
        ),
        (
            "50 MB Terraform file",
            format!("x = \"{}\"\n", "x".repeat(50 * 1024 * 1024)),
            format!(
                "input size in bytes exceeds the limit of {}",
                limits.max_bytes
            ),
        ),
    ];
    for (what, text, message) in cases {
        let files = [SourceFile {
            name: "hostile.tf".into(),
            text,
        }];
        let diags = irsa_core::check(&files, &CheckOptions::default());
        let [d] = diags.as_slice() else {
            panic!("{what}: {diags:#?}")
        };
        assert_eq!(d.code, "IRSA402", "{what}");
        assert_eq!(
            d.message,
            format!("{message}: nothing in this file was checked"),
            "{what}"
        );
    }
}

#[test]
fn terraform_just_within_the_depth_limit_is_read_on_a_test_thread() {
    // A test thread's stack (2 MiB) is smaller than a main thread's: the
    // deepest text hcl-edit reads (64 nested levels; deeper is its syntax
    // error, IRSA401) must not overflow it.
    let depth = 62;
    let text = format!(
        "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = jsonencode({}1{})\n}}\n",
        "{a = ".repeat(depth),
        "}".repeat(depth)
    );
    let files = [SourceFile {
        name: "deep.tf".into(),
        text,
    }];
    let diags = irsa_core::check(&files, &CheckOptions::default());
    assert!(
        diags
            .iter()
            .all(|d| d.code != "IRSA402" && d.code != "IRSA401"),
        "{diags:#?}"
    );
}
