//! The Kubernetes objects irsa-gen writes, as typed documents. Field order is
//! the order `kubectl get -o yaml` prints.

use indexmap::IndexMap;
use serde::Serialize;

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Name.
    pub name: String,
    /// Namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub labels: IndexMap<String, String>,
    /// Annotations (values are always strings).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
}

/// A ServiceAccount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    /// `v1`.
    pub api_version: &'static str,
    /// `ServiceAccount`.
    pub kind: &'static str,
    /// Name, namespace, annotations.
    pub metadata: ObjectMeta,
}

/// A Deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `apps/v1`.
    pub api_version: &'static str,
    /// `Deployment`.
    pub kind: &'static str,
    /// Name, namespace, labels.
    pub metadata: ObjectMeta,
    /// Replicas, selector, template.
    pub spec: DeploymentSpec,
}

/// A Deployment's spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// Replica count.
    pub replicas: u32,
    /// Which pods belong to it.
    pub selector: LabelSelector,
    /// The pod template.
    pub template: PodTemplate,
}

/// `selector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// `matchLabels`.
    pub match_labels: IndexMap<String, String>,
}

/// A pod template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodTemplate {
    /// Labels of the pods.
    pub metadata: TemplateMeta,
    /// The pod spec.
    pub spec: PodSpec,
}

/// Metadata of a pod template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateMeta {
    /// Labels.
    pub labels: IndexMap<String, String>,
}

/// A Pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// `v1`.
    pub api_version: &'static str,
    /// `Pod`.
    pub kind: &'static str,
    /// Name, namespace, labels.
    pub metadata: ObjectMeta,
    /// The pod spec.
    pub spec: PodSpec,
}

/// A pod spec (the parts irsa-gen writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// The ServiceAccount whose role the pod assumes.
    pub service_account_name: String,
    /// `Never` for the verification pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<&'static str>,
    /// Containers.
    pub containers: Vec<Container>,
}

/// A container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Container {
    /// Name.
    pub name: String,
    /// Image.
    pub image: String,
    /// Arguments to the image's entrypoint.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Environment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
}

/// An environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}
