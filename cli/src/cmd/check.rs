//! `irsa-gen check`: find what is wrong in existing artefacts.

mod files;
mod link;
mod tree;

use irsa_core::check::{self, CheckOptions};

pub(crate) use files::read_all;

use crate::report;
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # A trust policy, a ServiceAccount and a Deployment checked together
  irsa-gen check trust-policy.json serviceaccount.yaml deployment.yaml

  # Every .json, .yaml, .yml, .tpl, .tftpl, .tf and .template file under a directory, as JSON for CI
  irsa-gen check k8s/ iam/ infra/ --format json

  # A template with its placeholders filled (${ACCOUNT_ID}, <OIDC_PROVIDER>, {{ .Values.x }}...)
  irsa-gen check trust.json.tpl --set ACCOUNT_ID=111122223333 --set-file cluster.env

  # SARIF 2.1.0 for code scanning; annotations in a GitHub Actions log
  irsa-gen check k8s/ --format sarif > irsa-gen.sarif
  irsa-gen check k8s/ --format github

  # A Helm chart: render it, then check the output (templates are not checked as they are)
  helm template my-app ./chart | irsa-gen check -

  # What a code means
  irsa-gen explain IRSA004

Exit codes: 0 no error-level finding, 1 error-level findings, 2 bad usage, unreadable or oversized input.";

/// Check trust policies, ServiceAccounts and workloads; say which runtime error each problem causes.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Files or directories (searched for .json, .yaml, .yml, .tpl, .tftpl, .tf and .template); `-` reads standard input.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    /// Format of the findings.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Largest file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024)]
    max_file_size: u64,
    /// Trust policy size quota in characters without whitespace (ACLSizePerRole; 2048 unless raised, at most 8192).
    #[arg(long, value_name = "N", default_value_t = irsa_core::quotas::DEFAULT_MAX_TRUST_POLICY_LENGTH, value_parser = trust_length)]
    max_trust_policy_length: usize,
    #[command(flatten)]
    set: crate::input::SetArgs,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum CheckFormat {
    /// rustc-style reports with source snippets, and a count.
    #[default]
    Human,
    /// `{"diagnostics": [...]}`, the shape the npm module returns.
    Json,
    /// A SARIF 2.1.0 log with every rule, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...,line=...::...`), and a count.
    Github,
}

/// `--max-trust-policy-length`: a number core accepts as the quota.
fn trust_length(s: &str) -> Result<usize, String> {
    let n: u64 = s
        .parse()
        .map_err(|e: std::num::ParseIntError| e.to_string())?;
    irsa_core::quotas::max_trust_policy_length(n).map_err(|e| e.to_string())
}

/// Runs `check`.
pub fn run(args: Args) -> Outcome {
    let values = match args.set.values() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::InputError;
        }
    };
    let slots = match files::find(&args.paths, args.max_file_size) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", crate::escape::controls(&e));
            return Outcome::InputError;
        }
    };
    let mut options = CheckOptions {
        max_trust_policy_length: args.max_trust_policy_length,
        set: values,
        ..CheckOptions::default()
    };
    options.limits.max_bytes = usize::try_from(args.max_file_size).unwrap_or(usize::MAX);
    // Files are independent until they are linked: each one is read and
    // summarised on every core; too many files are read, never summarised.
    let summarise = slots.len() <= options.max_files;
    let summaries = match files::read_and_summarise(&slots, args.max_file_size, &options, summarise)
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", crate::escape::controls(&e));
            return Outcome::InputError;
        }
    };
    let files = files::files(&slots);
    let checked = if summarise {
        // Linking, too, runs on every core: in parts core merges in its own order.
        link::link(summaries, &options, files::threads())
    } else {
        let owned: Vec<_> = files.iter().map(|f| (*f).clone()).collect();
        check::check_report(&owned, &options)
    };
    let diags = &checked.diagnostics;
    let summary = checked.inventory.summary(diags, files.len());
    match args.format {
        CheckFormat::Json => {
            let out = serde_json::json!({ "diagnostics": diags });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        CheckFormat::Sarif => print!("{}", irsa_core::sarif::to_string(diags)),
        CheckFormat::Github => {
            // The annotations are text for a log: control characters escaped.
            // As many per file as the human format shows, then a count.
            let (shown, omitted) = report::capped(diags);
            let shown: Vec<_> = shown.into_iter().cloned().collect();
            let mut annotations = irsa_core::sarif::github_annotations(&shown);
            for (file, n) in omitted {
                let more = irsa_core::sarif::escape_data(&report::more_line(file, n));
                annotations.push_str(&format!("::notice::{more}\n"));
            }
            print!("{}", crate::escape::controls(&annotations));
            println!("{summary}");
        }
        CheckFormat::Human => {
            // Findings point into the text as checked: with its placeholders filled.
            let filled: Vec<String> = files
                .iter()
                .map(|f| irsa_core::placeholder::fill(&f.text, &options.set).text)
                .collect();
            let sources: Vec<(&str, &str)> = files
                .iter()
                .zip(&filled)
                .map(|(f, t)| (f.name.as_str(), t.as_str()))
                .collect();
            print!("{}", report::render_stdout(diags, &sources));
            println!("{summary}");
        }
    }
    if diags.iter().any(|d| d.code == "IRSA402") {
        Outcome::InputError
    } else if irsa_core::has_errors(diags) {
        Outcome::Negative
    } else {
        Outcome::Success
    }
}
