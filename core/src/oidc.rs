//! An OIDC issuer's public documents, as the Kubernetes API server serves them
//! for ServiceAccount tokens (and as STS fetches them): the discovery document
//! at `ISSUER/.well-known/openid-configuration` and the key set it names.

use serde::Serialize;

use crate::jwt::base64url;

/// Where the key set lives under an issuer.
pub const JWKS_PATH: &str = "/openid/v1/jwks";
/// Where the discovery document lives under an issuer.
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";

/// `/.well-known/openid-configuration`, with the fields the API server writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discovery {
    /// The issuer URL, exactly the tokens' `iss`.
    pub issuer: String,
    /// The key set's URL.
    pub jwks_uri: String,
    /// Always `["id_token"]`.
    pub response_types_supported: Vec<String>,
    /// Always `["public"]`.
    pub subject_types_supported: Vec<String>,
    /// `["RS256"]`.
    pub id_token_signing_alg_values_supported: Vec<String>,
}

/// The discovery document of an issuer URL.
pub fn discovery(issuer: &str) -> Discovery {
    Discovery {
        issuer: issuer.to_string(),
        jwks_uri: format!("{}{JWKS_PATH}", issuer.trim_end_matches('/')),
        response_types_supported: vec!["id_token".into()],
        subject_types_supported: vec!["public".into()],
        id_token_signing_alg_values_supported: vec!["RS256".into()],
    }
}

/// One RSA public key (RFC 7517).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jwk {
    /// `sig`.
    #[serde(rename = "use")]
    pub use_: String,
    /// `RSA`.
    pub kty: String,
    /// The key ID tokens name in their header.
    pub kid: String,
    /// `RS256`.
    pub alg: String,
    /// The modulus, base64url.
    pub n: String,
    /// The public exponent, base64url.
    pub e: String,
}

/// A key set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// The JWK of an RSA signing key from its big-endian modulus and exponent.
pub fn rsa_jwk(kid: &str, modulus: &[u8], exponent: &[u8]) -> Jwk {
    Jwk {
        use_: "sig".into(),
        kty: "RSA".into(),
        kid: kid.to_string(),
        alg: "RS256".into(),
        n: base64url(modulus),
        e: base64url(exponent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let d = discovery("http://127.0.0.1:1/a/");
        assert_eq!(d.jwks_uri, "http://127.0.0.1:1/a/openid/v1/jwks");
        let k = rsa_jwk("k", &[1, 0, 1], &[1, 0, 1]);
        assert_eq!((k.n.as_str(), k.e.as_str()), ("AQAB", "AQAB"));
        let text = serde_json::to_string(&Jwks { keys: vec![k] }).unwrap();
        assert!(text.starts_with(r#"{"keys":[{"use":"sig","kty":"RSA""#));
    }
}
