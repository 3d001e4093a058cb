//! AWS Load Balancer Controller for TargetGroupBinding only: the subset its
//! installation guide gives "for those who use TargetGroupBinding only and
//! don't plan to use the AWS Load Balancer Controller to manage security
//! group rules" (terraform-aws-modules' `load_balancer_controller_targetgroup_only`).

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "aws-load-balancer-controller-targetgroupbinding-only",
    summary: "AWS Load Balancer Controller, TargetGroupBinding only",
    inputs: &[I::TargetGroups],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/aws-load-balancer-controller",
            file: "docs/deploy/installation.md (IAM permission subset for TargetGroupBinding only)",
            release: "v2.4+",
        },
        statements: &[
            Statement {
                actions: &[
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeInstances",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes",
                    "elasticloadbalancing:RegisterTargets",
                    "elasticloadbalancing:DeregisterTargets",
                ],
                resources: Input(Scoped {
                    scope: &TARGET_GROUPS,
                    service: None,
                    suffix: "",
                }),
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const TARGET_GROUPS: Scope = Scope {
    input: I::TargetGroups,
    fallback: &["arn:{p}:elasticloadbalancing:{region}:{account}:targetgroup/*/*"],
    without: "the controller may register targets in every target group of the account's region: list the bound ones in targetGroupArns",
};
