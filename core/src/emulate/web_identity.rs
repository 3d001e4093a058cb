//! STS `AssumeRoleWithWebIdentity`, decided as STS does: the role ARN, then
//! the token (a JWT; its issuer has an IAM OIDC provider in the role's
//! account; its signature verifies with the issuer's key; it has not expired
//! and is already valid; its audience is one of the provider's client IDs),
//! then the role's trust policy through the evaluator, then the duration.

use super::account::{assumed_role_arn, parse_role_arn, Account};
use super::{IssuerMap, Signature};
use crate::eval::{self, Claims, Decision};
use crate::jwt::{self, Jwt};
use crate::sts::request::{WebIdentityRequest, DEFAULT_DURATION_SECONDS};
use crate::sts::response::{Identity, WebIdentityGrant};
use crate::sts::StsError;

/// A granted session: what the response says, and when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    /// The response's fields.
    pub grant: WebIdentityGrant,
    /// Seconds since the epoch when the credentials expire.
    pub expiration: i64,
}

/// Decides a request at `now` (seconds since the epoch). `verify` checks the
/// token's signature against its issuer's keys.
pub fn assume(
    account: &Account,
    issuers: &IssuerMap,
    request: &WebIdentityRequest,
    verify: &dyn Fn(&Jwt) -> Signature,
    now: i64,
) -> Result<Granted, StsError> {
    let (partition, role_account, _) =
        parse_role_arn(&request.role_arn).ok_or_else(StsError::invalid_arn)?;
    let token = jwt::decode(&request.web_identity_token).map_err(|_| StsError::not_a_jwt())?;
    let iss = token
        .claim_str("iss")
        .ok_or_else(|| StsError::missing_claim("iss"))?;
    let provider = issuers
        .cluster_of(iss)
        .and_then(|cluster| account.provider(&partition, &role_account, cluster))
        .ok_or_else(|| StsError::no_provider(iss))?;
    match verify(&token) {
        Signature::Valid => {}
        Signature::UnknownKey => return Err(StsError::no_verification_key()),
        Signature::Invalid(why) => return Err(StsError::bad_signature(&why)),
    }
    let exp = token
        .claim_time("exp")
        .ok_or_else(|| StsError::missing_claim("exp"))?;
    if now >= exp {
        return Err(StsError::token_expired(now, exp));
    }
    if let Some(from) = token.claim_time("nbf").filter(|t| *t > now) {
        return Err(StsError::not_yet_valid(now, from));
    }
    let audiences = token.audiences();
    if audiences.is_empty() {
        return Err(StsError::missing_claim("aud"));
    }
    let audience = audiences
        .iter()
        .find(|a| provider.client_ids.iter().any(|c| c == *a))
        .ok_or_else(StsError::incorrect_audience)?;
    let subject = token.claim_str("sub").unwrap_or_default();
    // STS does not say whether the role exists: a missing role is AccessDenied too.
    let role = account
        .role(&request.role_arn)
        .ok_or_else(StsError::not_authorized)?;
    let claims = Claims {
        iss: Some(provider.issuer.clone()),
        sub: Some(subject.to_string()),
        aud: Some((*audience).to_string()),
        // STS looks the provider up in the role's own account and partition.
        role: eval::Role::from_arn(&request.role_arn).ok(),
        ..Claims::default()
    };
    if eval::evaluate(&role.trust, &claims).decision != Decision::Allow {
        return Err(StsError::not_authorized());
    }
    let duration = request.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
    if duration > role.max_session_duration {
        return Err(StsError::duration_exceeds_max());
    }
    let session = &request.role_session_name;
    Ok(Granted {
        grant: WebIdentityGrant {
            identity: Identity {
                arn: assumed_role_arn(role, session),
                assumed_role_id: format!("{}:{session}", role.id),
                account: role.account.clone(),
            },
            subject: subject.to_string(),
            audience: (*audience).to_string(),
            provider: format!("https://{}", provider.issuer),
        },
        expiration: now.saturating_add(duration),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sa_token::{header, TokenRequest};

    const SPEC: &str = "accountId: '123456789012'\nregion: ap-south-1\ncluster: EXAMPLED539D4633E53DE1B716D3041E\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n";
    const ISSUER: &str = "oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E";
    const NOW: i64 = 1_800_000_000;

    fn setup() -> (Account, IssuerMap) {
        let mut a =
            Account::from_spec(crate::load_spec(SPEC, None).spec.as_ref().unwrap()).unwrap();
        a.roles[0].id = "AROAEXAMPLE".into();
        let m = IssuerMap::new("http://127.0.0.1:9", a.issuers.clone());
        (a, m)
    }

    fn token(iss: &str, ns: &str, sa: &str, aud: &str, iat: i64) -> String {
        let r = TokenRequest {
            issuer: iss.into(),
            namespace: ns.into(),
            service_account: sa.into(),
            service_account_uid: "u".into(),
            audiences: vec![aud.into()],
            issued_at: iat,
            expiration_seconds: 3_600,
            pod: None,
            jti: "j".into(),
        };
        jwt::compact(&jwt::signing_input(&header("k"), &r.claims()), b"sig")
    }

    fn ask(t: String, role: &str, verify: &dyn Fn(&Jwt) -> Signature) -> Result<Granted, StsError> {
        let (a, m) = setup();
        let req = WebIdentityRequest {
            role_arn: role.into(),
            role_session_name: "botocore-session-1".into(),
            web_identity_token: t,
            duration_seconds: None,
        };
        assume(&a, &m, &req, verify, NOW)
    }

    const ROLE: &str = "arn:aws:iam::123456789012:role/S3WriterRole";
    fn valid(_: &Jwt) -> Signature {
        Signature::Valid
    }

    #[test]
    fn the_bound_service_account_is_admitted() {
        let lab = format!("http://127.0.0.1:9/{ISSUER}");
        let g = ask(
            token(
                &lab,
                "production",
                "s3-writer",
                "sts.amazonaws.com",
                NOW - 10,
            ),
            ROLE,
            &valid,
        )
        .unwrap();
        assert_eq!(
            g.grant.identity.arn,
            "arn:aws:sts::123456789012:assumed-role/S3WriterRole/botocore-session-1"
        );
        assert_eq!(
            g.grant.identity.assumed_role_id,
            "AROAEXAMPLE:botocore-session-1"
        );
        assert_eq!(
            g.grant.subject,
            "system:serviceaccount:production:s3-writer"
        );
        assert_eq!(g.expiration, NOW + 3_600);
    }

    #[test]
    fn each_failure_gets_stss_error() {
        let lab = format!("http://127.0.0.1:9/{ISSUER}");
        let code = |r: Result<Granted, StsError>| {
            r.map(|_| "granted".to_string())
                .unwrap_or_else(|e| e.to_string())
        };
        let t = |ns: &str, sa: &str, aud: &str, iat: i64| token(&lab, ns, sa, aud, iat);
        assert_eq!(
            code(ask(
                t("production", "default", "sts.amazonaws.com", NOW),
                ROLE,
                &valid
            )),
            "AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(
            code(ask(
                t("staging", "s3-writer", "sts.amazonaws.com", NOW),
                ROLE,
                &valid
            )),
            "AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(
            code(ask(
                t("production", "s3-writer", "sts.amazonaws.com.cn", NOW),
                ROLE,
                &valid
            )),
            "InvalidIdentityToken: Incorrect token audience"
        );
        let expired = ask(
            t("production", "s3-writer", "sts.amazonaws.com", NOW - 7_200),
            ROLE,
            &valid,
        );
        assert_eq!(code(expired), format!("ExpiredTokenException: Token expired: current date/time {NOW} must be before the expiration date/time {}", NOW - 3_600));
        let other = token(
            "http://127.0.0.1:9/other-issuer",
            "production",
            "s3-writer",
            "sts.amazonaws.com",
            NOW,
        );
        assert_eq!(code(ask(other, ROLE, &valid)), "InvalidIdentityToken: No OpenIDConnect provider found in your account for http://127.0.0.1:9/other-issuer");
        // The provider is in the role's account: a role elsewhere finds none.
        let elsewhere = ask(
            t("production", "s3-writer", "sts.amazonaws.com", NOW),
            "arn:aws:iam::999999999999:role/S3WriterRole",
            &valid,
        );
        assert!(code(elsewhere).starts_with("InvalidIdentityToken: No OpenIDConnect provider"));
        assert_eq!(
            code(ask(
                t("production", "s3-writer", "sts.amazonaws.com", NOW),
                "arn:aws:iam::123456789012:role/Nope",
                &valid
            )),
            "AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(
            code(ask(
                t("production", "s3-writer", "sts.amazonaws.com", NOW),
                "arn:aws:iam::123456789012:user/x",
                &valid
            )),
            "ValidationError: Request ARN is invalid"
        );
        assert_eq!(code(ask("opaque-access-token".into(), ROLE, &valid)), "InvalidIdentityToken: The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        let bad = |_: &Jwt| Signature::Invalid("wrong key".into());
        assert!(code(ask(
            t("production", "s3-writer", "sts.amazonaws.com", NOW),
            ROLE,
            &bad
        ))
        .starts_with("InvalidIdentityToken: Signature validation failed"));
        let unknown = |_: &Jwt| Signature::UnknownKey;
        assert!(code(ask(
            t("production", "s3-writer", "sts.amazonaws.com", NOW),
            ROLE,
            &unknown
        ))
        .starts_with("InvalidIdentityToken: Couldn't retrieve verification key"));
    }
}
