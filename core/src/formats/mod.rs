//! The formats people paste: an AWS CLI script, eksctl, Terraform,
//! CloudFormation, Helm values, a Spice.ai SpicepodSet and the Pod Identity
//! association, and the policies and manifests themselves: each renders the
//! binding's [`Documents`], built once, with the normalised [`ValidSpec`].
//!
//! YAML and JSON formats are typed serde models rendered like every other
//! artefact; shell and HCL have no serde model and go through the small
//! writers in [`shell`] and [`hcl`], which quote every value.
//!
//! Which formats a binding gets ([`ArtefactKind::applies`], the catalogue's rules):
//! - `setup.sh`, `main.tf`, `cloudformation.yaml`, `cloudformation.json`: always.
//! - `eksctl-cluster.yaml`, `eksctl.sh`: with `clusterName`, the roles in the
//!   cluster's account (eksctl creates them with its credentials: SPEC067), some permissions
//!   (eksctl refuses a role without a policy), exactly one
//!   service account that is a plain name (no pattern), the role path `/`
//!   (eksctl cannot set one), and for IRSA one cluster and the default
//!   audience (eksctl's trust names only its own cluster and `sts.amazonaws.com`).
//! - `helm-values.yaml`, `spicepodset.yaml`: exactly one plain service account
//!   (a chart or a SpicepodSet has one).
//! - `pod-identity.sh`: Pod Identity only (an association is meaningless for
//!   an IRSA role), with at least one plain service account.
//!
//! [`combine`] makes one file of several bindings' (`--only`), as the
//! catalogue's `combine` column says.

pub mod cloudformation;
pub mod combine;
pub mod eksctl;
pub mod hcl;
pub mod names;
pub mod setup;
pub mod shell;
pub mod terraform;
pub mod values;

use crate::artefact::{Artefact, RenderError};
use crate::catalogue::ArtefactKind;
use crate::documents::{Documents, Shared};
use crate::model::{Binding, ValidSpec};

/// The artefact of `kind` for the binding, from its documents; None when the
/// binding has no such document (a pattern gets no ServiceAccount). Whether a
/// format applies at all is the catalogue's rule ([`ArtefactKind::applies`]).
pub fn render(
    kind: ArtefactKind,
    spec: &ValidSpec,
    b: &Binding,
    d: &Documents,
) -> Result<Option<Artefact>, RenderError> {
    use ArtefactKind as K;
    // The policies and manifests keep their text for the scripts that quote them.
    let shared = |which: Shared, a: Artefact| {
        d.keep_text(which, &a.text);
        a
    };
    let artefact = match kind {
        K::TrustPolicy => shared(Shared::Trust, Artefact::json(kind, &d.trust)?),
        K::PermissionsPolicy => match &d.permissions {
            Some(p) => shared(Shared::Permissions, Artefact::json(kind, p)?),
            None => return Ok(None),
        },
        K::ServiceAccount if d.service_accounts.is_empty() => return Ok(None),
        K::ServiceAccount => shared(
            Shared::ServiceAccounts,
            Artefact::yaml(kind, &d.service_accounts)?,
        ),
        K::Deployment => match &d.deployment {
            Some(dep) => shared(
                Shared::Deployment,
                Artefact::yaml(kind, std::slice::from_ref(dep))?,
            ),
            None => return Ok(None),
        },
        K::VerifyPod => match &d.verify_pod {
            Some(pod) => shared(
                Shared::VerifyPod,
                Artefact::yaml(kind, std::slice::from_ref(pod))?,
            ),
            None => return Ok(None),
        },
        K::Setup => Artefact::text(kind, setup::setup_script(spec, b, d)?),
        K::EksctlCluster => Artefact::yaml(kind, &[eksctl::cluster_config(spec, b, d)])?,
        K::EksctlScript => Artefact::text(kind, eksctl::script(spec, b, d)?),
        K::Terraform => Artefact::text(kind, terraform::main_tf(spec, b, d)?),
        K::CloudFormationYaml => {
            Artefact::yaml_values(kind, vec![template_value(kind, spec, b, d)?.clone()])
        }
        K::CloudFormationJson => {
            Artefact::json_value(kind, template_value(kind, spec, b, d)?.clone())?
        }
        K::HelmValues => Artefact::yaml(kind, &[values::helm_values(b, d)])?,
        K::SpicepodSet => Artefact::yaml(kind, &[values::spicepod_set(b, d)?])?,
        K::PodIdentity => Artefact::text(kind, setup::pod_identity_script(spec, b)),
    };
    Ok(Some(artefact))
}

/// The binding's CloudFormation template as a value, built once for its YAML
/// and its JSON file.
fn template_value<'d>(
    kind: ArtefactKind,
    spec: &ValidSpec,
    b: &Binding,
    d: &'d Documents,
) -> Result<&'d serde_json::Value, RenderError> {
    d.shared_template(|| {
        serde_json::to_value(cloudformation::template(spec, b, d))
            .map_err(|e| RenderError::of(kind, e))
    })
}
