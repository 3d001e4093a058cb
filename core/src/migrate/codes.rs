//! Every MIG code: what can block or endanger a move between IRSA and EKS Pod
//! Identity, found before anything changes. Same shape as the checker's
//! rules ([`crate::rules::Rule`]); `tests/fixtures/migrate/` holds a trigger
//! and a near miss for each. A released code never changes meaning.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Help;

/// The minimum SDK versions with the container credential provider that
/// EKS Pod Identity needs, as the EKS User Guide lists them
/// (<https://docs.aws.amazon.com/eks/latest/userguide/pod-id-minimum-sdk.html>).
pub const POD_IDENTITY_SDKS: &[(&str, &str)] = &[
    ("Java (v2)", "2.21.30"),
    ("Java (v1)", "1.12.746"),
    ("Go v1", "v1.47.11"),
    ("Go v2", "release-2023-11-14"),
    ("Python (Boto3)", "1.34.41"),
    ("Python (botocore)", "1.34.41"),
    ("AWS CLI v1", "1.30.0"),
    ("AWS CLI v2", "2.15.0"),
    ("JavaScript v2", "2.1550.0"),
    ("JavaScript v3", "v3.458.0"),
    ("Kotlin", "v1.0.1"),
    ("Ruby", "3.188.0"),
    ("Rust", "release-2024-03-13"),
    ("C++", "1.11.263"),
    (".NET", "3.7.734.0"),
    ("PowerShell", "4.1.502"),
    ("PHP", "3.287.1"),
];

/// The add-ons of the spec (`permissions.addons[].name`) that EKS also runs
/// as EKS add-ons, with the EKS add-on's name: their ServiceAccount is the
/// add-on's, and the add-on's own `podIdentityAssociations` (or
/// `serviceAccountRoleArn` for IRSA) say which role it uses (MIG013). From
/// the EKS User Guide's list of add-ons
/// (<https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html>).
pub const EKS_ADDONS: &[(&str, &str)] = &[
    ("vpc-cni", "vpc-cni"),
    ("ebs-csi", "aws-ebs-csi-driver"),
    ("efs-csi", "aws-efs-csi-driver"),
    ("mountpoint-s3-csi", "aws-mountpoint-s3-csi-driver"),
    (
        "cloudwatch-observability",
        "amazon-cloudwatch-observability",
    ),
];

crate::rules::rule_table! {
/// Every MIG code.
MIG_CODES;
/// What the findings of every MIG code carry, in the order of [`MIG_CODES`].
MIG_HELP;
    Rule {
        code: "MIG001",
        severity: Severity::Error,
        title: "The cluster is not named",
        explanation: "A migration works on one cluster: its Pod Identity associations are made on the cluster by name (`clusterName`), and its IRSA statements name the cluster's OIDC issuer (`cluster`). Without both the plan cannot say which statement is this cluster's or where the association goes.",
        example: "identityType: irsa\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE\n# no clusterName",
        fix: "Set `clusterName` to the EKS cluster's name and `cluster` to its OIDC issuer URL (`aws eks describe-cluster --name NAME --query cluster.identity.oidc.issuer`).",
        failure: None,
    },
    Rule {
        code: "MIG002",
        severity: Severity::Error,
        title: "Already on the target",
        explanation: "The spec's identityType is already the one asked for (`--to pod-identity` with `identityType: pod-identity`, `--to irsa` with `irsa`): there is nothing to migrate. A spec with `identityType: both` can go either way.",
        example: "identityType: pod-identity   # with --to pod-identity",
        fix: "Give the spec of the setup you have now (identityType `irsa` to move to Pod Identity, `pod-identity` to move back), or `both` mid-migration.",
        failure: None,
    },
    Rule {
        code: "MIG003",
        severity: Severity::Error,
        title: "Not this cluster's trust",
        explanation: "Planning from a trust file, the trust names no OIDC provider of the cluster being moved (`--issuer`): it is another cluster's role, or not an IRSA trust, and phases built for this cluster would change nothing it relies on.",
        example: "irsa-gen migrate --to pod-identity --trust other-cluster-role.json --issuer https://oidc.eks.REGION.amazonaws.com/id/ID",
        fix: "Give the issuer of the cluster whose pods use the role (`aws eks describe-cluster --query cluster.identity.oidc.issuer`).",
        failure: None,
    },
    Rule {
        code: "MIG010",
        severity: Severity::Error,
        title: "Workload on Fargate or Windows (no Pod Identity)",
        explanation: "EKS Pod Identity works through the Pod Identity Agent, a DaemonSet on Linux EC2 nodes: pods on Fargate and on Windows nodes cannot use it, and would lose their credentials once the ServiceAccount's annotation is removed. A pod runs on Fargate when `schedulerName: fargate-scheduler` or the `eks.amazonaws.com/fargate-profile` label says so; on Windows when its node selector asks for `kubernetes.io/os: windows`.",
        example: "spec:\n  nodeSelector:\n    kubernetes.io/os: windows",
        fix: "Keep this ServiceAccount on IRSA (leave it out of the migration), or move the workload to Linux EC2 nodes first.",
        failure: Some("the pod gets no credentials: NoCredentialProviders / Unable to locate credentials"),
    },
    Rule {
        code: "MIG011",
        severity: Severity::Warning,
        title: "Workload with hostNetwork",
        explanation: "A pod with `hostNetwork: true` shares its node's network namespace. It reaches the Pod Identity Agent's link-local address like any pod, but network policies and proxies that treat pod traffic differently from the node's (and node-level firewalls on 169.254.170.23 and fd00:ec2::23) decide whether it gets there: confirm with the verification step before removing IRSA.",
        example: "spec:\n  hostNetwork: true",
        fix: "Run phase 2's verification in the same namespace with `hostNetwork: true`, or keep this workload on IRSA.",
        failure: None,
    },
    Rule {
        code: "MIG012",
        severity: Severity::Error,
        title: "EKS Pod Identity is not available in China regions",
        explanation: "The EKS User Guide of the China regions (docs.amazonaws.cn, EKS Pod Identities) says Pod Identity is not available there and to use IAM roles for service accounts. A cluster of the `aws-cn` partition (cn-north-1 Beijing, cn-northwest-1 Ningxia) has no Pod Identity Agent add-on and no associations: a plan to Pod Identity would remove the only path its pods have.",
        example: "region: cn-north-1\nidentityType: irsa   # with --to pod-identity",
        fix: "Stay on IRSA in the China regions.",
        failure: None,
    },
    Rule {
        code: "MIG013",
        severity: Severity::Warning,
        title: "Role of an EKS add-on",
        explanation: "The binding grants an add-on that EKS runs as an EKS add-on (VPC CNI, EBS CSI, EFS CSI, Mountpoint for S3 CSI, CloudWatch Observability). The add-on's ServiceAccount belongs to the add-on: its role is set on the add-on, through `aws eks update-addon --pod-identity-associations serviceAccount=SA,roleArn=ARN` (which replaces the add-on's earlier associations) or `--service-account-role-arn` for IRSA. A standalone association or annotation made beside it is not the add-on's, and an add-on update can overwrite the annotation. Add-ons installed with Helm are not concerned.",
        example: "permissions:\n  addons:\n    - name: ebs-csi",
        fix: "Migrate the add-on's role through the add-on: `aws eks update-addon --cluster-name CLUSTER --addon-name NAME --pod-identity-associations serviceAccount=SA,roleArn=ARN` (back to IRSA: `--service-account-role-arn ARN` and `--pod-identity-associations '[]'`), keeping the plan's trusts for the role.",
        failure: None,
    },
    Rule {
        code: "MIG020",
        severity: Severity::Error,
        title: "ServiceAccount pattern (associations and annotations need names)",
        explanation: "A trust can admit ServiceAccounts by pattern (`StringLike` on `sub`, or on the `kubernetes-service-account` session tag), but a Pod Identity association names exactly one namespace and ServiceAccount, and so does the IRSA annotation (`eks.amazonaws.com/role-arn` on each ServiceAccount). A binding whose namespace is a pattern, or whose ServiceAccount pattern matches none of the ServiceAccounts and workloads given, cannot be turned into associations (to Pod Identity) nor into annotated ServiceAccounts (back to IRSA: the trust would admit them, but no pod would carry the annotation once the associations are deleted). Going back from a trust file (`--trust`), a Pod Identity statement without an exact namespace and ServiceAccount gives no names for the OIDC statement either.",
        example: "namespace: team-*\nserviceAccount: reader",
        fix: "Give the ServiceAccounts (or the workloads) the pattern stands for after the spec, or list them as names in the binding.",
        failure: None,
    },
    Rule {
        code: "MIG021",
        severity: Severity::Warning,
        title: "ServiceAccount pattern stands for the names given",
        explanation: "The binding admits ServiceAccounts by pattern; the files given name the ones it matches, and each gets its association. Phase 3 removes the OIDC statement, and with it IRSA for every ServiceAccount the pattern admits: one the files did not show loses its credentials.",
        example: "serviceAccount: \"s3-*\"   # with ServiceAccounts s3-reader and s3-auditor given",
        fix: "Confirm the list is complete (`kubectl get serviceaccounts -n NAMESPACE`) before phase 3, or give every ServiceAccount's manifest.",
        failure: None,
    },
    Rule {
        code: "MIG022",
        severity: Severity::Error,
        title: "Not a Pod Identity trust of this cluster",
        explanation: "Going back to IRSA from a trust file (`--trust --to irsa`), the trust has no statement that admits `pods.eks.amazonaws.com` to `sts:AssumeRole` for this cluster (unscoped, or scoped by `aws:RequestTag/eks-cluster-arn` to `--cluster-arn`): it is not a Pod Identity role of this cluster (another cluster's, an IRSA-only role, a role for another service or a role chained to through `targetRoleArn`), and a plan would move nothing.",
        example: "{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}",
        fix: "Give the trust of the role the cluster's associations use (`aws eks describe-pod-identity-association` shows its roleArn; `aws iam get-role --query Role.AssumeRolePolicyDocument`) and the cluster's ARN.",
        failure: None,
    },
    Rule {
        code: "MIG030",
        severity: Severity::Info,
        title: "Role trusted by other clusters (kept)",
        explanation: "The role's trust also names other clusters' OIDC providers (`additionalClusters`). Phase 3 removes only this cluster's statement; the others are kept in every phase, so those clusters' pods keep their access. Migrate each of them with its own plan.",
        example: "cluster: https://oidc.eks.us-west-2.amazonaws.com/id/AAAA\nadditionalClusters: [https://oidc.eks.us-west-2.amazonaws.com/id/BBBB]",
        fix: "Nothing to do for this cluster; run `irsa-gen migrate` for each other cluster when its turn comes.",
        failure: None,
    },
    Rule {
        code: "MIG031",
        severity: Severity::Warning,
        title: "Pod Identity statement not scoped to this cluster (kept)",
        explanation: "Going back to IRSA, the role's Pod Identity statement names no cluster (`aws:RequestTag/eks-cluster-arn`), so other clusters' associations may use it. Removing it could cut them off: the plan keeps it.",
        example: "\"Condition\": {\"StringEquals\": {\"aws:RequestTag/kubernetes-namespace\": \"prod\"}}",
        fix: "Once `aws eks list-pod-identity-associations` shows no association using the role in any cluster, remove the statement by hand.",
        failure: None,
    },
    Rule {
        code: "MIG032",
        severity: Severity::Info,
        title: "Role trusted by providers of several accounts (kept)",
        explanation: "The trust names OIDC providers of more than one account. STS looks a token's provider up in the role's own account only, so the statements naming another account's provider admit nothing; the plan neither relies on them nor removes them.",
        example: "\"Federated\": \"arn:aws:iam::444455556666:oidc-provider/oidc.eks...\"   # in a role of 111122223333",
        fix: "Nothing for the migration; remove the other accounts' statements when you clean the trust up (a role in another account is reached by role chaining: an association's targetRoleArn).",
        failure: None,
    },
    Rule {
        code: "MIG033",
        severity: Severity::Error,
        title: "OIDC provider in another account than the cluster (role chaining)",
        explanation: "Planning from a trust file, this cluster's OIDC provider is registered in another account than the cluster (`--cluster-arn`): the role lives in that other account. A Pod Identity association is made in the cluster's account and EKS first assumes its role (`roleArn`) in that account; a role in another account is reached by role chaining (`targetRoleArn`), which needs a second role in the cluster's account. Widening this trust for `pods.eks.amazonaws.com` is not that setup: without the role's ARN the plan is not written.",
        example: "\"Federated\": \"arn:aws:iam::444455556666:oidc-provider/oidc.eks...\"   # with --cluster-arn arn:aws:eks:us-west-2:111122223333:cluster/prod",
        fix: "Give the role's ARN: `irsa-gen migrate --to pod-identity --trust role.json --issuer URL --cluster-arn ARN --target-role-arn arn:aws:iam::444455556666:role/NAME` plans the chain (MIG034): a source role in the cluster's account, the target role's trust admitting it, the associations with `--target-role-arn`.",
        failure: None,
    },
    Rule {
        code: "MIG034",
        severity: Severity::Info,
        title: "Role of another account reached by role chaining (planned)",
        explanation: "The role is in another account than the cluster. EKS Pod Identity needs a role in the cluster's account (the association's `roleArn`, because of iam:PassRole), so the plan makes a source role there, trusted by `pods.eks.amazonaws.com` (sts:AssumeRole, sts:TagSession, scoped to the cluster's ARN, namespace and ServiceAccount) and allowed to sts:AssumeRole and sts:TagSession on the target role. Phase 1 adds to the target role's trust a statement admitting the source role (the same two actions) beside the OIDC statement, phase 2 creates the associations with `--target-role-arn` (EKS assumes the source role, then the target role from it; the SDK gets the target role's credentials, which the agent caches for 59 minutes), phase 3 removes only this cluster's OIDC statement.",
        example: "aws eks create-pod-identity-association ... --role-arn arn:aws:iam::111122223333:role/s3-writer-pod-identity --target-role-arn arn:aws:iam::444455556666:role/s3-writer",
        fix: "Run the phases with two AWS CLI profiles (CLUSTER_PROFILE, TARGET_PROFILE); name the source role with --source-role-name if the derived `TARGET-pod-identity` does not suit.",
        failure: None,
    },
    Rule {
        code: "MIG035",
        severity: Severity::Error,
        title: "Role chain that cannot be planned",
        explanation: "The chain's roles do not fit: `--target-role-arn` is no IAM role ARN, is a role of the cluster's own account or of another partition, is not in the account whose OIDC provider the trust names, the source role name is no IAM role name, (going back) the target trust admits no single role of the cluster's account to use as the source, or a spec whose roles are in another account than its cluster (`clusterAccountId`) has several bindings (each role is its own chain).",
        example: "--target-role-arn arn:aws:iam::111122223333:role/s3-writer   # the cluster's own account",
        fix: "Give the ARN of the role whose trust is planned, in its own account; going back, name the source role with --source-role-name when the target trust admits several.",
        failure: None,
    },
    Rule {
        code: "MIG036",
        severity: Severity::Info,
        title: "Source role made; the external ID can scope the target further",
        explanation: "An association with a target role gets a unique `externalId` (printed by `aws eks describe-pod-identity-association`), which EKS passes when it assumes the target role. The plan's statement admitting the source role does not require it, because it is known only after phase 2 creates the association; adding `\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": ID}}` to that statement lets only this association assume the target (the confused deputy problem). A target role used by several associations needs one statement per external ID.",
        example: "aws eks describe-pod-identity-association --cluster-name prod --association-id a-... --query association.externalId",
        fix: "Optional: after phase 2, add the external ID condition to the target trust's statement for the source role.",
        failure: None,
    },
    Rule {
        code: "MIG037",
        severity: Severity::Info,
        title: "Going back from a target role: the provider in its account, the source role left",
        explanation: "Going back to IRSA, the pods assume the target role directly, so its trust needs this cluster's OIDC statement, naming the IAM OIDC provider of the cluster's issuer in the target role's own account (STS looks the provider up there): phase 1 creates that provider if it is missing. The associations are deleted in phase 2, after the trust and the annotations are in place. The source role in the cluster's account, and the target trust's statement admitting it, may serve other associations: the plan leaves them.",
        example: "aws iam create-open-id-connect-provider --url https://oidc.eks.us-west-2.amazonaws.com/id/... --client-id-list sts.amazonaws.com   # in the target's account",
        fix: "Once no association names the source role in any cluster, delete it (aws iam delete-role) and the target trust's statement admitting it.",
        failure: None,
    },
    Rule {
        code: "MIG040",
        severity: Severity::Info,
        title: "Session tags scope the trust",
        explanation: "The Pod Identity statement admits the role only when EKS's session tags (kubernetes-namespace, kubernetes-service-account, eks-cluster-arn) match, so every association must keep session tags on. Six tags are added to each session; with long names and an association `policy` the packed size can exceed STS's limit (PackedPolicyTooLarge).",
        example: "aws eks create-pod-identity-association ... --disable-session-tags",
        fix: "Create the associations without `--disable-session-tags` (the plan does); if EKS reports PackedPolicyTooLarge, shorten the association's session policy.",
        failure: Some("PackedPolicyTooLarge"),
    },
    Rule {
        code: "MIG050",
        severity: Severity::Info,
        title: "SDK minimum versions for Pod Identity",
        explanation: "Pods get Pod Identity credentials through the SDK's container credential provider, which older SDKs lack; they would find no credentials after the cut-over. The minimum versions are the EKS User Guide's.",
        example: "boto3==1.28.0",
        fix: "Confirm every container of the workloads uses at least the versions listed (the verification pod uses the AWS CLI, which is recent enough).",
        failure: Some("NoCredentialProviders / Unable to locate credentials"),
    },
    Rule {
        code: "MIG060",
        severity: Severity::Error,
        title: "A trust the plan cannot read",
        explanation: "Planning from a Terraform file, a CloudFormation template or a dump, the plan reads which providers a role's web-identity and Pod Identity statements name, their `sub` and session-tag conditions. A value its tool computes there (`var.x`, `aws_iam_openid_connect_provider.eks.arn`, `${local.oidc}:sub`, `!Sub`, `!Ref`, `<ACCOUNT_ID>`), a trust held elsewhere (a data source, `file()`, `jsonencode(local.x)`) or a text that is not JSON could be this cluster's or another's: a plan built on a guess could leave a cluster out or a ServiceAccount without a path, so none is made. A provider ARN whose account alone is a placeholder is read (its host and path say which cluster it is), and statements of other principals are kept as written.",
        example: "assume_role_policy = jsonencode({\n  Statement = [{\n    Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }\n    Condition = { StringEquals = { \"${local.oidc}:sub\" = \"system:serviceaccount:a:b\" } }\n  }]\n})",
        fix: "Give the trust as AWS holds it (`aws iam get-role --role-name NAME > role.json`, then `--trust role.json`), or write the values the plan names literally in the file.",
        failure: None,
    },
    Rule {
        code: "MIG061",
        severity: Severity::Error,
        title: "Which role?",
        explanation: "`--role NAME` picks one role of a file that has several (a Terraform resource by its label, address or `name`, a CloudFormation logical ID or `RoleName`, a dump's role name). A name no role has, or one that several have, leaves the plan without its role; so does a file with no role trust at all.",
        example: "irsa-gen migrate --to pod-identity --trust main.tf --role missing --issuer URL",
        fix: "Give one of the names the finding lists (`aws_iam_role.app` rather than a `name` two roles share), or leave `--role` out to plan every role of this cluster.",
        failure: None,
    },
    Rule {
        code: "MIG062",
        severity: Severity::Info,
        title: "Roles left as they are",
        explanation: "The file has roles whose trust names neither this cluster's OIDC provider (going to Pod Identity) nor the Pod Identity service (going back): node roles, other clusters' roles, other services'. Their trusts are kept byte for byte in every phase file.",
        example: "resource \"aws_iam_role\" \"nodes\" { assume_role_policy = jsonencode({ ... ec2.amazonaws.com ... }) }",
        fix: "Nothing to do; to move a role of another cluster, plan that cluster's move with its own `--issuer`.",
        failure: None,
    },
}

/// The MIG rule of that code, as its findings carry it.
pub fn rule(code: &str) -> Option<&'static Help> {
    MIG_HELP.iter().find(|r| r.code == code)
}

/// A finding of a MIG code, with its registered severity and fix.
pub fn diagnostic(code: &str, message: impl Into<String>) -> Diagnostic {
    let (severity, fix, failure) = rule(code).map_or((Severity::Error, "", None), |r| {
        (r.severity, r.fix, r.failure)
    });
    let d = Diagnostic::new(code, severity, message, fix);
    match failure {
        Some(f) => d.failure(f),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `MIG_HELP` is `MIG_CODES` as their findings carry them: same codes,
    /// same order, the same severity, fix and failure.
    #[test]
    fn help_is_the_codes_as_findings_carry_them() {
        assert_eq!(crate::rules::carried(MIG_CODES), MIG_HELP);
    }
}
