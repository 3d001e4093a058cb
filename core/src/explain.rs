//! Every code `irsa-gen explain` answers with a [`Rule`]: the checker's
//! ([`crate::rules::RULES`], IRSA...), migrate's
//! ([`crate::migrate::codes::MIG_CODES`], MIG...) and validation's
//! ([`crate::validate::codes::SPEC_CODES`], SPEC...). The tables stay
//! where their findings are made; this is only the lookup over both, so
//! no shell keeps a table of its own. (SARIF lists the checker's rules only:
//! its findings are the checker's.)

use crate::migrate::codes::MIG_CODES;
use crate::rules::{Rule, RULES};
use crate::validate::codes::SPEC_CODES;

/// Every code with its rule: the checker's, migrate's, then validation's.
pub fn every_code() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(MIG_CODES).chain(SPEC_CODES)
}

/// The rule of a code of any table (case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    every_code().find(|r| r.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_answers_and_no_code_is_in_two() {
        assert_eq!(rule("irsa004").map(|r| r.code), Some("IRSA004"));
        assert_eq!(rule("spec045").map(|r| r.code), Some("SPEC045"));
        assert_eq!(rule("mig033").map(|r| r.code), Some("MIG033"));
        assert_eq!(rule("SPEC999"), None);
        let codes: Vec<&str> = every_code().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "codes sorted and unique across the tables");
    }
}
