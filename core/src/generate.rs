//! Generation: every binding of a [`ValidSpec`], its documents built once
//! ([`Documents`]), then each kind of the catalogue that applies, rendered by
//! [`crate::formats`]. Nothing here builds JSON or YAML by hand.

use serde::Serialize;

use crate::artefact::{Artefact, RenderError};
use crate::catalogue::ArtefactKind;
use crate::documents::Documents;
use crate::formats;
use crate::model::{Binding, ValidSpec};

/// Everything generated for one binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingArtefacts {
    /// Namespace (or pattern).
    pub namespace: String,
    /// Service accounts (or patterns).
    pub service_accounts: Vec<String>,
    /// The role's name.
    pub role_name: String,
    /// The role's ARN.
    pub role_arn: String,
    /// The folder for this binding when a spec has several.
    pub dir: String,
    /// The files.
    pub artefacts: Vec<Artefact>,
}

/// Everything generated for a spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bundle {
    /// One entry per binding, in spec order.
    pub bindings: Vec<BindingArtefacts>,
}

/// Generates every artefact for every binding: the policies and manifests,
/// then the formats that apply to it.
pub fn generate(spec: &ValidSpec) -> Result<Bundle, RenderError> {
    let bindings = spec
        .bindings
        .iter()
        .map(|b| binding_artefacts(spec, b))
        .collect::<Result<_, _>>()?;
    Ok(Bundle { bindings })
}

/// Generates the artefacts of one binding (callers that write many bindings
/// stream them one at a time instead of holding the whole [`Bundle`]).
pub fn binding_artefacts(spec: &ValidSpec, b: &Binding) -> Result<BindingArtefacts, RenderError> {
    artefacts_of(spec, b, |_| true)
}

/// The five artefacts of the stream (policies and manifests), without the
/// other formats: what standard output shows, at a third of the cost.
pub fn core_artefacts(spec: &ValidSpec, b: &Binding) -> Result<BindingArtefacts, RenderError> {
    artefacts_of(spec, b, ArtefactKind::in_stream)
}

/// The kinds `wanted` that apply to the binding, in catalogue order.
fn artefacts_of(
    spec: &ValidSpec,
    b: &Binding,
    wanted: impl Fn(ArtefactKind) -> bool,
) -> Result<BindingArtefacts, RenderError> {
    let docs = Documents::of(spec, b);
    let mut artefacts = Vec::new();
    for kind in ArtefactKind::all() {
        if wanted(kind) && kind.applies(spec, b) {
            artefacts.extend(formats::render(kind, spec, b, &docs)?);
        }
    }
    Ok(BindingArtefacts {
        namespace: b.namespace.clone(),
        service_accounts: b.service_accounts.clone(),
        role_name: b.role_name.clone(),
        role_arn: b.role_arn(spec),
        dir: b.dir(),
        artefacts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(service_accounts: &str) -> Bundle {
        let text = format!(
            "accountId: \"111122223333\"\nregion: us-west-2\ncluster: EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: production\n    serviceAccount: {service_accounts}\n    roleName: S3WriterRole\n"
        );
        let validated = crate::load_spec(&text, None);
        generate(validated.spec.as_ref().unwrap()).unwrap()
    }

    fn artefact(b: &Bundle, kind: ArtefactKind) -> &Artefact {
        b.bindings[0]
            .artefacts
            .iter()
            .find(|a| a.kind == kind)
            .unwrap()
    }

    #[test]
    fn json_text_of_a_policy_is_its_text() {
        let b = bundle("s3-writer");
        let trust = artefact(&b, ArtefactKind::TrustPolicy);
        assert_eq!(trust.json_text().unwrap(), trust.text);
    }

    #[test]
    fn json_text_of_one_manifest_is_the_object() {
        let b = bundle("s3-writer");
        let sa = artefact(&b, ArtefactKind::ServiceAccount);
        let json: serde_json::Value = serde_json::from_str(&sa.json_text().unwrap()).unwrap();
        assert_eq!(json["kind"], "ServiceAccount");
        assert_eq!(json["metadata"]["name"], "s3-writer");
        assert!(sa.json_text().unwrap().ends_with("}\n"));
    }

    #[test]
    fn json_text_of_several_manifests_is_a_list() {
        let b = bundle("[a, b]");
        let sa = artefact(&b, ArtefactKind::ServiceAccount);
        let json: serde_json::Value = serde_json::from_str(&sa.json_text().unwrap()).unwrap();
        assert_eq!(json["kind"], "List");
        assert_eq!(json["items"][1]["metadata"]["name"], "b");
    }

    #[test]
    fn values_are_trimmed_once_by_validation() {
        let text = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: kube-system\n    serviceAccount: aws-node-termination-handler\n    roleName: NthRole\n    permissions:\n      managedPolicyArns: [\" arn:aws:iam::aws:policy/ReadOnlyAccess \"]\n      secretsManager: [{secret: \" db-password \"}]\n      addons:\n        - name: \" node-termination-handler \"\n          queueArns: [\" arn:aws:sqs:us-west-2:111122223333:nth \"]\n";
        let validated = crate::load_spec(text, None);
        let spec = validated.spec.as_ref().expect("valid");
        let perms = &spec.bindings[0].permissions;
        assert_eq!(
            perms.managed_policy_arns,
            ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        );
        assert_eq!(perms.secrets_manager[0].secret, "db-password");
        assert_eq!(perms.addons[0].name, "node-termination-handler");
        assert_eq!(
            perms.addons[0].queue_arns,
            ["arn:aws:sqs:us-west-2:111122223333:nth"]
        );
        let b = generate(spec).unwrap();
        let policy = &artefact(&b, ArtefactKind::PermissionsPolicy).text;
        assert!(
            policy.contains("\"arn:aws:sqs:us-west-2:111122223333:nth\""),
            "{policy}"
        );
        assert!(policy.contains(":secret:db-password-??????\""), "{policy}");
        let tf = &artefact(&b, ArtefactKind::Terraform).text;
        assert!(
            tf.contains("\"arn:aws:iam::aws:policy/ReadOnlyAccess\""),
            "{tf}"
        );
    }
}
