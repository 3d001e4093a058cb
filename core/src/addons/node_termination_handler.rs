//! AWS Node Termination Handler: the queue-processor policy of its README.
//! In IMDS mode it reads no queue; in queue mode `queueArns` names it.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "node-termination-handler",
    summary: "AWS Node Termination Handler",
    inputs: &[I::Queues],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "aws/aws-node-termination-handler",
            file: "README.md (Queue Processor: set up IAM)",
            release: "v1.2x",
        },
        statements: &[
            Statement {
                actions: &[
                    "autoscaling:CompleteLifecycleAction",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeInstances",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["sqs:DeleteMessage", "sqs:ReceiveMessage"],
                resources: Input(Scoped {
                    scope: &QUEUES,
                    service: None,
                    suffix: "",
                }),
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the Node Termination Handler completes lifecycle actions of any Auto Scaling group, so its actions take `*`"],
    }],
};

const QUEUES: Scope = Scope {
    input: I::Queues,
    fallback: &["arn:{p}:sqs:{region}:{account}:*"],
    without: "the Node Termination Handler may receive and delete the messages of every queue of the account's region: name its queue in queueArns (queue mode)",
};
