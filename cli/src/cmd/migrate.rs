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
  irsa-gen migrate --to irsa -f pod-identity.yaml --output-dir back/

  # From an existing trust policy instead of a spec (phase 1 and phase 3 trusts)
  irsa-gen migrate --to pod-identity --trust role.json --issuer URL --cluster-arn ARN
  irsa-gen migrate --to irsa --trust role.json --issuer URL --cluster-arn ARN

  # From Terraform, CloudFormation or `aws iam get-role` output: the phase files in that format
  irsa-gen migrate --to pod-identity --trust iam.tf --role aws_iam_role.app --issuer URL \\
    --cluster-arn ARN --output-dir migration/

  # A role of another account than the cluster's (role chaining, targetRoleArn), and back
  irsa-gen migrate --to pod-identity --trust role.json --issuer URL --cluster-arn ARN \\
    --target-role-arn arn:aws:iam::444455556666:role/NAME --output-dir chain/
  irsa-gen migrate --to irsa --trust role.json --source-trust source.json --issuer URL \\
    --cluster-arn ARN --target-role-arn arn:aws:iam::444455556666:role/NAME";

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
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        required_unless_present = "trust",
        conflicts_with = "trust"
    )]
    file: Option<String>,
    /// Instead of a spec: an existing trust policy, whose phase 1 and phase 3 trusts are
    /// written (other clusters' statements kept). Going back to IRSA it needs --cluster-arn.
    /// A Terraform file, a CloudFormation template or `aws iam get-role`/`list-roles` output
    /// is read as `check` reads it: the phase files are that file with only the trusts
    /// replaced, applied with terraform, `aws cloudformation deploy` or the AWS CLI.
    #[arg(long, value_name = "FILE", requires = "issuer")]
    trust: Option<String>,
    /// With --trust: the one role of the file to plan (a Terraform label, address or `name`,
    /// a CloudFormation logical ID or RoleName, a role name); without it, every role of the
    /// file whose trust this move concerns.
    #[arg(long, value_name = "NAME", requires = "trust")]
    role: Option<String>,
    /// With --trust: the OIDC issuer URL of the cluster that moves.
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
    /// With --trust: the cluster's ARN, which scopes the Pod Identity statement (to Pod
    /// Identity) or says which Pod Identity statements are this cluster's (back to IRSA).
    #[arg(long, value_name = "ARN", requires = "trust")]
    cluster_arn: Option<String>,
    /// With --trust and --cluster-arn: the ARN of the role whose trust it is, in another
    /// account than the cluster's; the plan reaches it by role chaining (a source role in the
    /// cluster's account, associations with --target-role-arn).
    #[arg(long, value_name = "ARN", requires = "cluster_arn")]
    target_role_arn: Option<String>,
    /// With --target-role-arn: the source role's name in the cluster's account (to Pod
    /// Identity: default TARGET-pod-identity; back to IRSA: the one the target trust admits).
    #[arg(long, value_name = "NAME", requires = "target_role_arn")]
    source_role_name: Option<String>,
    /// With --target-role-arn --to irsa: the source role's trust, whose Pod Identity
    /// statements name the ServiceAccounts.
    #[arg(long, value_name = "FILE", requires = "target_role_arn")]
    source_trust: Option<String>,
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

impl From<Target> for Direction {
    fn from(t: Target) -> Direction {
        match t {
            Target::PodIdentity => Direction::ToPodIdentity,
            Target::Irsa => Direction::ToIrsa,
        }
    }
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
    let (Some(file), None) = (&args.file, &args.trust) else {
        return from_trust(args);
    };
    let spec_input = input::read(file)?;
    // Validated for a migration: Pod Identity across accounts is planned as
    // role chaining, which generation refuses (SPEC066).
    let validated = irsa_core::validate::load_spec_for(
        &spec_input.text,
        Some(&spec_input.name),
        irsa_core::validate::Purpose::Migrate,
    );
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
    let mut plan = migrate::plan(&spec, args.to.into(), &found).map_err(|e| e.to_string())?;
    plan.diagnostics =
        migrate::blockers::locate(plan.diagnostics, &spec_input.text, &spec_input.name);
    if !plan.diagnostics.is_empty() {
        report::print(&plan.diagnostics, args.format, &sources, &|_| None);
    }
    if plan.phases.is_empty() {
        eprintln!("error: the migration is blocked: fix the errors above first");
        return Ok(Outcome::Negative);
    }
    write(args, &plan.files())?;
    Ok(Outcome::Success)
}

/// `--trust FILE --issuer URL`: a plan from the file the user has, either
/// way, chained when the role is in another account (`--target-role-arn`);
/// the route is core's.
fn from_trust(args: &Args) -> Result<Outcome, String> {
    let (Some(path), Some(issuer)) = (&args.trust, &args.issuer) else {
        return Err("--trust needs --issuer".into());
    };
    let trust = input::read(path)?;
    let source = args.source_trust.as_deref().map(input::read).transpose()?;
    let req = migrate::route::TrustRequest {
        direction: args.to.into(),
        issuer,
        cluster_arn: args.cluster_arn.as_deref(),
        role: args.role.as_deref(),
        target_role_arn: args.target_role_arn.as_deref(),
        source_role_name: args.source_role_name.as_deref(),
        source_trust: source.as_ref().map(as_input),
    };
    let plan = migrate::route::plan(as_input(&trust), &req).map_err(refused)?;
    if !plan.diagnostics.is_empty() {
        let sources: Vec<(&str, &str)> = std::iter::once(&trust)
            .chain(&source)
            .map(|i| (i.name.as_str(), i.text.as_str()))
            .collect();
        report::print(&plan.diagnostics, args.format, &sources, &|_| None);
    }
    if plan.files.is_empty() {
        eprintln!("error: the migration is blocked: fix the errors above first");
        return Ok(Outcome::Negative);
    }
    write(args, &plan.files)?;
    Ok(Outcome::Success)
}

/// A file as core's route takes it.
fn as_input(i: &input::Input) -> migrate::route::Input<'_> {
    migrate::route::Input {
        name: &i.name,
        text: &i.text,
    }
}

/// A request core refuses, in the CLI's words (its flags).
fn refused(r: migrate::route::Refused) -> String {
    use migrate::route::Refused;
    match r {
        Refused::BackNeedsClusterArn => "--trust --to irsa needs --cluster-arn: it says which Pod Identity statements are this cluster's",
        Refused::TargetNeedsClusterArn => "--target-role-arn needs --cluster-arn: the cluster's account is the source role's",
        Refused::SourceNeedsTarget => "--source-role-name and --source-trust need --target-role-arn",
        Refused::SourceTrustGoingForward => "--source-trust is read going back (--to irsa): to Pod Identity the plan writes the source role's trust",
        Refused::BackNeedsSourceTrust => "--to irsa --target-role-arn needs --source-trust: the source role's trust names the ServiceAccounts",
    }
    .into()
}

/// The plan's files into --output-dir, or printed, each after a `==> path <==` line.
fn write(args: &Args, files: &[migrate::PlanFile]) -> Result<(), String> {
    match &args.output_dir {
        Some(dir) => {
            let mut out = crate::outdir::OutDir::open(dir, args.force, false)?;
            out.write_each(files, |f| {
                Ok(vec![crate::outdir::File {
                    rel: f.path.clone(),
                    text: f.text.clone(),
                    script: f.path.ends_with(".sh"),
                }])
            })?;
            eprintln!("{}", out.finish()?);
        }
        None => {
            for f in files {
                println!("==> {} <==", f.path);
                print!("{}", f.text);
                if !f.text.ends_with('\n') {
                    println!();
                }
            }
        }
    }
    Ok(())
}
