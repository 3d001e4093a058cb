//! `irsa-gen`: a thin clap layer over irsa-core. It reads files and flags,
//! calls core, prints, and maps outcomes to exit codes:
//! 0 success, 1 a negative result (error-level findings), 2 bad usage, unreadable input or an invalid spec.

mod cmd;
mod escape;
mod input;
mod outdir;
mod report;
mod snippet;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// mimalloc, not the system's malloc: rendering 10,000 bindings and checking
/// a repository make millions of small strings, JSON values and parse trees
/// on two threads; glibc's malloc and free were 40% of `generate
/// --output-dir`'s instructions (scripts/bench) and 25% of `check`'s
/// (scripts/bench-check). It costs peak memory (check batch 18 -> 47 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ABOUT: &str = "Generate and check IAM Roles for Service Accounts (IRSA) on Amazon EKS.

irsa-gen writes every artefact of an IRSA setup from one small spec (trust policy,
permissions policy, ServiceAccount, Deployment, verification pod) and finds what
is wrong in the ones you already have.";

const EXAMPLES: &str = "Examples:
  # Everything for one service account, from flags
  irsa-gen generate --account 123456789012 --region ap-south-1 \\
    --cluster-id EXAMPLED539D4633E53DE1B716D3041E \\
    --namespace production --service-account s3-writer --s3-write my-app-uploads

  # From a spec file, one file per artefact
  irsa-gen generate -f examples/s3-writer.yaml --output-dir out/

  # Start a spec
  irsa-gen init > irsa.yaml

  # Find what is wrong in existing artefacts, and what a finding means
  irsa-gen check trust-policy.json k8s/
  irsa-gen explain IRSA004

  # Paste the error you got; get its cause in your files and the fix
  kubectl logs deploy/app | irsa-gen diagnose trust-policy.json serviceaccount.yaml

  # The add-on policies, and the upstream release each follows
  irsa-gen addons karpenter

  # Would the role admit production/s3-writer? What does EKS inject?
  irsa-gen simulate --trust trust-policy.json -n production --service-account s3-writer
  irsa-gen inject --service-account serviceaccount.yaml deployment.yaml

  # Prove it on this machine: a local issuer and STS that evaluate the trust
  irsa-gen lab test -f examples/s3-writer.yaml

Exit codes: 0 success; 1 error-level findings, a Deny or Conditional (simulate), a message not
recognised (diagnose) or a probe answered otherwise (lab test); 2 bad usage, unreadable input or
invalid spec.";

/// The irsa-gen command line.
#[derive(Debug, Parser)]
#[command(name = "irsa-gen", version, about = ABOUT, after_help = EXAMPLES, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Generate(Box<cmd::generate::Args>),
    Init(cmd::init::Args),
    Check(cmd::check::Args),
    Explain(cmd::explain::Args),
    Diagnose(cmd::diagnose::Args),
    Addons(cmd::addons::Args),
    Simulate(cmd::simulate::Args),
    Inject(cmd::inject::Args),
    Lab(cmd::lab::Args),
    Schema(cmd::schema::Args),
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
    Migrate(cmd::migrate::Args),
}

/// The exit code of a process ended by SIGPIPE, as shells report it (128 + 13).
const BROKEN_PIPE_EXIT: i32 = 141;

/// `irsa-gen explain --list | head -1`: when the reader of standard output
/// goes away, stop quietly as Unix tools do, not with `println!`'s panic
/// ("failed printing to stdout: Broken pipe") and a backtrace. Rust ignores
/// SIGPIPE and `unsafe_code` is forbidden, so the panic is where to catch it.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(BROKEN_PIPE_EXIT);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Generate(args) => cmd::generate::run(*args),
        Command::Init(args) => cmd::init::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Diagnose(args) => cmd::diagnose::run(args),
        Command::Addons(args) => cmd::addons::run(args),
        Command::Simulate(args) => cmd::simulate::run(args),
        Command::Inject(args) => cmd::inject::run(args),
        Command::Lab(args) => cmd::lab::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Completions(args) => cmd::completions::run(args, Cli::command()),
        Command::Man(args) => cmd::man::run(args, Cli::command()),
        Command::Migrate(args) => cmd::migrate::run(args),
    };
    ExitCode::from(outcome as u8)
}

/// How a command ended; the discriminant is the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Did what was asked.
    Success = 0,
    /// Ran, and found errors (check) or a Deny (simulate).
    Negative = 1,
    /// Bad usage, unreadable input or an invalid spec.
    InputError = 2,
}
