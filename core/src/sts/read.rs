//! The client side: STS's XML documents read back (by `lab test`, the load
//! test and the tests), with quick-xml's serde deserializer.

use serde::Deserialize;

use super::response::Credentials;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody {
    code: String,
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorDoc {
    error: ErrorBody,
}

/// The code and message of an `<ErrorResponse>`.
pub fn error(xml: &str) -> Option<(String, String)> {
    let d: ErrorDoc = quick_xml::de::from_str(xml).ok()?;
    Some((d.error.code, d.error.message))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XmlCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssumedRoleUser {
    arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WebIdentityResult {
    credentials: XmlCredentials,
    assumed_role_user: AssumedRoleUser,
}

#[derive(Deserialize)]
struct WebIdentityDoc {
    #[serde(rename = "AssumeRoleWithWebIdentityResult")]
    result: WebIdentityResult,
}

/// The credentials and assumed-role ARN of an `<AssumeRoleWithWebIdentityResponse>`
/// (the expiration is not read back: 0).
pub fn assumed(xml: &str) -> Option<(Credentials, String)> {
    let d: WebIdentityDoc = quick_xml::de::from_str(xml).ok()?;
    let c = d.result.credentials;
    Some((
        Credentials {
            access_key_id: c.access_key_id,
            secret_access_key: c.secret_access_key,
            session_token: c.session_token,
            expiration: 0,
        },
        d.result.assumed_role_user.arn,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CallerResult {
    arn: String,
}

#[derive(Deserialize)]
struct CallerDoc {
    #[serde(rename = "GetCallerIdentityResult")]
    result: CallerResult,
}

/// The `Arn` of a `<GetCallerIdentityResponse>`.
pub fn caller_arn(xml: &str) -> Option<String> {
    let d: CallerDoc = quick_xml::de::from_str(xml).ok()?;
    Some(d.result.arn)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ContainerCredentials {
    access_key_id: String,
    secret_access_key: String,
    token: String,
}

/// The credentials of a container credentials endpoint's JSON.
pub fn container_credentials(json: &str) -> Option<Credentials> {
    let c: ContainerCredentials = serde_json::from_str(json).ok()?;
    Some(Credentials {
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.token,
        expiration: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::super::response::{self, Identity, WebIdentityGrant};
    use super::super::StsError;
    use super::*;

    #[test]
    fn reads_back_what_the_lab_writes() {
        let c = Credentials {
            access_key_id: "ASIA1".into(),
            secret_access_key: "s".into(),
            session_token: "t".into(),
            expiration: 0,
        };
        let who = Identity {
            arn: "arn:aws:sts::1:assumed-role/R/s".into(),
            assumed_role_id: "A:s".into(),
            account: "1".into(),
        };
        let g = WebIdentityGrant {
            identity: who.clone(),
            subject: "x".into(),
            audience: "a".into(),
            provider: "p".into(),
        };
        assert_eq!(
            assumed(&response::assume_role_with_web_identity(&g, &c, "r")),
            Some((c.clone(), who.arn.clone()))
        );
        assert_eq!(
            caller_arn(&response::get_caller_identity(&who, "r")),
            Some(who.arn.clone())
        );
        let e = StsError::incorrect_audience();
        assert_eq!(
            error(&response::error(&e, "r")),
            Some((e.code.to_string(), e.message))
        );
        assert_eq!(
            container_credentials(&response::container_credentials(&c, "1")),
            Some(c)
        );
    }
}
