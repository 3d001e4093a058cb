//! CloudFormation: an `AWS::IAM::Role` template (plus the
//! `AWS::EKS::PodIdentityAssociation` of each service account for Pod
//! Identity), rendered as `cloudformation.yaml` and `cloudformation.json`.
//! Intrinsic functions use the long form (`Fn::GetAtt`), which both accept.

use indexmap::IndexMap;
use serde::Serialize;

use super::names::{policy_name, who};
use crate::documents::Documents;
use crate::model::{Binding, ValidSpec};
use crate::policy::PolicyDocument;

/// A CloudFormation template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    /// `2010-09-09`.
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: &'static str,
    /// What the stack is.
    pub description: String,
    /// `Role`, and the associations.
    pub resources: IndexMap<String, Resource>,
    /// The role ARN.
    pub outputs: IndexMap<String, Output>,
}

/// A resource of the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Resource {
    /// `AWS::IAM::Role`.
    Role(Typed<RoleProperties>),
    /// `AWS::EKS::PodIdentityAssociation`.
    Association(Typed<AssociationProperties>),
}

/// `Type` and `Properties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Typed<P> {
    /// The resource type.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// Its properties.
    pub properties: P,
}

/// Properties of `AWS::IAM::Role`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleProperties {
    /// Role name.
    pub role_name: String,
    /// Role path.
    pub path: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The trust policy.
    pub assume_role_policy_document: PolicyDocument,
    /// Managed policies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_policy_arns: Vec<String>,
    /// Permissions boundary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// The inline policy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<InlinePolicy>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// An inline policy of a role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// Its name.
    pub policy_name: String,
    /// The document.
    pub policy_document: PolicyDocument,
}

/// A tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// Properties of `AWS::EKS::PodIdentityAssociation`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociationProperties {
    /// Cluster name.
    pub cluster_name: String,
    /// Namespace.
    pub namespace: String,
    /// Service account.
    pub service_account: String,
    /// `Fn::GetAtt` of the role's ARN.
    pub role_arn: GetAtt,
}

/// `{"Fn::GetAtt": [resource, attribute]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetAtt {
    /// Resource and attribute.
    #[serde(rename = "Fn::GetAtt")]
    pub get_att: [&'static str; 2],
}

/// An output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// What it is.
    pub description: &'static str,
    /// Its value.
    pub value: GetAtt,
}

const ROLE: &str = "Role";

fn role_arn() -> GetAtt {
    GetAtt {
        get_att: [ROLE, "Arn"],
    }
}

/// The template of a binding.
pub fn template(spec: &ValidSpec, b: &Binding, d: &Documents) -> Template {
    let policies = d
        .permissions
        .clone()
        .map(|p| InlinePolicy {
            policy_name: policy_name(b),
            policy_document: p,
        })
        .into_iter()
        .collect();
    let role = RoleProperties {
        role_name: b.role_name.clone(),
        path: b.role_path.clone(),
        description: b.description.clone(),
        assume_role_policy_document: d.trust.clone(),
        managed_policy_arns: d.managed_policy_arns.clone(),
        permissions_boundary: b.permissions_boundary.clone(),
        policies,
        tags: b
            .tags
            .iter()
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect(),
    };
    let mut resources = IndexMap::from([(
        ROLE.to_string(),
        Resource::Role(Typed {
            kind: "AWS::IAM::Role",
            properties: role,
        }),
    )]);
    if spec.uses_pod_identity() {
        if let Some(cluster) = &spec.cluster_name {
            for (i, sa) in b.named_service_accounts().enumerate() {
                resources.insert(
                    format!("PodIdentityAssociation{}", i + 1),
                    Resource::Association(Typed {
                        kind: "AWS::EKS::PodIdentityAssociation",
                        properties: AssociationProperties {
                            cluster_name: cluster.clone(),
                            namespace: b.namespace.clone(),
                            service_account: sa.to_string(),
                            role_arn: role_arn(),
                        },
                    }),
                );
            }
        }
    }
    Template {
        format_version: "2010-09-09",
        description: format!(
            "IAM role {} for {} (generated by irsa-gen)",
            b.role_name,
            who(b)
        ),
        resources,
        outputs: IndexMap::from([(
            "RoleArn".to_string(),
            Output {
                description: "The ARN of the role",
                value: role_arn(),
            },
        )]),
    }
}
