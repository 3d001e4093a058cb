//! AWS Gateway API Controller for VPC Lattice: its recommended inline policy,
//! with `acm:ListCertificates`, which its certificate discovery calls
//! (`pkg/aws/services/acm.go`). The service-linked roles keep the global
//! `vpc-lattice.amazonaws.com` and `delivery.logs.amazonaws.com` in China.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "aws-gateway-controller",
    summary: "AWS Gateway API Controller (VPC Lattice)",
    inputs: &[],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "aws/aws-application-networking-k8s",
            file: "files/controller-installation/recommended-inline-policy.json",
            release: "v2.x",
        },
        statements: &[
            Statement {
                actions: &[
                    "vpc-lattice:*",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeTags",
                    "ec2:DescribeSecurityGroups",
                    "logs:CreateLogDelivery",
                    "logs:GetLogDelivery",
                    "logs:DescribeLogGroups",
                    "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies",
                    "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery",
                    "logs:ListLogDeliveries",
                    "tag:GetResources",
                    "firehose:TagDeliveryStream",
                    "s3:GetBucketPolicy",
                    "s3:PutBucketPolicy",
                    "tag:TagResources",
                    "tag:UntagResources",
                    "acm:ListCertificates",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["iam:CreateServiceLinkedRole"],
                resources: Arns(&[
                    "arn:{p}:iam::*:role/aws-service-role/{sp:vpc-lattice}/AWSServiceRoleForVpcLattice",
                ]),
                conditions: &[cond("StringLike", "iam:AWSServiceName", &["{sp:vpc-lattice}"])],
                when: When::Always,
            },
            Statement {
                actions: &["iam:CreateServiceLinkedRole"],
                resources: Arns(&[
                    "arn:{p}:iam::*:role/aws-service-role/{sp:delivery.logs}/AWSServiceRoleForLogDelivery",
                ]),
                conditions: &[cond("StringLike", "iam:AWSServiceName", &["{sp:delivery.logs}"])],
                when: When::Always,
            },
        ],
        managed_policies: &[],
        stays_star: &["the AWS Gateway API Controller manages VPC Lattice resources it creates, so its actions take `*`"],
    }],
};
