//! `irsa-gen migrate --trust ... --target-role-arn ARN` (issue 19): a role of
//! another account than the cluster's, reached by role chaining, both ways.
//! Every folder of `tests/fixtures/migrate/cross-account/` and
//! `cross-account-back/` (`trust.json`, `args`, going back `source-trust.json`;
//! or `spec.yaml`, a spec whose roles are in another account than its
//! cluster, `clusterAccountId`, planned from the trusts it stands for)
//! run through the CLI and snapshotted (every phase file), and the
//! outage-free property of the other migrate tests extended to the chain: at
//! every moment the pods' path admits them: IRSA (this cluster's OIDC
//! statement in the target's trust, through the provider of the target's
//! account) while no association exists, the chain (the source role's trust
//! admits EKS Pod Identity for the ServiceAccount, and the target's trust
//! admits a session of the source role calling sts:AssumeRole and
//! sts:TagSession with EKS's session tags, as core's evaluator decides it,
//! `eval::simulate_session`) once one does, and never another role of the
//! cluster's account nor the source role's name in another account; `check`
//! finds no error in any trust; staging's IRSA admission never changes.
//! tests/node/differential.test.mjs asks the same of an independent IAM
//! engine (@cloud-copilot/iam-simulate).

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::migrate::{check_errors, decision, folders, name, CLUSTER_ARN, ISSUER};

use std::path::{Path, PathBuf};

use irsa_core::aws::POD_IDENTITY_PRINCIPAL;
use irsa_core::check::SourceFile;
use irsa_core::eval::permissions::{simulate_permissions, PermissionsRequest};
use irsa_core::eval::{
    simulate_session, Decision, RoleSession, SimulateRequest, ASSUME_ROLE_ACTION,
    TAG_SESSION_ACTION,
};
use irsa_core::migrate::chain::{plan_chained, ChainRequest};
use irsa_core::migrate::chain_back::plan_chained_back;
use irsa_core::migrate::spec_chain::{chained_trusts, generated_trust};
use irsa_core::migrate::{route, Direction, Plan};
use irsa_core::validate::{load_spec_for, Purpose};
use irsa_core::ValidSpec;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/migrate");
const STAGING: &str =
    "https://oidc.eks.us-west-2.amazonaws.com/id/0F1E2D3C4B5A69788796A5B4C3D2E1F0";
const TARGET_ACCOUNT: &str = "444455556666";

/// The case folders of one direction's fixtures, sorted.
fn cases(folder: &str) -> Vec<PathBuf> {
    folders(&Path::new(FIXTURES).join(folder))
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// The folder's extra arguments, one a line.
fn extra(dir: &Path) -> Vec<String> {
    read(dir, "args").lines().map(str::to_string).collect()
}

fn arg_after(args: &[String], flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).cloned()
}

/// A case of a spec (`spec.yaml`) rather than a trust file.
fn is_spec(dir: &Path) -> bool {
    dir.join("spec.yaml").is_file()
}

/// A spec case's spec, validated as `migrate -f` validates it.
fn spec_of(dir: &Path) -> ValidSpec {
    let v = load_spec_for(&read(dir, "spec.yaml"), None, Purpose::Migrate);
    v.spec
        .unwrap_or_else(|| panic!("{}: {:#?}", dir.display(), v.diagnostics))
}

/// The chain a spec case stands for.
fn spec_request(spec: &ValidSpec) -> (String, String, String) {
    (
        spec.issuers[0].url(),
        spec.cluster_arn().unwrap(),
        spec.bindings[0].role_arn(spec),
    )
}

/// The target's and (going back) the source role's trust before the plan:
/// the case's files, or what a spec case stands for (the trust it generates;
/// going back, the trusts the forward chain leaves).
fn start(folder: &str, dir: &Path) -> (String, Option<String>) {
    let back = folder.ends_with("-back");
    if !is_spec(dir) {
        return (
            read(dir, "trust.json"),
            back.then(|| read(dir, "source-trust.json")),
        );
    }
    let spec = spec_of(dir);
    let b = &spec.bindings[0];
    if !back {
        return (generated_trust(&spec, b).unwrap(), None);
    }
    let (issuer, cluster_arn, target) = spec_request(&spec);
    let req = ChainRequest {
        issuer: &issuer,
        cluster_arn: &cluster_arn,
        target_role_arn: &target,
        source_role_name: None,
    };
    let (target, source) = chained_trusts(&spec, b, &req).unwrap();
    (target, Some(source))
}

fn direction(folder: &str) -> &'static str {
    if folder.ends_with("-back") {
        "irsa"
    } else {
        "pod-identity"
    }
}

/// The CLI's arguments for a case, paths relative to the workspace root.
fn cli_args(folder: &str, dir: &Path) -> Vec<String> {
    let rel = format!("tests/fixtures/migrate/{folder}/{}", name(dir));
    let to = direction(folder);
    if is_spec(dir) {
        return ["migrate", "--to", to, "-f"]
            .iter()
            .map(|s| s.to_string())
            .chain([format!("{rel}/spec.yaml")])
            .collect();
    }
    let mut args: Vec<String> = ["migrate", "--to", to, "--trust"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(format!("{rel}/trust.json"));
    if dir.join("source-trust.json").exists() {
        args.extend([
            "--source-trust".to_string(),
            format!("{rel}/source-trust.json"),
        ]);
    }
    args.extend(["--issuer", ISSUER, "--cluster-arn", CLUSTER_ARN].map(String::from));
    args.extend(extra(dir));
    args
}

#[test]
fn every_chain_fixture_is_snapshotted() {
    for folder in ["cross-account", "cross-account-back"] {
        for dir in cases(folder) {
            let args = cli_args(folder, &dir);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            insta::assert_snapshot!(format!("{folder}_{}", name(&dir)), common::run(&args, None));
        }
    }
}

/// The plan of a case through core, as the CLI makes it.
fn plan_of(folder: &str, dir: &Path) -> Plan {
    if is_spec(dir) {
        let to = if folder.ends_with("-back") {
            Direction::ToIrsa
        } else {
            Direction::ToPodIdentity
        };
        return irsa_core::migrate::plan(&spec_of(dir), to, &[]).unwrap();
    }
    let extra = extra(dir);
    let target = arg_after(&extra, "--target-role-arn").unwrap();
    let source = arg_after(&extra, "--source-role-name");
    let req = ChainRequest {
        issuer: ISSUER,
        cluster_arn: CLUSTER_ARN,
        target_role_arn: &target,
        source_role_name: source.as_deref(),
    };
    if folder.ends_with("-back") {
        plan_chained_back(
            &read(dir, "trust.json"),
            &read(dir, "source-trust.json"),
            &req,
        )
    } else {
        plan_chained(&read(dir, "trust.json"), &req)
    }
}

/// The six session tags EKS Pod Identity passes (the plan keeps them on,
/// MIG040), as a pod of `payments/s3-writer` on cluster prod has them.
const EKS_TAGS: [(&str, &str); 6] = [
    ("eks-cluster-arn", CLUSTER_ARN),
    ("eks-cluster-name", "prod"),
    ("kubernetes-namespace", "payments"),
    ("kubernetes-service-account", "s3-writer"),
    ("kubernetes-pod-name", "s3-writer-7d9f8b6c5-x2x4q"),
    ("kubernetes-pod-uid", "0f6a3c1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b"),
];

/// Core's evaluator on the target's trust: may a session of `role_arn` call
/// sts:AssumeRole and sts:TagSession (with EKS's session tags) on the target?
/// The trust side only; the source role's own policy is the plan's
/// `source-role.permissions.json`.
fn role_decision(trust: &str, role_arn: &str) -> Decision {
    let mut session = RoleSession::of(role_arn);
    for (k, v) in EKS_TAGS {
        session.session_tags.insert(k.into(), v.into());
    }
    simulate_session(trust, &session, Some(TARGET_ACCOUNT))
        .unwrap()
        .evaluation
        .decision
}

/// Core's permissions evaluator on the source role's own policy: may it call
/// `action` on `resource`?
fn caller_side(policy: &str, action: &str, resource: &str) -> Decision {
    let file = SourceFile {
        name: "source-role.permissions.json".into(),
        text: policy.into(),
    };
    let request = PermissionsRequest {
        action: action.into(),
        resource: resource.into(),
        context: Default::default(),
    };
    simulate_permissions(&[file], None, &request)
        .unwrap()
        .decision
}

fn admits_role(trust: &str, role_arn: &str) -> bool {
    role_decision(trust, role_arn) == Decision::Allow
}

/// Roles that must never get in: another role of the cluster's account, the
/// source role's name in another account (the target's own included).
const NEAR_MISSES: [&str; 3] = [
    "arn:aws:iam::111122223333:role/s3-reader-pod-identity",
    "arn:aws:iam::999988887777:role/s3-writer-pod-identity",
    "arn:aws:iam::444455556666:role/s3-writer-pod-identity",
];

/// A plan's trust file of a phase, or `before` when the phase writes none.
fn phase_file(plan: &Plan, number: u8, file: &str) -> Option<String> {
    let path = format!("phase-{number}/{file}");
    plan.files()
        .into_iter()
        .find(|f| f.path == path)
        .map(|f| f.text)
}

fn no_errors(at: &str, name: &str, text: &str) {
    let errors = check_errors(name, text);
    assert!(errors.is_empty(), "{at} {name}: {errors:#?}\n{text}");
}

/// One moment: the target's trust, the source's trust (None: no source
/// role yet), and whether the associations exist (the pods use the chain).
struct Moment {
    label: &'static str,
    target: String,
    source: Option<String>,
    associated: bool,
}

fn moments(folder: &str, dir: &Path, plan: &Plan) -> Vec<Moment> {
    let (start, before_source) = start(folder, dir);
    let phase1 = phase_file(plan, 1, "trust.json").unwrap();
    let phase3 = phase_file(plan, 3, "trust.json").unwrap();
    if folder.ends_with("-back") {
        let source = before_source;
        return vec![
            Moment {
                label: "before",
                target: start,
                source: source.clone(),
                associated: true,
            },
            Moment {
                label: "phase 1",
                target: phase1.clone(),
                source: source.clone(),
                associated: true,
            },
            Moment {
                label: "phase 2",
                target: phase1,
                source: source.clone(),
                associated: false,
            },
            Moment {
                label: "phase 3",
                target: phase3,
                source,
                associated: false,
            },
        ];
    }
    let source = phase_file(plan, 1, "source-role.trust.json");
    vec![
        Moment {
            label: "before",
            target: start,
            source: None,
            associated: false,
        },
        Moment {
            label: "phase 1",
            target: phase1.clone(),
            source: source.clone(),
            associated: false,
        },
        Moment {
            label: "phase 2",
            target: phase1,
            source: source.clone(),
            associated: true,
        },
        Moment {
            label: "phase 3",
            target: phase3,
            source,
            associated: true,
        },
    ]
}

#[test]
fn every_moment_of_a_chain_admits_the_pod() {
    let target_arn = format!("arn:aws:iam::{TARGET_ACCOUNT}:role/s3-writer");
    let source_arn = "arn:aws:iam::111122223333:role/s3-writer-pod-identity";
    let (mut planned, mut checked, mut near_misses, mut caller_sides) = (0, 0, 0, 0);
    for folder in ["cross-account", "cross-account-back"] {
        for dir in cases(folder) {
            let plan = plan_of(folder, &dir);
            let at = format!("{folder}/{}", name(&dir));
            if plan.phases.is_empty() {
                assert!(plan.diagnostics.iter().any(|d| d.is_error()), "{at}");
                continue;
            }
            let irsa = SimulateRequest {
                namespace: "payments".into(),
                service_account: "s3-writer".into(),
                issuer: Some(ISSUER.into()),
                role_arn: Some(target_arn.clone()),
                ..SimulateRequest::default()
            };
            let staging = SimulateRequest {
                issuer: Some(STAGING.into()),
                ..irsa.clone()
            };
            let mut pod_identity = SimulateRequest {
                namespace: "payments".into(),
                service_account: "s3-writer".into(),
                account: Some("111122223333".into()),
                ..SimulateRequest::default()
            };
            pod_identity.context.insert(
                "aws:RequestTag/eks-cluster-arn".into(),
                vec![CLUSTER_ARN.into()],
            );
            let (hp, staging_hp) = (&ISSUER[8..], &STAGING[8..]);
            let before = start(folder, &dir).0;
            for m in moments(folder, &dir, &plan) {
                let at = format!("{at} {}", m.label);
                let oidc = decision(&m.target, &irsa, hp) == Decision::Allow;
                let chain = m.source.as_deref().is_some_and(|s| {
                    decision(s, &pod_identity, POD_IDENTITY_PRINCIPAL) == Decision::Allow
                }) && admits_role(&m.target, source_arn);
                if m.associated {
                    assert!(
                        chain,
                        "{at}: the chain does not admit the pod\n{}",
                        m.target
                    );
                } else {
                    assert!(oidc, "{at}: IRSA does not admit the pod\n{}", m.target);
                }
                // Phases 1 and 2 keep both paths, so each rollback works.
                if m.label == "phase 1" || m.label == "phase 2" {
                    assert!(
                        oidc && chain,
                        "{at}: both paths must stay ({oidc}, {chain})"
                    );
                }
                assert_eq!(
                    decision(&m.target, &staging, staging_hp),
                    decision(&before, &staging, staging_hp),
                    "{at}: staging's admission changed"
                );
                for miss in NEAR_MISSES {
                    assert_eq!(
                        role_decision(&m.target, miss),
                        Decision::Deny,
                        "{at}: {miss} is admitted\n{}",
                        m.target
                    );
                    near_misses += 1;
                }
                no_errors(&at, "target.trust.json", &m.target);
                if let Some(s) = &m.source {
                    no_errors(&at, "source.trust.json", s);
                }
                checked += 1;
            }
            // Near misses: the chain is not admitted by a trust that lacks
            // the statement, nor for another cluster's pods.
            if !folder.ends_with("-back") {
                assert!(
                    !admits_role(&before, source_arn),
                    "{at}: before admits the source"
                );
            }
            let source = moments(folder, &dir, &plan).pop().unwrap().source.unwrap();
            let mut other = pod_identity.clone();
            other.context.insert(
                "aws:RequestTag/eks-cluster-arn".into(),
                vec!["arn:aws:eks:us-west-2:111122223333:cluster/other".into()],
            );
            assert_eq!(
                decision(&source, &other, POD_IDENTITY_PRINCIPAL),
                Decision::Deny,
                "{at}"
            );
            // The caller's side, which the trust's evaluation leaves to a
            // note: going to Pod Identity the plan makes the source role's
            // permissions, and they allow both actions on the target only.
            if let Some(perms) = phase_file(&plan, 1, "source-role.permissions.json") {
                for action in [ASSUME_ROLE_ACTION, TAG_SESSION_ACTION] {
                    assert_eq!(
                        caller_side(&perms, action, &target_arn),
                        Decision::Allow,
                        "{at} {action}"
                    );
                    let other = "arn:aws:iam::444455556666:role/s3-admin";
                    assert_eq!(
                        caller_side(&perms, action, other),
                        Decision::Deny,
                        "{at} {action}"
                    );
                }
                caller_sides += 1;
            }
            let last = moments(folder, &dir, &plan).pop().unwrap();
            let end_oidc = decision(&last.target, &irsa, hp);
            // To Pod Identity phase 3 removes this cluster's OIDC statement; going back it stays.
            let want = if folder.ends_with("-back") {
                Decision::Allow
            } else {
                Decision::Deny
            };
            assert_eq!(end_oidc, want, "{at} phase 3 IRSA");
            planned += 1;
        }
    }
    // cross-account/chained and from-spec, cross-account-back/chained and
    // from-spec (the others are blocked), four moments each.
    assert_eq!(
        (planned, checked, near_misses, caller_sides),
        (4, 16, 48, 2)
    );
}

/// The chain's codes, each with a trigger and a near miss among the fixtures.
#[test]
fn chain_codes_have_a_trigger_and_a_near_miss() {
    let mut reported: Vec<Vec<String>> = Vec::new();
    for folder in ["cross-account", "cross-account-back"] {
        for dir in cases(folder) {
            let plan = plan_of(folder, &dir);
            reported.push(plan.diagnostics.iter().map(|d| d.code.clone()).collect());
        }
    }
    common::migrate::each_code_triggered_and_missed(
        &reported,
        &["MIG034", "MIG035", "MIG036", "MIG037"],
    );
}

/// The source role's name: derived, or the one given; going back without
/// `--source-trust` is a usage error.
#[test]
fn the_source_role_is_named_or_derived_and_going_back_needs_its_trust() {
    let dir = Path::new(FIXTURES).join("cross-account/chained");
    let req = |source| ChainRequest {
        issuer: ISSUER,
        cluster_arn: CLUSTER_ARN,
        target_role_arn: "arn:aws:iam::444455556666:role/s3-writer",
        source_role_name: source,
    };
    let named = plan_chained(&read(&dir, "trust.json"), &req(Some("prod-s3")));
    let files = named.files();
    let p2 = files.iter().find(|f| f.path == "phase-2/apply.sh").unwrap();
    assert!(
        p2.text
            .contains("--role-arn=arn:aws:iam::111122223333:role/prod-s3"),
        "{}",
        p2.text
    );
    assert!(p2
        .text
        .contains("--target-role-arn=arn:aws:iam::444455556666:role/s3-writer"));
    let bad = plan_chained(&read(&dir, "trust.json"), &req(Some("no spaces allowed")));
    assert!(bad.phases.is_empty() && bad.diagnostics[0].code == "MIG035");
    let out = common::output(
        &[
            "migrate",
            "--to",
            "irsa",
            "--trust",
            "tests/fixtures/migrate/cross-account-back/chained/trust.json",
            "--issuer",
            ISSUER,
            "--cluster-arn",
            CLUSTER_ARN,
            "--target-role-arn",
            "arn:aws:iam::444455556666:role/s3-writer",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--source-trust"));
}

/// Stand-ins for `aws` and `kubectl`: each call's profile and words,
/// NUL-separated, one record (`\x1e`) per call; `EXISTS=1` makes the
/// source role, provider and association exist, the role tagged as irsa-gen's
/// unless `FOREIGN=1` (someone else's role of that name).
const STUBS: &str = r#"
record() { printf '%s\0' "${AWS_PROFILE:-}" "$@" >> "$LOG"; printf '\036' >> "$LOG"; }
aws() {
  record aws "$@"
  case "$2" in
    get-role|get-open-id-connect-provider) [ "$EXISTS" = 1 ] || return 1 ;;
    list-role-tags) if [ "$EXISTS" = 1 ] && [ "${FOREIGN:-0}" = 0 ]; then printf 'team\tirsa-gen:managed\n'; fi ;;
    list-pod-identity-associations) if [ "$EXISTS" = 1 ]; then echo a-0123456789; else echo None; fi ;;
  esac
  return 0
}
kubectl() { AWS_PROFILE= record kubectl "$@"; return 0; }
export -f record aws kubectl
"#;

/// Runs a phase script with the stubs and both profiles set: its success, and the calls.
fn run_script(script: &str, exists: bool) -> (bool, Vec<Vec<String>>) {
    run_script_with(script, exists, false)
}

/// [`run_script`], the existing source role someone else's when `foreign`.
fn run_script_with(script: &str, exists: bool, foreign: bool) -> (bool, Vec<Vec<String>>) {
    let flag = |on: bool| if on { "1" } else { "0" };
    let env = [
        ("EXISTS", flag(exists)),
        ("FOREIGN", flag(foreign)),
        ("CLUSTER_PROFILE", "cluster-account"),
        ("TARGET_PROFILE", "target-account"),
    ];
    common::run_stubbed(STUBS, script, &env)
}

/// Which profile an AWS call must use: EKS and the source role
/// (`s3-writer-pod-identity`, its policy `assume-s3-writer`) are the
/// cluster's account's; the target role `s3-writer` and its account's OIDC
/// provider the target's.
fn account_of(call: &[String]) -> &'static str {
    let source = call.iter().any(|a| a == "s3-writer-pod-identity");
    if call[2] == "eks" || source {
        "cluster-account"
    } else {
        "target-account"
    }
}

/// Every phase script of both chained plans runs (with and without what it
/// creates existing); the target role's trust is set in the target's
/// account to the phase's file verbatim (the rollback to the one before),
/// every EKS call is made in the cluster's account, and a script without
/// the profiles stops before any call.
#[test]
fn chain_scripts_run_in_the_right_accounts_and_set_the_trusts_verbatim() {
    let mut runs = 0;
    for (folder, case) in [
        ("cross-account", "chained"),
        ("cross-account-back", "chained"),
        ("cross-account", "from-spec"),
        ("cross-account-back", "from-spec"),
    ] {
        let dir = Path::new(FIXTURES).join(folder).join(case);
        let plan = plan_of(folder, &dir);
        let ms = moments(folder, &dir, &plan);
        for p in &plan.phases {
            let n = usize::from(p.number);
            for (file, want) in [
                ("apply.sh", &ms[n].target),
                ("rollback.sh", &ms[n - 1].target),
            ] {
                let script = phase_file(&plan, p.number, file).unwrap();
                for exists in [false, true] {
                    let at = format!("{folder} phase {} {file} exists={exists}", p.number);
                    let (ok, calls) = run_script(&script, exists);
                    assert!(ok, "{at}");
                    for c in calls.iter().filter(|c| c[1] == "aws") {
                        let want_profile = account_of(c);
                        assert_eq!(c[0], want_profile, "{at}: {c:?}");
                    }
                    let sets: Vec<&Vec<String>> = calls
                        .iter()
                        .filter(|c| c.get(3).is_some_and(|v| v == "update-assume-role-policy"))
                        .filter(|c| c.iter().any(|a| a == "s3-writer"))
                        .collect();
                    // A phase that changes the target's trust sets it once, verbatim.
                    if ms[n].target != ms[n - 1].target {
                        assert_eq!(sets.len(), 1, "{at}");
                        let doc = sets[0].last().unwrap();
                        assert_eq!(
                            serde_json::from_str::<Value>(doc).unwrap(),
                            serde_json::from_str::<Value>(want).unwrap(),
                            "{at}"
                        );
                    }
                    runs += 1;
                }
            }
        }
        // Without the profiles nothing runs.
        let script = phase_file(&plan, 1, "apply.sh").unwrap();
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("{STUBS}\nbash \"$0\""))
            .arg("/dev/stdin")
            .env("LOG", "/dev/null")
            .env_remove("CLUSTER_PROFILE")
            .env_remove("TARGET_PROFILE")
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(script.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        assert!(!out.status.success(), "{folder}: ran without profiles");
        assert!(String::from_utf8_lossy(&out.stderr).contains("a profile of account"));
    }
    // Four plans, three phases, two scripts, two states.
    assert_eq!(runs, 48);
}

/// A source role of the chosen name that irsa-gen did not create (no
/// irsa-gen:managed tag) is never rewritten by phase 1 nor deleted by its
/// rollback; near miss: the tagged one is created, then deleted.
#[test]
fn a_source_role_irsa_gen_did_not_make_is_neither_rewritten_nor_deleted() {
    let dir = Path::new(FIXTURES).join("cross-account").join("chained");
    let plan = plan_of("cross-account", &dir);
    let apply = phase_file(&plan, 1, "apply.sh").unwrap();
    let undo = phase_file(&plan, 1, "rollback.sh").unwrap();
    let touches_source = |calls: &[Vec<String>], verbs: &[&str]| {
        calls.iter().any(|c| {
            c.get(3).is_some_and(|v| verbs.contains(&v.as_str()))
                && c.iter().any(|a| a == "s3-writer-pod-identity")
        })
    };
    let writes = [
        "create-role",
        "update-assume-role-policy",
        "put-role-policy",
    ];
    let deletes = ["delete-role", "delete-role-policy"];

    let (ok, calls) = run_script_with(&apply, true, true);
    assert!(!ok, "phase 1 went on over someone else's role");
    assert!(!touches_source(&calls, &writes), "{calls:?}");
    let (ok, calls) = run_script_with(&undo, true, true);
    assert!(ok);
    assert!(!touches_source(&calls, &deletes), "{calls:?}");

    let (ok, calls) = run_script_with(&apply, false, false);
    assert!(ok);
    let create = calls
        .iter()
        .find(|c| c.get(3).is_some_and(|v| v == "create-role"))
        .expect("the source role is created");
    assert!(
        create.iter().any(|a| a.contains("irsa-gen:managed")),
        "{create:?}"
    );
    let (ok, calls) = run_script_with(&undo, true, false);
    assert!(ok);
    assert!(touches_source(&calls, &deletes), "{calls:?}");
}

/// A spec whose role is in another account than its cluster plans, either
/// way, byte for byte what `migrate --trust` plans from the trusts the spec
/// stands for (the trust route's files), through the same route the CLI
/// and `migrateTrust` take.
#[test]
fn a_spec_across_accounts_plans_the_trust_routes_files() {
    for folder in ["cross-account", "cross-account-back"] {
        let dir = Path::new(FIXTURES).join(folder).join("from-spec");
        let plan = plan_of(folder, &dir);
        assert!(!plan.phases.is_empty(), "{folder}: {:#?}", plan.diagnostics);
        let spec = spec_of(&dir);
        let (issuer, cluster_arn, target) = spec_request(&spec);
        assert_eq!(
            cluster_arn, CLUSTER_ARN,
            "the cluster's ARN is clusterAccountId's"
        );
        let (trust, source) = start(folder, &dir);
        let back = folder.ends_with("-back");
        let req = route::TrustRequest {
            direction: if back {
                Direction::ToIrsa
            } else {
                Direction::ToPodIdentity
            },
            issuer: &issuer,
            cluster_arn: Some(&cluster_arn),
            role: None,
            target_role_arn: Some(&target),
            source_role_name: None,
            source_trust: source.as_deref().map(|text| route::Input {
                name: "source-trust.json",
                text,
            }),
        };
        let input = route::Input {
            name: "trust.json",
            text: &trust,
        };
        let routed = route::plan(input, &req).unwrap();
        // The phase files; PLAN.md lists the spec's findings beside the chain's.
        let phase_files = |files: Vec<irsa_core::migrate::PlanFile>| {
            files
                .into_iter()
                .filter(|f| f.path != "PLAN.md")
                .map(|f| (f.path, f.text))
                .collect::<Vec<_>>()
        };
        let (ours, theirs) = (phase_files(plan.files()), phase_files(routed.files));
        assert_eq!(ours.len(), if back { 8 } else { 10 }, "{folder}");
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a, b, "{folder}");
        }
        assert_eq!(ours.len(), theirs.len(), "{folder}");
        // Near miss: the same spec with its cluster in the role's account
        // takes the one-account route (no source role, no profiles).
        let mut one = spec.clone();
        one.cluster_account_id = one.account_id.clone();
        let to = req.direction;
        let same = irsa_core::migrate::plan(&one, to, &[]).unwrap();
        assert!(
            !same
                .files()
                .iter()
                .any(|f| f.text.contains("TARGET_PROFILE")),
            "{folder}"
        );
    }
}
