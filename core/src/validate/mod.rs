//! Strict validation: a [`Spec`] becomes a [`ValidSpec`], or every problem is
//! reported at once, each with its field path, what is wrong and the fix.
//!
//! One section of the spec a file, in the order findings come out:
//! `load.rs` (text to [`Spec`]: SPEC001-003), `spec_level.rs` (the spec's own
//! fields and the bindings loop), `issuer.rs` (cluster and additionalClusters),
//! `binding.rs` (namespace and service accounts), `role.rs` (the IAM role's
//! name, path, boundary, description and tags), `permissions.rs`, `addons.rs`,
//! `workload.rs`, and `quotas.rs` (sizes of the generated policies). Every code
//! is registered with its explanation in `codes.rs` (`irsa-gen explain SPEC045`).

#[cfg(doc)]
use crate::spec::Spec;

mod addons;
mod binding;
pub mod codes;
mod issuer;
mod load;
mod permissions;
mod quotas;
mod report;
mod role;
mod spec_level;
mod workload;

pub use crate::model::{is_pattern, Binding, ValidSpec, Validated, Workload};
pub use crate::quotas::{
    DEFAULT_MAX_TRUST_POLICY_LENGTH, HARD_MAX_TRUST_POLICY_LENGTH, MAX_MANAGED_POLICY_LENGTH,
};
pub use load::{load_spec, load_spec_for, load_spec_json, load_spec_with, read_spec};
pub use report::Purpose;
pub use role::derive_role_name;
