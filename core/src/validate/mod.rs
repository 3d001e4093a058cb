//! Strict validation: a [`Spec`] becomes a [`ValidSpec`], or every problem is
//! reported at once, each with its field path, what is wrong and the fix.

use indexmap::IndexMap;
use serde::Serialize;

use crate::aws::{self, Issuer, Partition};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::kube;
use crate::source::{self, FieldPath, Limits, Node};
use crate::spec::{BindingSpec, IdentityType, Permissions, Spec};

/// Default trust policy size quota (ACLSizePerRole), characters without whitespace.
pub const DEFAULT_MAX_TRUST_POLICY_LENGTH: usize = 2048;
/// The largest managed policy document, characters without whitespace.
pub const MAX_MANAGED_POLICY_LENGTH: usize = 6144;
/// The largest value the quota can be raised to.
pub const HARD_MAX_TRUST_POLICY_LENGTH: usize = 8192;

/// A spec that passed validation: every name checked, defaults filled, issuers normalised.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidSpec {
    /// 12-digit account of the roles and providers.
    pub account_id: String,
    /// Region of the cluster.
    pub region: String,
    /// Partition of the region.
    pub partition: Partition,
    /// IRSA or Pod Identity.
    pub identity_type: IdentityType,
    /// The trusted issuers, primary first (empty for Pod Identity without a cluster).
    pub issuers: Vec<Issuer>,
    /// The cluster's name, if given.
    pub cluster_name: Option<String>,
    /// Token audience.
    pub audience: String,
    /// Token lifetime, if set.
    pub token_expiration: Option<u32>,
    /// Regional STS endpoints, if set.
    pub sts_regional_endpoints: Option<bool>,
    /// Trust policy size limit.
    pub max_trust_policy_length: usize,
    /// One role each.
    pub bindings: Vec<Binding>,
}

/// A validated binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// Namespace or namespace pattern.
    pub namespace: String,
    /// Service account names or patterns (at least one).
    pub service_accounts: Vec<String>,
    /// IAM role name.
    pub role_name: String,
    /// IAM role path (`/` by default).
    pub role_path: String,
    /// Permissions boundary ARN.
    pub permissions_boundary: Option<String>,
    /// Role description (free text).
    pub description: Option<String>,
    /// Role tags.
    pub tags: IndexMap<String, String>,
    /// What the role may do.
    pub permissions: Permissions,
    /// The Deployment, if asked for.
    pub workload: Option<Workload>,
}

/// A validated workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// Deployment name.
    pub name: String,
    /// Container image.
    pub image: String,
    /// Container name.
    pub container: String,
    /// Replicas.
    pub replicas: u32,
}

impl Binding {
    /// True when the namespace or any service account is a pattern (`*`, `?`).
    pub fn is_pattern(&self) -> bool {
        is_pattern(&self.namespace) || self.service_accounts.iter().any(|s| is_pattern(s))
    }

    /// The `sub` values this role trusts.
    pub fn subjects(&self) -> Vec<String> {
        self.service_accounts
            .iter()
            .map(|sa| kube::subject(&self.namespace, sa))
            .collect()
    }

    /// The role ARN.
    pub fn role_arn(&self, spec: &ValidSpec) -> String {
        format!(
            "arn:{}:iam::{}:role{}{}",
            spec.partition, spec.account_id, self.role_path, self.role_name
        )
    }

    /// Folder for this binding's files when a spec has several: `NAMESPACE/SERVICE_ACCOUNT`.
    pub fn dir(&self) -> String {
        let sa = self.service_accounts.first().map_or("", String::as_str);
        format!("{}/{}", file_safe(&self.namespace), file_safe(sa))
    }

    /// The service accounts that are plain names (patterns get no manifest).
    pub fn named_service_accounts(&self) -> impl Iterator<Item = &str> {
        let ns_pattern = is_pattern(&self.namespace);
        self.service_accounts
            .iter()
            .map(String::as_str)
            .filter(move |s| !ns_pattern && !is_pattern(s))
    }
}

/// True for a value with IAM `StringLike` wildcards.
pub fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?'])
}

fn file_safe(s: &str) -> String {
    s.replace('*', "_all_").replace('?', "_any_")
}

/// The outcome of loading a spec: the valid spec (when there is no error) and every finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validated {
    /// Present when no diagnostic is an error.
    pub spec: Option<ValidSpec>,
    /// Errors, warnings and notes, in field order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a spec file (YAML or JSON) and validates it; diagnostics carry `file`, line and column.
pub fn load_spec(text: &str, file: Option<&str>) -> Validated {
    load_spec_with(text, file, |_| {})
}

/// Validates a spec that a program built as a JSON value, such as a
/// JavaScript object given to the npm module (serialized with `JSON.stringify`).
///
/// The rules are exactly those of [`load_spec`]; since the text is machine-made,
/// diagnostics carry the field path (`bindings[0].namespace`) but no file,
/// line or column.
///
/// ```
/// let v = irsa_core::load_spec_json(r#"{"accountId": "12345", "region": "us-west-2"}"#);
/// assert!(v.spec.is_none());
/// let d = v.diagnostics.iter().find(|d| d.path.as_deref() == Some("accountId")).unwrap();
/// assert_eq!((d.line, d.column, d.file.as_deref()), (None, None, None));
/// ```
pub fn load_spec_json(json: &str) -> Validated {
    let mut validated = load_spec(json, None);
    for d in &mut validated.diagnostics {
        d.line = None;
        d.column = None;
    }
    validated
}

/// Like [`load_spec`], with a chance to change the spec before validation
/// (the CLI's cluster flags override the file's fields).
pub fn load_spec_with(text: &str, file: Option<&str>, adjust: impl FnOnce(&mut Spec)) -> Validated {
    let fail = |d: Diagnostic| Validated {
        spec: None,
        diagnostics: vec![d.in_file(file)],
    };
    let docs = match source::parse_documents(text, &Limits::default()) {
        Ok(docs) => docs,
        Err(e @ source::SourceError::Limit { .. }) => {
            return fail(
                Diagnostic::error(
                    "SPEC001",
                    format!("the spec was not read: {e}"),
                    "a spec is a small file: check that this is the right one (the limits stop hostile input)",
                )
                .at(e.span()),
            )
        }
        Err(e) => {
            return fail(
                Diagnostic::error(
                    "SPEC001",
                    format!("the spec is not valid YAML or JSON: {e}"),
                    "fix the syntax at the position shown",
                )
                .at(e.span()),
            )
        }
    };
    let mut docs = docs.into_iter().filter(|d| !d.root.is_null());
    let Some(doc) = docs.next() else {
        return fail(Diagnostic::error(
            "SPEC004",
            "the spec is empty",
            "start from `irsa-gen init`, which prints a commented spec",
        ));
    };
    if docs.next().is_some() {
        return fail(Diagnostic::error(
            "SPEC002",
            "the spec file holds more than one YAML document",
            "keep one spec per file; put several roles under `bindings:`",
        ));
    }
    let root = doc.root;
    if root.as_map().is_none() {
        return fail(
            Diagnostic::error(
                "SPEC002",
                "the spec must be a mapping of fields (accountId, region, cluster, bindings...)",
                "start from `irsa-gen init`",
            )
            .at(root.span),
        );
    }
    let mut unknown = Vec::new();
    let json = root.to_json();
    let mut on_unknown = |path: serde_ignored::Path<'_>| unknown.push(ignored_path(&path));
    let de = serde_ignored::Deserializer::new(json, &mut on_unknown);
    let mut spec: Spec = match serde_path_to_error::deserialize(de) {
        Ok(spec) => spec,
        Err(e) => {
            let path = error_path(e.path());
            let message = e.inner().to_string();
            return fail(
                Diagnostic::error(
                    "SPEC002",
                    format!("`{path}`: {message}"),
                    "give the field the type the spec expects (see `irsa-gen init`)",
                )
                .at_path(&path)
                .at(root.locate(&path)),
            );
        }
    };
    let mut diagnostics: Vec<Diagnostic> = unknown
        .iter()
        .map(|path| {
            let field = path.last_key().unwrap_or_default();
            let help = match suggest(&field) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "remove it; `irsa-gen init` lists every field".to_string(),
            };
            Diagnostic::warning(
                "SPEC003",
                format!("unknown field `{path}` is ignored"),
                help,
            )
            .at_path(path)
            .at(root.locate(path))
        })
        .collect();
    adjust(&mut spec);
    let validated = spec.validate();
    diagnostics.extend(validated.diagnostics.into_iter().map(|d| locate(d, &root)));
    let diagnostics: Vec<Diagnostic> = diagnostics.into_iter().map(|d| d.in_file(file)).collect();
    Validated {
        spec: validated.spec,
        diagnostics,
    }
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> FieldPath {
    use serde_ignored::Path;
    match path {
        Path::Root => FieldPath::root(),
        Path::Seq { parent, index } => ignored_path(parent).index(*index),
        Path::Map { parent, key } => ignored_path(parent).key(key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

fn error_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment;
    let mut p = FieldPath::root();
    for seg in path {
        p = match seg {
            Segment::Seq { index } => p.index(*index),
            Segment::Map { key } | Segment::Enum { variant: key } => p.key(key),
            Segment::Unknown => p,
        };
    }
    p
}

fn locate(d: Diagnostic, root: &Node) -> Diagnostic {
    match &d.path {
        Some(p) if d.line.is_none() => {
            let span = root.locate(&FieldPath::parse(p));
            d.at(span)
        }
        _ => d,
    }
}

const FIELDS: &[&str] = &[
    "accountId",
    "region",
    "cluster",
    "clusterName",
    "additionalClusters",
    "identityType",
    "audience",
    "tokenExpiration",
    "stsRegionalEndpoints",
    "maxTrustPolicyLength",
    "bindings",
    "namespace",
    "serviceAccount",
    "roleName",
    "rolePath",
    "permissionsBoundary",
    "description",
    "tags",
    "permissions",
    "workload",
    "managedPolicyArns",
    "s3",
    "secretsManager",
    "dynamodb",
    "sqs",
    "addons",
    "statements",
    "hostedZoneArns",
    "bucketArns",
    "kmsKeyArns",
    "fileSystemArns",
    "secretArns",
    "parameterArns",
    "queueArns",
    "workspaceArns",
    "nodeRoleArns",
    "targetGroupArns",
    "certificateAuthorityArns",
    "version",
    "bucket",
    "prefix",
    "access",
    "secret",
    "table",
    "queue",
    "name",
    "image",
    "container",
    "replicas",
];

fn suggest(field: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .map(|f| {
            (
                strsim::damerau_levenshtein(&f.to_lowercase(), &field.to_lowercase()),
                *f,
            )
        })
        .filter(|(d, f)| *d <= 2.max(f.len() / 4))
        .min()
        .map(|(_, f)| f)
}

/// Collects diagnostics with their paths.
struct Report {
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Records the runtime failure the last finding leads to.
    fn fails(&mut self, failure: &str) {
        if let Some(d) = self.diagnostics.last_mut() {
            d.failure = Some(failure.to_string());
        }
    }

    fn error(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, message, help).at_path(path));
    }
    fn warning(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning(code, message, help).at_path(path));
    }
}

impl Spec {
    /// Validates the spec: every problem at once; a [`ValidSpec`] only when none is an error.
    pub fn validate(&self) -> Validated {
        let mut r = Report {
            diagnostics: Vec::new(),
        };
        let root = FieldPath::root();
        let spec = self.check(&mut r, &root);
        if let Some(spec) = &spec {
            for (i, b) in spec.bindings.iter().enumerate() {
                let len = crate::generate::trust_policy(spec, b).quota_length();
                if len > spec.max_trust_policy_length {
                    r.error(
                        "SPEC064",
                        &root.key("bindings").index(i),
                        format!("the trust policy of role `{}` would be {len} characters (without whitespace); the limit is {}", b.role_name, spec.max_trust_policy_length),
                        "split the service accounts over several bindings (one role each), or raise maxTrustPolicyLength after requesting the ACLSizePerRole quota increase (at most 8192)",
                    );
                    r.fails("LimitExceeded: Cannot exceed quota for ACLSizePerRole");
                }
                let len =
                    crate::generate::permissions_policy(spec, b).map_or(0, |p| p.quota_length());
                if len > MAX_MANAGED_POLICY_LENGTH {
                    r.error(
                        "SPEC065",
                        &root.key("bindings").index(i).key("permissions"),
                        format!("the permissions policy of role `{}` would be {len} characters (without whitespace); a managed policy holds at most {MAX_MANAGED_POLICY_LENGTH}", b.role_name),
                        "move some grants to another binding or to managed policies (managedPolicyArns)",
                    );
                    r.fails("LimitExceeded: Cannot exceed quota for PolicySize");
                }
            }
        }
        let spec = if has_errors(&r.diagnostics) {
            None
        } else {
            spec
        };
        Validated {
            spec,
            diagnostics: r.diagnostics,
        }
    }

    fn check(&self, r: &mut Report, root: &FieldPath) -> Option<ValidSpec> {
        if *self == Spec::default() {
            r.error("SPEC004", root, "the spec is empty", "set at least accountId, region, cluster and one binding; `irsa-gen init` prints a starter");
            return None;
        }
        let identity_type = self.identity_type.unwrap_or_default();

        let account_id = self.account_id.as_deref().map(str::trim);
        let p = root.key("accountId");
        match account_id {
            None | Some("") => r.error("SPEC004", &p, "accountId is missing", "set accountId to your 12-digit AWS account ID (`aws sts get-caller-identity --query Account`)"),
            Some(a) if !aws::is_account_id(a) => {
                let what = if a.bytes().all(|b| b.is_ascii_digit()) {
                    format!("accountId `{a}` has {} digits; an AWS account ID has exactly 12", a.len())
                } else {
                    format!("accountId `{a}` must be exactly 12 digits, and has other characters")
                };
                let help = if a.len() == 11 && a.bytes().all(|b| b.is_ascii_digit()) {
                    "write it in quotes (\"012345678901\"): YAML reads an unquoted number and drops its leading zero"
                } else {
                    "copy it from `aws sts get-caller-identity --query Account --output text`"
                };
                r.error("SPEC010", &p, what, help);
            }
            Some(_) => {}
        }

        let region = self.region.as_deref().map(str::trim).unwrap_or_default();
        let p = root.key("region");
        if region.is_empty() {
            r.error(
                "SPEC004",
                &p,
                "region is missing",
                "set region to the cluster's AWS region, e.g. us-west-2",
            );
        } else if !aws::is_well_formed_region(region) {
            r.error(
                "SPEC011",
                &p,
                format!("region `{region}` is not an AWS region name"),
                "use a region code such as us-west-2, eu-central-1 or cn-north-1",
            );
        } else if !aws::KNOWN_REGIONS.contains(&region) {
            r.warning("SPEC012", &p, format!("region `{region}` is not one irsa-gen knows; its partition is taken to be `{}`", Partition::of_region(region)), "check the spelling; a region launched recently is fine");
        }
        let partition = Partition::of_region(region);

        let mut issuers = Vec::new();
        let p = root.key("cluster");
        match self.cluster.as_deref().map(str::trim) {
            None | Some("") if identity_type == IdentityType::Irsa => {
                r.error("SPEC004", &p, "cluster is missing", "set cluster to the OIDC issuer URL (`aws eks describe-cluster --name NAME --query cluster.identity.oidc.issuer --output text`) or the cluster ID")
            }
            None | Some("") => {}
            Some(c) => {
                if let Some(i) = cluster_issuer(r, &p, c, region) {
                    issuers.push(i);
                }
            }
        }
        for (i, c) in self.additional_clusters.iter().enumerate() {
            let p = root.key("additionalClusters").index(i);
            if let Some(issuer) = cluster_issuer(r, &p, c.trim(), region) {
                if issuers.contains(&issuer) {
                    r.error(
                        "SPEC017",
                        &p,
                        format!("cluster `{}` is listed twice", issuer.url()),
                        "remove the duplicate",
                    );
                } else {
                    issuers.push(issuer);
                }
            }
        }
        if identity_type == IdentityType::PodIdentity && !self.additional_clusters.is_empty() {
            r.error(
                "SPEC017",
                &root.key("additionalClusters"),
                "additionalClusters only applies to IRSA; a Pod Identity trust names no cluster",
                "remove additionalClusters, or create one association per cluster",
            );
        }

        let cluster_name = self
            .cluster_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(name) = cluster_name {
            let ok = (1..=100).contains(&name.len())
                && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                r.error(
                    "SPEC018",
                    &root.key("clusterName"),
                    format!("clusterName `{name}` is not a valid EKS cluster name"),
                    "use 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit",
                );
            }
        } else if identity_type == IdentityType::PodIdentity {
            r.error(
                "SPEC004",
                &root.key("clusterName"),
                "clusterName is missing: a Pod Identity association is made on a named cluster",
                "set clusterName to the EKS cluster's name",
            );
        }

        let audience = self
            .audience
            .as_deref()
            .map(str::trim)
            .unwrap_or(kube::DEFAULT_AUDIENCE)
            .to_string();
        let p = root.key("audience");
        if audience == "sts.amazonaws.com.cn" {
            r.error("SPEC060", &p, "audience `sts.amazonaws.com.cn` is wrong: tokens carry `sts.amazonaws.com` in every partition, China included", "remove audience (the default is right)");
            r.fails("InvalidIdentityToken: Incorrect token audience");
        } else if audience.is_empty()
            || !aws::is_policy_text(&audience)
            || audience.contains(char::is_whitespace)
        {
            r.error(
                "SPEC060",
                &p,
                "audience must be a non-empty string without spaces",
                "remove audience to use sts.amazonaws.com",
            );
        } else if identity_type == IdentityType::PodIdentity && self.audience.is_some() {
            r.error("SPEC060", &p, "audience does not apply to Pod Identity (its tokens are for pods.eks.amazonaws.com)", "remove audience");
        }

        let token_expiration = self.token_expiration.as_deref().and_then(|t| {
            let p = root.key("tokenExpiration");
            match t.trim().parse::<u32>() {
                Ok(n) if (kube::MIN_TOKEN_EXPIRATION..=kube::DEFAULT_TOKEN_EXPIRATION).contains(&n) => Some(n),
                Ok(n) if n < kube::MIN_TOKEN_EXPIRATION => {
                    r.error("SPEC061", &p, format!("tokenExpiration {n} is below 600 seconds; EKS would silently raise it to 600"), "set 600 or more");
                    None
                }
                Ok(n) => {
                    r.error("SPEC061", &p, format!("tokenExpiration {n} is above 86400 seconds (24 hours), the longest token EKS issues"), "set 86400 or less");
                    None
                }
                Err(_) => {
                    r.error("SPEC061", &p, format!("tokenExpiration `{t}` is not a whole number of seconds"), "write seconds, e.g. 86400");
                    None
                }
            }
        });
        if token_expiration.is_some() && identity_type == IdentityType::PodIdentity {
            r.error(
                "SPEC061",
                &root.key("tokenExpiration"),
                "tokenExpiration does not apply to Pod Identity",
                "remove tokenExpiration",
            );
        }

        let sts_regional_endpoints =
            self.sts_regional_endpoints
                .as_deref()
                .and_then(|s| match s.trim() {
                    "true" => Some(true),
                    "false" => Some(false),
                    other => {
                        r.error(
                            "SPEC062",
                            &root.key("stsRegionalEndpoints"),
                            format!("stsRegionalEndpoints `{other}` is not true or false"),
                            "write true or false",
                        );
                        None
                    }
                });

        let max_trust_policy_length = match self.max_trust_policy_length.as_deref() {
            None => DEFAULT_MAX_TRUST_POLICY_LENGTH,
            Some(s) => match s.trim().parse::<usize>() {
                Ok(n) if (1..=HARD_MAX_TRUST_POLICY_LENGTH).contains(&n) => n,
                _ => {
                    r.error("SPEC063", &root.key("maxTrustPolicyLength"), format!("maxTrustPolicyLength `{s}` must be a number from 1 to 8192"), "IAM allows at most 8192 characters even after a quota increase; the default is 2048");
                    DEFAULT_MAX_TRUST_POLICY_LENGTH
                }
            },
        };

        let p = root.key("bindings");
        if self.bindings.is_empty() {
            r.error(
                "SPEC004",
                &p,
                "bindings is missing: nothing to generate",
                "add a binding with namespace and serviceAccount",
            );
        }
        let mut bindings = Vec::new();
        let mut seen = IndexMap::new();
        for (i, b) in self.bindings.iter().enumerate() {
            let bp = p.index(i);
            if let Some(binding) = check_binding(
                r,
                &bp,
                b,
                partition,
                cluster_name,
                region,
                account_id.unwrap_or(""),
            ) {
                if let Some(first) = seen.insert(binding.dir(), i) {
                    r.error("SPEC023", &bp, format!("bindings[{first}] and bindings[{i}] are for the same service account `{}`", binding.dir()), "merge them into one binding");
                }
                bindings.push(binding);
            }
        }
        let mut roles = IndexMap::new();
        for (i, b) in bindings.iter().enumerate() {
            if let Some(first) = roles.insert(format!("{}{}", b.role_path, b.role_name), i) {
                r.error("SPEC030", &p.index(i).key("roleName"), format!("role `{}` is already used by bindings[{first}]", b.role_name), "give each binding its own roleName, or put both service accounts in one binding");
            }
        }

        Some(ValidSpec {
            account_id: account_id?.to_string(),
            region: region.to_string(),
            partition,
            identity_type,
            issuers,
            cluster_name: cluster_name.map(str::to_string),
            audience,
            token_expiration,
            sts_regional_endpoints,
            max_trust_policy_length,
            bindings,
        })
    }
}

fn cluster_issuer(r: &mut Report, p: &FieldPath, c: &str, region: &str) -> Option<Issuer> {
    let partition = Partition::of_region(region);
    let looks_like_url = c.contains('/') || c.contains('.');
    if !looks_like_url {
        if !c.chars().all(|ch| ch.is_ascii_alphanumeric()) || c.is_empty() {
            r.error("SPEC013", p, format!("cluster `{c}` is neither an OIDC issuer URL nor a cluster ID"), "paste the issuer URL from `aws eks describe-cluster --name NAME --query cluster.identity.oidc.issuer --output text`");
            return None;
        }
        let id = if c.chars().all(|ch| ch.is_ascii_hexdigit()) {
            c.to_ascii_uppercase()
        } else {
            c.to_string()
        };
        if !aws::is_real_cluster_id(&id) {
            r.warning("SPEC014", p, format!("cluster ID `{id}` is not 32 upper-case hex characters, which every real EKS cluster ID is"), "compare with the end of the issuer URL that `aws eks describe-cluster` prints (fine for AWS's own EXAMPLE placeholder)");
        }
        if region.is_empty() {
            return None;
        }
        let Some(issuer) = Issuer::from_cluster_id(&id, region) else {
            r.error("SPEC016", p, format!("the OIDC issuer host of partition `{partition}` is not documented, so it cannot be built from a cluster ID"), "give the full issuer URL from `aws eks describe-cluster` instead of the cluster ID");
            return None;
        };
        return Some(issuer);
    }
    let issuer = match Issuer::parse(c) {
        Ok(i) => i,
        Err(e) => {
            r.error("SPEC013", p, format!("cluster `{c}` is not a valid OIDC issuer URL: {e}"), "paste the issuer URL exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it");
            return None;
        }
    };
    match (&issuer.region, &issuer.cluster_id) {
        (Some(ir), Some(id)) => {
            if !region.is_empty() && Partition::of_region(ir) != partition {
                r.error("SPEC015", p, format!("the issuer is in region `{ir}` (partition {}) but region `{region}` is in partition {partition}", Partition::of_region(ir)), "set region to the cluster's region: an OIDC provider and its roles live in one partition");
            } else if !region.is_empty() && ir != region {
                r.warning("SPEC015", p, format!("the issuer is in region `{ir}` but region is `{region}`"), "set region to the cluster's region unless the workload really calls AWS in another region");
            }
            if !aws::is_real_cluster_id(id) {
                r.warning("SPEC014", p, format!("cluster ID `{id}` is not 32 upper-case hex characters, which every real EKS cluster ID is"), "compare with the issuer URL that `aws eks describe-cluster` prints (fine for AWS's own EXAMPLE placeholder)");
            }
        }
        _ => {
            let note = if partition.eks_issuer_suffix().is_none() {
                format!("the EKS issuer host of partition `{partition}` is not documented, so `{}` is taken as given", issuer.host_path)
            } else {
                format!("`{}` is not an EKS issuer (oidc.eks.REGION.amazonaws.com/id/ID); taken as a self-managed OIDC issuer", issuer.host_path)
            };
            r.warning(
                "SPEC016",
                p,
                note,
                "make sure an IAM OIDC provider exists for exactly this URL",
            );
        }
    }
    Some(issuer)
}

fn check_binding(
    r: &mut Report,
    p: &FieldPath,
    b: &BindingSpec,
    partition: Partition,
    cluster_name: Option<&str>,
    region: &str,
    account: &str,
) -> Option<Binding> {
    let errors_before = r.diagnostics.iter().filter(|d| d.is_error()).count();
    let namespace = b
        .namespace
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let np = p.key("namespace");
    if namespace.is_empty() {
        r.error(
            "SPEC004",
            &np,
            "namespace is missing",
            "set the Kubernetes namespace of the service account, e.g. `default`",
        );
    } else if let Some(problem) = pattern_or(&namespace, kube::label_problem) {
        r.error("SPEC020", &np, format!("namespace `{namespace}` {problem}"), "a namespace is a DNS-1123 label: 1 to 63 lower-case letters, digits and `-`, starting and ending with a letter or digit");
    }
    let sp = p.key("serviceAccount");
    if b.service_account.is_empty() {
        r.error(
            "SPEC004",
            &sp,
            "serviceAccount is missing",
            "set the ServiceAccount name (or a list of names)",
        );
    }
    let mut service_accounts: Vec<String> = Vec::new();
    for (i, sa) in b.service_account.iter().enumerate() {
        let path = if b.service_account.len() == 1 {
            sp.clone()
        } else {
            sp.index(i)
        };
        let sa = sa.trim().to_string();
        if let Some(problem) = pattern_or(&sa, kube::subdomain_problem) {
            r.error("SPEC021", &path, format!("serviceAccount `{sa}` {problem}"), "a ServiceAccount name is a DNS-1123 subdomain: lower-case letters, digits, `-` and `.`; `*` and `?` make a pattern");
        } else if service_accounts.contains(&sa) {
            r.error(
                "SPEC021",
                &path,
                format!("serviceAccount `{sa}` is listed twice"),
                "remove the duplicate",
            );
        }
        service_accounts.push(sa);
    }
    if matches!(namespace.as_str(), "*")
        || (is_pattern(&namespace) && service_accounts.iter().any(|s| s == "*"))
    {
        r.warning("SPEC022", &np, format!("namespace pattern `{namespace}` lets service accounts of more than one namespace assume the role"), "name the namespace unless every matching namespace is trusted");
    } else if is_pattern(&namespace) {
        r.warning("SPEC022", &np, format!("namespace pattern `{namespace}` lets service accounts of several namespaces assume the role"), "name the namespace unless every matching namespace is trusted");
    }

    if let Some(pattern) = service_accounts
        .iter()
        .find(|s| is_pattern(s))
        .or(is_pattern(&namespace).then_some(&namespace))
    {
        r.diagnostics.push(
            Diagnostic::info(
                "SPEC024",
                format!("`{pattern}` is a pattern: no ServiceAccount, Deployment or verification pod is generated for it"),
                "the trust admits every matching service account; create and annotate each of them yourself",
            )
            .at_path(&sp),
        );
    }

    let role_path = b
        .role_path
        .as_deref()
        .map(str::trim)
        .unwrap_or("/")
        .to_string();
    if !aws::is_iam_path(&role_path) {
        r.error(
            "SPEC031",
            &p.key("rolePath"),
            format!("rolePath `{role_path}` is not a valid IAM path"),
            "start and end it with `/`, e.g. /eks/ (at most 512 characters, no spaces)",
        );
    }
    let role_name = match b.role_name.as_deref().map(str::trim) {
        Some(name) => {
            if name.is_empty() || name.len() > 64 {
                r.error(
                    "SPEC030",
                    &p.key("roleName"),
                    format!(
                        "roleName is {} characters long; IAM allows 1 to 64",
                        name.len()
                    ),
                    "shorten it, or remove roleName to get a derived name that fits",
                );
            } else if let Some(c) = name.chars().find(|c| !aws::is_iam_name_char(*c)) {
                r.error(
                    "SPEC030",
                    &p.key("roleName"),
                    format!("roleName `{name}` contains `{c}`, which IAM does not allow"),
                    "use only A-Z a-z 0-9 and + = , . @ _ -",
                );
            }
            name.to_string()
        }
        None => derive_role_name(
            cluster_name,
            &namespace,
            service_accounts.first().map_or("", String::as_str),
        ),
    };
    let permissions_boundary = b
        .permissions_boundary
        .as_deref()
        .map(str::trim)
        .map(str::to_string);
    if let Some(pb) = &permissions_boundary {
        if let Some(problem) = aws::policy_arn_problem(pb, partition) {
            r.error(
                "SPEC032",
                &p.key("permissionsBoundary"),
                format!("permissionsBoundary: {problem}"),
                "use a managed policy ARN such as arn:aws:iam::111122223333:policy/Boundary",
            );
        }
    }
    let description = b.description.clone().filter(|d| !d.is_empty());
    if let Some(d) = &description {
        // IAM: up to 1000 characters of tab, LF, CR, U+0020-U+007E and U+00A1-U+00FF.
        let bad = d
            .chars()
            .find(|c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}'));
        if d.chars().count() > 1000 {
            r.error(
                "SPEC034",
                &p.key("description"),
                format!(
                    "description has {} characters; IAM allows at most 1000",
                    d.chars().count()
                ),
                "shorten the description",
            );
        } else if let Some(c) = bad {
            r.error(
                "SPEC034",
                &p.key("description"),
                format!(
                    "description contains `{}`, which IAM does not accept",
                    c.escape_default()
                ),
                "use tab, newline and characters U+0020 to U+007E and U+00A1 to U+00FF",
            );
        }
    }
    check_tags(r, &p.key("tags"), &b.tags);
    check_permissions(
        r,
        &p.key("permissions"),
        &b.permissions,
        partition,
        cluster_name,
    );
    let workload = b.workload.as_ref().and_then(|w| {
        check_workload(
            r,
            &p.key("workload"),
            w,
            service_accounts.first().map_or("", String::as_str),
        )
    });
    let _ = (region, account);
    let errors_after = r.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors_after == errors_before).then(|| Binding {
        namespace,
        service_accounts,
        role_name,
        role_path,
        permissions_boundary,
        description,
        tags: b.tags.clone(),
        permissions: b.permissions.clone(),
        workload,
    })
}

/// Checks a name that may also be a pattern: for patterns only the characters around wildcards.
fn pattern_or(s: &str, check: fn(&str) -> Option<String>) -> Option<String> {
    if is_pattern(s) {
        let plain: String = s
            .chars()
            .map(|c| if c == '*' || c == '?' { 'a' } else { c })
            .collect();
        return check(&plain);
    }
    check(s)
}

/// A role name from the cluster, namespace and service account; at most 64 valid
/// characters, with a short hash when it has to be cut so that it stays unique.
pub fn derive_role_name(cluster: Option<&str>, namespace: &str, service_account: &str) -> String {
    let raw = match cluster {
        Some(c) => format!("{c}-{namespace}-{service_account}"),
        None => format!("irsa-{namespace}-{service_account}"),
    };
    let clean: String = raw
        .chars()
        .map(|c| match c {
            '*' => '+',
            '?' => '=',
            c if aws::is_iam_name_char(c) => c,
            _ => '-',
        })
        .collect();
    if clean.len() <= 64 {
        return clean;
    }
    let hash = fnv1a(raw.as_bytes());
    let head: String = clean.chars().take(55).collect();
    format!("{head}-{hash:08x}")
}

/// FNV-1a, 32 bits: a stable, platform-independent hash for derived names.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

fn check_tags(r: &mut Report, p: &FieldPath, tags: &IndexMap<String, String>) {
    if tags.len() > 50 {
        r.error(
            "SPEC033",
            p,
            format!("{} tags; IAM allows at most 50 per role", tags.len()),
            "remove some tags",
        );
    }
    let ok_char = |c: char| {
        c.is_alphanumeric()
            || c.is_whitespace() && c != '\n' && c != '\r' && c != '\t'
            || "_.:/=+-@".contains(c)
    };
    for (k, v) in tags {
        let kp = p.key(k);
        if k.is_empty() || k.chars().count() > 128 || !k.chars().all(ok_char) {
            r.error(
                "SPEC033",
                &kp,
                format!("tag key `{k}` is not valid"),
                "tag keys are 1 to 128 letters, digits, spaces and _ . : / = + - @",
            );
        } else if k.to_ascii_lowercase().starts_with("aws:") {
            r.error(
                "SPEC033",
                &kp,
                format!("tag key `{k}` uses the reserved prefix aws:"),
                "choose a key without the aws: prefix",
            );
        }
        if v.chars().count() > 256 || !v.chars().all(ok_char) {
            r.error(
                "SPEC033",
                &kp,
                format!("tag value of `{k}` is not valid"),
                "tag values are up to 256 letters, digits, spaces and _ . : / = + - @",
            );
        }
    }
}

fn check_permissions(
    r: &mut Report,
    p: &FieldPath,
    perms: &Permissions,
    partition: Partition,
    cluster_name: Option<&str>,
) {
    check_addons(r, &p.key("addons"), perms, partition, cluster_name);
    for (i, arn) in perms.managed_policy_arns.iter().enumerate() {
        if let Some(problem) = aws::policy_arn_problem(arn.trim(), partition) {
            r.error("SPEC032", &p.key("managedPolicyArns").index(i), problem, format!("use a policy ARN such as arn:{partition}:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        }
    }
    let managed = crate::generate::managed_policy_arns(perms, partition).len();
    if managed > 20 {
        r.error(
            "SPEC032",
            &p.key("managedPolicyArns"),
            format!(
                "{managed} managed policies (with those of add-ons); a role can have at most 20 attached"
            ),
            "combine permissions into fewer policies",
        );
    }
    for (i, g) in perms.s3.iter().enumerate() {
        let gp = p.key("s3").index(i);
        if let Some(problem) = bucket_problem(&g.bucket) {
            r.error("SPEC040", &gp.key("bucket"), format!("bucket `{}` {problem}", g.bucket), "S3 bucket names are 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit");
        }
        if let Some(prefix) = &g.prefix {
            if !aws::is_policy_text(prefix)
                || prefix.contains(['*', '?', '$'])
                || prefix.starts_with('/')
            {
                r.error("SPEC040", &gp.key("prefix"), format!("prefix `{}` cannot be used in a policy", prefix.escape_default()), "use a plain key prefix such as uploads/ (no leading `/`, no `*`, `?` or `$`, no control characters)");
            }
        }
    }
    for (i, g) in perms.secrets_manager.iter().enumerate() {
        let s = g.secret.trim();
        let ok = if s.starts_with("arn:") {
            aws::Arn::parse(s).is_some_and(|a| {
                a.partition == partition.as_str()
                    && a.service == "secretsmanager"
                    && a.resource.starts_with("secret:")
            })
        } else {
            (1..=512).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
        };
        if !ok {
            r.error(
                "SPEC041",
                &p.key("secretsManager").index(i).key("secret"),
                format!(
                    "secret `{}` is not a secret name or a Secrets Manager ARN of this partition",
                    s.escape_default()
                ),
                "use the secret's name (1 to 512 of A-Z a-z 0-9 / _ + = . @ -) or its full ARN",
            );
        }
    }
    for (i, g) in perms.dynamodb.iter().enumerate() {
        let t = &g.table;
        if !(3..=255).contains(&t.len())
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            r.error(
                "SPEC042",
                &p.key("dynamodb").index(i).key("table"),
                format!(
                    "table `{}` is not a valid DynamoDB table name",
                    t.escape_default()
                ),
                "table names are 3 to 255 of A-Z a-z 0-9 _ . -",
            );
        }
    }
    for (i, g) in perms.sqs.iter().enumerate() {
        let q = &g.queue;
        let base = q.strip_suffix(".fifo").unwrap_or(q);
        if !(1..=80).contains(&q.len())
            || base.is_empty()
            || !base
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
        {
            r.error(
                "SPEC043",
                &p.key("sqs").index(i).key("queue"),
                format!(
                    "queue `{}` is not a valid SQS queue name",
                    q.escape_default()
                ),
                "queue names are 1 to 80 of A-Z a-z 0-9 _ -, optionally ending in .fifo",
            );
        }
    }
    for (i, st) in perms.statements.iter().enumerate() {
        let sp = p.key("statements").index(i);
        let Some(obj) = st.as_object() else {
            r.error(
                "SPEC044",
                &sp,
                "a statement must be a mapping with Effect, Action and Resource",
                "write it as in an IAM policy: {Effect: Allow, Action: [...], Resource: ...}",
            );
            continue;
        };
        if !matches!(
            obj.get("Effect").and_then(|e| e.as_str()),
            Some("Allow" | "Deny")
        ) {
            r.error(
                "SPEC044",
                &sp.key("Effect"),
                "Effect must be `Allow` or `Deny`",
                "add Effect: Allow",
            );
        }
        if !obj.contains_key("Action") && !obj.contains_key("NotAction") {
            r.error(
                "SPEC044",
                &sp.key("Action"),
                "the statement has no Action",
                "list the actions, e.g. Action: [s3:GetObject]",
            );
        }
        if !obj.contains_key("Resource") && !obj.contains_key("NotResource") {
            r.error(
                "SPEC044",
                &sp.key("Resource"),
                "the statement has no Resource",
                "name the resources, or `*` where the action takes none",
            );
        }
        if obj.contains_key("Principal") || obj.contains_key("NotPrincipal") {
            r.error(
                "SPEC044",
                &sp.key("Principal"),
                "a permissions policy statement must not have a Principal",
                "remove Principal: the role is the principal",
            );
        }
        if !aws::is_policy_text(&st.to_string()) {
            r.error(
                "SPEC044",
                &sp,
                "the statement contains characters IAM does not accept in a policy",
                "use only tab, newline and characters U+0020 to U+00FF",
            );
        }
    }
}

/// Add-on names, inputs and scopes; `SPEC045` errors, `SPEC046` warnings where `*` remains.
fn check_addons(
    r: &mut Report,
    p: &FieldPath,
    perms: &Permissions,
    partition: Partition,
    cluster_name: Option<&str>,
) {
    use crate::addons::{self, AddonInput};
    let mut seen = IndexMap::new();
    for (i, g) in perms.addons.iter().enumerate() {
        let gp = p.index(i);
        let name = g.name.trim();
        let Some(addon) = addons::find(name) else {
            let close = addons::ADDONS
                .iter()
                .map(|a| {
                    (
                        strsim::damerau_levenshtein(a.name, &name.to_lowercase()),
                        a.name,
                    )
                })
                .filter(|(d, _)| *d <= 3)
                .min()
                .map(|(_, n)| n);
            let names: Vec<&str> = addons::ADDONS.iter().map(|a| a.name).collect();
            let help = match close {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("choose one of {}", names.join(", ")),
            };
            r.error(
                "SPEC045",
                &gp.key("name"),
                format!("unknown add-on `{}`", name.escape_default()),
                help,
            );
            continue;
        };
        if let Some(first) = seen.insert(addon.name, i) {
            r.error(
                "SPEC045",
                &gp.key("name"),
                format!("add-on `{name}` is already listed at addons[{first}]"),
                "list each add-on once; put all its ARNs in one entry",
            );
        }
        if let Err(problem) = addon.release(g.version.as_deref()) {
            let known: Vec<String> = addon
                .release_ranges()
                .into_iter()
                .map(|(range, r)| format!("{range} (upstream {})", r.upstream.release))
                .collect();
            r.error(
                "SPEC045",
                &gp.key("version"),
                format!("add-on `{name}`: {problem}"),
                format!(
                    "write the release you run, quoted; irsa-gen knows {}",
                    known.join("; ")
                ),
            );
        }
        if addon.needs_cluster_name && cluster_name.is_none() {
            r.error(
                "SPEC045",
                &gp.key("name"),
                format!(
                    "add-on `{name}` scopes its policy to the cluster, and clusterName is missing"
                ),
                "set clusterName to the EKS cluster's name",
            );
        }
        for input in AddonInput::ALL {
            let values = input.values(g);
            let ip = gp.key(input.field());
            if !values.is_empty() && !addon.inputs.contains(&input) {
                let takes: Vec<&str> = addon.inputs.iter().map(|i| i.field()).collect();
                let help = if takes.is_empty() {
                    format!("remove {}: `{name}` takes no ARNs", input.field())
                } else {
                    format!(
                        "remove {}: `{name}` takes {}",
                        input.field(),
                        takes.join(", ")
                    )
                };
                r.error(
                    "SPEC045",
                    &ip,
                    format!("add-on `{name}` does not use {}", input.field()),
                    help,
                );
                continue;
            }
            for (j, arn) in values.iter().enumerate() {
                if let Some(problem) = input.problem(arn.trim(), partition) {
                    r.error(
                        "SPEC045",
                        &ip.index(j),
                        problem,
                        format!("write an ARN such as {}", input.example(partition)),
                    );
                }
            }
        }
        let cx = addons::Context {
            partition,
            region: "",
            account: "",
            cluster_name,
        };
        if let Some(policy) = addons::policy(g, &cx) {
            for note in policy.wildcards {
                r.warning(
                    "SPEC046",
                    &gp,
                    format!("add-on `{name}`: {note}"),
                    "review what the add-on may do; where it takes scoping ARNs, listing them narrows it",
                );
            }
        }
    }
}

fn bucket_problem(b: &str) -> Option<String> {
    if !(3..=63).contains(&b.len()) {
        return Some(format!(
            "is {} characters long; bucket names are 3 to 63",
            b.len()
        ));
    }
    if let Some(c) = b
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Some(if c.is_ascii_uppercase() {
            "contains upper-case letters, which bucket names never have".into()
        } else {
            format!("contains `{c}`")
        });
    }
    if !b.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !b.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("must start and end with a letter or digit".into());
    }
    if b.contains("..") || b.contains(".-") || b.contains("-.") {
        return Some("has `..`, `.-` or `-.`".into());
    }
    if b.split('.').count() == 4 && b.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Some("looks like an IP address".into());
    }
    None
}

fn check_workload(
    r: &mut Report,
    p: &FieldPath,
    w: &crate::spec::WorkloadSpec,
    service_account: &str,
) -> Option<Workload> {
    let name = w
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(service_account)
        .to_string();
    let mut ok = true;
    if let Some(problem) = kube::label_problem(&name) {
        r.error(
            "SPEC050",
            &p.key("name"),
            format!("workload name `{name}` {problem}"),
            "a Deployment name must be a DNS-1123 label (it also names its pods)",
        );
        ok = false;
    }
    let image = w
        .image
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if image.is_empty() {
        r.error(
            "SPEC004",
            &p.key("image"),
            "workload image is missing",
            "set the container image, e.g. 111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1.0",
        );
        ok = false;
    } else if image.chars().any(|c| c.is_whitespace() || c.is_control()) || image.len() > 1024 {
        r.error(
            "SPEC050",
            &p.key("image"),
            format!(
                "image `{}` contains whitespace or control characters",
                image.escape_default()
            ),
            "an image reference is one word: registry/repository:tag or @sha256:digest",
        );
        ok = false;
    }
    let container = w
        .container
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("app")
        .to_string();
    if let Some(problem) = kube::label_problem(&container) {
        r.error(
            "SPEC050",
            &p.key("container"),
            format!("container name `{container}` {problem}"),
            "a container name is a DNS-1123 label",
        );
        ok = false;
    }
    let replicas = match w.replicas.as_deref().map(str::trim) {
        None => 1,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if n <= 10_000 => n,
            _ => {
                r.error(
                    "SPEC050",
                    &p.key("replicas"),
                    format!("replicas `{s}` must be a whole number from 0 to 10000"),
                    "write e.g. replicas: 2",
                );
                ok = false;
                1
            }
        },
    };
    ok.then_some(Workload {
        name,
        image,
        container,
        replicas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_fit() {
        assert_eq!(
            derive_role_name(Some("my-cluster"), "production", "s3-writer"),
            "my-cluster-production-s3-writer"
        );
        let long = derive_role_name(Some(&"c".repeat(100)), &"n".repeat(63), "sa");
        assert_eq!(long.len(), 64);
        assert!(aws::is_role_name(&long));
        assert_ne!(
            long,
            derive_role_name(Some(&"c".repeat(100)), &"n".repeat(63), "sb")
        );
    }

    #[test]
    fn json_specs_follow_the_same_rules_without_positions() {
        let yaml = "accountId: \"12345\"\nregion: us-west-2\nbindings:\n  - namespace: Bad_NS\n    serviceAcount: x\n";
        let json = r#"{"accountId":"12345","region":"us-west-2","bindings":[{"namespace":"Bad_NS","serviceAcount":"x"}]}"#;
        let from_yaml = load_spec(yaml, Some("spec.yaml"));
        let from_json = load_spec_json(json);
        assert!(from_json.spec.is_none());
        assert!(
            from_json.diagnostics.len() >= 3,
            "{:?}",
            from_json.diagnostics
        );
        assert!(from_yaml.diagnostics.iter().all(|d| d.line.is_some()));
        let strip = |d: &Diagnostic| Diagnostic {
            line: None,
            column: None,
            file: None,
            ..d.clone()
        };
        let expected: Vec<Diagnostic> = from_yaml.diagnostics.iter().map(strip).collect();
        assert_eq!(from_json.diagnostics, expected);
    }

    #[test]
    fn json_specs_validate_like_yaml() {
        let yaml = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n";
        let json = r#"{"accountId":"111122223333","region":"us-west-2","cluster":"EXAMPLED539D4633E53DE1B71EXAMPLE","bindings":[{"namespace":"production","serviceAccount":"s3-writer"}]}"#;
        let (a, b) = (load_spec(yaml, None), load_spec_json(json));
        assert!(b.spec.is_some());
        assert_eq!(a.spec, b.spec);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("acountId"), Some("accountId"));
        assert_eq!(suggest("serviceAcount"), Some("serviceAccount"));
        assert_eq!(suggest("zzzzzzzz"), None);
    }
}
