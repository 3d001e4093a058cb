//! `irsa-gen addons`: the well-known add-ons, their inputs, and the published
//! policies (project, file, release) each follows.

use irsa_core::addons::{self, AddonInfo};

use crate::report::DiagFormat;
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  irsa-gen addons
  irsa-gen addons karpenter
  irsa-gen addons --format json";

/// List the add-ons of `permissions.addons`: inputs and the upstream policy each follows.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// One add-on, in detail.
    #[arg(value_name = "NAME")]
    name: Option<String>,
    /// Output format: `human`, or `json`: `{"addons": [...]}`, each with its inputs and the
    /// upstream policy of each release.
    // Not the checker's `{"diagnostics": [...]}` that DiagFormat's values describe.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, hide_possible_values = true)]
    format: DiagFormat,
}

/// Runs `addons`.
pub fn run(args: Args) -> Outcome {
    let all = addons::catalogue();
    let shown: Vec<&AddonInfo> = match &args.name {
        None => all.iter().collect(),
        Some(name) => match all.iter().find(|a| a.name == name.trim()) {
            Some(a) => vec![a],
            None => {
                eprintln!(
                    "error: unknown add-on `{}`; `irsa-gen addons` lists them",
                    name.escape_default()
                );
                return Outcome::InputError;
            }
        },
    };
    match args.format {
        DiagFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "addons": shown }))
                .unwrap_or_default()
        ),
        DiagFormat::Human if args.name.is_some() => {
            shown.iter().for_each(|a| print!("{}", detail(a)))
        }
        DiagFormat::Human => print!("{}", table(&shown)),
    }
    Outcome::Success
}

fn table(all: &[&AddonInfo]) -> String {
    let width = all.iter().map(|a| a.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for a in all {
        let inputs = a.inputs_text().replace('`', "");
        out.push_str(&format!(
            "{:<width$}  {}\n{:<width$}  inputs: {inputs}; follows {}\n",
            a.name,
            a.summary,
            "",
            a.upstream_text().replace('`', "")
        ));
    }
    out
}

fn detail(a: &AddonInfo) -> String {
    let mut out = format!(
        "{}: {}\ninputs: {}\n",
        a.name,
        a.summary,
        a.inputs_text().replace('`', "")
    );
    for r in &a.releases {
        out.push_str(&format!(
            "version {}: {} {} ({})\n",
            r.versions, r.project, r.release, r.file
        ));
    }
    out
}
