//! The IAM policy document model for generated policies. Field order is the
//! order AWS documents use, so rendering gives the canonical text.

use indexmap::IndexMap;
use serde::Serialize;

/// The only policy language version worth writing.
pub const POLICY_VERSION: &str = "2012-10-17";

/// An IAM policy document (trust or permissions).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Always `2012-10-17`.
    pub version: &'static str,
    /// The statements.
    pub statement: Vec<PolicyStatement>,
}

/// A generated statement, or one copied from the spec as the user wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PolicyStatement {
    /// Built by irsa-gen.
    Generated(Statement),
    /// Copied unchanged from `permissions.statements`.
    Raw(serde_json::Value),
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// Optional statement ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// Who (trust policies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    /// What.
    pub action: OneOrMany,
    /// On what (permissions policies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<OneOrMany>,
    /// When: operator -> key -> values.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub condition: IndexMap<String, IndexMap<String, OneOrMany>>,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// A principal block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Principal {
    /// `{"Federated": "arn:...:oidc-provider/..."}`
    Federated(String),
    /// `{"Service": "pods.eks.amazonaws.com"}`
    Service(String),
}

/// One string, or a list of them (IAM writes a single value without brackets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single value.
    One(String),
    /// Several values (OR within a condition key).
    Many(Vec<String>),
}

impl OneOrMany {
    /// One value as a bare string, several as a list.
    pub fn from_vec(mut values: Vec<String>) -> Self {
        if values.len() == 1 {
            if let Some(v) = values.pop() {
                return OneOrMany::One(v);
            }
        }
        OneOrMany::Many(values)
    }
}

impl From<&str> for OneOrMany {
    fn from(s: &str) -> Self {
        OneOrMany::One(s.to_string())
    }
}

impl From<String> for OneOrMany {
    fn from(s: String) -> Self {
        OneOrMany::One(s)
    }
}

/// An Allow statement of a permissions policy: these actions on these resources.
pub fn allow(actions: &[&str], resources: Vec<String>) -> Statement {
    Statement {
        sid: None,
        effect: Effect::Allow,
        principal: None,
        action: OneOrMany::from_vec(actions.iter().map(|a| a.to_string()).collect()),
        resource: Some(OneOrMany::from_vec(resources)),
        condition: IndexMap::new(),
    }
}

impl PolicyDocument {
    /// A document with these statements.
    pub fn new(statement: Vec<PolicyStatement>) -> Self {
        PolicyDocument {
            version: POLICY_VERSION,
            statement,
        }
    }

    /// The length IAM counts against its quotas: the JSON without whitespace.
    pub fn quota_length(&self) -> usize {
        serde_json::to_string(self).map_or(usize::MAX, |s| s.chars().count())
    }
}
