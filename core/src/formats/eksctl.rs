//! eksctl: a `ClusterConfig` (`eksctl-cluster.yaml`) with `iam.serviceAccounts`
//! or `iam.podIdentityAssociations`, and the same as commands (`eksctl.sh`).

use indexmap::IndexMap;
use serde::Serialize;

use super::names::{policy_arn, policy_name, who};
use super::shell::{opt, Script};
use crate::artefact::RenderError;
use crate::catalogue::ArtefactKind;
use crate::documents::Documents;
use crate::kube;
use crate::model::{Binding, ValidSpec};
use crate::policy::PolicyDocument;

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
    let pod_identity = spec.uses_pod_identity();
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

/// `eksctl.sh` for a binding: the role's own policy (created only if
/// missing), then eksctl's command for the service account or association.
/// Every value goes as `--option=value`, so none is read as an option.
pub fn script(spec: &ValidSpec, b: &Binding, d: &Documents) -> Result<String, RenderError> {
    scripts(spec, &[(b, d)])
}

/// One `eksctl.sh` with every binding's commands in turn.
pub fn scripts(spec: &ValidSpec, parts: &[(&Binding, &Documents)]) -> Result<String, RenderError> {
    let cluster = spec.cluster_name.as_deref().unwrap_or_default();
    let whom = match parts {
        [(b, _)] => who(b),
        _ => format!("{} bindings", parts.len()),
    };
    let mut s = Script::new(&[
        &format!("eksctl commands for {whom} on cluster {cluster} (generated by irsa-gen)."),
        "Rerunning it is safe: eksctl skips what exists.",
    ]);
    s.raw("export AWS_PAGER=\"\"");
    for (b, d) in parts {
        if parts.len() > 1 {
            s.blank();
            s.comment(&who(b));
        }
        let mut managed = d.managed_policy_arns.clone();
        if let Some(p) = &d.permissions {
            own_policy(&mut s, spec, b, p)?;
            managed.push(policy_arn(spec, b));
        }
        s.blank();
        if spec.uses_pod_identity() {
            pod_identity_commands(&mut s, spec, b, &managed);
        } else {
            irsa_commands(&mut s, spec, b, &managed);
            extra_annotations(&mut s, b, d);
        }
    }
    Ok(s.finish())
}

/// The role's own policy, as a customer managed policy (created only if missing).
fn own_policy(
    s: &mut Script,
    spec: &ValidSpec,
    b: &Binding,
    p: &PolicyDocument,
) -> Result<(), RenderError> {
    let arn = opt("--policy-arn", &policy_arn(spec, b));
    s.blank();
    s.comment("The role's own policy, as a customer managed policy (created only if missing)");
    let text = serde_json::to_string_pretty(p)
        .map_err(|e| RenderError::of(ArtefactKind::EksctlScript, e))?;
    s.assign("permissions_policy", &text);
    s.command_in(
        "if !",
        &["aws", "iam", "get-policy", &arn],
        ">/dev/null 2>&1; then",
    );
    s.push();
    s.command_in(
        "",
        &[
            "aws",
            "iam",
            "create-policy",
            &opt("--policy-name", &policy_name(b)),
            &opt("--path", &b.role_path),
        ],
        "--policy-document=\"$permissions_policy\"",
    );
    s.pop();
    s.raw("fi");
    Ok(())
}

/// `k=v,k=v`, eksctl's form of tags.
fn tags_arg(b: &Binding) -> String {
    b.tags
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The common options of the role eksctl creates.
fn role_options(spec: &ValidSpec, b: &Binding, boundary_flag: &str) -> Vec<String> {
    let mut args = vec![
        opt(
            "--cluster",
            spec.cluster_name.as_deref().unwrap_or_default(),
        ),
        opt("--region", &spec.region),
        opt("--namespace", &b.namespace),
    ];
    if let Some(pb) = &b.permissions_boundary {
        args.push(opt(boundary_flag, pb));
    }
    if !b.tags.is_empty() {
        args.push(opt("--tags", &tags_arg(b)));
    }
    args
}

/// The Pod Identity agent add-on and the association (eksctl creates the role).
fn pod_identity_commands(s: &mut Script, spec: &ValidSpec, b: &Binding, managed: &[String]) {
    let cluster = opt(
        "--cluster",
        spec.cluster_name.as_deref().unwrap_or_default(),
    );
    let region = opt("--region", &spec.region);
    let sa = b.single_service_account().unwrap_or_default();
    s.comment("The Pod Identity agent add-on and the association (eksctl creates the role)");
    s.command_in(
        "",
        &[
            "eksctl",
            "create",
            "addon",
            &cluster,
            &region,
            "--name=eks-pod-identity-agent",
        ],
        "2>/dev/null || true",
    );
    let mut args: Vec<String> = ["eksctl", "create", "podidentityassociation"]
        .map(String::from)
        .into();
    let options = role_options(spec, b, "--permissions-boundary-arn");
    let (place, rest) = options.split_at(3.min(options.len()));
    args.extend(place.iter().cloned());
    args.push(opt("--service-account-name", sa));
    args.push(opt("--role-name", &b.role_name));
    if !managed.is_empty() {
        args.push(opt("--permission-policy-arns", &managed.join(",")));
    }
    args.extend(rest.iter().cloned());
    s.command(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

/// The IAM OIDC provider when the spec says to create it, then the role and
/// ServiceAccount (eksctl stops, naming the command, when the provider is missing).
fn irsa_commands(s: &mut Script, spec: &ValidSpec, b: &Binding, managed: &[String]) {
    let cluster = opt(
        "--cluster",
        spec.cluster_name.as_deref().unwrap_or_default(),
    );
    let region = opt("--region", &spec.region);
    let sa = b.single_service_account().unwrap_or_default();
    if spec.create_oidc_provider {
        s.comment("The IAM OIDC provider (createOidcProvider; eksctl skips it when it exists), then the role and ServiceAccount");
        s.command(&[
            "eksctl",
            "utils",
            "associate-iam-oidc-provider",
            &cluster,
            &region,
            "--approve",
        ]);
    } else {
        s.comment("The role and ServiceAccount (the cluster's IAM OIDC provider must exist; createOidcProvider: true creates it)");
    }
    let mut args: Vec<String> = ["eksctl", "create", "iamserviceaccount"]
        .map(String::from)
        .into();
    let options = role_options(spec, b, "--permissions-boundary");
    let (place, rest) = options.split_at(3.min(options.len()));
    args.extend(place.iter().cloned());
    args.push(opt("--name", sa));
    args.push(opt("--role-name", &b.role_name));
    args.extend(managed.iter().map(|arn| opt("--attach-policy-arn", arn)));
    args.extend(rest.iter().cloned());
    args.extend([
        "--override-existing-serviceaccounts".into(),
        "--approve".into(),
    ]);
    s.command(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

/// Annotations eksctl's command line does not set, with kubectl.
fn extra_annotations(s: &mut Script, b: &Binding, d: &Documents) {
    let mut extra = d.annotations.clone();
    extra.shift_remove(kube::ROLE_ARN);
    if extra.is_empty() {
        return;
    }
    let sa = b.single_service_account().unwrap_or_default();
    s.blank();
    s.comment("Annotations eksctl's command line does not set");
    let pairs: Vec<String> = extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let ns = opt("--namespace", &b.namespace);
    let mut args = vec!["kubectl", "annotate", "serviceaccount", sa, &ns];
    args.extend(pairs.iter().map(String::as_str));
    args.push("--overwrite");
    s.command(&args);
}
