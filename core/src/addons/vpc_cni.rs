//! Amazon VPC CNI (IPv4): the AWS managed `AmazonEKS_CNI_Policy` (v6).

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "vpc-cni",
    summary: "Amazon VPC CNI (IPv4)",
    inputs: &[],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "AWS managed policy AmazonEKS_CNI_Policy",
            file: "AmazonEKS_CNI_Policy (the policy the Amazon VPC CNI add-on attaches)",
            release: "v6",
        },
        statements: &[
            Statement {
                actions: &[
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:AttachNetworkInterface",
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeInstances",
                    "ec2:DescribeTags",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DetachNetworkInterface",
                    "ec2:ModifyNetworkInterfaceAttribute",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["ec2:CreateTags"],
                resources: Arns(&["arn:{p}:ec2:*:*:network-interface/*"]),
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the VPC CNI manages network interfaces of every node, so its actions take `*` (as in the AWS managed AmazonEKS_CNI_Policy)"],
    }],
};
