//! The trust of each role before and after each phase, built from the same
//! statements `generate` writes (`documents::oidc_statement`,
//! `documents::pod_identity_statement`), so every phase's trust is one a spec
//! could produce. Only this cluster's statements change: the other clusters'
//! OIDC statements (`additionalClusters`) are in every phase.

use crate::documents::{self, oidc_statement, pod_identity_statement};
use crate::model::{Binding, ValidSpec};
use crate::policy::PolicyDocument;
use crate::spec::IdentityType;

use super::direction::Direction;

/// The trusts of one role: as it is now, and after phases 1, 2 and 3.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleTrusts {
    /// What the spec describes today (what `generate` writes for it).
    pub start: PolicyDocument,
    /// After phase 1 (phase 2 does not change it): both paths admitted.
    pub both: PolicyDocument,
    /// After phase 3.
    pub end: PolicyDocument,
    /// Going back to IRSA: the Pod Identity statement names no cluster, so
    /// it is kept in phase 3 (MIG031).
    pub kept_pod_identity: bool,
}

/// The trusts of a binding for a move in `direction`.
pub fn role_trusts(spec: &ValidSpec, b: &Binding, direction: Direction) -> RoleTrusts {
    let start = documents::trust_policy(spec, b);
    let oidc = |skip_primary: bool| {
        spec.issuers
            .iter()
            .skip(usize::from(skip_primary))
            .map(|issuer| oidc_statement(spec, b, issuer))
            .collect::<Vec<_>>()
    };
    match direction {
        Direction::ToPodIdentity => {
            // Scoped to this cluster: the role is this cluster's until phase 3.
            let pod_identity = || pod_identity_statement(b, spec.cluster_arn().as_deref());
            let mut both = oidc(false);
            both.push(pod_identity());
            let mut end = oidc(true);
            end.push(pod_identity());
            RoleTrusts {
                start,
                both: PolicyDocument::new(both),
                end: PolicyDocument::new(end),
                kept_pod_identity: false,
            }
        }
        Direction::ToIrsa => {
            // The Pod Identity statement as the role has it now; it names
            // this cluster only when the spec was mid-migration (`both`).
            let scoped = spec.identity_type == IdentityType::Both;
            let cluster_arn = spec.cluster_arn().filter(|_| scoped);
            let pod_identity = pod_identity_statement(b, cluster_arn.as_deref());
            let mut both = oidc(false);
            both.push(pod_identity.clone());
            let mut end = oidc(false);
            if !scoped {
                end.push(pod_identity);
            }
            RoleTrusts {
                start,
                both: PolicyDocument::new(both),
                end: PolicyDocument::new(end),
                kept_pod_identity: !scoped,
            }
        }
    }
}
