//! The JavaScript-facing results, as plain Rust values (tested natively).
//!
//! Every function returns a tagged result that serializes to
//! `{ "ok": true, ... }` or `{ "ok": false, "diagnostics": [...] }`; the
//! diagnostics are [`irsa_core::Diagnostic`]s exactly as the CLI's
//! `--format json` prints them. Nothing here decides anything about IRSA:
//! it calls `irsa-core` and reshapes the answer for JavaScript.

use irsa_core::artefact::RenderError;
use irsa_core::{Bundle, Diagnostic, ValidSpec, Validated};
use serde::{Deserialize, Serialize};

#[cfg(feature = "element")]
pub mod element;
#[cfg(feature = "migrate")]
pub mod migrate;

/// A spec as JavaScript gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecInput<'a> {
    /// YAML or JSON text, as in a spec file; `file` names it in diagnostics.
    Text {
        /// The text.
        text: &'a str,
        /// The file name diagnostics carry.
        file: Option<&'a str>,
    },
    /// A JavaScript object turned into JSON text by `JSON.stringify`.
    Object(&'a str),
}

/// Options of `generate` and `validateSpec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpecOptions {
    /// The file name diagnostics of a text spec carry.
    pub file: Option<String>,
}

/// `{ ok: true, ...value }` or `{ ok: false, diagnostics }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Tagged<T> {
    /// Success.
    Ok(Success<T>),
    /// Failure: every problem found.
    Err(Failure),
}

/// The success half of [`Tagged`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Success<T> {
    ok: bool,
    #[serde(flatten)]
    value: T,
}

/// The failure half of [`Tagged`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    ok: bool,
    /// Errors (and any warnings found with them).
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Tagged<T> {
    /// A success.
    pub fn ok(value: T) -> Self {
        Tagged::Ok(Success { ok: true, value })
    }

    /// A failure.
    pub fn err(diagnostics: Vec<Diagnostic>) -> Self {
        Tagged::Err(Failure {
            ok: false,
            diagnostics,
        })
    }

    /// The success value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Tagged::Ok(s) => Some(&s.value),
            Tagged::Err(_) => None,
        }
    }

    /// The diagnostics of a failure (empty on success).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Tagged::Ok(_) => &[],
            Tagged::Err(f) => &f.diagnostics,
        }
    }
}

/// What `validateSpec` returns on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// The spec with defaults filled and issuers normalised.
    pub spec: ValidSpec,
    /// Warnings and notes (no errors).
    pub warnings: Vec<Diagnostic>,
}

/// What `generate` returns on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generated {
    /// One entry per binding, in spec order.
    pub bindings: Vec<BindingView>,
    /// Warnings and notes of the spec (no errors).
    pub warnings: Vec<Diagnostic>,
}

/// Everything generated for one binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingView {
    /// Namespace (or pattern).
    pub namespace: String,
    /// Service accounts (or patterns).
    pub service_accounts: Vec<String>,
    /// The role's name.
    pub role_name: String,
    /// The role's ARN.
    pub role_arn: String,
    /// `NAMESPACE/SERVICE_ACCOUNT`: the CLI's folder for this binding when a spec has several.
    pub dir: String,
    /// The files, in the CLI's order.
    pub artefacts: Vec<ArtefactView>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArtefactView {
    /// `trust-policy`, `permissions-policy`, ...: the CLI's `--only` names.
    pub kind: &'static str,
    /// The file name (`trust-policy.json`).
    pub file: &'static str,
    /// `json` or `yaml`.
    pub format: irsa_core::Format,
    /// The documents of the file as JSON values.
    pub documents: Vec<serde_json::Value>,
    /// The exact text of the file, byte for byte what the CLI writes.
    pub text: String,
}

fn load(input: SpecInput<'_>) -> Validated {
    match input {
        SpecInput::Text { text, file } => irsa_core::load_spec(text, file),
        SpecInput::Object(json) => irsa_core::load_spec_json(json),
    }
}

/// `validateSpec`: the valid spec and its warnings, or every problem.
pub fn validate_spec(input: SpecInput<'_>) -> Tagged<Validation> {
    let validated = load(input);
    match validated.spec {
        Some(spec) => Tagged::ok(Validation {
            spec,
            warnings: validated.diagnostics,
        }),
        None => Tagged::err(validated.diagnostics),
    }
}

/// `generate`: every artefact of every binding, or every problem of the spec.
///
/// The outer error is a bug (a generated document that cannot be rendered),
/// never a user mistake.
pub fn generate(input: SpecInput<'_>) -> Result<Tagged<Generated>, RenderError> {
    let validated = load(input);
    let Some(spec) = validated.spec else {
        return Ok(Tagged::err(validated.diagnostics));
    };
    let bundle = irsa_core::generate(&spec)?;
    Ok(Tagged::ok(Generated {
        bindings: view(bundle),
        warnings: validated.diagnostics,
    }))
}

fn view(bundle: Bundle) -> Vec<BindingView> {
    bundle
        .bindings
        .into_iter()
        .map(|b| BindingView {
            namespace: b.namespace,
            service_accounts: b.service_accounts,
            role_name: b.role_name,
            role_arn: b.role_arn,
            dir: b.dir,
            artefacts: b
                .artefacts
                .into_iter()
                .map(|a| ArtefactView {
                    kind: a.kind.id(),
                    file: a.file,
                    format: a.kind.format(),
                    documents: a.documents,
                    text: a.text,
                })
                .collect(),
        })
        .collect()
}

/// A diagnostic for a spec object that `JSON.stringify` refused (a cycle, a BigInt).
pub fn unserializable_spec(reason: &str) -> Diagnostic {
    Diagnostic::error(
        "SPEC001",
        format!("the spec object cannot be converted to JSON: {reason}"),
        "pass plain data: strings, numbers, booleans, arrays and objects (or the spec's YAML/JSON text)",
    )
}

/// A document as JavaScript gives it: text (YAML or JSON), or an object
/// turned into JSON text by `JSON.stringify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocInput<'a> {
    /// Text, with positions that mean something to the user.
    Text(&'a str),
    /// Machine-made JSON text: findings keep their path but lose line and column.
    Object(&'a str),
}

impl<'a> DocInput<'a> {
    fn text(self) -> &'a str {
        match self {
            DocInput::Text(t) | DocInput::Object(t) => t,
        }
    }

    fn place(self, mut d: Diagnostic) -> Diagnostic {
        if let DocInput::Object(_) = self {
            d.line = None;
            d.column = None;
        }
        d
    }
}

/// A diagnostic for a document object that `JSON.stringify` refused.
pub fn unserializable_document(what: &str, reason: &str) -> Diagnostic {
    irsa_core::rules::diagnostic(
        "IRSA401",
        format!("the {what} object cannot be converted to JSON: {reason}"),
    )
}

/// One file given to `check`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileInput {
    /// The name findings carry.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// Options of `check`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckInputOptions {
    /// Trust policy size quota (1 to 8192; default 2048), as `--max-trust-policy-length`.
    pub max_trust_policy_length: Option<usize>,
    /// Values for placeholders, as `--set NAME=VALUE`.
    #[serde(default)]
    pub set: irsa_core::placeholder::Values,
}

/// What `check` returns: `ok` is false when a finding is at error level (the CLI's exit code 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checked {
    /// No error-level finding.
    pub ok: bool,
    /// Every finding, in the CLI's order.
    pub diagnostics: Vec<Diagnostic>,
    /// The CLI's summary line (`0 errors, ... in 3 files: 1 trust policy, ...`).
    pub summary: String,
}

/// `check`: every finding for a set of files, as `irsa-gen check` reports them.
/// The error is a usage mistake (an option out of range).
pub fn check(files: Vec<FileInput>, options: &CheckInputOptions) -> Result<Checked, String> {
    let mut core_options = irsa_core::CheckOptions::default();
    if let Some(n) = options.max_trust_policy_length {
        core_options.max_trust_policy_length = irsa_core::quotas::max_trust_policy_length(n as u64)
            .map_err(|e| {
                let hard = irsa_core::quotas::HARD_MAX_TRUST_POLICY_LENGTH;
                format!("maxTrustPolicyLength must be 1 to {hard}, not {}", e.value)
            })?;
    }
    core_options.set = options.set.clone();
    let files: Vec<irsa_core::SourceFile> = files
        .into_iter()
        .map(|f| irsa_core::SourceFile {
            name: f.name,
            text: f.text,
        })
        .collect();
    let report = irsa_core::check::check_report(&files, &core_options);
    Ok(Checked {
        ok: !irsa_core::has_errors(&report.diagnostics),
        summary: report.inventory.summary(&report.diagnostics, files.len()),
        diagnostics: report.diagnostics,
    })
}

/// The token `simulate` decides for, as `irsa-gen simulate` flags give it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimsInput {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's ServiceAccount.
    pub service_account: String,
    /// The token audience (default `sts.amazonaws.com`).
    pub audience: Option<String>,
    /// The cluster's issuer (default: every provider the trust names).
    pub issuer: Option<String>,
    /// The role's ARN (`--role-arn`): where STS looks the token's provider up.
    pub role_arn: Option<String>,
    /// The role's account (`--account`), the partition being the issuer region's.
    pub account: Option<String>,
    /// Keys only the caller knows (`--context KEY=VALUE`): a value or a list of values.
    #[serde(default)]
    pub context: std::collections::BTreeMap<String, ContextValue>,
}

/// Options of `simulate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulateInputOptions {
    /// Values for placeholders, as `--set NAME=VALUE`.
    #[serde(default)]
    pub set: irsa_core::placeholder::Values,
}

/// One `context` entry: a value, or several for a multi-valued key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// `"10.1.2.3"`
    One(String),
    /// `["a", "b"]`
    Many(Vec<String>),
}

/// `simulate`: Allow, Deny or Conditional with the deciding statement and
/// condition, or why the trust policy or the request cannot be read.
pub fn simulate(
    trust: DocInput<'_>,
    claims: ClaimsInput,
    options: &SimulateInputOptions,
) -> Tagged<irsa_core::eval::Simulation> {
    let context = claims
        .context
        .into_iter()
        .map(|(k, v)| match v {
            ContextValue::One(v) => (k, vec![v]),
            ContextValue::Many(v) => (k, v),
        })
        .collect();
    let request = irsa_core::eval::SimulateRequest {
        namespace: claims.namespace,
        service_account: claims.service_account,
        audience: claims.audience,
        issuer: claims.issuer,
        role_arn: claims.role_arn,
        account: claims.account,
        context,
    };
    let text = irsa_core::placeholder::fill(trust.text(), &options.set).text;
    match irsa_core::eval::simulate(&text, &request) {
        Ok(simulation) => Tagged::ok(simulation),
        Err(diagnostics) => Tagged::err(diagnostics.into_iter().map(|d| trust.place(d)).collect()),
    }
}

/// Options of `inject`: the webhook's flags (ServiceAccount and pod annotations override some).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InjectInputOptions {
    /// `--aws-default-region`: adds AWS_REGION and AWS_DEFAULT_REGION.
    pub region: Option<String>,
    /// `--sts-regional-endpoint`.
    #[serde(default)]
    pub sts_regional_endpoints: bool,
    /// `--token-expiration` in seconds (default: 79200 to 86400, picked per pod).
    pub token_expiration: Option<i64>,
    /// `--token-audience`.
    pub audience: Option<String>,
    /// `--annotation-prefix`.
    pub annotation_prefix: Option<String>,
    /// `--token-mount-path`.
    pub token_mount_path: Option<String>,
    /// `--compose-role-arn` with the node's account and partition.
    pub compose_role_arn: Option<irsa_core::inject::ComposeRoleArn>,
    /// EKS Pod Identity: an association names the ServiceAccount.
    #[serde(default)]
    pub pod_identity: bool,
    /// `--container-credentials-audience`.
    pub container_credentials_audience: Option<String>,
    /// `--container-credentials-token-mount-path`.
    pub container_credentials_mount_path: Option<String>,
    /// `--container-credentials-token-volume-name`.
    pub container_credentials_volume_name: Option<String>,
    /// `--container-credentials-token-path`.
    pub container_credentials_token_path: Option<String>,
    /// `--container-credentials-full-uri`.
    pub container_credentials_full_uri: Option<String>,
    /// The name findings in the ServiceAccount carry (default `serviceaccount`).
    pub service_account_file: Option<String>,
    /// The name findings in the workload carry (default `workload`).
    pub workload_file: Option<String>,
    /// Values for placeholders, as `--set NAME=VALUE`.
    #[serde(default)]
    pub set: irsa_core::placeholder::Values,
}

impl InjectInputOptions {
    /// The webhook's settings: the given ones over the webhook's defaults.
    fn webhook(&self) -> irsa_core::inject::InjectOptions {
        let d = irsa_core::inject::InjectOptions::default();
        let or = |v: &Option<String>, default: String| v.clone().unwrap_or(default);
        irsa_core::inject::InjectOptions {
            region: self.region.clone(),
            sts_regional_endpoints: self.sts_regional_endpoints,
            token_expiration: self.token_expiration,
            audience: or(&self.audience, d.audience),
            annotation_prefix: or(&self.annotation_prefix, d.annotation_prefix),
            token_mount_path: or(&self.token_mount_path, d.token_mount_path),
            compose_role_arn: self.compose_role_arn.clone(),
            pod_identity: self.pod_identity,
            container_credentials_audience: or(
                &self.container_credentials_audience,
                d.container_credentials_audience,
            ),
            container_credentials_mount_path: or(
                &self.container_credentials_mount_path,
                d.container_credentials_mount_path,
            ),
            container_credentials_volume_name: or(
                &self.container_credentials_volume_name,
                d.container_credentials_volume_name,
            ),
            container_credentials_token_path: or(
                &self.container_credentials_token_path,
                d.container_credentials_token_path,
            ),
            container_credentials_full_uri: or(
                &self.container_credentials_full_uri,
                d.container_credentials_full_uri,
            ),
            limits: None,
        }
    }
}

/// `inject`: the workload as EKS admits it, in its own format, or why not.
pub fn inject(
    service_account: DocInput<'_>,
    workload: DocInput<'_>,
    options: &InjectInputOptions,
) -> Tagged<irsa_core::inject::Injected> {
    let core_options = options.webhook();
    let service_account_text =
        irsa_core::placeholder::fill(service_account.text(), &options.set).text;
    let workload_text = irsa_core::placeholder::fill(workload.text(), &options.set).text;
    // Core names the inputs `serviceaccount` and `workload`, as the CLI's mapping expects.
    let place = |d: irsa_core::diagnostic::Diagnostic| {
        let (input, name) = match d.file.as_deref() {
            Some("serviceaccount") => (service_account, options.service_account_file.as_deref()),
            _ => (workload, options.workload_file.as_deref()),
        };
        let d = input.place(d);
        match name {
            Some(name) => d.in_file(Some(name)),
            None => d,
        }
    };
    match irsa_core::inject::inject(&service_account_text, &workload_text, &core_options) {
        Ok(mut injected) => {
            injected.findings = injected.findings.into_iter().map(place).collect();
            Tagged::ok(injected)
        }
        Err(diagnostics) => Tagged::err(diagnostics.into_iter().map(place).collect()),
    }
}

/// Options of `diagnose`: what the CLI takes beside the message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiagnoseInputOptions {
    /// The user's files (trust policy, ServiceAccount, workload, IaC), as `check` takes them.
    #[serde(default)]
    pub files: Vec<FileInput>,
    /// The pod's projected token (a compact JWT): decoded, never verified.
    pub token: Option<String>,
    /// The time to compare the token's `exp` with, in seconds since the epoch (default: the caller's clock).
    pub now: Option<i64>,
}

/// `diagnose`: the message recognised, its cause in the files and the fix, as
/// `irsa-gen diagnose --format json` prints it. `clock` is the shell's time,
/// used when the options give none.
pub fn diagnose(
    message: &str,
    options: DiagnoseInputOptions,
    clock: Option<i64>,
) -> irsa_core::diagnose::Diagnosis {
    let files: Vec<irsa_core::SourceFile> = options
        .files
        .into_iter()
        .map(|f| irsa_core::SourceFile {
            name: f.name,
            text: f.text,
        })
        .collect();
    irsa_core::diagnose::diagnose(&irsa_core::diagnose::Request {
        message,
        files: &files,
        token: options.token.as_deref(),
        now: options.now.or(clock),
        options: &irsa_core::CheckOptions::default(),
    })
}

/// The request of `simulatePolicy`, as `irsa-gen simulate --policy` flags give it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyRequestInput {
    /// `--action`: one action, `service:Name`.
    pub action: String,
    /// `--resource`: the resource's ARN, or `*`.
    pub resource: String,
    /// `--context KEY=VALUE`: any key, a value or a list of values.
    #[serde(default)]
    pub context: std::collections::BTreeMap<String, ContextValue>,
    /// `--boundary`: the role's permissions boundary.
    pub boundary: Option<FileInput>,
}

/// `simulatePolicy`: the permissions policies (and boundary) for one action on
/// one resource, or why a policy or the request cannot be read.
pub fn simulate_policy(
    policies: Vec<FileInput>,
    request: PolicyRequestInput,
) -> Tagged<irsa_core::eval::permissions::PermissionsSimulation> {
    let file = |f: FileInput| irsa_core::SourceFile {
        name: f.name,
        text: f.text,
    };
    let policies: Vec<irsa_core::SourceFile> = policies.into_iter().map(file).collect();
    let boundary = request.boundary.map(file);
    let core_request = irsa_core::eval::permissions::PermissionsRequest {
        action: request.action,
        resource: request.resource,
        context: request
            .context
            .into_iter()
            .map(|(k, v)| match v {
                ContextValue::One(v) => (k, vec![v]),
                ContextValue::Many(v) => (k, v),
            })
            .collect(),
    };
    match irsa_core::eval::permissions::simulate_permissions(
        &policies,
        boundary.as_ref(),
        &core_request,
    ) {
        Ok(simulation) => Tagged::ok(simulation),
        Err(diagnostics) => Tagged::err(diagnostics),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n";

    #[test]
    fn generate_is_tagged_and_keeps_the_text() {
        let result = generate(SpecInput::Text {
            text: SPEC,
            file: Some("irsa.yaml"),
        })
        .unwrap();
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["ok"], true);
        assert_eq!(json["bindings"][0]["roleName"], "S3WriterRole");
        let trust = &json["bindings"][0]["artefacts"][0];
        assert_eq!(trust["kind"], "trust-policy");
        assert_eq!(trust["file"], "trust-policy.json");
        assert_eq!(trust["format"], "json");
        let core = irsa_core::generate(&irsa_core::load_spec(SPEC, None).spec.unwrap()).unwrap();
        assert_eq!(trust["text"], core.bindings[0].artefacts[0].text.as_str());
    }

    #[test]
    fn invalid_specs_give_every_diagnostic_with_positions() {
        let result = validate_spec(SpecInput::Text {
            text: "accountId: \"12345\"\nregion: mars-1\n",
            file: Some("bad.yaml"),
        });
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["ok"], false);
        let first = &json["diagnostics"][0];
        assert_eq!(first["file"], "bad.yaml");
        assert_eq!(first["line"], 1);
        assert!(result.diagnostics().len() >= 2);
        assert!(json.get("spec").is_none());
    }

    #[test]
    fn objects_and_text_agree() {
        let object = r#"{"accountId":"111122223333","region":"us-west-2","cluster":"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE","bindings":[{"namespace":"production","serviceAccount":"s3-writer","roleName":"S3WriterRole"}]}"#;
        let a = generate(SpecInput::Object(object)).unwrap();
        let b = generate(SpecInput::Text {
            text: SPEC,
            file: None,
        })
        .unwrap();
        let (a, b) = (a.value().unwrap(), b.value().unwrap());
        assert_eq!(a.bindings, b.bindings);
        // The same warning; only the text's one has a position.
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].code, b.warnings[0].code);
        assert_eq!((a.warnings[0].line, b.warnings[0].line), (None, Some(3)));
    }

    #[test]
    fn set_fills_placeholders_as_the_cli_does() {
        let template = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${OIDC}\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"${OIDC}:sub\":\"system:serviceaccount:production:s3-writer\",\"${OIDC}:aud\":\"sts.amazonaws.com\"}}}]}";
        let files = || {
            vec![FileInput {
                name: "trust.json.tpl".into(),
                text: template.into(),
            }]
        };
        let unfilled = check(files(), &CheckInputOptions::default()).unwrap();
        assert!(unfilled.diagnostics.iter().any(|d| d.code == "IRSA405"));
        assert!(
            unfilled.summary.contains("1 trust policy"),
            "{}",
            unfilled.summary
        );
        let set: irsa_core::placeholder::Values = [
            ("ACCOUNT_ID".to_string(), "111122223333".to_string()),
            (
                "OIDC".to_string(),
                "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF".to_string(),
            ),
        ]
        .into();
        let options = CheckInputOptions {
            set: set.clone(),
            ..Default::default()
        };
        let filled = check(files(), &options).unwrap();
        assert!(
            filled.ok && filled.diagnostics.is_empty(),
            "{:?}",
            filled.diagnostics
        );
        let claims = ClaimsInput {
            namespace: "production".into(),
            service_account: "s3-writer".into(),
            audience: None,
            issuer: Some(
                "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
                    .into(),
            ),
            role_arn: None,
            account: None,
            context: Default::default(),
        };
        let sim = simulate(
            DocInput::Text(template),
            claims,
            &SimulateInputOptions { set },
        );
        assert_eq!(
            sim.value().map(|s| s.decision),
            Some(irsa_core::eval::Decision::Allow)
        );
    }

    #[test]
    fn options_reject_unknown_fields() {
        assert!(serde_json::from_str::<SpecOptions>(r#"{"file":"a.yaml"}"#).is_ok());
        assert!(serde_json::from_str::<SpecOptions>(r#"{"fiel":"a.yaml"}"#).is_err());
    }
}
