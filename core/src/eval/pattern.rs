//! A condition value as IAM reads it: literal text, `*` and `?` wildcards (for
//! the operators that have them) and policy variables.
//!
//! Policy variables (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>):
//! `${key}` is replaced by the request's value of `key` (a single-valued key;
//! names without case), `${key, 'default'}` falls back to `default` when the
//! key is absent, and `${*}`, `${?}`, `${$}` stand for the literal characters.
//! A variable whose key has no value and no default makes the value match
//! nothing ("policy-vars-no-value"); a multi-valued key cannot be a variable.
//! Variables are recognised only in policies with `"Version": "2012-10-17"`:
//! elsewhere `${...}` is literal text. A substituted value is literal: a `*`
//! in it is a star, not a wildcard.

pub(crate) use crate::wildcard::{matches, Piece};

/// A condition value after variables were looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// The value, piece by piece.
    Pieces(Vec<Piece>),
    /// A variable has no value (absent key without default, or a multi-valued
    /// key): the value matches nothing.
    Unresolvable(String),
    /// A variable names a key only the caller knows, not given.
    Unknown(String),
}

/// What a variable's key holds in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VarValue {
    /// One value.
    One(String),
    /// The key is absent.
    Absent,
    /// The key has several values (cannot be a variable).
    Many,
    /// Only the caller knows.
    Unknown,
}

/// Resolves `value`: `wildcards` says whether `*` and `?` are wildcards
/// (StringLike, Arn*), `variables` whether `${...}` is a variable (Version
/// 2012-10-17), `lookup` gives a key's value.
pub(crate) fn resolve(
    value: &str,
    wildcards: bool,
    variables: bool,
    lookup: &dyn Fn(&str) -> VarValue,
) -> Resolved {
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        if variables && rest.starts_with("${") {
            if let Some(end) = rest.find('}') {
                let inner = rest.get(2..end).unwrap_or("");
                match variable(inner, lookup) {
                    Ok(text) => out.extend(text.chars().map(Piece::Char)),
                    Err(r) => return r,
                }
                rest = rest.get(end + 1..).unwrap_or("");
                continue;
            }
        }
        out.push(match c {
            '*' if wildcards => Piece::AnyRun,
            '?' if wildcards => Piece::AnyOne,
            c => Piece::Char(c),
        });
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    Resolved::Pieces(out)
}

/// The text of `${inner}`, or why it has none.
fn variable(inner: &str, lookup: &dyn Fn(&str) -> VarValue) -> Result<String, Resolved> {
    match inner {
        "*" | "?" | "$" => return Ok(inner.to_string()),
        _ => {}
    }
    let (name, default) = match inner.split_once(',') {
        Some((name, d)) => {
            let d = d.trim();
            let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
            (
                name.trim(),
                quoted.then(|| d.get(1..d.len() - 1).unwrap_or("")),
            )
        }
        None => (inner.trim(), None),
    };
    match (lookup(name), default) {
        (VarValue::One(v), _) => Ok(v),
        (VarValue::Unknown, _) => Err(Resolved::Unknown(name.to_string())),
        (VarValue::Absent, Some(d)) => Ok(d.to_string()),
        (VarValue::Absent, None) => Err(Resolved::Unresolvable(format!(
            "`${{{name}}}` has no value in the request and no default"
        ))),
        (VarValue::Many, _) => Err(Resolved::Unresolvable(format!(
            "`${{{name}}}` is a multi-valued key, which cannot be a policy variable"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(key: &str) -> VarValue {
        match key.to_ascii_lowercase().as_str() {
            "aws:username" => VarValue::One("prod".into()),
            "iss:amr" => VarValue::Many,
            "aws:sourceip" => VarValue::Unknown,
            _ => VarValue::Absent,
        }
    }

    fn pieces(value: &str, wildcards: bool) -> Vec<Piece> {
        match resolve(value, wildcards, true, &lookup) {
            Resolved::Pieces(p) => p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn variables_are_substituted_literally() {
        let p = pieces("system:serviceaccount:${aws:username}:*", true);
        assert!(matches(&p, "system:serviceaccount:prod:app", false));
        assert!(!matches(&p, "system:serviceaccount:dev:app", false));
        // Key names of variables ignore case, like condition keys.
        let p = pieces("${AWS:UserName}", false);
        assert!(matches(&p, "prod", false));
        // The special variables are the literal characters, even under StringLike.
        let p = pieces("a${*}b${?}${$}", true);
        assert!(matches(&p, "a*b?$", false));
        assert!(!matches(&p, "axb?$", false));
        // A default stands for an absent key.
        let p = pieces("${aws:PrincipalTag/team, 'platform'}", false);
        assert!(matches(&p, "platform", false));
    }

    #[test]
    fn missing_multi_valued_and_unknown_variables() {
        assert!(matches!(
            resolve("${aws:PrincipalTag/team}", false, true, &lookup),
            Resolved::Unresolvable(_)
        ));
        assert!(matches!(
            resolve("${iss:amr}", false, true, &lookup),
            Resolved::Unresolvable(_)
        ));
        assert!(matches!(
            resolve("${aws:SourceIp, '1.2.3.4'}", false, true, &lookup),
            Resolved::Unknown(_)
        ));
        // Without Version 2012-10-17, or unclosed, `${` is text.
        let text = resolve("${aws:username}", false, false, &lookup);
        assert_eq!(
            text,
            Resolved::Pieces("${aws:username}".chars().map(Piece::Char).collect())
        );
        let p = pieces("a${b", false);
        assert!(matches(&p, "a${b", false));
    }

    #[test]
    fn wildcards_only_where_the_operator_has_them() {
        assert!(matches(&pieces("a*c", true), "abbc", false));
        assert!(!matches(&pieces("a*c", false), "abbc", false));
        assert!(matches(&pieces("a*c", false), "a*c", false));
        assert!(matches(&pieces("a?c", true), "abc", false));
        assert!(!matches(&pieces("a?c", true), "ac", false));
        assert!(matches(&pieces("*", true), "", false));
        assert!(matches(&pieces("ABC", false), "abc", true));
        assert!(!matches(&pieces("ABC", false), "abc", false));
    }
}
