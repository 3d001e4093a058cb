//! IRSA -> EKS Pod Identity migration of trust policies (issue #19, first
//! slice): pure text-to-text phases over an existing trust. Work in progress:
//! blockers/diagnostics, fixtures and the CLI are not here yet.

pub mod phases;

pub use phases::{remove_cluster_oidc, widen_for_pod_identity};
