//! The sizes IAM limits, measured on the policies generation would write:
//! the trust policy against maxTrustPolicyLength (SPEC064) and the
//! permissions policy against the managed policy size (SPEC065).

use crate::source::FieldPath;

use super::report::Report;
use super::{ValidSpec, MAX_MANAGED_POLICY_LENGTH};

/// Checks every binding's generated policies against IAM's size quotas.
pub(super) fn check_quotas(r: &mut Report, root: &FieldPath, spec: &ValidSpec) {
    for (i, b) in spec.bindings.iter().enumerate() {
        let len = crate::documents::trust_policy(spec, b).quota_length();
        if len > spec.max_trust_policy_length {
            r.error(
                "SPEC064",
                &root.key("bindings").index(i),
                format!("the trust policy of role `{}` would be {len} characters (without whitespace); the limit is {}", b.role_name, spec.max_trust_policy_length),
                "split the service accounts over several bindings (one role each), or raise maxTrustPolicyLength after requesting the ACLSizePerRole quota increase (at most 8192)",
            );
            r.fails("LimitExceeded: Cannot exceed quota for ACLSizePerRole");
        }
        let len = crate::documents::permissions_policy(spec, b).map_or(0, |p| p.quota_length());
        if len > MAX_MANAGED_POLICY_LENGTH {
            r.error(
                "SPEC065",
                &root.key("bindings").index(i).key("permissions"),
                format!("the permissions policy of role `{}` would be {len} characters (without whitespace); a managed policy holds at most {MAX_MANAGED_POLICY_LENGTH}", b.role_name),
                "move some grants to another binding or to managed policies (managedPolicyArns)",
            );
            r.fails("LimitExceeded: Cannot exceed quota for PolicySize");
        }
    }
}
