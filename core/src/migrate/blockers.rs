//! What is found before anything changes (the MIG codes of `codes.rs`): an
//! error blocks the plan, a warning or a note is said beside it.

use crate::aws::Partition;
use crate::diagnostic::Diagnostic;
use crate::model::{is_pattern, Binding, ValidSpec};
use crate::source::{FieldPath, Span};
use crate::spec::IdentityType;
use crate::trust::wildcard_match;

use super::codes::{diagnostic, EKS_ADDONS, POD_IDENTITY_SDKS};
use super::direction::Direction;
use super::workloads::{Workload, SERVICE_ACCOUNT};

/// Every finding for this spec, direction and set of workloads, in the order
/// of the spec: the spec's own, then each binding's, then the notes.
pub fn findings(spec: &ValidSpec, direction: Direction, workloads: &[Workload]) -> Vec<Diagnostic> {
    let mut out = spec_findings(spec, direction);
    for (i, b) in spec.bindings.iter().enumerate() {
        out.extend(pattern_finding(b, i, direction, workloads));
        out.extend(addon_findings(b, i, direction));
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
    } else if spec.identity_type == IdentityType::PodIdentity && !spec.cross_account() {
        // A chain's source role trust names the cluster (chain_back.rs).
        out.push(diagnostic("MIG031", "the roles' Pod Identity statements name no cluster, so other clusters' associations may use them: phase 3 keeps them").at_path(&key("identityType")));
    }
    out
}

/// MIG020 (no names) or MIG021 (the names given) for a binding by pattern,
/// in both directions: an association names one ServiceAccount, and so does
/// the IRSA annotation (going back, a pattern without names would leave the
/// pods without an annotated ServiceAccount once the associations go).
fn pattern_finding(
    b: &Binding,
    i: usize,
    direction: Direction,
    workloads: &[Workload],
) -> Option<Diagnostic> {
    if !b.is_pattern() {
        return None;
    }
    let who = format!("{}/{}", b.namespace, b.service_accounts.join(", "));
    let field = FieldPath::root()
        .key("bindings")
        .index(i)
        .key("serviceAccount");
    let d = match (named(b, workloads), direction) {
        (None, Direction::ToPodIdentity) => diagnostic("MIG020", format!("binding `{who}` names ServiceAccounts by pattern, and the files given name none it matches; a Pod Identity association names one namespace and ServiceAccount")),
        (None, Direction::ToIrsa) => diagnostic("MIG020", format!("binding `{who}` names ServiceAccounts by pattern, and the files given name none it matches; the IRSA annotation goes on each ServiceAccount by name, and without it the pods have no credentials once the associations are deleted")),
        (Some(names), Direction::ToPodIdentity) => diagnostic("MIG021", format!("binding `{who}` stands for `{}` among the files given: associations are made for those; after phase 3 any other ServiceAccount the pattern admits has no credentials", names.join("`, `"))),
        (Some(names), Direction::ToIrsa) => diagnostic("MIG021", format!("binding `{who}` stands for `{}` among the files given: those are annotated and their associations deleted; any other ServiceAccount the pattern admits gets no annotation, and no credentials once its association goes", names.join("`, `"))),
    };
    Some(d.at_path(&field))
}

/// MIG013: the binding grants an add-on EKS runs as an EKS add-on.
fn addon_findings(b: &Binding, i: usize, direction: Direction) -> Vec<Diagnostic> {
    b.permissions
        .addons
        .iter()
        .enumerate()
        .filter_map(|(j, grant)| {
            let (_, eks) = EKS_ADDONS.iter().find(|(name, _)| *name == grant.name)?;
            let how = match direction {
                Direction::ToPodIdentity => "`aws eks update-addon --pod-identity-associations`",
                Direction::ToIrsa => "`aws eks update-addon --service-account-role-arn` (and its podIdentityAssociations emptied)",
            };
            let field = FieldPath::root()
                .key("bindings")
                .index(i)
                .key("permissions")
                .key("addons")
                .index(j);
            Some(diagnostic("MIG013", format!(
                "role `{}` is the `{eks}` EKS add-on's (if installed as an EKS add-on): its ServiceAccount is the add-on's, so move it with {how}, not with a standalone association or annotation",
                b.role_name
            )).at_path(&field))
        })
        .collect()
}

/// The spec as a whole: the cluster named both ways (MIG001), not already there (MIG002).
fn spec_findings(spec: &ValidSpec, direction: Direction) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The fields are absent: the findings name them, no place in the spec.
    if spec.cluster_name.is_none() {
        out.push(diagnostic(
            "MIG001",
            "clusterName is missing: the associations are made on the cluster by name",
        ));
    }
    if spec.issuers.is_empty() {
        out.push(diagnostic("MIG001", "cluster is missing: the plan needs the cluster's OIDC issuer to know which IRSA statement is this cluster's"));
    }
    if direction == Direction::ToPodIdentity && spec.partition == Partition::AwsCn {
        out.push(
            diagnostic(
                "MIG012",
                format!(
                    "region `{}` is a China region (aws-cn), where EKS Pod Identity is not available",
                    spec.region
                ),
            )
            .at_path(&key("region")),
        );
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

/// Places the findings that name a spec field (`bindings[0]`, `clusterName`)
/// at that field of the spec's text, in `file`, as validation places its own.
pub fn locate(diagnostics: Vec<Diagnostic>, spec_text: &str, file: &str) -> Vec<Diagnostic> {
    let docs = crate::source::parse_documents(spec_text, &crate::source::Limits::default());
    let Some(root) = docs.ok().and_then(|d| d.into_iter().next()).map(|d| d.root) else {
        return diagnostics;
    };
    diagnostics
        .into_iter()
        .map(|d| match (&d.path, &d.file) {
            (Some(p), None) => {
                let span = root.locate(&FieldPath::parse(p));
                d.in_file(Some(file)).at(span)
            }
            _ => d,
        })
        .collect()
}
