//! The names the formats give a binding's resources and comments, shared so
//! that Terraform, eksctl, CloudFormation and the scripts agree.

use crate::model::{Binding, ValidSpec};

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

/// `"namespace/name"` of the binding, for comments.
pub fn who(b: &Binding) -> String {
    format!("{}/{}", b.namespace, b.service_accounts.join(","))
}
