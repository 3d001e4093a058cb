//! The cluster fields: `cluster` and `additionalClusters` read as OIDC issuer
//! URLs or cluster IDs (SPEC013-SPEC017), checked against the region.

use crate::aws::{self, Issuer, Partition};
use crate::diagnostic::Severity;
use crate::source::FieldPath;
use crate::spec::{IdentityType, Spec};

use super::report::Report;

/// `cluster` and `additionalClusters`: the trusted issuers, primary first,
/// each listed once (SPEC017); only IRSA trusts name clusters.
pub(super) fn check_issuers(
    r: &mut Report,
    root: &FieldPath,
    spec: &Spec,
    identity_type: IdentityType,
    region: &str,
) -> Vec<Issuer> {
    let mut issuers = Vec::new();
    let p = root.key("cluster");
    match spec.cluster.as_deref().map(str::trim) {
        None | Some("") if identity_type.uses_irsa() => {
            r.error("SPEC004", &p, "cluster is missing", "set cluster to the OIDC issuer URL (`aws eks describe-cluster --name NAME --query cluster.identity.oidc.issuer --output text`) or the cluster ID")
        }
        None | Some("") => {}
        Some(c) => {
            if let Some(i) = cluster_issuer(r, &p, c, region) {
                issuers.push(i);
            }
        }
    }
    for (i, c) in spec.additional_clusters.iter().enumerate() {
        let p = root.key("additionalClusters").index(i);
        if let Some(issuer) = cluster_issuer(r, &p, c.trim(), region) {
            if issuers.contains(&issuer) {
                r.error(
                    "SPEC017",
                    &p,
                    format!("cluster `{}` is listed twice", issuer.url()),
                    "remove the duplicate",
                );
            } else {
                issuers.push(issuer);
            }
        }
    }
    if identity_type == IdentityType::PodIdentity && !spec.additional_clusters.is_empty() {
        r.error(
            "SPEC017",
            &root.key("additionalClusters"),
            "additionalClusters only applies to IRSA; a Pod Identity trust names no cluster",
            "remove additionalClusters, or create one association per cluster",
        );
    }
    issuers
}

/// SPEC014: an ID no real cluster has. AWS's documentation placeholder is
/// said once, quietly (info): it is what every guide and example starts from.
fn cluster_id_finding(r: &mut Report, p: &FieldPath, id: &str) {
    let fix = "your cluster's ID ends its issuer URL (`aws eks describe-cluster --query cluster.identity.oidc.issuer`)";
    if aws::is_documentation_cluster_id(id) {
        r.push(
            Severity::Info,
            "SPEC014",
            p,
            format!("cluster ID `{id}` is AWS's documentation placeholder"),
            fix,
        );
    } else if !aws::is_real_cluster_id(id) {
        r.warning("SPEC014", p, format!("cluster ID `{id}` is not 32 upper-case hex characters, which every real EKS cluster ID is"), fix);
    }
}

/// One issuer from a cluster ID or an issuer URL (SPEC013, SPEC014, SPEC016), in the region (SPEC015).
fn cluster_issuer(r: &mut Report, p: &FieldPath, c: &str, region: &str) -> Option<Issuer> {
    let partition = Partition::of_region(region);
    let looks_like_url = c.contains('/') || c.contains('.');
    if !looks_like_url {
        if !c.chars().all(|ch| ch.is_ascii_alphanumeric()) || c.is_empty() {
            r.error("SPEC013", p, format!("cluster `{c}` is neither an OIDC issuer URL nor a cluster ID"), "paste the issuer URL from `aws eks describe-cluster --name NAME --query cluster.identity.oidc.issuer --output text`");
            return None;
        }
        let id = if c.chars().all(|ch| ch.is_ascii_hexdigit()) {
            c.to_ascii_uppercase()
        } else {
            c.to_string()
        };
        cluster_id_finding(r, p, &id);
        if region.is_empty() {
            return None;
        }
        let Some(issuer) = Issuer::from_cluster_id(&id, region) else {
            r.error("SPEC016", p, format!("the OIDC issuer host of partition `{partition}` is not documented, so it cannot be built from a cluster ID"), "give the full issuer URL from `aws eks describe-cluster` instead of the cluster ID");
            return None;
        };
        return Some(issuer);
    }
    let issuer = match Issuer::parse(c) {
        Ok(i) => i,
        Err(e) => {
            r.error("SPEC013", p, format!("cluster `{c}` is not a valid OIDC issuer URL: {e}"), "paste the issuer URL exactly as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it");
            return None;
        }
    };
    match (&issuer.region, &issuer.cluster_id) {
        (Some(ir), Some(id)) => {
            if !region.is_empty() && Partition::of_region(ir) != partition {
                r.error("SPEC015", p, format!("the issuer is in region `{ir}` (partition {}) but region `{region}` is in partition {partition}", Partition::of_region(ir)), "set region to the cluster's region: an OIDC provider and its roles live in one partition");
            } else if !region.is_empty() && ir != region {
                r.warning("SPEC015", p, format!("the issuer is in region `{ir}` but region is `{region}`"), "set region to the cluster's region unless the workload really calls AWS in another region");
            }
            cluster_id_finding(r, p, id);
        }
        _ => {
            let note = if partition.eks_issuer_suffix().is_none() {
                format!("the EKS issuer host of partition `{partition}` is not documented, so `{}` is taken as given", issuer.host_path)
            } else {
                format!("`{}` is not an EKS issuer (oidc.eks.REGION.amazonaws.com/id/ID); taken as a self-managed OIDC issuer", issuer.host_path)
            };
            r.warning(
                "SPEC016",
                p,
                note,
                "make sure an IAM OIDC provider exists for exactly this URL",
            );
        }
    }
    Some(issuer)
}
