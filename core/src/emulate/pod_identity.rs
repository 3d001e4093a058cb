//! EKS Pod Identity's container credentials endpoint, decided as the Pod
//! Identity Agent and EKS Auth do. The agent reads the projected token from
//! the `Authorization` header and checks that it parses and that its time
//! claims hold (its words, from its source); EKS Auth checks the token, finds
//! the association of the pod's ServiceAccount, and assumes its role as the
//! service principal `pods.eks.amazonaws.com` with `sts:AssumeRole` and
//! `sts:TagSession` and the session tags, through the evaluator. EKS Auth's
//! messages are not public: those are the lab's words, with its codes.

use std::collections::BTreeMap;

use super::account::{assumed_role_arn, Account};
use super::{IssuerMap, Signature};
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::eval::{self, Claims, Decision};
use crate::jwt::{self, Jwt};
use crate::kube;
use crate::sa_token;
use crate::sts::response::Identity;

/// Pod Identity credentials last six hours.
pub const CREDENTIALS_LIFETIME: i64 = 6 * 3_600;

/// A refusal, as the agent sends it: an HTTP status and a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// EKS Auth's error code, when EKS Auth refused (None for the agent's own checks).
    pub code: Option<&'static str>,
    /// The message.
    pub message: String,
}

impl Refusal {
    fn agent(message: String) -> Refusal {
        Refusal {
            status: 400,
            code: None,
            message,
        }
    }

    fn eks_auth(code: &'static str, message: String) -> Refusal {
        let status = if code == "ResourceNotFoundException" {
            404
        } else {
            400
        };
        Refusal {
            status,
            code: Some(code),
            message,
        }
    }

    /// The body the agent writes: its own message, or EKS Auth's error as
    /// `[REQUEST_ID]: (CODE): MESSAGE, fault: client`.
    pub fn body(&self, request_id: &str) -> String {
        match self.code {
            None => format!("{}\n", self.message),
            Some(code) => format!(
                "[{request_id}]: ({code}): {}, fault: client\n",
                self.message
            ),
        }
    }
}

/// Granted Pod Identity credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    /// The assumed-role user.
    pub identity: Identity,
    /// Seconds since the epoch when the credentials expire.
    pub expiration: i64,
    /// The session tags EKS sets.
    pub tags: BTreeMap<String, String>,
}

/// The agent's own checks: present, parseable, and its time claims hold.
fn agent_checks(authorization: &str, now: i64) -> Result<Jwt, Refusal> {
    if authorization.trim().is_empty() {
        return Err(Refusal::agent(
            "Service account token cannot be empty".into(),
        ));
    }
    let token = jwt::decode(authorization).map_err(|e| {
        Refusal::agent(format!(
            "Service account token cannot be parsed: token is malformed: {e}"
        ))
    })?;
    let claim = |why: &str| {
        Refusal::agent(format!(
            "Service account token failed basic claim validations: token has invalid claims: {why}"
        ))
    };
    if token.claim_time("exp").is_some_and(|exp| now >= exp) {
        return Err(claim("token is expired"));
    }
    if token.claim_time("nbf").is_some_and(|nbf| nbf > now) {
        return Err(claim("token is not valid yet"));
    }
    Ok(token)
}

/// Decides a credentials request at `now`. `session_id` is the random part of
/// the session name (`eks-CLUSTER-POD-ID`).
pub fn assume(
    account: &Account,
    issuers: &IssuerMap,
    authorization: &str,
    verify: &dyn Fn(&Jwt) -> Signature,
    session_id: &str,
    now: i64,
) -> Result<Granted, Refusal> {
    let token = agent_checks(authorization, now)?;
    let invalid = |why: &str| Refusal::eks_auth("InvalidTokenException", why.to_string());
    let iss = token.claim_str("iss").unwrap_or_default();
    let issuer = issuers
        .cluster_of(iss)
        .ok_or_else(|| invalid(&format!("The token's issuer {iss} is not the cluster's")))?;
    if verify(&token) != Signature::Valid {
        return Err(invalid(
            "The token's signature does not verify with the cluster's keys",
        ));
    }
    if !token.audiences().contains(&POD_IDENTITY_PRINCIPAL) {
        return Err(invalid(&format!(
            "The token's audience is not {POD_IDENTITY_PRINCIPAL}"
        )));
    }
    let bearer = sa_token::bearer(&token)
        .ok_or_else(|| invalid("The token's sub is not a ServiceAccount's"))?;
    let association = account
        .association(issuer, &bearer.namespace, &bearer.service_account)
        .ok_or_else(|| {
            Refusal::eks_auth(
                "ResourceNotFoundException",
                format!(
                    "No Pod Identity Association found for service account {}/{}",
                    bearer.namespace, bearer.service_account
                ),
            )
        })?;
    let denied = || {
        Refusal::eks_auth(
            "AccessDeniedException",
            format!(
                "{POD_IDENTITY_PRINCIPAL} is not authorized to perform sts:AssumeRole and sts:TagSession on {}",
                association.role_arn
            ),
        )
    };
    let role = account.role(&association.role_arn).ok_or_else(denied)?;
    let pod = bearer.pod_name.clone().unwrap_or_default();
    let tags = BTreeMap::from([
        (
            "eks-cluster-arn".to_string(),
            format!(
                "arn:{}:eks:{}:{}:cluster/{}",
                role.partition, association.region, role.account, association.cluster
            ),
        ),
        ("eks-cluster-name".to_string(), association.cluster.clone()),
        ("kubernetes-namespace".to_string(), bearer.namespace.clone()),
        (
            "kubernetes-service-account".to_string(),
            bearer.service_account.clone(),
        ),
        ("kubernetes-pod-name".to_string(), pod.clone()),
        (
            "kubernetes-pod-uid".to_string(),
            bearer.pod_uid.clone().unwrap_or_default(),
        ),
    ]);
    let claims = Claims {
        sub: Some(kube::subject(&bearer.namespace, &bearer.service_account)),
        context: tags
            .iter()
            .map(|(k, v)| (format!("aws:RequestTag/{k}"), vec![v.clone()]))
            .chain(std::iter::once((
                "aws:TagKeys".to_string(),
                tags.keys().cloned().collect(),
            )))
            .collect(),
        pod_identity: true,
        ..Claims::default()
    };
    if eval::evaluate(&role.trust, &claims).decision != Decision::Allow {
        return Err(denied());
    }
    let session: String = format!("eks-{}-{pod}-{session_id}", association.cluster)
        .chars()
        .take(64)
        .collect();
    Ok(Granted {
        identity: Identity {
            arn: assumed_role_arn(role, &session),
            assumed_role_id: format!("{}:{session}", role.id),
            account: role.account.clone(),
        },
        expiration: now.saturating_add(CREDENTIALS_LIFETIME),
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sa_token::{header, TokenRequest};

    const SPEC: &str = "accountId: '123456789012'\nregion: eu-west-1\nclusterName: my-cluster\nidentityType: pod-identity\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterPodIdentityRole\n";
    const NOW: i64 = 1_800_000_000;

    fn token(iss: &str, sa: &str, aud: &str, iat: i64) -> String {
        let r = TokenRequest {
            issuer: iss.into(),
            namespace: "production".into(),
            service_account: sa.into(),
            service_account_uid: "u".into(),
            audiences: vec![aud.into()],
            issued_at: iat,
            expiration_seconds: 86_400,
            pod: Some(("my-app-1".into(), "pod-uid".into())),
            jti: "j".into(),
        };
        jwt::compact(&jwt::signing_input(&header("k"), &r.claims()), b"sig")
    }

    fn ask(t: &str, edit: impl FnOnce(&mut Account)) -> Result<Granted, Refusal> {
        let mut a =
            Account::from_spec(crate::load_spec(SPEC, None).spec.as_ref().unwrap()).unwrap();
        a.roles[0].id = "AROAEXAMPLE".into();
        edit(&mut a);
        let m = IssuerMap::new("http://127.0.0.1:9", a.issuers.clone());
        assume(&a, &m, t, &|_| Signature::Valid, "abc", NOW)
    }

    #[test]
    fn association_and_trust_admit_the_pod() {
        let own = token(
            "http://127.0.0.1:9/eks/my-cluster",
            "s3-writer",
            POD_IDENTITY_PRINCIPAL,
            NOW,
        );
        let g = ask(&own, |_| {}).unwrap();
        assert_eq!(g.identity.arn, "arn:aws:sts::123456789012:assumed-role/S3WriterPodIdentityRole/eks-my-cluster-my-app-1-abc");
        assert_eq!(g.tags["kubernetes-service-account"], "s3-writer");
        assert_eq!(g.expiration, NOW + CREDENTIALS_LIFETIME);
        // A trust without sts:TagSession refuses the same pod.
        let no_tag = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let e = ask(&own, |a| {
            a.roles[0].trust = eval::parse_trust_text(no_tag).unwrap()
        })
        .unwrap_err();
        assert_eq!(e.code, Some("AccessDeniedException"));
        assert!(e.body("r").starts_with("[r]: (AccessDeniedException): "));
    }

    #[test]
    fn refusals() {
        let iss = "http://127.0.0.1:9/eks/my-cluster";
        let neighbour =
            ask(&token(iss, "default", POD_IDENTITY_PRINCIPAL, NOW), |_| {}).unwrap_err();
        assert_eq!(
            (neighbour.status, neighbour.code),
            (404, Some("ResourceNotFoundException"))
        );
        let aud = ask(&token(iss, "s3-writer", "sts.amazonaws.com", NOW), |_| {}).unwrap_err();
        assert_eq!(aud.code, Some("InvalidTokenException"));
        let expired = ask(
            &token(iss, "s3-writer", POD_IDENTITY_PRINCIPAL, NOW - 90_000),
            |_| {},
        )
        .unwrap_err();
        assert_eq!(expired.body("r"), "Service account token failed basic claim validations: token has invalid claims: token is expired\n");
        assert_eq!(
            ask("", |_| {}).unwrap_err().message,
            "Service account token cannot be empty"
        );
        let other = ask(
            &token(
                "http://127.0.0.1:9/other-issuer",
                "s3-writer",
                POD_IDENTITY_PRINCIPAL,
                NOW,
            ),
            |_| {},
        )
        .unwrap_err();
        assert_eq!(other.code, Some("InvalidTokenException"));
    }
}
