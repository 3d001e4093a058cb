//! `irsa-gen completions SHELL`: shell completion scripts, generated from the clap definitions.

use clap_complete::Shell;

use crate::Outcome;

/// Print a shell completion script.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  irsa-gen completions bash > /etc/bash_completion.d/irsa-gen
  irsa-gen completions zsh > \"${fpath[1]}/_irsa-gen\"
  irsa-gen completions fish > ~/.config/fish/completions/irsa-gen.fish
  irsa-gen completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish.
    shell: Shell,
}

/// Runs `completions`.
pub fn run(args: Args, mut command: clap::Command) -> Outcome {
    clap_complete::generate(args.shell, &mut command, "irsa-gen", &mut std::io::stdout());
    Outcome::Success
}
