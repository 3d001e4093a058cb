//! The inputs of add-ons: the ARN lists of `permissions.addons[]` that narrow
//! an add-on's resources, each with the kind of ARN it takes.

use crate::aws::{Arn, Partition};

/// An input list of an add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddonInput {
    /// `hostedZoneArns`
    HostedZones,
    /// `bucketArns`
    Buckets,
    /// `kmsKeyArns`
    KmsKeys,
    /// `fileSystemArns`
    FileSystems,
    /// `secretArns`
    Secrets,
    /// `parameterArns`
    Parameters,
    /// `queueArns`
    Queues,
    /// `workspaceArns`
    Workspaces,
    /// `nodeRoleArns`
    NodeRoles,
    /// `targetGroupArns`
    TargetGroups,
    /// `certificateAuthorityArns`
    CertificateAuthorities,
}

/// What an input is: its field and the ARNs it takes.
struct InputFacts {
    field: &'static str,
    /// An example ARN (`{p}` is the partition).
    example: &'static str,
    /// The services whose ARNs it takes.
    services: &'static [&'static str],
    /// The resource must start with this (`""`: any resource).
    resource_prefix: &'static str,
}

use AddonInput as I;

impl AddonInput {
    /// The facts of this input (one arm per input: the table of inputs).
    fn facts(self) -> InputFacts {
        match self {
            I::HostedZones => InputFacts {
                field: "hostedZoneArns",
                example: "arn:{p}:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
                services: &["route53"],
                resource_prefix: "hostedzone/",
            },
            I::Buckets => InputFacts {
                field: "bucketArns",
                example: "arn:{p}:s3:::my-bucket",
                services: &["s3"],
                resource_prefix: "",
            },
            I::KmsKeys => InputFacts {
                field: "kmsKeyArns",
                example: "arn:{p}:kms:REGION:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                services: &["kms"],
                resource_prefix: "",
            },
            I::FileSystems => InputFacts {
                field: "fileSystemArns",
                example: "arn:{p}:elasticfilesystem:REGION:111122223333:file-system/fs-0123456789abcdef0",
                services: &["elasticfilesystem", "s3files", "fsx"],
                resource_prefix: "file-system/",
            },
            I::Secrets => InputFacts {
                field: "secretArns",
                example: "arn:{p}:secretsmanager:REGION:111122223333:secret:prod/*",
                services: &["secretsmanager"],
                resource_prefix: "secret:",
            },
            I::Parameters => InputFacts {
                field: "parameterArns",
                example: "arn:{p}:ssm:REGION:111122223333:parameter/prod/*",
                services: &["ssm"],
                resource_prefix: "parameter/",
            },
            I::Queues => InputFacts {
                field: "queueArns",
                example: "arn:{p}:sqs:REGION:111122223333:my-queue",
                services: &["sqs"],
                resource_prefix: "",
            },
            I::Workspaces => InputFacts {
                field: "workspaceArns",
                example: "arn:{p}:aps:REGION:111122223333:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef",
                services: &["aps"],
                resource_prefix: "workspace/",
            },
            I::NodeRoles => InputFacts {
                field: "nodeRoleArns",
                example: "arn:{p}:iam::111122223333:role/KarpenterNodeRole",
                services: &["iam"],
                resource_prefix: "role/",
            },
            I::TargetGroups => InputFacts {
                field: "targetGroupArns",
                example: "arn:{p}:elasticloadbalancing:REGION:111122223333:targetgroup/my-targets/0123456789abcdef",
                services: &["elasticloadbalancing"],
                resource_prefix: "targetgroup/",
            },
            I::CertificateAuthorities => InputFacts {
                field: "certificateAuthorityArns",
                example: "arn:{p}:acm-pca:REGION:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012",
                services: &["acm-pca"],
                resource_prefix: "certificate-authority/",
            },
        }
    }
}

impl AddonInput {
    /// Every input, in spec field order.
    pub const ALL: [AddonInput; 11] = [
        I::HostedZones,
        I::Buckets,
        I::KmsKeys,
        I::FileSystems,
        I::Secrets,
        I::Parameters,
        I::Queues,
        I::Workspaces,
        I::NodeRoles,
        I::TargetGroups,
        I::CertificateAuthorities,
    ];

    /// The spec field.
    pub fn field(self) -> &'static str {
        self.facts().field
    }

    /// An example ARN, for help texts.
    pub fn example(self, partition: Partition) -> String {
        self.facts().example.replace("{p}", partition.as_str())
    }

    /// What is wrong with one value of this input, if anything.
    pub fn problem(self, arn: &str, partition: Partition) -> Option<String> {
        let Some(a) = Arn::parse(arn) else {
            return Some(format!("`{}` is not an ARN", arn.escape_default()));
        };
        if a.partition != partition.as_str() {
            return Some(format!(
                "`{arn}` is in partition `{}`, but the region is in `{partition}`",
                a.partition
            ));
        }
        if !crate::aws::is_policy_text(arn) || arn.contains(char::is_whitespace) {
            return Some(format!(
                "`{}` has spaces or characters a policy cannot hold",
                arn.escape_default()
            ));
        }
        let f = self.facts();
        let bucket_shape = self != I::Buckets
            || (a.region.is_empty() && a.account.is_empty() && !a.resource.contains('/'));
        let ok = f.services.contains(&a.service)
            && !a.resource.is_empty()
            && a.resource.starts_with(f.resource_prefix)
            && bucket_shape
            && (self != I::KmsKeys
                || a.resource.starts_with("key/")
                || a.resource.starts_with("alias/"));
        (!ok).then(|| {
            format!(
                "`{arn}` is not the kind of ARN `{}` takes (e.g. {})",
                self.field(),
                self.example(partition)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_input_takes_its_kind_of_arn() {
        let p = Partition::Aws;
        for input in AddonInput::ALL {
            assert_eq!(input.problem(&input.example(p), p), None, "{input:?}");
            assert!(input.problem("arn:aws:sns:us-east-1:1:t", p).is_some());
        }
        let fs = AddonInput::FileSystems;
        for ok in [
            "arn:aws:s3files:us-east-1:111122223333:file-system/fs-0123456789abcdef0",
            "arn:aws:fsx:us-east-1:111122223333:file-system/fs-0123456789abcdef0",
        ] {
            assert_eq!(fs.problem(ok, p), None, "{ok}");
        }
        // Near misses: a bucket's objects, an access point, a key in another partition.
        assert!(AddonInput::Buckets
            .problem("arn:aws:s3:::b/objects", p)
            .is_some());
        assert!(fs
            .problem(
                "arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1",
                p
            )
            .is_some());
        assert!(AddonInput::KmsKeys
            .problem("arn:aws-cn:kms:cn-north-1:1:key/k", p)
            .is_some());
        assert!(AddonInput::KmsKeys
            .problem("arn:aws:kms:us-east-1:1:grant/k", p)
            .is_some());
    }
}
