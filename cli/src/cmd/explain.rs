//! `irsa-gen explain`: the long explanation of a diagnostic code.

use irsa_core::explain;
use irsa_core::rules::Rule;

use crate::report::DiagFormat;
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  irsa-gen explain IRSA004
  irsa-gen explain SPEC045   # a finding of the spec (generate, validate)
  irsa-gen explain irsa301 --format json
  irsa-gen explain --list
  irsa-gen explain DIAG001   # a message of `irsa-gen diagnose --list`";

/// Explain a diagnostic code (or a `diagnose` message code): why it matters, an example, the fix and the runtime failure.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The code (IRSA004, SPEC045); case does not matter.
    #[arg(value_name = "CODE", required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its title.
    #[arg(long)]
    list: bool,
    /// Output format: `human`, or `json`: the code as one object (`code`, `title`,
    /// `explanation`, `fix`...; with --list, `{"rules": [...]}`).
    // Not the checker's `{"diagnostics": [...]}` that DiagFormat's values describe.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, hide_possible_values = true)]
    format: DiagFormat,
}

/// Runs `explain`.
pub fn run(args: Args) -> Outcome {
    if args.list {
        match args.format {
            DiagFormat::Json => println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "rules": explain::every_code().collect::<Vec<_>>()
                }))
                .unwrap_or_default()
            ),
            DiagFormat::Human => {
                for r in explain::every_code() {
                    println!("{}  {:<7}  {}", r.code, r.severity.as_str(), r.title);
                }
            }
        }
        return Outcome::Success;
    }
    let code = args.code.unwrap_or_default();
    if let Some(m) = irsa_core::diagnose::catalogue::message(&code) {
        match args.format {
            DiagFormat::Json => println!("{}", serde_json::to_string_pretty(m).unwrap_or_default()),
            DiagFormat::Human => print!("{}", human_message(m)),
        }
        return Outcome::Success;
    }
    let Some(rule) = explain::rule(&code) else {
        eprintln!("error: unknown code `{code}`; `irsa-gen explain --list` lists every code");
        return Outcome::InputError;
    };
    match args.format {
        DiagFormat::Json => println!("{}", serde_json::to_string_pretty(rule).unwrap_or_default()),
        DiagFormat::Human => print!("{}", human(rule)),
    }
    Outcome::Success
}

fn human(r: &Rule) -> String {
    let example: String = r.example.lines().map(|l| format!("    {l}\n")).collect();
    let mut out = format!(
        "{} ({}): {}\n\n{}\n\nExample:\n{}\nFix: {}\n",
        r.code,
        r.severity.as_str(),
        r.title,
        r.explanation,
        example,
        r.fix
    );
    if let Some(f) = r.failure {
        out.push_str(&format!("At runtime: {f}\n"));
    }
    out
}

fn human_message(m: &irsa_core::diagnose::Message) -> String {
    let causes: String = m.causes.iter().map(|c| format!("  - {c}\n")).collect();
    let confirm: String = m.confirm.lines().map(|l| format!("    {l}\n")).collect();
    let mut out = format!(
        "{}: {}\n\n{}\n\nCauses:\n{}\nFix: {}\n\nConfirm:\n{}",
        m.code, m.title, m.meaning, causes, m.fix, confirm
    );
    if !m.rules.is_empty() {
        out.push_str(&format!(
            "\nFindings of `check` that lead to it: {}\n",
            m.rules.join(", ")
        ));
    }
    out
}
