//! `irsa-gen init`: print a commented starter spec.

use crate::Outcome;

/// Where the starter spec's modeline points by default: a file beside the spec,
/// written by `irsa-gen schema`. yaml-language-server resolves a relative path
/// against the spec's own location, offline, and the file matches the installed
/// irsa-gen.
pub const DEFAULT_SCHEMA: &str = "irsa-gen.schema.json";

/// Print a commented starter spec to standard output.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  irsa-gen init > irsa.yaml
  irsa-gen schema > irsa-gen.schema.json   # what the first line points editors to
  irsa-gen generate -f irsa.yaml")]
pub struct Args {
    /// The JSON Schema the `# yaml-language-server: $schema=...` first line names:
    /// a path relative to the spec file, or a URL.
    #[arg(long, value_name = "PATH_OR_URL", default_value = DEFAULT_SCHEMA)]
    schema: String,
}

/// Runs `init`.
pub fn run(args: Args) -> Outcome {
    if args.schema.contains(['\n', '\r']) {
        eprintln!("error: --schema must be one line");
        return Outcome::InputError;
    }
    print!("{}", starter(&args.schema));
    Outcome::Success
}

/// The starter spec with its modeline.
fn starter(schema: &str) -> String {
    let hint = if schema == DEFAULT_SCHEMA {
        format!("# Editors complete and check this file with `irsa-gen schema > {DEFAULT_SCHEMA}` beside it.\n")
    } else {
        String::new()
    };
    format!(
        "# yaml-language-server: $schema={schema}\n{hint}{}",
        irsa_core::spec::STARTER_SPEC
    )
}
