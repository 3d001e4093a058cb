//! One condition against a request: holds, fails, or depends on a key only
//! the caller knows.
//!
//! IAM's rules (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>):
//! - several values of one key: any may match (negated operators: none may);
//! - an absent key: the condition fails, except `...IfExists` and the negated
//!   operators, which hold; `ForAnyValue` fails and `ForAllValues` holds, with
//!   or without `IfExists`; `Null` tests presence;
//! - a multi-valued key needs a set qualifier: a plain operator on it fails;
//! - a value that cannot be compared (not a number, a date, an address, an
//!   ARN, or a variable without value) never satisfies the condition.

use super::keys::{Lookup, Request};
use super::operators::{lookup_base, parse_operator, Base, Family, SetQualifier};
use super::pattern::{self, Resolved, VarValue};
use super::values;
use crate::trust::Condition;

/// A condition's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Truth {
    /// It holds.
    Holds,
    /// It fails, and why.
    Fails(String),
    /// It depends on this key, whose value only the caller knows.
    Unknown(String),
}

/// One policy value against one request value.
enum ValueMatch {
    Match,
    NoMatch,
    /// Cannot be compared: never satisfies.
    Invalid,
    /// A variable only the caller knows.
    Unknown(String),
}

/// The condition against the request.
pub(crate) fn holds(c: &Condition, request: &Request<'_>, variables: bool) -> Truth {
    let op = parse_operator(&c.operator.value);
    let key = c.key.value.as_str();
    let Some(base) = lookup_base(op.base) else {
        return Truth::Fails(format!("unknown condition operator `{}`", c.operator.value));
    };
    let found = request.lookup(key);
    if base.family == Family::Null {
        return null(c, key, &found);
    }
    let values = match found {
        Lookup::Unknown { .. } => return Truth::Unknown(key.to_string()),
        Lookup::Absent => {
            return absent(op.set, op.if_exists || base.negated, &c.operator.value, key)
        }
        Lookup::Present { values, multi } => {
            if op.set.is_none() && multi {
                return Truth::Fails(format!(
                    "`{key}` has several values: {} needs ForAnyValue or ForAllValues",
                    c.operator.value
                ));
            }
            values
        }
    };
    let lookup = |name: &str| variable_value(request, name);
    let mut unknown = None;
    let mut outcomes = Vec::with_capacity(values.len());
    for r in &values {
        match satisfies(base, c, r, variables, &lookup) {
            Ok(b) => outcomes.push((r.as_str(), b)),
            Err(k) => unknown = Some(k),
        }
    }
    if let Some(k) = unknown {
        return Truth::Unknown(k);
    }
    let verdict = match op.set {
        Some(SetQualifier::AllValues) => outcomes.iter().find(|(_, ok)| !ok),
        Some(SetQualifier::AnyValue) if outcomes.iter().any(|(_, ok)| *ok) => None,
        _ => outcomes.iter().find(|(_, ok)| !ok),
    };
    match verdict {
        None => Truth::Holds,
        Some((r, _)) if base.negated => Truth::Fails(format!(
            "`{r}` matches a value of {} `{key}`",
            c.operator.value
        )),
        Some((r, _)) => Truth::Fails(format!(
            "`{r}` matches no value of {} `{key}`",
            c.operator.value
        )),
    }
}

fn null(c: &Condition, key: &str, found: &Lookup) -> Truth {
    let present = match found {
        Lookup::Present { .. } => true,
        Lookup::Absent => false,
        Lookup::Unknown {
            always_present: true,
        } => true,
        Lookup::Unknown { .. } => return Truth::Unknown(key.to_string()),
    };
    let want = if present { "false" } else { "true" };
    if c.values.iter().any(|v| v.value.eq_ignore_ascii_case(want)) {
        Truth::Holds
    } else if present {
        Truth::Fails(format!("Null: `{key}` is present"))
    } else {
        Truth::Fails(format!("Null: `{key}` is absent"))
    }
}

fn absent(set: Option<SetQualifier>, holds_when_absent: bool, operator: &str, key: &str) -> Truth {
    match set {
        Some(SetQualifier::AllValues) => Truth::Holds,
        Some(SetQualifier::AnyValue) => Truth::Fails(format!(
            "{operator}: `{key}` is absent (an empty set has no value that matches, IfExists or not)"
        )),
        None if holds_when_absent => Truth::Holds,
        None => Truth::Fails(format!("`{key}` is absent from the request")),
    }
}

/// The value of a policy variable's key in the request.
pub(crate) fn variable_value(request: &Request<'_>, name: &str) -> VarValue {
    match request.lookup(name) {
        Lookup::Present { multi: true, .. } => VarValue::Many,
        Lookup::Present { values, .. } => values
            .into_iter()
            .next()
            .map_or(VarValue::Absent, VarValue::One),
        Lookup::Absent => VarValue::Absent,
        Lookup::Unknown { .. } => VarValue::Unknown,
    }
}

/// Does the request value `r` satisfy the operator (any policy value matches;
/// for a negated operator, none does)? Err: a variable only the caller knows.
fn satisfies(
    base: &Base,
    c: &Condition,
    r: &str,
    variables: bool,
    lookup: &dyn Fn(&str) -> VarValue,
) -> Result<bool, String> {
    let mut any = false;
    let mut invalid = false;
    for v in &c.values {
        match compare(base.family, &v.value, r, variables, lookup) {
            ValueMatch::Match => any = true,
            ValueMatch::NoMatch => {}
            ValueMatch::Invalid => invalid = true,
            ValueMatch::Unknown(k) => return Err(k),
        }
    }
    Ok(if base.negated { !any && !invalid } else { any })
}

/// One policy value against one request value, in the positive sense of the family.
fn compare(
    family: Family,
    policy: &str,
    request: &str,
    variables: bool,
    lookup: &dyn Fn(&str) -> VarValue,
) -> ValueMatch {
    let found = |b: bool| {
        if b {
            ValueMatch::Match
        } else {
            ValueMatch::NoMatch
        }
    };
    let some = |o: Option<bool>| o.map_or(ValueMatch::Invalid, found);
    match family {
        Family::String { like, ignore_case } => {
            match pattern::resolve(policy, like, variables, lookup) {
                Resolved::Pieces(p) => found(pattern::matches(&p, request, ignore_case)),
                Resolved::Unresolvable(_) => ValueMatch::Invalid,
                Resolved::Unknown(k) => ValueMatch::Unknown(k),
            }
        }
        Family::Arn => arn(policy, request, variables, lookup),
        Family::Numeric(order) => some(
            values::number(policy)
                .zip(values::number(request))
                .map(|(p, r)| order.holds(r, p)),
        ),
        Family::Date(order) => some(
            values::date(policy)
                .zip(values::date(request))
                .map(|(p, r)| order.holds(r, p)),
        ),
        Family::Bool => {
            let b = |s: &str| {
                ["true", "false"]
                    .into_iter()
                    .find(|t| s.eq_ignore_ascii_case(t))
            };
            some(b(policy).zip(b(request)).map(|(p, r)| p == r))
        }
        Family::Binary => found(policy == request),
        Family::Ip => some(values::in_block(policy, request)),
        Family::Null => ValueMatch::Invalid,
    }
}

/// ArnEquals/ArnLike: the six colon-separated parts, each with wildcards and
/// variables; the resource part keeps its colons.
fn arn(
    policy: &str,
    request: &str,
    variables: bool,
    lookup: &dyn Fn(&str) -> VarValue,
) -> ValueMatch {
    let (Some(p), Some(r)) = (arn_parts(policy), arn_parts(request)) else {
        return ValueMatch::Invalid;
    };
    for (pp, rp) in p.iter().zip(r.iter()) {
        match pattern::resolve(pp, true, variables, lookup) {
            Resolved::Pieces(pieces) if pattern::matches(&pieces, rp, false) => {}
            Resolved::Pieces(_) => return ValueMatch::NoMatch,
            Resolved::Unresolvable(_) => return ValueMatch::Invalid,
            Resolved::Unknown(k) => return ValueMatch::Unknown(k),
        }
    }
    ValueMatch::Match
}

fn arn_parts(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let scheme = it.next().filter(|p| *p == "arn")?;
    Some([
        scheme,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ])
}
