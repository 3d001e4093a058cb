//! IAM's size quotas on the documents of a role, in characters without
//! whitespace (how IAM counts them).

/// Default trust policy size quota (ACLSizePerRole), characters without whitespace.
pub const DEFAULT_MAX_TRUST_POLICY_LENGTH: usize = 2048;
/// The largest managed policy document, characters without whitespace.
pub const MAX_MANAGED_POLICY_LENGTH: usize = 6144;
/// The largest value the quota can be raised to.
pub const HARD_MAX_TRUST_POLICY_LENGTH: usize = 8192;
