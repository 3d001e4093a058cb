//! Migrate mode's plan: the form's spec moved between IRSA and EKS Pod
//! Identity by core's `migrate::plan`, as `irsa-gen migrate --to TARGET -f
//! spec.yaml WORKLOAD...` plans it, the workloads being check mode's files.
//! Pure like [`crate::state`]: this module only picks the inputs and lays
//! the answer out (the zip is core's too).

use irsa_core::check::SourceFile;
use irsa_core::diagnostic::has_errors;
use irsa_core::migrate::{self, workloads, Direction, Phase, PlanFile};
use irsa_core::Diagnostic;

use crate::state::Form;

/// The folder "Download all" puts the plan's files in (`migration/PLAN.md`, ...).
pub const ZIP_FOLDER: &str = "migration";
/// The name of the "Download all" file.
pub const ZIP_FILE: &str = "irsa-gen-migration.zip";

/// The direction the pane plans when the URL names none: the one AWS recommends.
pub const DEFAULT_DIRECTION: Direction = Direction::ToPodIdentity;

/// The label of a direction's switch.
pub fn label(direction: Direction) -> &'static str {
    match direction {
        Direction::ToPodIdentity => "To Pod Identity",
        Direction::ToIrsa => "To IRSA",
    }
}

/// What the pane shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The form is blank.
    Empty,
    /// The spec has errors (shown in generate mode): nothing to plan from.
    Invalid(usize),
    /// An error-level MIG finding blocks the plan.
    Blocked(Vec<Diagnostic>),
    /// The plan: its findings (warnings and notes), phases and every file.
    Planned {
        /// The MIG findings beside the plan.
        diagnostics: Vec<Diagnostic>,
        /// The three phases.
        phases: Vec<Phase>,
        /// `PLAN.md`, then each phase's files, as `--output-dir` writes them.
        files: Vec<PlanFile>,
    },
    /// Core could not render a document (a bug, never a user mistake).
    Failed(String),
}

/// The migration pane's answer: the outcome, and which of check mode's files
/// were read as workloads.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    /// The plan, or why there is none.
    pub outcome: Outcome,
    /// Workloads and ServiceAccounts found in check mode's files.
    pub workloads: usize,
    /// Check mode's files that are not YAML or JSON (left out), with why.
    pub unread: Vec<String>,
}

/// The plan for the form's spec towards `target`, with check mode's files as
/// the workloads beside it.
pub fn plan(form: &Form, target: Direction, files: &[SourceFile]) -> Migration {
    let mut found = Vec::new();
    let mut unread = Vec::new();
    for f in files {
        match workloads::read(&f.name, &f.text) {
            Ok(w) => found.extend(w),
            Err(e) => unread.push(e),
        }
    }
    let outcome = outcome(form, target, &found);
    Migration {
        outcome,
        workloads: found.len(),
        unread,
    }
}

fn outcome(form: &Form, target: Direction, found: &[workloads::Workload]) -> Outcome {
    if form.is_blank() {
        return Outcome::Empty;
    }
    let validated = form.to_spec().validate();
    let Some(spec) = validated.spec else {
        let errors = validated
            .diagnostics
            .iter()
            .filter(|d| d.severity == irsa_core::Severity::Error)
            .count();
        return Outcome::Invalid(errors);
    };
    match migrate::plan(&spec, target, found) {
        Err(e) => Outcome::Failed(e.to_string()),
        Ok(plan) if plan.phases.is_empty() || has_errors(&plan.diagnostics) => {
            Outcome::Blocked(plan.diagnostics)
        }
        Ok(plan) => Outcome::Planned {
            files: plan.files(),
            diagnostics: plan.diagnostics,
            phases: plan.phases,
        },
    }
}

/// "Download all": every file of the plan under `migration/`, a zip built by core.
pub fn archive(files: &[PlanFile]) -> Option<Vec<u8>> {
    let entries: Vec<(String, String)> = files
        .iter()
        .map(|f| (format!("{ZIP_FOLDER}/{}", f.path), f.text.clone()))
        .collect();
    irsa_core::zip::stored(&entries).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, Field, State};

    /// The guide's example with the cluster named: a plan to Pod Identity.
    fn form(cluster_name: &str) -> Form {
        let s = State::from_query("account=123456789012&region=ap-south-1&cluster=EXAMPLED539D4633E53DE1B716D3041E&ns=production&sa=s3-writer&role=S3WriterRole&s3=my-app-uploads&s3Access=write&workload=my-app&image=my-app%3Alatest");
        s.reduce(Action::Set(Field::ClusterName, cluster_name.into()))
            .form
    }

    fn deployment(os: &str) -> SourceFile {
        SourceFile {
            name: "deploy.yaml".into(),
            text: format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n  namespace: production\nspec:\n  template:\n    spec:\n      serviceAccountName: s3-writer\n      nodeSelector:\n        kubernetes.io/os: {os}\n"),
        }
    }

    #[test]
    fn the_plan_is_cores_for_the_forms_spec() {
        let m = plan(&form("prod"), Direction::ToPodIdentity, &[]);
        let Outcome::Planned { phases, files, .. } = &m.outcome else {
            panic!("{:?}", m.outcome);
        };
        let spec = form("prod").to_spec().validate().spec.unwrap();
        let core = migrate::plan(&spec, Direction::ToPodIdentity, &[]).unwrap();
        assert_eq!(phases, &core.phases);
        assert_eq!(files, &core.files());
        assert_eq!(
            phases.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn blockers_come_with_their_codes() {
        let codes = |m: Migration| match m.outcome {
            Outcome::Blocked(d) => d
                .iter()
                .filter(|d| d.severity == irsa_core::Severity::Error)
                .map(|d| d.code.clone())
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        // No cluster name: MIG001.
        assert_eq!(
            codes(plan(&form(""), Direction::ToPodIdentity, &[])),
            ["MIG001"]
        );
        // Already on IRSA: MIG002.
        assert_eq!(
            codes(plan(&form("prod"), Direction::ToIrsa, &[])),
            ["MIG002"]
        );
        // A Windows workload among check mode's files (the Linux one is the near miss).
        let m = plan(
            &form("prod"),
            Direction::ToPodIdentity,
            &[deployment("windows")],
        );
        assert_eq!(m.workloads, 1);
        assert_eq!(codes(m), ["MIG010"]);
        let linux = plan(
            &form("prod"),
            Direction::ToPodIdentity,
            &[deployment("linux")],
        );
        assert!(matches!(linux.outcome, Outcome::Planned { .. }));
    }

    #[test]
    fn blank_and_invalid_forms_plan_nothing() {
        assert_eq!(
            plan(&Form::default(), Direction::ToPodIdentity, &[]).outcome,
            Outcome::Empty
        );
        let bad = State::from_query("account=12345&region=mars-1").form;
        assert!(matches!(
            plan(&bad, Direction::ToPodIdentity, &[]).outcome,
            Outcome::Invalid(n) if n > 0
        ));
    }

    #[test]
    fn unreadable_files_are_left_out_and_said() {
        let broken = SourceFile {
            name: "main.tf".into(),
            text: "a: [".into(),
        };
        let m = plan(&form("prod"), Direction::ToPodIdentity, &[broken]);
        assert_eq!(m.unread.len(), 1);
        assert!(m.unread[0].starts_with("main.tf"), "{:?}", m.unread);
        assert!(matches!(m.outcome, Outcome::Planned { .. }));
    }

    #[test]
    fn download_all_puts_every_file_under_migration() {
        let Outcome::Planned { files, .. } =
            plan(&form("prod"), Direction::ToPodIdentity, &[]).outcome
        else {
            panic!();
        };
        let zip = archive(&files).unwrap();
        assert_eq!(zip, archive(&files).unwrap(), "the same bytes every time");
        assert_eq!(zip.get(..4), Some(&b"PK\x03\x04"[..]));
        for f in &files {
            let name = format!("migration/{}", f.path);
            assert!(
                zip.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name}"
            );
        }
    }

    #[test]
    fn every_direction_has_its_own_label() {
        assert_ne!(label(Direction::ToPodIdentity), label(Direction::ToIrsa));
    }
}
