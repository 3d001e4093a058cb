//! Well-known add-on permission policies: the controllers and drivers people
//! most often give an IRSA role (the set terraform-aws-modules'
//! iam-role-for-service-accounts offers, plus Karpenter).
//!
//! The documents follow the policies the projects and AWS publish. Every ARN
//! carries the spec's partition, every service principal its DNS suffix.
//! Inputs (hosted zones, buckets, KMS keys, ...) narrow the resources; where an
//! input is absent, or where the add-on's actions take no narrower resource
//! than `*`, [`AddonPolicy::wildcards`] says so and validation turns it into a
//! `SPEC046` warning.

use crate::aws::{Arn, Partition};
use crate::policy::{allow, OneOrMany, Statement};
use crate::spec::AddonGrant;

/// An input list of an add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddonInput {
    /// `hostedZoneArns`
    HostedZones,
    /// `bucketArns`
    Buckets,
    /// `kmsKeyArns`
    KmsKeys,
    /// `fileSystemArns`
    FileSystems,
    /// `secretArns`
    Secrets,
    /// `parameterArns`
    Parameters,
    /// `queueArns`
    Queues,
    /// `workspaceArns`
    Workspaces,
    /// `nodeRoleArns`
    NodeRoles,
}

impl AddonInput {
    /// Every input, in spec field order.
    pub const ALL: [AddonInput; 9] = [
        AddonInput::HostedZones,
        AddonInput::Buckets,
        AddonInput::KmsKeys,
        AddonInput::FileSystems,
        AddonInput::Secrets,
        AddonInput::Parameters,
        AddonInput::Queues,
        AddonInput::Workspaces,
        AddonInput::NodeRoles,
    ];

    /// The spec field.
    pub fn field(self) -> &'static str {
        match self {
            AddonInput::HostedZones => "hostedZoneArns",
            AddonInput::Buckets => "bucketArns",
            AddonInput::KmsKeys => "kmsKeyArns",
            AddonInput::FileSystems => "fileSystemArns",
            AddonInput::Secrets => "secretArns",
            AddonInput::Parameters => "parameterArns",
            AddonInput::Queues => "queueArns",
            AddonInput::Workspaces => "workspaceArns",
            AddonInput::NodeRoles => "nodeRoleArns",
        }
    }

    /// The values of this input in a grant.
    pub fn values(self, g: &AddonGrant) -> &[String] {
        match self {
            AddonInput::HostedZones => &g.hosted_zone_arns,
            AddonInput::Buckets => &g.bucket_arns,
            AddonInput::KmsKeys => &g.kms_key_arns,
            AddonInput::FileSystems => &g.file_system_arns,
            AddonInput::Secrets => &g.secret_arns,
            AddonInput::Parameters => &g.parameter_arns,
            AddonInput::Queues => &g.queue_arns,
            AddonInput::Workspaces => &g.workspace_arns,
            AddonInput::NodeRoles => &g.node_role_arns,
        }
    }

    /// An example ARN, for help texts.
    pub fn example(self, partition: Partition) -> String {
        let p = partition;
        match self {
            AddonInput::HostedZones => {
                format!("arn:{p}:route53:::hostedzone/Z0123456789ABCDEFGHIJ")
            }
            AddonInput::Buckets => format!("arn:{p}:s3:::my-bucket"),
            AddonInput::KmsKeys => {
                format!("arn:{p}:kms:REGION:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
            }
            AddonInput::FileSystems => {
                format!("arn:{p}:elasticfilesystem:REGION:111122223333:file-system/fs-0123456789abcdef0")
            }
            AddonInput::Secrets => {
                format!("arn:{p}:secretsmanager:REGION:111122223333:secret:prod/*")
            }
            AddonInput::Parameters => format!("arn:{p}:ssm:REGION:111122223333:parameter/prod/*"),
            AddonInput::Queues => format!("arn:{p}:sqs:REGION:111122223333:my-queue"),
            AddonInput::Workspaces => {
                format!("arn:{p}:aps:REGION:111122223333:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef")
            }
            AddonInput::NodeRoles => format!("arn:{p}:iam::111122223333:role/KarpenterNodeRole"),
        }
    }

    /// What is wrong with one value of this input, if anything.
    pub fn problem(self, arn: &str, partition: Partition) -> Option<String> {
        let Some(a) = Arn::parse(arn) else {
            return Some(format!("`{}` is not an ARN", arn.escape_default()));
        };
        if a.partition != partition.as_str() {
            return Some(format!(
                "`{arn}` is in partition `{}`, but the region is in `{partition}`",
                a.partition
            ));
        }
        if !crate::aws::is_policy_text(arn) || arn.contains(char::is_whitespace) {
            return Some(format!(
                "`{}` has spaces or characters a policy cannot hold",
                arn.escape_default()
            ));
        }
        let ok = match self {
            AddonInput::HostedZones => {
                a.service == "route53" && a.resource.starts_with("hostedzone/")
            }
            AddonInput::Buckets => {
                a.service == "s3"
                    && a.region.is_empty()
                    && a.account.is_empty()
                    && !a.resource.is_empty()
                    && !a.resource.contains('/')
            }
            AddonInput::KmsKeys => {
                a.service == "kms"
                    && (a.resource.starts_with("key/") || a.resource.starts_with("alias/"))
            }
            AddonInput::FileSystems => {
                matches!(a.service, "elasticfilesystem" | "fsx")
                    && a.resource.starts_with("file-system/")
            }
            AddonInput::Secrets => {
                a.service == "secretsmanager" && a.resource.starts_with("secret:")
            }
            AddonInput::Parameters => a.service == "ssm" && a.resource.starts_with("parameter/"),
            AddonInput::Queues => a.service == "sqs" && !a.resource.is_empty(),
            AddonInput::Workspaces => a.service == "aps" && a.resource.starts_with("workspace/"),
            AddonInput::NodeRoles => a.service == "iam" && a.resource.starts_with("role/"),
        };
        (!ok).then(|| {
            format!(
                "`{arn}` is not the kind of ARN `{}` takes (e.g. {})",
                self.field(),
                self.example(partition)
            )
        })
    }
}

/// One well-known add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addon {
    /// Its name in the spec (`permissions.addons[].name`).
    pub name: &'static str,
    /// What it is.
    pub summary: &'static str,
    /// The inputs it takes.
    pub inputs: &'static [AddonInput],
    /// True when its policy names the cluster (`clusterName` is then required).
    pub needs_cluster_name: bool,
}

use AddonInput as I;

/// Every add-on irsa-gen knows.
pub const ADDONS: &[Addon] = &[
    Addon {
        name: "aws-load-balancer-controller",
        summary: "AWS Load Balancer Controller",
        inputs: &[],
        needs_cluster_name: false,
    },
    Addon {
        name: "external-dns",
        summary: "ExternalDNS with Route 53",
        inputs: &[I::HostedZones],
        needs_cluster_name: false,
    },
    Addon {
        name: "cert-manager",
        summary: "cert-manager DNS-01 with Route 53",
        inputs: &[I::HostedZones],
        needs_cluster_name: false,
    },
    Addon {
        name: "cluster-autoscaler",
        summary: "Cluster Autoscaler (auto-discovery tags)",
        inputs: &[],
        needs_cluster_name: true,
    },
    Addon {
        name: "ebs-csi",
        summary: "Amazon EBS CSI driver",
        inputs: &[I::KmsKeys],
        needs_cluster_name: false,
    },
    Addon {
        name: "efs-csi",
        summary: "Amazon EFS CSI driver",
        inputs: &[I::FileSystems],
        needs_cluster_name: false,
    },
    Addon {
        name: "fsx-lustre-csi",
        summary: "Amazon FSx for Lustre CSI driver",
        inputs: &[I::FileSystems],
        needs_cluster_name: false,
    },
    Addon {
        name: "mountpoint-s3-csi",
        summary: "Mountpoint for Amazon S3 CSI driver",
        inputs: &[I::Buckets, I::KmsKeys],
        needs_cluster_name: false,
    },
    Addon {
        name: "external-secrets",
        summary: "External Secrets Operator (Secrets Manager, SSM)",
        inputs: &[I::Secrets, I::Parameters, I::KmsKeys],
        needs_cluster_name: false,
    },
    Addon {
        name: "vpc-cni",
        summary: "Amazon VPC CNI (IPv4)",
        inputs: &[],
        needs_cluster_name: false,
    },
    Addon {
        name: "velero",
        summary: "Velero backups to S3 and EBS snapshots",
        inputs: &[I::Buckets, I::KmsKeys],
        needs_cluster_name: false,
    },
    Addon {
        name: "node-termination-handler",
        summary: "AWS Node Termination Handler",
        inputs: &[I::Queues],
        needs_cluster_name: false,
    },
    Addon {
        name: "amazon-managed-prometheus",
        summary: "Amazon Managed Service for Prometheus ingest and query",
        inputs: &[I::Workspaces],
        needs_cluster_name: false,
    },
    Addon {
        name: "cloudwatch-observability",
        summary: "Amazon CloudWatch Observability (agent and X-Ray)",
        inputs: &[],
        needs_cluster_name: false,
    },
    Addon {
        name: "aws-gateway-controller",
        summary: "AWS Gateway API Controller (VPC Lattice)",
        inputs: &[],
        needs_cluster_name: false,
    },
    Addon {
        name: "karpenter",
        summary: "Karpenter controller (v1)",
        inputs: &[I::NodeRoles, I::Queues],
        needs_cluster_name: true,
    },
];

/// The add-on of this name.
pub fn find(name: &str) -> Option<&'static Addon> {
    ADDONS.iter().find(|a| a.name == name)
}

/// Where an add-on's policy is built.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Partition of every ARN.
    pub partition: Partition,
    /// Region of the cluster.
    pub region: &'a str,
    /// Account of the cluster.
    pub account: &'a str,
    /// The cluster's name, when the spec has one.
    pub cluster_name: Option<&'a str>,
}

/// What an add-on grants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddonPolicy {
    /// Statements for the role's inline permissions policy.
    pub statements: Vec<Statement>,
    /// AWS managed policies to attach.
    pub managed_policy_arns: Vec<String>,
    /// Why some resources are `*` (or all of a kind): one sentence each.
    pub wildcards: Vec<String>,
}

fn star() -> Vec<String> {
    vec!["*".to_string()]
}

trait With {
    fn when(self, op: &str, key: &str, values: &[&str]) -> Self;
}

impl With for Statement {
    fn when(mut self, op: &str, key: &str, values: &[&str]) -> Self {
        let v = OneOrMany::from_vec(values.iter().map(|s| s.to_string()).collect());
        self.condition
            .entry(op.to_string())
            .or_default()
            .insert(key.to_string(), v);
        self
    }
}

/// The given ARNs, or the fallback with a wildcard note.
fn scoped(given: &[String], fallback: String, note: &str, wild: &mut Vec<String>) -> Vec<String> {
    if given.is_empty() {
        wild.push(note.to_string());
        vec![fallback]
    } else {
        given.iter().map(|s| s.trim().to_string()).collect()
    }
}

fn kms_use(keys: &[String]) -> Option<Statement> {
    (!keys.is_empty()).then(|| {
        allow(
            &["kms:Decrypt", "kms:GenerateDataKey"],
            keys.iter().map(|k| k.trim().to_string()).collect(),
        )
    })
}

/// The policy of an add-on grant; None for an unknown add-on name.
pub fn policy(g: &AddonGrant, cx: &Context<'_>) -> Option<AddonPolicy> {
    let addon = find(g.name.trim())?;
    let p = cx.partition;
    let sfx = p.dns_suffix();
    let (region, account) = (cx.region, cx.account);
    let cluster = cx.cluster_name.unwrap_or("CLUSTER_NAME");
    let mut wild = Vec::new();
    let mut managed = Vec::new();
    let mut out: Vec<Statement> = Vec::new();
    match addon.name {
        "aws-load-balancer-controller" => {
            wild.push("the AWS Load Balancer Controller creates and discovers load balancers, target groups and security groups, so its actions take `*`, scoped by the elbv2.k8s.aws/cluster tag where AWS allows".into());
            let elb = |r: &str| format!("arn:{p}:elasticloadbalancing:*:*:{r}");
            let sg = vec![format!("arn:{p}:ec2:*:*:security-group/*")];
            let lbs = vec![
                elb("targetgroup/*/*"),
                elb("loadbalancer/net/*/*"),
                elb("loadbalancer/app/*/*"),
            ];
            out.push(allow(&["iam:CreateServiceLinkedRole"], star()).when(
                "StringEquals",
                "iam:AWSServiceName",
                &[&format!("elasticloadbalancing.{sfx}")],
            ));
            out.push(allow(
                &[
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
                star(),
            ));
            out.push(allow(
                &[
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
                star(),
            ));
            out.push(allow(
                &[
                    "ec2:AuthorizeSecurityGroupIngress",
                    "ec2:RevokeSecurityGroupIngress",
                ],
                star(),
            ));
            out.push(allow(&["ec2:CreateSecurityGroup"], star()));
            out.push(
                allow(&["ec2:CreateTags"], sg.clone())
                    .when("StringEquals", "ec2:CreateAction", &["CreateSecurityGroup"])
                    .when("Null", "aws:RequestTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(
                allow(&["ec2:CreateTags", "ec2:DeleteTags"], sg)
                    .when("Null", "aws:RequestTag/elbv2.k8s.aws/cluster", &["true"])
                    .when("Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(
                allow(
                    &[
                        "ec2:AuthorizeSecurityGroupIngress",
                        "ec2:RevokeSecurityGroupIngress",
                        "ec2:DeleteSecurityGroup",
                    ],
                    star(),
                )
                .when("Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(
                allow(
                    &[
                        "elasticloadbalancing:CreateLoadBalancer",
                        "elasticloadbalancing:CreateTargetGroup",
                    ],
                    star(),
                )
                .when("Null", "aws:RequestTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(allow(
                &[
                    "elasticloadbalancing:CreateListener",
                    "elasticloadbalancing:DeleteListener",
                    "elasticloadbalancing:CreateRule",
                    "elasticloadbalancing:DeleteRule",
                ],
                star(),
            ));
            out.push(
                allow(
                    &[
                        "elasticloadbalancing:AddTags",
                        "elasticloadbalancing:RemoveTags",
                    ],
                    lbs.clone(),
                )
                .when("Null", "aws:RequestTag/elbv2.k8s.aws/cluster", &["true"])
                .when("Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(allow(
                &[
                    "elasticloadbalancing:AddTags",
                    "elasticloadbalancing:RemoveTags",
                ],
                vec![
                    elb("listener/net/*/*/*"),
                    elb("listener/app/*/*/*"),
                    elb("listener-rule/net/*/*/*"),
                    elb("listener-rule/app/*/*/*"),
                ],
            ));
            out.push(
                allow(
                    &[
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
                    star(),
                )
                .when("Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(
                allow(&["elasticloadbalancing:AddTags"], lbs)
                    .when(
                        "StringEquals",
                        "elasticloadbalancing:CreateAction",
                        &["CreateTargetGroup", "CreateLoadBalancer"],
                    )
                    .when("Null", "aws:RequestTag/elbv2.k8s.aws/cluster", &["false"]),
            );
            out.push(allow(
                &[
                    "elasticloadbalancing:RegisterTargets",
                    "elasticloadbalancing:DeregisterTargets",
                ],
                vec![elb("targetgroup/*/*")],
            ));
            out.push(allow(
                &[
                    "elasticloadbalancing:SetWebAcl",
                    "elasticloadbalancing:ModifyListener",
                    "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates",
                    "elasticloadbalancing:ModifyRule",
                    "elasticloadbalancing:SetRulePriorities",
                ],
                star(),
            ));
        }
        "external-dns" => {
            let zones = scoped(&g.hosted_zone_arns, format!("arn:{p}:route53:::hostedzone/*"), "external-dns may change records in every hosted zone: list the zones in hostedZoneArns", &mut wild);
            out.push(allow(
                &[
                    "route53:ChangeResourceRecordSets",
                    "route53:ListResourceRecordSets",
                    "route53:ListTagsForResources",
                ],
                zones,
            ));
            out.push(allow(
                &["route53:ListHostedZones", "route53:ListTagsForResource"],
                star(),
            ));
        }
        "cert-manager" => {
            let zones = scoped(&g.hosted_zone_arns, format!("arn:{p}:route53:::hostedzone/*"), "cert-manager may change records in every hosted zone: list the zones in hostedZoneArns", &mut wild);
            out.push(allow(
                &["route53:GetChange"],
                vec![format!("arn:{p}:route53:::change/*")],
            ));
            out.push(allow(
                &[
                    "route53:ChangeResourceRecordSets",
                    "route53:ListResourceRecordSets",
                ],
                zones,
            ));
            out.push(allow(&["route53:ListHostedZonesByName"], star()));
        }
        "cluster-autoscaler" => {
            out.push(allow(
                &[
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
                star(),
            ));
            out.push(
                allow(
                    &[
                        "autoscaling:SetDesiredCapacity",
                        "autoscaling:TerminateInstanceInAutoScalingGroup",
                    ],
                    star(),
                )
                .when(
                    "StringEquals",
                    &format!("aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster}"),
                    &["owned"],
                ),
            );
        }
        "ebs-csi" => {
            wild.push("the EBS CSI driver creates, attaches and snapshots volumes it cannot know in advance, so its actions take `*`, scoped by the ebs.csi.aws.com/cluster and CSI tags where AWS allows".into());
            let vs = vec![
                format!("arn:{p}:ec2:*:*:volume/*"),
                format!("arn:{p}:ec2:*:*:snapshot/*"),
            ];
            out.push(allow(
                &[
                    "ec2:CreateSnapshot",
                    "ec2:AttachVolume",
                    "ec2:DetachVolume",
                    "ec2:ModifyVolume",
                    "ec2:DescribeAvailabilityZones",
                    "ec2:DescribeInstances",
                    "ec2:DescribeSnapshots",
                    "ec2:DescribeTags",
                    "ec2:DescribeVolumes",
                    "ec2:DescribeVolumesModifications",
                ],
                star(),
            ));
            out.push(allow(&["ec2:CreateTags"], vs.clone()).when(
                "StringEquals",
                "ec2:CreateAction",
                &["CreateVolume", "CreateSnapshot"],
            ));
            out.push(allow(&["ec2:DeleteTags"], vs));
            out.push(allow(&["ec2:CreateVolume"], star()).when(
                "StringLike",
                "aws:RequestTag/ebs.csi.aws.com/cluster",
                &["true"],
            ));
            out.push(allow(&["ec2:CreateVolume"], star()).when(
                "StringLike",
                "aws:RequestTag/CSIVolumeName",
                &["*"],
            ));
            out.push(allow(&["ec2:DeleteVolume"], star()).when(
                "StringLike",
                "ec2:ResourceTag/ebs.csi.aws.com/cluster",
                &["true"],
            ));
            out.push(allow(&["ec2:DeleteVolume"], star()).when(
                "StringLike",
                "ec2:ResourceTag/CSIVolumeName",
                &["*"],
            ));
            out.push(allow(&["ec2:DeleteVolume"], star()).when(
                "StringLike",
                "ec2:ResourceTag/kubernetes.io/created-for/pvc/name",
                &["*"],
            ));
            out.push(allow(&["ec2:DeleteSnapshot"], star()).when(
                "StringLike",
                "ec2:ResourceTag/CSIVolumeSnapshotName",
                &["*"],
            ));
            out.push(allow(&["ec2:DeleteSnapshot"], star()).when(
                "StringLike",
                "ec2:ResourceTag/ebs.csi.aws.com/cluster",
                &["true"],
            ));
            if !g.kms_key_arns.is_empty() {
                let keys: Vec<String> = g
                    .kms_key_arns
                    .iter()
                    .map(|k| k.trim().to_string())
                    .collect();
                out.push(
                    allow(
                        &["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                        keys.clone(),
                    )
                    .when("Bool", "kms:GrantIsForAWSResource", &["true"]),
                );
                out.push(allow(
                    &[
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                    ],
                    keys,
                ));
            }
        }
        "efs-csi" => {
            let fs = scoped(&g.file_system_arns, format!("arn:{p}:elasticfilesystem:{region}:{account}:file-system/*"), "the EFS CSI driver may create access points on every file system: list them in fileSystemArns", &mut wild);
            out.push(allow(
                &[
                    "elasticfilesystem:DescribeAccessPoints",
                    "elasticfilesystem:DescribeFileSystems",
                    "elasticfilesystem:DescribeMountTargets",
                    "ec2:DescribeAvailabilityZones",
                ],
                star(),
            ));
            out.push(allow(&["elasticfilesystem:CreateAccessPoint"], fs).when(
                "StringLike",
                "aws:RequestTag/efs.csi.aws.com/cluster",
                &["true"],
            ));
            let ap = vec![format!(
                "arn:{p}:elasticfilesystem:{region}:{account}:access-point/*"
            )];
            out.push(allow(&["elasticfilesystem:TagResource"], ap.clone()).when(
                "StringLike",
                "aws:ResourceTag/efs.csi.aws.com/cluster",
                &["true"],
            ));
            out.push(allow(&["elasticfilesystem:DeleteAccessPoint"], ap).when(
                "StringEquals",
                "aws:ResourceTag/efs.csi.aws.com/cluster",
                &["true"],
            ));
        }
        "fsx-lustre-csi" => {
            wild.push("the FSx for Lustre CSI driver creates file systems it cannot know in advance, so fsx:CreateFileSystem takes `*`".into());
            let fs = scoped(&g.file_system_arns, format!("arn:{p}:fsx:{region}:{account}:file-system/*"), "the FSx for Lustre CSI driver may update and delete every file system: list them in fileSystemArns", &mut wild);
            out.push(allow(&["iam:CreateServiceLinkedRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"], vec![format!("arn:{p}:iam::{account}:role/aws-service-role/s3.data-source.lustre.fsx.{sfx}/*")]));
            out.push(allow(&["iam:CreateServiceLinkedRole"], star()).when(
                "StringLike",
                "iam:AWSServiceName",
                &[&format!("fsx.{sfx}")],
            ));
            out.push(allow(
                &[
                    "s3:ListBucket",
                    "fsx:CreateFileSystem",
                    "fsx:DescribeFileSystems",
                    "fsx:TagResource",
                ],
                star(),
            ));
            out.push(allow(&["fsx:DeleteFileSystem", "fsx:UpdateFileSystem"], fs));
        }
        "mountpoint-s3-csi" => {
            let buckets = scoped(
                &g.bucket_arns,
                format!("arn:{p}:s3:::*"),
                "Mountpoint for S3 may read and write every bucket: list them in bucketArns",
                &mut wild,
            );
            let objects = buckets.iter().map(|b| format!("{b}/*")).collect();
            out.push(allow(&["s3:ListBucket"], buckets));
            out.push(allow(
                &[
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:AbortMultipartUpload",
                    "s3:DeleteObject",
                ],
                objects,
            ));
            out.extend(kms_use(&g.kms_key_arns));
        }
        "external-secrets" => {
            let any_scope = !g.secret_arns.is_empty() || !g.parameter_arns.is_empty();
            if !any_scope {
                wild.push("External Secrets may read every secret and parameter: list them in secretArns and parameterArns".into());
            }
            if !any_scope || !g.parameter_arns.is_empty() {
                let params = if g.parameter_arns.is_empty() {
                    vec![format!("arn:{p}:ssm:{region}:{account}:parameter/*")]
                } else {
                    g.parameter_arns
                        .iter()
                        .map(|s| s.trim().to_string())
                        .collect()
                };
                out.push(allow(&["ssm:DescribeParameters"], star()));
                out.push(allow(
                    &[
                        "ssm:GetParameter",
                        "ssm:GetParameters",
                        "ssm:GetParametersByPath",
                    ],
                    params,
                ));
            }
            if !any_scope || !g.secret_arns.is_empty() {
                let secrets = if g.secret_arns.is_empty() {
                    vec![format!(
                        "arn:{p}:secretsmanager:{region}:{account}:secret:*"
                    )]
                } else {
                    g.secret_arns.iter().map(|s| s.trim().to_string()).collect()
                };
                out.push(allow(
                    &[
                        "secretsmanager:ListSecrets",
                        "secretsmanager:BatchGetSecretValue",
                    ],
                    star(),
                ));
                out.push(allow(
                    &[
                        "secretsmanager:GetResourcePolicy",
                        "secretsmanager:GetSecretValue",
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:ListSecretVersionIds",
                    ],
                    secrets,
                ));
            }
            if !g.kms_key_arns.is_empty() {
                out.push(allow(
                    &["kms:Decrypt"],
                    g.kms_key_arns
                        .iter()
                        .map(|k| k.trim().to_string())
                        .collect(),
                ));
            }
        }
        "vpc-cni" => {
            wild.push("the VPC CNI manages network interfaces of every node, so its actions take `*` (as in the AWS managed AmazonEKS_CNI_Policy)".into());
            out.push(allow(
                &[
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:AttachNetworkInterface",
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeInstances",
                    "ec2:DescribeTags",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeSubnets",
                    "ec2:DetachNetworkInterface",
                    "ec2:ModifyNetworkInterfaceAttribute",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                star(),
            ));
            out.push(allow(
                &["ec2:CreateTags"],
                vec![format!("arn:{p}:ec2:*:*:network-interface/*")],
            ));
        }
        "velero" => {
            wild.push("Velero's EBS snapshot actions take `*`".into());
            let buckets = scoped(
                &g.bucket_arns,
                format!("arn:{p}:s3:::*"),
                "Velero may read and write every bucket: list its backup bucket in bucketArns",
                &mut wild,
            );
            let objects = buckets.iter().map(|b| format!("{b}/*")).collect();
            out.push(allow(
                &[
                    "ec2:DescribeVolumes",
                    "ec2:DescribeSnapshots",
                    "ec2:CreateTags",
                    "ec2:CreateVolume",
                    "ec2:CreateSnapshot",
                    "ec2:DeleteSnapshot",
                ],
                star(),
            ));
            out.push(allow(
                &[
                    "s3:GetObject",
                    "s3:DeleteObject",
                    "s3:PutObject",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts",
                ],
                objects,
            ));
            out.push(allow(&["s3:ListBucket"], buckets));
            out.extend(kms_use(&g.kms_key_arns));
        }
        "node-termination-handler" => {
            wild.push("the Node Termination Handler completes lifecycle actions of any Auto Scaling group, so its actions take `*`".into());
            out.push(allow(
                &[
                    "autoscaling:CompleteLifecycleAction",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeInstances",
                ],
                star(),
            ));
            if !g.queue_arns.is_empty() {
                out.push(allow(
                    &["sqs:DeleteMessage", "sqs:ReceiveMessage"],
                    g.queue_arns.iter().map(|q| q.trim().to_string()).collect(),
                ));
            }
        }
        "amazon-managed-prometheus" => {
            let ws = scoped(
                &g.workspace_arns,
                "*".into(),
                "Prometheus may write to and query every workspace: list them in workspaceArns",
                &mut wild,
            );
            out.push(allow(
                &[
                    "aps:RemoteWrite",
                    "aps:QueryMetrics",
                    "aps:GetSeries",
                    "aps:GetLabels",
                    "aps:GetMetricMetadata",
                ],
                ws,
            ));
        }
        "cloudwatch-observability" => {
            wild.push("CloudWatch Observability uses the AWS managed policies CloudWatchAgentServerPolicy and AWSXrayWriteOnlyAccess, which grant on `*`".into());
            managed.push(format!(
                "arn:{p}:iam::aws:policy/CloudWatchAgentServerPolicy"
            ));
            managed.push(format!("arn:{p}:iam::aws:policy/AWSXrayWriteOnlyAccess"));
        }
        "aws-gateway-controller" => {
            wild.push("the AWS Gateway API Controller manages VPC Lattice resources it creates, so its actions take `*`".into());
            out.push(allow(
                &[
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
                ],
                star(),
            ));
            out.push(allow(&["iam:CreateServiceLinkedRole"], vec![format!("arn:{p}:iam::*:role/aws-service-role/vpc-lattice.{sfx}/AWSServiceRoleForVpcLattice")])
                .when("StringLike", "iam:AWSServiceName", &[&format!("vpc-lattice.{sfx}")]));
            out.push(allow(&["iam:CreateServiceLinkedRole"], vec![format!("arn:{p}:iam::*:role/aws-service-role/delivery.logs.{sfx}/AWSServiceRoleForLogDelivery")])
                .when("StringLike", "iam:AWSServiceName", &[&format!("delivery.logs.{sfx}")]));
        }
        "karpenter" => {
            let ec2 = |r: &str| format!("arn:{p}:ec2:{region}:*:{r}");
            let owned = format!("kubernetes.io/cluster/{cluster}");
            let req_owned = format!("aws:RequestTag/{owned}");
            let res_owned = format!("aws:ResourceTag/{owned}");
            let launched: Vec<String> = [
                "fleet/*",
                "instance/*",
                "volume/*",
                "network-interface/*",
                "launch-template/*",
                "spot-instances-request/*",
            ]
            .iter()
            .map(|r| ec2(r))
            .collect();
            let profiles = vec![format!("arn:{p}:iam::{account}:instance-profile/*")];
            out.push(allow(
                &["ec2:RunInstances", "ec2:CreateFleet"],
                vec![
                    format!("arn:{p}:ec2:{region}::image/*"),
                    format!("arn:{p}:ec2:{region}::snapshot/*"),
                    ec2("security-group/*"),
                    ec2("subnet/*"),
                    ec2("capacity-reservation/*"),
                ],
            ));
            out.push(
                allow(
                    &["ec2:RunInstances", "ec2:CreateFleet"],
                    vec![ec2("launch-template/*")],
                )
                .when("StringEquals", &res_owned, &["owned"])
                .when(
                    "StringLike",
                    "aws:ResourceTag/karpenter.sh/nodepool",
                    &["*"],
                ),
            );
            out.push(
                allow(
                    &[
                        "ec2:RunInstances",
                        "ec2:CreateFleet",
                        "ec2:CreateLaunchTemplate",
                    ],
                    launched.clone(),
                )
                .when("StringEquals", &req_owned, &["owned"])
                .when(
                    "StringEquals",
                    "aws:RequestTag/eks:eks-cluster-name",
                    &[cluster],
                )
                .when("StringLike", "aws:RequestTag/karpenter.sh/nodepool", &["*"]),
            );
            out.push(
                allow(&["ec2:CreateTags"], launched)
                    .when("StringEquals", &req_owned, &["owned"])
                    .when(
                        "StringEquals",
                        "aws:RequestTag/eks:eks-cluster-name",
                        &[cluster],
                    )
                    .when(
                        "StringEquals",
                        "ec2:CreateAction",
                        &["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                    )
                    .when("StringLike", "aws:RequestTag/karpenter.sh/nodepool", &["*"]),
            );
            out.push(
                allow(&["ec2:CreateTags"], vec![ec2("instance/*")])
                    .when("StringEquals", &res_owned, &["owned"])
                    .when(
                        "StringLike",
                        "aws:ResourceTag/karpenter.sh/nodepool",
                        &["*"],
                    )
                    .when(
                        "StringEqualsIfExists",
                        "aws:RequestTag/eks:eks-cluster-name",
                        &[cluster],
                    )
                    .when(
                        "ForAllValues:StringEquals",
                        "aws:TagKeys",
                        &["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
                    ),
            );
            out.push(
                allow(
                    &["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                    vec![ec2("instance/*"), ec2("launch-template/*")],
                )
                .when("StringEquals", &res_owned, &["owned"])
                .when(
                    "StringLike",
                    "aws:ResourceTag/karpenter.sh/nodepool",
                    &["*"],
                ),
            );
            out.push(
                allow(
                    &[
                        "ec2:DescribeCapacityReservations",
                        "ec2:DescribeImages",
                        "ec2:DescribeInstances",
                        "ec2:DescribeInstanceTypeOfferings",
                        "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplates",
                        "ec2:DescribeSecurityGroups",
                        "ec2:DescribeSpotPriceHistory",
                        "ec2:DescribeSubnets",
                    ],
                    star(),
                )
                .when("StringEquals", "aws:RequestedRegion", &[region]),
            );
            out.push(allow(
                &["ssm:GetParameter"],
                vec![format!("arn:{p}:ssm:{region}::parameter/aws/service/*")],
            ));
            out.push(allow(&["pricing:GetProducts"], star()));
            if !g.queue_arns.is_empty() {
                out.push(allow(
                    &["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
                    g.queue_arns.iter().map(|q| q.trim().to_string()).collect(),
                ));
            }
            let nodes = scoped(&g.node_role_arns, format!("arn:{p}:iam::{account}:role/*"), "Karpenter may pass every role of the account to EC2: name the node role in nodeRoleArns", &mut wild);
            out.push(allow(&["iam:PassRole"], nodes).when(
                "StringEquals",
                "iam:PassedToService",
                &[&format!("ec2.{sfx}")],
            ));
            let region_tag = "aws:RequestTag/topology.kubernetes.io/region";
            let res_region_tag = "aws:ResourceTag/topology.kubernetes.io/region";
            out.push(
                allow(&["iam:CreateInstanceProfile"], profiles.clone())
                    .when("StringEquals", &req_owned, &["owned"])
                    .when(
                        "StringEquals",
                        "aws:RequestTag/eks:eks-cluster-name",
                        &[cluster],
                    )
                    .when("StringEquals", region_tag, &[region])
                    .when(
                        "StringLike",
                        "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass",
                        &["*"],
                    ),
            );
            out.push(
                allow(&["iam:TagInstanceProfile"], profiles.clone())
                    .when("StringEquals", &res_owned, &["owned"])
                    .when("StringEquals", res_region_tag, &[region])
                    .when("StringEquals", &req_owned, &["owned"])
                    .when(
                        "StringEquals",
                        "aws:RequestTag/eks:eks-cluster-name",
                        &[cluster],
                    )
                    .when("StringEquals", region_tag, &[region])
                    .when(
                        "StringLike",
                        "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass",
                        &["*"],
                    )
                    .when(
                        "StringLike",
                        "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass",
                        &["*"],
                    ),
            );
            out.push(
                allow(
                    &[
                        "iam:AddRoleToInstanceProfile",
                        "iam:RemoveRoleFromInstanceProfile",
                        "iam:DeleteInstanceProfile",
                    ],
                    profiles.clone(),
                )
                .when("StringEquals", &res_owned, &["owned"])
                .when("StringEquals", res_region_tag, &[region])
                .when(
                    "StringLike",
                    "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass",
                    &["*"],
                ),
            );
            out.push(allow(&["iam:GetInstanceProfile"], profiles));
            out.push(allow(&["iam:ListInstanceProfiles"], star()));
            out.push(allow(
                &["eks:DescribeCluster"],
                vec![format!("arn:{p}:eks:{region}:{account}:cluster/{cluster}")],
            ));
        }
        _ => return None,
    }
    Some(AddonPolicy {
        statements: out,
        managed_policy_arns: managed,
        wildcards: wild,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Context<'static> {
        Context {
            partition: Partition::AwsCn,
            region: "cn-north-1",
            account: "111122223333",
            cluster_name: Some("c1"),
        }
    }

    #[test]
    fn every_addon_has_a_policy_in_its_partition() {
        for a in ADDONS {
            let g = AddonGrant {
                name: a.name.into(),
                ..AddonGrant::default()
            };
            let pol = policy(&g, &cx()).unwrap();
            assert!(
                !pol.statements.is_empty() || !pol.managed_policy_arns.is_empty(),
                "{}",
                a.name
            );
            let text = serde_json::to_string(&pol.statements).unwrap()
                + &pol.managed_policy_arns.join(",");
            assert!(!text.contains("arn:aws:"), "{}: {text}", a.name);
            assert!(!text.contains("CLUSTER_NAME"), "{}", a.name);
        }
    }

    #[test]
    fn given_scopes_replace_wildcards() {
        let g = AddonGrant {
            name: "external-dns".into(),
            hosted_zone_arns: vec!["arn:aws-cn:route53:::hostedzone/Z1".into()],
            ..AddonGrant::default()
        };
        let pol = policy(&g, &cx()).unwrap();
        assert!(pol.wildcards.is_empty());
        let text = serde_json::to_string(&pol.statements).unwrap();
        assert!(text.contains("hostedzone/Z1") && !text.contains("hostedzone/*"));
        let unscoped = policy(
            &AddonGrant {
                name: "external-dns".into(),
                ..AddonGrant::default()
            },
            &cx(),
        )
        .unwrap();
        assert_eq!(unscoped.wildcards.len(), 1);
        assert!(AddonInput::HostedZones
            .problem("arn:aws:route53:::hostedzone/Z1", Partition::AwsCn)
            .is_some());
        assert_eq!(
            AddonInput::Buckets.problem("arn:aws-cn:s3:::b", Partition::AwsCn),
            None
        );
    }
}
