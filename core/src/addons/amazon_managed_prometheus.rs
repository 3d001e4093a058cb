//! Amazon Managed Service for Prometheus: ingest and query, as the AWS guide
//! to IRSA for AMP grants them.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "amazon-managed-prometheus",
    summary: "Amazon Managed Service for Prometheus ingest and query",
    inputs: &[I::Workspaces],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "AWS documentation (Amazon Managed Service for Prometheus)",
            file: "prometheus/latest/userguide/set-up-irsa.html (terraform-aws-modules v6 amazon_managed_service_prometheus)",
            release: "2026",
        },
        statements: &[Statement {
            actions: &[
                "aps:RemoteWrite",
                "aps:QueryMetrics",
                "aps:GetSeries",
                "aps:GetLabels",
                "aps:GetMetricMetadata",
            ],
            resources: Input(Scoped {
                scope: &WORKSPACES,
                service: None,
                suffix: "",
            }),
            ..Statement::STAR
        }],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const WORKSPACES: Scope = Scope {
    input: I::Workspaces,
    fallback: &["*"],
    without: "Prometheus may write to and query every workspace: list them in workspaceArns",
};
