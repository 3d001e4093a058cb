//! `irsa-gen inject`: the workload as EKS admits it (the pod identity webhook's mutation).

use irsa_core::inject::{self, InjectOptions};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # What the webhook adds to a Deployment's pods
  irsa-gen inject --service-account serviceaccount.yaml deployment.yaml

  # With the webhook's default region and regional STS endpoints, as JSON
  irsa-gen inject --service-account sa.yaml pod.yaml --region eu-west-1 \\
    --sts-regional-endpoints -o json

  # EKS Pod Identity instead of IRSA
  irsa-gen inject --pod-identity --service-account sa.yaml deployment.yaml

  # A webhook run with --compose-role-arn on a node of account 111122223333
  irsa-gen inject --compose-role-arn --account 111122223333 --service-account sa.yaml pod.yaml

Findings (what the webhook reads differently, leaves alone, or what the API server
would refuse) go to standard error; the document to standard output.

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
    /// The webhook's --aws-default-region (adds AWS_DEFAULT_REGION and AWS_REGION).
    #[arg(long, visible_alias = "aws-default-region", value_name = "REGION")]
    region: Option<String>,
    /// The webhook's --sts-regional-endpoint: the default for AWS_STS_REGIONAL_ENDPOINTS (the ServiceAccount annotation overrides it).
    #[arg(long, visible_alias = "sts-regional-endpoint")]
    sts_regional_endpoints: bool,
    /// The webhook's --token-expiration in seconds (raised to 600 at least; default: 79200 to 86400, picked per pod).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    token_expiration: Option<i64>,
    /// The webhook's --token-audience (the ServiceAccount's audience annotation overrides it).
    #[arg(long, value_name = "AUDIENCE", default_value = inject::TOKEN_AUDIENCE)]
    token_audience: String,
    /// The webhook's --annotation-prefix (of role-arn, audience, sts-regional-endpoints, token-expiration, skip-containers).
    #[arg(long, value_name = "PREFIX", default_value = inject::ANNOTATION_PREFIX)]
    annotation_prefix: String,
    /// The webhook's --token-mount-path.
    #[arg(long, value_name = "PATH", default_value = inject::TOKEN_MOUNT_PATH)]
    token_mount_path: String,
    /// The webhook's --compose-role-arn: a role-arn without `arn:` is a role name in --account and --partition (the webhook's node's).
    #[arg(long, requires = "account")]
    compose_role_arn: bool,
    /// The node's account for --compose-role-arn.
    #[arg(long, value_name = "ACCOUNT_ID", requires = "compose_role_arn")]
    account: Option<String>,
    /// The node's partition for --compose-role-arn.
    #[arg(
        long,
        value_name = "PARTITION",
        default_value = "aws",
        requires = "compose_role_arn"
    )]
    partition: String,
    /// EKS Pod Identity: an association names the ServiceAccount (the webhook's container credentials mode).
    #[arg(long)]
    pod_identity: bool,
    /// The webhook's --container-credentials-audience (Pod Identity).
    #[arg(long, value_name = "AUDIENCE", default_value = inject::CONTAINER_CREDENTIALS_AUDIENCE)]
    container_credentials_audience: String,
    /// The webhook's --container-credentials-token-mount-path (Pod Identity).
    #[arg(long, value_name = "PATH", default_value = inject::CONTAINER_CREDENTIALS_MOUNT_PATH)]
    container_credentials_token_mount_path: String,
    /// The webhook's --container-credentials-token-volume-name (Pod Identity).
    #[arg(long, value_name = "NAME", default_value = inject::CONTAINER_CREDENTIALS_VOLUME_NAME)]
    container_credentials_token_volume_name: String,
    /// The webhook's --container-credentials-token-path (Pod Identity).
    #[arg(long, value_name = "FILE", default_value = inject::CONTAINER_CREDENTIALS_TOKEN_PATH)]
    container_credentials_token_path: String,
    /// The webhook's --container-credentials-full-uri (Pod Identity).
    #[arg(long, value_name = "URI", default_value = inject::CONTAINER_CREDENTIALS_FULL_URI)]
    container_credentials_full_uri: String,
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
    let options =
        InjectOptions {
            region: args.region.clone(),
            sts_regional_endpoints: args.sts_regional_endpoints,
            token_expiration: args.token_expiration,
            audience: args.token_audience.clone(),
            annotation_prefix: args.annotation_prefix.clone(),
            token_mount_path: args.token_mount_path.clone(),
            compose_role_arn: args.account.clone().filter(|_| args.compose_role_arn).map(
                |account| inject::ComposeRoleArn {
                    account,
                    partition: args.partition.clone(),
                },
            ),
            pod_identity: args.pod_identity,
            container_credentials_audience: args.container_credentials_audience.clone(),
            container_credentials_mount_path: args.container_credentials_token_mount_path.clone(),
            container_credentials_volume_name: args.container_credentials_token_volume_name.clone(),
            container_credentials_token_path: args.container_credentials_token_path.clone(),
            container_credentials_full_uri: args.container_credentials_full_uri.clone(),
            limits: None,
        };
    let name = |d: irsa_core::diagnostic::Diagnostic| {
        let file = match d.file.as_deref() {
            Some("serviceaccount") => sa.name.clone(),
            _ => w.name.clone(),
        };
        d.in_file(Some(&file))
    };
    let sources = [
        (sa.name.as_str(), sa.text.as_str()),
        (w.name.as_str(), w.text.as_str()),
    ];
    match inject::inject(&sa.text, &w.text, &options) {
        Ok(injected) => {
            // Findings go to standard error, so that the document can be piped.
            let findings: Vec<_> = injected.findings.into_iter().map(name).collect();
            if !findings.is_empty() {
                report::print(&findings, args.format, &sources, &|_| None);
            }
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
            let diags: Vec<_> = diags.into_iter().map(name).collect();
            report::print(&diags, args.format, &sources, &|_| None);
            Outcome::InputError
        }
    }
}
