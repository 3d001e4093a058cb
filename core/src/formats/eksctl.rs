//! eksctl: a `ClusterConfig` (`eksctl-cluster.yaml`) with `iam.serviceAccounts`
//! or `iam.podIdentityAssociations`, and the same as commands (`eksctl.sh`).

use indexmap::IndexMap;
use serde::Serialize;

use super::names::{policy_arn, policy_name, who};
use super::shell::Script;
use crate::artefact::RenderError;
use crate::catalogue::ArtefactKind;
use crate::documents::Documents;
use crate::kube;
use crate::model::{Binding, ValidSpec};
use crate::policy::PolicyDocument;
use crate::spec::IdentityType;

/// An eksctl `ClusterConfig` (the parts irsa-gen writes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterConfig {
    /// `eksctl.io/v1alpha5`.
    pub api_version: &'static str,
    /// `ClusterConfig`.
    pub kind: &'static str,
    /// Cluster name and region.
    pub metadata: ClusterMeta,
    /// OIDC, service accounts, associations.
    pub iam: Iam,
    /// Add-ons (the Pod Identity agent).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<AddonRef>,
}

/// `metadata` of a ClusterConfig.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterMeta {
    /// Cluster name.
    pub name: String,
    /// Region.
    pub region: String,
}

/// `iam`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Iam {
    /// `withOIDC: true` (IRSA).
    #[serde(rename = "withOIDC", skip_serializing_if = "Option::is_none")]
    pub with_oidc: Option<bool>,
    /// IRSA service accounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_accounts: Vec<IamServiceAccount>,
    /// Pod Identity associations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pod_identity_associations: Vec<PodIdentityAssociation>,
}

/// One `iam.serviceAccounts` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IamServiceAccount {
    /// Name, namespace, annotations other than the role ARN.
    pub metadata: ServiceAccountMeta,
    /// The role's name.
    pub role_name: String,
    /// Managed policies.
    #[serde(rename = "attachPolicyARNs", skip_serializing_if = "Vec::is_empty")]
    pub attach_policy_arns: Vec<String>,
    /// The inline policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach_policy: Option<PolicyDocument>,
    /// Permissions boundary ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Role tags.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
}

/// `metadata` of an eksctl service account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAccountMeta {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Annotations eksctl adds next to the role ARN.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
}

/// One `iam.podIdentityAssociations` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodIdentityAssociation {
    /// Namespace.
    pub namespace: String,
    /// Service account.
    pub service_account_name: String,
    /// The role's name.
    pub role_name: String,
    /// Managed policies.
    #[serde(rename = "permissionPolicyARNs", skip_serializing_if = "Vec::is_empty")]
    pub permission_policy_arns: Vec<String>,
    /// The inline policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<PolicyDocument>,
    /// Permissions boundary ARN.
    #[serde(
        rename = "permissionsBoundaryARN",
        skip_serializing_if = "Option::is_none"
    )]
    pub permissions_boundary_arn: Option<String>,
    /// Role tags.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
}

/// An entry of `addons`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddonRef {
    /// Add-on name.
    pub name: &'static str,
}

/// The ClusterConfig of a binding (see [`ArtefactKind::applies`] for when there is one).
pub fn cluster_config(spec: &ValidSpec, b: &Binding, d: &Documents) -> ClusterConfig {
    let cluster = spec.cluster_name.clone().unwrap_or_default();
    let sa = b.single_service_account().unwrap_or_default().to_string();
    let managed = d.managed_policy_arns.clone();
    let inline = d.permissions.clone();
    let pod_identity = spec.identity_type == IdentityType::PodIdentity;
    let mut iam = Iam {
        with_oidc: None,
        service_accounts: Vec::new(),
        pod_identity_associations: Vec::new(),
    };
    let mut addons = Vec::new();
    if pod_identity {
        iam.pod_identity_associations.push(PodIdentityAssociation {
            namespace: b.namespace.clone(),
            service_account_name: sa,
            role_name: b.role_name.clone(),
            permission_policy_arns: managed,
            permission_policy: inline,
            permissions_boundary_arn: b.permissions_boundary.clone(),
            tags: b.tags.clone(),
        });
        addons.push(AddonRef {
            name: "eks-pod-identity-agent",
        });
    } else {
        let mut extra = d.annotations.clone();
        extra.shift_remove(kube::ROLE_ARN);
        iam.with_oidc = Some(true);
        iam.service_accounts.push(IamServiceAccount {
            metadata: ServiceAccountMeta {
                name: sa,
                namespace: b.namespace.clone(),
                annotations: extra,
            },
            role_name: b.role_name.clone(),
            attach_policy_arns: managed,
            attach_policy: inline,
            permissions_boundary: b.permissions_boundary.clone(),
            tags: b.tags.clone(),
        });
    }
    ClusterConfig {
        api_version: "eksctl.io/v1alpha5",
        kind: "ClusterConfig",
        metadata: ClusterMeta {
            name: cluster,
            region: spec.region.clone(),
        },
        iam,
        addons,
    }
}

/// `eksctl.sh`: eksctl commands for a binding. eksctl's command line takes
/// no inline policy, so the role's own policy is created first as a customer
/// managed policy (only if missing) and attached by ARN.
pub fn script(spec: &ValidSpec, b: &Binding, d: &Documents) -> Result<String, RenderError> {
    let kind = ArtefactKind::EksctlScript;
    let cluster = spec.cluster_name.as_deref().unwrap_or_default();
    let sa = b.single_service_account().unwrap_or_default();
    let pod_identity = spec.identity_type == IdentityType::PodIdentity;
    let mut s = Script::new(&[
        &format!(
            "eksctl commands for {} on cluster {cluster} (generated by irsa-gen).",
            who(b)
        ),
        "Rerunning it is safe: eksctl skips what exists.",
    ]);
    s.raw("export AWS_PAGER=\"\"");
    let region = spec.region.as_str();
    let mut managed = d.managed_policy_arns.clone();
    if let Some(p) = &d.permissions {
        let arn = policy_arn(spec, b);
        s.blank();
        s.comment("The role's own policy, as a customer managed policy (created only if missing)");
        let text = serde_json::to_string_pretty(p).map_err(|e| RenderError::of(kind, e))?;
        s.assign("permissions_policy", &text);
        s.command_in(
            "if !",
            &["aws", "iam", "get-policy", "--policy-arn", &arn],
            ">/dev/null 2>&1; then",
        );
        s.push();
        s.command_in(
            "",
            &[
                "aws",
                "iam",
                "create-policy",
                "--policy-name",
                &policy_name(b),
                "--path",
                &b.role_path,
                "--policy-document",
            ],
            "\"$permissions_policy\"",
        );
        s.pop();
        s.raw("fi");
        managed.push(arn);
    }
    let tags = b
        .tags
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    s.blank();
    if pod_identity {
        s.comment("The Pod Identity agent add-on and the association (eksctl creates the role)");
        s.command_in(
            "",
            &[
                "eksctl",
                "create",
                "addon",
                "--cluster",
                cluster,
                "--region",
                region,
                "--name",
                "eks-pod-identity-agent",
            ],
            "2>/dev/null || true",
        );
        let mut args = vec![
            "eksctl",
            "create",
            "podidentityassociation",
            "--cluster",
            cluster,
            "--region",
            region,
            "--namespace",
            b.namespace.as_str(),
            "--service-account-name",
            sa,
            "--role-name",
            b.role_name.as_str(),
        ];
        let arns = managed.join(",");
        if !managed.is_empty() {
            args.extend(["--permission-policy-arns", arns.as_str()]);
        }
        if let Some(pb) = &b.permissions_boundary {
            args.extend(["--permissions-boundary-arn", pb.as_str()]);
        }
        if !tags.is_empty() {
            args.extend(["--tags", tags.as_str()]);
        }
        s.command(&args);
    } else {
        s.comment("The IAM OIDC provider (eksctl skips it when it exists), then the role and ServiceAccount");
        s.command(&[
            "eksctl",
            "utils",
            "associate-iam-oidc-provider",
            "--cluster",
            cluster,
            "--region",
            region,
            "--approve",
        ]);
        let mut args = vec![
            "eksctl",
            "create",
            "iamserviceaccount",
            "--cluster",
            cluster,
            "--region",
            region,
            "--namespace",
            b.namespace.as_str(),
            "--name",
            sa,
            "--role-name",
            b.role_name.as_str(),
        ];
        for arn in &managed {
            args.extend(["--attach-policy-arn", arn.as_str()]);
        }
        if let Some(pb) = &b.permissions_boundary {
            args.extend(["--permissions-boundary", pb.as_str()]);
        }
        if !tags.is_empty() {
            args.extend(["--tags", tags.as_str()]);
        }
        args.extend(["--override-existing-serviceaccounts", "--approve"]);
        s.command(&args);
        let mut extra = d.annotations.clone();
        extra.shift_remove(kube::ROLE_ARN);
        if !extra.is_empty() {
            s.blank();
            s.comment("Annotations eksctl's command line does not set");
            let pairs: Vec<String> = extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let mut args = vec![
                "kubectl",
                "annotate",
                "serviceaccount",
                sa,
                "-n",
                b.namespace.as_str(),
            ];
            args.extend(pairs.iter().map(String::as_str));
            args.push("--overwrite");
            s.command(&args);
        }
    }
    Ok(s.finish())
}
