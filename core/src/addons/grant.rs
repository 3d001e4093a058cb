//! The add-on entry a spec writes under `permissions.addons`: the add-on's
//! name, the release, and its inputs (one list per [`super::AddonInput`]).
//! It belongs to the add-ons, so that they read their own inputs without
//! importing the spec; the spec re-exports it (`spec::AddonGrant`).

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use crate::lenient::version_text;

use super::input::AddonInput;

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

impl AddonGrant {
    /// The values given for `input`.
    pub fn input(&self, input: AddonInput) -> &[String] {
        let g = self;
        match input {
            AddonInput::HostedZones => &g.hosted_zone_arns,
            AddonInput::Buckets => &g.bucket_arns,
            AddonInput::KmsKeys => &g.kms_key_arns,
            AddonInput::FileSystems => &g.file_system_arns,
            AddonInput::Secrets => &g.secret_arns,
            AddonInput::Parameters => &g.parameter_arns,
            AddonInput::Queues => &g.queue_arns,
            AddonInput::Workspaces => &g.workspace_arns,
            AddonInput::NodeRoles => &g.node_role_arns,
            AddonInput::TargetGroups => &g.target_group_arns,
            AddonInput::CertificateAuthorities => &g.certificate_authority_arns,
        }
    }

    /// The values given for `input`, to change (validation trims them).
    pub fn input_mut(&mut self, input: AddonInput) -> &mut Vec<String> {
        let g = self;
        match input {
            AddonInput::HostedZones => &mut g.hosted_zone_arns,
            AddonInput::Buckets => &mut g.bucket_arns,
            AddonInput::KmsKeys => &mut g.kms_key_arns,
            AddonInput::FileSystems => &mut g.file_system_arns,
            AddonInput::Secrets => &mut g.secret_arns,
            AddonInput::Parameters => &mut g.parameter_arns,
            AddonInput::Queues => &mut g.queue_arns,
            AddonInput::Workspaces => &mut g.workspace_arns,
            AddonInput::NodeRoles => &mut g.node_role_arns,
            AddonInput::TargetGroups => &mut g.target_group_arns,
            AddonInput::CertificateAuthorities => &mut g.certificate_authority_arns,
        }
    }
}

/// Marks `name` required: loading takes its absence, validation reports it.
fn require_name(schema: &mut Schema) {
    schema.insert("required".into(), serde_json::json!(["name"]));
}

/// The names of [`super::registry::ADDONS`], each with its summary.
fn addon_name_schema(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<serde_json::Value> = super::registry::ADDONS
        .iter()
        .map(|a| serde_json::json!({ "const": a.name, "description": a.summary }))
        .collect();
    json_schema!({ "type": "string", "oneOf": names })
}
