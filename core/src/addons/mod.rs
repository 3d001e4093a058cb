//! Well-known add-on permission policies: the controllers and drivers people
//! most often give an IRSA role (the set terraform-aws-modules'
//! iam-role-for-service-accounts offers, plus Karpenter and App Mesh).
//!
//! Each add-on is a declaration in its own file: its inputs, and per release
//! the statements its project publishes, where it read them, and what stays
//! `*`. `interpret.rs` turns a declaration, the user's inputs and the partition
//! into statements. Every ARN carries the spec's partition and every service
//! principal the name AWS uses in it ([`crate::aws::service_principals`]).
//! Inputs (hosted zones, buckets, KMS keys, ...) narrow the resources; where
//! an input is absent, or where the add-on's actions take no narrower
//! resource than `*`, [`AddonPolicy::wildcards`] says so and validation
//! turns it into a `SPEC046` warning.

mod catalogue;
mod common;
mod decl;
mod grant;
mod input;
mod interpret;
mod prelude;
mod registry;

mod amazon_managed_prometheus;
mod appmesh_controller;
mod appmesh_envoy_proxy;
mod aws_gateway_controller;
mod aws_privateca_issuer;
mod cert_manager;
mod cloudwatch_observability;
mod cluster_autoscaler;
mod ebs_csi;
mod efs_csi;
mod external_dns;
mod external_secrets;
mod fsx_lustre_csi;
mod fsx_openzfs_csi;
mod karpenter;
mod load_balancer_controller;
mod load_balancer_controller_tgb;
mod mountpoint_s3_csi;
mod node_termination_handler;
mod velero;
mod vpc_cni;

pub use catalogue::{catalogue, markdown_table, AddonInfo, ReleaseInfo};
pub use decl::{
    Addon, Condition, Release, Resources, Scope, Scoped, Statement, Upstream, Version, When,
};
pub use grant::AddonGrant;
pub use input::AddonInput;
pub use interpret::{expand, managed_policy_arns, policy, policy_of, AddonPolicy, Context};
pub use registry::{find, ADDONS};

#[cfg(test)]
mod tests;
