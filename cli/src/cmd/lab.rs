//! `irsa-gen lab`: an OIDC issuer, STS and the Pod Identity Agent on
//! 127.0.0.1 (the irsa-lab crate), so real AWS SDKs can prove a setup before
//! AWS does. `serve` runs it, `token` writes a projected token as the kubelet
//! would, `env` prints a pod's environment pointed at it, `test` runs the
//! negative matrix. Every decision is core's; this module reads files and
//! flags, runs the server and prints.

use std::path::{Path, PathBuf};

use irsa_core::emulate::account::{Bound, Mode};
use irsa_core::emulate::from_files::{self, FileOptions};
use irsa_core::emulate::{env, matrix, Account, IssuerMap};
use irsa_lab::keys::{KeyRing, SigningKey};
use irsa_lab::mint::{mint, Mint};
use irsa_lab::state::{self, State};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

const EXAMPLES: &str = "Examples:
  # The step-by-step guide's Step 6, on this machine
  irsa-gen lab serve -f examples/s3-writer.yaml &
  eval \"$(irsa-gen lab env -n production --service-account s3-writer)\"
  aws sts get-caller-identity        # arn:aws:sts::123456789012:assumed-role/S3WriterRole/...

  # CI: every bound ServiceAccount admitted, its neighbours refused
  irsa-gen lab test -f examples/s3-writer.yaml

  # The files you already have: a trust beside its ServiceAccount, or named with --role
  irsa-gen lab test out/                     # generate --output-dir out/ wrote them
  irsa-gen lab test trust.json k8s/ --role arn:aws:iam::123456789012:role/S3WriterRole=trust.json

Exit codes: 0 success (test: every probe as AWS would answer), 1 a probe answered otherwise, 2 bad usage or input.";

/// A local OIDC issuer, STS and Pod Identity endpoint on 127.0.0.1 that evaluate your trust.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(subcommand)]
    command: LabCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LabCommand {
    Serve(ServeArgs),
    Token(TokenArgs),
    Env(EnvArgs),
    Test(TestArgs),
}

/// The setup the lab emulates: a spec, or the files people already have.
#[derive(Debug, clap::Args)]
struct SetupArgs {
    /// The spec of the setup (YAML or JSON).
    #[arg(
        long,
        short = 'f',
        value_name = "FILE",
        conflicts_with = "paths",
        required_unless_present = "paths"
    )]
    file: Option<String>,
    /// Or the files `check` reads: trust policies, `aws iam get-role` output, ServiceAccounts,
    /// `aws eks describe-pod-identity-association` output (directories are searched).
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// The role a bare trust policy file belongs to (repeatable); a trust beside the
    /// ServiceAccount that names its role needs none.
    #[arg(long, value_name = "ARN=FILE")]
    role: Vec<String>,
    /// With files: the cluster's OIDC issuer URL (default: the providers the trusts name).
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
}

/// Serve the issuers, STS and the container credentials endpoint until SIGINT or SIGTERM.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The clusters' signing key (RSA, PKCS#8 PEM); without it one is made at start.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// Where `lab token` and `lab env` find the running lab.
    #[arg(long, value_name = "DIR", default_value = ".irsa-lab")]
    state: PathBuf,
    /// Print one line per request to stderr.
    #[arg(long, short = 'v')]
    verbose: bool,
}

/// Which token to mint (shared by `token` and `env`).
#[derive(Debug, clap::Args)]
struct TokenChoice {
    /// The pod's namespace.
    #[arg(long, short = 'n', value_name = "NAMESPACE")]
    namespace: String,
    /// The pod's ServiceAccount.
    #[arg(long, value_name = "NAME")]
    service_account: String,
    /// The token audience (default: the ServiceAccount's, as the webhook sets it).
    #[arg(long, value_name = "AUDIENCE")]
    audience: Option<String>,
    /// Token lifetime in seconds (`expirationSeconds`; at least 600).
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400)]
    expiration: u64,
    /// A token that expired a minute ago.
    #[arg(long)]
    expired: bool,
    /// A token of the lab's other issuer, which no IAM OIDC provider trusts.
    #[arg(long)]
    other_issuer: bool,
    /// The pod the token is bound to.
    #[arg(long, value_name = "NAME", default_value = "irsa-lab")]
    pod: String,
    /// The running lab's state directory.
    #[arg(long, value_name = "DIR", default_value = ".irsa-lab")]
    state: PathBuf,
}

/// Write a projected ServiceAccount token as the kubelet would, signed by the running lab's issuer.
#[derive(Debug, clap::Args)]
struct TokenArgs {
    #[command(flatten)]
    choice: TokenChoice,
    /// Where to write it (`-`: standard output); default STATE/tokens/NAMESPACE/NAME/token.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<String>,
}

/// Print the environment EKS injects for a ServiceAccount, pointed at the running lab (for `eval`).
#[derive(Debug, clap::Args)]
struct EnvArgs {
    #[command(flatten)]
    choice: TokenChoice,
    /// For a ServiceAccount the setup does not bind: the role ARN its annotation names
    /// (default: the first bound role, as if the annotation had been copied).
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    /// `shell` (unset and export lines) or `json`.
    #[arg(long, value_enum, default_value_t = EnvFormat::Shell)]
    format: EnvFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum EnvFormat {
    Shell,
    Json,
}

/// Run the negative matrix: each bound ServiceAccount admitted; neighbour, other namespace,
/// other audience, expired and other-issuer tokens refused with AWS's errors.
#[derive(Debug, clap::Args)]
struct TestArgs {
    #[command(flatten)]
    setup: SetupArgs,
    /// `human` (a table) or `json`: an array of the probes, each with its `case`, `expected`,
    /// `got` and `passed`.
    // Not the checker's `{"diagnostics": [...]}` that DiagFormat's values describe.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, hide_possible_values = true)]
    format: DiagFormat,
}

/// Runs `lab`.
pub fn run(args: Args) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    match args.command {
        LabCommand::Serve(a) => runtime.block_on(serve(a)),
        LabCommand::Token(a) => token(a),
        LabCommand::Env(a) => env_cmd(a),
        LabCommand::Test(a) => runtime.block_on(test(a)),
    }
}

fn fail(message: &str) -> Outcome {
    eprintln!("error: {message}");
    Outcome::InputError
}

/// The account of the setup, or its diagnostics printed.
fn load_account(setup: &SetupArgs, format: DiagFormat) -> Result<Account, Outcome> {
    let Some(path) = &setup.file else {
        return load_files(setup, format);
    };
    let spec_file = input::read(path).map_err(|e| fail(&e))?;
    let loaded = irsa_core::load_spec(&spec_file.text, Some(&spec_file.name));
    let sources = [(spec_file.name.as_str(), spec_file.text.as_str())];
    let Some(spec) = loaded.spec else {
        report::print(&loaded.diagnostics, format, &sources, &|_| None);
        return Err(Outcome::InputError);
    };
    Account::from_spec(&spec).map_err(|diags| {
        report::print(&diags, format, &sources, &|_| None);
        Outcome::InputError
    })
}

fn load_files(setup: &SetupArgs, format: DiagFormat) -> Result<Account, Outcome> {
    let max = u64::try_from(irsa_core::source::Limits::default().max_bytes).unwrap_or(u64::MAX);
    let files = super::check::read_all(&setup.paths, max).map_err(|e| fail(&e))?;
    let mut roles = Vec::new();
    for r in &setup.role {
        let Some((arn, file)) = r.split_once('=') else {
            return Err(fail(&format!("--role takes ARN=FILE, not `{r}`")));
        };
        roles.push((arn.to_string(), file.to_string()));
    }
    let options = FileOptions {
        roles,
        issuer: setup.issuer.clone(),
    };
    from_files::from_files(&files, &options).map_err(|diags| {
        let sources: Vec<(&str, &str)> = files
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect();
        report::print(&diags, format, &sources, &|_| None);
        Outcome::InputError
    })
}

fn keys(key: Option<&Path>) -> Result<KeyRing, String> {
    let cluster = match key {
        Some(p) => {
            let pem = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            SigningKey::from_pem(&pem).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => SigningKey::generate(),
    };
    Ok(KeyRing {
        cluster,
        other: SigningKey::generate(),
    })
}

async fn serve(args: ServeArgs) -> Outcome {
    let account = match load_account(&args.setup, DiagFormat::Human) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let keys = match keys(args.key.as_deref()) {
        Ok(k) => k,
        Err(e) => return fail(&e),
    };
    let lab = match irsa_lab::start(account, keys, args.port, args.verbose).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on 127.0.0.1:{}: {e}", args.port)),
    };
    let base = lab.base();
    let state = State {
        base: base.clone(),
        pid: std::process::id(),
        issuers: lab.lab.account.issuers.clone(),
        bound: lab.lab.account.bound.clone(),
    };
    if let Err(e) = state::write(&args.state, &state, &lab.lab.keys) {
        lab.stop().await;
        return fail(&e);
    }
    println!("irsa-gen lab listening on {base}");
    println!(
        "STS endpoint {base} (AWS_ENDPOINT_URL_STS); container credentials {base}{}",
        env::CREDENTIALS_PATH
    );
    for line in lab.lab.issuers.describe() {
        println!("{line}");
    }
    for b in &lab.lab.account.bound {
        println!(
            "{} system:serviceaccount:{}:{} -> {}",
            mode_name(b.mode),
            b.namespace,
            b.service_account,
            b.role_arn
        );
    }
    println!(
        "state in {} (lab token, lab env); stop with Ctrl-C",
        args.state.display()
    );
    wait_for_signal().await;
    lab.stop().await;
    state::remove(&args.state);
    eprintln!("irsa-gen lab stopped");
    Outcome::Success
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Irsa => "IRSA",
        Mode::PodIdentity => "Pod Identity",
    }
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) {
        (Ok(mut int), Ok(mut term)) => {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// The bound entry a pod's ServiceAccount is, or one standing in for it.
fn bound_for(
    state: &State,
    c: &TokenChoice,
    role_arn: Option<&str>,
) -> Result<(Bound, bool), String> {
    let sub = irsa_core::kube::subject(&c.namespace, &c.service_account);
    if let Some(b) = state.bound.iter().find(|b| {
        irsa_core::trust::wildcard_match(
            &irsa_core::kube::subject(&b.namespace, &b.service_account),
            &sub,
        )
    }) {
        return Ok((b.clone(), true));
    }
    let mut template = state
        .bound
        .first()
        .cloned()
        .ok_or("the running lab binds no ServiceAccount")?;
    if let Some(arn) = role_arn {
        template.role_arn = arn.to_string();
        for (k, v) in &mut template.annotations {
            if k == irsa_core::kube::ROLE_ARN {
                *v = arn.to_string();
            }
        }
    }
    Ok((template, false))
}

/// Mints the chosen token with the running lab's keys; the token and the bound entry.
fn mint_choice(
    c: &TokenChoice,
    role_arn: Option<&str>,
) -> Result<(String, State, Bound, bool), String> {
    // `lab serve &` may still be starting: wait for it a little.
    let (state, keys) = state::read_waiting(&c.state, std::time::Duration::from_secs(30))?;
    let (bound, is_bound) = bound_for(&state, c, role_arn)?;
    let issuers = IssuerMap::new(&state.base, state.issuers.clone());
    let issuer = if c.other_issuer {
        issuers.other_issuer()
    } else {
        issuers.lab_issuer(&bound.issuer)
    };
    let key = if c.other_issuer {
        &keys.other
    } else {
        &keys.cluster
    };
    let lifetime = c
        .expiration
        .max(irsa_core::sa_token::MIN_EXPIRATION_SECONDS);
    let m = Mint {
        issuer,
        namespace: c.namespace.clone(),
        service_account: c.service_account.clone(),
        audience: c.audience.clone().unwrap_or_else(|| bound.audience.clone()),
        expiration_seconds: lifetime,
        age: if c.expired {
            i64::try_from(lifetime).unwrap_or(0) + 60
        } else {
            0
        },
        pod: Some(c.pod.clone()),
    };
    let token = mint(&m, key, irsa_lab::server::now())?;
    Ok((token, state, bound, is_bound))
}

fn token_path(c: &TokenChoice) -> PathBuf {
    c.state
        .join("tokens")
        .join(&c.namespace)
        .join(&c.service_account)
        .join("token")
}

fn write_token(path: &Path, token: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, token).map_err(|e| format!("{}: {e}", path.display()))
}

fn token(args: TokenArgs) -> Outcome {
    let (token, ..) = match mint_choice(&args.choice, None) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    match args.output.as_deref() {
        Some("-") => println!("{token}"),
        out => {
            let path = out.map_or_else(|| token_path(&args.choice), PathBuf::from);
            if let Err(e) = write_token(&path, &token) {
                return fail(&e);
            }
            println!("{}", path.display());
        }
    }
    Outcome::Success
}

fn env_cmd(args: EnvArgs) -> Outcome {
    let c = &args.choice;
    let (token, state, bound, is_bound) = match mint_choice(c, args.role_arn.as_deref()) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    if !is_bound {
        eprintln!(
            "note: {}/{} is not bound by the setup; its pod gets the env of role {} as if its ServiceAccount carried that annotation",
            c.namespace, c.service_account, bound.role_arn
        );
    }
    let path = token_path(c);
    if let Err(e) = write_token(&path, &token) {
        return fail(&e);
    }
    let absolute = std::fs::canonicalize(&path).unwrap_or(path);
    let lines = match env::lab(
        &bound,
        &c.namespace,
        &c.service_account,
        &state.base,
        &absolute.to_string_lossy(),
    ) {
        Ok(l) => l,
        Err(diags) => {
            report::print(&diags, DiagFormat::Human, &[], &|_| None);
            return Outcome::Negative;
        }
    };
    match args.format {
        EnvFormat::Shell => print!("{}", env::shell(&lines)),
        EnvFormat::Json => {
            let vars: serde_json::Map<String, serde_json::Value> = lines
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect();
            let doc = serde_json::json!({"unset": env::UNSET, "env": vars});
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
    }
    Outcome::Success
}

async fn test(args: TestArgs) -> Outcome {
    let account = match load_account(&args.setup, args.format) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let keys = match keys(None) {
        Ok(k) => k,
        Err(e) => return fail(&e),
    };
    let lab = match irsa_lab::start(account, keys, 0, false).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on 127.0.0.1: {e}")),
    };
    let rows = irsa_lab::matrix::run(&lab).await;
    let base = lab.base();
    lab.stop().await;
    match args.format {
        DiagFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json_rows(&rows)).unwrap_or_default()
        ),
        DiagFormat::Human => print!("{}", table(&rows, &base)),
    }
    if rows.iter().all(|r| r.passed) {
        Outcome::Success
    } else {
        Outcome::Negative
    }
}

fn describe(o: &matrix::Outcome) -> String {
    match o {
        matrix::Outcome::Admitted(arn) => format!("admitted as {arn}"),
        matrix::Outcome::Refused(code, message) if code.is_empty() => message.clone(),
        matrix::Outcome::Refused(code, message) => format!("{code}: {message}"),
    }
}

fn expected(e: &matrix::Expect) -> String {
    match e {
        matrix::Expect::Admitted(prefix) => format!("admitted as {prefix}..."),
        matrix::Expect::Refused("", message) => format!("{message}..."),
        matrix::Expect::Refused(code, message) => format!("{code}: {message}..."),
    }
}

/// The table: one block per bound ServiceAccount, one row per probe. The
/// lab's URL is shown once, so rows read the same from run to run.
fn table(rows: &[irsa_lab::matrix::Row], base: &str) -> String {
    let mut out = format!("irsa-gen lab test on {base} (LAB below)\n");
    let mut current = None;
    for r in rows {
        let b = &r.probe.bound;
        let key = (
            b.namespace.clone(),
            b.service_account.clone(),
            b.role_arn.clone(),
        );
        if current.as_ref() != Some(&key) {
            out.push_str(&format!(
                "\n{} system:serviceaccount:{}:{} -> {}\n",
                mode_name(b.mode),
                b.namespace,
                b.service_account,
                b.role_arn
            ));
            current = Some(key);
        }
        let token = format!(
            "{}/{} aud {}",
            r.probe.namespace, r.probe.service_account, r.probe.audience
        );
        let got = describe(&r.outcome).replace(base, "LAB");
        out.push_str(&format!(
            "  {:<4} {:<26} {:<52} {got}\n",
            if r.passed { "ok" } else { "FAIL" },
            r.probe.case.label(),
            token
        ));
        if !r.passed {
            out.push_str(&format!(
                "       {:<26} {:<52} expected {}\n",
                "",
                "",
                expected(&r.probe.expect).replace(base, "LAB")
            ));
        }
    }
    let passed = rows.iter().filter(|r| r.passed).count();
    out.push_str(&format!(
        "\n{} probes, {passed} answered as AWS would, {} otherwise\n",
        rows.len(),
        rows.len() - passed
    ));
    out
}

fn json_rows(rows: &[irsa_lab::matrix::Row]) -> serde_json::Value {
    serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                serde_json::json!({
                    "case": r.probe.case.label(),
                    "roleArn": r.probe.bound.role_arn,
                    "namespace": r.probe.namespace,
                    "serviceAccount": r.probe.service_account,
                    "audience": r.probe.audience,
                    "issuer": r.probe.issuer,
                    "expected": expected(&r.probe.expect),
                    "got": describe(&r.outcome),
                    "passed": r.passed,
                })
            })
            .collect(),
    )
}
