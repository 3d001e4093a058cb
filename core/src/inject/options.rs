//! The webhook's settings: its command-line flags, with their names and
//! defaults (amazon-eks-pod-identity-webhook `main.go`). ServiceAccount and
//! pod annotations override some of them.

use serde::{Deserialize, Serialize};

use crate::source::Limits;

/// `--annotation-prefix`.
pub const ANNOTATION_PREFIX: &str = "eks.amazonaws.com";
/// `--token-audience`.
pub const TOKEN_AUDIENCE: &str = "sts.amazonaws.com";
/// `--token-mount-path`.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
/// The IRSA token volume (not a flag).
pub const TOKEN_VOLUME: &str = "aws-iam-token";
/// The IRSA token file in its volume (not a flag).
pub const TOKEN_NAME: &str = "token";
/// `--container-credentials-audience`.
pub const CONTAINER_CREDENTIALS_AUDIENCE: &str = "pods.eks.amazonaws.com";
/// `--container-credentials-token-mount-path`.
pub const CONTAINER_CREDENTIALS_MOUNT_PATH: &str =
    "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount";
/// `--container-credentials-token-volume-name`.
pub const CONTAINER_CREDENTIALS_VOLUME_NAME: &str = "eks-pod-identity-token";
/// `--container-credentials-token-path`.
pub const CONTAINER_CREDENTIALS_TOKEN_PATH: &str = "eks-pod-identity-token";
/// `--container-credentials-full-uri`.
pub const CONTAINER_CREDENTIALS_FULL_URI: &str = "http://169.254.170.23/v1/credentials";
/// The label the webhook puts on a pod it gives Pod Identity credentials.
pub const POD_IDENTITY_LABEL: &str = "eks.amazonaws.com/pod-identity";

/// `--token-expiration`'s default, and the longest lifetime EKS issues.
pub const DEFAULT_TOKEN_EXPIRATION: i64 = 86_400;
/// With the default lifetime the webhook picks a value at random from this
/// one up to [`DEFAULT_TOKEN_EXPIRATION`] (jitter, so that tokens do not all
/// refresh at once).
pub const DEFAULT_MIN_TOKEN_EXPIRATION: i64 = 79_200;
/// The webhook raises shorter lifetimes to this (the API server's floor).
pub const MIN_TOKEN_EXPIRATION: i64 = 600;
/// The API server refuses a projected token lifetime above 2^32 seconds.
pub const MAX_PROJECTED_EXPIRATION: i64 = 1 << 32;

/// `--compose-role-arn`: a role-arn annotation without `arn:` is a role name
/// (with its path) in the account and partition of the webhook's node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComposeRoleArn {
    /// The 12-digit account of the node (instance metadata).
    pub account: String,
    /// The node's partition (`aws`, `aws-cn`, `aws-us-gov`...).
    pub partition: String,
}

/// The webhook's settings; every field is a flag of the webhook. As JSON
/// (fixtures' `options.json`) the fields are camelCase and all optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct InjectOptions {
    /// `--aws-default-region`: adds AWS_DEFAULT_REGION and AWS_REGION.
    pub region: Option<String>,
    /// `--sts-regional-endpoint`: the default for AWS_STS_REGIONAL_ENDPOINTS.
    pub sts_regional_endpoints: bool,
    /// `--token-expiration` (None: the default, 79200 to 86400 seconds).
    pub token_expiration: Option<i64>,
    /// `--token-audience`.
    pub audience: String,
    /// `--annotation-prefix`.
    pub annotation_prefix: String,
    /// `--token-mount-path`.
    pub token_mount_path: String,
    /// `--compose-role-arn` with the node's account and partition.
    pub compose_role_arn: Option<ComposeRoleArn>,
    /// EKS Pod Identity: an association names the pod's ServiceAccount
    /// (the webhook's container credentials config lists it).
    pub pod_identity: bool,
    /// `--container-credentials-audience`.
    pub container_credentials_audience: String,
    /// `--container-credentials-token-mount-path`.
    pub container_credentials_mount_path: String,
    /// `--container-credentials-token-volume-name`.
    pub container_credentials_volume_name: String,
    /// `--container-credentials-token-path`.
    pub container_credentials_token_path: String,
    /// `--container-credentials-full-uri`.
    pub container_credentials_full_uri: String,
    /// Parse limits (default when None).
    #[serde(skip)]
    pub limits: Option<Limits>,
}

impl Default for InjectOptions {
    fn default() -> Self {
        Self {
            region: None,
            sts_regional_endpoints: false,
            token_expiration: None,
            audience: TOKEN_AUDIENCE.into(),
            annotation_prefix: ANNOTATION_PREFIX.into(),
            token_mount_path: TOKEN_MOUNT_PATH.into(),
            compose_role_arn: None,
            pod_identity: false,
            container_credentials_audience: CONTAINER_CREDENTIALS_AUDIENCE.into(),
            container_credentials_mount_path: CONTAINER_CREDENTIALS_MOUNT_PATH.into(),
            container_credentials_volume_name: CONTAINER_CREDENTIALS_VOLUME_NAME.into(),
            container_credentials_token_path: CONTAINER_CREDENTIALS_TOKEN_PATH.into(),
            container_credentials_full_uri: CONTAINER_CREDENTIALS_FULL_URI.into(),
            limits: None,
        }
    }
}

impl InjectOptions {
    /// The annotation `name` under the webhook's prefix.
    pub fn annotation(&self, name: &str) -> String {
        format!("{}/{name}", self.annotation_prefix)
    }
}
