//! Pins of every add-on's policy: one snapshot per add-on and release (its
//! upstream source, its actions, resources and conditions), so that a change
//! of policy is a reviewed change, and the facts of the add-on issue asserted.

use super::AddonGrant;
use super::*;
use crate::aws::Partition;
use crate::policy::{OneOrMany, Statement as Generated};

fn cx(partition: Partition, region: &'static str) -> Context<'static> {
    Context {
        partition,
        region,
        account: "111122223333",
        cluster_name: Some("c1"),
    }
}

fn grant(name: &str) -> AddonGrant {
    AddonGrant {
        name: name.into(),
        ..AddonGrant::default()
    }
}

fn values(v: &OneOrMany) -> Vec<String> {
    match v {
        OneOrMany::One(s) => vec![s.clone()],
        OneOrMany::Many(m) => m.clone(),
    }
}

/// Every action of a policy.
fn actions(p: &AddonPolicy) -> Vec<String> {
    let mut all: Vec<String> = p
        .statements
        .iter()
        .flat_map(|s| values(&s.action))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The statements granting an action.
fn granting<'a>(p: &'a AddonPolicy, action: &str) -> Vec<&'a Generated> {
    p.statements
        .iter()
        .filter(|s| values(&s.action).iter().any(|a| a == action))
        .collect()
}

fn text(p: &AddonPolicy) -> String {
    serde_json::to_string(&p.statements).unwrap() + &p.managed_policy_arns.join(",")
}

/// One line per statement: actions, resources, conditions.
fn pin(addon: &Addon, range: &str, release: &Release) -> String {
    let p = policy_of(
        release,
        &grant(addon.name),
        &cx(Partition::Aws, "us-west-2"),
    );
    let mut out = format!(
        "{} {range}\nupstream: {} {} ({})\n",
        addon.name, release.upstream.project, release.upstream.file, release.upstream.release
    );
    for s in &p.statements {
        out.push_str(&format!(
            "- {}\n  on {}\n",
            values(&s.action).join(" "),
            s.resource
                .as_ref()
                .map(values)
                .unwrap_or_default()
                .join(" ")
        ));
        for (op, keys) in &s.condition {
            for (key, v) in keys {
                out.push_str(&format!("  if {op} {key} = {}\n", values(v).join(" | ")));
            }
        }
    }
    for m in &p.managed_policy_arns {
        out.push_str(&format!("- attach {m}\n"));
    }
    for w in &p.wildcards {
        out.push_str(&format!("! {w}\n"));
    }
    out
}

#[test]
fn every_release_of_every_addon_is_pinned() {
    for addon in ADDONS {
        for (range, release) in addon.release_ranges() {
            let name = format!("{}@{}", addon.name, release.upstream.release);
            insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
                insta::assert_snapshot!(name, pin(addon, &range, release));
            });
        }
    }
}

#[test]
fn declarations_are_whole() {
    let mut names: Vec<&str> = ADDONS.iter().map(|a| a.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ADDONS.len(), "names are unique");
    for a in ADDONS {
        assert!(!a.releases.is_empty(), "{}", a.name);
        let sinces: Vec<_> = a.releases.iter().map(|r| r.since).collect();
        assert!(
            sinces.windows(2).all(|w| w[0] < w[1]),
            "{}: oldest first",
            a.name
        );
        for r in a.releases {
            assert!(!r.upstream.release.is_empty() && !r.upstream.file.is_empty());
            assert!(
                !r.statements.is_empty() || !r.managed_policies.is_empty(),
                "{}",
                a.name
            );
            for st in r.statements {
                assert!(!st.actions.is_empty(), "{}", a.name);
                // An input a statement reads is one the add-on takes.
                match st.resources {
                    Resources::Input(s) => {
                        assert!(a.inputs.contains(&s.scope.input), "{}", a.name);
                        assert!(
                            !s.scope.without.is_empty(),
                            "{}: say what stays wide",
                            a.name
                        );
                    }
                    Resources::Given(i) => assert!(a.inputs.contains(&i), "{}", a.name),
                    Resources::Star | Resources::Arns(_) => {}
                }
            }
        }
    }
}

#[test]
fn every_addon_is_whole_in_every_partition() {
    let partitions = [
        (Partition::Aws, "us-west-2"),
        (Partition::AwsCn, "cn-north-1"),
        (Partition::AwsUsGov, "us-gov-west-1"),
        (Partition::AwsIso, "us-iso-east-1"),
        (Partition::AwsIsoB, "us-isob-east-1"),
    ];
    for a in ADDONS {
        for (p, region) in partitions {
            let pol = policy(&grant(a.name), &cx(p, region)).unwrap();
            let t = text(&pol);
            for left in ["{p}", "{region}", "{account}", "{cluster}", "{sp:", "{sps:"] {
                assert!(!t.contains(left), "{}: {left} left in {t}", a.name);
            }
            assert!(!t.contains("CLUSTER_NAME"), "{}", a.name);
            for arn in t.split('"').filter(|s| s.starts_with("arn:")) {
                assert!(arn.starts_with(&format!("arn:{p}:")), "{}: {arn}", a.name);
            }
        }
    }
}

#[test]
fn service_principals_follow_aws_in_each_partition() {
    let cn = cx(Partition::AwsCn, "cn-north-1");
    let lbc = policy(&grant("aws-load-balancer-controller"), &cn).unwrap();
    assert!(text(&lbc).contains("\"elasticloadbalancing.amazonaws.com\""));
    let gw = text(&policy(&grant("aws-gateway-controller"), &cn).unwrap());
    assert!(gw.contains("aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice"));
    assert!(gw.contains("\"delivery.logs.amazonaws.com\"") && !gw.contains("amazonaws.com.cn"));
    let fsx = text(&policy(&grant("fsx-lustre-csi"), &cn).unwrap());
    assert!(fsx.contains("\"fsx.amazonaws.com\"") && !fsx.contains("amazonaws.com.cn"));
    // Karpenter passes its node role to EC2 under both of China's names, and one elsewhere.
    for (p, region, want) in [
        (
            Partition::AwsCn,
            "cn-north-1",
            vec!["ec2.amazonaws.com", "ec2.amazonaws.com.cn"],
        ),
        (Partition::Aws, "us-east-1", vec!["ec2.amazonaws.com"]),
        (
            Partition::AwsIso,
            "us-iso-east-1",
            vec!["ec2.amazonaws.com"],
        ),
    ] {
        for version in ["0.37.2", "1.0.8", "1.14.0"] {
            let g = AddonGrant {
                version: Some(version.into()),
                ..grant("karpenter")
            };
            let pol = policy(&g, &cx(p, region)).unwrap();
            let pass = granting(&pol, "iam:PassRole");
            let cond = &pass[0].condition["StringEquals"]["iam:PassedToService"];
            assert_eq!(values(cond), want, "{p} {version}");
        }
    }
}

#[test]
fn karpenter_follows_the_release_people_run() {
    let aws = cx(Partition::Aws, "us-west-2");
    let of = |v: Option<&str>| {
        let g = AddonGrant {
            version: v.map(Into::into),
            ..grant("karpenter")
        };
        actions(&policy(&g, &aws).unwrap())
    };
    let current = of(None);
    for a in [
        "ec2:DescribeInstanceStatus",
        "ec2:DescribePlacementGroups",
        "arc-zonal-shift:GetManagedResource",
        "iam:ListInstanceProfiles",
    ] {
        assert!(current.contains(&a.to_string()), "{a}");
        assert!(!of(Some("0.37")).contains(&a.to_string()), "{a}");
    }
    assert_eq!(of(Some("v1.14.2")), current);
    assert!(of(Some("1.2")).contains(&"ec2:DescribeAvailabilityZones".to_string()));
    let karpenter = find("karpenter").unwrap();
    assert!(karpenter
        .release(Some("0.32"))
        .unwrap_err()
        .contains("from 0.33 on"));
    assert!(karpenter.release(Some("latest")).is_err());
    let placement = policy(&grant("karpenter"), &aws).unwrap();
    let run = granting(&placement, "ec2:RunInstances");
    assert!(values(run[0].resource.as_ref().unwrap())
        .contains(&"arn:aws:ec2:us-west-2:*:placement-group/*".to_string()));
    // v0.3x tags nothing with eks:eks-cluster-name; v1 requires it.
    let t = text(
        &policy(
            &AddonGrant {
                version: Some("0.36".into()),
                ..grant("karpenter")
            },
            &aws,
        )
        .unwrap(),
    );
    assert!(!t.contains("eks:eks-cluster-name"));
    assert!(text(&placement).contains("eks:eks-cluster-name"));
}

#[test]
fn the_stale_policies_of_the_issue_are_current() {
    let aws = cx(Partition::Aws, "us-west-2");
    let has = |name: &str, action: &str| {
        actions(&policy(&grant(name), &aws).unwrap()).contains(&action.to_string())
    };
    for action in [
        "tag:TagResources",
        "tag:UntagResources",
        "acm:ListCertificates",
    ] {
        assert!(has("aws-gateway-controller", action), "{action}");
    }
    assert!(has("velero", "s3:PutObjectTagging"));
    for action in [
        "ec2:CopyVolumes",
        "ec2:EnableFastSnapshotRestores",
        "ec2:LockSnapshot",
        "ec2:DescribeVolumeStatus",
        "ec2:DescribeInstanceTypes",
    ] {
        assert!(has("ebs-csi", action), "{action}");
    }
    // EBS: attach and modify are scoped, no longer `*`.
    let ebs = policy(&grant("ebs-csi"), &aws).unwrap();
    for s in granting(&ebs, "ec2:AttachVolume")
        .iter()
        .chain(&granting(&ebs, "ec2:ModifyVolume"))
    {
        assert!(!values(s.resource.as_ref().unwrap()).contains(&"*".to_string()));
    }
    assert!(!has("external-dns", "route53:ListTagsForResource"));
    assert!(has("external-dns", "route53:ListTagsForResources"));
    let cert = policy(&grant("cert-manager"), &aws).unwrap();
    let change = granting(&cert, "route53:ChangeResourceRecordSets");
    assert_eq!(
        values(
            &change[0].condition["ForAllValues:StringEquals"]
                ["route53:ChangeResourceRecordSetsRecordTypes"]
        ),
        ["TXT"]
    );
    assert!(has("efs-csi", "s3files:CreateAccessPoint"));
    // Cluster Autoscaler: any value of the discovery tag, not only `owned`.
    let ca = policy(&grant("cluster-autoscaler"), &aws).unwrap();
    let scale = granting(&ca, "autoscaling:SetDesiredCapacity");
    assert_eq!(
        values(&scale[0].condition["Null"]["aws:ResourceTag/k8s.io/cluster-autoscaler/c1"]),
        ["false"]
    );
    assert!(!scale[0].condition.contains_key("StringEquals"));
}

#[test]
fn missing_inputs_say_what_stays_wide_and_given_ones_narrow() {
    let aws = cx(Partition::Aws, "us-west-2");
    // Node Termination Handler without its queue: SQS on the account's queues, said so.
    let nth = policy(&grant("node-termination-handler"), &aws).unwrap();
    assert!(nth.wildcards.iter().any(|w| w.contains("queueArns")));
    let sqs = granting(&nth, "sqs:ReceiveMessage");
    assert_eq!(
        values(sqs[0].resource.as_ref().unwrap()),
        ["arn:aws:sqs:us-west-2:111122223333:*"]
    );
    let queued = AddonGrant {
        // Validation trims the values (generate.rs tests it, end to end).
        queue_arns: vec!["arn:aws:sqs:us-west-2:111122223333:nth".into()],
        ..grant("node-termination-handler")
    };
    let nth = policy(&queued, &aws).unwrap();
    assert!(!nth.wildcards.iter().any(|w| w.contains("queueArns")));
    assert_eq!(
        values(
            granting(&nth, "sqs:ReceiveMessage")[0]
                .resource
                .as_ref()
                .unwrap()
        ),
        ["arn:aws:sqs:us-west-2:111122223333:nth"]
    );
    // EFS file systems narrow EFS access points and leave S3 Files out.
    let efs = AddonGrant {
        file_system_arns: vec![
            "arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/fs-1".into(),
        ],
        ..grant("efs-csi")
    };
    let pol = policy(&efs, &aws).unwrap();
    assert!(granting(&pol, "s3files:CreateAccessPoint").is_empty());
    assert!(pol.wildcards.is_empty());
    // External Secrets: secrets only leaves Parameter Store out.
    let eso = AddonGrant {
        secret_arns: vec!["arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/*".into()],
        ..grant("external-secrets")
    };
    let pol = policy(&eso, &aws).unwrap();
    assert!(!text(&pol).contains("ssm:") && pol.wildcards.is_empty());
    assert_eq!(
        policy(&grant("external-secrets"), &aws)
            .unwrap()
            .wildcards
            .len(),
        2
    );
}

#[test]
fn given_scopes_replace_wildcards() {
    let cn = cx(Partition::AwsCn, "cn-north-1");
    let g = AddonGrant {
        hosted_zone_arns: vec!["arn:aws-cn:route53:::hostedzone/Z1".into()],
        ..grant("external-dns")
    };
    let pol = policy(&g, &cn).unwrap();
    assert!(pol.wildcards.is_empty());
    let t = text(&pol);
    assert!(t.contains("hostedzone/Z1") && !t.contains("hostedzone/*"));
    assert_eq!(
        policy(&grant("external-dns"), &cn).unwrap().wildcards.len(),
        1
    );
}
