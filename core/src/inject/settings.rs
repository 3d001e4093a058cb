//! What the webhook decides for one pod before it touches a container: the
//! credentials (IRSA role or Pod Identity), audience, volume, lifetime,
//! regional STS and the containers to skip. Flags give the defaults, the
//! ServiceAccount's annotations override them, the pod's annotations override
//! the lifetime (the webhook's cache and `parsePodAnnotations`). Every value
//! the webhook reads differently from what was probably meant is a finding.

use super::go;
use super::options::{
    InjectOptions, DEFAULT_MIN_TOKEN_EXPIRATION, DEFAULT_TOKEN_EXPIRATION,
    MAX_PROJECTED_EXPIRATION, MIN_TOKEN_EXPIRATION, TOKEN_NAME, TOKEN_VOLUME,
};
use crate::aws;
use crate::diagnostic::Diagnostic;
use crate::rules::diagnostic;
use crate::source::{Node, Scalar, Value};

/// Where the credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// IRSA: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE.
    Role(String),
    /// Pod Identity: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
    Agent(String),
}

/// The webhook's decisions for one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Role or agent.
    pub credentials: Credentials,
    /// The projected token's audience.
    pub audience: String,
    /// The projected volume's name.
    pub volume: String,
    /// The token file's name in the volume.
    pub token_name: String,
    /// Where containers mount the volume.
    pub mount_path: String,
    /// Adds AWS_STS_REGIONAL_ENDPOINTS=regional.
    pub regional: bool,
    /// Adds AWS_DEFAULT_REGION and AWS_REGION.
    pub region: Option<String>,
    /// expirationSeconds of the projected token.
    pub expiration: i64,
    /// Container names the pod asks to skip.
    pub skip: Vec<String>,
}

/// The annotations of one object, read as the API server stores them.
pub struct Annotations<'a> {
    /// The object's metadata.
    pub meta: Option<&'a Node>,
    /// `serviceaccount` or `workload`.
    pub file: &'a str,
    /// Who they belong to, for messages (`ServiceAccount `ns/name``).
    pub subject: String,
}

impl<'a> Annotations<'a> {
    /// The value of `key`; a value that is not a string is a finding (kubectl refuses it).
    fn get(&self, key: &str, findings: &mut Vec<Diagnostic>) -> Option<(&'a str, &'a Node)> {
        let node = self.meta?.get("annotations")?.get(key)?;
        match &node.value {
            Value::Scalar {
                value: Scalar::Str,
                raw,
            } => Some((raw.as_str(), node)),
            _ => {
                findings.push(self.finding(
                    "IRSA104",
                    format!("annotation {key} is not a string; quote it"),
                    node,
                ));
                None
            }
        }
    }

    fn finding(&self, code: &str, message: String, node: &Node) -> Diagnostic {
        diagnostic(code, message)
            .at(node.span)
            .in_file(Some(self.file))
    }
}

/// Resolves the settings; `Err` when the webhook leaves the pod alone (no role).
pub fn resolve(
    sa: &Annotations<'_>,
    pod: &Annotations<'_>,
    container_names: &[&str],
    options: &InjectOptions,
    findings: &mut Vec<Diagnostic>,
) -> Result<Settings, Vec<Diagnostic>> {
    let key = |name: &str| options.annotation(name);
    let role = sa.get(&key("role-arn"), findings);
    let credentials = if options.pod_identity {
        if let Some((_, node)) = role.filter(|(v, _)| !v.is_empty()) {
            findings.push(sa.finding("IRSA215", "the ServiceAccount also has a role-arn annotation: with a Pod Identity association the webhook injects the agent's credentials, not the role".into(), node));
        }
        Credentials::Agent(options.container_credentials_full_uri.clone())
    } else {
        match role.filter(|(v, _)| !v.is_empty()) {
            None => {
                let message = format!(
                    "{} has no {} (or it is empty): the webhook leaves the pod unchanged",
                    sa.subject,
                    key("role-arn")
                );
                let d = diagnostic("IRSA101", message).in_file(Some(sa.file));
                return Err(vec![match sa.meta {
                    Some(m) => d.at(m.span),
                    None => d,
                }]);
            }
            Some((arn, node)) => Credentials::Role(role_arn(arn, node, sa, options, findings)),
        }
    };
    let (audience, volume, token_name, mount_path) = if options.pod_identity {
        (
            options.container_credentials_audience.clone(),
            options.container_credentials_volume_name.clone(),
            options.container_credentials_token_path.clone(),
            options.container_credentials_mount_path.clone(),
        )
    } else {
        let audience = sa
            .get(&key("audience"), findings)
            .map_or_else(|| options.audience.clone(), |(v, _)| v.to_string());
        (
            audience,
            TOKEN_VOLUME.into(),
            TOKEN_NAME.into(),
            options.token_mount_path.clone(),
        )
    };
    let regional = match sa.get(&key("sts-regional-endpoints"), findings) {
        None => options.sts_regional_endpoints,
        Some((raw, node)) => go::parse_bool(raw).unwrap_or_else(|| {
            findings.push(sa.finding("IRSA110", format!("the webhook reads booleans with Go's strconv.ParseBool, which refuses `{raw}` (it accepts 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False): it ignores the annotation and uses its default, {}", options.sts_regional_endpoints), node));
            options.sts_regional_endpoints
        }),
    };
    let expiration = expiration(sa, pod, options, findings);
    let skip = skip_containers(pod, container_names, options, findings);
    Ok(Settings {
        credentials,
        audience,
        volume,
        token_name,
        mount_path,
        regional,
        region: options.region.clone().filter(|r| !r.is_empty()),
        expiration,
        skip,
    })
}

/// The role ARN as the webhook injects it: composed under `--compose-role-arn`,
/// never trimmed, and injected even when malformed (the webhook only logs a warning).
fn role_arn(
    arn: &str,
    node: &Node,
    sa: &Annotations<'_>,
    options: &InjectOptions,
    findings: &mut Vec<Diagnostic>,
) -> String {
    let arn = match &options.compose_role_arn {
        Some(c) if !arn.contains("arn:") => {
            let composed = format!("arn:{}:iam::{}:role/{arn}", c.partition, c.account);
            findings.push(sa.finding(
                "IRSA112",
                format!("--compose-role-arn: the webhook completes `{arn}` to `{composed}`"),
                node,
            ));
            composed
        }
        _ => arn.to_string(),
    };
    if let Some(p) = aws::role_arn_problem(&arn) {
        findings.push(sa.finding(
            "IRSA102",
            format!("role-arn `{arn}` is malformed: {p}; the webhook injects it all the same"),
            node,
        ));
    }
    arn
}

/// pod annotation > ServiceAccount annotation > `--token-expiration` > the default range.
fn expiration(
    sa: &Annotations<'_>,
    pod: &Annotations<'_>,
    options: &InjectOptions,
    findings: &mut Vec<Diagnostic>,
) -> i64 {
    let key = options.annotation("token-expiration");
    let mut value = options
        .token_expiration
        .map(|e| e.max(MIN_TOKEN_EXPIRATION));
    for source in [sa, pod] {
        let Some((raw, node)) = source.get(&key, findings) else {
            continue;
        };
        let fallback = value.unwrap_or(DEFAULT_TOKEN_EXPIRATION);
        match go::parse_int(raw) {
            None => findings.push(source.finding("IRSA110", format!("the webhook reads {key} with Go's strconv.ParseInt, which refuses `{raw}` (a sign and digits only, no spaces or units): it ignores the annotation and uses {fallback}"), node)),
            Some(n) if n < MIN_TOKEN_EXPIRATION => {
                findings.push(source.finding("IRSA103", format!("{key} `{raw}` is below {MIN_TOKEN_EXPIRATION}: the webhook raises it to {MIN_TOKEN_EXPIRATION}"), node));
                value = Some(MIN_TOKEN_EXPIRATION);
            }
            Some(n) => {
                if n > MAX_PROJECTED_EXPIRATION {
                    findings.push(source.finding("IRSA216", format!("{key} `{raw}` is above 2^32 seconds: the API server refuses the pod (expirationSeconds: may not specify a duration larger than 2^32 seconds)"), node));
                }
                value = Some(n);
            }
        }
    }
    value.unwrap_or_else(|| {
        let d = diagnostic("IRSA210", format!("with the default lifetime the webhook picks expirationSeconds at random from {DEFAULT_MIN_TOKEN_EXPIRATION} to {DEFAULT_TOKEN_EXPIRATION} for each pod; {DEFAULT_TOKEN_EXPIRATION} is shown")).in_file(Some(sa.file));
        findings.push(match sa.meta {
            Some(m) => d.at(m.span),
            None => d,
        });
        DEFAULT_TOKEN_EXPIRATION
    })
}

/// The pod's skip-containers list, read as Go's CSV reader reads it.
fn skip_containers(
    pod: &Annotations<'_>,
    container_names: &[&str],
    options: &InjectOptions,
    findings: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let key = options.annotation("skip-containers");
    let Some((raw, node)) = pod.get(&key, findings) else {
        return Vec::new();
    };
    let Some(names) = go::first_csv_record(raw) else {
        findings.push(pod.finding("IRSA111", format!("the webhook reads {key} with Go's CSV reader, which refuses `{raw}` (a stray quote, or no value): it skips no container"), node));
        return Vec::new();
    };
    for name in &names {
        let trimmed = name.trim();
        if !container_names.contains(&name.as_str())
            && trimmed != name
            && container_names.contains(&trimmed)
        {
            findings.push(pod.finding("IRSA111", format!("the webhook does not trim the names in {key}: `{name}` is not container `{trimmed}`, which it mutates"), node));
        }
    }
    names
}
