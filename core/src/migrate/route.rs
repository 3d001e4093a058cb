//! `migrate --trust`'s routes, chosen in one place for the CLI, the npm
//! module and the playground: a file with this cluster's roles
//! (`from_file.rs`: a bare trust, a dump, Terraform, CloudFormation), or
//! with a target role of another account the chained plan either way
//! (`chain.rs`, `chain_back.rs`, the target's trust picked out of the file
//! the same way). What a shell must refuse before any plan is a [`Refused`],
//! which each shell words with its own names (flags, options, fields).

use crate::diagnostic::Diagnostic;

use super::chain::{plan_chained, ChainRequest};
use super::chain_back::plan_chained_back;
use super::direction::Direction;
use super::from_file::{self, plan_file, trust_text};
use super::plan::{Phase, PlanFile};

/// A file as given: the name its findings carry (its extension tells a
/// Terraform file) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The file's name or path.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// What a plan from a trust file is asked.
#[derive(Debug, Clone, Copy)]
pub struct TrustRequest<'a> {
    /// Where the roles go.
    pub direction: Direction,
    /// The cluster's OIDC issuer URL.
    pub issuer: &'a str,
    /// The cluster's ARN.
    pub cluster_arn: Option<&'a str>,
    /// One role of the file, by any of its names.
    pub role: Option<&'a str>,
    /// The role of another account, reached by role chaining.
    pub target_role_arn: Option<&'a str>,
    /// The chained plan's source role name (derived when None).
    pub source_role_name: Option<&'a str>,
    /// Going back from a chain: the source role's trust.
    pub source_trust: Option<Input<'a>>,
}

/// A request no plan can answer, refused before anything is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Back to IRSA without the cluster's ARN: it says which Pod Identity
    /// statements are this cluster's.
    BackNeedsClusterArn,
    /// A target role without the cluster's ARN, whose account is the
    /// source role's.
    TargetNeedsClusterArn,
    /// A source role's name or trust without a target role.
    SourceNeedsTarget,
    /// The source role's trust given going to Pod Identity, where the plan
    /// writes it.
    SourceTrustGoingForward,
    /// Back from a chain without the source role's trust, which names the
    /// ServiceAccounts.
    BackNeedsSourceTrust,
}

/// The plan: its findings (in the files they are about), its phases (the
/// chained plan's; a file's plan has its phases as files only) and its
/// files, none when blocked.
#[derive(Debug, Clone)]
pub struct Routed {
    /// Where it goes.
    pub direction: Direction,
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// The chained plan's phases.
    pub phases: Vec<Phase>,
    /// The files to write; empty when blocked.
    pub files: Vec<PlanFile>,
}

/// The plan of `trust` for `req`, by the route its options choose.
pub fn plan(trust: Input<'_>, req: &TrustRequest<'_>) -> Result<Routed, Refused> {
    refused(req)?;
    let Some(target_role_arn) = req.target_role_arn else {
        let file_req = file_request(req, req.direction);
        let p = plan_file(trust.name, trust.text, &file_req);
        return Ok(Routed {
            direction: req.direction,
            diagnostics: p.diagnostics,
            phases: Vec::new(),
            files: p.files,
        });
    };
    let chain = ChainRequest {
        issuer: req.issuer,
        cluster_arn: req.cluster_arn.unwrap_or_default(),
        target_role_arn,
        source_role_name: req.source_role_name,
    };
    let blocked = |diagnostics| Routed {
        direction: req.direction,
        diagnostics,
        phases: Vec::new(),
        files: Vec::new(),
    };
    let pick = |input: Input<'_>, direction| {
        trust_text(input.name, input.text, &file_request(req, direction))
    };
    let target = match pick(trust, req.direction) {
        Ok(t) => t,
        Err(d) => return Ok(blocked(d)),
    };
    let plan = match (req.direction, req.source_trust) {
        (Direction::ToIrsa, Some(source)) => match pick(source, Direction::ToIrsa) {
            Ok(source_text) => plan_chained_back(&target, &source_text, &chain),
            Err(d) => return Ok(blocked(d)),
        },
        _ => plan_chained(&target, &chain),
    };
    let files = if plan.phases.is_empty() {
        Vec::new()
    } else {
        plan.files()
    };
    Ok(Routed {
        direction: plan.direction,
        diagnostics: plan
            .diagnostics
            .into_iter()
            .map(|d| d.in_file(Some(trust.name)))
            .collect(),
        phases: plan.phases,
        files,
    })
}

/// What no route answers, in the order the CLI declares its flags.
fn refused(req: &TrustRequest<'_>) -> Result<(), Refused> {
    let has_source = req.source_role_name.is_some() || req.source_trust.is_some();
    match (req.direction, req.target_role_arn, req.cluster_arn) {
        (_, Some(_), None) => Err(Refused::TargetNeedsClusterArn),
        (_, None, _) if has_source => Err(Refused::SourceNeedsTarget),
        (Direction::ToIrsa, None, None) => Err(Refused::BackNeedsClusterArn),
        (Direction::ToPodIdentity, Some(_), _) if req.source_trust.is_some() => {
            Err(Refused::SourceTrustGoingForward)
        }
        (Direction::ToIrsa, Some(_), _) if req.source_trust.is_none() => {
            Err(Refused::BackNeedsSourceTrust)
        }
        _ => Ok(()),
    }
}

/// The request that picks a file's roles.
fn file_request<'a>(req: &TrustRequest<'a>, direction: Direction) -> from_file::Request<'a> {
    from_file::Request {
        direction,
        issuer: req.issuer,
        cluster_arn: req.cluster_arn,
        role: req.role,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(direction: Direction) -> TrustRequest<'static> {
        TrustRequest {
            direction,
            issuer: "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            cluster_arn: None,
            role: None,
            target_role_arn: None,
            source_role_name: None,
            source_trust: None,
        }
    }

    const SOURCE: Input<'static> = Input {
        name: "source.json",
        text: "{}",
    };

    #[test]
    fn what_no_route_answers_is_refused_before_any_plan() {
        let cluster = Some("arn:aws:eks:us-west-2:111122223333:cluster/prod");
        let target = Some("arn:aws:iam::444455556666:role/app");
        let cases = [
            (
                TrustRequest {
                    target_role_arn: target,
                    ..request(Direction::ToPodIdentity)
                },
                Refused::TargetNeedsClusterArn,
            ),
            (
                TrustRequest {
                    source_role_name: Some("x"),
                    ..request(Direction::ToPodIdentity)
                },
                Refused::SourceNeedsTarget,
            ),
            (request(Direction::ToIrsa), Refused::BackNeedsClusterArn),
            (
                TrustRequest {
                    target_role_arn: target,
                    cluster_arn: cluster,
                    source_trust: Some(SOURCE),
                    ..request(Direction::ToPodIdentity)
                },
                Refused::SourceTrustGoingForward,
            ),
            (
                TrustRequest {
                    target_role_arn: target,
                    cluster_arn: cluster,
                    ..request(Direction::ToIrsa)
                },
                Refused::BackNeedsSourceTrust,
            ),
        ];
        for (req, want) in cases {
            assert_eq!(refused(&req), Err(want));
        }
        // The near misses: the same requests made whole.
        assert_eq!(refused(&request(Direction::ToPodIdentity)), Ok(()));
        assert_eq!(
            refused(&TrustRequest {
                cluster_arn: cluster,
                ..request(Direction::ToIrsa)
            }),
            Ok(())
        );
        assert_eq!(
            refused(&TrustRequest {
                target_role_arn: target,
                cluster_arn: cluster,
                source_trust: Some(SOURCE),
                ..request(Direction::ToIrsa)
            }),
            Ok(())
        );
    }

    #[test]
    fn a_file_without_a_target_is_the_file_plan() {
        let text = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let req = request(Direction::ToPodIdentity);
        let routed = plan(
            Input {
                name: "trust.json",
                text,
            },
            &req,
        )
        .unwrap();
        let direct = plan_file("trust.json", text, &file_request(&req, req.direction));
        assert_eq!(routed.diagnostics, direct.diagnostics);
        assert_eq!(routed.files, direct.files);
        assert!(routed.phases.is_empty());
    }
}
