//! Amazon EBS CSI driver: `docs/example-iam-policy.json`, the same document
//! as the AWS managed `AmazonEBSCSIDriverPolicy` (v15), plus the KMS
//! statements of its install guide for encrypted volumes.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "ebs-csi",
    summary: "Amazon EBS CSI driver",
    inputs: &[I::KmsKeys],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/aws-ebs-csi-driver",
            file: "docs/example-iam-policy.json (= AmazonEBSCSIDriverPolicy v15); docs/install.md (KMS)",
            release: "v1.5x",
        },
        statements: STATEMENTS,
        managed_policies: &[],
        stays_star: &["the EBS CSI driver creates, snapshots and deletes volumes it cannot know in advance, so its actions take every volume and snapshot, scoped by the ebs.csi.aws.com/cluster and CSI tags where AWS allows"],
    }],
};

const VOLUMES: &[&str] = &["arn:{p}:ec2:*:*:volume/*"];
const SNAPSHOTS: &[&str] = &["arn:{p}:ec2:*:*:snapshot/*"];
const VOLUMES_AND_SNAPSHOTS: &[&str] = &["arn:{p}:ec2:*:*:volume/*", "arn:{p}:ec2:*:*:snapshot/*"];

const fn on(actions: &'static [&'static str], resources: &'static [&'static str]) -> Statement {
    Statement {
        actions,
        resources: Arns(resources),
        ..Statement::STAR
    }
}

/// A statement on these resources when a `StringLike` tag condition holds.
macro_rules! tagged {
    ($actions:expr, $resources:expr, $key:literal, $value:literal) => {
        Statement {
            actions: $actions,
            resources: Arns($resources),
            conditions: &[cond("StringLike", $key, &[$value])],
            when: When::Always,
        }
    };
}

const STATEMENTS: &[Statement] = &[
    Statement {
        actions: &[
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInstances",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeSnapshots",
            "ec2:DescribeTags",
            "ec2:DescribeVolumes",
            "ec2:DescribeVolumesModifications",
            "ec2:DescribeVolumeStatus",
        ],
        ..Statement::STAR
    },
    on(&["ec2:CreateSnapshot", "ec2:ModifyVolume"], VOLUMES),
    on(&["ec2:CopyVolumes"], &["arn:{p}:ec2:*:*:volume/vol-*"]),
    on(
        &["ec2:AttachVolume", "ec2:DetachVolume"],
        &["arn:{p}:ec2:*:*:volume/*", "arn:{p}:ec2:*:*:instance/*"],
    ),
    on(
        &["ec2:CreateVolume", "ec2:EnableFastSnapshotRestores"],
        SNAPSHOTS,
    ),
    Statement {
        actions: &["ec2:CreateTags"],
        resources: Arns(VOLUMES_AND_SNAPSHOTS),
        conditions: &[cond(
            "StringEquals",
            "ec2:CreateAction",
            &["CreateVolume", "CreateSnapshot", "CopyVolumes"],
        )],
        when: When::Always,
    },
    on(&["ec2:DeleteTags"], VOLUMES_AND_SNAPSHOTS),
    tagged!(
        &["ec2:CreateVolume", "ec2:CopyVolumes"],
        VOLUMES,
        "aws:RequestTag/ebs.csi.aws.com/cluster",
        "true"
    ),
    tagged!(
        &["ec2:CreateVolume", "ec2:CopyVolumes"],
        VOLUMES,
        "aws:RequestTag/CSIVolumeName",
        "*"
    ),
    tagged!(
        &["ec2:DeleteVolume"],
        VOLUMES,
        "ec2:ResourceTag/ebs.csi.aws.com/cluster",
        "true"
    ),
    tagged!(
        &["ec2:DeleteVolume"],
        VOLUMES,
        "ec2:ResourceTag/CSIVolumeName",
        "*"
    ),
    tagged!(
        &["ec2:DeleteVolume"],
        VOLUMES,
        "ec2:ResourceTag/kubernetes.io/created-for/pvc/name",
        "*"
    ),
    tagged!(
        &["ec2:CreateSnapshot"],
        SNAPSHOTS,
        "aws:RequestTag/CSIVolumeSnapshotName",
        "*"
    ),
    tagged!(
        &["ec2:CreateSnapshot"],
        SNAPSHOTS,
        "aws:RequestTag/ebs.csi.aws.com/cluster",
        "true"
    ),
    tagged!(
        &["ec2:DeleteSnapshot", "ec2:LockSnapshot"],
        SNAPSHOTS,
        "ec2:ResourceTag/CSIVolumeSnapshotName",
        "*"
    ),
    tagged!(
        &["ec2:DeleteSnapshot", "ec2:LockSnapshot"],
        SNAPSHOTS,
        "ec2:ResourceTag/ebs.csi.aws.com/cluster",
        "true"
    ),
    Statement {
        actions: &["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        resources: Given(I::KmsKeys),
        conditions: &[cond("Bool", "kms:GrantIsForAWSResource", &["true"])],
        when: When::Always,
    },
    Statement {
        actions: &[
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        resources: Given(I::KmsKeys),
        conditions: &[],
        when: When::Always,
    },
];
