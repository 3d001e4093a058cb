//! The formats people paste: an AWS CLI script, eksctl, Terraform,
//! CloudFormation, Helm values, a Spice.ai SpicepodSet and the Pod Identity
//! association, each from the same [`ValidSpec`] as the core artefacts.
//!
//! YAML and JSON formats are typed serde models rendered like every other
//! artefact; shell and HCL have no serde model and go through the small
//! writers in [`shell`] and [`hcl`], which quote every value.
//!
//! Which formats a binding gets ([`applies`]):
//! - `setup.sh`, `main.tf`, `cloudformation.yaml`, `cloudformation.json`: always.
//! - `eksctl-cluster.yaml`, `eksctl.sh`: with `clusterName`, some permissions
//!   (eksctl refuses a role without a policy), exactly one
//!   service account that is a plain name (no pattern), the role path `/`
//!   (eksctl cannot set one), and for IRSA one cluster and the default
//!   audience (eksctl's trust names only its own cluster and `sts.amazonaws.com`).
//! - `helm-values.yaml`, `spicepodset.yaml`: exactly one plain service account
//!   (a chart or a SpicepodSet has one).
//! - `pod-identity.sh`: Pod Identity only (an association is meaningless for
//!   an IRSA role), with at least one plain service account.

pub mod cloudformation;
pub mod eksctl;
pub mod hcl;
pub mod setup;
pub mod shell;
pub mod terraform;
pub mod values;

use crate::generate::{Artefact, ArtefactKind, RenderError};
use crate::kube;
use crate::spec::IdentityType;
use crate::validate::{Binding, ValidSpec};

/// True when `kind` (one of the formats of this module) makes sense for the binding.
pub fn applies(kind: ArtefactKind, spec: &ValidSpec, b: &Binding) -> bool {
    let pod_identity = spec.identity_type == IdentityType::PodIdentity;
    match kind {
        ArtefactKind::Setup
        | ArtefactKind::Terraform
        | ArtefactKind::CloudFormationYaml
        | ArtefactKind::CloudFormationJson => true,
        ArtefactKind::EksctlCluster | ArtefactKind::EksctlScript => {
            spec.cluster_name.is_some()
                && single_service_account(b).is_some()
                && !b.permissions.is_empty()
                && b.role_path == "/"
                && (pod_identity
                    || (spec.issuers.len() == 1 && spec.audience == kube::DEFAULT_AUDIENCE))
        }
        ArtefactKind::HelmValues | ArtefactKind::SpicepodSet => single_service_account(b).is_some(),
        ArtefactKind::PodIdentity => pod_identity && b.named_service_accounts().next().is_some(),
        ArtefactKind::TrustPolicy
        | ArtefactKind::PermissionsPolicy
        | ArtefactKind::ServiceAccount
        | ArtefactKind::Deployment
        | ArtefactKind::VerifyPod => false,
    }
}

/// When a format applies, in words (for `--help` and error messages).
pub fn when(kind: ArtefactKind) -> &'static str {
    match kind {
        ArtefactKind::EksctlCluster | ArtefactKind::EksctlScript => "clusterName, and a binding with permissions, exactly one service account that is not a pattern and role path /; for IRSA also a single cluster and the default audience",
        ArtefactKind::HelmValues | ArtefactKind::SpicepodSet => "a binding with exactly one service account that is not a pattern",
        ArtefactKind::PodIdentity => "identityType pod-identity and a service account that is not a pattern",
        ArtefactKind::Setup
        | ArtefactKind::Terraform
        | ArtefactKind::CloudFormationYaml
        | ArtefactKind::CloudFormationJson => "every binding",
        ArtefactKind::TrustPolicy => "every binding",
        ArtefactKind::PermissionsPolicy => "a binding with templates, add-ons or statements",
        ArtefactKind::ServiceAccount | ArtefactKind::VerifyPod => "a binding with a service account that is not a pattern",
        ArtefactKind::Deployment => "a binding with a workload and a service account that is not a pattern",
    }
}

/// Every format of this module that applies to the binding, in [`ArtefactKind::ALL`] order.
pub fn artefacts(spec: &ValidSpec, b: &Binding) -> Result<Vec<Artefact>, RenderError> {
    let mut out = Vec::new();
    for kind in ArtefactKind::ALL {
        if !applies(kind, spec, b) {
            continue;
        }
        out.push(match kind {
            ArtefactKind::Setup => Artefact::text(kind, setup::setup_script(spec, b)?),
            ArtefactKind::EksctlCluster => {
                crate::generate::yaml_artefact(kind, &[eksctl::cluster_config(spec, b)])?
            }
            ArtefactKind::EksctlScript => Artefact::text(kind, eksctl::script(spec, b)?),
            ArtefactKind::Terraform => Artefact::text(kind, terraform::main_tf(spec, b)?),
            ArtefactKind::CloudFormationYaml => {
                crate::generate::yaml_artefact(kind, &[cloudformation::template(spec, b)])?
            }
            ArtefactKind::CloudFormationJson => {
                crate::generate::json_artefact(kind, &cloudformation::template(spec, b))?
            }
            ArtefactKind::HelmValues => {
                crate::generate::yaml_artefact(kind, &[values::helm_values(spec, b)])?
            }
            ArtefactKind::SpicepodSet => {
                crate::generate::yaml_artefact(kind, &[values::spicepod_set(spec, b)?])?
            }
            ArtefactKind::PodIdentity => Artefact::text(kind, setup::pod_identity_script(spec, b)),
            _ => continue,
        });
    }
    Ok(out)
}

/// The one service account of a binding, when it has exactly one and it is a plain name.
pub fn single_service_account(b: &Binding) -> Option<&str> {
    let mut named = b.named_service_accounts();
    let first = named.next()?;
    (b.service_accounts.len() == 1 && named.next().is_none()).then_some(first)
}

/// The name of the role's own permissions policy (inline or customer managed).
pub fn policy_name(b: &Binding) -> String {
    format!("{}-permissions", b.role_name)
}

/// The ARN of the customer managed policy that Terraform and eksctl create.
pub fn policy_arn(spec: &ValidSpec, b: &Binding) -> String {
    format!(
        "arn:{}:iam::{}:policy{}{}",
        spec.partition,
        spec.account_id,
        b.role_path,
        policy_name(b)
    )
}

/// The annotations a ServiceAccount of this binding carries (none for Pod Identity).
pub fn annotations(spec: &ValidSpec, b: &Binding) -> indexmap::IndexMap<String, String> {
    crate::generate::service_accounts(spec, b)
        .into_iter()
        .next()
        .map(|sa| sa.metadata.annotations)
        .unwrap_or_default()
}

/// `"namespace/name"` of the binding, for comments.
fn who(b: &Binding) -> String {
    format!("{}/{}", b.namespace, b.service_accounts.join(","))
}

fn render_err(kind: ArtefactKind, e: impl std::fmt::Display) -> RenderError {
    RenderError::new(kind.file_name(), e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_and_file_name_names_one_kind() {
        for kind in ArtefactKind::ALL {
            assert_eq!(ArtefactKind::parse(kind.id()), Some(kind), "{}", kind.id());
            assert_eq!(ArtefactKind::parse(kind.file_name()), Some(kind));
            assert!(!when(kind).is_empty());
        }
        assert_eq!(
            ArtefactKind::parse("cloudformation"),
            Some(ArtefactKind::CloudFormationYaml)
        );
        assert_eq!(ArtefactKind::parse("main"), Some(ArtefactKind::Terraform));
    }
}
