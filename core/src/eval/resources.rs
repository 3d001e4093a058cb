//! The `Resource` and `NotResource` elements against a request's resource
//! ARN (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>):
//! case-sensitive, `*` and `?` wildcards that may span `/` and the colons of
//! the ARN's segments, policy variables resolved with [`super::pattern`].
//! A key the request context does not give is unknown: the match is then
//! [`Hit::Unknown`], unless no value of the key could change it.

use super::pattern::{self, Resolved, VarValue};
use crate::trust::{Located, Statement};

/// Does the resource match: yes, no, or it depends on a variable's key.
pub(super) enum Hit {
    Yes,
    No,
    Unknown(String),
    /// A `NotResource` variable without a value: the statement does not apply.
    Void,
}

/// The statement's `Resource` (or `NotResource`) against the request's resource.
/// In `NotResource`, a variable without a value voids the statement: "If AWS
/// cannot resolve a variable this might cause the entire statement to be
/// invalid" (policy variables page); in `Resource` it only keeps that ARN from
/// matching ("policy-vars-no-value").
pub(super) fn resource_hit(
    s: &Statement,
    resource: &str,
    variables: bool,
    lookup: &dyn Fn(&str) -> VarValue,
) -> Hit {
    let mut unknown = None;
    let mut hit = false;
    for p in &s.resources {
        match resource_matches(&p.value, resource, variables, lookup, s.not_resource) {
            Hit::Yes => hit = true,
            Hit::No => {}
            Hit::Unknown(k) => unknown = unknown.or(Some(k)),
            Hit::Void => return Hit::Void,
        }
    }
    match (hit, unknown, s.not_resource) {
        (true, _, false) => Hit::Yes,
        (true, _, true) => Hit::No,
        (false, Some(k), _) => Hit::Unknown(k),
        (false, None, false) => Hit::No,
        (false, None, true) => Hit::Yes,
    }
}

/// One resource pattern against the resource: the whole ARN, case-sensitive,
/// `*` and `?` wildcards that may span `:` and `/`. A variable whose key is
/// unknown decides only when the pattern cannot match with the variable read
/// as `*` (and, in `NotResource`, cannot void the statement: it has a default).
fn resource_matches(
    policy: &str,
    resource: &str,
    variables: bool,
    lookup: &dyn Fn(&str) -> VarValue,
    not_resource: bool,
) -> Hit {
    match pattern::resolve(policy, true, variables, lookup) {
        Resolved::Pieces(p) if pattern::matches(&p, resource, false) => Hit::Yes,
        Resolved::Pieces(_) => Hit::No,
        Resolved::Unresolvable(_) if not_resource => Hit::Void,
        Resolved::Unresolvable(_) => Hit::No,
        Resolved::Unknown(k) => {
            let widened = widen_variables(policy);
            let may_match = match pattern::resolve(&widened, true, variables, &|_| VarValue::Absent)
            {
                Resolved::Pieces(p) => pattern::matches(&p, resource, false),
                _ => false,
            };
            if may_match || (not_resource && !every_variable_has_default(policy)) {
                Hit::Unknown(k)
            } else {
                Hit::No
            }
        }
    }
}

/// True when each `${key}` of the value has a `, 'default'`.
fn every_variable_has_default(value: &str) -> bool {
    value
        .split("${")
        .skip(1)
        .filter_map(|v| v.split_once('}').map(|(inner, _)| inner))
        .filter(|inner| !matches!(*inner, "*" | "?" | "$"))
        .all(|inner| inner.contains(','))
}

/// `${key}` (not `${*}`, `${?}`, `${$}`) replaced by `*`: every value the key may hold.
fn widen_variables(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let (before, var) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = var.find('}') else {
            out.push_str(var);
            return out;
        };
        let inner = var.get(2..end).unwrap_or("");
        if matches!(inner, "*" | "?" | "$") {
            out.push_str(var.get(..=end).unwrap_or(""));
        } else {
            out.push('*');
        }
        rest = var.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The most leading characters of `resource` that one pattern writes literally.
pub(super) fn shared_prefix(patterns: &[Located<String>], resource: &str) -> usize {
    patterns
        .iter()
        .map(|p| {
            p.value
                .chars()
                .zip(resource.chars())
                .take_while(|(a, b)| a == b)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_widen_to_stars_and_defaults_are_seen() {
        assert_eq!(widen_variables("a${x}b${*}c${y"), "a*b${*}c${y");
        assert!(every_variable_has_default("a/${k, 'd'}/${*}"));
        assert!(!every_variable_has_default("a/${k, 'd'}/${j}"));
    }
}
