//! Minting a projected ServiceAccount token as the kubelet would get it from
//! the API server: core's claims, signed RS256 by the issuer's key.

use irsa_core::jwt;
use irsa_core::sa_token::{self, TokenRequest};

use crate::keys::SigningKey;
use crate::sessions::short_id;

/// What to mint.
#[derive(Debug, Clone)]
pub struct Mint {
    /// `iss`: a lab issuer URL.
    pub issuer: String,
    /// Namespace.
    pub namespace: String,
    /// ServiceAccount.
    pub service_account: String,
    /// `aud`.
    pub audience: String,
    /// `expirationSeconds`.
    pub expiration_seconds: u64,
    /// Issued this many seconds before now (a lifetime's worth and more makes it expired).
    pub age: i64,
    /// The bound pod's name.
    pub pod: Option<String>,
}

/// The compact token.
pub fn mint(m: &Mint, key: &SigningKey, now: i64) -> Result<String, String> {
    let request = TokenRequest {
        issuer: m.issuer.clone(),
        namespace: m.namespace.clone(),
        service_account: m.service_account.clone(),
        service_account_uid: short_id(),
        audiences: vec![m.audience.clone()],
        issued_at: now - m.age,
        expiration_seconds: m.expiration_seconds,
        pod: m.pod.clone().map(|name| (name, short_id())),
        jti: short_id(),
    };
    let input = jwt::signing_input(&sa_token::header(key.kid()), &request.claims());
    Ok(jwt::compact(&input, &key.sign(&input)?))
}
