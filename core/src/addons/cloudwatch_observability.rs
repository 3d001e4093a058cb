//! Amazon CloudWatch Observability (CloudWatch agent, Fluent Bit, X-Ray): the
//! AWS managed policies the EKS add-on's guide attaches.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "cloudwatch-observability",
    summary: "Amazon CloudWatch Observability (agent, Fluent Bit, X-Ray)",
    inputs: &[],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "aws/amazon-cloudwatch-agent-operator",
            file: "EKS add-on amazon-cloudwatch-observability: CloudWatchAgentServerPolicy, AWSXrayWriteOnlyAccess",
            release: "v4.x",
        },
        statements: &[],
        managed_policies: &[
            "arn:{p}:iam::aws:policy/CloudWatchAgentServerPolicy",
            "arn:{p}:iam::aws:policy/AWSXrayWriteOnlyAccess",
        ],
        stays_star: &["CloudWatch Observability uses the AWS managed policies CloudWatchAgentServerPolicy and AWSXrayWriteOnlyAccess, which grant on `*`"],
    }],
};
