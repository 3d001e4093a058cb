//! `irsa-gen simulate`: would this trust policy let a ServiceAccount's token in?

use irsa_core::eval::{self, Decision, SimulateRequest};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # Can production/s3-writer assume the role?
  irsa-gen simulate --trust trust-policy.json --namespace production --service-account s3-writer

  # A token for another audience, from one cluster of a multi-cluster trust
  irsa-gen simulate --trust trust-policy.json -n production --service-account s3-writer \\
    --audience my-audience --issuer https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE

Exit codes: 0 Allow, 1 Deny, 2 bad usage or unreadable trust policy.";

/// Decide Allow or Deny for a ServiceAccount token against a trust policy, with the deciding statement and condition.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The trust policy (JSON or YAML); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    trust: String,
    /// The pod's namespace.
    #[arg(long, short = 'n', value_name = "NAMESPACE")]
    namespace: String,
    /// The pod's ServiceAccount.
    #[arg(long, value_name = "NAME")]
    service_account: String,
    /// The token audience (default sts.amazonaws.com).
    #[arg(long, value_name = "AUDIENCE")]
    audience: Option<String>,
    /// The cluster's OIDC issuer URL; without it every provider in the trust is evaluated.
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    format: DiagFormat,
    #[command(flatten)]
    set: input::SetArgs,
}

/// Runs `simulate`.
pub fn run(args: Args) -> Outcome {
    let trust = match args.set.read_filled(&[&args.trust]) {
        Ok((mut inputs, unused)) if !inputs.is_empty() => {
            report::print(&unused, DiagFormat::Human, &[], &|_| None);
            inputs.remove(0)
        }
        Ok(_) => return Outcome::InputError,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::InputError;
        }
    };
    let request = SimulateRequest {
        namespace: args.namespace.clone(),
        service_account: args.service_account.clone(),
        audience: args.audience.clone(),
        issuer: args.issuer.clone(),
    };
    let sim = match eval::simulate(&trust.text, &request) {
        Ok(s) => s,
        Err(diags) => {
            let diags: Vec<_> = diags
                .into_iter()
                .map(|d| d.in_file(Some(&trust.name)))
                .collect();
            report::print(
                &diags,
                args.format,
                &[(trust.name.as_str(), trust.text.as_str())],
                &|_| None,
            );
            return Outcome::InputError;
        }
    };
    match args.format {
        DiagFormat::Json => println!("{}", serde_json::to_string_pretty(&sim).unwrap_or_default()),
        DiagFormat::Human => {
            let sub = irsa_core::kube::subject(&args.namespace, &args.service_account);
            let aud = args
                .audience
                .as_deref()
                .unwrap_or(irsa_core::kube::DEFAULT_AUDIENCE);
            let verb = match sim.decision {
                Decision::Allow => "Allow: the trust policy admits",
                Decision::Deny => "Deny: the trust policy does not admit",
            };
            println!("{verb} {sub} (aud {aud})");
            for r in &sim.results {
                let mut at = Vec::new();
                if let Some(s) = r.statement {
                    at.push(format!("statement {s}"));
                }
                if let Some(c) = &r.condition {
                    at.push(format!("condition {c}"));
                }
                let at = if at.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", at.join(", "))
                };
                let provider = if r.provider.is_empty() {
                    "(no provider)"
                } else {
                    r.provider.as_str()
                };
                println!("  {provider}: {:?}{at}: {}", r.decision, r.reason);
            }
        }
    }
    match sim.decision {
        Decision::Allow => Outcome::Success,
        Decision::Deny => Outcome::Negative,
    }
}
