//! The spec route for roles in another account than the cluster
//! (`accountId` other than `clusterAccountId`): EKS Pod Identity reaches
//! such a role by role chaining, which `chain.rs` and `chain_back.rs` plan
//! for a trust file (`migrate --trust --target-role-arn`). A spec's plan is
//! theirs, from the trusts the spec stands for, so the phase files are byte
//! for byte those of the trust route: going to Pod Identity, the role's
//! trust as `generate` writes it for IRSA (`trust-policy.json`); otherwise
//! the trusts the forward chain leaves (the target's trust after its phase
//! 3, or phase 1 for a spec mid-migration, `both`, and the source role's).
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

/// MIG034's fix on the spec route, which names the source role itself (the
/// table's fix offers `--source-role-name`, a flag of the trust route only).
const SPEC_ROUTE_CHAIN_HELP: &str = "Run the phases with two AWS CLI profiles (CLUSTER_PROFILE, TARGET_PROFILE); the source role is named `TARGET-pod-identity` (to choose its name, plan from the role's trust with `irsa-gen migrate --trust`, which takes `--source-role-name`).";

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
    let plan = match (direction, spec.identity_type) {
        // Mid-migration (`both`) the target already trusts the source role:
        // the chain is planned again from there (chain.rs adds nothing twice).
        (Direction::ToPodIdentity, IdentityType::Both) => match chained_trusts(spec, b, &req) {
            Ok((target, _)) => plan_chained(&target, &req),
            Err(d) => blocked(d),
        },
        (Direction::ToPodIdentity, _) => plan_chained(&generated_trust(spec, b)?, &req),
        (Direction::ToIrsa, _) => match chained_trusts(spec, b, &req) {
            Ok((target, source)) => plan_chained_back(&target, &source, &req),
            Err(d) => blocked(d),
        },
    };
    // The spec's notes first, then the chain's; a note both say once.
    for mut d in plan.diagnostics {
        if d.code == "MIG034" {
            d.help = SPEC_ROUTE_CHAIN_HELP.to_string();
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{load_spec_for, Purpose};

    const SPEC: &str = "accountId: \"444455556666\"\nclusterAccountId: \"111122223333\"\nregion: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B\nclusterName: prod\nidentityType: TYPE\nbindings:\n  - namespace: payments\n    serviceAccount: s3-writer\n    roleName: s3-writer\n";

    fn plan_of(identity_type: &str, direction: Direction) -> Plan {
        let text = SPEC.replace("TYPE", identity_type);
        let spec = load_spec_for(&text, None, Purpose::Migrate).spec.unwrap();
        crate::migrate::plan(&spec, direction, &[]).unwrap()
    }

    fn file(plan: &Plan, path: &str) -> String {
        let files = plan.files();
        files.into_iter().find(|f| f.path == path).unwrap().text
    }

    /// Mid-migration (`both`) either way: the target trusts the OIDC
    /// provider and the source role, as the forward chain's phase 1 left it;
    /// going on ends where the plan from `irsa` ends, going back keeps it.
    #[test]
    fn a_spec_mid_migration_goes_on_or_back_from_the_forward_phase_1() {
        let from_irsa = plan_of("irsa", Direction::ToPodIdentity);
        let on = plan_of("both", Direction::ToPodIdentity);
        let phase_1 = file(&from_irsa, "phase-1/trust.json");
        assert_eq!(file(&on, "phase-1/trust.json"), phase_1);
        assert_eq!(
            file(&on, "phase-3/trust.json"),
            file(&from_irsa, "phase-3/trust.json")
        );
        let back = plan_of("both", Direction::ToIrsa);
        assert!(!back.phases.is_empty(), "{:#?}", back.diagnostics);
        assert!(back.diagnostics.iter().any(|d| d.code == "MIG037"));
        // Near miss: from `pod-identity` the target no longer trusts the
        // cluster's OIDC provider, so phase 1's rollback restores another trust.
        let from_pod_identity = plan_of("pod-identity", Direction::ToIrsa);
        let undo = |p: &Plan| file(p, "phase-1/rollback.sh");
        assert!(undo(&back).contains("oidc-provider"));
        assert!(!undo(&from_pod_identity).contains("oidc-provider"));
    }

    /// Each role is its own chain: several bindings are refused (MIG035).
    #[test]
    fn several_roles_across_accounts_are_planned_one_at_a_time() {
        let two = SPEC.replace("TYPE", "irsa")
            + "  - namespace: payments\n    serviceAccount: reader\n    roleName: reader\n";
        let spec = load_spec_for(&two, None, Purpose::Migrate).spec.unwrap();
        let plan = crate::migrate::plan(&spec, Direction::ToPodIdentity, &[]).unwrap();
        assert!(plan.phases.is_empty());
        assert!(plan.diagnostics.iter().any(|d| d.code == "MIG035"));
    }
}
