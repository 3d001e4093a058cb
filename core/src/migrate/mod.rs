//! `irsa-gen migrate`: IRSA <-> EKS Pod Identity as a phased plan with no
//! outage (issue #19). Phase 1 widens each trust to admit both paths (and
//! installs the Pod Identity Agent), phase 2 switches the pods (associations
//! created or deleted, workloads restarted, a verification pod run), phase 3
//! removes the old path: only this cluster's statement, other clusters'
//! stay. Every phase has its rollback. Nothing here does I/O: the plan is
//! files (trusts, ServiceAccounts, scripts) the shell writes.
//!
//! `direction.rs` where the migration goes (the type every file shares),
//! `codes.rs` the MIG codes, `blockers.rs` the findings before anything
//! changes, `workloads.rs` the workloads given beside the spec, `trusts.rs`
//! each phase's trust, `scripts.rs` the commands, `plan.rs` the phases as
//! files; `phases.rs` an existing trust edited for phases 1 and 3, and
//! `from_trust.rs` the plan's trusts and findings from a trust file,
//! `to_irsa_trust.rs` the same going back from a Pod Identity trust file;
//! `chain.rs` and `chain_back.rs` a role of another account than the
//! cluster's, reached by role chaining (`targetRoleArn`), either way, and
//! `spec_chain.rs` a spec's roles of another account (`clusterAccountId`)
//! through them;
//! `from_file.rs` the plan of a Terraform file, CloudFormation template or
//! dump, its trusts found by `sources.rs` (`hcl_trust.rs`, `cfn_trust.rs`,
//! `tf_policy_document.rs`) as `trust_file.rs`'s records,
//! judged readable by `unresolved.rs` and written back by `iac_edit.rs`
//! (values in their tool's words: `trust_text.rs`);
//! `route.rs` which of these a `--trust` request takes, one choice for the
//! CLI, the npm module and the playground.

pub mod blockers;
mod cfn_trust;
pub mod chain;
pub mod chain_back;
pub mod codes;
pub mod direction;
pub mod from_file;
pub mod from_trust;
mod hcl_trust;
pub mod iac_edit;
pub mod phases;
pub mod plan;
pub mod route;
pub mod scripts;
pub mod sources;
pub mod spec_chain;
pub mod spec_route;
pub mod tf_policy_document;
pub mod to_irsa_trust;
pub mod trust_file;
pub mod trust_text;
pub mod trusts;
pub mod unresolved;
pub mod workloads;

pub use direction::Direction;
pub use phases::{remove_cluster_oidc, widen_for_pod_identity};
pub use plan::{Phase, Plan, PlanFile};
pub use spec_route::plan;
