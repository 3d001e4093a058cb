//! `irsa-gen inject`: the workload as EKS admits it (the pod identity webhook's mutation).

use irsa_core::inject::{self, InjectOptions};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # What the webhook adds to a Deployment's pods
  irsa-gen inject --service-account serviceaccount.yaml deployment.yaml

  # With the webhook's default region and regional STS endpoints, as JSON
  irsa-gen inject --service-account sa.yaml pod.yaml --region eu-west-1 --sts-regional-endpoints -o json

  # EKS Pod Identity instead of IRSA
  irsa-gen inject --pod-identity --service-account sa.yaml deployment.yaml

Exit codes: 0 printed, 2 bad usage, unreadable input, or a ServiceAccount the webhook would ignore.";

/// Print a Pod or workload as EKS admits it: env, projected token volume and mounts.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The pod's ServiceAccount (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    service_account: String,
    /// The Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob; `-` reads standard input.
    #[arg(value_name = "WORKLOAD")]
    workload: String,
    /// The webhook's default region (adds AWS_REGION and AWS_DEFAULT_REGION).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// The webhook's default for regional STS endpoints (the ServiceAccount annotation overrides it).
    #[arg(long)]
    sts_regional_endpoints: bool,
    /// The webhook's default token lifetime in seconds (raised to 600 at least).
    #[arg(long, value_name = "SECONDS")]
    token_expiration: Option<u32>,
    /// EKS Pod Identity instead of IRSA.
    #[arg(long)]
    pod_identity: bool,
    /// Output format (default: the workload's own).
    #[arg(short = 'o', long, value_enum)]
    output: Option<Output>,
    /// Format of diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    format: DiagFormat,
    #[command(flatten)]
    set: input::SetArgs,
}

/// Output format of the admitted workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// YAML.
    Yaml,
    /// JSON.
    Json,
}

/// Runs `inject`.
pub fn run(args: Args) -> Outcome {
    let (sa, w) = match args
        .set
        .read_filled(&[&args.service_account, &args.workload])
    {
        Ok((inputs, unused)) => {
            report::print(&unused, DiagFormat::Human, &[], &|_| None);
            let mut inputs = inputs.into_iter();
            match (inputs.next(), inputs.next()) {
                (Some(sa), Some(w)) => (sa, w),
                _ => return Outcome::InputError,
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::InputError;
        }
    };
    let options = InjectOptions {
        region: args.region.clone(),
        sts_regional_endpoints: args.sts_regional_endpoints,
        token_expiration: args.token_expiration,
        pod_identity: args.pod_identity,
        ..InjectOptions::default()
    };
    match inject::inject(&sa.text, &w.text, &options) {
        Ok(injected) => {
            let text = match args.output {
                None => injected.text,
                Some(Output::Json) => {
                    serde_json::to_string_pretty(&injected.document).unwrap_or_default() + "\n"
                }
                Some(Output::Yaml) => irsa_core::yaml::to_string(&injected.document),
            };
            print!("{text}");
            Outcome::Success
        }
        Err(diags) => {
            let diags: Vec<_> = diags
                .into_iter()
                .map(|d| {
                    let file = match d.file.as_deref() {
                        Some("serviceaccount") => sa.name.clone(),
                        _ => w.name.clone(),
                    };
                    d.in_file(Some(&file))
                })
                .collect();
            report::print(
                &diags,
                args.format,
                &[
                    (sa.name.as_str(), sa.text.as_str()),
                    (w.name.as_str(), w.text.as_str()),
                ],
                &|_| None,
            );
            Outcome::InputError
        }
    }
}
