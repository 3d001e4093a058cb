//! `irsa-gen migrate --trust FILE --to irsa --issuer URL --cluster-arn ARN`
//! (issue 19): every folder of `tests/fixtures/migrate/from-trust-back/` (a
//! Pod Identity trust each: `ok`, `near-miss` unscoped and written
//! differently, `unreadable` not a Pod Identity trust, `multiple` of three
//! clusters' statements, `pattern`) run through the CLI and snapshotted, and
//! the outage-free property going back: before, after phase 1 and after
//! phase 3 the ServiceAccount is admitted by the path its pods use then (Pod
//! Identity until the associations go in phase 2, IRSA after), `check` finds
//! no error, and other clusters' Pod Identity admission never changes. Also
//! the trust-only codes of the way there (MIG012, MIG033) and `explain`.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::migrate::{check_errors, decision, name, CLUSTER_ARN, ISSUER, STAGING_ARN};

use std::path::{Path, PathBuf};

use irsa_core::aws::POD_IDENTITY_PRINCIPAL;
use irsa_core::eval::{Decision, SimulateRequest};
use irsa_core::migrate::to_irsa_trust::plan_trust;

const BACK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/migrate/from-trust-back"
);

fn cases() -> Vec<PathBuf> {
    common::migrate::folders(Path::new(BACK))
}

/// `payments/s3-writer` of a cluster through Pod Identity.
fn pod_identity(cluster_arn: &str) -> SimulateRequest {
    let mut r = SimulateRequest {
        namespace: "payments".into(),
        service_account: "s3-writer".into(),
        account: Some("111122223333".into()),
        ..SimulateRequest::default()
    };
    r.context.insert(
        "aws:RequestTag/eks-cluster-arn".into(),
        vec![cluster_arn.into()],
    );
    r
}

#[test]
fn every_back_fixture_is_snapshotted() {
    for dir in cases() {
        let trust = format!(
            "tests/fixtures/migrate/from-trust-back/{}/trust.json",
            name(&dir)
        );
        let args = [
            "migrate",
            "--to",
            "irsa",
            "--trust",
            &trust,
            "--issuer",
            ISSUER,
            "--cluster-arn",
            CLUSTER_ARN,
        ];
        insta::assert_snapshot!(format!("back_{}", name(&dir)), common::run(&args, None));
    }
}

/// The moments of a planned fixture, each checked: the pods' path admitted,
/// no error from `check`, staging's Pod Identity admission as it was.
#[test]
fn every_moment_going_back_admits_the_service_account() {
    let (mut planned, mut moments) = (0, 0);
    for dir in cases() {
        let at = name(&dir);
        let start = std::fs::read_to_string(dir.join("trust.json")).unwrap();
        let plan = plan_trust(&start, ISSUER, CLUSTER_ARN);
        let (Some(both), Some(end)) = (&plan.both, &plan.end) else {
            assert!(plan.diagnostics.iter().any(|d| d.is_error()), "{at}");
            continue;
        };
        let pi = pod_identity(CLUSTER_ARN);
        let irsa = SimulateRequest {
            issuer: Some(ISSUER.into()),
            context: Default::default(),
            ..pi.clone()
        };
        let hp = ISSUER.trim_start_matches("https://");
        // Before and after phase 1 the associations exist (Pod Identity);
        // after phase 3 they are gone (IRSA).
        for (label, trust, path) in [
            ("before", &start, true),
            ("phase 1", both, true),
            ("phase 1 (IRSA)", both, false),
            ("phase 3", end, false),
        ] {
            let (request, provider) = if path {
                (&pi, POD_IDENTITY_PRINCIPAL)
            } else {
                (&irsa, hp)
            };
            assert_eq!(
                decision(trust, request, provider),
                Decision::Allow,
                "{at} {label}\n{trust}"
            );
            let staging = pod_identity(STAGING_ARN);
            assert_eq!(
                decision(trust, &staging, POD_IDENTITY_PRINCIPAL),
                decision(&start, &staging, POD_IDENTITY_PRINCIPAL),
                "{at} {label}: staging's admission changed"
            );
            let errors = check_errors("trust.json", trust);
            assert!(errors.is_empty(), "{at} {label}: {errors:#?}");
            moments += 1;
        }
        // Phase 3 took this cluster's scoped statement out; near-miss's is
        // unscoped and stays (MIG031), as other clusters' may use it.
        let want = if at == "near-miss" {
            Decision::Allow
        } else {
            Decision::Deny
        };
        assert_eq!(
            decision(end, &pi, POD_IDENTITY_PRINCIPAL),
            want,
            "{at} phase 3 Pod Identity"
        );
        if at == "multiple" {
            // billing/reporter (unscoped) gets its OIDC statement too, and keeps Pod Identity.
            let reporter = SimulateRequest {
                namespace: "billing".into(),
                service_account: "reporter".into(),
                ..irsa.clone()
            };
            assert_eq!(
                decision(end, &reporter, hp),
                Decision::Allow,
                "{at} reporter IRSA"
            );
            let reporter_pi = SimulateRequest {
                issuer: None,
                context: pi.context.clone(),
                ..reporter
            };
            assert_eq!(
                decision(end, &reporter_pi, POD_IDENTITY_PRINCIPAL),
                Decision::Allow,
                "{at} reporter Pod Identity"
            );
        }
        planned += 1;
    }
    // ok, near-miss, multiple (unreadable and pattern are blocked), four moments each.
    assert_eq!((planned, moments), (3, 12));
}

/// Every code the way back reports has a trigger and a near miss among the fixtures.
#[test]
fn back_codes_have_a_trigger_and_a_near_miss() {
    let reported: Vec<Vec<String>> = cases()
        .iter()
        .map(|dir| {
            let text = std::fs::read_to_string(dir.join("trust.json")).unwrap();
            let plan = plan_trust(&text, ISSUER, CLUSTER_ARN);
            plan.diagnostics.iter().map(|d| d.code.clone()).collect()
        })
        .collect();
    common::migrate::each_code_triggered_and_missed(
        &reported,
        &["MIG020", "MIG022", "MIG030", "MIG031"],
    );
}

fn forward(trust: &str, cluster_arn: &str) -> String {
    common::run(
        &[
            "migrate",
            "--to",
            "pod-identity",
            "--trust",
            trust,
            "--issuer",
            ISSUER,
            "--cluster-arn",
            cluster_arn,
        ],
        None,
    )
}

/// MIG033: the provider of another account than the cluster's blocks the plan
/// (no phase file) and points at the role-chaining steps; MIG012: a China
/// cluster. The near miss of both: the same trust in the cluster's account.
#[test]
fn cross_account_and_china_block_the_plan_from_a_trust() {
    let cross = forward(
        "tests/fixtures/migrate/from-trust/cross-account/trust.json",
        CLUSTER_ARN,
    );
    assert!(
        cross.contains("MIG033") && !cross.contains("==> phase-1"),
        "{cross}"
    );
    let china = forward(
        "tests/fixtures/migrate/from-trust/single/trust.json",
        "arn:aws-cn:eks:cn-north-1:111122223333:cluster/prod",
    );
    assert!(
        china.contains("MIG012") && !china.contains("==> phase-1"),
        "{china}"
    );
    let ok = forward(
        "tests/fixtures/migrate/from-trust/single/trust.json",
        CLUSTER_ARN,
    );
    assert!(
        !ok.contains("MIG033") && !ok.contains("MIG012") && ok.contains("==> phase-3/trust.json"),
        "{ok}"
    );
}

#[test]
fn going_back_from_a_trust_needs_the_cluster_arn() {
    let out = common::output(
        &[
            "migrate",
            "--to",
            "irsa",
            "--trust",
            "tests/fixtures/migrate/from-trust-back/ok/trust.json",
            "--issuer",
            ISSUER,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--cluster-arn"));
}

/// Every MIG code is explained (title and explanation), the new ones included.
#[test]
fn explain_answers_every_mig_code() {
    for rule in irsa_core::migrate::codes::MIG_CODES {
        let out = common::output(&["explain", rule.code], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", rule.code);
        assert!(text.contains(rule.title), "{}: {text}", rule.code);
    }
}
