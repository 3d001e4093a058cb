//! The spec: the one input document. What CLI flags build, what a spec file
//! holds (YAML or JSON), what the web form edits and what JavaScript passes in.
//!
//! It deserializes leniently (numbers where strings are meant, one service
//! account or a list, unknown fields reported as warnings) and validates
//! strictly in [`crate::validate`].

use indexmap::IndexMap;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize};

/// The add-on entry is the add-ons' (`addons/grant.rs`); its old path stays.
pub use crate::addons::AddonGrant;
use crate::lenient::{lenient_map, lenient_string};

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
    /// A migration's transition: the trust admits the cluster's OIDC provider and pods.eks.amazonaws.com, the ServiceAccount keeps its annotation, and the association is created.
    Both,
}

impl IdentityType {
    /// True when pods may get credentials through IRSA (OIDC federation).
    pub fn uses_irsa(self) -> bool {
        matches!(self, IdentityType::Irsa | IdentityType::Both)
    }

    /// True when pods may get credentials through EKS Pod Identity.
    pub fn uses_pod_identity(self) -> bool {
        matches!(self, IdentityType::PodIdentity | IdentityType::Both)
    }
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
    /// AWS account ID of the EKS cluster when it is not the roles' (12 digits; default accountId; SPEC019). IRSA across accounts trusts the OIDC provider of the roles' account; Pod Identity across accounts is role chaining, which `irsa-gen migrate` plans (SPEC066).
    #[schemars(schema_with = "string_or_integer")]
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_account_id: Option<String>,
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
    /// `irsa` (default), `pod-identity`, or `both` (a migration's transition: OIDC and Pod Identity).
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
