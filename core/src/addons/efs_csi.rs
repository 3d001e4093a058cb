//! Amazon EFS CSI driver: the AWS managed `AmazonEFSCSIDriverPolicy` (v1)
//! the driver's install guide attaches, and `AmazonS3FilesCSIDriverPolicy`
//! (v1) for the Amazon S3 Files access points the driver also provisions.
//! `fileSystemArns` narrows access point creation to the listed EFS and
//! S3 Files file systems (an S3 Files statement is left out when only EFS
//! file systems are listed, and the other way round).

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "efs-csi",
    summary: "Amazon EFS CSI driver (EFS and S3 Files)",
    inputs: &[I::FileSystems],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/aws-efs-csi-driver",
            file: "the AWS managed AmazonEFSCSIDriverPolicy v1 and AmazonS3FilesCSIDriverPolicy v1 its install guide attaches",
            release: "v2.x",
        },
        statements: &[
            Statement {
                actions: &[
                    "elasticfilesystem:DescribeAccessPoints",
                    "elasticfilesystem:DescribeFileSystems",
                    "elasticfilesystem:DescribeMountTargets",
                    "ec2:DescribeAvailabilityZones",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["elasticfilesystem:CreateAccessPoint"],
                resources: Input(Scoped {
                    scope: &EFS,
                    service: Some("elasticfilesystem"),
                    suffix: "",
                }),
                conditions: CREATE_TAGGED,
                when: When::Always,
            },
            Statement {
                actions: &["elasticfilesystem:TagResource"],
                resources: Arns(&["arn:{p}:elasticfilesystem:{region}:{account}:access-point/*"]),
                conditions: &[
                    cond(
                        "StringEquals",
                        "elasticfilesystem:CreateAction",
                        &["CreateAccessPoint"],
                    ),
                    cond("Null", "aws:RequestTag/efs.csi.aws.com/cluster", &["false"]),
                    cond(
                        "ForAllValues:StringEquals",
                        "aws:TagKeys",
                        &["efs.csi.aws.com/cluster"],
                    ),
                ],
                when: When::Always,
            },
            Statement {
                actions: &["elasticfilesystem:DeleteAccessPoint"],
                resources: Arns(&["arn:{p}:elasticfilesystem:{region}:{account}:access-point/*"]),
                conditions: RESOURCE_TAGGED,
                when: When::Always,
            },
            Statement {
                actions: &["s3files:ListAccessPoints", "s3files:ListFileSystems"],
                ..Statement::STAR
            },
            Statement {
                actions: &["s3files:CreateAccessPoint"],
                resources: Input(Scoped {
                    scope: &S3_FILES,
                    service: Some("s3files"),
                    suffix: "",
                }),
                conditions: CREATE_TAGGED,
                when: When::Always,
            },
            Statement {
                actions: &["s3files:TagResource"],
                resources: Arns(&["arn:{p}:s3files:{region}:{account}:file-system/*/access-point/*"]),
                conditions: &[
                    cond("StringEquals", "s3files:CreateAction", &["CreateAccessPoint"]),
                    cond("Null", "aws:RequestTag/efs.csi.aws.com/cluster", &["false"]),
                    cond(
                        "ForAllValues:StringEquals",
                        "aws:TagKeys",
                        &["efs.csi.aws.com/cluster"],
                    ),
                ],
                when: When::Always,
            },
            Statement {
                actions: &["s3files:DeleteAccessPoint"],
                resources: Arns(&["arn:{p}:s3files:{region}:{account}:file-system/*/access-point/*"]),
                conditions: RESOURCE_TAGGED,
                when: When::Always,
            },
        ],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const CREATE_TAGGED: &[super::decl::Condition] = &[
    cond("Null", "aws:RequestTag/efs.csi.aws.com/cluster", &["false"]),
    cond(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        &["efs.csi.aws.com/cluster"],
    ),
];
const RESOURCE_TAGGED: &[super::decl::Condition] = &[cond(
    "Null",
    "aws:ResourceTag/efs.csi.aws.com/cluster",
    &["false"],
)];

const EFS: Scope = Scope {
    input: I::FileSystems,
    fallback: &["arn:{p}:elasticfilesystem:{region}:{account}:file-system/*"],
    without: "the EFS CSI driver may create access points on every EFS and S3 Files file system of the account's region: list them in fileSystemArns",
};
const S3_FILES: Scope = Scope {
    input: I::FileSystems,
    fallback: &["arn:{p}:s3files:{region}:{account}:file-system/*"],
    without: "the EFS CSI driver may create access points on every EFS and S3 Files file system of the account's region: list them in fileSystemArns",
};
