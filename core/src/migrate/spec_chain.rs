//! The spec route for roles in another account than the cluster
//! (`accountId` other than `clusterAccountId`): EKS Pod Identity reaches
//! such a role by role chaining, which `chain.rs` and `chain_back.rs` plan
//! for a trust file (`migrate --trust --target-role-arn`). A spec's plan is
//! theirs, from the trusts the spec stands for, so the phase files are byte
//! for byte those of the trust route: going to Pod Identity, the role's
//! trust as `generate` writes it (`trust-policy.json`); going back, the
//! trusts the forward chain leaves (the target's trust after its phase 3,
//! or phase 1 for a spec mid-migration, `both`, and the source role's).
//! The same-account route (`plan.rs`) never sees such a spec.

use crate::artefact::{Artefact, RenderError};
use crate::catalogue::ArtefactKind;
use crate::diagnostic::{has_errors, Diagnostic};
use crate::documents;
use crate::model::{Binding, ValidSpec};
use crate::spec::IdentityType;

use super::chain::{plan_chained, ChainRequest};
use super::chain_back::plan_chained_back;
use super::codes::diagnostic;
use super::direction::Direction;
use super::plan::Plan;

/// The role's trust as `generate` writes it (`trust-policy.json`): what
/// `migrate --trust` of that file reads.
pub fn generated_trust(spec: &ValidSpec, b: &Binding) -> Result<String, RenderError> {
    let doc = documents::trust_policy(spec, b);
    Artefact::json(ArtefactKind::TrustPolicy, &doc).map(|a| a.text)
}

/// The trusts of the chain a spec stands for going back to IRSA: the target
/// role's and the source role's, as the forward plan of the same roles
/// leaves them (phase 3; phase 1 for `both`, mid-migration).
pub fn chained_trusts(
    spec: &ValidSpec,
    b: &Binding,
    req: &ChainRequest<'_>,
) -> Result<(String, String), Vec<Diagnostic>> {
    let irsa = ValidSpec {
        identity_type: IdentityType::Irsa,
        ..spec.clone()
    };
    let trust = generated_trust(&irsa, b)
        .map_err(|e| vec![diagnostic("MIG035", format!("the role's trust: {e}"))])?;
    let forward = plan_chained(&trust, req);
    if forward.phases.is_empty() {
        return Err(forward.diagnostics);
    }
    let phase = if spec.identity_type == IdentityType::Both {
        1
    } else {
        3
    };
    let find = |path: &str| {
        forward
            .files()
            .into_iter()
            .find(|f| f.path == path)
            .map(|f| f.text)
    };
    match (
        find(&format!("phase-{phase}/trust.json")),
        find("phase-1/source-role.trust.json"),
    ) {
        (Some(target), Some(source)) => Ok((target, source)),
        _ => Err(forward.diagnostics),
    }
}

/// The chain's plan for a spec whose roles are in another account than its
/// cluster, after the spec's own findings (`findings`: an error blocks it).
/// One role: each chain has its own source role and profiles.
pub fn plan_spec_chain(
    spec: &ValidSpec,
    direction: Direction,
    mut findings: Vec<Diagnostic>,
) -> Result<Plan, RenderError> {
    let blocked = |diagnostics| Plan {
        direction,
        diagnostics,
        phases: Vec::new(),
    };
    let (Some(cluster_arn), Some(issuer), [b]) = (
        spec.cluster_arn(),
        spec.issuers.first(),
        spec.bindings.as_slice(),
    ) else {
        if spec.bindings.len() > 1 {
            findings.push(diagnostic("MIG035", format!(
                "the spec's {} roles are in account {}, the cluster in {}: each role is reached by its own chain (source role, profiles), so plan one binding's spec at a time",
                spec.bindings.len(), spec.account_id, spec.cluster_account_id
            )));
        }
        return Ok(blocked(findings));
    };
    if has_errors(&findings) {
        return Ok(blocked(findings));
    }
    let (issuer, target) = (issuer.url(), b.role_arn(spec));
    let req = ChainRequest {
        issuer: &issuer,
        cluster_arn: &cluster_arn,
        target_role_arn: &target,
        source_role_name: None,
    };
    let plan = match direction {
        Direction::ToPodIdentity => plan_chained(&generated_trust(spec, b)?, &req),
        Direction::ToIrsa => match chained_trusts(spec, b, &req) {
            Ok((target, source)) => plan_chained_back(&target, &source, &req),
            Err(d) => blocked(d),
        },
    };
    // The spec's notes first, then the chain's; a note both say once.
    for d in plan.diagnostics {
        if !findings.iter().any(|f| f.code == d.code) {
            findings.push(d);
        }
    }
    let phases = if has_errors(&findings) {
        Vec::new()
    } else {
        plan.phases
    };
    Ok(Plan {
        direction,
        diagnostics: findings,
        phases,
    })
}
