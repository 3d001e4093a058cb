//! CloudFormation: an `AWS::IAM::Role` template (plus the
//! `AWS::EKS::PodIdentityAssociation` of each service account for Pod
//! Identity), rendered as `cloudformation.yaml` and `cloudformation.json`.
//! The trust's principal is the cluster's IAM OIDC provider: an
//! `AWS::IAM::OIDCProvider` of the template when the spec says
//! `createOidcProvider: true`, else a parameter holding the provider's ARN
//! (its default the ARN the spec implies). Several bindings make one template
//! with a role each (`Role1`, `Role2`...). Intrinsic functions use the long
//! form (`Fn::GetAtt`, `Ref`), which both accept.

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
    /// The ARN of each OIDC provider the template does not create.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, Parameter>,
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
    /// `AWS::IAM::OIDCProvider`.
    OidcProvider(Typed<OidcProviderProperties>),
}

/// A template parameter (a string with a default).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `String`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// What it is.
    pub description: String,
    /// The value the spec implies.
    pub default: String,
}

/// Properties of `AWS::IAM::OIDCProvider`. No `ThumbprintList`: IAM takes
/// the issuer's top intermediate CA itself and checks EKS issuers against
/// its trusted root CAs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OidcProviderProperties {
    /// The issuer URL.
    pub url: String,
    /// The audience.
    pub client_id_list: Vec<String>,
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
    /// The trust policy (JSON: its provider ARNs are `Ref`s).
    pub assume_role_policy_document: serde_json::Value,
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
    pub get_att: [String; 2],
}

/// An output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// What it is.
    pub description: String,
    /// Its value.
    pub value: GetAtt,
}

fn role_arn(role: &str) -> GetAtt {
    GetAtt {
        get_att: [role.to_string(), "Arn".to_string()],
    }
}

/// The template of a binding. A provider the spec creates is the first
/// binding's stack's; the other bindings' templates take its ARN as a
/// parameter (deploy the first stack first).
pub fn template(spec: &ValidSpec, b: &Binding, d: &Documents) -> Template {
    let first = spec.bindings.first();
    let creates = first.is_none_or(|f| f.role_name == b.role_name);
    build(spec, &[(b, d)], creates)
}

/// One template with every binding's role (the providers once). One binding
/// keeps the names `Role` and `RoleArn`; several are `Role1`, `Role2`...
pub fn templates(spec: &ValidSpec, parts: &[(&Binding, &Documents)]) -> Template {
    build(spec, parts, true)
}

fn build(spec: &ValidSpec, parts: &[(&Binding, &Documents)], creates: bool) -> Template {
    let mut description = match parts {
        [(b, _)] => format!(
            "IAM role {} for {} (generated by irsa-gen)",
            b.role_name,
            who(b)
        ),
        _ => format!(
            "IAM roles of {} bindings (generated by irsa-gen)",
            parts.len()
        ),
    };
    if spec.cross_account() {
        // The stack makes the roles (and the provider) where it is deployed.
        description.push_str(&format!(
            "; deploy it in account {} (the roles'), not the cluster's {}",
            spec.account_id, spec.cluster_account_id
        ));
    }
    let mut t = Template {
        format_version: "2010-09-09",
        description,
        parameters: IndexMap::new(),
        resources: IndexMap::new(),
        outputs: IndexMap::new(),
    };
    let refs = oidc_providers(spec, &mut t, creates);
    for (i, (b, d)) in parts.iter().enumerate() {
        let role = match parts.len() {
            1 => "Role".to_string(),
            _ => format!("Role{}", i + 1),
        };
        add_binding(spec, b, d, &role, &refs, &mut t);
    }
    t
}

/// Each issuer's provider, a resource or a parameter; returns each
/// provider ARN with the logical name a `Ref` to it takes.
fn oidc_providers(spec: &ValidSpec, t: &mut Template, creates: bool) -> Vec<(String, String)> {
    if !spec.uses_irsa() {
        return Vec::new();
    }
    let mut refs = Vec::new();
    for (i, issuer) in spec.issuers.iter().enumerate() {
        let n = if i == 0 {
            String::new()
        } else {
            (i + 1).to_string()
        };
        let arn = issuer.provider_arn(spec.partition, &spec.account_id);
        let name = if spec.create_oidc_provider && creates {
            let name = format!("OidcProvider{n}");
            let properties = OidcProviderProperties {
                url: issuer.url(),
                client_id_list: vec![spec.audience.clone()],
            };
            let kind = "AWS::IAM::OIDCProvider";
            t.resources.insert(
                name.clone(),
                Resource::OidcProvider(Typed { kind, properties }),
            );
            name
        } else {
            let name = format!("OidcProviderArn{n}");
            let parameter = Parameter {
                kind: "String",
                description: match spec.create_oidc_provider {
                    true => format!("The ARN of the IAM OIDC provider of {} (the first binding's stack creates it)", issuer.url()),
                    false => format!("The ARN of the IAM OIDC provider of {} (it must exist)", issuer.url()),
                },
                default: arn.clone(),
            };
            t.parameters.insert(name.clone(), parameter);
            name
        };
        refs.push((arn, name));
    }
    refs
}

/// The trust with each provider ARN a `Ref` to its provider or parameter.
fn with_refs(v: serde_json::Value, refs: &[(String, String)]) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => match refs.iter().find(|(arn, _)| *arn == s) {
            Some((_, name)) => serde_json::json!({ "Ref": name }),
            None => Value::String(s),
        },
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| with_refs(v, refs)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, with_refs(v, refs)))
                .collect(),
        ),
        other => other,
    }
}

fn role_properties(b: &Binding, d: &Documents, refs: &[(String, String)]) -> RoleProperties {
    let policies = d
        .permissions
        .clone()
        .map(|p| InlinePolicy {
            policy_name: policy_name(b),
            policy_document: p,
        })
        .into_iter()
        .collect();
    let trust = serde_json::to_value(&d.trust).unwrap_or_default();
    RoleProperties {
        role_name: b.role_name.clone(),
        path: b.role_path.clone(),
        description: b.description.clone(),
        assume_role_policy_document: with_refs(trust, refs),
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
    }
}

/// A binding's role, associations and output.
fn add_binding(
    spec: &ValidSpec,
    b: &Binding,
    d: &Documents,
    role: &str,
    refs: &[(String, String)],
    t: &mut Template,
) {
    let properties = role_properties(b, d, refs);
    let kind = "AWS::IAM::Role";
    t.resources
        .insert(role.to_string(), Resource::Role(Typed { kind, properties }));
    if spec.uses_pod_identity() {
        if let Some(cluster) = &spec.cluster_name {
            let prefix = if role == "Role" { "" } else { role };
            for (i, sa) in b.named_service_accounts().enumerate() {
                t.resources.insert(
                    format!("{prefix}PodIdentityAssociation{}", i + 1),
                    Resource::Association(Typed {
                        kind: "AWS::EKS::PodIdentityAssociation",
                        properties: AssociationProperties {
                            cluster_name: cluster.clone(),
                            namespace: b.namespace.clone(),
                            service_account: sa.to_string(),
                            role_arn: role_arn(role),
                        },
                    }),
                );
            }
        }
    }
    let description = match role {
        "Role" => "The ARN of the role".to_string(),
        _ => format!("The ARN of the role {}", b.role_name),
    };
    t.outputs.insert(
        format!("{role}Arn"),
        Output {
            description,
            value: role_arn(role),
        },
    );
}
