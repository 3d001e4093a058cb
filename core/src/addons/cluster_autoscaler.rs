//! Cluster Autoscaler on AWS: the "Full Cluster Autoscaler Features Policy"
//! of its cloud provider README, with the tag-based condition the README
//! recommends. Auto-discovery finds groups by the tag key whatever its value
//! (`owned`, `true`, ...), so the condition asks for the key, not a value.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "cluster-autoscaler",
    summary: "Cluster Autoscaler (auto-discovery tags)",
    inputs: &[],
    needs_cluster_name: true,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes/autoscaler",
            file: "cluster-autoscaler/cloudprovider/aws/README.md (Full Cluster Autoscaler Features Policy)",
            release: "cluster-autoscaler-1.3x",
        },
        statements: &[
            Statement {
                actions: &[
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "autoscaling:SetDesiredCapacity",
                    "autoscaling:TerminateInstanceInAutoScalingGroup",
                ],
                conditions: &[cond(
                    "Null",
                    "aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster}",
                    &["false"],
                )],
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the Cluster Autoscaler scales the Auto Scaling groups it discovers, so SetDesiredCapacity and TerminateInstanceInAutoScalingGroup take `*`, scoped to groups that carry the k8s.io/cluster-autoscaler/{cluster} tag"],
    }],
};
