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
    /// Both, the way AWS recommends first.
    pub const ALL: [Direction; 2] = [Direction::ToPodIdentity, Direction::ToIrsa];

    /// The direction a `--to` word names (`pod-identity`, `irsa`): the inverse of [`Direction::target`].
    pub fn parse(to: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.target() == to)
    }

    /// The identityType the migration ends at, as the spec writes it.
    pub fn target(self) -> &'static str {
        match self {
            Direction::ToPodIdentity => "pod-identity",
            Direction::ToIrsa => "irsa",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_what_target_writes_and_nothing_else() {
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.target()), Some(d));
        }
        assert_eq!(Direction::parse("both"), None);
        assert_eq!(Direction::parse("to-irsa"), None);
    }
}
