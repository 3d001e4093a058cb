//! `irsa-gen simulate`: would this trust policy let a ServiceAccount's token in?
//! With `--policy`: would these permissions policies allow an action on a
//! resource (the offline `aws iam simulate-principal-policy`)?

use std::collections::BTreeMap;
use std::fmt::Write as _;

use irsa_core::eval::permissions::{self, PermissionsRequest, PermissionsSimulation, PolicySet};
use irsa_core::eval::{
    self, Decision, ProviderResult, RoleSession, RoleSource, SessionEvaluation, SimulateRequest,
    Simulation,
};
use irsa_core::SourceFile;

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

A role session (--principal-role-arn):
  May a session of that role (role chaining, EKS Pod Identity's targetRoleArn,
  any cross-account hop) call sts:AssumeRole on the role whose trust this is? With
  --session-tag KEY=VALUE the call passes session tags and needs sts:TagSession
  too. A role ARN in Principal admits that role's sessions; an account (or its
  :root) admits its principals only when their identity-based policy also allows,
  and a caller of another account (--role-arn or --account of the trust's role)
  always needs that: simulate decides the trust side and says what it leaves.
  The request carries aws:PrincipalArn (the role's ARN), aws:PrincipalAccount,
  aws:PrincipalType and the tags as aws:RequestTag/KEY; aws:PrincipalTag/...,
  aws:PrincipalOrgID and the like are unknown unless given with --context.

  # May the cluster account's source role assume the target role?
  irsa-gen simulate --trust target-trust.json \\
    --principal-role-arn arn:aws:iam::111122223333:role/s3-writer-pod-identity \\
    --session-tag kubernetes-namespace=payments --role-arn arn:aws:iam::444455556666:role/s3-writer

Permissions policies (--policy):
  The role's identity-based policies (inline and managed documents, or the output of
  aws iam get-role-policy / get-policy-version), within its permissions boundary
  (--boundary), for one action on one resource: an explicit Deny wins, then an
  Allow, else the implicit deny names the nearest statement and what it lacks (the
  action, or a narrower resource). Context keys (--context KEY=VALUE, any key) give
  the values of conditions and policy variables (${aws:username},
  ${aws:PrincipalTag/team}); a key not given is unknown, and a decision that
  depends on it is Conditional, naming the key. Resource-based policies, SCPs and
  session policies are not evaluated.

  # Can the role write this object? (aws iam simulate-principal-policy, offline)
  irsa-gen simulate --policy s3-writer-policy.json --action s3:PutObject \\
    --resource arn:aws:s3:::my-app-uploads/a.txt
  irsa-gen simulate --policy inline.json --policy managed.json --boundary boundary.json \\
    --action s3:GetObject --resource arn:aws:s3:::home/alice/a.txt --context aws:username=alice

Exit codes: 0 Allow, 1 Deny or Conditional, 2 bad usage or an unreadable policy.";

/// Decide Allow or Deny for a ServiceAccount token against a trust policy, or for an action on a resource against permissions policies, with the deciding statement.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The trust policy (JSON or YAML); `-` reads standard input.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "policy",
        conflicts_with = "policy"
    )]
    trust: Option<String>,
    /// The pod's namespace (with --trust).
    #[arg(
        long,
        short = 'n',
        value_name = "NAMESPACE",
        required_unless_present_any = ["policy", "principal_role_arn"],
        conflicts_with_all = ["policy", "principal_role_arn"]
    )]
    namespace: Option<String>,
    /// The pod's ServiceAccount (with --trust).
    #[arg(
        long,
        value_name = "NAME",
        required_unless_present_any = ["policy", "principal_role_arn"],
        conflicts_with_all = ["policy", "principal_role_arn"]
    )]
    service_account: Option<String>,
    /// Instead of a ServiceAccount: may a session of this role (of any account)
    /// call sts:AssumeRole on the role whose trust it is (role chaining)?
    #[arg(long, value_name = "ARN", requires = "trust", conflicts_with_all = ["policy", "audience", "issuer"])]
    principal_role_arn: Option<String>,
    /// A session tag the role session passes, `KEY=VALUE` (repeatable; with
    /// --principal-role-arn): the call then needs sts:TagSession too.
    #[arg(long, value_name = "KEY=VALUE", requires = "principal_role_arn")]
    session_tag: Vec<String>,
    /// The token audience (default sts.amazonaws.com).
    #[arg(long, value_name = "AUDIENCE", conflicts_with = "policy")]
    audience: Option<String>,
    /// The cluster's OIDC issuer URL; without it every provider in the trust is evaluated.
    #[arg(long, value_name = "URL", conflicts_with = "policy")]
    issuer: Option<String>,
    /// The role's ARN: STS looks the token's provider up in its account and partition.
    #[arg(long, value_name = "ARN", conflicts_with = "policy")]
    role_arn: Option<String>,
    /// The role's account, when its ARN is not given (the partition is the issuer region's).
    #[arg(long, value_name = "ACCOUNT", conflicts_with = "policy")]
    account: Option<String>,
    /// A permissions (identity-based) policy of the role, inline or managed (repeatable).
    #[arg(long, value_name = "FILE", requires_all = ["action", "resource"])]
    policy: Vec<String>,
    /// The role's permissions boundary (with --policy).
    #[arg(long, value_name = "FILE", requires = "policy")]
    boundary: Option<String>,
    /// The action to decide (with --policy): `s3:PutObject`.
    #[arg(long, value_name = "ACTION", requires = "policy")]
    action: Option<String>,
    /// The resource's ARN (with --policy): `arn:aws:s3:::bucket/key`, or `*`.
    #[arg(long, value_name = "ARN", requires = "policy")]
    resource: Option<String>,
    /// A context key's value, `KEY=VALUE` (repeatable; repeat a key for several values):
    /// with --trust a key only the caller knows, with --policy any key.
    #[arg(long, value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Output format: `human`, or `json`: the decision as one object (`decision`; with --trust
    /// `role` and `results`, one per provider; with --policy `decidedBy`, `statement`, `missing`...).
    // Not the checker's `{"diagnostics": [...]}` that DiagFormat's values describe.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, hide_possible_values = true)]
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
    if !args.policy.is_empty() {
        return run_permissions(&args, context);
    }
    if let Some(principal) = &args.principal_role_arn {
        return run_session(&args, principal, context);
    }
    let (Some(trust_path), Some(namespace), Some(service_account)) =
        (&args.trust, &args.namespace, &args.service_account)
    else {
        eprintln!("error: --trust, --namespace and --service-account are required (or --policy)");
        return Outcome::InputError;
    };
    let request = SimulateRequest {
        namespace: namespace.clone(),
        service_account: service_account.clone(),
        audience: args.audience.clone(),
        issuer: args.issuer.clone(),
        role_arn: args.role_arn.clone(),
        account: args.account.clone(),
        context,
    };
    let trust = match read_trust(&args.set, &[trust_path]) {
        Ok(trust) => trust,
        Err(outcome) => return outcome,
    };
    match eval::simulate(&trust.text, &request) {
        Ok(sim) => finish(args.format, &sim, sim.decision, || human(&args, &sim)),
        Err(diags) => unreadable_trust(diags, args.format, &trust),
    }
}

/// Reads the files (`--set` values filled), printing the unused `--set` names.
fn read_sources(set: &input::SetArgs, paths: &[&str]) -> Result<Vec<SourceFile>, Outcome> {
    match set.read_filled(paths) {
        Ok((inputs, unused)) => {
            report::print(&unused, DiagFormat::Human, &[], &|_| None);
            Ok(inputs
                .into_iter()
                .map(|i| SourceFile {
                    name: i.name,
                    text: i.text,
                })
                .collect())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(Outcome::InputError)
        }
    }
}

/// Prints a simulation (JSON, or the human text) and maps its decision to the exit code.
fn finish<T: serde::Serialize>(
    format: DiagFormat,
    sim: &T,
    decision: Decision,
    human: impl FnOnce() -> String,
) -> Outcome {
    match format {
        DiagFormat::Json => println!("{}", serde_json::to_string_pretty(sim).unwrap_or_default()),
        DiagFormat::Human => print!("{}", human()),
    }
    match decision {
        Decision::Allow => Outcome::Success,
        Decision::Deny | Decision::Conditional => Outcome::Negative,
    }
}

/// Prints why the policies could not be read, with their text for snippets.
/// The trust policy to simulate: the first of `paths` read (with `--set`
/// values filled in).
fn read_trust(set: &input::SetArgs, paths: &[&str]) -> Result<SourceFile, Outcome> {
    match read_sources(set, paths) {
        Ok(files) => files.into_iter().next().ok_or(Outcome::InputError),
        Err(outcome) => Err(outcome),
    }
}

/// A trust the evaluator could not read: its findings, in that file.
fn unreadable_trust(
    diags: Vec<irsa_core::Diagnostic>,
    format: DiagFormat,
    trust: &SourceFile,
) -> Outcome {
    let diags: Vec<_> = diags
        .into_iter()
        .map(|d| d.in_file(Some(&trust.name)))
        .collect();
    unreadable(&diags, format, std::slice::from_ref(trust))
}

fn unreadable(
    diags: &[irsa_core::Diagnostic],
    format: DiagFormat,
    files: &[SourceFile],
) -> Outcome {
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    report::print(diags, format, &sources, &|_| None);
    Outcome::InputError
}

/// The trust simulation as the terminal shows it.
fn human(args: &Args, sim: &Simulation) -> String {
    let mut out = String::new();
    let sub = irsa_core::kube::subject(
        args.namespace.as_deref().unwrap_or_default(),
        args.service_account.as_deref().unwrap_or_default(),
    );
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
    let _ = writeln!(out, "{verb} {sub} (aud {aud})");
    let hint = match sim.role.source {
        RoleSource::Assumed => " (pass --role-arn or --account to decide for another)",
        _ => "",
    };
    let _ = writeln!(
        out,
        "  role: {}{hint}",
        crate::escape::controls(&sim.role.note)
    );
    for r in &sim.results {
        result(&mut out, r);
    }
    out
}

fn result(out: &mut String, r: &ProviderResult) {
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
    let _ = writeln!(
        out,
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
        let _ = writeln!(out, "    decide it with {}", flags.join(" "));
    }
    for f in &e.foreign {
        let _ = writeln!(
            out,
            "    statement {} does not apply: `{}`: {}",
            f.statement, f.provider, f.reason
        );
    }
}

/// `simulate --principal-role-arn`: a session of that role calling
/// sts:AssumeRole (and sts:TagSession) on the role whose trust it is.
fn run_session(args: &Args, principal: &str, context: BTreeMap<String, Vec<String>>) -> Outcome {
    let session_tags = match parse_context(&args.session_tag) {
        Ok(tags) => tags
            .into_iter()
            .map(|(k, mut v)| (k, v.pop().unwrap_or_default()))
            .collect(),
        Err(e) => {
            eprintln!("error: {}", e.replace("--context", "--session-tag"));
            return Outcome::InputError;
        }
    };
    let session = RoleSession {
        role_arn: principal.trim().to_string(),
        session_tags,
        context,
        ..RoleSession::default()
    };
    let target = match (&args.role_arn, &args.account) {
        (Some(arn), _) => match eval::Role::from_arn(arn) {
            Ok(r) => Some(r.account),
            Err(p) => {
                eprintln!("error: --role-arn `{arn}` is malformed: {p}");
                return Outcome::InputError;
            }
        },
        (None, account) => account.clone(),
    };
    let paths: Vec<&str> = args.trust.iter().map(String::as_str).collect();
    let trust = match read_trust(&args.set, &paths) {
        Ok(trust) => trust,
        Err(outcome) => return outcome,
    };
    match eval::simulate_session(&trust.text, &session, target.as_deref()) {
        Ok(e) => finish(args.format, &e, e.evaluation.decision, || session_human(&e)),
        Err(diags) => unreadable_trust(diags, args.format, &trust),
    }
}

fn session_human(e: &SessionEvaluation) -> String {
    let verb = match e.evaluation.decision {
        Decision::Allow => "Allow: the trust policy admits",
        Decision::Deny => "Deny: the trust policy does not admit",
        Decision::Conditional => {
            "Conditional: keys only the caller knows decide whether the trust policy admits"
        }
    };
    let mut out = format!(
        "{verb} a session of {} ({})\n",
        crate::escape::controls(&e.principal_role_arn),
        e.actions.join(", ")
    );
    result(
        &mut out,
        &ProviderResult {
            provider: "trust".into(),
            role: None,
            evaluation: e.evaluation.clone(),
        },
    );
    for n in &e.notes {
        let _ = writeln!(out, "  note: {}", crate::escape::controls(n));
    }
    out
}

/// `simulate --policy`: the permissions policies (and boundary) for one action on one resource.
fn run_permissions(args: &Args, context: BTreeMap<String, Vec<String>>) -> Outcome {
    let request = PermissionsRequest {
        action: args.action.clone().unwrap_or_default(),
        resource: args.resource.clone().unwrap_or_default(),
        context,
    };
    let mut paths: Vec<&str> = args.policy.iter().map(String::as_str).collect();
    paths.extend(args.boundary.as_deref());
    let mut files = match read_sources(&args.set, &paths) {
        Ok(files) => files,
        Err(outcome) => return outcome,
    };
    let boundary = args.boundary.as_ref().and_then(|_| files.pop());
    match permissions::simulate_permissions(&files, boundary.as_ref(), &request) {
        Ok(sim) => finish(args.format, &sim, sim.decision, || permissions_human(&sim)),
        Err(diags) => {
            files.extend(boundary);
            unreadable(&diags, args.format, &files)
        }
    }
}

fn permissions_human(sim: &PermissionsSimulation) -> String {
    let verb = match sim.decision {
        Decision::Allow => "Allow: the policies allow",
        Decision::Deny => "Deny: the policies do not allow",
        Decision::Conditional => "Conditional: context keys decide whether the policies allow",
    };
    let mut out = format!("{verb} {} on {}\n", sim.action, sim.resource);
    let by = match sim.decided_by {
        PolicySet::Identity => "identity policies",
        PolicySet::Boundary => "permissions boundary",
    };
    let d = sim;
    out.push_str(&format!("  {by}: {}\n", d.reason));
    if let Some(s) = &d.statement {
        let effect = s.effect.map(|e| format!(" ({e:?})")).unwrap_or_default();
        out.push_str(&format!(
            "  statement: {}:{}:{} {}{effect}\n",
            s.file,
            s.line,
            s.column,
            s.label()
        ));
        if let Some(m) = &d.missing {
            out.push_str(&format!(
                "  missing: {:?} at {}:{}:{}\n",
                m.element, s.file, m.line, m.column
            ));
        }
    }
    if !d.depends_on.is_empty() {
        let flags: Vec<String> = d
            .depends_on
            .iter()
            .map(|k| format!("--context {k}=VALUE"))
            .collect();
        out.push_str(&format!("    decide it with {}\n", flags.join(" ")));
    }
    let other = match sim.decided_by {
        PolicySet::Identity => sim.boundary.as_ref().map(|b| ("permissions boundary", b)),
        PolicySet::Boundary => Some(("identity policies", &sim.identity)),
    };
    if let Some((name, s)) = other.filter(|_| sim.decision != Decision::Allow) {
        out.push_str(&format!("  {name}: {:?}: {}\n", s.decision, s.reason));
    }
    out.push_str("  (identity-based policies and the boundary only: resource-based policies, SCPs and session policies are not evaluated)\n");
    out
}
