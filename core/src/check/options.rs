//! The limits and settings of a check, which the shells fill from their
//! flags and options.

use crate::placeholder::Values;
use crate::quotas::DEFAULT_MAX_TRUST_POLICY_LENGTH;
use crate::source::Limits;

/// Limits and settings of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// Parse limits applied to every file.
    pub limits: Limits,
    /// Trust policy size quota in characters without whitespace (default 2048; never above 8192).
    pub max_trust_policy_length: usize,
    /// Most files one check accepts.
    pub max_files: usize,
    /// Most work linking ServiceAccounts to trust policies may do
    /// ([`LinkWork::total`](super::LinkWork::total): index lookups,
    /// candidates, evaluations and the condition values they match). Indexed
    /// linking stays far below it for real sets (10,000 trusts and 10,000
    /// ServiceAccounts need about 100,000); past it the ServiceAccounts left
    /// are named in IRSA402 instead of taking minutes (one trust of 90,000
    /// patterns that every ServiceAccount must be matched against).
    pub max_link_work: usize,
    /// Values for placeholders (`--set NAME=VALUE`), filled into every file
    /// before it is read ([`placeholder::fill`](crate::placeholder::fill)).
    pub set: Values,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            limits: Limits::default(),
            max_trust_policy_length: DEFAULT_MAX_TRUST_POLICY_LENGTH,
            max_files: 100_000,
            max_link_work: 2_000_000,
            set: Values::new(),
        }
    }
}
