//! Amazon FSx for Lustre CSI driver: the policy of its install guide, with
//! `fsx:UpdateFileSystem` for volume resizing (as terraform-aws-modules v6
//! grants). Deleting and updating are narrowed to `fileSystemArns`.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "fsx-lustre-csi",
    summary: "Amazon FSx for Lustre CSI driver",
    inputs: &[I::FileSystems],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/aws-fsx-csi-driver",
            file: "docs/install.md (Set up driver permissions)",
            release: "v1.x",
        },
        statements: &[
            Statement {
                actions: &[
                    "iam:CreateServiceLinkedRole",
                    "iam:AttachRolePolicy",
                    "iam:PutRolePolicy",
                ],
                resources: Arns(&[
                    "arn:{p}:iam::{account}:role/aws-service-role/{sp:s3.data-source.lustre.fsx}/*",
                ]),
                ..Statement::STAR
            },
            Statement {
                actions: &["iam:CreateServiceLinkedRole"],
                conditions: &[cond("StringLike", "iam:AWSServiceName", &["{sp:fsx}"])],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "s3:ListBucket",
                    "fsx:CreateFileSystem",
                    "fsx:DescribeFileSystems",
                    "fsx:TagResource",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["fsx:DeleteFileSystem", "fsx:UpdateFileSystem"],
                resources: Input(Scoped {
                    scope: &FILE_SYSTEMS,
                    service: Some("fsx"),
                    suffix: "",
                }),
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the FSx for Lustre CSI driver creates file systems it cannot know in advance, so fsx:CreateFileSystem takes `*`"],
    }],
};

const FILE_SYSTEMS: Scope = Scope {
    input: I::FileSystems,
    fallback: &["arn:{p}:fsx:{region}:{account}:file-system/*"],
    without: "the FSx CSI driver may update and delete every file system of the account's region: list them in fileSystemArns",
};
