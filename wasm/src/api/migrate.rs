//! `migrate`: a spec's roles moved between IRSA and EKS Pod Identity as a
//! phased plan, the calls of `irsa-gen migrate -f SPEC WORKLOAD...`
//! (`cli/src/cmd/migrate.rs`) in the same order: the spec validated (for a
//! migration: `Purpose::Migrate`), the
//! workloads read, [`irsa_core::migrate::plan()`], its findings located in the
//! spec's text. `migrateTrust`: the same from the file the user has (a
//! trust, a dump, a Terraform file, a CloudFormation template), the call of
//! `irsa-gen migrate --trust FILE --issuer URL [--cluster-arn ARN]
//! [--target-role-arn ARN ...]`: [`route::plan`], which picks the plan as
//! it does for the CLI. Nothing is decided here; what core refuses is
//! worded with the options' names.

use irsa_core::artefact::RenderError;
use irsa_core::migrate::{self, route, workloads, Direction, Phase, PlanFile};
use irsa_core::validate::{load_spec_for, Purpose, Validated};
use irsa_core::Diagnostic;
use serde::{Deserialize, Serialize};

use super::{FileInput, SpecInput, Tagged};

/// The spec read as `irsa-gen migrate -f` reads it: for a migration, which
/// plans Pod Identity across accounts as role chaining (generation's SPEC066
/// does not apply); an object's findings without positions, as `load`'s.
fn load(input: SpecInput<'_>) -> Validated {
    match input {
        SpecInput::Text { text, file } => load_spec_for(text, file, Purpose::Migrate),
        SpecInput::Object(json) => {
            let mut validated = load_spec_for(json, None, Purpose::Migrate);
            for d in &mut validated.diagnostics {
                d.line = None;
                d.column = None;
            }
            validated
        }
    }
}

/// Where the migration goes: `--to pod-identity|irsa`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// EKS Pod Identity.
    PodIdentity,
    /// IAM Roles for Service Accounts.
    Irsa,
}

impl From<Target> for Direction {
    fn from(t: Target) -> Direction {
        match t {
            Target::PodIdentity => Direction::ToPodIdentity,
            Target::Irsa => Direction::ToIrsa,
        }
    }
}

/// Options of `migrate`: the CLI's flags and arguments beside the spec.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MigrateInputOptions {
    /// `--to`.
    pub to: Target,
    /// The file name findings in a text spec carry (`-f FILE`).
    pub file: Option<String>,
    /// The workload manifests (`WORKLOAD...`): restarted in phase 2, checked
    /// for Fargate, Windows and hostNetwork; ServiceAccounts name what a pattern stands for.
    #[serde(default)]
    pub workloads: Vec<FileInput>,
}

/// What `migrate` returns when the plan is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// `to-pod-identity` or `to-irsa`.
    pub direction: Direction,
    /// The MIG findings (warnings and notes: an error blocks the plan).
    pub diagnostics: Vec<Diagnostic>,
    /// The spec's own warnings and notes.
    pub warnings: Vec<Diagnostic>,
    /// The three phases, each with its files.
    pub phases: Vec<Phase>,
    /// Every file as the CLI writes it into `--output-dir`: `PLAN.md`, then each phase's.
    pub files: Vec<PlanFile>,
}

/// `migrate`: the plan, or the spec's problems, an unreadable workload file,
/// or the findings that block the plan (spec warnings first, as the CLI prints them).
///
/// The outer error is a bug (a document that cannot be rendered), never a user mistake.
pub fn migrate(
    input: SpecInput<'_>,
    options: &MigrateInputOptions,
) -> Result<Tagged<Migration>, RenderError> {
    let validated = load(input);
    let Some(spec) = validated.spec else {
        return Ok(Tagged::err(validated.diagnostics));
    };
    let mut found = Vec::new();
    for w in &options.workloads {
        match workloads::read(&w.name, &w.text) {
            Ok(read) => found.extend(read),
            Err(message) => {
                let d = irsa_core::rules::diagnostic("IRSA401", message).in_file(Some(&w.name));
                return Ok(Tagged::err(vec![d]));
            }
        }
    }
    let mut plan = migrate::plan(&spec, options.to.into(), &found)?;
    if let SpecInput::Text { text, file } = input {
        // The CLI's positions; without a file name the findings name none, as the spec's do.
        plan.diagnostics = migrate::blockers::locate(plan.diagnostics, text, file.unwrap_or(""))
            .into_iter()
            .map(|d| if file.is_some() { d } else { d.in_file(None) })
            .collect();
    }
    if plan.phases.is_empty() {
        let mut all = validated.diagnostics;
        all.extend(plan.diagnostics);
        return Ok(Tagged::err(all));
    }
    Ok(Tagged::ok(Migration {
        files: plan.files(),
        direction: plan.direction,
        diagnostics: plan.diagnostics,
        warnings: validated.diagnostics,
        phases: plan.phases,
    }))
}

/// Options of `migrateTrust`: the flags of `irsa-gen migrate --trust FILE`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MigrateTrustInputOptions {
    /// `--to`.
    pub to: Target,
    /// `--issuer`: the OIDC issuer URL of the cluster that moves.
    pub issuer: String,
    /// `--cluster-arn`: scopes the Pod Identity statement (to Pod Identity),
    /// says which Pod Identity statements are this cluster's (back to IRSA).
    pub cluster_arn: Option<String>,
    /// The file name findings carry (the CLI's: the `--trust` path).
    pub file: Option<String>,
    /// `--target-role-arn`: the trust is this role's, of another account
    /// than the cluster's, reached by role chaining.
    pub target_role_arn: Option<String>,
    /// `--source-role-name`: the source role's name in the cluster's account.
    pub source_role_name: Option<String>,
    /// `--source-trust`: the source role's trust text (back to IRSA, chained).
    pub source_trust: Option<String>,
    /// `--role`: one role of a Terraform file, template or dump, by any of
    /// its names.
    pub role: Option<String>,
}

/// What `migrateTrust` returns when the plan is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustMigration {
    /// `to-pod-identity` or `to-irsa`.
    pub direction: Direction,
    /// The MIG findings (warnings and notes: an error blocks the plan).
    pub diagnostics: Vec<Diagnostic>,
    /// With a target role, the chain's three phases; without, none (the
    /// files are the trusts of phases 1 and 3).
    pub phases: Vec<Phase>,
    /// Every file as the CLI writes it into `--output-dir`.
    pub files: Vec<PlanFile>,
}

/// `migrateTrust`: the plan, or the findings that block it (an unreadable
/// trust among them). `Err` is what the CLI refuses as a usage error (exit
/// 2), a `TypeError` in JavaScript.
pub fn migrate_trust(
    trust: &str,
    options: &MigrateTrustInputOptions,
) -> Result<Tagged<TrustMigration>, String> {
    let o = options;
    // Without a name the file is known by its content (a Terraform file is
    // known by its name: give `file`).
    let name = o.file.as_deref().unwrap_or_default();
    let source = o.source_trust.as_deref().map(|text| route::Input {
        name: SOURCE_TRUST,
        text,
    });
    let req = route::TrustRequest {
        direction: o.to.into(),
        issuer: &o.issuer,
        cluster_arn: o.cluster_arn.as_deref(),
        role: o.role.as_deref(),
        target_role_arn: o.target_role_arn.as_deref(),
        source_role_name: o.source_role_name.as_deref(),
        source_trust: source,
    };
    let routed = route::plan(route::Input { name, text: trust }, &req).map_err(refused)?;
    // Findings keep the name given, and none when none was.
    let diagnostics: Vec<Diagnostic> = routed
        .diagnostics
        .into_iter()
        .map(|d| match d.file.as_deref() {
            Some(f) if f == name => d.in_file(o.file.as_deref()),
            _ => d,
        })
        .collect();
    if routed.files.is_empty() {
        return Ok(Tagged::err(diagnostics));
    }
    Ok(Tagged::ok(TrustMigration {
        direction: routed.direction,
        diagnostics,
        phases: routed.phases,
        files: routed.files,
    }))
}

/// The name findings about `sourceTrust` carry.
const SOURCE_TRUST: &str = "sourceTrust";

/// A request core refuses, in the words of the options.
fn refused(r: route::Refused) -> String {
    match r {
        route::Refused::BackNeedsClusterArn => "to: \"irsa\" needs clusterArn: it says which Pod Identity statements are this cluster's",
        route::Refused::TargetNeedsClusterArn => "targetRoleArn needs clusterArn (the cluster's account is the source role's)",
        route::Refused::SourceNeedsTarget => "sourceRoleName and sourceTrust need targetRoleArn",
        route::Refused::SourceTrustGoingForward => "sourceTrust is read going back (to: \"irsa\"): to Pod Identity the plan writes the source role's trust",
        route::Refused::BackNeedsSourceTrust => "to: \"irsa\" with targetRoleArn needs sourceTrust: the source role's trust names the ServiceAccounts",
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use irsa_core::migrate::chain::{self, ChainRequest};

    const SPEC: &str = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\nclusterName: prod\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n";

    fn options(to: Target) -> MigrateInputOptions {
        MigrateInputOptions {
            to,
            file: Some("irsa.yaml".into()),
            workloads: Vec::new(),
        }
    }

    fn text(spec: &str) -> SpecInput<'_> {
        SpecInput::Text {
            text: spec,
            file: Some("irsa.yaml"),
        }
    }

    #[test]
    fn the_plan_is_cores() {
        let result = migrate(text(SPEC), &options(Target::PodIdentity)).unwrap();
        let m = result.value().expect("a plan");
        let spec = irsa_core::load_spec(SPEC, None).spec.unwrap();
        let core = migrate::plan(&spec, Direction::ToPodIdentity, &[]).unwrap();
        assert_eq!(m.phases, core.phases);
        assert_eq!(m.files, core.files());
        assert_eq!(m.phases.len(), 3);
    }

    const BACK_ACROSS: &str =
        include_str!("../../../tests/fixtures/migrate/cross-account-back/from-spec/spec.yaml");

    /// A spec of a role in another account than its cluster: the chain,
    /// as `irsa-gen migrate -f` plans it (validated for a migration, so
    /// generation's SPEC066 does not stop it), from text and from an object.
    #[test]
    fn a_spec_across_accounts_is_planned_as_the_cli_plans_it() {
        let spec = irsa_core::validate::load_spec_for(BACK_ACROSS, None, Purpose::Migrate)
            .spec
            .unwrap();
        let core = migrate::plan(&spec, Direction::ToIrsa, &[]).unwrap();
        let from_text = migrate(text(BACK_ACROSS), &options(Target::Irsa)).unwrap();
        let m = from_text.value().expect("a plan");
        assert_eq!(m.files, core.files());
        assert!(m.files.iter().any(|f| f.text.contains("TARGET_PROFILE")));
        let (value, _) = irsa_core::validate::read_spec(BACK_ACROSS).unwrap();
        let json = serde_json::to_string(&value).unwrap();
        let from_object = migrate(SpecInput::Object(&json), &options(Target::Irsa)).unwrap();
        assert_eq!(from_object.value().expect("a plan").files, core.files());
        // Near miss: generation refuses the same spec (SPEC066).
        let generated = irsa_core::load_spec(BACK_ACROSS, None);
        assert!(generated.spec.is_none());
        assert!(generated.diagnostics.iter().any(|d| d.code == "SPEC066"));
    }

    #[test]
    fn a_blocker_is_a_failure_with_its_place() {
        let spec = SPEC.replace(
            "clusterName: prod\n",
            "identityType: pod-identity\nclusterName: prod\n",
        );
        let result = migrate(text(&spec), &options(Target::PodIdentity)).unwrap();
        let mig002 = result
            .diagnostics()
            .iter()
            .find(|d| d.code == "MIG002")
            .expect("MIG002");
        assert_eq!(
            (mig002.file.as_deref(), mig002.line),
            (Some("irsa.yaml"), Some(4))
        );
        assert!(result.value().is_none());
    }

    #[test]
    fn an_unreadable_workload_names_its_file() {
        let mut o = options(Target::PodIdentity);
        o.workloads.push(FileInput {
            name: "deploy.yaml".into(),
            text: "a: [".into(),
        });
        let result = migrate(text(SPEC), &o).unwrap();
        let d = &result.diagnostics()[0];
        assert_eq!(
            (d.code.as_str(), d.file.as_deref()),
            ("IRSA401", Some("deploy.yaml"))
        );
    }

    const ISSUER: &str =
        "https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B";
    const CLUSTER: &str = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
    const TARGET: &str = "arn:aws:iam::444455556666:role/s3-writer";
    const CHAINED: &str =
        include_str!("../../../tests/fixtures/migrate/cross-account/chained/trust.json");

    fn trust_options(to: Target, target: Option<&str>) -> MigrateTrustInputOptions {
        MigrateTrustInputOptions {
            to,
            issuer: ISSUER.into(),
            cluster_arn: Some(CLUSTER.into()),
            file: Some("trust.json".into()),
            target_role_arn: target.map(String::from),
            source_role_name: None,
            source_trust: None,
            role: None,
        }
    }

    #[test]
    fn a_trust_plans_as_core_plans_it() {
        let o = trust_options(Target::PodIdentity, Some(TARGET));
        let result = migrate_trust(CHAINED, &o).unwrap();
        let m = result.value().expect("a chained plan");
        let req = ChainRequest {
            issuer: ISSUER,
            cluster_arn: CLUSTER,
            target_role_arn: TARGET,
            source_role_name: None,
        };
        let core = chain::plan_chained(CHAINED, &req);
        assert_eq!((&m.phases, &m.files), (&core.phases, &core.files()));
        assert!(m
            .diagnostics
            .iter()
            .all(|d| d.file.as_deref() == Some("trust.json")));
        // Without the target role: another account's role, blocked (MIG033).
        let blocked = migrate_trust(CHAINED, &trust_options(Target::PodIdentity, None)).unwrap();
        assert!(blocked.value().is_none());
        assert!(blocked.diagnostics().iter().any(|d| d.code == "MIG033"));
    }

    #[test]
    fn what_the_cli_refuses_is_an_error_before_any_plan() {
        let mut no_cluster = trust_options(Target::Irsa, None);
        no_cluster.cluster_arn = None;
        assert!(migrate_trust(CHAINED, &no_cluster).is_err());
        no_cluster.to = Target::PodIdentity;
        assert!(migrate_trust(CHAINED, &no_cluster).is_ok());
        no_cluster.target_role_arn = Some(TARGET.into());
        assert!(migrate_trust(CHAINED, &no_cluster).is_err());
        let mut source = trust_options(Target::PodIdentity, Some(TARGET));
        source.source_trust = Some("{}".into());
        assert!(migrate_trust(CHAINED, &source).is_err());
        source.to = Target::Irsa;
        assert!(migrate_trust(CHAINED, &source).is_ok());
        source.source_trust = None;
        assert!(migrate_trust(CHAINED, &source).is_err());
        let mut name = trust_options(Target::PodIdentity, None);
        name.source_role_name = Some("x".into());
        assert!(migrate_trust(CHAINED, &name).is_err());
    }

    #[test]
    fn options_need_a_known_target() {
        let parse = serde_json::from_str::<MigrateInputOptions>;
        assert!(parse(r#"{"to":"irsa"}"#).is_ok());
        assert!(parse(r#"{"to":"both"}"#).is_err());
        assert!(parse(r#"{}"#).is_err());
        assert!(parse(r#"{"to":"irsa","workload":[]}"#).is_err());
    }
}
