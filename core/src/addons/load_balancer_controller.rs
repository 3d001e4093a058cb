//! AWS Load Balancer Controller: `docs/install/iam_policy.json` and its China,
//! GovCloud and ISO variants, which differ only in the partition of their ARNs
//! (all keep `elasticloadbalancing.amazonaws.com` as the service-linked role's
//! service).

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "aws-load-balancer-controller",
    summary: "AWS Load Balancer Controller",
    inputs: &[],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/aws-load-balancer-controller",
            file: "docs/install/iam_policy.json (iam_policy_cn.json, iam_policy_us-gov.json, iam_policy_iso*.json)",
            release: "v2.13+",
        },
        statements: STATEMENTS,
        managed_policies: &[],
        stays_star: &["the AWS Load Balancer Controller creates and discovers load balancers, target groups and security groups, so its actions take `*`, scoped by the elbv2.k8s.aws/cluster tag where AWS allows"],
    }],
};

const LB_AND_TG: &[&str] = &[
    "arn:{p}:elasticloadbalancing:*:*:targetgroup/*/*",
    "arn:{p}:elasticloadbalancing:*:*:loadbalancer/net/*/*",
    "arn:{p}:elasticloadbalancing:*:*:loadbalancer/app/*/*",
];
const SECURITY_GROUPS: &[&str] = &["arn:{p}:ec2:*:*:security-group/*"];
const REQUEST_TAGGED: &str = "aws:RequestTag/elbv2.k8s.aws/cluster";
const RESOURCE_TAGGED: &str = "aws:ResourceTag/elbv2.k8s.aws/cluster";

const STATEMENTS: &[Statement] = &[
    Statement {
        actions: &["iam:CreateServiceLinkedRole"],
        conditions: &[cond(
            "StringEquals",
            "iam:AWSServiceName",
            &["{sp:elasticloadbalancing}"],
        )],
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "ec2:DescribeAccountAttributes",
            "ec2:DescribeAddresses",
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeTags",
            "ec2:GetCoipPoolUsage",
            "ec2:DescribeCoipPools",
            "ec2:GetSecurityGroupsForVpc",
            "ec2:DescribeIpamPools",
            "ec2:DescribeRouteTables",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTrustStores",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeCapacityReservation",
        ],
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "cognito-idp:DescribeUserPoolClient",
            "acm:ListCertificates",
            "acm:DescribeCertificate",
            "iam:ListServerCertificates",
            "iam:GetServerCertificate",
            "waf-regional:GetWebACL",
            "waf-regional:GetWebACLForResource",
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:GetWebACL",
            "wafv2:GetWebACLForResource",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:GetSubscriptionState",
            "shield:DescribeProtection",
            "shield:CreateProtection",
            "shield:DeleteProtection",
        ],
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
        ],
        ..Statement::STAR
    },
    Statement {
        actions: &["ec2:CreateSecurityGroup"],
        ..Statement::STAR
    },
    Statement {
        actions: &["ec2:CreateTags"],
        resources: Arns(SECURITY_GROUPS),
        conditions: &[
            cond("StringEquals", "ec2:CreateAction", &["CreateSecurityGroup"]),
            cond("Null", REQUEST_TAGGED, &["false"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &["ec2:CreateTags", "ec2:DeleteTags"],
        resources: Arns(SECURITY_GROUPS),
        conditions: &[
            cond("Null", REQUEST_TAGGED, &["true"]),
            cond("Null", RESOURCE_TAGGED, &["false"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &[
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:DeleteSecurityGroup",
        ],
        conditions: &[cond("Null", RESOURCE_TAGGED, &["false"])],
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
        ],
        conditions: &[cond("Null", REQUEST_TAGGED, &["false"])],
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
        ],
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ],
        resources: Arns(LB_AND_TG),
        conditions: &[
            cond("Null", REQUEST_TAGGED, &["true"]),
            cond("Null", RESOURCE_TAGGED, &["false"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &[
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ],
        resources: Arns(&[
            "arn:{p}:elasticloadbalancing:*:*:listener/net/*/*/*",
            "arn:{p}:elasticloadbalancing:*:*:listener/app/*/*/*",
            "arn:{p}:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
            "arn:{p}:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
        ]),
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyListenerAttributes",
            "elasticloadbalancing:ModifyCapacityReservation",
            "elasticloadbalancing:ModifyIpPools",
        ],
        conditions: &[cond("Null", RESOURCE_TAGGED, &["false"])],
        ..Statement::STAR
    },
    Statement {
        actions: &["elasticloadbalancing:AddTags"],
        resources: Arns(LB_AND_TG),
        conditions: &[
            cond(
                "StringEquals",
                "elasticloadbalancing:CreateAction",
                &["CreateTargetGroup", "CreateLoadBalancer"],
            ),
            cond("Null", REQUEST_TAGGED, &["false"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &[
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:DeregisterTargets",
        ],
        resources: Arns(&["arn:{p}:elasticloadbalancing:*:*:targetgroup/*/*"]),
        ..Statement::STAR
    },
    Statement {
        actions: &[
            "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
        ],
        ..Statement::STAR
    },
];
