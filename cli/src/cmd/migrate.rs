//! `irsa-gen migrate`: a spec's roles moved between IRSA and EKS Pod Identity
//! as a phased plan (`irsa_core::migrate`): the findings, then the phases'
//! files printed, or written into `--output-dir` by the rules of
//! [`crate::outdir`].

use std::path::PathBuf;

use irsa_core::migrate::{self, workloads, Direction};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # IRSA -> Pod Identity for the spec's roles, with the workloads to restart and check
  irsa-gen migrate --to pod-identity -f irsa.yaml k8s/deployment.yaml --output-dir migration/
  bash migration/phase-1/apply.sh   # then phase-2, phase-3; each has its rollback.sh

  # Back to IRSA (e.g. for Fargate)
  irsa-gen migrate --to irsa -f pod-identity.yaml --output-dir back/";

/// Plan a move between IRSA and EKS Pod Identity, in phases with no outage
///
/// Three phases: both paths trusted; pods switched (associations, restarts) and verified; the old
/// path removed (only this cluster's statement). Each phase has its trusts, ServiceAccounts,
/// commands and rollback.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Where to go.
    #[arg(long, value_enum, value_name = "TYPE")]
    to: Target,
    /// The spec of the setup as it is now (YAML or JSON); `-` reads standard input.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    file: String,
    /// Workload manifests or `kubectl get -o yaml` dumps: restarted in phase 2, checked for
    /// Fargate, Windows and hostNetwork.
    #[arg(value_name = "WORKLOAD")]
    workloads: Vec<String>,
    /// Write the plan's files into this folder instead of printing them.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// With --output-dir: replace files an earlier run did not write.
    #[arg(long, requires = "output_dir")]
    force: bool,
    /// Format of diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    format: DiagFormat,
}

/// The identity type to migrate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Target {
    /// EKS Pod Identity.
    PodIdentity,
    /// IAM Roles for Service Accounts.
    Irsa,
}

/// Runs `migrate`.
pub fn run(args: Args) -> Outcome {
    match plan(&args) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("error: {}", crate::escape::controls(&message));
            Outcome::InputError
        }
    }
}

fn plan(args: &Args) -> Result<Outcome, String> {
    let spec_input = input::read(&args.file)?;
    let validated = irsa_core::validate::load_spec(&spec_input.text, Some(&spec_input.name));
    let sources = [(spec_input.name.as_str(), spec_input.text.as_str())];
    if !validated.diagnostics.is_empty() {
        report::print(&validated.diagnostics, args.format, &sources, &|_| None);
    }
    let Some(spec) = validated.spec else {
        return Ok(Outcome::InputError);
    };
    let mut found = Vec::new();
    for path in &args.workloads {
        let w = input::read(path)?;
        found.extend(workloads::read(&w.name, &w.text)?);
    }
    let direction = match args.to {
        Target::PodIdentity => Direction::ToPodIdentity,
        Target::Irsa => Direction::ToIrsa,
    };
    let plan = migrate::plan(&spec, direction, &found).map_err(|e| e.to_string())?;
    if !plan.diagnostics.is_empty() {
        report::print(&plan.diagnostics, args.format, &sources, &|_| None);
    }
    if plan.phases.is_empty() {
        eprintln!("error: the migration is blocked: fix the errors above first");
        return Ok(Outcome::Negative);
    }
    match &args.output_dir {
        Some(dir) => {
            let mut out = crate::outdir::OutDir::open(dir, args.force, false)?;
            for f in plan.files() {
                out.write(&f.path, &f.text, f.path.ends_with(".sh"))?;
            }
            eprintln!("{}", out.finish()?);
        }
        None => {
            for f in plan.files() {
                println!("==> {} <==", f.path);
                print!("{}", f.text);
                if !f.text.ends_with('\n') {
                    println!();
                }
            }
        }
    }
    Ok(Outcome::Success)
}
