//! The spec: the one input document. What CLI flags build, what a spec file
//! holds (YAML or JSON), what the web form edits and what JavaScript passes in.
//!
//! It deserializes leniently (numbers where strings are meant, one service
//! account or a list, unknown fields reported as warnings) and validates
//! strictly in [`crate::validate`].

use indexmap::IndexMap;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize};

/// IAM tags, in the order written.
pub type Tags = IndexMap<String, String>;

/// A commented starter spec, printed by `irsa-gen init`.
pub const STARTER_SPEC: &str = include_str!("starter-spec.yaml");

/// How pods get their credentials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityType {
    /// IAM Roles for Service Accounts: OIDC federation, annotated ServiceAccount.
    #[default]
    Irsa,
    /// EKS Pod Identity: pods.eks.amazonaws.com trust and an association.
    PodIdentity,
}

/// The input document. Every field is optional here; validation says what is missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields)]
pub struct Spec {
    /// AWS account ID of the roles (12 digits). Quote it in YAML: a bare number loses leading zeros (SPEC010).
    #[schemars(schema_with = "string_or_integer")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_id: Option<String>,
    /// AWS region of the cluster; the partition follows from it (SPEC011, SPEC012).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The cluster's OIDC issuer URL, or its cluster ID (SPEC013 to SPEC016).
    #[schemars(schema_with = "string_or_integer")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster: Option<String>,
    /// The cluster's name (used by eksctl, Pod Identity and the setup script; SPEC018).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// More clusters (issuer URLs or IDs in the same region) whose service accounts the roles trust (SPEC017).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_clusters: Vec<String>,
    /// Create the IAM OIDC provider of each cluster (IRSA): setup.sh creates it when missing, main.tf and the CloudFormation templates declare it, eksctl associates it. Default false: every format looks the provider up and fails early when it is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_oidc_provider: Option<bool>,
    /// `irsa` (default) or `pod-identity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<IdentityType>,
    /// Token audience (default `sts.amazonaws.com`, in every partition; SPEC060).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Token lifetime in seconds (600 to 86400; SPEC061).
    #[schemars(schema_with = "string_or_integer")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub token_expiration: Option<String>,
    /// Use the regional STS endpoint (`true`/`false`; SPEC062).
    #[schemars(schema_with = "string_or_boolean")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sts_regional_endpoints: Option<String>,
    /// Largest trust policy accepted, in characters without whitespace (default 2048, at most 8192; SPEC063, SPEC064).
    #[schemars(schema_with = "string_or_integer")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_trust_policy_length: Option<String>,
    /// One IAM role per binding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<BindingSpec>,
}

/// One role and the service accounts that may assume it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields)]
pub struct BindingSpec {
    /// Kubernetes namespace (a pattern with `*` is allowed; then `StringLike`; SPEC020, SPEC022).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// ServiceAccount name or pattern, or a list of them (SPEC021, SPEC024).
    #[schemars(schema_with = "one_or_many_schema")]
    #[serde(
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub service_account: Vec<String>,
    /// IAM role name (default derived from cluster, namespace and service account; SPEC030).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// IAM role path (default `/`; SPEC031).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_path: Option<String>,
    /// Description of the IAM role (free text, up to 1000 characters; SPEC034).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ARN of a managed policy used as the role's permissions boundary (SPEC032).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// IAM tags on the role (SPEC033).
    #[schemars(schema_with = "lenient_map_schema")]
    #[serde(
        deserialize_with = "lenient_map",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub tags: Tags,
    /// What the role may do.
    #[serde(skip_serializing_if = "Permissions::is_empty")]
    pub permissions: Permissions,
    /// The Deployment that runs under the service account (SPEC050).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<WorkloadSpec>,
}

/// What a role may do: managed policies, templates and raw statements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields)]
pub struct Permissions {
    /// Managed policy ARNs to attach (SPEC032).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_policy_arns: Vec<String>,
    /// S3 access to buckets (SPEC040).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub s3: Vec<S3Grant>,
    /// Secrets Manager read access (SPEC041).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets_manager: Vec<SecretGrant>,
    /// DynamoDB table access (SPEC042).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dynamodb: Vec<TableGrant>,
    /// SQS queue access (SPEC043).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sqs: Vec<QueueGrant>,
    /// Well-known add-on policies (external-dns, karpenter, ...), scoped by their inputs (SPEC045, SPEC046).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<AddonGrant>,
    /// Raw IAM policy statements, copied as given (SPEC044).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<serde_json::Value>,
}

impl Permissions {
    /// True when nothing is granted.
    pub fn is_empty(&self) -> bool {
        self.managed_policy_arns.is_empty()
            && self.s3.is_empty()
            && self.secrets_manager.is_empty()
            && self.dynamodb.is_empty()
            && self.sqs.is_empty()
            && self.addons.is_empty()
            && self.statements.is_empty()
    }
}

/// The permissions of a well-known add-on (see [`crate::addons`]), scoped by
/// the ARNs given; every list is optional, and each add-on takes only some.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields, transform = require_name)]
pub struct AddonGrant {
    /// The add-on: `external-dns`, `cert-manager`, `karpenter`, ... (see `irsa_core::addons::ADDONS`).
    #[schemars(schema_with = "addon_name_schema")]
    pub name: String,
    /// The controller release you run, quoted (`"1.14"`, `"v0.37.5"`), where its policy
    /// changed between releases (karpenter); without it the current policy is used.
    #[serde(
        deserialize_with = "version_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<String>,
    /// Route 53 hosted zones (`arn:aws:route53:::hostedzone/ID`): external-dns, cert-manager.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosted_zone_arns: Vec<String>,
    /// S3 buckets (`arn:aws:s3:::NAME`): mountpoint-s3-csi, velero.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bucket_arns: Vec<String>,
    /// KMS keys (`arn:aws:kms:REGION:ACCOUNT:key/ID`): ebs-csi, mountpoint-s3-csi, external-secrets, velero.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kms_key_arns: Vec<String>,
    /// EFS, S3 Files or FSx file systems: efs-csi, fsx-lustre-csi, fsx-openzfs-csi.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_system_arns: Vec<String>,
    /// Secrets Manager secrets: external-secrets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secret_arns: Vec<String>,
    /// SSM parameters: external-secrets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameter_arns: Vec<String>,
    /// SQS queues: node-termination-handler (queue mode), karpenter (interruption queue).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queue_arns: Vec<String>,
    /// Amazon Managed Service for Prometheus workspaces: amazon-managed-prometheus.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workspace_arns: Vec<String>,
    /// The node IAM roles Karpenter may pass to EC2: karpenter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub node_role_arns: Vec<String>,
    /// ELB target groups: aws-load-balancer-controller-targetgroupbinding-only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_group_arns: Vec<String>,
    /// AWS Private CA certificate authorities: aws-privateca-issuer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificate_authority_arns: Vec<String>,
}

/// Access levels of the S3 template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum S3Access {
    /// List and get objects.
    #[default]
    Read,
    /// List and put objects.
    Write,
    /// List, get, put and delete objects.
    ReadWrite,
}

/// S3 access to a bucket, optionally under a key prefix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields, transform = require_bucket)]
pub struct S3Grant {
    /// Bucket name.
    #[schemars(transform = no_default)]
    pub bucket: String,
    /// Key prefix (`uploads/`); the whole bucket when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// `read` (default), `write` or `read-write`.
    pub access: S3Access,
}

/// Read access to one secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields, transform = require_secret)]
pub struct SecretGrant {
    /// Secret name (`prod/db`) or full ARN.
    #[schemars(transform = no_default)]
    pub secret: String,
}

/// Access levels of the DynamoDB template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TableAccess {
    /// Get, query, scan.
    #[default]
    Read,
    /// Read plus put, update, delete.
    ReadWrite,
}

/// Access to one DynamoDB table (and its indexes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields, transform = require_table)]
pub struct TableGrant {
    /// Table name.
    #[schemars(transform = no_default)]
    pub table: String,
    /// `read` (default) or `read-write`.
    pub access: TableAccess,
}

/// Access levels of the SQS template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum QueueAccess {
    /// Receive and delete messages.
    #[default]
    Consume,
    /// Send messages.
    Send,
}

/// Access to one SQS queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields, transform = require_queue)]
pub struct QueueGrant {
    /// Queue name.
    #[schemars(transform = no_default)]
    pub queue: String,
    /// `consume` (default) or `send`.
    pub access: QueueAccess,
}

/// The Deployment that runs under the service account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[schemars(deny_unknown_fields)]
pub struct WorkloadSpec {
    /// Deployment name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Container image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Container name (default `app`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Replica count (default 1).
    #[schemars(schema_with = "string_or_integer")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub replicas: Option<String>,
}

/// The JSON Schema of a spec file, generated from these types: what
/// `irsa-gen schema` prints and `schema/irsa-gen.schema.json` holds. Draft-07,
/// the newest draft yaml-language-server (VS Code's YAML extension, and most
/// editors' YAML support) reads. It
/// describes what deserializes (the lenient types: `accountId` as a string or
/// a number, `serviceAccount` as a name or a list); [`crate::validate`] judges
/// the values. Unknown fields, which loading reports as warnings, are refused
/// here so that editors flag misspellings.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Spec>()
        .to_value();
    // `$schema`, title and description first, for people reading the file.
    let mut ordered = serde_json::Map::new();
    ordered.insert(
        "$schema".into(),
        schema.get("$schema").cloned().unwrap_or_default(),
    );
    ordered.insert("title".into(), "irsa-gen spec".into());
    if let serde_json::Value::Object(rest) = schema {
        for (key, value) in rest {
            if !ordered.contains_key(&key) {
                ordered.insert(key, value);
            }
        }
    }
    serde_json::Value::Object(ordered)
}

/// [`json_schema()`] as pretty-printed JSON with a final newline.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// A field with no useful default (an empty bucket name): required in the schema,
/// though loading takes its absence and validation reports it.
fn no_default(schema: &mut Schema) {
    schema.remove("default");
}

/// Marks `field` required: loading takes its absence, validation reports it,
/// and an editor should ask for it.
fn require(schema: &mut Schema, field: &str) {
    schema.insert("required".into(), serde_json::json!([field]));
}

fn require_name(schema: &mut Schema) {
    require(schema, "name");
}

fn require_bucket(schema: &mut Schema) {
    require(schema, "bucket");
}

fn require_secret(schema: &mut Schema) {
    require(schema, "secret");
}

fn require_table(schema: &mut Schema) {
    require(schema, "table");
}

fn require_queue(schema: &mut Schema) {
    require(schema, "queue");
}

/// What [`lenient_string`] takes for a number: a string, or an integer written bare.
fn string_or_integer(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "integer", "null"] })
}

/// What [`lenient_string`] takes for a flag: a string, or `true`/`false` written bare.
fn string_or_boolean(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "boolean", "null"] })
}

/// What [`one_or_many`] takes.
fn one_or_many_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } },
            { "type": "null" }
        ]
    })
}

/// What [`lenient_map`] takes: values are strings, numbers or booleans, kept as text.
fn lenient_map_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["object", "null"],
        "additionalProperties": { "type": ["string", "number", "boolean"] }
    })
}

/// The names of [`crate::addons::ADDONS`], each with its summary.
fn addon_name_schema(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<serde_json::Value> = crate::addons::ADDONS
        .iter()
        .map(|a| serde_json::json!({ "const": a.name, "description": a.summary }))
        .collect();
    json_schema!({ "type": "string", "oneOf": names })
}

/// A version is text: YAML reads `1.10` as the number 1.1, so a bare number is refused.
fn version_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Lenient>::deserialize(d)? {
        Some(Lenient(v, false)) => Ok(Some(v)),
        Some(Lenient(v, true)) => Err(serde::de::Error::custom(format!(
            "quote the version (version: \"1.10\"): YAML read this bare one as the number {v}, and reads 1.10 as 1.1"
        ))),
        None => Ok(None),
    }
}

/// A scalar read as text: YAML users write `accountId: 123456789012` and `replicas: 2`.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Lenient>::deserialize(d)?.map(|l| l.0))
}

fn lenient_map<'de, D: Deserializer<'de>>(d: D) -> Result<IndexMap<String, String>, D::Error> {
    let map = Option::<IndexMap<String, Lenient>>::deserialize(d)?.unwrap_or_default();
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a service account name or a list of names")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// A string, number or boolean, kept as its text.
/// The text, and whether it was written as a number or boolean rather than a string.
struct Lenient(String, bool);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), false))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
        }
        d.deserialize_any(V)
    }
}
