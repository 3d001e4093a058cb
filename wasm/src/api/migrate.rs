//! `migrate`: a spec's roles moved between IRSA and EKS Pod Identity as a
//! phased plan, the calls of `irsa-gen migrate -f SPEC WORKLOAD...`
//! (`cli/src/cmd/migrate.rs`) in the same order: the spec validated, the
//! workloads read, [`irsa_core::migrate::plan()`], its findings located in the
//! spec's text. Nothing is decided here.

use irsa_core::artefact::RenderError;
use irsa_core::migrate::{self, workloads, Direction, Phase, PlanFile};
use irsa_core::Diagnostic;
use serde::{Deserialize, Serialize};

use super::{load, FileInput, SpecInput, Tagged};

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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn options_need_a_known_target() {
        let parse = serde_json::from_str::<MigrateInputOptions>;
        assert!(parse(r#"{"to":"irsa"}"#).is_ok());
        assert!(parse(r#"{"to":"both"}"#).is_err());
        assert!(parse(r#"{}"#).is_err());
        assert!(parse(r#"{"to":"irsa","workload":[]}"#).is_err());
    }
}
