//! `irsa-gen migrate`: IRSA <-> EKS Pod Identity as a phased plan with no
//! outage (issue #19). Phase 1 widens each trust to admit both paths (and
//! installs the Pod Identity Agent), phase 2 switches the pods (associations
//! created or deleted, workloads restarted, a verification pod run), phase 3
//! removes the old path: only this cluster's statement, other clusters'
//! stay. Every phase has its rollback. Nothing here does I/O: the plan is
//! files (trusts, ServiceAccounts, scripts) the shell writes.
//!
//! `codes.rs` the MIG codes, `blockers.rs` the findings before anything
//! changes, `workloads.rs` the workloads given beside the spec, `trusts.rs`
//! each phase's trust, `scripts.rs` the commands, `plan.rs` the phases as
//! files; `phases.rs` an existing trust edited for phases 1 and 3, and
//! `from_trust.rs` the plan's trusts and findings from a trust file,
//! `to_irsa_trust.rs` the same going back from a Pod Identity trust file;
//! `chain.rs` and `chain_back.rs` a role of another account than the
//! cluster's, reached by role chaining (`targetRoleArn`), either way.

pub mod blockers;
pub mod chain;
pub mod chain_back;
pub mod codes;
pub mod from_trust;
pub mod phases;
pub mod plan;
pub mod scripts;
pub mod to_irsa_trust;
pub mod trusts;
pub mod workloads;

use serde::Serialize;

pub use phases::{remove_cluster_oidc, widen_for_pod_identity};
pub use plan::{plan, Phase, Plan, PlanFile};

/// Where the migration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// IRSA -> EKS Pod Identity.
    ToPodIdentity,
    /// EKS Pod Identity -> IRSA.
    ToIrsa,
}

impl Direction {
    /// The identityType the migration ends at, as the spec writes it.
    pub fn target(self) -> &'static str {
        match self {
            Direction::ToPodIdentity => "pod-identity",
            Direction::ToIrsa => "irsa",
        }
    }
}
