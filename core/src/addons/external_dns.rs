//! ExternalDNS with Route 53: the IAM policy of its AWS tutorial.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "external-dns",
    summary: "ExternalDNS with Route 53",
    inputs: &[I::HostedZones],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "kubernetes-sigs/external-dns",
            file: "docs/tutorials/aws.md (IAM Policy)",
            release: "v0.15+",
        },
        statements: &[
            Statement {
                actions: &[
                    "route53:ChangeResourceRecordSets",
                    "route53:ListResourceRecordSets",
                    "route53:ListTagsForResources",
                ],
                resources: Input(Scoped {
                    scope: &ZONES,
                    service: None,
                    suffix: "",
                }),
                ..Statement::STAR
            },
            Statement {
                actions: &["route53:ListHostedZones"],
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const ZONES: Scope = Scope {
    input: I::HostedZones,
    fallback: &["arn:{p}:route53:::hostedzone/*"],
    without:
        "external-dns may change records in every hosted zone: list the zones in hostedZoneArns",
};
