//! Helm values (`helm-values.yaml`, the `serviceAccount` block common charts
//! take) and a Spice.ai `SpicepodSet` (`spicepodset.yaml`) whose operator
//! creates the annotated service account.

use indexmap::IndexMap;
use serde::Serialize;

use crate::artefact::RenderError;
use crate::catalogue::ArtefactKind;
use crate::documents::Documents;
use crate::manifest::ObjectMeta;
use crate::model::Binding;

/// Helm values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelmValues {
    /// `serviceAccount`.
    pub service_account: HelmServiceAccount,
}

/// `serviceAccount` of Helm values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelmServiceAccount {
    /// Let the chart create it.
    pub create: bool,
    /// Its name.
    pub name: String,
    /// The EKS annotations (empty for Pod Identity).
    pub annotations: IndexMap<String, String>,
}

/// The Helm values of a binding with one plain service account.
pub fn helm_values(b: &Binding, d: &Documents) -> HelmValues {
    HelmValues {
        service_account: HelmServiceAccount {
            create: true,
            name: b.single_service_account().unwrap_or_default().to_string(),
            annotations: d.annotations.clone(),
        },
    }
}

/// A Spice.ai `SpicepodSet`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpicepodSet {
    /// `spice.ai/v1`.
    pub api_version: &'static str,
    /// `SpicepodSet`.
    pub kind: &'static str,
    /// Name and namespace.
    pub metadata: ObjectMeta,
    /// Replicas, service account, Spicepod.
    pub spec: SpicepodSetSpec,
}

/// `spec` of a SpicepodSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpicepodSetSpec {
    /// Replica count.
    pub replicas: u32,
    /// The service account the operator creates.
    pub service_account: SpiceServiceAccount,
    /// The Spicepod definition, as text.
    pub spicepod: String,
}

/// `spec.service_account` of a SpicepodSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpiceServiceAccount {
    /// Use a service account.
    pub enabled: bool,
    /// Let the operator create it.
    pub create: bool,
    /// Its name.
    pub name: String,
    /// The EKS annotations (empty for Pod Identity).
    pub annotations: IndexMap<String, String>,
}

/// The skeleton of a Spicepod.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Spicepod {
    name: String,
    kind: &'static str,
    version: &'static str,
}

/// The SpicepodSet of a binding with one plain service account; it is named
/// after the workload, or else the service account.
pub fn spicepod_set(b: &Binding, d: &Documents) -> Result<SpicepodSet, RenderError> {
    let sa = b.single_service_account().unwrap_or_default().to_string();
    let name = b.workload.as_ref().map_or(sa.clone(), |w| w.name.clone());
    let spicepod = serde_json::to_value(Spicepod {
        name: name.clone(),
        kind: "Spicepod",
        version: "v1",
    })
    .map(|v| crate::yaml::to_string(&v))
    .map_err(|e| RenderError::of(ArtefactKind::SpicepodSet, e))?;
    Ok(SpicepodSet {
        api_version: "spice.ai/v1",
        kind: "SpicepodSet",
        metadata: ObjectMeta {
            name,
            namespace: Some(b.namespace.clone()),
            labels: IndexMap::new(),
            annotations: IndexMap::new(),
        },
        spec: SpicepodSetSpec {
            replicas: b.workload.as_ref().map_or(1, |w| w.replicas),
            service_account: SpiceServiceAccount {
                enabled: true,
                create: true,
                name: sa,
                annotations: d.annotations.clone(),
            },
            spicepod,
        },
    })
}
