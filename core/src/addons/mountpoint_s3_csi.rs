//! Mountpoint for Amazon S3 CSI driver: the policy of its install guide
//! (bucket listing, object access), plus the SSE-KMS statement of
//! Mountpoint's configuration guide when `kmsKeyArns` is given.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "mountpoint-s3-csi",
    summary: "Mountpoint for Amazon S3 CSI driver",
    inputs: &[I::Buckets, I::KmsKeys],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "awslabs/mountpoint-s3-csi-driver",
            file: "docs/install.md (Configure access to S3); awslabs/mountpoint-s3 doc/CONFIGURATION.md (KMS)",
            release: "v2.x",
        },
        statements: &[
            Statement {
                actions: &["s3:ListBucket"],
                resources: Input(Scoped {
                    scope: &BUCKETS,
                    service: None,
                    suffix: "",
                }),
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:AbortMultipartUpload",
                    "s3:DeleteObject",
                ],
                resources: Input(Scoped {
                    scope: &BUCKETS,
                    service: None,
                    suffix: "/*",
                }),
                ..Statement::STAR
            },
            super::common::KMS_USE,
        ],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const BUCKETS: Scope = Scope {
    input: I::Buckets,
    fallback: &["arn:{p}:s3:::*"],
    without: "Mountpoint for S3 may read and write every bucket: list them in bucketArns",
};
