//! `irsa-gen diagnose`: from the error a user got to its cause in their files.

use std::time::{SystemTime, UNIX_EPOCH};

use irsa_core::check::CheckOptions;
use irsa_core::diagnose::{self, catalogue, Diagnosis, Request, MESSAGES};

use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # Paste the error; add the files and the pod's token to find the cause in them
  kubectl logs deploy/app | irsa-gen diagnose trust-policy.json serviceaccount.yaml
  irsa-gen diagnose -m 'InvalidIdentityToken: Incorrect token audience' \\
    --token <(kubectl exec POD -- cat /var/run/secrets/eks.amazonaws.com/serviceaccount/token)
  irsa-gen diagnose --message-file error.txt k8s/ iam/ --format json

  # The messages irsa-gen recognises, and one of them explained
  irsa-gen diagnose --list
  irsa-gen explain DIAG001

Exit codes: 0 recognised and answered, 1 not recognised, 2 bad usage or unreadable input.";

/// Say what an AWS SDK, CLI or pod error means and where its cause is in your files.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Your files (trust policy, ServiceAccount, workload, IaC), as `check` takes them.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// The error text (without it, --message-file, else standard input).
    #[arg(short, long, value_name = "TEXT", conflicts_with = "message_file")]
    message: Option<String>,
    /// A file holding the error text; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    message_file: Option<String>,
    /// The pod's projected token (decoded, never verified).
    #[arg(long, value_name = "FILE")]
    token: Option<String>,
    /// The time to compare the token's exp with, in seconds since the epoch (default: now).
    #[arg(long, value_name = "SECONDS")]
    now: Option<i64>,
    /// List the messages recognised, with their codes.
    #[arg(long)]
    list: bool,
    /// Output format: `human`, or `json`: the answer as one object (`message`, `fix`,
    /// `confirm`, `evidence`...; with --list, `{"messages": [...]}`), as the npm module's
    /// `diagnose()` returns it.
    // Not the checker's `{"diagnostics": [...]}` that DiagFormat's values describe.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, hide_possible_values = true)]
    format: DiagFormat,
}

/// Runs `diagnose`.
pub fn run(args: Args) -> Outcome {
    if args.list {
        match args.format {
            DiagFormat::Json => println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "messages": MESSAGES }))
                    .unwrap_or_default()
            ),
            DiagFormat::Human => catalogue::codes()
                .into_iter()
                .filter_map(catalogue::message)
                .for_each(|m| println!("{}  {}", m.code, m.title)),
        }
        return Outcome::Success;
    }
    let inputs = read_inputs(&args);
    let (message, files, token) = match inputs {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::InputError;
        }
    };
    let now = args.now.or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
    });
    let options = CheckOptions::default();
    let answer = diagnose::diagnose(&Request {
        message: &message,
        files: &files,
        token: token.as_deref(),
        now,
        options: &options,
    });
    match args.format {
        DiagFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&answer).unwrap_or_default()
        ),
        DiagFormat::Human => {
            let sources: Vec<(&str, &str)> = files
                .iter()
                .map(|f| (f.name.as_str(), f.text.as_str()))
                .collect();
            print!("{}", human(&answer, &sources));
        }
    }
    if answer.message.is_some() {
        Outcome::Success
    } else {
        Outcome::Negative
    }
}

type Inputs = (String, Vec<irsa_core::SourceFile>, Option<String>);

fn read_inputs(args: &Args) -> Result<Inputs, String> {
    let message = match (&args.message, &args.message_file) {
        (Some(m), _) => m.clone(),
        (None, Some(path)) => crate::input::read(path)?.text,
        (None, None) => crate::input::read("-")?.text,
    };
    let max = u64::try_from(irsa_core::source::Limits::default().max_bytes).unwrap_or(u64::MAX);
    let files = if args.paths.is_empty() {
        Vec::new()
    } else {
        super::check::read_all(&args.paths, max)?
    };
    let token = match &args.token {
        Some(path) => Some(crate::input::read(path)?.text),
        None => None,
    };
    Ok((message, files, token))
}

fn human(d: &Diagnosis, sources: &[(&str, &str)]) -> String {
    let Some(m) = d.message else {
        let mut out =
            String::from("not recognised: the text is none of the messages irsa-gen knows:\n");
        for m in d.known.iter().filter_map(|c| catalogue::message(c)) {
            out.push_str(&format!("  {}  {}\n", m.code, m.title));
        }
        return out;
    };
    let mut out = format!("{}: {}\n\nWhat happened: {}\n", m.code, m.title, m.meaning);
    let x = &d.extracted;
    let named: Vec<String> = [
        ("role", &x.role_arn),
        ("session", &x.session_name),
        ("account", &x.account),
        ("issuer", &x.issuer),
        ("action", &x.action),
        ("resource", &x.resource),
        ("region", &x.region),
        ("endpoint", &x.endpoint),
    ]
    .iter()
    // Quoted from the pasted message: escaped for the terminal.
    .filter_map(|(k, v)| {
        v.as_ref()
            .map(|v| format!("  {k}: {}\n", crate::escape::controls(v)))
    })
    .collect();
    if !named.is_empty() {
        out.push_str(&format!("\nThe message names:\n{}", named.concat()));
    }
    if let Some(t) = &d.token {
        out.push_str(&format!(
            "\nThe token: iss {}, sub {}, aud [{}], exp {}\n",
            t.iss.as_deref().unwrap_or("-"),
            t.sub.as_deref().unwrap_or("-"),
            t.aud.join(", "),
            t.exp.map_or_else(|| "-".into(), |e| e.to_string())
        ));
    }
    out.push_str("\nWhy:\n");
    for f in &d.facts {
        out.push_str(&format!("  - {f}\n"));
    }
    if !d.evidence.is_empty() {
        out.push('\n');
        out.push_str(&report::render_stdout(&d.evidence, sources));
    }
    out.push_str("\nCauses to look for:\n");
    for c in m.causes {
        out.push_str(&format!("  - {c}\n"));
    }
    out.push_str(&format!(
        "\nFix: {}\n",
        d.fix.as_deref().unwrap_or_default()
    ));
    out.push_str("\nConfirm:\n");
    for line in d.confirm.as_deref().unwrap_or_default().lines() {
        out.push_str(&format!("  {line}\n"));
    }
    out
}
