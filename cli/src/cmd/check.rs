//! `irsa-gen check`: find what is wrong in existing artefacts.

use std::io::Read;
use std::path::Path;

use irsa_core::check::{self, CheckOptions, SourceFile};

use crate::report;
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # A trust policy, a ServiceAccount and a Deployment checked together
  irsa-gen check trust-policy.json serviceaccount.yaml deployment.yaml

  # Every .json, .yaml, .yml, .tpl, .tf and .template file under a directory, as JSON for CI
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
    /// Files or directories (searched for .json, .yaml, .yml, .tpl, .tf and .template); `-` reads standard input.
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
    let files = match read_all(&args.paths, args.max_file_size) {
        Ok(f) => f,
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
    let checked = if files.len() > options.max_files {
        check::check_report(&files, &options)
    } else {
        // Files are independent until they are linked: parse them on every core.
        let summaries = parallel(&files, |f| check::summarise(f, &options));
        check::link_report(summaries, &options)
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

/// Maps `f` over `items` on up to `available_parallelism` threads, keeping order.
fn parallel<'a, T: Sync, R: Send>(items: &'a [T], f: impl Fn(&'a T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            // A thread that panicked re-raises its panic here instead of losing files.
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

enum Source {
    Stdin(String),
    File(std::path::PathBuf),
}

/// Reads every path: files as given, directories recursed for
/// .json/.yaml/.yml/.tpl/.tf/.template (not into `.terraform`, the modules
/// Terraform downloads), `-` for stdin.
pub(crate) fn read_all(paths: &[String], max: u64) -> Result<Vec<SourceFile>, String> {
    let mut sources = Vec::new();
    for p in paths {
        if p == "-" {
            let mut text = String::new();
            std::io::stdin()
                .take(max.saturating_add(1))
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            if text.len() as u64 > max {
                return Err(format!(
                    "standard input is larger than the limit of {max} bytes (--max-file-size)"
                ));
            }
            sources.push(Source::Stdin(text));
            continue;
        }
        let path = Path::new(p);
        if path.is_dir() {
            sources.extend(walk(path)?.into_iter().map(Source::File));
        } else {
            sources.push(Source::File(path.to_path_buf()));
        }
    }
    parallel(&sources, |s| match s {
        Source::Stdin(text) => Ok(SourceFile {
            name: "<stdin>".into(),
            text: text.clone(),
        }),
        Source::File(path) => read_file(path, max),
    })
    .into_iter()
    .collect()
}

/// The manifests under a directory, in name order. Symbolic links to files
/// and folders are followed, each folder and file walked once: a link beside
/// its target (a chart's `current -> v2`) or two links to one folder add
/// nothing, and the first name in order is the one findings show. A link that
/// leads back to a folder it is in, a dangling link and an unreadable folder
/// are errors naming the path: nothing is skipped in silence.
fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let canonical = |p: &Path| {
        std::fs::canonicalize(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let mut seen = std::collections::HashSet::new();
    // Each folder's real path, so that an entry that is no link is its
    // folder's real path and its name: one `realpath` per link, not per file.
    let mut real: std::collections::HashMap<std::path::PathBuf, std::path::PathBuf> =
        std::collections::HashMap::new();
    let mut found = Vec::new();
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| walk_error(&e))?;
        let kind = entry.file_type();
        let in_real_folder = entry.path().parent().and_then(|p| real.get(p));
        let real_path = |entry: &walkdir::DirEntry| match in_real_folder {
            Some(folder) if entry.depth() > 0 && !entry.path_is_symlink() => {
                Ok(folder.join(entry.file_name()))
            }
            _ => canonical(entry.path()),
        };
        if kind.is_dir() {
            // Terraform's own cache of downloaded modules is not the user's.
            let cache = entry.depth() > 0 && entry.file_name() == ".terraform";
            if cache {
                entries.skip_current_dir();
                continue;
            }
            let path = real_path(&entry)?;
            if seen.insert(path.clone()) {
                real.insert(entry.path().to_path_buf(), path);
            } else {
                entries.skip_current_dir();
            }
        } else if kind.is_file() && is_manifest(entry.path()) && seen.insert(real_path(&entry)?) {
            found.push(entry.into_path());
        }
    }
    Ok(found)
}

fn walk_error(e: &walkdir::Error) -> String {
    let path = e
        .path()
        .map_or_else(String::new, |p| p.display().to_string());
    match e.loop_ancestor() {
        Some(ancestor) => format!(
            "{path} is a symbolic link loop: it leads back to {}, a folder it is in",
            ancestor.display()
        ),
        None => match e.io_error() {
            Some(io) => format!("cannot read {path}: {io}"),
            None => format!("cannot read {path}: {e}"),
        },
    }
}

/// The files a directory is searched for: JSON, YAML and templates
/// (`*.tpl`, `*.json.tpl`, `*.yaml.tpl`, Terraform's `*.tftpl`, whose
/// placeholders `--set` fills), Terraform (`*.tf`) and CloudFormation (`*.template`).
fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml" | "tpl" | "tftpl" | "tf" | "template")
    )
}

fn read_file(path: &Path, max: u64) -> Result<SourceFile, String> {
    let name = path.display().to_string();
    // One open and one read: no separate stat, and never more than the limit in memory.
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut text = String::new();
    file.take(max.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if text.len() as u64 > max {
        return Err(format!(
            "{name} is larger than the limit of {max} bytes (--max-file-size)"
        ));
    }
    Ok(SourceFile { name, text })
}
