//! The issuers' RSA keys: made at start (or loaded from a PKCS#8 PEM file),
//! their JWKs, RS256 signing, and the check of a token's signature. The
//! clusters' issuers share one key, as one API server signs every token of a
//! cluster; the other issuer has its own.

use irsa_core::emulate::{IssuerMap, Signature};
use irsa_core::jwt::{self, Jwt};
use irsa_core::oidc::{self, Jwk};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::sha2::{Digest, Sha256};
use rsa::traits::PublicKeyParts;
use rsa::{Generate, PrivateKey, PublicKey};

/// An RS256 signing key and its key ID.
#[derive(Debug, Clone)]
pub struct SigningKey {
    kid: String,
    private: PrivateKey,
    public: PublicKey,
}

impl SigningKey {
    /// A new 2048-bit key from the OS's random source.
    pub fn generate() -> SigningKey {
        SigningKey::from_private(PrivateKey::generate())
    }

    fn from_private(private: PrivateKey) -> SigningKey {
        let public = private.to_public_key();
        // The API server's key ID: base64url(SHA-256(DER of the public key)).
        let der = public
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default();
        SigningKey {
            kid: jwt::base64url(&Sha256::digest(der)),
            private,
            public,
        }
    }

    /// A key from a PKCS#8 PEM text.
    pub fn from_pem(text: &str) -> Result<SigningKey, String> {
        PrivateKey::from_pkcs8_pem(text)
            .map(SigningKey::from_private)
            .map_err(|e| format!("not an RSA private key in PKCS#8 PEM: {e}"))
    }

    /// The key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, String> {
        self.private
            .to_pkcs8_pem(LineEnding::LF)
            .map(|p| p.to_string())
            .map_err(|e| e.to_string())
    }

    /// The key ID.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Jwk {
        oidc::rsa_jwk(&self.kid, &self.public.n_bytes(), &self.public.e_bytes())
    }

    /// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over the signing input.
    pub fn sign(&self, signing_input: &str) -> Result<Vec<u8>, String> {
        self.private
            .pkcs1v15_sign::<Sha256>(signing_input.as_bytes())
            .map_err(|e| e.to_string())
    }

    /// Checks a token's RS256 signature with this key.
    pub fn verify(&self, token: &Jwt) -> Signature {
        match token.alg() {
            Some("RS256") => {}
            Some(alg) => {
                return Signature::Invalid(format!("algorithm {alg} is not supported (RS256 only)"))
            }
            None => return Signature::Invalid("the header has no alg".into()),
        }
        if token.kid().is_some_and(|k| k != self.kid) {
            return Signature::UnknownKey;
        }
        match self
            .public
            .pkcs1v15_verify::<Sha256>(token.signing_input.as_bytes(), &token.signature)
        {
            Ok(()) => Signature::Valid,
            Err(_) => {
                Signature::Invalid("the signature does not verify with the issuer's key".into())
            }
        }
    }
}

/// The keys of every issuer the lab serves.
#[derive(Debug, Clone)]
pub struct KeyRing {
    /// The key of the clusters' issuers.
    pub cluster: SigningKey,
    /// The key of the other issuer.
    pub other: SigningKey,
}

impl KeyRing {
    /// The key of an issuer URL (a lab issuer), if the lab serves it.
    pub fn for_issuer(&self, issuers: &IssuerMap, iss: &str) -> Option<&SigningKey> {
        if issuers.cluster_of(iss).is_some() {
            Some(&self.cluster)
        } else if iss.trim_end_matches('/') == issuers.other_issuer() {
            Some(&self.other)
        } else {
            None
        }
    }

    /// The key of an issuer path under the lab's base URL.
    pub fn for_path(&self, issuers: &IssuerMap, path: &str) -> Option<&SigningKey> {
        self.for_issuer(issuers, &format!("{}/{path}", issuers.base))
    }

    /// Checks a token against its issuer's key, as STS does after fetching the JWKS.
    pub fn verify(&self, issuers: &IssuerMap, token: &Jwt) -> Signature {
        match token
            .claim_str("iss")
            .and_then(|iss| self.for_issuer(issuers, iss))
        {
            Some(key) => key.verify(token),
            None => Signature::UnknownKey,
        }
    }
}
