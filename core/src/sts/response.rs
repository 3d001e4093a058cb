//! The documents STS (and the container credentials endpoint) send back: typed
//! models rendered by quick-xml's serde serializer in the element order of the
//! STS API reference's examples, and
//! RFC 3339 times. Nothing is concatenated by hand.

use serde::Serialize;

use super::{StsError, XMLNS};

/// Temporary credentials, as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `ASIA...`.
    pub access_key_id: String,
    /// The secret.
    pub secret_access_key: String,
    /// The session token.
    pub session_token: String,
    /// Seconds since the epoch.
    pub expiration: i64,
}

/// Who the credentials are: the assumed-role user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
    /// `ROLEID:SESSION`.
    pub assumed_role_id: String,
    /// The account.
    pub account: String,
}

/// RFC 3339 in UTC with seconds, as STS writes `<Expiration>` (`2026-12-01T22:00:00Z`).
pub fn timestamp(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

fn xml<T: Serialize>(root: &str, doc: &T) -> String {
    let mut out = String::new();
    let mut ser = match quick_xml::se::Serializer::with_root(&mut out, Some(root)) {
        Ok(s) => s,
        Err(_) => return String::new(),
    };
    ser.indent(' ', 2);
    if doc.serialize(ser).is_err() {
        return String::new();
    }
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Metadata<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct XmlCredentials<'a> {
    session_token: &'a str,
    secret_access_key: &'a str,
    expiration: String,
    access_key_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssumedRoleUser<'a> {
    arn: &'a str,
    assumed_role_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct WebIdentityResult<'a> {
    subject_from_web_identity_token: &'a str,
    audience: &'a str,
    assumed_role_user: AssumedRoleUser<'a>,
    credentials: XmlCredentials<'a>,
    provider: &'a str,
}

#[derive(Serialize)]
struct WebIdentityResponse<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'a str,
    #[serde(rename = "AssumeRoleWithWebIdentityResult")]
    result: WebIdentityResult<'a>,
    #[serde(rename = "ResponseMetadata")]
    metadata: Metadata<'a>,
}

/// What `AssumeRoleWithWebIdentity` returns beyond the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentityGrant {
    /// The assumed-role user.
    pub identity: Identity,
    /// The token's `sub`.
    pub subject: String,
    /// The token's audience that the provider matched.
    pub audience: String,
    /// The provider (the issuer as IAM names it: host and path).
    pub provider: String,
}

fn xml_credentials(c: &Credentials) -> XmlCredentials<'_> {
    XmlCredentials {
        access_key_id: &c.access_key_id,
        secret_access_key: &c.secret_access_key,
        session_token: &c.session_token,
        expiration: timestamp(c.expiration),
    }
}

/// `<AssumeRoleWithWebIdentityResponse>`.
pub fn assume_role_with_web_identity(
    g: &WebIdentityGrant,
    c: &Credentials,
    request_id: &str,
) -> String {
    xml(
        "AssumeRoleWithWebIdentityResponse",
        &WebIdentityResponse {
            xmlns: XMLNS,
            result: WebIdentityResult {
                credentials: xml_credentials(c),
                subject_from_web_identity_token: &g.subject,
                assumed_role_user: AssumedRoleUser {
                    arn: &g.identity.arn,
                    assumed_role_id: &g.identity.assumed_role_id,
                },
                provider: &g.provider,
                audience: &g.audience,
            },
            metadata: Metadata { request_id },
        },
    )
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CallerResult<'a> {
    arn: &'a str,
    user_id: &'a str,
    account: &'a str,
}

#[derive(Serialize)]
struct CallerResponse<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'a str,
    #[serde(rename = "GetCallerIdentityResult")]
    result: CallerResult<'a>,
    #[serde(rename = "ResponseMetadata")]
    metadata: Metadata<'a>,
}

/// `<GetCallerIdentityResponse>`: `UserId` is the assumed role ID.
pub fn get_caller_identity(who: &Identity, request_id: &str) -> String {
    xml(
        "GetCallerIdentityResponse",
        &CallerResponse {
            xmlns: XMLNS,
            result: CallerResult {
                arn: &who.arn,
                user_id: &who.assumed_role_id,
                account: &who.account,
            },
            metadata: Metadata { request_id },
        },
    )
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody<'a> {
    #[serde(rename = "Type")]
    fault: super::error::Fault,
    code: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct ErrorDoc<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'a str,
    #[serde(rename = "Error")]
    error: ErrorBody<'a>,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
pub fn error(e: &StsError, request_id: &str) -> String {
    xml(
        "ErrorResponse",
        &ErrorDoc {
            xmlns: XMLNS,
            error: ErrorBody {
                fault: e.fault,
                code: e.code,
                message: &e.message,
            },
            request_id,
        },
    )
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ContainerCredentials<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    token: &'a str,
    account_id: &'a str,
    expiration: String,
}

/// The container credentials endpoint's JSON (what the SDKs' container
/// provider reads: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`;
/// the EKS Pod Identity Agent adds `AccountId`).
pub fn container_credentials(c: &Credentials, account: &str) -> String {
    serde_json::to_string(&ContainerCredentials {
        access_key_id: &c.access_key_id,
        secret_access_key: &c.secret_access_key,
        token: &c.session_token,
        account_id: account,
        expiration: timestamp(c.expiration),
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "secret".into(),
            session_token: "token<&>".into(),
            expiration: 1_796_162_400,
        }
    }

    fn identity() -> Identity {
        Identity {
            arn: "arn:aws:sts::123456789012:assumed-role/S3WriterRole/s".into(),
            assumed_role_id: "AROAEXAMPLE:s".into(),
            account: "123456789012".into(),
        }
    }

    #[test]
    fn documents() {
        let grant = WebIdentityGrant {
            identity: identity(),
            subject: "system:serviceaccount:production:s3-writer".into(),
            audience: "sts.amazonaws.com".into(),
            provider: "oidc.eks.ap-south-1.amazonaws.com/id/X".into(),
        };
        insta::assert_snapshot!(assume_role_with_web_identity(&grant, &creds(), "rid"));
        insta::assert_snapshot!(get_caller_identity(&identity(), "rid"));
        insta::assert_snapshot!(error(&StsError::not_authorized(), "rid"));
        insta::assert_snapshot!(container_credentials(&creds(), "123456789012"));
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    }
}
