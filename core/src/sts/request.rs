//! The Query protocol: `Action=...&Version=2011-06-15&...`, form-encoded in
//! the body of a POST (or in the query string), validated against the
//! constraints of the STS API reference with STS's messages.

use super::StsError;

/// The Query API version every SDK sends.
pub const VERSION: &str = "2011-06-15";

/// An STS request the lab answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `AssumeRoleWithWebIdentity` (unsigned: the token is the credential).
    AssumeRoleWithWebIdentity(WebIdentityRequest),
    /// `GetCallerIdentity` (SigV4-signed).
    GetCallerIdentity,
}

/// The parameters of `AssumeRoleWithWebIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentityRequest {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub role_session_name: String,
    /// `WebIdentityToken`.
    pub web_identity_token: String,
    /// `DurationSeconds` (3600 when absent).
    pub duration_seconds: Option<i64>,
}

/// The session lifetime when `DurationSeconds` is absent.
pub const DEFAULT_DURATION_SECONDS: i64 = 3_600;

/// Members whose value STS never echoes in a validation message.
const SENSITIVE: &[&str] = &["webIdentityToken"];

/// One constraint of the API reference.
enum Constraint {
    Length(usize, usize),
    SessionName,
    Range(i64, i64),
}

fn problem(member: &str, value: Option<&str>, c: &Constraint) -> Option<String> {
    let shown = |v: &str| {
        if SENSITIVE.contains(&member) {
            format!("Value at '{member}'")
        } else {
            format!("Value '{v}' at '{member}'")
        }
    };
    let Some(v) = value else {
        return Some(format!(
            "Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ));
    };
    let fail = |rule: String| {
        Some(format!(
            "{} failed to satisfy constraint: Member must {rule}",
            shown(v)
        ))
    };
    match c {
        Constraint::Length(min, max) => {
            let n = v.chars().count();
            if n < *min {
                fail(format!("have length greater than or equal to {min}"))
            } else if n > *max {
                fail(format!("have length less than or equal to {max}"))
            } else {
                None
            }
        }
        Constraint::SessionName => {
            let n = v.chars().count();
            if n < 2 {
                fail("have length greater than or equal to 2".into())
            } else if n > 64 {
                fail("have length less than or equal to 64".into())
            } else if !v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
            {
                fail(r"satisfy regular expression pattern: [\w+=,.@-]*".into())
            } else {
                None
            }
        }
        Constraint::Range(min, max) => match v.trim().parse::<i64>() {
            Ok(d) if d < *min => fail(format!("have value greater than or equal to {min}")),
            Ok(d) if d > *max => fail(format!("have value less than or equal to {max}")),
            Ok(_) => None,
            Err(_) => fail("be an integer".into()),
        },
    }
}

/// Parses a form-encoded Query request (body and query string joined by `&`).
/// The first occurrence of a parameter wins.
pub fn parse(form: &str) -> Result<Request, StsError> {
    let params: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(action) = get("Action") else {
        return Err(StsError::new("MissingAction", "Missing Action"));
    };
    let version = get("Version").unwrap_or("");
    if version != VERSION {
        return Err(StsError::invalid_action(action, version));
    }
    match action {
        "GetCallerIdentity" => Ok(Request::GetCallerIdentity),
        "AssumeRoleWithWebIdentity" => web_identity(&get),
        _ => Err(StsError::invalid_action(action, version)),
    }
}

fn web_identity<'a>(get: &dyn Fn(&str) -> Option<&'a str>) -> Result<Request, StsError> {
    let checks = [
        ("roleArn", get("RoleArn"), Constraint::Length(20, 2048)),
        (
            "roleSessionName",
            get("RoleSessionName"),
            Constraint::SessionName,
        ),
        (
            "webIdentityToken",
            get("WebIdentityToken"),
            Constraint::Length(4, crate::jwt::MAX_TOKEN_LENGTH),
        ),
    ];
    let mut problems: Vec<String> = checks
        .iter()
        .filter_map(|(m, v, c)| problem(m, *v, c))
        .collect();
    let duration = get("DurationSeconds");
    if let Some(p) =
        duration.and_then(|d| problem("durationSeconds", Some(d), &Constraint::Range(900, 43_200)))
    {
        problems.push(p);
    }
    if !problems.is_empty() {
        return Err(StsError::validation(&problems));
    }
    Ok(Request::AssumeRoleWithWebIdentity(WebIdentityRequest {
        role_arn: get("RoleArn").unwrap_or_default().to_string(),
        role_session_name: get("RoleSessionName").unwrap_or_default().to_string(),
        web_identity_token: get("WebIdentityToken").unwrap_or_default().to_string(),
        duration_seconds: duration.and_then(|d| d.trim().parse().ok()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FS3WriterRole";

    #[test]
    fn web_identity_request() {
        let r = parse(&format!(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={ROLE}&RoleSessionName=botocore-session-1&WebIdentityToken=a.b.c"
        ))
        .unwrap();
        let Request::AssumeRoleWithWebIdentity(w) = r else {
            panic!("{r:?}")
        };
        assert_eq!(w.role_arn, "arn:aws:iam::123456789012:role/S3WriterRole");
        assert_eq!(w.duration_seconds, None);
    }

    #[test]
    fn validation_messages_are_stss() {
        let e = parse("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=a%20b&WebIdentityToken=abc").unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert_eq!(
            e.message,
            "3 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; \
             Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; \
             Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"
        );
        let long = "x".repeat(20_001);
        let e = parse(&format!("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={ROLE}&RoleSessionName=ab&WebIdentityToken={long}&DurationSeconds=60")).unwrap_err();
        assert!(
            e.message.starts_with("2 validation errors"),
            "{}",
            e.message
        );
        assert!(!e.message.contains(&long));
    }

    #[test]
    fn actions_and_versions() {
        assert_eq!(
            parse("Action=GetCallerIdentity&Version=2011-06-15"),
            Ok(Request::GetCallerIdentity)
        );
        assert_eq!(
            parse("Version=2011-06-15").unwrap_err().code,
            "MissingAction"
        );
        let e = parse("Action=AssumeRole&Version=2011-06-15").unwrap_err();
        assert_eq!(
            e.message,
            "Could not find operation AssumeRole for version 2011-06-15"
        );
        assert_eq!(
            parse("Action=GetCallerIdentity&Version=2010")
                .unwrap_err()
                .code,
            "InvalidAction"
        );
    }
}
