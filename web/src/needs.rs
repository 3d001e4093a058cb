//! The artefacts a binding does not get yet, and the field of the form that
//! adds each: artefacts never appear or vanish without a word. Core's
//! catalogue decides which kinds a binding gets (`ArtefactKind::applies` and
//! the documents); this only says, in the form's words, what to fill in.

use irsa_core::ArtefactKind;

use crate::derived::Panel;
use crate::form::Form;
use crate::form_fields::Field;

/// An artefact binding `binding` does not get, and what would add it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The binding (its index in the form).
    pub binding: usize,
    /// The artefact.
    pub kind: ArtefactKind,
    /// What to do, in the form's words ("add a Cluster name").
    pub needs: &'static str,
    /// The field to fill.
    pub field: Field,
}

const PERMISSION: &str =
    "add an S3 bucket, a secret, a DynamoDB table, an SQS queue, an add-on policy or statements";
const ONE_NAME: &str = "give one Service account name, without *";

/// What binding `binding` of `form` lacks for `kind`; `None` for the kinds
/// every valid binding gets.
pub fn need(kind: ArtefactKind, form: &Form, binding: usize) -> Option<(&'static str, Field)> {
    let blank = |f: Field| !form.has_value(binding, f);
    let has_permission = [
        Field::S3Bucket,
        Field::Secret,
        Field::DynamoTable,
        Field::SqsQueue,
        Field::ManagedPolicyArn,
        Field::Addon,
        Field::Statements,
    ]
    .into_iter()
    .any(|f| !blank(f));
    match kind {
        ArtefactKind::PermissionsPolicy => Some((PERMISSION, Field::S3Bucket)),
        ArtefactKind::ServiceAccount | ArtefactKind::VerifyPod => {
            Some((ONE_NAME, Field::ServiceAccount))
        }
        ArtefactKind::Deployment => Some(("add a Workload name and image", Field::WorkloadName)),
        ArtefactKind::EksctlCluster | ArtefactKind::EksctlScript => {
            Some(if blank(Field::ClusterName) {
                ("add a Cluster name", Field::ClusterName)
            } else if !has_permission {
                (
                    "add a permission (eksctl makes no role without one)",
                    Field::S3Bucket,
                )
            } else {
                (ONE_NAME, Field::ServiceAccount)
            })
        }
        ArtefactKind::HelmValues | ArtefactKind::SpicepodSet => {
            Some((ONE_NAME, Field::ServiceAccount))
        }
        ArtefactKind::PodIdentity => {
            Some(("choose Identity type: Pod Identity", Field::IdentityType))
        }
        ArtefactKind::TrustPolicy
        | ArtefactKind::Setup
        | ArtefactKind::Terraform
        | ArtefactKind::CloudFormationYaml
        | ArtefactKind::CloudFormationJson => None,
    }
}

/// Every artefact a binding of `form` lacks: a core artefact not among
/// `panels`, an alternative format not among `applying` (binding, kind).
pub fn missing(form: &Form, panels: &[Panel], applying: &[(usize, ArtefactKind)]) -> Vec<Missing> {
    let mut out = Vec::new();
    for binding in 0..form.binding_count() {
        for kind in ArtefactKind::all() {
            let given = if kind.in_stream() {
                panels
                    .iter()
                    .any(|p| p.binding == binding && p.kind == kind)
            } else {
                applying.contains(&(binding, kind))
            };
            if given {
                continue;
            }
            if let Some((needs, field)) = need(kind, form, binding) {
                out.push(Missing {
                    binding,
                    kind,
                    needs,
                    field,
                });
            }
        }
    }
    out
}
