//! What AWS would do with a token, for the lab: the account's roles, OIDC
//! providers and Pod Identity associations ([`account`], built from a spec),
//! the lab's issuers standing for the clusters' ([`issuers`]), the decisions of
//! STS `AssumeRoleWithWebIdentity` ([`web_identity`]) and of EKS Auth behind
//! the Pod Identity Agent ([`pod_identity`]), both through the evaluator, and
//! the negative matrix a setup must pass ([`matrix`]). Signatures are checked
//! by the caller through a closure, so core stays free of crypto.

pub mod account;
pub mod env;
pub mod from_files;
pub mod issuers;
pub mod matrix;
pub mod pod_identity;
pub mod web_identity;

pub use account::Account;
pub use issuers::IssuerMap;

/// What the caller's check of a token's signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    /// RS256 over the signing input with a key of the token's issuer.
    Valid,
    /// The issuer's key set has no key with the token's `kid`.
    UnknownKey,
    /// The algorithm is not RS256, or the signature does not verify.
    Invalid(String),
}
