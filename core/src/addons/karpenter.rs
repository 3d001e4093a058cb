//! Karpenter's controller policy (`KarpenterControllerPolicy` of its
//! getting-started CloudFormation template), per release line: v0.33 to
//! v0.37 (v1beta1 APIs, no `eks:eks-cluster-name` tag), v1.0 to v1.2, and
//! v1.3 on (capacity reservations, instance profile listing from v1.7,
//! placement groups from v1.11, zonal shift and instance status from v1.12).
//!
//! One deliberate difference from every upstream release: `iam:PassedToService`
//! lists the partition's EC2 principals, both `ec2.amazonaws.com` and
//! `ec2.amazonaws.com.cn` in China (upstream v0.3x writes only
//! `ec2.${AWS::URLSuffix}`, which leaves EC2NodeClasses NotReady there).

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "karpenter",
    summary: "Karpenter controller",
    inputs: &[I::NodeRoles, I::Queues],
    needs_cluster_name: true,
    releases: &[
        Release {
            since: Some(Version {
                major: 0,
                minor: 33,
            }),
            upstream: Upstream {
                project: "aws/karpenter-provider-aws",
                file: "website/content/en/v0.37/getting-started/getting-started-with-karpenter/cloudformation.yaml",
                release: "v0.37",
            },
            statements: V0_37,
            managed_policies: &[],
            stays_star: &[],
        },
        Release {
            since: Some(Version { major: 1, minor: 0 }),
            upstream: Upstream {
                project: "aws/karpenter-provider-aws",
                file: "website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml",
                release: "v1.0",
            },
            statements: V1_0,
            managed_policies: &[],
            stays_star: &[],
        },
        Release {
            since: Some(Version { major: 1, minor: 3 }),
            upstream: Upstream {
                project: "aws/karpenter-provider-aws",
                file: "website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml",
                release: "v1.14",
            },
            statements: V1_14,
            managed_policies: &[],
            stays_star: &[],
        },
    ],
};

const LAUNCHED: &[&str] = &[
    "arn:{p}:ec2:{region}:*:fleet/*",
    "arn:{p}:ec2:{region}:*:instance/*",
    "arn:{p}:ec2:{region}:*:volume/*",
    "arn:{p}:ec2:{region}:*:network-interface/*",
    "arn:{p}:ec2:{region}:*:launch-template/*",
    "arn:{p}:ec2:{region}:*:spot-instances-request/*",
];
const PROFILES: &[&str] = &["arn:{p}:iam::{account}:instance-profile/*"];
const CLUSTER_ARN: &str = "arn:{p}:eks:{region}:{account}:cluster/{cluster}";
const REQ_OWNED: &str = "aws:RequestTag/kubernetes.io/cluster/{cluster}";
const RES_OWNED: &str = "aws:ResourceTag/kubernetes.io/cluster/{cluster}";
const REQ_CLUSTER_NAME: &str = "aws:RequestTag/eks:eks-cluster-name";
const REQ_REGION: &str = "aws:RequestTag/topology.kubernetes.io/region";
const RES_REGION: &str = "aws:ResourceTag/topology.kubernetes.io/region";
const REQ_NODECLASS: &str = "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass";
const RES_NODECLASS: &str = "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass";

const NODE_ROLES: Scope = Scope {
    input: I::NodeRoles,
    fallback: &["arn:{p}:iam::{account}:role/*"],
    without:
        "Karpenter may pass every role of the account to EC2: name the node role in nodeRoleArns",
};

const fn run_on(resources: &'static [&'static str]) -> Statement {
    Statement {
        actions: &["ec2:RunInstances", "ec2:CreateFleet"],
        resources: Arns(resources),
        ..Statement::STAR
    }
}

const LAUNCH_TEMPLATE_ACCESS: Statement = Statement {
    actions: &["ec2:RunInstances", "ec2:CreateFleet"],
    resources: Arns(&["arn:{p}:ec2:{region}:*:launch-template/*"]),
    conditions: &[
        cond("StringEquals", RES_OWNED, &["owned"]),
        cond(
            "StringLike",
            "aws:ResourceTag/karpenter.sh/nodepool",
            &["*"],
        ),
    ],
    when: When::Always,
};
const DELETION: Statement = Statement {
    actions: &["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
    resources: Arns(&[
        "arn:{p}:ec2:{region}:*:instance/*",
        "arn:{p}:ec2:{region}:*:launch-template/*",
    ]),
    conditions: &[
        cond("StringEquals", RES_OWNED, &["owned"]),
        cond(
            "StringLike",
            "aws:ResourceTag/karpenter.sh/nodepool",
            &["*"],
        ),
    ],
    when: When::Always,
};
const SSM: Statement = Statement {
    actions: &["ssm:GetParameter"],
    resources: Arns(&["arn:{p}:ssm:{region}::parameter/aws/service/*"]),
    ..Statement::STAR
};
const PRICING: Statement = Statement {
    actions: &["pricing:GetProducts"],
    ..Statement::STAR
};
const INTERRUPTION_QUEUE: Statement = Statement {
    actions: &["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
    resources: Given(I::Queues),
    conditions: &[],
    when: When::Always,
};
const PASS_NODE_ROLE: Statement = Statement {
    actions: &["iam:PassRole"],
    resources: Input(Scoped {
        scope: &NODE_ROLES,
        service: None,
        suffix: "",
    }),
    conditions: &[cond("StringEquals", "iam:PassedToService", &["{sps:ec2}"])],
    when: When::Always,
};
const PROFILE_ACTIONS: Statement = Statement {
    actions: &[
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
    ],
    resources: Arns(PROFILES),
    conditions: &[
        cond("StringEquals", RES_OWNED, &["owned"]),
        cond("StringEquals", RES_REGION, &["{region}"]),
        cond("StringLike", RES_NODECLASS, &["*"]),
    ],
    when: When::Always,
};
const GET_PROFILE: Statement = Statement {
    actions: &["iam:GetInstanceProfile"],
    resources: Arns(PROFILES),
    ..Statement::STAR
};
const DESCRIBE_CLUSTER: Statement = Statement {
    actions: &["eks:DescribeCluster"],
    resources: Arns(&[CLUSTER_ARN]),
    ..Statement::STAR
};

/// v1.3 to v1.14.
const V1_14: &[Statement] = &[
    run_on(&[
        "arn:{p}:ec2:{region}::image/*",
        "arn:{p}:ec2:{region}::snapshot/*",
        "arn:{p}:ec2:{region}:*:security-group/*",
        "arn:{p}:ec2:{region}:*:subnet/*",
        "arn:{p}:ec2:{region}:*:capacity-reservation/*",
        "arn:{p}:ec2:{region}:*:placement-group/*",
    ]),
    LAUNCH_TEMPLATE_ACCESS,
    V1_LAUNCH_WITH_TAGS,
    V1_CREATION_TAGGING,
    V1_RESOURCE_TAGGING,
    DELETION,
    PASS_NODE_ROLE,
    V1_CREATE_PROFILE,
    V1_TAG_PROFILE,
    PROFILE_ACTIONS,
    DESCRIBE_CLUSTER,
    INTERRUPTION_QUEUE,
    Statement {
        actions: &["arc-zonal-shift:GetManagedResource"],
        conditions: &[cond(
            "StringEquals",
            "arc-zonal-shift:ResourceIdentifier",
            &[CLUSTER_ARN],
        )],
        ..Statement::STAR
    },
    regional_reads(&[
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
    ]),
    SSM,
    PRICING,
    Statement {
        actions: &["iam:ListInstanceProfiles"],
        ..Statement::STAR
    },
    GET_PROFILE,
];

/// v1.0 to v1.2.
const V1_0: &[Statement] = &[
    run_on(&[
        "arn:{p}:ec2:{region}::image/*",
        "arn:{p}:ec2:{region}::snapshot/*",
        "arn:{p}:ec2:{region}:*:security-group/*",
        "arn:{p}:ec2:{region}:*:subnet/*",
    ]),
    LAUNCH_TEMPLATE_ACCESS,
    V1_LAUNCH_WITH_TAGS,
    V1_CREATION_TAGGING,
    V1_RESOURCE_TAGGING,
    DELETION,
    regional_reads(V0_REGIONAL_READS),
    SSM,
    PRICING,
    INTERRUPTION_QUEUE,
    PASS_NODE_ROLE,
    V1_CREATE_PROFILE,
    V1_TAG_PROFILE,
    PROFILE_ACTIONS,
    GET_PROFILE,
    DESCRIBE_CLUSTER,
];

/// v0.33 to v0.37.
const V0_37: &[Statement] = &[
    run_on(&[
        "arn:{p}:ec2:{region}::image/*",
        "arn:{p}:ec2:{region}::snapshot/*",
        "arn:{p}:ec2:{region}:*:security-group/*",
        "arn:{p}:ec2:{region}:*:subnet/*",
    ]),
    LAUNCH_TEMPLATE_ACCESS,
    Statement {
        actions: &[
            "ec2:RunInstances",
            "ec2:CreateFleet",
            "ec2:CreateLaunchTemplate",
        ],
        resources: Arns(LAUNCHED),
        conditions: &[
            cond("StringEquals", REQ_OWNED, &["owned"]),
            cond("StringLike", "aws:RequestTag/karpenter.sh/nodepool", &["*"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &["ec2:CreateTags"],
        resources: Arns(LAUNCHED),
        conditions: &[
            cond("StringEquals", REQ_OWNED, &["owned"]),
            cond("StringEquals", "ec2:CreateAction", CREATE_ACTIONS),
            cond("StringLike", "aws:RequestTag/karpenter.sh/nodepool", &["*"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &["ec2:CreateTags"],
        resources: Arns(&["arn:{p}:ec2:{region}:*:instance/*"]),
        conditions: &[
            cond("StringEquals", RES_OWNED, &["owned"]),
            cond(
                "StringLike",
                "aws:ResourceTag/karpenter.sh/nodepool",
                &["*"],
            ),
            cond(
                "ForAllValues:StringEquals",
                "aws:TagKeys",
                &["karpenter.sh/nodeclaim", "Name"],
            ),
        ],
        when: When::Always,
    },
    DELETION,
    regional_reads(V0_REGIONAL_READS),
    SSM,
    PRICING,
    INTERRUPTION_QUEUE,
    PASS_NODE_ROLE,
    Statement {
        actions: &["iam:CreateInstanceProfile"],
        resources: Arns(PROFILES),
        conditions: &[
            cond("StringEquals", REQ_OWNED, &["owned"]),
            cond("StringEquals", REQ_REGION, &["{region}"]),
            cond("StringLike", REQ_NODECLASS, &["*"]),
        ],
        when: When::Always,
    },
    Statement {
        actions: &["iam:TagInstanceProfile"],
        resources: Arns(PROFILES),
        conditions: &[
            cond("StringEquals", RES_OWNED, &["owned"]),
            cond("StringEquals", RES_REGION, &["{region}"]),
            cond("StringEquals", REQ_OWNED, &["owned"]),
            cond("StringEquals", REQ_REGION, &["{region}"]),
            cond("StringLike", RES_NODECLASS, &["*"]),
            cond("StringLike", REQ_NODECLASS, &["*"]),
        ],
        when: When::Always,
    },
    PROFILE_ACTIONS,
    GET_PROFILE,
    DESCRIBE_CLUSTER,
];

const CREATE_ACTIONS: &[&str] = &["RunInstances", "CreateFleet", "CreateLaunchTemplate"];

const V0_REGIONAL_READS: &[&str] = &[
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeImages",
    "ec2:DescribeInstances",
    "ec2:DescribeInstanceTypeOfferings",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSpotPriceHistory",
    "ec2:DescribeSubnets",
];

const IN_REGION: &[super::decl::Condition] =
    &[cond("StringEquals", "aws:RequestedRegion", &["{region}"])];

const fn regional_reads(actions: &'static [&'static str]) -> Statement {
    Statement {
        actions,
        conditions: IN_REGION,
        ..Statement::STAR
    }
}

const V1_LAUNCH_WITH_TAGS: Statement = Statement {
    actions: &[
        "ec2:RunInstances",
        "ec2:CreateFleet",
        "ec2:CreateLaunchTemplate",
    ],
    resources: Arns(LAUNCHED),
    conditions: &[
        cond("StringEquals", REQ_OWNED, &["owned"]),
        cond("StringEquals", REQ_CLUSTER_NAME, &["{cluster}"]),
        cond("StringLike", "aws:RequestTag/karpenter.sh/nodepool", &["*"]),
    ],
    when: When::Always,
};
const V1_CREATION_TAGGING: Statement = Statement {
    actions: &["ec2:CreateTags"],
    resources: Arns(LAUNCHED),
    conditions: &[
        cond("StringEquals", REQ_OWNED, &["owned"]),
        cond("StringEquals", REQ_CLUSTER_NAME, &["{cluster}"]),
        cond("StringEquals", "ec2:CreateAction", CREATE_ACTIONS),
        cond("StringLike", "aws:RequestTag/karpenter.sh/nodepool", &["*"]),
    ],
    when: When::Always,
};
const V1_RESOURCE_TAGGING: Statement = Statement {
    actions: &["ec2:CreateTags"],
    resources: Arns(&["arn:{p}:ec2:{region}:*:instance/*"]),
    conditions: &[
        cond("StringEquals", RES_OWNED, &["owned"]),
        cond(
            "StringLike",
            "aws:ResourceTag/karpenter.sh/nodepool",
            &["*"],
        ),
        cond("StringEqualsIfExists", REQ_CLUSTER_NAME, &["{cluster}"]),
        cond(
            "ForAllValues:StringEquals",
            "aws:TagKeys",
            &["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
        ),
    ],
    when: When::Always,
};
const V1_CREATE_PROFILE: Statement = Statement {
    actions: &["iam:CreateInstanceProfile"],
    resources: Arns(PROFILES),
    conditions: &[
        cond("StringEquals", REQ_OWNED, &["owned"]),
        cond("StringEquals", REQ_CLUSTER_NAME, &["{cluster}"]),
        cond("StringEquals", REQ_REGION, &["{region}"]),
        cond("StringLike", REQ_NODECLASS, &["*"]),
    ],
    when: When::Always,
};
const V1_TAG_PROFILE: Statement = Statement {
    actions: &["iam:TagInstanceProfile"],
    resources: Arns(PROFILES),
    conditions: &[
        cond("StringEquals", RES_OWNED, &["owned"]),
        cond("StringEquals", RES_REGION, &["{region}"]),
        cond("StringEquals", REQ_OWNED, &["owned"]),
        cond("StringEquals", REQ_CLUSTER_NAME, &["{cluster}"]),
        cond("StringEquals", REQ_REGION, &["{region}"]),
        cond("StringLike", RES_NODECLASS, &["*"]),
        cond("StringLike", REQ_NODECLASS, &["*"]),
    ],
    when: When::Always,
};
