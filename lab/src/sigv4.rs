//! AWS Signature Version 4, both ways: the lab verifies the signature of a
//! `GetCallerIdentity` request with the secret of credentials it issued, and
//! its own client (`lab test`, the load test) signs one. HMAC-SHA256 as the
//! SigV4 documentation specifies it.

use hmac::{Hmac, KeyInit, Mac};
use irsa_core::sts::StsError;
use sha2::{Digest, Sha256};

/// The algorithm the SDKs sign with.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// A request as the signature covers it.
#[derive(Debug, Clone)]
pub struct Signed<'a> {
    /// `POST`.
    pub method: &'a str,
    /// The path (`/`).
    pub path: &'a str,
    /// The raw query string.
    pub query: &'a str,
    /// Header names (any case) and values.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The access key ID.
    pub access_key: String,
    /// `DATE/REGION/SERVICE/aws4_request`.
    pub scope: String,
    /// The signed header names, lower case, `;`-separated.
    pub signed_headers: String,
    /// The hex signature.
    pub signature: String,
}

/// Reads the Authorization header; STS's errors for what is missing.
pub fn parse_authorization(value: Option<&str>) -> Result<Authorization, StsError> {
    let value = value.ok_or_else(StsError::missing_authentication)?;
    let rest = value
        .strip_prefix(ALGORITHM)
        .ok_or_else(|| StsError::incomplete_signature("Credential"))?;
    let field = |name: &str| {
        rest.split(',')
            .map(str::trim)
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_string)
    };
    let credential =
        field("Credential").ok_or_else(|| StsError::incomplete_signature("Credential"))?;
    let signed_headers =
        field("SignedHeaders").ok_or_else(|| StsError::incomplete_signature("SignedHeaders"))?;
    let signature =
        field("Signature").ok_or_else(|| StsError::incomplete_signature("Signature"))?;
    let (access_key, scope) = credential
        .split_once('/')
        .ok_or_else(|| StsError::incomplete_signature("Credential"))?;
    Ok(Authorization {
        access_key: access_key.to_string(),
        scope: scope.to_string(),
        signed_headers,
        signature,
    })
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// SigV4's URI encoding: unreserved characters stay, the rest is `%XX`.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (encode(&k), encode(&v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical request of the SigV4 documentation.
pub fn canonical_request(r: &Signed<'_>, signed_headers: &str) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let values: Vec<String> = header(r.headers, name)
            .iter()
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload = header(r.headers, "x-amz-content-sha256")
        .first()
        .map_or_else(|| hex::encode(Sha256::digest(r.body)), |v| (*v).to_string());
    format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload}",
        r.method,
        if r.path.is_empty() { "/" } else { r.path },
        canonical_query(r.query)
    )
}

/// The hex signature of a request by a secret, for a timestamp and scope.
pub fn signature(
    r: &Signed<'_>,
    signed_headers: &str,
    secret: &str,
    amz_date: &str,
    scope: &str,
) -> String {
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(
            canonical_request(r, signed_headers).as_bytes()
        ))
    );
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in scope.split('/') {
        key = hmac(&key, part.as_bytes());
    }
    hex::encode(hmac(&key, string_to_sign.as_bytes()))
}

/// Checks a request's signature with the secret of its access key.
pub fn verify(r: &Signed<'_>, auth: &Authorization, secret: &str) -> Result<(), StsError> {
    let amz_date = header(r.headers, "x-amz-date")
        .first()
        .map(|d| (*d).to_string())
        .ok_or_else(StsError::signature_does_not_match)?;
    let expected = signature(r, &auth.signed_headers, secret, &amz_date, &auth.scope);
    // Compare without an early exit.
    let same = expected.len() == auth.signature.len()
        && expected
            .bytes()
            .zip(auth.signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(StsError::signature_does_not_match())
    }
}

/// The headers a client adds to sign a request (`host` and `x-amz-date` are
/// among `headers` already): the session token and the Authorization header.
pub fn authorization(
    r: &Signed<'_>,
    access_key: &str,
    secret: &str,
    amz_date: &str,
    region: &str,
    service: &str,
) -> String {
    let mut names: Vec<String> = r
        .headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let signed = names.join(";");
    let date = amz_date.get(..8).unwrap_or("");
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let sig = signature(r, &signed, secret, amz_date, &scope);
    format!("{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={sig}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the SigV4 documentation (IAM ListUsers, GET with a query).
    #[test]
    fn documented_example() {
        let headers = vec![
            (
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded; charset=utf-8".to_string(),
            ),
            ("Host".to_string(), "iam.amazonaws.com".to_string()),
            ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
        ];
        let r = Signed {
            method: "GET",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: &headers,
            body: b"",
        };
        let sig = signature(
            &r,
            "content-type;host;x-amz-date",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830T123600Z",
            "20150830/us-east-1/iam/aws4_request",
        );
        assert_eq!(
            sig,
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn sign_then_verify() {
        let mut headers = vec![
            ("host".to_string(), "127.0.0.1:1".to_string()),
            ("x-amz-date".to_string(), "20261201T000000Z".to_string()),
        ];
        let body = b"Action=GetCallerIdentity&Version=2011-06-15";
        let r = Signed {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body,
        };
        let value = authorization(
            &r,
            "ASIA1",
            "secret",
            "20261201T000000Z",
            "us-east-1",
            "sts",
        );
        let auth = parse_authorization(Some(&value)).unwrap();
        assert_eq!(verify(&r, &auth, "secret"), Ok(()));
        assert_eq!(
            verify(&r, &auth, "other").unwrap_err().code,
            "SignatureDoesNotMatch"
        );
        headers.push(("x-extra".into(), "1".into()));
        assert_eq!(
            parse_authorization(None).unwrap_err().code,
            "MissingAuthenticationToken"
        );
        assert_eq!(
            parse_authorization(Some("AWS4-HMAC-SHA256 Credential=a/b"))
                .unwrap_err()
                .code,
            "IncompleteSignature"
        );
    }
}
