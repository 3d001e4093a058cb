//! STS's errors: each code with its HTTP status (from the STS service model)
//! and the message STS gives. Where STS's wording is public (error responses
//! quoted in SDK issue trackers and AWS knowledge-center articles) the message
//! is STS's; where it is not, the table says so and the lab words it itself.

use serde::Serialize;

/// Who is at fault, the `<Type>` of an error response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Fault {
    /// The request is wrong.
    Sender,
    /// The service failed.
    Receiver,
}

/// One error code STS returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The `<Code>` (the SDKs raise `CODE` or `CODEException` from it).
    pub code: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// When STS returns it.
    pub when: &'static str,
}

/// Every code the lab returns, with STS's status for it.
pub const CODES: &[Code] = &[
    Code { code: "AccessDenied", status: 403, when: "the trust policy does not admit the token, or the role does not exist (STS does not say which)" },
    Code { code: "InvalidIdentityToken", status: 400, when: "the token is not a JWT, names an issuer with no IAM OIDC provider in the role's account, has an audience the provider does not list, lacks a required claim, or its signature does not verify" },
    Code { code: "ExpiredTokenException", status: 400, when: "the token's `exp` is in the past" },
    Code { code: "IDPRejectedClaim", status: 403, when: "the identity provider rejected the claim (SAML and OAuth providers); the lab is the identity provider and never rejects a token it signed, so it never returns this" },
    Code { code: "ValidationError", status: 400, when: "a parameter is missing, too short or too long, or does not match its pattern; an ARN that is not a role's; a duration above the role's maximum" },
    Code { code: "InvalidAction", status: 400, when: "an `Action` STS does not have, or a `Version` other than 2011-06-15" },
    Code { code: "MissingAction", status: 400, when: "no `Action` parameter" },
    Code { code: "MissingAuthenticationToken", status: 403, when: "a signed operation (GetCallerIdentity) without a SigV4 signature" },
    Code { code: "IncompleteSignature", status: 400, when: "an Authorization header that is not a complete SigV4 signature" },
    Code { code: "InvalidClientTokenId", status: 403, when: "an access key or session token STS did not issue" },
    Code { code: "SignatureDoesNotMatch", status: 403, when: "the SigV4 signature does not verify with the secret of the access key" },
    Code { code: "ExpiredToken", status: 400, when: "temporary credentials past their expiration" },
    Code { code: "RequestEntityTooLarge", status: 413, when: "a request body over the lab's limit (STS refuses bodies over its own limit)" },
    Code { code: "RequestTimeout", status: 408, when: "a client that does not send its request in time" },
];

/// An STS error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StsError {
    /// `<Code>`.
    pub code: &'static str,
    /// `<Message>`.
    pub message: String,
    /// HTTP status.
    pub status: u16,
    /// `<Type>`.
    pub fault: Fault,
}

impl std::fmt::Display for StsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl StsError {
    /// An error of a code in [`CODES`] (status 400 for a code not listed).
    pub fn new(code: &'static str, message: impl Into<String>) -> StsError {
        let status = CODES
            .iter()
            .find(|c| c.code == code)
            .map_or(400, |c| c.status);
        StsError {
            code,
            message: message.into(),
            status,
            fault: Fault::Sender,
        }
    }

    /// `AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity` (STS's words).
    pub fn not_authorized() -> StsError {
        StsError::new(
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        )
    }

    /// `InvalidIdentityToken: No OpenIDConnect provider found in your account for ISSUER` (STS's words).
    pub fn no_provider(issuer: &str) -> StsError {
        StsError::new(
            "InvalidIdentityToken",
            format!("No OpenIDConnect provider found in your account for {issuer}"),
        )
    }

    /// `InvalidIdentityToken: Incorrect token audience` (STS's words).
    pub fn incorrect_audience() -> StsError {
        StsError::new("InvalidIdentityToken", "Incorrect token audience")
    }

    /// `InvalidIdentityToken: Missing a required claim: CLAIM` (STS's words).
    pub fn missing_claim(claim: &str) -> StsError {
        StsError::new(
            "InvalidIdentityToken",
            format!("Missing a required claim: {claim}"),
        )
    }

    /// A token that is not a JWT (STS's words for an opaque access token).
    pub fn not_a_jwt() -> StsError {
        StsError::new(
            "InvalidIdentityToken",
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
        )
    }

    /// A key ID the issuer's key set does not have (STS's words when it cannot
    /// get the verification key).
    pub fn no_verification_key() -> StsError {
        StsError::new(
            "InvalidIdentityToken",
            "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        )
    }

    /// A signature that does not verify, or an algorithm STS does not take (the lab's words).
    pub fn bad_signature(why: &str) -> StsError {
        StsError::new(
            "InvalidIdentityToken",
            format!("Signature validation failed: {why}"),
        )
    }

    /// A token whose `nbf` or `iat` is in the future (the lab's words).
    pub fn not_yet_valid(now: i64, from: i64) -> StsError {
        StsError::new(
            "InvalidIdentityToken",
            format!("Token not yet valid: current date/time {now} must be after the not-before date/time {from}"),
        )
    }

    /// `ExpiredTokenException: Token expired: current date/time NOW must be before the expiration date/time EXP` (STS's words).
    pub fn token_expired(now: i64, exp: i64) -> StsError {
        StsError::new(
            "ExpiredTokenException",
            format!("Token expired: current date/time {now} must be before the expiration date/time {exp}"),
        )
    }

    /// `ValidationError: Request ARN is invalid` (STS's words).
    pub fn invalid_arn() -> StsError {
        StsError::new("ValidationError", "Request ARN is invalid")
    }

    /// `ValidationError`: a duration above the role's maximum (STS's words).
    pub fn duration_exceeds_max() -> StsError {
        StsError::new(
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        )
    }

    /// `ValidationError: N validation error(s) detected: ...` (STS's format).
    pub fn validation(problems: &[String]) -> StsError {
        let n = problems.len();
        let s = if n == 1 { "" } else { "s" };
        StsError::new(
            "ValidationError",
            format!("{n} validation error{s} detected: {}", problems.join("; ")),
        )
    }

    /// `InvalidAction: Could not find operation ACTION for version VERSION`.
    pub fn invalid_action(action: &str, version: &str) -> StsError {
        StsError::new(
            "InvalidAction",
            format!("Could not find operation {action} for version {version}"),
        )
    }

    /// `MissingAuthenticationToken: Request is missing Authentication Token`.
    pub fn missing_authentication() -> StsError {
        StsError::new(
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        )
    }

    /// `IncompleteSignature`: the Authorization header lacks a part.
    pub fn incomplete_signature(what: &str) -> StsError {
        StsError::new(
            "IncompleteSignature",
            format!("Authorization header requires '{what}' parameter."),
        )
    }

    /// `InvalidClientTokenId: The security token included in the request is invalid.`
    pub fn invalid_client_token() -> StsError {
        StsError::new(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    }

    /// `SignatureDoesNotMatch` with STS's message.
    pub fn signature_does_not_match() -> StsError {
        StsError::new(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    }

    /// `ExpiredToken: The security token included in the request is expired`.
    pub fn credentials_expired() -> StsError {
        StsError::new(
            "ExpiredToken",
            "The security token included in the request is expired",
        )
    }

    /// A body over `limit` bytes.
    pub fn too_large(limit: usize) -> StsError {
        StsError::new(
            "RequestEntityTooLarge",
            format!("Request body must be at most {limit} bytes"),
        )
    }

    /// A client that did not send its request in time.
    pub fn timeout() -> StsError {
        StsError::new(
            "RequestTimeout",
            "Your socket connection to the server was not read from or written to within the timeout period.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_table() {
        assert_eq!(StsError::not_authorized().status, 403);
        assert_eq!(StsError::no_provider("https://x").status, 400);
        assert_eq!(StsError::token_expired(2, 1).code, "ExpiredTokenException");
        assert_eq!(
            StsError::validation(&["a".into(), "b".into()]).message,
            "2 validation errors detected: a; b"
        );
        for c in CODES {
            assert_eq!(StsError::new(c.code, "").status, c.status);
        }
    }
}
