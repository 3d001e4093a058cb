//! Amazon FSx for OpenZFS CSI driver: `docs/example-iam-policy.json`.
//! Deleting and updating file systems are narrowed to `fileSystemArns`;
//! volumes and snapshots are created by the driver and take `*`.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "fsx-openzfs-csi",
    summary: "Amazon FSx for OpenZFS CSI driver",
    inputs: &[I::FileSystems],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/aws-fsx-openzfs-csi-driver",
            file: "docs/example-iam-policy.json",
            release: "v1.x",
        },
        statements: &[
            Statement {
                actions: &[
                    "iam:CreateServiceLinkedRole",
                    "iam:AttachRolePolicy",
                    "iam:PutRolePolicy",
                ],
                resources: Arns(&["arn:{p}:iam::{account}:role/aws-service-role/{sp:fsx}/*"]),
                ..Statement::STAR
            },
            Statement {
                actions: &["iam:CreateServiceLinkedRole"],
                conditions: &[cond("StringLike", "iam:AWSServiceName", &["{sp:fsx}"])],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "fsx:CreateFileSystem",
                    "fsx:DescribeFileSystems",
                    "fsx:CreateVolume",
                    "fsx:DeleteVolume",
                    "fsx:DescribeVolumes",
                    "fsx:CreateSnapshot",
                    "fsx:DeleteSnapshot",
                    "fsx:DescribeSnapshots",
                    "fsx:TagResource",
                    "fsx:ListTagsForResource",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["fsx:UpdateFileSystem", "fsx:DeleteFileSystem"],
                resources: Input(Scoped {
                    scope: &FILE_SYSTEMS,
                    service: Some("fsx"),
                    suffix: "",
                }),
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the FSx for OpenZFS CSI driver creates file systems, volumes and snapshots it cannot know in advance, so those actions take `*`"],
    }],
};

const FILE_SYSTEMS: Scope = Scope {
    input: I::FileSystems,
    fallback: &["arn:{p}:fsx:{region}:{account}:file-system/*"],
    without: "the FSx CSI driver may update and delete every file system of the account's region: list them in fileSystemArns",
};
