//! JSON Web Tokens in compact form (RFC 7519 over RFC 7515), as STS reads a
//! web identity token: three base64url parts, a JSON header and a JSON claims
//! set. Decoding and the signing input are pure; signing and verifying the
//! signature are the caller's (the lab does RS256).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value as Json};

/// The longest token STS accepts (`WebIdentityToken`: 4 to 20,000 characters).
pub const MAX_TOKEN_LENGTH: usize = 20_000;

/// A decoded, not yet verified, compact JWS.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwt {
    /// The protected header (`alg`, `kid`, `typ`...).
    pub header: Map<String, Json>,
    /// The claims set.
    pub claims: Map<String, Json>,
    /// `BASE64URL(header) . BASE64URL(claims)`: the bytes the signature covers.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Why a text is not a JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAJwt {
    /// Not three dot-separated parts.
    Shape,
    /// A part that is not base64url.
    Encoding(&'static str),
    /// A header or claims part that is not a JSON object.
    Json(&'static str),
}

impl std::fmt::Display for NotAJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAJwt::Shape => write!(f, "a JWT has three parts separated by dots"),
            NotAJwt::Encoding(part) => write!(f, "the {part} is not base64url"),
            NotAJwt::Json(part) => write!(f, "the {part} is not a JSON object"),
        }
    }
}

impl Jwt {
    /// The header's `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Json::as_str)
    }

    /// The header's `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Json::as_str)
    }

    /// A string claim.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Json::as_str)
    }

    /// A NumericDate claim (seconds since the epoch; fractions are cut).
    pub fn claim_time(&self, name: &str) -> Option<i64> {
        let v = self.claims.get(name)?;
        v.as_i64().or_else(|| v.as_f64().map(|f| f.trunc() as i64))
    }

    /// The `aud` claim as a list (a single string is a list of one).
    pub fn audiences(&self) -> Vec<&str> {
        match self.claims.get("aud") {
            Some(Json::String(s)) => vec![s.as_str()],
            Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

fn part(text: &str, name: &'static str) -> Result<Vec<u8>, NotAJwt> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| NotAJwt::Encoding(name))
}

fn object(bytes: &[u8], name: &'static str) -> Result<Map<String, Json>, NotAJwt> {
    match serde_json::from_slice(bytes) {
        Ok(Json::Object(m)) => Ok(m),
        _ => Err(NotAJwt::Json(name)),
    }
}

/// Decodes a compact JWS without verifying it.
pub fn decode(token: &str) -> Result<Jwt, NotAJwt> {
    let mut parts = token.trim().split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(NotAJwt::Shape);
    };
    let header = object(&part(h, "header")?, "header")?;
    let claims = object(&part(c, "claims set")?, "claims set")?;
    let signature = part(s, "signature")?;
    Ok(Jwt {
        header,
        claims,
        signing_input: format!("{h}.{c}"),
        signature,
    })
}

/// `BASE64URL(header) . BASE64URL(claims)`, ready to be signed.
pub fn signing_input(header: &Json, claims: &Json) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The compact token: the signing input and its signature.
pub fn compact(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Unpadded base64url, as JWKs write key parameters.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip() {
        let input = signing_input(
            &json!({"alg": "RS256", "kid": "k1"}),
            &json!({"sub": "a", "aud": ["x", "y"], "exp": 10.7}),
        );
        let token = compact(&input, b"sig");
        let jwt = decode(&token).unwrap();
        assert_eq!(jwt.alg(), Some("RS256"));
        assert_eq!(jwt.kid(), Some("k1"));
        assert_eq!(jwt.audiences(), vec!["x", "y"]);
        assert_eq!(jwt.claim_time("exp"), Some(10));
        assert_eq!(jwt.signature, b"sig");
        assert_eq!(jwt.signing_input, input);
    }

    #[test]
    fn malformed() {
        assert_eq!(decode("a.b"), Err(NotAJwt::Shape));
        assert_eq!(decode("a.b.c.d"), Err(NotAJwt::Shape));
        assert_eq!(decode("!!.e30.e30"), Err(NotAJwt::Encoding("header")));
        assert_eq!(decode("W10.e30.e30"), Err(NotAJwt::Json("header")));
        // `alg: none` with an empty signature still decodes; verification refuses it.
        let none = compact(&signing_input(&json!({"alg": "none"}), &json!({})), b"");
        assert_eq!(decode(&none).unwrap().alg(), Some("none"));
    }
}
