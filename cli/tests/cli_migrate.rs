//! `irsa-gen migrate` (issue 19): every folder of `tests/fixtures/migrate/`
//! (`spec.yaml`, `to`, optional `workloads.yaml`) run through the CLI and
//! snapshotted, and the property that makes a migration outage-free: in
//! every phase, the role's trust checked with the ServiceAccount has no
//! error, and the path the pods use then (IRSA, or Pod Identity once an
//! association exists) is admitted by core's evaluator.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::migrate::{check_errors, decision, name, CLUSTER_ARN, ISSUER};

use std::path::{Path, PathBuf};

use irsa_core::aws::POD_IDENTITY_PRINCIPAL;
use irsa_core::check::{check, CheckOptions, SourceFile};
use irsa_core::documents::Documents;
use irsa_core::eval::{Decision, SimulateRequest};
use irsa_core::migrate::codes::MIG_CODES;
use irsa_core::migrate::{self, workloads, Direction, Plan};
use irsa_core::model::Binding;
use irsa_core::ValidSpec;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/migrate");

/// Every fixture folder, sorted.
fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("spec.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn to(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("to"))
        .unwrap()
        .trim()
        .to_string()
}

/// The CLI's arguments for a fixture, paths relative to the workspace root.
fn args(dir: &Path) -> Vec<String> {
    let rel = format!("tests/fixtures/migrate/{}", name(dir));
    let mut args = vec![
        "migrate".into(),
        "--to".into(),
        to(dir),
        "-f".into(),
        format!("{rel}/spec.yaml"),
    ];
    if dir.join("workloads.yaml").exists() {
        args.push(format!("{rel}/workloads.yaml"));
    }
    args
}

#[test]
fn every_fixture_is_snapshotted() {
    for dir in cases() {
        let args = args(&dir);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        insta::assert_snapshot!(format!("migrate_{}", name(&dir)), common::run(&args, None));
    }
}

/// The plan of a fixture, through core as the CLI makes it.
fn plan_of(dir: &Path) -> (Named, Plan) {
    let text = std::fs::read_to_string(dir.join("spec.yaml")).unwrap();
    let spec = irsa_core::validate::load_spec(&text, Some("spec.yaml"))
        .spec
        .unwrap();
    let found = match std::fs::read_to_string(dir.join("workloads.yaml")) {
        Ok(t) => workloads::read("workloads.yaml", &t).unwrap(),
        Err(_) => Vec::new(),
    };
    let direction = if to(dir) == "irsa" {
        Direction::ToIrsa
    } else {
        Direction::ToPodIdentity
    };
    let plan = migrate::plan(&spec, direction, &found).unwrap();
    // The ServiceAccounts a pattern stands for among the files given, as the
    // plan's are (a binding's trust keeps its pattern).
    let named = spec
        .bindings
        .iter()
        .map(|b| {
            let mut n = b.clone();
            if let Some(names) = migrate::blockers::named(b, &found) {
                n.service_accounts = names;
            }
            n
        })
        .collect();
    (Named { spec, named }, plan)
}

/// A fixture's spec, and each binding with its ServiceAccounts named.
struct Named {
    spec: ValidSpec,
    named: Vec<Binding>,
}

impl std::ops::Deref for Named {
    type Target = ValidSpec;
    fn deref(&self) -> &ValidSpec {
        &self.spec
    }
}

/// One role at one moment: its trust, its ServiceAccounts, and whether the
/// associations exist (then new pods use Pod Identity: the webhook gives an
/// association precedence over the annotation).
struct Moment {
    label: String,
    trust: String,
    service_accounts: String,
    associated: bool,
}

/// The role's moments: before the plan, then after each phase.
fn moments(spec: &Named, plan: &Plan, i: usize) -> Vec<Moment> {
    let (b, named) = (&spec.bindings[i], &spec.named[i]);
    let d = Documents::of(spec, b);
    let sas = Documents::of(spec, named).service_accounts;
    let back = plan.direction == Direction::ToIrsa;
    let mut out = vec![Moment {
        label: "before".into(),
        trust: serde_json::to_string_pretty(&d.trust).unwrap(),
        service_accounts: migrate::scripts::yaml_text(&sas).unwrap(),
        associated: back,
    }];
    for p in &plan.phases {
        let file = |suffix: &str| {
            let path = format!("phase-{}/{}.{suffix}", p.number, b.role_name);
            p.files
                .iter()
                .find(|f| f.path == path)
                .unwrap()
                .text
                .clone()
        };
        out.push(Moment {
            label: format!("phase {}", p.number),
            trust: file("trust.json"),
            service_accounts: file("serviceaccount.yaml"),
            // Created in phase 2 going to Pod Identity, deleted in phase 2 going back.
            associated: (p.number >= 2) != back,
        });
    }
    out
}

#[test]
fn every_phase_admits_the_service_account() {
    let mut moments_checked = 0;
    for dir in cases() {
        let (spec, plan) = plan_of(&dir);
        if plan.phases.is_empty() {
            continue;
        }
        let cluster_arn = spec.cluster_arn().unwrap();
        for (i, b) in spec.named.iter().enumerate() {
            for m in moments(&spec, &plan, i) {
                let at = format!("{} {} {}", name(&dir), b.role_name, m.label);
                let files = [
                    SourceFile {
                        name: "trust.json".into(),
                        text: m.trust.clone(),
                    },
                    SourceFile {
                        name: "serviceaccount.yaml".into(),
                        text: m.service_accounts.clone(),
                    },
                ];
                let errors: Vec<_> = check(&files, &CheckOptions::default())
                    .into_iter()
                    .filter(|d| d.is_error())
                    .collect();
                assert!(errors.is_empty(), "{at}: {errors:#?}\n{}", m.trust);
                let annotated = m.service_accounts.contains("eks.amazonaws.com/role-arn");
                for sa in b.named_service_accounts() {
                    let mut request = SimulateRequest {
                        namespace: b.namespace.clone(),
                        service_account: sa.into(),
                        account: Some(spec.account_id.clone()),
                        ..SimulateRequest::default()
                    };
                    let (path, provider) = if m.associated {
                        request.context.insert(
                            "aws:RequestTag/eks-cluster-arn".into(),
                            vec![cluster_arn.clone()],
                        );
                        ("Pod Identity", POD_IDENTITY_PRINCIPAL.to_string())
                    } else {
                        assert!(
                            annotated,
                            "{at}: no association and no annotation: the pods get no credentials"
                        );
                        request.issuer = Some(spec.issuers[0].url());
                        ("IRSA", spec.issuers[0].host_path.clone())
                    };
                    assert_eq!(
                        decision(&m.trust, &request, &provider),
                        Decision::Allow,
                        "{at}: {sa} through {path}\n{}",
                        m.trust
                    );
                    // Other clusters' pods keep their IRSA access in every phase.
                    for other in spec.issuers.iter().skip(1) {
                        let r = SimulateRequest {
                            issuer: Some(other.url()),
                            context: Default::default(),
                            ..request.clone()
                        };
                        assert_eq!(
                            decision(&m.trust, &r, &other.host_path),
                            Decision::Allow,
                            "{at}: {} lost",
                            other.host_path
                        );
                    }
                }
                moments_checked += 1;
            }
        }
    }
    // Eleven plans (single-cluster and back, shared and back, mid-migration,
    // host-network, pattern near miss, pattern with names and back,
    // Fargate back: one role each; addon-role: two roles; the other seven
    // are blocked), four moments per role.
    assert_eq!(moments_checked, 48);
}

/// Near misses of the property: the old path really is gone after phase 3.
#[test]
fn phase_3_removes_only_the_old_path_of_this_cluster() {
    for case in [
        "single-cluster",
        "shared-two-clusters",
        "shared-two-clusters-back",
        "single-cluster-back",
    ] {
        let (spec, plan) = plan_of(&Path::new(FIXTURES).join(case));
        let b = &spec.named[0];
        let end = moments(&spec, &plan, 0).pop().unwrap();
        let sa = b.named_service_accounts().next().unwrap();
        let base = SimulateRequest {
            namespace: b.namespace.clone(),
            service_account: sa.into(),
            account: Some(spec.account_id.clone()),
            ..SimulateRequest::default()
        };
        let irsa = SimulateRequest {
            issuer: Some(spec.issuers[0].url()),
            ..base.clone()
        };
        let mut pi = base;
        pi.context.insert(
            "aws:RequestTag/eks-cluster-arn".into(),
            vec![spec.cluster_arn().unwrap()],
        );
        let (irsa_d, pi_d) = (
            decision(&end.trust, &irsa, &spec.issuers[0].host_path),
            decision(&end.trust, &pi, POD_IDENTITY_PRINCIPAL),
        );
        match (plan.direction, case) {
            (Direction::ToPodIdentity, _) => {
                assert_eq!((irsa_d, pi_d), (Decision::Deny, Decision::Allow), "{case}")
            }
            // An unscoped Pod Identity statement may serve other clusters: kept (MIG031).
            (Direction::ToIrsa, "single-cluster-back") => {
                assert_eq!((irsa_d, pi_d), (Decision::Allow, Decision::Allow), "{case}")
            }
            (Direction::ToIrsa, _) => {
                assert_eq!((irsa_d, pi_d), (Decision::Allow, Decision::Deny), "{case}")
            }
        }
    }
}

/// Every MIG code has a fixture that reports it and one that does not (for
/// the notes every move in one direction gets, MIG040 and MIG050, a move
/// the other way).
#[test]
fn every_code_has_a_trigger_and_a_near_miss() {
    let reported: Vec<(Direction, Vec<String>)> = cases()
        .iter()
        .map(|dir| {
            let (_, plan) = plan_of(dir);
            (
                plan.direction,
                plan.diagnostics.iter().map(|d| d.code.clone()).collect(),
            )
        })
        .collect();
    // MIG003, MIG022 and MIG032 to MIG037 are findings of a trust file
    // (`--trust`): their fixtures are the trust fixtures' (below,
    // cli_migrate_trust.rs and cli_migrate_chain.rs); MIG060 to MIG062 of a
    // Terraform, CloudFormation or dump file (cli_migrate_iac.rs).
    for rule in MIG_CODES.iter().filter(|r| {
        ![
            "MIG003", "MIG022", "MIG032", "MIG033", "MIG034", "MIG035", "MIG036", "MIG037",
            "MIG060", "MIG061", "MIG062",
        ]
        .contains(&r.code)
    }) {
        let trigger = reported
            .iter()
            .find(|(_, codes)| codes.iter().any(|c| c == rule.code));
        assert!(
            trigger.is_some(),
            "{} has no fixture that reports it",
            rule.code
        );
        let near_miss = reported
            .iter()
            .any(|(_, codes)| !codes.iter().any(|c| c == rule.code));
        assert!(near_miss, "{} has no near miss", rule.code);
    }
}

#[test]
fn output_dir_holds_the_plan_with_executable_scripts() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("irsa-cli-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_string_lossy().into_owned();
    let spec = "tests/fixtures/migrate/single-cluster/spec.yaml";
    for _ in 0..2 {
        // The second run rewrites the same files: the manifest says they are the tool's.
        let o = common::output(
            &[
                "migrate",
                "--to",
                "pod-identity",
                "-f",
                spec,
                "--output-dir",
                &out,
            ],
            None,
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let mode = |p: &str| std::fs::metadata(dir.join(p)).unwrap().permissions().mode() & 0o111;
    assert_ne!(mode("phase-2/apply.sh"), 0);
    assert_eq!(mode("phase-2/prod-payments-s3-writer.trust.json"), 0);
    assert!(dir.join("PLAN.md").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `identityType: both` from every fixture's spec: every format `check`
/// reads, checked together, has nothing above a note (what the property test
/// of `generate` holds for the other types), and the trust admits each named
/// ServiceAccount through IRSA and through Pod Identity.
#[test]
fn both_bundles_check_clean_and_admit_both_paths() {
    let mut bundles = 0;
    for dir in cases() {
        let text = std::fs::read_to_string(dir.join("spec.yaml")).unwrap();
        let mut spec = irsa_core::validate::load_spec(&text, None).spec.unwrap();
        if spec.cluster_name.is_none() || spec.issuers.is_empty() {
            continue;
        }
        spec.identity_type = irsa_core::IdentityType::Both;
        let bundle = irsa_core::generate(&spec).unwrap();
        let files: Vec<SourceFile> = bundle
            .bindings
            .iter()
            .flat_map(|b| {
                b.artefacts
                    .iter()
                    .filter(|a| a.kind.format() != irsa_core::Format::Shell)
                    .map(move |a| SourceFile {
                        name: format!("{}/{}", b.dir, a.file),
                        text: a.text.clone(),
                    })
            })
            .collect();
        let loud: Vec<_> = check(&files, &CheckOptions::default())
            .into_iter()
            // IRSA007 is a namespace pattern's own warning. IRSA508 (annotation
            // beside an association of another role) is said only across
            // formats: serviceaccount.yaml's literal ARN against main.tf's
            // `aws_iam_role.X.arn`, which check cannot tell are one role;
            // each format alone is held to silence below.
            .filter(|d| {
                d.severity != irsa_core::Severity::Info
                    && !["IRSA007", "IRSA508"].contains(&d.code.as_str())
            })
            .collect();
        assert!(loud.is_empty(), "{}: {loud:#?}", name(&dir));
        for f in &files {
            let alone = check(std::slice::from_ref(f), &CheckOptions::default());
            let said: Vec<_> = alone.iter().filter(|d| d.code == "IRSA508").collect();
            assert!(said.is_empty(), "{} {}: {said:#?}", name(&dir), f.name);
        }
        for b in &spec.bindings {
            let trust = serde_json::to_string(&Documents::of(&spec, b).trust).unwrap();
            for sa in b.named_service_accounts() {
                let mut request = SimulateRequest {
                    namespace: b.namespace.clone(),
                    service_account: sa.into(),
                    account: Some(spec.account_id.clone()),
                    ..SimulateRequest::default()
                };
                request.context.insert(
                    "aws:RequestTag/eks-cluster-arn".into(),
                    vec![spec.cluster_arn().unwrap()],
                );
                assert_eq!(
                    decision(&trust, &request, POD_IDENTITY_PRINCIPAL),
                    Decision::Allow,
                    "{}",
                    name(&dir)
                );
                for issuer in &spec.issuers {
                    let r = SimulateRequest {
                        issuer: Some(issuer.url()),
                        ..request.clone()
                    };
                    assert_eq!(
                        decision(&trust, &r, &issuer.host_path),
                        Decision::Allow,
                        "{}",
                        name(&dir)
                    );
                }
                // Near miss: another cluster's association does not get in.
                request.context.insert(
                    "aws:RequestTag/eks-cluster-arn".into(),
                    vec!["arn:aws:eks:us-west-2:111122223333:cluster/other".into()],
                );
                assert_eq!(
                    decision(&trust, &request, POD_IDENTITY_PRINCIPAL),
                    Decision::Deny,
                    "{}",
                    name(&dir)
                );
            }
        }
        bundles += 1;
    }
    assert_eq!(bundles, 17);
}

/// Stand-ins for `aws` and `kubectl`: each call's words, NUL-separated, one
/// record (`\x1e`) per call. `EXISTS=1` makes the add-on, provider and
/// association exist; `kubectl get` prints `$ENV_NAMES`, the variable names
/// the verification pod would have.
const STUBS: &str = r#"
record() { printf '%s\0' "$@" >> "$LOG"; printf '\036' >> "$LOG"; }
aws() {
  record aws "$@"
  case "$2" in
    describe-addon|get-open-id-connect-provider) [ "$EXISTS" = 1 ] || return 1 ;;
    list-pod-identity-associations) if [ "$EXISTS" = 1 ]; then echo a-0123456789; else echo None; fi ;;
  esac
  return 0
}
kubectl() {
  record kubectl "$@"
  if [ "$1" = apply ]; then cat >/dev/null; fi
  if [ "$1" = get ]; then echo "$ENV_NAMES"; fi
  return 0
}
export -f record aws kubectl
"#;

/// Runs a phase script with the stubs: its success, and the calls.
fn run_script(script: &str, exists: bool, env_names: &str) -> (bool, Vec<Vec<String>>) {
    let exists = if exists { "1" } else { "0" };
    common::run_stubbed(
        STUBS,
        script,
        &[("EXISTS", exists), ("ENV_NAMES", env_names)],
    )
}

/// Every phase's apply.sh and rollback.sh run (with and without what they
/// create existing): each sets every role's trust to the phase's file (the
/// rollback to the one before), verbatim; a verification pod without the
/// new path's variable stops the script before any workload restarts.
#[test]
fn phase_scripts_run_and_set_the_phase_trusts_verbatim() {
    let all = "AWS_REGION AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_WEB_IDENTITY_TOKEN_FILE";
    let mut runs = 0;
    for dir in cases() {
        let (spec, plan) = plan_of(&dir);
        for i in 0..spec.bindings.len() {
            let moments = moments(&spec, &plan, i);
            let role = spec.bindings[i].role_name.as_str();
            for (i, p) in plan.phases.iter().enumerate() {
                let script = |file: &str| {
                    let path = format!("phase-{}/{file}", p.number);
                    p.files
                        .iter()
                        .find(|f| f.path == path)
                        .unwrap()
                        .text
                        .clone()
                };
                for (file, want) in [("apply.sh", &moments[i + 1]), ("rollback.sh", &moments[i])] {
                    for exists in [false, true] {
                        let (ok, calls) = run_script(&script(file), exists, all);
                        assert!(ok, "{} phase {} {file}", name(&dir), p.number);
                        let trust_sets: Vec<&Vec<String>> = calls
                            .iter()
                            .filter(|c| c.get(2).is_some_and(|v| v == "update-assume-role-policy"))
                            // This binding's role (a script sets every role's trust).
                            .filter(|c| {
                                c.iter()
                                    .position(|a| a == "--role-name")
                                    .is_some_and(|n| c.get(n + 1).is_some_and(|r| r == role))
                            })
                            .collect();
                        for call in &trust_sets {
                            let doc =
                                call.iter().position(|a| a == "--policy-document").unwrap() + 1;
                            let got: serde_json::Value = serde_json::from_str(&call[doc]).unwrap();
                            let want: serde_json::Value =
                                serde_json::from_str(&want.trust).unwrap();
                            assert_eq!(got, want, "{} phase {} {file}", name(&dir), p.number);
                        }
                        // Phase 2 changes no trust; the others set each role's.
                        assert_eq!(
                            trust_sets.len(),
                            usize::from(p.number != 2),
                            "{} {file}",
                            name(&dir)
                        );
                        runs += 1;
                    }
                }
            }
        }
    }
    // Twelve roles planned (eleven plans), three phases, two scripts, with and without.
    assert_eq!(runs, 12 * 3 * 2 * 2);
    // Near miss: the verification pod got no Pod Identity variable: phase 2 stops, nothing restarts.
    let (_, plan) = plan_of(&Path::new(FIXTURES).join("single-cluster"));
    let apply = &plan.phases[1].files[0];
    assert_eq!(apply.path, "phase-2/apply.sh");
    let (ok, calls) = run_script(&apply.text, false, "AWS_REGION AWS_WEB_IDENTITY_TOKEN_FILE");
    assert!(!ok);
    assert!(
        !calls
            .iter()
            .any(|c| c.get(1).is_some_and(|v| v == "rollout")),
        "{calls:?}"
    );
}

/// The folders of `tests/fixtures/migrate/from-trust/` (a `trust.json` each), sorted.
fn trust_cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new(FIXTURES).join("from-trust"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

/// `migrate --trust`: every trust fixture snapshotted; the plan from each
/// admits prod's `payments/s3-writer` through IRSA and Pod Identity in
/// phase 1, through Pod Identity only in phase 3, and every other cluster's
/// admission is what it was.
#[test]
fn from_trust_plans_keep_other_clusters_and_admit_both_paths() {
    let mut planned = 0;
    for dir in trust_cases() {
        let trust = format!(
            "tests/fixtures/migrate/from-trust/{}/trust.json",
            name(&dir)
        );
        let args = [
            "migrate",
            "--to",
            "pod-identity",
            "--trust",
            &trust,
            "--issuer",
            ISSUER,
            "--cluster-arn",
            CLUSTER_ARN,
        ];
        insta::assert_snapshot!(
            format!("from_trust_{}", name(&dir)),
            common::run(&args, None)
        );
        let text = std::fs::read_to_string(dir.join("trust.json")).unwrap();
        let plan = migrate::from_trust::plan_trust(&text, ISSUER, Some(CLUSTER_ARN));
        let (Some(both), Some(end)) = (&plan.both, &plan.end) else {
            assert!(
                plan.diagnostics.iter().any(|d| d.is_error()),
                "{}",
                name(&dir)
            );
            continue;
        };
        let mut request = SimulateRequest {
            namespace: "payments".into(),
            service_account: "s3-writer".into(),
            account: Some("111122223333".into()),
            ..SimulateRequest::default()
        };
        request.context.insert(
            "aws:RequestTag/eks-cluster-arn".into(),
            vec![CLUSTER_ARN.into()],
        );
        let hp = ISSUER.trim_start_matches("https://");
        let irsa = SimulateRequest {
            issuer: Some(ISSUER.into()),
            ..request.clone()
        };
        let at = name(&dir);
        assert_eq!(
            decision(both, &irsa, hp),
            Decision::Allow,
            "{at} phase 1 IRSA"
        );
        assert_eq!(
            decision(both, &request, POD_IDENTITY_PRINCIPAL),
            Decision::Allow,
            "{at} phase 1 Pod Identity"
        );
        assert_eq!(
            decision(end, &irsa, hp),
            Decision::Deny,
            "{at} phase 3 IRSA"
        );
        assert_eq!(
            decision(end, &request, POD_IDENTITY_PRINCIPAL),
            Decision::Allow,
            "{at} phase 3 Pod Identity"
        );
        let other = "https://oidc.eks.us-west-2.amazonaws.com/id/0F1E2D3C4B5A69788796A5B4C3D2E1F0";
        let r = SimulateRequest {
            issuer: Some(other.into()),
            ..request.clone()
        };
        let other_hp = other.trim_start_matches("https://");
        for t in [both, end] {
            assert_eq!(
                decision(t, &r, other_hp),
                decision(&text, &r, other_hp),
                "{at}: the other cluster's admission changed"
            );
        }
        for (phase, t) in [(1, both), (3, end)] {
            let errors = check_errors("trust.json", t);
            assert!(errors.is_empty(), "{at} phase {phase}: {errors:#?}");
        }
        planned += 1;
    }
    // single, shared, one statement of two providers, several accounts (pattern,
    // not-this-cluster and cross-account are blocked).
    assert_eq!(planned, 4);
}

/// Every code `--trust` can report has a trigger and a near miss among the trust fixtures.
#[test]
fn from_trust_codes_have_a_trigger_and_a_near_miss() {
    let reported: Vec<Vec<String>> = trust_cases()
        .iter()
        .map(|dir| {
            let text = std::fs::read_to_string(dir.join("trust.json")).unwrap();
            let plan = migrate::from_trust::plan_trust(&text, ISSUER, Some(CLUSTER_ARN));
            plan.diagnostics.iter().map(|d| d.code.clone()).collect()
        })
        .collect();
    common::migrate::each_code_triggered_and_missed(
        &reported,
        &["MIG003", "MIG020", "MIG030", "MIG032", "MIG033"],
    );
}
