//! `irsa-gen init`: print a commented starter spec.

use crate::Outcome;

/// Print a commented starter spec to standard output.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  irsa-gen init > irsa.yaml\n  irsa-gen generate -f irsa.yaml")]
pub struct Args {}

/// Runs `init`.
pub fn run(_args: Args) -> Outcome {
    print!("{}", irsa_core::spec::STARTER_SPEC);
    Outcome::Success
}
