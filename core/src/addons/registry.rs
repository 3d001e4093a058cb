//! The registry: every add-on irsa-gen knows, and finding one by name.

use super::decl::Addon;

/// Every add-on irsa-gen knows, in the order the README lists them.
pub const ADDONS: &[Addon] = &[
    super::load_balancer_controller::ADDON,
    super::load_balancer_controller_tgb::ADDON,
    super::external_dns::ADDON,
    super::cert_manager::ADDON,
    super::aws_privateca_issuer::ADDON,
    super::cluster_autoscaler::ADDON,
    super::karpenter::ADDON,
    super::node_termination_handler::ADDON,
    super::ebs_csi::ADDON,
    super::efs_csi::ADDON,
    super::fsx_lustre_csi::ADDON,
    super::fsx_openzfs_csi::ADDON,
    super::mountpoint_s3_csi::ADDON,
    super::external_secrets::ADDON,
    super::vpc_cni::ADDON,
    super::velero::ADDON,
    super::amazon_managed_prometheus::ADDON,
    super::cloudwatch_observability::ADDON,
    super::aws_gateway_controller::ADDON,
    super::appmesh_controller::ADDON,
    super::appmesh_envoy_proxy::ADDON,
];

/// The add-on of this name.
pub fn find(name: &str) -> Option<&'static Addon> {
    ADDONS.iter().find(|a| a.name == name)
}
