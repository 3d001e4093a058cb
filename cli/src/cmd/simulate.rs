//! `irsa-gen simulate`: would this trust policy let a ServiceAccount's token in?

use std::collections::BTreeMap;

use irsa_core::eval::{self, Decision, ProviderResult, RoleSource, SimulateRequest, Simulation};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "The role's account:
  STS looks the token's issuer up among the IAM OIDC providers of the role's own
  account and partition. A statement whose Federated principal names the issuer's
  provider in another account or partition never applies, neither its Allow nor
  its Deny; simulate lists such statements under each provider. Give the role with
  --role-arn, or --account (the partition is then the issuer region's). Without
  either, simulate assumes the account of the trust's first OIDC provider and
  says so.

Keys only the caller knows:
  aws:CurrentTime, aws:EpochTime, aws:SourceIp, aws:UserAgent, aws:RequestedRegion,
  aws:Referer, aws:SourceVpc, aws:SourceVpce, aws:VpcSourceIp, sts:RoleSessionName
  (and, for Pod Identity, aws:SourceAccount, aws:SourceArn and the eks-cluster-*,
  kubernetes-pod-* session tags) are given with --context KEY=VALUE. Without them
  a decision that depends on them is Conditional, naming the key. The request
  carries ISSUER:sub, ISSUER:aud, aws:FederatedProvider and aws:SecureTransport
  (true); every other key is absent, as in IAM.

Examples:
  # Can production/s3-writer assume the role?
  irsa-gen simulate --trust trust-policy.json --namespace production --service-account s3-writer \\
    --role-arn arn:aws:iam::111122223333:role/S3WriterRole

  # A token for another audience, from one cluster of a multi-cluster trust
  irsa-gen simulate --trust trust-policy.json -n production --service-account s3-writer \\
    --audience my-audience \\
    --issuer https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE

  # A trust that also requires the caller's network
  irsa-gen simulate --trust trust-policy.json -n production --service-account s3-writer \\
    --account 111122223333 --context aws:SourceIp=10.1.2.3

Exit codes: 0 Allow, 1 Deny or Conditional, 2 bad usage or unreadable trust policy.";

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
    /// The role's ARN: STS looks the token's provider up in its account and partition.
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    /// The role's account, when its ARN is not given (the partition is the issuer region's).
    #[arg(long, value_name = "ACCOUNT")]
    account: Option<String>,
    /// A key only the caller knows, `KEY=VALUE` (repeatable; repeat a key for several values).
    #[arg(long, value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    format: DiagFormat,
    #[command(flatten)]
    set: input::SetArgs,
}

/// `KEY=VALUE` pairs, several values of a key in order.
fn parse_context(pairs: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            return Err(format!("--context `{pair}` is not KEY=VALUE"));
        };
        out.entry(k.trim().to_string())
            .or_default()
            .push(v.to_string());
    }
    Ok(out)
}

/// Runs `simulate`.
pub fn run(args: Args) -> Outcome {
    let context = match parse_context(&args.context) {
        Ok(c) => c,
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
        role_arn: args.role_arn.clone(),
        account: args.account.clone(),
        context,
    };
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
        DiagFormat::Human => print_human(&args, &sim),
    }
    match sim.decision {
        Decision::Allow => Outcome::Success,
        Decision::Deny | Decision::Conditional => Outcome::Negative,
    }
}

fn print_human(args: &Args, sim: &Simulation) {
    let sub = irsa_core::kube::subject(&args.namespace, &args.service_account);
    let aud = args
        .audience
        .as_deref()
        .unwrap_or(irsa_core::kube::DEFAULT_AUDIENCE);
    let verb = match sim.decision {
        Decision::Allow => "Allow: the trust policy admits",
        Decision::Deny => "Deny: the trust policy does not admit",
        Decision::Conditional => {
            "Conditional: keys only the caller knows decide whether the trust policy admits"
        }
    };
    println!("{verb} {sub} (aud {aud})");
    let hint = match sim.role.source {
        RoleSource::Assumed => " (pass --role-arn or --account to decide for another)",
        _ => "",
    };
    println!("  role: {}{hint}", crate::escape::controls(&sim.role.note));
    for r in &sim.results {
        print_result(r);
    }
}

fn print_result(r: &ProviderResult) {
    let e = &r.evaluation;
    let mut at = Vec::new();
    if let Some(s) = e.statement {
        at.push(format!("statement {s}"));
    }
    if let Some(c) = &e.condition {
        at.push(format!("condition {c}"));
    }
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" [{}]", at.join(", "))
    };
    let provider = match r.provider.as_str() {
        "" => "(no provider)",
        eval::ANY_ISSUER => "any issuer (wildcard principal)",
        p => p,
    };
    // The provider and the reason quote the trust file: escaped for the terminal.
    println!(
        "  {}: {:?}{}: {}",
        crate::escape::controls(provider),
        e.decision,
        crate::escape::controls(&at),
        crate::escape::controls(&e.reason)
    );
    if !e.depends_on.is_empty() {
        let flags: Vec<String> = e
            .depends_on
            .iter()
            .map(|k| format!("--context {k}=VALUE"))
            .collect();
        println!("    decide it with {}", flags.join(" "));
    }
    for f in &e.foreign {
        println!(
            "    statement {} does not apply: `{}`: {}",
            f.statement, f.provider, f.reason
        );
    }
}
