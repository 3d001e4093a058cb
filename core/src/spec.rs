//! The spec: the one input document. What CLI flags build, what a spec file
//! holds (YAML or JSON), what the web form edits and what JavaScript passes in.
//!
//! It deserializes leniently (numbers where strings are meant, one service
//! account or a list, unknown fields reported as warnings) and validates
//! strictly in [`crate::validate`].

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

/// IAM tags, in the order written.
pub type Tags = IndexMap<String, String>;

/// A commented starter spec, printed by `irsa-gen init`.
pub const STARTER_SPEC: &str = include_str!("starter-spec.yaml");

/// How pods get their credentials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityType {
    /// IAM Roles for Service Accounts: OIDC federation, annotated ServiceAccount.
    #[default]
    Irsa,
    /// EKS Pod Identity: pods.eks.amazonaws.com trust and an association.
    PodIdentity,
}

/// The input document. Every field is optional here; validation says what is missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Spec {
    /// AWS account ID of the roles (12 digits).
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_id: Option<String>,
    /// AWS region of the cluster; the partition follows from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The cluster's OIDC issuer URL, or its cluster ID.
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster: Option<String>,
    /// The cluster's name (used by eksctl, Pod Identity and the setup script).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// More clusters (issuer URLs or IDs in the same region) whose service accounts the roles trust.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_clusters: Vec<String>,
    /// `irsa` (default) or `pod-identity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<IdentityType>,
    /// Token audience (default `sts.amazonaws.com`, in every partition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Token lifetime in seconds (600 to 86400).
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub token_expiration: Option<String>,
    /// Use the regional STS endpoint (`true`/`false`).
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sts_regional_endpoints: Option<String>,
    /// Largest trust policy accepted, in characters without whitespace (default 2048, at most 8192).
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BindingSpec {
    /// Kubernetes namespace (a pattern with `*` is allowed; then `StringLike`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// ServiceAccount name or pattern, or a list of them.
    #[serde(
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub service_account: Vec<String>,
    /// IAM role name (default derived from cluster, namespace and service account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// IAM role path (default `/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_path: Option<String>,
    /// Description of the IAM role (free text, up to 1000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ARN of a managed policy used as the role's permissions boundary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// IAM tags on the role.
    #[serde(
        deserialize_with = "lenient_map",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub tags: Tags,
    /// What the role may do.
    #[serde(skip_serializing_if = "Permissions::is_empty")]
    pub permissions: Permissions,
    /// The Deployment that runs under the service account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<WorkloadSpec>,
}

/// What a role may do: managed policies, templates and raw statements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Permissions {
    /// Managed policy ARNs to attach.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_policy_arns: Vec<String>,
    /// S3 access to buckets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub s3: Vec<S3Grant>,
    /// Secrets Manager read access.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets_manager: Vec<SecretGrant>,
    /// DynamoDB table access.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dynamodb: Vec<TableGrant>,
    /// SQS queue access.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sqs: Vec<QueueGrant>,
    /// Well-known add-on policies (external-dns, karpenter, ...), scoped by their inputs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<AddonGrant>,
    /// Raw IAM policy statements, copied as given.
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AddonGrant {
    /// The add-on: `external-dns`, `cert-manager`, `karpenter`, ... (see `irsa_core::addons::ADDONS`).
    pub name: String,
    /// Route 53 hosted zones (`arn:aws:route53:::hostedzone/ID`): external-dns, cert-manager.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosted_zone_arns: Vec<String>,
    /// S3 buckets (`arn:aws:s3:::NAME`): mountpoint-s3-csi, velero.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bucket_arns: Vec<String>,
    /// KMS keys (`arn:aws:kms:REGION:ACCOUNT:key/ID`): ebs-csi, mountpoint-s3-csi, external-secrets, velero.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kms_key_arns: Vec<String>,
    /// EFS or FSx file systems: efs-csi, fsx-lustre-csi.
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
}

/// Access levels of the S3 template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct S3Grant {
    /// Bucket name.
    pub bucket: String,
    /// Key prefix (`uploads/`); the whole bucket when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// `read` (default), `write` or `read-write`.
    pub access: S3Access,
}

/// Read access to one secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecretGrant {
    /// Secret name (`prod/db`) or full ARN.
    pub secret: String,
}

/// Access levels of the DynamoDB template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableAccess {
    /// Get, query, scan.
    #[default]
    Read,
    /// Read plus put, update, delete.
    ReadWrite,
}

/// Access to one DynamoDB table (and its indexes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TableGrant {
    /// Table name.
    pub table: String,
    /// `read` (default) or `read-write`.
    pub access: TableAccess,
}

/// Access levels of the SQS template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueueAccess {
    /// Receive and delete messages.
    #[default]
    Consume,
    /// Send messages.
    Send,
}

/// Access to one SQS queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QueueGrant {
    /// Queue name.
    pub queue: String,
    /// `consume` (default) or `send`.
    pub access: QueueAccess,
}

/// The Deployment that runs under the service account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
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
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub replicas: Option<String>,
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
struct Lenient(String);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
