//! External Secrets Operator with AWS Secrets Manager and Parameter Store:
//! the provider pages' policies (as terraform-aws-modules v6 writes them).
//! Listing only secrets (or only parameters) leaves the other store out.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "external-secrets",
    summary: "External Secrets Operator (Secrets Manager, SSM)",
    inputs: &[I::Secrets, I::Parameters, I::KmsKeys],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "external-secrets/external-secrets",
            file: "docs/provider/aws-secrets-manager.md, docs/provider/aws-parameter-store.md (terraform-aws-modules v6 external_secrets)",
            release: "v0.1x",
        },
        statements: &[
            Statement {
                actions: &["ssm:DescribeParameters"],
                when: PARAMETERS,
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "ssm:GetParameter",
                    "ssm:GetParameters",
                    "ssm:GetParametersByPath",
                ],
                resources: Input(Scoped {
                    scope: &PARAMETER_SCOPE,
                    service: None,
                    suffix: "",
                }),
                conditions: &[],
                when: PARAMETERS,
            },
            Statement {
                actions: &[
                    "secretsmanager:ListSecrets",
                    "secretsmanager:BatchGetSecretValue",
                ],
                when: SECRETS,
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "secretsmanager:GetResourcePolicy",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:ListSecretVersionIds",
                ],
                resources: Input(Scoped {
                    scope: &SECRET_SCOPE,
                    service: None,
                    suffix: "",
                }),
                conditions: &[],
                when: SECRETS,
            },
            Statement {
                actions: &["kms:Decrypt"],
                resources: Given(I::KmsKeys),
                conditions: &[],
                when: When::Always,
            },
        ],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const PARAMETERS: When = When::GivenOrNeither {
    own: I::Parameters,
    other: I::Secrets,
};
const SECRETS: When = When::GivenOrNeither {
    own: I::Secrets,
    other: I::Parameters,
};
const PARAMETER_SCOPE: Scope = Scope {
    input: I::Parameters,
    fallback: &["arn:{p}:ssm:{region}:{account}:parameter/*"],
    without: "External Secrets may read every parameter of the account's region: list them in parameterArns (or list only secretArns)",
};
const SECRET_SCOPE: Scope = Scope {
    input: I::Secrets,
    fallback: &["arn:{p}:secretsmanager:{region}:{account}:secret:*"],
    without: "External Secrets may read every secret of the account's region: list them in secretArns (or list only parameterArns)",
};
