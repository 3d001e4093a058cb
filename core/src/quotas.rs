//! IAM's size quotas on the documents of a role, in characters without
//! whitespace (how IAM counts them).

/// Default trust policy size quota (ACLSizePerRole), characters without whitespace.
pub const DEFAULT_MAX_TRUST_POLICY_LENGTH: usize = 2048;
/// The largest managed policy document, characters without whitespace.
pub const MAX_MANAGED_POLICY_LENGTH: usize = 6144;
/// The largest value the quota can be raised to.
pub const HARD_MAX_TRUST_POLICY_LENGTH: usize = 8192;

/// A trust policy size quota IAM does not have: below 1 or above
/// [`HARD_MAX_TRUST_POLICY_LENGTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not in 1..={HARD_MAX_TRUST_POLICY_LENGTH}")]
pub struct TrustLengthOutOfRange {
    /// The value asked for.
    pub value: u64,
}

/// The trust policy size quota a spec, `check --max-trust-policy-length` or
/// the npm module's `maxTrustPolicyLength` asks for: 1 to 8192 (the default
/// 2048 raised at most to 8192 on request), anything else refused.
pub fn max_trust_policy_length(value: u64) -> Result<usize, TrustLengthOutOfRange> {
    usize::try_from(value)
        .ok()
        .filter(|n| (1..=HARD_MAX_TRUST_POLICY_LENGTH).contains(n))
        .ok_or(TrustLengthOutOfRange { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trust_quota_is_one_to_8192() {
        assert_eq!(max_trust_policy_length(1), Ok(1));
        assert_eq!(max_trust_policy_length(8192), Ok(8192));
        let err = max_trust_policy_length(8193).unwrap_err();
        assert_eq!(err.to_string(), "8193 is not in 1..=8192");
        assert!(max_trust_policy_length(0).is_err());
        assert!(max_trust_policy_length(u64::MAX).is_err());
    }
}
