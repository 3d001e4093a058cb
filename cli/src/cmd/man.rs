//! `irsa-gen man`: the man page (roff), generated from the clap definitions.

use crate::Outcome;

/// Print the man page in roff format.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  irsa-gen man > /usr/local/share/man/man1/irsa-gen.1 && man irsa-gen
  irsa-gen man --subcommand generate | man -l -")]
pub struct Args {
    /// The page of one subcommand (e.g. generate) instead of the main page.
    #[arg(long, value_name = "NAME")]
    subcommand: Option<String>,
}

/// Runs `man`.
pub fn run(args: Args, command: clap::Command) -> Outcome {
    let page = match &args.subcommand {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("irsa-gen-{name}")),
            None => {
                eprintln!("error: no subcommand `{name}`; see `irsa-gen --help`");
                return Outcome::InputError;
            }
        },
    };
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut out) {
        eprintln!("error: cannot render the man page: {e}");
        return Outcome::InputError;
    }
    print!("{}", String::from_utf8_lossy(&out));
    Outcome::Success
}
