//! `irsa-gen migrate --trust FILE` from the files people have (issue 19):
//! every folder of `tests/fixtures/migrate-from-file/` (one Terraform file,
//! CloudFormation template or `aws iam` dump each, and an `args` file of
//! extra arguments, `--to irsa` or `--role NAME`) run through the CLI and
//! snapshotted; and the outage-free property on the phase files in the
//! user's format: each reads back (Terraform through core's HCL reader),
//! `check` finds no error in it (nor in the user's file), outside the trusts it is the user's file
//! byte for byte, and each planned role's ServiceAccount is admitted by the
//! path its pods use at that moment, other clusters' admission unchanged.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::migrate::{check_errors, decision, name, CLUSTER_ARN, ISSUER, STAGING_ARN};

use std::path::{Path, PathBuf};

use irsa_core::aws::POD_IDENTITY_PRINCIPAL;
use irsa_core::eval::{Decision, SimulateRequest};
use irsa_core::migrate::from_file::{plan_file, FilePlan, Request};
use irsa_core::migrate::sources;
use irsa_core::migrate::trust_file::{Edit, Found, Kind};
use irsa_core::migrate::Direction;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/migrate-from-file"
);
const OTHER: &str = "https://oidc.eks.us-west-2.amazonaws.com/id/0F1E2D3C4B5A69788796A5B4C3D2E1F0";

fn cases() -> Vec<PathBuf> {
    common::migrate::folders(Path::new(FIXTURES))
}

/// The fixture's one input file, as a path from the workspace root.
fn input(dir: &Path) -> String {
    let file = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|f| f != "args")
        .unwrap();
    format!("tests/fixtures/migrate-from-file/{}/{file}", name(dir))
}

/// The fixture's extra arguments, one a line.
fn extra(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

fn direction(dir: &Path) -> Direction {
    match extra(dir).windows(2).any(|w| w == ["--to", "irsa"]) {
        true => Direction::ToIrsa,
        false => Direction::ToPodIdentity,
    }
}

fn plan_of(dir: &Path) -> (String, String, FilePlan) {
    let path = input(dir);
    let text =
        std::fs::read_to_string(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(&path))
            .unwrap();
    let args = extra(dir);
    let role = args
        .iter()
        .position(|a| a == "--role")
        .map(|i| args[i + 1].clone());
    let req = Request {
        direction: direction(dir),
        issuer: ISSUER,
        cluster_arn: Some(CLUSTER_ARN),
        role: role.as_deref(),
    };
    let plan = plan_file(&path, &text, &req);
    (path, text, plan)
}

#[test]
fn every_fixture_is_snapshotted() {
    for dir in cases() {
        let trust = input(&dir);
        let mut args: Vec<String> = [
            "migrate",
            "--trust",
            &trust,
            "--issuer",
            ISSUER,
            "--cluster-arn",
            CLUSTER_ARN,
        ]
        .map(str::to_string)
        .to_vec();
        let more = extra(&dir);
        if !more.iter().any(|a| a == "--to") {
            args.extend(["--to".to_string(), "pod-identity".to_string()]);
        }
        args.extend(more);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        insta::assert_snapshot!(
            format!("from_file_{}", name(&dir)),
            common::run(&args, None)
        );
    }
}

/// A trust as IAM holds it once its tool filled the account and partition.
fn filled(found: &Found) -> String {
    found
        .text()
        .replace(
            "${data.aws_caller_identity.current.account_id}",
            "111122223333",
        )
        .replace("${AWS::AccountId}", "111122223333")
        .replace("${AWS::Partition}", "aws")
}

/// The ServiceAccount (of namespace payments) a trust names.
fn service_account(trust: &str) -> String {
    let after = trust
        .split_once("system:serviceaccount:payments:")
        .or_else(|| trust.split_once("\"aws:RequestTag/kubernetes-service-account\": \""))
        .unwrap()
        .1;
    after.split('"').next().unwrap().to_string()
}

/// `service_account` of payments through Pod Identity on `cluster_arn`, or
/// through IRSA of `issuer`.
fn request(service_account: &str, cluster_arn: &str, issuer: Option<&str>) -> SimulateRequest {
    let mut r = SimulateRequest {
        namespace: "payments".into(),
        service_account: service_account.into(),
        account: Some("111122223333".into()),
        issuer: issuer.map(str::to_string),
        ..SimulateRequest::default()
    };
    if issuer.is_none() {
        r.context.insert(
            "aws:RequestTag/eks-cluster-arn".into(),
            vec![cluster_arn.into()],
        );
    }
    r
}

/// The text outside the spans of the planned roles' trusts.
fn outside(text: &str, found: &[Found], roles: &[String]) -> Vec<String> {
    let mut spans: Vec<(usize, usize)> = found
        .iter()
        .filter(|f| roles.contains(&f.role))
        .filter_map(|f| match f.edit {
            Edit::Hcl { start, end, .. } | Edit::Cfn { start, end, .. } => Some((start, end)),
            _ => None,
        })
        .collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        out.push(text[at..start].to_string());
        at = end;
    }
    out.push(text[at..].to_string());
    out
}

/// `check`'s errors in a file: code and message.
fn errors(path: &str, text: &str) -> Vec<(String, String)> {
    check_errors(path, text)
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect()
}

/// One phase file checked: it reads back, `check` finds no error, outside
/// the trusts it is the original, and each role is admitted by the path of
/// the moment (`pi`: Pod Identity, `irsa`: IRSA), staging's as it was.
fn check_phase(
    at: &str,
    path: &str,
    text: &str,
    original: &(String, Vec<Found>),
    roles: &[String],
    (irsa_want, pi_want): (Decision, Decision),
) {
    if path.ends_with(".tf") {
        irsa_core::iac::terraform::read(text, &Default::default())
            .unwrap_or_else(|e| panic!("{at} {path}: {e:?}"));
    }
    // The user's files have no error (their Lambda and node roles are
    // IRSA022 notes, not IRSA002), and neither has any phase file.
    let before = errors(path, &original.0);
    assert!(before.is_empty(), "{at} {path} as given: {before:#?}");
    let now = errors(path, text);
    assert!(now.is_empty(), "{at} {path}: {now:#?}\n{text}");
    let read = sources::read(path, text);
    if read.kind != Kind::Trust {
        assert_eq!(
            outside(text, &read.found, roles),
            outside(&original.0, &original.1, roles),
            "{at} {path}: changed outside the trusts"
        );
    }
    let hp = ISSUER.trim_start_matches("https://");
    let other = OTHER.trim_start_matches("https://");
    for role in roles {
        let before = original.1.iter().find(|f| &f.role == role).unwrap();
        let now = match read.kind {
            Kind::Trust => &read.found[0],
            _ => read.found.iter().find(|f| &f.role == role).unwrap(),
        };
        let (start, trust) = (filled(before), filled(now));
        let sa = service_account(&start);
        let label = format!("{at} {path} {role}");
        let irsa = request(&sa, CLUSTER_ARN, Some(ISSUER));
        assert_eq!(
            decision(&trust, &irsa, hp),
            irsa_want,
            "{label} IRSA\n{trust}"
        );
        let pi = request(&sa, CLUSTER_ARN, None);
        assert_eq!(
            decision(&trust, &pi, POD_IDENTITY_PRINCIPAL),
            pi_want,
            "{label} Pod Identity\n{trust}"
        );
        let staging = request(&sa, STAGING_ARN, Some(OTHER));
        assert_eq!(
            decision(&trust, &staging, other),
            decision(&start, &staging, other),
            "{label}: staging's IRSA changed"
        );
        let staging_pi = request(&sa, STAGING_ARN, None);
        assert_eq!(
            decision(&trust, &staging_pi, POD_IDENTITY_PRINCIPAL),
            decision(&start, &staging_pi, POD_IDENTITY_PRINCIPAL),
            "{label}: staging's Pod Identity changed"
        );
    }
}

#[test]
fn every_phase_file_reads_back_and_admits_the_path_of_its_moment() {
    let mut planned = Vec::new();
    for dir in cases() {
        let at = name(&dir);
        let (path, text, plan) = plan_of(&dir);
        if plan.files.is_empty() {
            assert!(
                plan.diagnostics.iter().any(|d| d.is_error()),
                "{at}: no files, no error"
            );
            continue;
        }
        let original = (text.clone(), sources::read(&path, &text).found);
        // Phase 1 both paths; phase 3 the new path only (IRSA kept going back).
        let want = |phase: &str| match (direction(&dir), phase) {
            (_, "phase-1") => (Decision::Allow, Decision::Allow),
            (Direction::ToPodIdentity, _) => (Decision::Deny, Decision::Allow),
            (Direction::ToIrsa, _) => (Decision::Allow, Decision::Deny),
        };
        for f in plan.files.iter().filter(|f| !f.path.ends_with(".sh")) {
            let phase = f.path.split('/').next().unwrap();
            check_phase(&at, &f.path, &f.text, &original, &plan.roles, want(phase));
        }
        planned.push(at);
    }
    assert_eq!(
        planned,
        [
            "from-cloudformation-back",
            "from-cloudformation-json",
            "from-cloudformation-sub",
            "from-cloudformation-yaml",
            "from-get-role",
            "from-list-roles",
            "from-terraform",
            "from-terraform-back",
            "from-terraform-heredoc",
            "from-terraform-policy-document",
            "two-roles",
        ]
    );
}

/// The codes of plans from files each have a fixture that reports them and one that does not.
#[test]
fn file_codes_have_a_trigger_and_a_near_miss() {
    let reported: Vec<Vec<String>> = cases()
        .iter()
        .map(|dir| {
            plan_of(dir)
                .2
                .diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect()
        })
        .collect();
    common::migrate::each_code_triggered_and_missed(&reported, &["MIG060", "MIG061", "MIG062"]);
}

/// `--role` picks one of two roles: only its trust changes.
#[test]
fn role_picks_one_of_two() {
    let path = "tests/fixtures/migrate-from-file/two-roles/main.tf";
    let out = common::run(
        &[
            "migrate",
            "--to",
            "pod-identity",
            "--trust",
            path,
            "--issuer",
            ISSUER,
            "--cluster-arn",
            CLUSTER_ARN,
            "--role",
            "aws_iam_role.payments",
        ],
        None,
    );
    let phase3 = out.split("==> phase-3/main.tf <==").nth(1).unwrap();
    // The other role keeps its OIDC statement in phase 3.
    assert!(
        phase3.contains("system:serviceaccount:payments:s3-writer"),
        "{out}"
    );
    assert!(
        !phase3.contains("system:serviceaccount:payments:reporter"),
        "{out}"
    );
    let missing = common::run(
        &[
            "migrate",
            "--to",
            "pod-identity",
            "--trust",
            path,
            "--issuer",
            ISSUER,
            "--role",
            "nope",
        ],
        None,
    );
    assert!(
        missing.contains("MIG061")
            && missing.contains("`aws_iam_role.app`, `aws_iam_role.payments`"),
        "{missing}"
    );
}

/// Role chaining (`--target-role-arn`) from a dump plans what it plans from
/// the bare trust; a file of two roles of this cluster needs `--role`.
#[test]
fn role_chaining_reads_the_one_role_of_a_file() {
    let bare = "tests/fixtures/migrate/cross-account/chained/trust.json";
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let trust: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(root).join(bare)).unwrap())
            .unwrap();
    let dump = serde_json::json!({"Role": {"RoleName": "s3-writer", "Arn": "arn:aws:iam::444455556666:role/s3-writer", "AssumeRolePolicyDocument": trust}});
    let dir = std::env::temp_dir().join(format!("irsa-migiac-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("role.json");
    std::fs::write(&path, dump.to_string()).unwrap();
    let run = |trust: &str, extra: &[&str]| {
        let mut args = vec![
            "migrate",
            "--to",
            "pod-identity",
            "--trust",
            trust,
            "--issuer",
            ISSUER,
            "--cluster-arn",
            CLUSTER_ARN,
            "--target-role-arn",
            "arn:aws:iam::444455556666:role/s3-writer",
        ];
        args.extend(extra);
        common::output(&args, None)
    };
    let (from_bare, from_dump) = (run(bare, &[]), run(path.to_str().unwrap(), &[]));
    assert_eq!(from_bare.status.code(), Some(0), "{from_bare:?}");
    assert_eq!(from_bare.stdout, from_dump.stdout);
    let two = run("tests/fixtures/migrate-from-file/two-roles/main.tf", &[]);
    assert!(
        String::from_utf8_lossy(&two.stderr).contains("MIG061"),
        "{two:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
