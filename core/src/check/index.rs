//! The index that finds, for one ServiceAccount, the trust statements that
//! may let it in, so that the evaluator is asked only about those.
//!
//! Every web-identity Allow statement of a trust is a [`Key`]: its providers,
//! what its `sub` conditions let in ([`Sub`]) and the audiences it names.
//! Exact subjects are found by hash; patterns by their literal prefix (a
//! pattern with a literal namespace is found only from the subjects of that
//! namespace); statements that let every subject in sit in one short list.
//! The index may return too much (the evaluator decides), never too little.

use std::collections::HashMap;

use crate::placeholder::HOLE;

/// Every ServiceAccount subject starts with this.
const SUBJECT_PREFIX: &str = "system:serviceaccount:";

/// What one value of a statement's `sub` condition lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sub {
    /// This subject, exactly (StringEquals, or StringLike without a wildcard).
    Exact(String),
    /// This subject, compared without case (StringEqualsIgnoreCase).
    Folded(String),
    /// Subjects that start with this text: a pattern, a placeholder or a
    /// policy variable follows it.
    Prefix(String),
    /// Any subject: no `sub` condition, `system:serviceaccount:*`, an
    /// operator the index cannot read (negated, set, IfExists).
    Any,
}

impl Sub {
    /// The value of a positive, single-valued `sub` condition under `op`
    /// (`StringEquals`, `StringEqualsIgnoreCase`, `StringLike`); `masked` is
    /// the value with a [`HOLE`] for each placeholder.
    pub(super) fn of(op: &str, value: &str, masked: &str) -> Sub {
        let wildcards = op == "StringLike";
        let folded = op == "StringEqualsIgnoreCase";
        let cut = masked.char_indices().find(|&(i, c)| {
            c == HOLE
                || (wildcards && matches!(c, '*' | '?'))
                || masked.get(i..).is_some_and(|r| r.starts_with("${"))
        });
        match cut {
            None if folded => Sub::Folded(value.to_lowercase()),
            None => Sub::Exact(value.to_string()),
            Some(_) if folded => Sub::Any,
            Some((i, _)) => {
                let prefix = masked.get(..i).unwrap_or("");
                if SUBJECT_PREFIX.starts_with(prefix) {
                    Sub::Any
                } else {
                    Sub::Prefix(prefix.to_string())
                }
            }
        }
    }
}

/// One way into a trust: a web-identity Allow statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Key {
    /// The statement's providers (issuer host/path).
    pub providers: Vec<String>,
    /// What its `sub` conditions let in; empty when they let in no
    /// ServiceAccount the evaluator could be asked about.
    pub subs: Vec<Sub>,
    /// The audiences a StringEquals `aud` condition names literally; `None`
    /// when any audience may pass as far as the index can tell.
    pub auds: Option<Vec<String>>,
}

impl Key {
    /// Could a token for `aud` pass the statement's `aud` condition?
    pub(super) fn accepts(&self, aud: &str) -> bool {
        self.auds
            .as_ref()
            .is_none_or(|auds| auds.iter().any(|a| a == aud))
    }
}

/// A statement of a trust: `trust` indexes the linked trusts, `key` that trust's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Entry {
    pub trust: usize,
    pub key: usize,
}

/// The keys of every trust, by what their `sub` lets in.
#[derive(Debug, Default)]
pub(super) struct Index {
    exact: HashMap<String, Vec<Entry>>,
    folded: HashMap<String, Vec<Entry>>,
    prefixes: HashMap<String, Vec<Entry>>,
    /// The distinct lengths (bytes) of `prefixes`, shortest first.
    prefix_lengths: Vec<usize>,
    any: Vec<Entry>,
}

impl Index {
    /// Indexes the keys of each trust (its position, its keys).
    pub(super) fn build<'k>(trusts: impl Iterator<Item = (usize, &'k [Key])>) -> Index {
        let mut index = Index::default();
        for (trust, keys) in trusts {
            for (key, k) in keys.iter().enumerate() {
                let entry = Entry { trust, key };
                for sub in &k.subs {
                    let list = match sub {
                        Sub::Exact(s) => index.exact.entry(s.clone()).or_default(),
                        Sub::Folded(s) => index.folded.entry(s.clone()).or_default(),
                        Sub::Prefix(p) => index.prefixes.entry(p.clone()).or_default(),
                        Sub::Any => &mut index.any,
                    };
                    if list.last() != Some(&entry) {
                        list.push(entry);
                    }
                }
            }
        }
        index.prefix_lengths = index.prefixes.keys().map(String::len).collect();
        index.prefix_lengths.sort_unstable();
        index.prefix_lengths.dedup();
        index
    }

    /// The statements whose `sub` may admit `sub`, most specific first
    /// (exact, then by prefix, longest first; an entry may repeat), and how
    /// many lookups finding them took. The open list ([`Index::open`]) comes after them.
    pub(super) fn candidates(&self, sub: &str) -> (Vec<Entry>, usize) {
        let mut found = Vec::new();
        let mut lookups = 1;
        found.extend(self.exact.get(sub).into_iter().flatten());
        if !self.folded.is_empty() {
            lookups += 1;
            found.extend(self.folded.get(&sub.to_lowercase()).into_iter().flatten());
        }
        for &len in self.prefix_lengths.iter().rev() {
            if let Some(p) = sub.get(..len) {
                lookups += 1;
                found.extend(self.prefixes.get(p).into_iter().flatten());
            }
        }
        (found, lookups)
    }

    /// The statements that may admit any subject.
    pub(super) fn open(&self) -> &[Entry] {
        &self.any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_keys() {
        let of = |op, v: &str| Sub::of(op, v, &crate::widen::mask_value(Some("sub"), v));
        let exact = "system:serviceaccount:prod:app";
        assert_eq!(of("StringEquals", exact), Sub::Exact(exact.into()));
        assert_eq!(of("StringLike", exact), Sub::Exact(exact.into()));
        // Under StringEquals a star is a character.
        let star = "system:serviceaccount:prod:*";
        assert_eq!(of("StringEquals", star), Sub::Exact(star.into()));
        assert_eq!(
            of("StringLike", star),
            Sub::Prefix("system:serviceaccount:prod:".into())
        );
        assert_eq!(
            of("StringLike", "system:serviceaccount:team-?:app"),
            Sub::Prefix("system:serviceaccount:team-".into())
        );
        assert_eq!(
            of("StringEqualsIgnoreCase", "system:serviceaccount:Prod:App"),
            Sub::Folded("system:serviceaccount:prod:app".into())
        );
        // Placeholders and policy variables end the literal prefix.
        assert_eq!(
            of("StringEquals", "system:serviceaccount:${NAMESPACE}:app"),
            Sub::Any
        );
        assert_eq!(
            of("StringEquals", "system:serviceaccount:prod:${aws:username}"),
            Sub::Prefix("system:serviceaccount:prod:".into())
        );
        // Patterns open to every namespace are in the short list.
        assert_eq!(of("StringLike", "system:serviceaccount:*"), Sub::Any);
        assert_eq!(of("StringLike", "system:*"), Sub::Any);
        assert_eq!(of("StringLike", "*"), Sub::Any);
        assert_eq!(of("StringLike", "system:serviceaccount:*:app"), Sub::Any);
    }

    #[test]
    fn candidates_are_exact_then_prefix_then_open() {
        let key = |subs: Vec<Sub>| Key {
            providers: vec!["issuer".into()],
            subs,
            auds: None,
        };
        let keys = [
            vec![key(vec![Sub::Exact(
                "system:serviceaccount:prod:app".into(),
            )])],
            vec![key(vec![Sub::Prefix("system:serviceaccount:prod:".into())])],
            vec![key(vec![Sub::Prefix("system:serviceaccount:dev:".into())])],
            vec![key(vec![Sub::Any])],
            vec![key(vec![Sub::Folded(
                "system:serviceaccount:prod:app".into(),
            )])],
            vec![key(vec![Sub::Prefix(
                "system:serviceaccount:prod:app-".into(),
            )])],
        ];
        let index = Index::build(keys.iter().enumerate().map(|(i, k)| (i, k.as_slice())));
        let trusts = |sub| {
            let (c, _) = index.candidates(sub);
            c.iter()
                .chain(index.open())
                .map(|e| e.trust)
                .collect::<Vec<_>>()
        };
        assert_eq!(trusts("system:serviceaccount:prod:app"), [0, 4, 1, 3]);
        assert_eq!(trusts("system:serviceaccount:prod:app-web"), [5, 1, 3]);
        // A pattern with a literal namespace is never a candidate elsewhere.
        assert_eq!(trusts("system:serviceaccount:staging:app"), [3]);
    }

    #[test]
    fn audiences_named_literally_filter() {
        let k = Key {
            auds: Some(vec!["sts.amazonaws.com".into()]),
            ..Key::default()
        };
        assert!(k.accepts("sts.amazonaws.com"));
        assert!(!k.accepts("vault"));
        assert!(Key::default().accepts("vault"));
    }
}
