//! `irsa-gen generate`: every artefact from flags or a spec file.

use std::path::{Path, PathBuf};

use irsa_core::spec::{
    AddonGrant, BindingSpec, Permissions, QueueAccess, QueueGrant, S3Access, S3Grant, SecretGrant,
    TableAccess, TableGrant, WorkloadSpec,
};
use std::io::Write;

use irsa_core::catalogue::{Combine, KindInfo, CATALOGUE};
use irsa_core::{Artefact, ArtefactKind, Format, IdentityType, Spec, ValidSpec, Validated};

use crate::input;
use crate::report::{self, DiagFormat};
use crate::Outcome;

/// `--only`'s short help: every id of the catalogue.
fn only_help() -> String {
    let ids: Vec<&str> = CATALOGUE.iter().map(|k| k.id).collect();
    format!(
        "Print only this artefact: {} (file names work too, e.g. main.tf).",
        ids.join(", ")
    )
}

/// `--only`'s long help: the stream's ids, then a line per other format, from the catalogue.
fn only_long_help() -> String {
    let (stream, formats): (Vec<&KindInfo>, Vec<&KindInfo>) =
        CATALOGUE.iter().partition(|k| k.in_stream);
    let stream: Vec<&str> = stream.iter().map(|k| k.id).collect();
    let mut help = format!(
        "Print only this artefact. Without --only, standard output gets one YAML stream of the IAM \
policies and Kubernetes manifests ({}). The other formats are alternatives to each other, so \
they are printed only when named here; --output-dir writes every one that applies.\n\n",
        stream.join(", ")
    );
    for k in formats {
        let summary = k.summary.map(|s| format!(": {s}")).unwrap_or_default();
        help.push_str(&format!(
            "  {:<20} {}{summary} ({})\n",
            k.id, k.file, k.when_brief
        ));
    }
    help.push_str(
        "\n(*) with clusterName, permissions, one plain service account and role path /; for IRSA \
also one cluster and the default audience. File names (main.tf, cloudformation.json) work too.\n\n\
With several bindings, --only prints one file that holds them all: a script that sets up each in \
turn, one main.tf, one CloudFormation template, a JSON array of the policies, a YAML stream of the \
manifests; helm-values and eksctl-cluster hold one binding, so they exit 2 (use --output-dir).",
    );
    help
}

const EXAMPLES: &str = "Examples:
  # The step-by-step guide's s3-writer, from flags
  irsa-gen generate --account 123456789012 --region ap-south-1 \\
    --cluster-id EXAMPLED539D4633E53DE1B716D3041E \\
    --namespace production --service-account s3-writer --role-name S3WriterRole \\
    --s3-write my-app-uploads --image my-app:latest --workload-name my-app

  # From a spec file, one file per artefact (in NAMESPACE/SERVICE_ACCOUNT/ with several bindings)
  irsa-gen generate -f examples/eksctl-cluster-13.yaml --output-dir out/

  # The whole setup as an AWS CLI script, or as Terraform
  irsa-gen generate -f examples/s3-writer.yaml --only setup > setup.sh
  irsa-gen generate -f examples/s3-writer.yaml --only main > main.tf

  # Just the trust policy, straight into the AWS CLI
  irsa-gen generate -f irsa.yaml --only trust-policy > trust-policy.json
  aws iam create-role --role-name S3WriterRole \\
    --assume-role-policy-document file://trust-policy.json

  # A spec from standard input, manifests as JSON
  cat irsa.yaml | irsa-gen generate -f - -o json";

/// Generate the trust policy, permissions policy, ServiceAccount, Deployment and verification pod,
/// and the same setup as an AWS CLI script, eksctl, Terraform, CloudFormation, Helm values or a
/// Spice.ai SpicepodSet (--only, --output-dir).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Spec file (YAML or JSON); `-` reads standard input.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    file: Option<String>,

    /// AWS account ID of the role (12 digits).
    #[arg(long = "account", value_name = "ID", help_heading = "Cluster")]
    account: Option<String>,
    /// AWS region of the cluster; the partition follows from it.
    #[arg(long, value_name = "REGION", help_heading = "Cluster")]
    region: Option<String>,
    /// EKS cluster ID (the last part of the OIDC issuer URL).
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "issuer",
        help_heading = "Cluster"
    )]
    cluster_id: Option<String>,
    /// OIDC issuer URL, as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it.
    #[arg(long, value_name = "URL", help_heading = "Cluster")]
    issuer: Option<String>,
    /// EKS cluster name.
    #[arg(long, value_name = "NAME", help_heading = "Cluster")]
    cluster_name: Option<String>,
    /// Use EKS Pod Identity instead of IRSA.
    #[arg(long, help_heading = "Cluster")]
    pod_identity: bool,
    /// Token audience (default sts.amazonaws.com, in every partition).
    #[arg(long, value_name = "AUDIENCE", help_heading = "Cluster")]
    audience: Option<String>,
    /// Token lifetime in seconds (600 to 86400).
    #[arg(long, value_name = "SECONDS", help_heading = "Cluster")]
    token_expiration: Option<String>,
    /// Annotate the ServiceAccount to use regional STS endpoints (true or false).
    #[arg(long, value_name = "BOOL", help_heading = "Cluster")]
    sts_regional_endpoints: Option<String>,

    /// Kubernetes namespace of the service account.
    #[arg(long, short = 'n', value_name = "NAMESPACE", help_heading = "Binding")]
    namespace: Option<String>,
    /// ServiceAccount name or pattern (`*`); repeat for several in one role.
    #[arg(long, value_name = "NAME", help_heading = "Binding")]
    service_account: Vec<String>,
    /// IAM role name (default: derived from cluster, namespace and service account).
    #[arg(long, value_name = "NAME", help_heading = "Binding")]
    role_name: Option<String>,
    /// IAM role path.
    #[arg(long, value_name = "PATH", help_heading = "Binding")]
    role_path: Option<String>,
    /// Permissions boundary policy ARN.
    #[arg(long, value_name = "ARN", help_heading = "Binding")]
    permissions_boundary: Option<String>,
    /// IAM role description (free text).
    #[arg(long, value_name = "TEXT", help_heading = "Binding")]
    description: Option<String>,
    /// Role tag KEY=VALUE; repeatable.
    #[arg(long = "tag", value_name = "KEY=VALUE", help_heading = "Binding")]
    tags: Vec<String>,

    /// Attach a managed policy; repeatable.
    #[arg(long = "policy-arn", value_name = "ARN", help_heading = "Permissions")]
    policy_arns: Vec<String>,
    /// Read objects of BUCKET (or BUCKET/PREFIX).
    #[arg(long, value_name = "BUCKET[/PREFIX]", help_heading = "Permissions")]
    s3_read: Vec<String>,
    /// Write objects to BUCKET (or BUCKET/PREFIX).
    #[arg(long, value_name = "BUCKET[/PREFIX]", help_heading = "Permissions")]
    s3_write: Vec<String>,
    /// Read and write objects of BUCKET (or BUCKET/PREFIX).
    #[arg(long, value_name = "BUCKET[/PREFIX]", help_heading = "Permissions")]
    s3_read_write: Vec<String>,
    /// Read a Secrets Manager secret (name or ARN).
    #[arg(
        long = "secret-read",
        value_name = "SECRET",
        help_heading = "Permissions"
    )]
    secrets: Vec<String>,
    /// Read a DynamoDB table.
    #[arg(long, value_name = "TABLE", help_heading = "Permissions")]
    dynamodb_read: Vec<String>,
    /// Read and write a DynamoDB table.
    #[arg(long, value_name = "TABLE", help_heading = "Permissions")]
    dynamodb_read_write: Vec<String>,
    /// Receive and delete messages of an SQS queue.
    #[arg(long, value_name = "QUEUE", help_heading = "Permissions")]
    sqs_consume: Vec<String>,
    /// Send messages to an SQS queue.
    #[arg(long, value_name = "QUEUE", help_heading = "Permissions")]
    sqs_send: Vec<String>,
    /// A well-known add-on's policy (external-dns, cert-manager, karpenter, ebs-csi, ...);
    /// repeatable. Scope it (hosted zones, buckets, KMS keys) in a spec file's permissions.addons.
    #[arg(long = "addon", value_name = "NAME", help_heading = "Permissions")]
    addons: Vec<String>,

    /// Deployment name (adds deployment.yaml).
    #[arg(long, value_name = "NAME", help_heading = "Workload")]
    workload_name: Option<String>,
    /// Container image of the Deployment.
    #[arg(long, value_name = "IMAGE", help_heading = "Workload")]
    image: Option<String>,
    /// Container name (default app).
    #[arg(long, value_name = "NAME", help_heading = "Workload")]
    container: Option<String>,
    /// Replica count (default 1).
    #[arg(long, value_name = "N", help_heading = "Workload")]
    replicas: Option<String>,

    /// Write one file per artefact into DIR instead of printing.
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    output_dir: Option<PathBuf>,
    /// Replace files in --output-dir that no earlier irsa-gen run wrote (not in its manifest).
    #[arg(long, requires = "output_dir", help_heading = "Output")]
    force: bool,
    #[arg(long, value_name = "ARTEFACT", value_parser = parse_kind, help_heading = "Output", help = only_help(), long_help = only_long_help())]
    only: Option<ArtefactKind>,
    /// Format of printed Kubernetes manifests and of the stream (IAM policies are always JSON).
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Yaml, help_heading = "Output")]
    output: OutputFormat,
    /// Format of diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human, help_heading = "Output")]
    format: DiagFormat,
}

/// Output format of manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// YAML, a multi-document stream.
    Yaml,
    /// JSON.
    Json,
}

fn parse_kind(s: &str) -> Result<ArtefactKind, String> {
    ArtefactKind::parse(s).ok_or_else(|| {
        let names: Vec<&str> = ArtefactKind::all().map(|k| k.id()).collect();
        format!("unknown artefact `{s}`; choose one of {}", names.join(", "))
    })
}

impl Args {
    fn has_binding_flags(&self) -> bool {
        self.namespace.is_some()
            || !self.service_account.is_empty()
            || self.role_name.is_some()
            || self.role_path.is_some()
            || self.permissions_boundary.is_some()
            || self.description.is_some()
            || !self.tags.is_empty()
            || !self.addons.is_empty()
            || !self.policy_arns.is_empty()
            || !self.s3_read.is_empty()
            || !self.s3_write.is_empty()
            || !self.s3_read_write.is_empty()
            || !self.secrets.is_empty()
            || !self.dynamodb_read.is_empty()
            || !self.dynamodb_read_write.is_empty()
            || !self.sqs_consume.is_empty()
            || !self.sqs_send.is_empty()
            || self.workload_name.is_some()
            || self.image.is_some()
            || self.container.is_some()
            || self.replicas.is_some()
    }

    /// Flags over a spec: cluster-level flags override the file's fields.
    fn apply_cluster_flags(&self, spec: &mut Spec) {
        let set = |field: &mut Option<String>, flag: &Option<String>| {
            if flag.is_some() {
                field.clone_from(flag);
            }
        };
        set(&mut spec.account_id, &self.account);
        set(&mut spec.region, &self.region);
        set(&mut spec.cluster, &self.cluster_id);
        set(&mut spec.cluster, &self.issuer);
        set(&mut spec.cluster_name, &self.cluster_name);
        set(&mut spec.audience, &self.audience);
        set(&mut spec.token_expiration, &self.token_expiration);
        set(
            &mut spec.sts_regional_endpoints,
            &self.sts_regional_endpoints,
        );
        if self.pod_identity {
            spec.identity_type = Some(IdentityType::PodIdentity);
        }
    }

    fn binding(&self) -> Result<BindingSpec, String> {
        let s3 = |list: &[String], access: S3Access| {
            list.iter()
                .map(|b| {
                    let (bucket, prefix) = match b.split_once('/') {
                        Some((bucket, prefix)) if !prefix.is_empty() => {
                            (bucket, Some(prefix.to_string()))
                        }
                        Some((bucket, _)) => (bucket, None),
                        None => (b.as_str(), None),
                    };
                    S3Grant {
                        bucket: bucket.to_string(),
                        prefix,
                        access,
                    }
                })
                .collect::<Vec<_>>()
        };
        let tables = |list: &[String], access| {
            list.iter()
                .map(|t| TableGrant {
                    table: t.clone(),
                    access,
                })
                .collect::<Vec<_>>()
        };
        let queues = |list: &[String], access| {
            list.iter()
                .map(|q| QueueGrant {
                    queue: q.clone(),
                    access,
                })
                .collect::<Vec<_>>()
        };
        let mut tags = irsa_core::spec::Tags::default();
        for t in &self.tags {
            let (k, v) = t
                .split_once('=')
                .ok_or_else(|| format!("--tag `{t}` must be KEY=VALUE"))?;
            tags.insert(k.to_string(), v.to_string());
        }
        let workload = (self.workload_name.is_some()
            || self.image.is_some()
            || self.container.is_some()
            || self.replicas.is_some())
        .then(|| WorkloadSpec {
            name: self.workload_name.clone(),
            image: self.image.clone(),
            container: self.container.clone(),
            replicas: self.replicas.clone(),
        });
        Ok(BindingSpec {
            namespace: self.namespace.clone(),
            service_account: self.service_account.clone(),
            role_name: self.role_name.clone(),
            role_path: self.role_path.clone(),
            permissions_boundary: self.permissions_boundary.clone(),
            description: self.description.clone(),
            tags,
            permissions: Permissions {
                managed_policy_arns: self.policy_arns.clone(),
                s3: [
                    s3(&self.s3_read, S3Access::Read),
                    s3(&self.s3_write, S3Access::Write),
                    s3(&self.s3_read_write, S3Access::ReadWrite),
                ]
                .concat(),
                secrets_manager: self
                    .secrets
                    .iter()
                    .map(|s| SecretGrant { secret: s.clone() })
                    .collect(),
                dynamodb: [
                    tables(&self.dynamodb_read, TableAccess::Read),
                    tables(&self.dynamodb_read_write, TableAccess::ReadWrite),
                ]
                .concat(),
                sqs: [
                    queues(&self.sqs_consume, QueueAccess::Consume),
                    queues(&self.sqs_send, QueueAccess::Send),
                ]
                .concat(),
                addons: self
                    .addons
                    .iter()
                    .map(|name| AddonGrant {
                        name: name.clone(),
                        ..AddonGrant::default()
                    })
                    .collect(),
                statements: Vec::new(),
            },
            workload,
        })
    }
}

/// The flag a spec field path came from, for diagnostics of flag-built specs.
fn flag_of(path: &str) -> Option<String> {
    if path.contains("addons") {
        return Some("--addon".into());
    }
    let field = path.rsplit('.').next().unwrap_or(path);
    let field = field.split('[').next().unwrap_or(field);
    let flag = match field {
        "accountId" => "--account",
        "region" => "--region",
        "cluster" => "--cluster-id/--issuer",
        "clusterName" => "--cluster-name",
        "audience" => "--audience",
        "tokenExpiration" => "--token-expiration",
        "stsRegionalEndpoints" => "--sts-regional-endpoints",
        "namespace" => "--namespace",
        "serviceAccount" => "--service-account",
        "roleName" => "--role-name",
        "rolePath" => "--role-path",
        "permissionsBoundary" => "--permissions-boundary",
        "description" => "--description",
        "tags" => "--tag",
        "managedPolicyArns" => "--policy-arn",
        "bucket" | "prefix" => "--s3-read/--s3-write",
        "secret" => "--secret-read",
        "table" => "--dynamodb-read/--dynamodb-read-write",
        "queue" => "--sqs-consume/--sqs-send",
        "name" => "--workload-name",
        "image" => "--image",
        "container" => "--container",
        "replicas" => "--replicas",
        _ => return None,
    };
    Some(flag.to_string())
}

/// Runs `generate`.
pub fn run(args: Args) -> Outcome {
    let (validated, source) = match load(&args) {
        Ok(v) => v,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::InputError;
        }
    };
    let sources: Vec<(&str, &str)> = source
        .as_ref()
        .map(|s| (s.name.as_str(), s.text.as_str()))
        .into_iter()
        .collect();
    if !validated.diagnostics.is_empty() {
        report::print(&validated.diagnostics, args.format, &sources, &flag_of);
    }
    let Some(spec) = validated.spec else {
        return Outcome::InputError;
    };
    if let Some(kind) = args.only.filter(|k| !k.in_stream()) {
        if !spec.bindings.iter().any(|b| kind.applies(&spec, b)) {
            eprintln!(
                "error: {} applies to no binding of this spec; it needs {}",
                kind.file_name(),
                kind.when()
            );
            return Outcome::InputError;
        }
    }
    let result = match &args.output_dir {
        Some(dir) => write_dir(&spec, dir, args.only, args.force),
        None => print_stream(&spec, args.only, args.output),
    };
    match result {
        Ok(()) => Outcome::Success,
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::InputError
        }
    }
}

fn load(args: &Args) -> Result<(Validated, Option<input::Input>), String> {
    match &args.file {
        Some(path) => {
            if args.has_binding_flags() {
                return Err("binding flags (--namespace, --service-account, permissions, workload) cannot be combined with -f; put them in the spec's bindings".into());
            }
            let input = input::read(path)?;
            // Cluster-level flags override the file's fields.
            let validated =
                irsa_core::validate::load_spec_with(&input.text, Some(&input.name), |spec| {
                    args.apply_cluster_flags(spec)
                });
            Ok((validated, Some(input)))
        }
        None => {
            let mut spec = Spec::default();
            args.apply_cluster_flags(&mut spec);
            let binding = args.binding()?;
            if binding != BindingSpec::default() {
                spec.bindings.push(binding);
            }
            Ok((spec.validate(), None))
        }
    }
}

/// Each binding's artefacts in turn, with the path each would have in `--output-dir`:
/// the one asked for, else every file (`all`, for `--output-dir`) or the
/// stream's kinds ([`ArtefactKind::in_stream`]).
/// Bindings are generated one at a time so that memory stays flat for large specs.
fn for_each_artefact(
    spec: &ValidSpec,
    only: Option<ArtefactKind>,
    all: bool,
    mut f: impl FnMut(&str, &Artefact) -> Result<(), String>,
) -> Result<(), String> {
    for b in &spec.bindings {
        for (path, a) in binding_artefacts(spec, b, only, all)? {
            f(&path, &a)?;
        }
    }
    Ok(())
}

/// One binding's artefacts as [`for_each_artefact`] chooses them, each with its path.
fn binding_artefacts(
    spec: &ValidSpec,
    b: &irsa_core::validate::Binding,
    only: Option<ArtefactKind>,
    all: bool,
) -> Result<Vec<(String, Artefact)>, String> {
    let several = spec.bindings.len() > 1;
    let generated = if all || only.is_some_and(|k| !k.in_stream()) {
        irsa_core::generate::binding_artefacts(spec, b)
    } else {
        irsa_core::generate::core_artefacts(spec, b)
    }
    .map_err(|e| e.to_string())?;
    let dir = generated.dir;
    let chosen = generated.artefacts.into_iter().filter(|a| match only {
        Some(k) => k == a.kind,
        None => all || a.kind.in_stream(),
    });
    Ok(chosen
        .map(|a| {
            let path = if several {
                format!("{dir}/{}", a.file)
            } else {
                a.file.to_string()
            };
            (path, a)
        })
        .collect())
}

fn as_json(a: &Artefact) -> String {
    if a.kind.format() == Format::Yaml && a.documents.len() > 1 {
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": a.documents});
        return serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
    }
    a.documents
        .iter()
        .map(|d| serde_json::to_string_pretty(d).unwrap_or_default() + "\n")
        .collect()
}

/// Prints what `generate` shows without `--output-dir`: with `--only` and one
/// binding, exactly that file (a manifest converted to JSON on request); with
/// `--only` and several, the one file core's `combine` makes of them (exit 2
/// where none can hold them); otherwise a YAML stream (each policy is its JSON text, which is YAML) or
/// one JSON object listing the files.
fn print_stream(
    spec: &ValidSpec,
    only: Option<ArtefactKind>,
    output: OutputFormat,
) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let mut emit = |s: &str| {
        out.write_all(s.as_bytes())
            .map_err(|e| format!("cannot write to standard output: {e}"))
    };
    if only.is_some() && spec.bindings.len() == 1 {
        return for_each_artefact(spec, only, false, |_, a| match (a.kind.format(), output) {
            (Format::Yaml, OutputFormat::Json) => emit(&as_json(a)),
            _ => emit(&a.text),
        });
    }
    // Several bindings in one file: a script, HCL, a template or JSON as the
    // catalogue's `combine` column says (manifests stay a YAML stream below).
    if let Some(kind) = only.filter(|k| k.combine() != Combine::YamlStream) {
        let text = irsa_core::formats::combine::combine(spec, kind).map_err(|e| e.to_string())?;
        return emit(&text);
    }
    match output {
        OutputFormat::Yaml => for_each_artefact(spec, only, false, |path, a| {
            emit(&format!("---\n# Source: {path}\n{}", a.text))
        }),
        OutputFormat::Json => {
            let mut files = Vec::new();
            for_each_artefact(spec, only, false, |path, a| {
                // Scripts and HCL have no documents: their text instead.
                files.push(if a.documents.is_empty() {
                    serde_json::json!({ "file": path, "text": a.text })
                } else {
                    serde_json::json!({ "file": path, "documents": a.documents })
                });
                Ok(())
            })?;
            emit(
                &(serde_json::to_string_pretty(&serde_json::json!({ "files": files }))
                    .unwrap_or_default()
                    + "\n"),
            )
        }
    }
}

/// Writes every file into `dir` by the rules of [`crate::outdir`], the
/// bindings rendered and written on every core.
fn write_dir(
    spec: &ValidSpec,
    dir: &Path,
    only: Option<ArtefactKind>,
    force: bool,
) -> Result<(), String> {
    let escaped = |e: String| crate::escape::controls(&e).into_owned();
    let mut out = crate::outdir::OutDir::open(dir, force, only.is_some()).map_err(escaped)?;
    out.write_each(&spec.bindings, |b| {
        let files = binding_artefacts(spec, b, only, true)?.into_iter();
        Ok(files
            .map(|(rel, a)| crate::outdir::File {
                script: a.kind.format() == Format::Shell,
                rel,
                text: a.text,
            })
            .collect())
    })
    .map_err(escaped)?;
    eprintln!("{}", out.finish().map_err(escaped)?);
    Ok(())
}
