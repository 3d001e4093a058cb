//! `irsa-gen schema`: the JSON Schema of the spec file, for editors and validators.

use crate::Outcome;

/// Print the JSON Schema (draft-07) of the spec file, for editors and validators.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Next to your spec, for editors (irsa-gen init's first line points here)
  irsa-gen schema > irsa-gen.schema.json

  # Regenerate the copy shipped in the repository
  cargo run -p irsa-gen -- schema > schema/irsa-gen.schema.json")]
pub struct Args {}

/// Runs `schema`.
pub fn run(_args: Args) -> Outcome {
    print!("{}", irsa_core::spec::json_schema_text());
    Outcome::Success
}
