//! Velero with its AWS plugin: the policy of the plugin's README (EBS
//! snapshots, the backup bucket), plus KMS use when `kmsKeyArns` is given.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "velero",
    summary: "Velero backups to S3 and EBS snapshots",
    inputs: &[I::Buckets, I::KmsKeys],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "vmware-tanzu/velero-plugin-for-aws",
            file: "README.md (Set permissions for Velero)",
            release: "v1.1x",
        },
        statements: &[
            Statement {
                actions: &[
                    "ec2:DescribeVolumes",
                    "ec2:DescribeSnapshots",
                    "ec2:CreateTags",
                    "ec2:CreateVolume",
                    "ec2:CreateSnapshot",
                    "ec2:DeleteSnapshot",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "s3:GetObject",
                    "s3:DeleteObject",
                    "s3:PutObject",
                    "s3:PutObjectTagging",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts",
                ],
                resources: Input(Scoped {
                    scope: &BUCKETS,
                    service: None,
                    suffix: "/*",
                }),
                ..Statement::STAR
            },
            Statement {
                actions: &["s3:ListBucket"],
                resources: Input(Scoped {
                    scope: &BUCKETS,
                    service: None,
                    suffix: "",
                }),
                ..Statement::STAR
            },
            super::common::KMS_USE,
        ],
        managed_policies: &[],
        stays_star: &["Velero's EBS snapshot actions take `*`"],
    }],
};

const BUCKETS: Scope = Scope {
    input: I::Buckets,
    fallback: &["arn:{p}:s3:::*"],
    without: "Velero may read and write every bucket: list its backup bucket in bucketArns",
};
