//! The artefact catalogue: every kind of file irsa-gen writes, one row each
//! (its `--only` id, file name, title, format, whether it is in the stdout
//! stream, and when a binding gets it). The CLI's `--only` and its help, the
//! npm module and the playground read these rows instead of lists of their own.

use serde::Serialize;

use crate::kube;
use crate::model::{Binding, ValidSpec};
use crate::spec::IdentityType;

/// Every artefact irsa-gen writes, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ArtefactKind {
    /// `trust-policy.json`
    TrustPolicy,
    /// `permissions-policy.json`
    PermissionsPolicy,
    /// `serviceaccount.yaml`
    ServiceAccount,
    /// `deployment.yaml`
    Deployment,
    /// `verify-pod.yaml`
    VerifyPod,
    /// `setup.sh`: the whole setup with the AWS CLI and kubectl.
    Setup,
    /// `eksctl-cluster.yaml`: an eksctl ClusterConfig with the service account or association.
    EksctlCluster,
    /// `eksctl.sh`: the same with `eksctl create iamserviceaccount` / `podidentityassociation`.
    EksctlScript,
    /// `main.tf`: Terraform (aws and kubernetes providers).
    Terraform,
    /// `cloudformation.yaml`: an AWS::IAM::Role template.
    CloudFormationYaml,
    /// `cloudformation.json`: the same template in JSON.
    CloudFormationJson,
    /// `helm-values.yaml`: `serviceAccount: {create, name, annotations}`.
    HelmValues,
    /// `spicepodset.yaml`: a Spice.ai SpicepodSet with its service account.
    SpicepodSet,
    /// `pod-identity.sh`: `aws eks create-pod-identity-association` (Pod Identity only).
    PodIdentity,
}

/// The text format of an artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON (IAM documents).
    Json,
    /// YAML (Kubernetes manifests), possibly several documents.
    Yaml,
    /// A bash script.
    Shell,
    /// HCL (Terraform).
    Hcl,
}

/// How `--only` puts the files of several bindings into one (standard output
/// holds one file; `--output-dir` writes one per binding instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Combine {
    /// One YAML stream, `---` between the bindings' documents (Kubernetes
    /// objects: `kubectl apply -f` takes a stream).
    YamlStream,
    /// A JSON array with an entry per binding (`roleName`, `file`, `document`).
    JsonArray,
    /// One bash script that sets up every binding in turn.
    ScriptInTurn,
    /// One Terraform file with every binding's resources, names made unique.
    OneHcl,
    /// One CloudFormation template with every binding's role.
    OneTemplate,
    /// No single file can hold them: refused with this reason, pointing to
    /// `--output-dir`.
    Refuse(&'static str),
}

/// Which bindings get an artefact.
#[derive(Debug, Clone, Copy)]
pub enum Applies {
    /// Those whose document of this kind exists (the trust policy always; the
    /// others when the binding has permissions, a plain service account, a
    /// workload): the document builder decides.
    WithDocument,
    /// Those for which the rule holds (the alternative formats).
    When(fn(&ValidSpec, &Binding) -> bool),
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// The kind.
    pub kind: ArtefactKind,
    /// The name `--only` takes (the file name works too).
    pub id: &'static str,
    /// The file name.
    pub file: &'static str,
    /// The human title (the playground's panel heading).
    pub title: &'static str,
    /// The text format.
    pub format: Format,
    /// Printed in the stdout stream when no artefact is chosen: the IAM
    /// policies and Kubernetes manifests. The other formats are alternatives
    /// to each other (and scripts and HCL are not YAML); `--only` prints them,
    /// `--output-dir` writes them.
    pub in_stream: bool,
    /// What it is, after its file name in `--only`'s help (none when the
    /// file name says it).
    pub summary: Option<&'static str>,
    /// Which bindings get it.
    pub applies: Applies,
    /// How several bindings' files become one for `--only`.
    pub combine: Combine,
    /// When it applies, in words (for error messages).
    pub when: &'static str,
    /// The same in a few words, for `--only`'s help (`*`: see the eksctl note).
    pub when_brief: &'static str,
}

const EVERY_BINDING: &str = "every binding";
const ONE_PLAIN: &str = "a binding with exactly one service account that is not a pattern";
const EKSCTL: &str = "clusterName, the roles in the cluster's account (no other clusterAccountId), and a binding with permissions, exactly one service account that is not a pattern and role path /; for IRSA also a single cluster and the default audience";

/// The rows, in output order (what [`ArtefactKind::all`] yields).
pub const CATALOGUE: [KindInfo; 14] = [
    KindInfo {
        kind: ArtefactKind::TrustPolicy,
        id: "trust-policy",
        file: "trust-policy.json",
        title: "Trust policy",
        format: Format::Json,
        in_stream: true,
        summary: Some("the role's trust policy"),
        applies: Applies::WithDocument,
        combine: Combine::JsonArray,
        when: EVERY_BINDING,
        when_brief: "always",
    },
    KindInfo {
        kind: ArtefactKind::PermissionsPolicy,
        id: "permissions-policy",
        file: "permissions-policy.json",
        title: "Permissions policy",
        format: Format::Json,
        in_stream: true,
        summary: Some("the role's inline policy"),
        applies: Applies::WithDocument,
        combine: Combine::JsonArray,
        when: "a binding with templates, add-ons or statements",
        when_brief: "with permissions",
    },
    KindInfo {
        kind: ArtefactKind::ServiceAccount,
        id: "serviceaccount",
        file: "serviceaccount.yaml",
        title: "ServiceAccount",
        format: Format::Yaml,
        in_stream: true,
        summary: None,
        applies: Applies::WithDocument,
        combine: Combine::YamlStream,
        when: "a binding with a service account that is not a pattern",
        when_brief: "plain service accounts",
    },
    KindInfo {
        kind: ArtefactKind::Deployment,
        id: "deployment",
        file: "deployment.yaml",
        title: "Deployment",
        format: Format::Yaml,
        in_stream: true,
        summary: None,
        applies: Applies::WithDocument,
        combine: Combine::YamlStream,
        when: "a binding with a workload and a service account that is not a pattern",
        when_brief: "with a workload",
    },
    KindInfo {
        kind: ArtefactKind::VerifyPod,
        id: "verify-pod",
        file: "verify-pod.yaml",
        title: "Verification pod",
        format: Format::Yaml,
        in_stream: true,
        summary: Some("aws sts get-caller-identity"),
        applies: Applies::WithDocument,
        combine: Combine::YamlStream,
        when: "a binding with a service account that is not a pattern",
        when_brief: "plain service accounts",
    },
    KindInfo {
        kind: ArtefactKind::Setup,
        id: "setup",
        file: "setup.sh",
        title: "AWS CLI setup script",
        format: Format::Shell,
        in_stream: false,
        summary: Some("AWS CLI and kubectl, rerun-safe"),
        applies: Applies::When(always),
        combine: Combine::ScriptInTurn,
        when: EVERY_BINDING,
        when_brief: "always",
    },
    KindInfo {
        kind: ArtefactKind::EksctlCluster,
        id: "eksctl-cluster",
        file: "eksctl-cluster.yaml",
        title: "eksctl ClusterConfig",
        format: Format::Yaml,
        in_stream: false,
        summary: Some("eksctl ClusterConfig"),
        applies: Applies::When(eksctl_applies),
        combine: Combine::Refuse("irsa-gen writes one ClusterConfig per binding"),
        when: EKSCTL,
        when_brief: "*",
    },
    KindInfo {
        kind: ArtefactKind::EksctlScript,
        id: "eksctl",
        file: "eksctl.sh",
        title: "eksctl commands",
        format: Format::Shell,
        in_stream: false,
        summary: Some("eksctl create iamserviceaccount"),
        applies: Applies::When(eksctl_applies),
        combine: Combine::ScriptInTurn,
        when: EKSCTL,
        when_brief: "*",
    },
    KindInfo {
        kind: ArtefactKind::Terraform,
        id: "main",
        file: "main.tf",
        title: "Terraform",
        format: Format::Hcl,
        in_stream: false,
        summary: Some("Terraform"),
        applies: Applies::When(always),
        combine: Combine::OneHcl,
        when: EVERY_BINDING,
        when_brief: "always",
    },
    KindInfo {
        kind: ArtefactKind::CloudFormationYaml,
        id: "cloudformation",
        file: "cloudformation.yaml",
        title: "CloudFormation (YAML)",
        format: Format::Yaml,
        in_stream: false,
        summary: None,
        applies: Applies::When(always),
        combine: Combine::OneTemplate,
        when: EVERY_BINDING,
        when_brief: "always",
    },
    KindInfo {
        kind: ArtefactKind::CloudFormationJson,
        // The YAML template already has the stem `cloudformation`.
        id: "cloudformation-json",
        file: "cloudformation.json",
        title: "CloudFormation (JSON)",
        format: Format::Json,
        in_stream: false,
        summary: None,
        applies: Applies::When(always),
        combine: Combine::OneTemplate,
        when: EVERY_BINDING,
        when_brief: "always",
    },
    KindInfo {
        kind: ArtefactKind::HelmValues,
        id: "helm-values",
        file: "helm-values.yaml",
        title: "Helm values",
        format: Format::Yaml,
        in_stream: false,
        summary: None,
        applies: Applies::When(one_plain_service_account),
        combine: Combine::Refuse("a chart's values hold one service account"),
        when: ONE_PLAIN,
        when_brief: "one plain service account",
    },
    KindInfo {
        kind: ArtefactKind::SpicepodSet,
        id: "spicepodset",
        file: "spicepodset.yaml",
        title: "SpicepodSet",
        format: Format::Yaml,
        in_stream: false,
        summary: Some("Spice.ai"),
        applies: Applies::When(one_plain_service_account),
        combine: Combine::YamlStream,
        when: ONE_PLAIN,
        when_brief: "one plain service account",
    },
    KindInfo {
        kind: ArtefactKind::PodIdentity,
        id: "pod-identity",
        file: "pod-identity.sh",
        title: "Pod Identity association",
        format: Format::Shell,
        in_stream: false,
        summary: Some("the association"),
        applies: Applies::When(pod_identity_applies),
        combine: Combine::ScriptInTurn,
        when: "identityType pod-identity (or both) and a service account that is not a pattern",
        when_brief: "Pod Identity only",
    },
];

fn always(_: &ValidSpec, _: &Binding) -> bool {
    true
}

/// eksctl refuses a role without a policy, sets no role path, its trust
/// names only its own cluster and `sts.amazonaws.com`, and it creates the
/// role in the cluster's account (SPEC067).
fn eksctl_applies(spec: &ValidSpec, b: &Binding) -> bool {
    spec.cluster_name.is_some()
        && !spec.cross_account()
        && b.single_service_account().is_some()
        && !b.permissions.is_empty()
        && b.role_path == "/"
        && match spec.identity_type {
            IdentityType::PodIdentity => true,
            IdentityType::Irsa => {
                spec.issuers.len() == 1 && spec.audience == kube::DEFAULT_AUDIENCE
            }
            // One ClusterConfig entry is either an IRSA service account or an
            // association: eksctl has no form for a role trusted both ways.
            IdentityType::Both => false,
        }
}

/// A chart or a SpicepodSet has one service account.
fn one_plain_service_account(_: &ValidSpec, b: &Binding) -> bool {
    b.single_service_account().is_some()
}

/// An association is meaningless for an IRSA role.
fn pod_identity_applies(spec: &ValidSpec, b: &Binding) -> bool {
    spec.uses_pod_identity() && b.named_service_accounts().next().is_some()
}

impl ArtefactKind {
    /// All kinds, in output order: the catalogue's rows.
    pub fn all() -> impl Iterator<Item = ArtefactKind> {
        CATALOGUE.iter().map(|row| row.kind)
    }

    /// Its row of the catalogue.
    pub fn info(self) -> &'static KindInfo {
        // The rows are in declaration order (a test holds them to it), so the
        // fallback is never taken.
        let [first, ..] = &CATALOGUE;
        CATALOGUE.get(self as usize).unwrap_or(first)
    }

    /// Printed in the stdout stream when no artefact is chosen ([`KindInfo::in_stream`]).
    pub fn in_stream(self) -> bool {
        self.info().in_stream
    }

    /// The file name.
    pub fn file_name(self) -> &'static str {
        self.info().file
    }

    /// The name `--only` takes.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The human title.
    pub fn title(self) -> &'static str {
        self.info().title
    }

    /// The text format.
    pub fn format(self) -> Format {
        self.info().format
    }

    /// How several bindings' files of this kind become one ([`KindInfo::combine`]).
    pub fn combine(self) -> Combine {
        self.info().combine
    }

    /// When it applies, in words.
    pub fn when(self) -> &'static str {
        self.info().when
    }

    /// False when the binding never gets this kind; true when it gets it, or,
    /// for the kinds that are there [`Applies::WithDocument`], may get it.
    pub fn applies(self, spec: &ValidSpec, b: &Binding) -> bool {
        match self.info().applies {
            Applies::WithDocument => true,
            Applies::When(rule) => rule(spec, b),
        }
    }

    /// The kind whose `id` or file name this is.
    pub fn parse(s: &str) -> Option<ArtefactKind> {
        CATALOGUE
            .iter()
            .find(|k| k.id == s || k.file == s)
            .map(|k| k.kind)
    }

    /// The kind whose file name this is (a file of a binding's folder).
    pub fn of_file(file: &str) -> Option<ArtefactKind> {
        CATALOGUE.iter().find(|k| k.file == file).map(|k| k.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_declaration_order() {
        for (i, row) in CATALOGUE.iter().enumerate() {
            assert_eq!(row.kind as usize, i, "{}", row.id);
            assert_eq!(row.kind.info().id, row.id);
        }
    }

    #[test]
    fn every_id_and_file_name_names_one_kind() {
        for kind in ArtefactKind::all() {
            assert_eq!(ArtefactKind::parse(kind.id()), Some(kind), "{}", kind.id());
            assert_eq!(ArtefactKind::parse(kind.file_name()), Some(kind));
            assert_eq!(ArtefactKind::of_file(kind.file_name()), Some(kind));
            assert!(!kind.when().is_empty());
        }
        assert_eq!(
            ArtefactKind::parse("cloudformation"),
            Some(ArtefactKind::CloudFormationYaml)
        );
        assert_eq!(ArtefactKind::parse("main"), Some(ArtefactKind::Terraform));
    }

    #[test]
    fn ids_are_file_stems_but_for_the_json_template() {
        for kind in ArtefactKind::all() {
            let stem = kind.file_name().rsplit_once('.').map_or("", |(s, _)| s);
            if kind == ArtefactKind::CloudFormationJson {
                assert_eq!(kind.id(), "cloudformation-json");
            } else {
                assert_eq!(kind.id(), stem);
            }
        }
    }

    /// A script runs in turn, HCL is one module, the templates one template,
    /// an IAM document an array, manifests a stream; a refusal says why.
    #[test]
    fn several_bindings_combine_as_their_format_can() {
        use ArtefactKind as K;
        for kind in ArtefactKind::all() {
            let fits = match (kind.format(), kind.combine()) {
                (Format::Shell, Combine::ScriptInTurn) | (Format::Hcl, Combine::OneHcl) => true,
                (_, Combine::OneTemplate) => {
                    matches!(kind, K::CloudFormationYaml | K::CloudFormationJson)
                }
                (Format::Json, Combine::JsonArray) => kind.in_stream(),
                (Format::Yaml, Combine::YamlStream) => true,
                (_, Combine::Refuse(why)) => !why.is_empty(),
                _ => false,
            };
            assert!(fits, "{}: {:?}", kind.id(), kind.combine());
        }
    }

    #[test]
    fn formats_follow_the_extension() {
        for kind in ArtefactKind::all() {
            let ext = kind.file_name().rsplit_once('.').map_or("", |(_, e)| e);
            let want = match ext {
                "json" => Format::Json,
                "yaml" => Format::Yaml,
                "sh" => Format::Shell,
                _ => Format::Hcl,
            };
            assert_eq!(kind.format(), want, "{}", kind.id());
        }
    }
}
