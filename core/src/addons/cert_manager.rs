//! cert-manager's ACME DNS-01 solver with Route 53: the IAM policy of its
//! Route53 page, which lets the solver change TXT records only.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "cert-manager",
    summary: "cert-manager DNS-01 with Route 53",
    inputs: &[I::HostedZones],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "cert-manager/website",
            file: "content/docs/configuration/acme/dns01/route53.md (Set up an IAM Policy)",
            release: "v1.15+",
        },
        statements: &[
            Statement {
                actions: &["route53:GetChange"],
                resources: Arns(&["arn:{p}:route53:::change/*"]),
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "route53:ChangeResourceRecordSets",
                    "route53:ListResourceRecordSets",
                ],
                resources: Input(Scoped {
                    scope: &ZONES,
                    service: None,
                    suffix: "",
                }),
                conditions: &[cond(
                    "ForAllValues:StringEquals",
                    "route53:ChangeResourceRecordSetsRecordTypes",
                    &["TXT"],
                )],
                when: When::Always,
            },
            Statement {
                actions: &["route53:ListHostedZonesByName"],
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
        "cert-manager may change TXT records in every hosted zone: list the zones in hostedZoneArns",
};
