//! What is found before anything changes (the MIG codes of `codes.rs`): an
//! error blocks the plan, a warning or a note is said beside it.

use crate::diagnostic::Diagnostic;
use crate::model::{is_pattern, Binding, ValidSpec};
use crate::source::{FieldPath, Span};
use crate::spec::IdentityType;
use crate::trust::wildcard_match;

use super::codes::{diagnostic, POD_IDENTITY_SDKS};
use super::workloads::{Workload, SERVICE_ACCOUNT};
use super::Direction;

/// Every finding for this spec, direction and set of workloads, in the order
/// of the spec: the spec's own, then each binding's, then the notes.
pub fn findings(spec: &ValidSpec, direction: Direction, workloads: &[Workload]) -> Vec<Diagnostic> {
    let mut out = spec_findings(spec, direction);
    for (i, b) in spec.bindings.iter().enumerate() {
        let at = |d: Diagnostic| d.at_path(&FieldPath::root().key("bindings").index(i));
        if direction == Direction::ToPodIdentity && b.is_pattern() {
            let who = format!("{}/{}", b.namespace, b.service_accounts.join(", "));
            out.push(at(match named(b, workloads) {
                None => diagnostic("MIG020", format!("binding `{who}` names ServiceAccounts by pattern, and the files given name none it matches; a Pod Identity association names one namespace and ServiceAccount")),
                Some(names) => diagnostic("MIG021", format!("binding `{who}` stands for `{}` among the files given: associations are made for those; after phase 3 any other ServiceAccount the pattern admits has no credentials", names.join("`, `"))),
            }));
        }
        if direction == Direction::ToPodIdentity {
            out.extend(workload_findings(b, workloads));
        }
    }
    if spec.issuers.len() > 1 {
        let others: Vec<&str> = spec
            .issuers
            .iter()
            .skip(1)
            .map(|i| i.host_path.as_str())
            .collect();
        out.push(diagnostic("MIG030", format!(
            "the roles also trust {} other cluster(s) ({}); their statements are kept in every phase",
            others.len(),
            others.join(", ")
        )).at_path(&key("additionalClusters")));
    }
    if direction == Direction::ToPodIdentity {
        out.push(diagnostic("MIG040", "the Pod Identity statements admit the roles through EKS's session tags (kubernetes-namespace, kubernetes-service-account, eks-cluster-arn): the associations keep session tags on"));
        let sdks: Vec<String> = POD_IDENTITY_SDKS
            .iter()
            .map(|(sdk, v)| format!("{sdk} {v}"))
            .collect();
        out.push(diagnostic(
            "MIG050",
            format!(
                "confirm the workloads' AWS SDKs are at least: {}",
                sdks.join(", ")
            ),
        ));
    } else if spec.identity_type == IdentityType::PodIdentity {
        out.push(diagnostic("MIG031", "the roles' Pod Identity statements name no cluster, so other clusters' associations may use them: phase 3 keeps them").at_path(&key("identityType")));
    }
    out
}

/// The spec as a whole: the cluster named both ways (MIG001), not already there (MIG002).
fn spec_findings(spec: &ValidSpec, direction: Direction) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if spec.cluster_name.is_none() {
        out.push(
            diagnostic(
                "MIG001",
                "clusterName is missing: the associations are made on the cluster by name",
            )
            .at_path(&key("clusterName")),
        );
    }
    if spec.issuers.is_empty() {
        out.push(diagnostic("MIG001", "cluster is missing: the plan needs the cluster's OIDC issuer to know which IRSA statement is this cluster's").at_path(&key("cluster")));
    }
    let already = match direction {
        Direction::ToPodIdentity => spec.identity_type == IdentityType::PodIdentity,
        Direction::ToIrsa => spec.identity_type == IdentityType::Irsa,
    };
    if already {
        out.push(
            diagnostic(
                "MIG002",
                format!(
                    "identityType is already `{}`: nothing to migrate",
                    direction.target()
                ),
            )
            .at_path(&key("identityType")),
        );
    }
    out
}

/// The names a binding's ServiceAccount patterns stand for among the files
/// given (ServiceAccounts, and the workloads' `serviceAccountName`), plain
/// names kept; None when the namespace is a pattern or a pattern matches none.
pub fn named(b: &Binding, workloads: &[Workload]) -> Option<Vec<String>> {
    if is_pattern(&b.namespace) {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for sa in &b.service_accounts {
        let matched: Vec<&str> = workloads
            .iter()
            .filter(|w| w.namespace == b.namespace && wildcard_match(sa, &w.service_account))
            .map(|w| w.service_account.as_str())
            .collect();
        if matched.is_empty() {
            return None;
        }
        for m in matched {
            if !names.iter().any(|n| n == m) {
                names.push(m.to_string());
            }
        }
    }
    Some(names)
}

/// The workloads that run as one of the binding's ServiceAccounts.
pub fn of_binding<'w>(b: &Binding, workloads: &'w [Workload]) -> Vec<&'w Workload> {
    workloads
        .iter()
        .filter(|w| {
            w.kind != SERVICE_ACCOUNT
                && w.namespace == b.namespace
                && b.service_accounts.contains(&w.service_account)
        })
        .collect()
}

/// MIG010 (Fargate, Windows) and MIG011 (hostNetwork) for a binding's workloads.
fn workload_findings(b: &Binding, workloads: &[Workload]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for w in of_binding(b, workloads) {
        let span = Span {
            line: w.line,
            column: 1,
            offset: 0,
        };
        let at = |d: Diagnostic| d.in_file(Some(&w.file)).at(span);
        let who = format!(
            "{} `{}/{}` (ServiceAccount `{}`)",
            w.kind, w.namespace, w.name, w.service_account
        );
        if w.fargate {
            out.push(at(diagnostic(
                "MIG010",
                format!("{who} runs on Fargate, where EKS Pod Identity is not available"),
            )));
        }
        if w.windows {
            out.push(at(diagnostic(
                "MIG010",
                format!("{who} runs on Windows nodes, where EKS Pod Identity is not available"),
            )));
        }
        if w.host_network {
            out.push(at(diagnostic("MIG011", format!("{who} uses hostNetwork: confirm it reaches the Pod Identity Agent before IRSA is removed"))));
        }
    }
    out
}

fn key(name: &str) -> FieldPath {
    FieldPath::root().key(name)
}
