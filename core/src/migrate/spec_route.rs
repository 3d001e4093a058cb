//! The spec route's one choice: the plan of one account, or role chaining
//! when the cluster is in another account than the roles
//! (`clusterAccountId`). Apart from both so that neither imports the other.

use crate::artefact::RenderError;
use crate::model::ValidSpec;

use super::blockers::findings;
use super::direction::Direction;
use super::plan::{plan_in_account, Plan};
use super::spec_chain::plan_spec_chain;
use super::workloads::Workload;

/// The plan for moving `spec`'s roles in `direction`, with the workloads read
/// beside the spec (for their restarts and blockers).
pub fn plan(
    spec: &ValidSpec,
    direction: Direction,
    workloads: &[Workload],
) -> Result<Plan, RenderError> {
    let diagnostics = findings(spec, direction, workloads);
    if spec.cross_account() {
        // Pod Identity reaches a role of another account by role chaining.
        return plan_spec_chain(spec, direction, diagnostics);
    }
    plan_in_account(spec, direction, workloads, diagnostics)
}
