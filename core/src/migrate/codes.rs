//! Every MIG code: what can block or endanger a move between IRSA and EKS Pod
//! Identity, found before anything changes. Same shape as the checker's
//! rules ([`crate::rules::Rule`]); `tests/fixtures/migrate/` holds a trigger
//! and a near miss for each. A released code never changes meaning.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Rule;

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

/// Every MIG code.
pub const MIG_CODES: &[Rule] = &[
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
        code: "MIG020",
        severity: Severity::Error,
        title: "ServiceAccount pattern (associations need names)",
        explanation: "An IRSA trust can admit ServiceAccounts by pattern (`StringLike` on `sub`), but a Pod Identity association names exactly one namespace and ServiceAccount. A binding whose namespace is a pattern, or whose ServiceAccount pattern matches none of the ServiceAccounts and workloads given, cannot be turned into associations.",
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
];

/// The MIG rule of that code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    MIG_CODES.iter().find(|r| r.code == code)
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
