//! Where a migration goes: the one type every file of `migrate` shares. It
//! imports nothing from its siblings, so `mod.rs` only declares and
//! re-exports, and no file of `migrate` imports its parent (no circle).

use serde::Serialize;

/// Where the migration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// IRSA -> EKS Pod Identity.
    ToPodIdentity,
    /// EKS Pod Identity -> IRSA.
    ToIrsa,
}

impl Direction {
    /// The identityType the migration ends at, as the spec writes it.
    pub fn target(self) -> &'static str {
        match self {
            Direction::ToPodIdentity => "pod-identity",
            Direction::ToIrsa => "irsa",
        }
    }
}
