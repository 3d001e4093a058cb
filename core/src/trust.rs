//! A located IAM policy model: an IAM policy document read from a
//! [`source::Node`](crate::source::Node) tree, every part keeping its span.
//! The checker and the evaluator both work on it.

use serde::Serialize;

use crate::aws::{Arn, Issuer};
use crate::placeholder;
use crate::source::{Node, Span, Value};

/// A value with the position it was written at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// `Version`, if present.
    pub version: Option<Located<String>>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// Where `Statement` is written.
    pub span: Span,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// The kind of a principal entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PrincipalKind {
    /// `"Principal": "*"`.
    Any,
    /// `{"AWS": ...}`.
    Aws,
    /// `{"Federated": ...}`.
    Federated,
    /// `{"Service": ...}`.
    Service,
    /// `{"CanonicalUser": ...}` and anything else.
    Other,
}

/// One principal value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalEntry {
    /// Which kind.
    pub kind: PrincipalKind,
    /// The value as written.
    pub value: Located<String>,
}

/// One condition: operator, key and values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// The operator as written (`StringEquals`, `ForAnyValue:StringLike`).
    pub operator: Located<String>,
    /// The condition key as written.
    pub key: Located<String>,
    /// The values (several mean OR); non-string scalars as their text.
    pub values: Vec<Located<String>>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// Position in `Statement` (0-based).
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Effect`; None when missing or not Allow/Deny.
    pub effect: Option<Effect>,
    /// Principals of `Principal` (or of `NotPrincipal`, see `not_principal`).
    pub principals: Vec<PrincipalEntry>,
    /// True when written as `NotPrincipal`.
    pub not_principal: bool,
    /// Actions of `Action` (or `NotAction`).
    pub actions: Vec<Located<String>>,
    /// True when written as `NotAction`.
    pub not_action: bool,
    /// Where the `Action` (or `NotAction`) key is.
    pub action_span: Option<Span>,
    /// Where the `Principal` key is.
    pub principal_span: Option<Span>,
    /// Where the `Condition` key is.
    pub condition_span: Option<Span>,
    /// Where the `Resource` (or `NotResource`) key is: permissions policies need one.
    pub resource_span: Option<Span>,
    /// Resources of `Resource` (or `NotResource`, see `not_resource`); a trust has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Located<String>>,
    /// True when written as `NotResource`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_resource: bool,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
    /// Where the statement starts.
    pub span: Span,
}

/// Why a node is not a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAPolicy {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// The text of a scalar, or None for mappings and sequences.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Scalar { raw, .. } => Some(raw.clone()),
        _ => None,
    }
}

/// A string or a list of strings, located; non-scalars are reported.
fn strings(node: &Node) -> Result<Vec<Located<String>>, NotAPolicy> {
    let one = |n: &Node| {
        scalar_text(n)
            .map(|value| Located {
                value,
                span: n.span,
            })
            .ok_or_else(|| NotAPolicy {
                message: "expected a string or a list of strings".into(),
                span: n.span,
            })
    };
    match &node.value {
        Value::Seq(items) => items.iter().map(one).collect(),
        _ => Ok(vec![one(node)?]),
    }
}

/// True for a key that looks like an IAM element name, compared without case.
fn key_is(node: &Node, name: &str) -> bool {
    node.as_text().is_some_and(|k| k.eq_ignore_ascii_case(name))
}

/// The entry of a mapping whose key matches `name` (IAM element names are case-sensitive,
/// but we accept any case to report the right problem). For a key written twice, the
/// last writing, as JSON readers keep it (IRSA021 reports the other).
fn entry<'a>(node: &'a Node, name: &str) -> Option<(&'a Node, &'a Node)> {
    node.as_map()?
        .iter()
        .rfind(|(k, _)| key_is(k, name))
        .map(|(k, v)| (k, v))
}

/// IAM's element names, which are case-sensitive: the policy grammar spells each
/// one (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>),
/// and IAM refuses `statement` or `effect` with MalformedPolicyDocument.
const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Federated", "Service", "CanonicalUser"];

/// A key of `node` that is one of `names` in another case: IAM refuses it.
fn miscased(node: &Node, names: &[&str], what: &str) -> Result<(), NotAPolicy> {
    for (k, _) in node.as_map().unwrap_or(&[]) {
        let Some(key) = k.as_text() else { continue };
        if let Some(name) = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(key) && **n != key)
        {
            return Err(NotAPolicy {
                message: format!(
                    "{what} `{key}` must be written `{name}`: IAM's element names are case-sensitive"
                ),
                span: k.span,
            });
        }
    }
    Ok(())
}

/// True when a node looks like a policy document (a mapping with `Statement`).
pub fn looks_like_policy(node: &Node) -> bool {
    entry(node, "Statement").is_some()
}

/// Reads a policy document from a located node.
pub fn parse_policy(root: &Node) -> Result<Policy, NotAPolicy> {
    if root.as_map().is_none() {
        return Err(NotAPolicy {
            message: "a policy document is a JSON object with `Version` and `Statement`".into(),
            span: root.span,
        });
    }
    miscased(root, POLICY_ELEMENTS, "element")?;
    let version = entry(root, "Version").and_then(|(_, v)| {
        scalar_text(v).map(|value| Located {
            value,
            span: v.span,
        })
    });
    let Some((skey, snode)) = entry(root, "Statement") else {
        return Err(NotAPolicy {
            message: "the document has no `Statement`".into(),
            span: root.span,
        });
    };
    let items: Vec<&Node> = match &snode.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Map(_) => vec![snode],
        _ => {
            return Err(NotAPolicy {
                message: "`Statement` must be a statement object or a list of them".into(),
                span: snode.span,
            })
        }
    };
    if items.is_empty() {
        return Err(NotAPolicy {
            message: "`Statement` is empty".into(),
            span: snode.span,
        });
    }
    let statements = items
        .into_iter()
        .enumerate()
        .map(|(index, node)| parse_statement(index, node))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        version,
        statements,
        span: skey.span,
    })
}

fn parse_statement(index: usize, node: &Node) -> Result<Statement, NotAPolicy> {
    if node.as_map().is_none() {
        return Err(NotAPolicy {
            message: format!("statement {index} is not an object"),
            span: node.span,
        });
    }
    miscased(
        node,
        STATEMENT_ELEMENTS,
        &format!("statement {index}: element"),
    )?;
    let sid = entry(node, "Sid").and_then(|(_, v)| scalar_text(v));
    let effect = match entry(node, "Effect") {
        Some((_, v)) => effect_of(index, v)?,
        None => None,
    };
    let (principal, not_principal) = match entry(node, "Principal") {
        Some(p) => (Some(p), false),
        None => (entry(node, "NotPrincipal"), true),
    };
    let mut principals = Vec::new();
    if let Some((_, p)) = principal {
        match &p.value {
            Value::Map(entries) => {
                miscased(
                    p,
                    PRINCIPAL_TYPES,
                    &format!("statement {index}: principal type"),
                )?;
                for (k, v) in entries {
                    let kind = match k.as_text() {
                        Some("AWS") => PrincipalKind::Aws,
                        Some("Federated") => PrincipalKind::Federated,
                        Some("Service") => PrincipalKind::Service,
                        _ => PrincipalKind::Other,
                    };
                    for value in strings(v)? {
                        principals.push(PrincipalEntry { kind, value });
                    }
                }
            }
            _ => {
                for value in strings(p)? {
                    let kind = if value.value == "*" {
                        PrincipalKind::Any
                    } else {
                        PrincipalKind::Other
                    };
                    principals.push(PrincipalEntry { kind, value });
                }
            }
        }
    }
    let (action, not_action) = match entry(node, "Action") {
        Some(a) => (Some(a), false),
        None => (entry(node, "NotAction"), true),
    };
    let actions = match action {
        Some((_, a)) => strings(a)?,
        None => Vec::new(),
    };
    let (resource, not_resource) = match entry(node, "Resource") {
        Some(r) => (Some(r), false),
        None => (entry(node, "NotResource"), true),
    };
    let resources = match resource {
        Some((_, r)) => strings(r)?,
        None => Vec::new(),
    };
    let mut conditions = Vec::new();
    let condition = entry(node, "Condition");
    if let Some((_, c)) = condition {
        if c.as_map().is_none() {
            return Err(NotAPolicy {
                message: "`Condition` must be an object of operators".into(),
                span: c.span,
            });
        }
        // An operator or a key written twice counts once, by its last writing.
        for ops in c.json_entries() {
            let (op, keys) = (ops.key_node, ops.value);
            let Some(operator) = scalar_text(op) else {
                continue;
            };
            if keys.as_map().is_none() {
                return Err(NotAPolicy {
                    message: format!("condition operator `{operator}` must hold an object of keys"),
                    span: keys.span,
                });
            }
            for key in keys.json_entries() {
                let (k, v) = (key.key_node, key.value);
                let key = scalar_text(k).unwrap_or_default();
                conditions.push(Condition {
                    operator: Located {
                        value: operator.clone(),
                        span: op.span,
                    },
                    key: Located {
                        value: key,
                        span: k.span,
                    },
                    values: strings(v)?,
                });
            }
        }
    }
    Ok(Statement {
        index,
        sid,
        effect,
        principals,
        not_principal,
        actions,
        not_action,
        action_span: action.map(|(k, _)| k.span),
        principal_span: principal.map(|(k, _)| k.span),
        condition_span: condition.map(|(k, _)| k.span),
        resource_span: resource.map(|(k, _)| k.span),
        resources,
        not_resource: not_resource && resource.is_some(),
        conditions,
        span: node.span,
    })
}

/// `Allow` or `Deny`; the value is case-sensitive too
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html>).
/// Other values are None (the statement grants nothing).
fn effect_of(index: usize, v: &Node) -> Result<Option<Effect>, NotAPolicy> {
    Ok(match v.as_text() {
        Some("Allow") => Some(Effect::Allow),
        Some("Deny") => Some(Effect::Deny),
        Some(t) if t.eq_ignore_ascii_case("allow") || t.eq_ignore_ascii_case("deny") => {
            return Err(NotAPolicy {
                message: format!(
                    "statement {index}: Effect `{t}` must be `Allow` or `Deny`: the value is case-sensitive"
                ),
                span: v.span,
            })
        }
        _ => None,
    })
}

/// The OIDC provider a Federated principal names: `arn:P:iam::ACCOUNT:oidc-provider/HOST/PATH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// The partition as written.
    pub partition: String,
    /// The account as written.
    pub account: String,
    /// The provider's resource: issuer host and path, as written.
    pub host_path: String,
    /// The issuer parsed from `host_path`, when it is a valid issuer.
    pub issuer: Option<Issuer>,
}

/// Reads an OIDC provider ARN; None when the value is not of that shape at all.
/// Placeholders are opaque: the ARN is split on its literal parts
/// (`arn:${AWS::Partition}:iam::<ACCOUNT_ID>:oidc-provider/${OIDC}` has the
/// partition `${AWS::Partition}`, the account `<ACCOUNT_ID>` and the provider
/// `${OIDC}`), and `issuer` is None while the provider part holds one.
pub fn provider(arn: &str) -> Option<Provider> {
    provider_of(arn, true)
}

/// [`provider`] without parsing the issuer (`issuer` is None): the
/// partition, account and provider as written, for a caller that compares
/// only them (the evaluator, on every statement of every evaluation).
pub fn provider_as_written(arn: &str) -> Option<Provider> {
    provider_of(arn, false)
}

fn provider_of(arn: &str, parse_issuer: bool) -> Option<Provider> {
    if !placeholder::may_hold(arn) {
        return literal_provider(arn, parse_issuer);
    }
    let (masked, found) = placeholder::mask(arn);
    let a = Arn::parse(&masked)?;
    if a.service != "iam" {
        return None;
    }
    let host_path = a.resource.strip_prefix("oidc-provider/")?;
    let mut holes = found.iter();
    let mut unmask = |part: &str| -> String {
        part.chars()
            .map(|c| match c {
                placeholder::HOLE => holes.next().map_or(String::new(), |p| p.text.clone()),
                c => c.to_string(),
            })
            .collect()
    };
    // In order: `arn:` and the partition, the region, the account, the resource.
    let partition = unmask(a.partition);
    let _region = unmask(a.region);
    let account = unmask(a.account);
    let templated = placeholder::is_masked(host_path);
    let host_path = unmask(host_path);
    let issuer = if !parse_issuer
        || templated
        || host_path.contains("://")
        || host_path.ends_with('/')
        || host_path.is_empty()
    {
        None
    } else {
        Issuer::parse(&host_path).ok()
    };
    Some(Provider {
        partition,
        account,
        host_path,
        issuer,
    })
}

/// [`provider`] for an ARN without placeholders.
fn literal_provider(arn: &str, parse_issuer: bool) -> Option<Provider> {
    let a = Arn::parse(arn)?;
    if a.service != "iam" {
        return None;
    }
    let host_path = a.resource.strip_prefix("oidc-provider/")?;
    let issuer = if !parse_issuer
        || host_path.contains("://")
        || host_path.ends_with('/')
        || host_path.is_empty()
    {
        None
    } else {
        Issuer::parse(host_path).ok()
    };
    Some(Provider {
        partition: a.partition.to_string(),
        account: a.account.to_string(),
        host_path: host_path.to_string(),
        issuer,
    })
}

impl Statement {
    /// The Federated principal values.
    pub fn federated(&self) -> impl Iterator<Item = &PrincipalEntry> {
        self.principals
            .iter()
            .filter(|p| p.kind == PrincipalKind::Federated)
    }

    /// True when the statement (its `Action`, or `NotAction`) covers `action`.
    pub fn covers_action(&self, action: &str) -> bool {
        let hit = self
            .actions
            .iter()
            .any(|a| action_matches(&a.value, action));
        if self.not_action {
            !hit
        } else {
            hit
        }
    }

    /// The conditions on keys ending in `:suffix` (case-insensitive), for `sub` and `aud`.
    pub fn conditions_on<'a>(&'a self, suffix: &'a str) -> impl Iterator<Item = &'a Condition> {
        self.conditions
            .iter()
            .filter(move |c| claim_of(&c.key.value) == Some(suffix))
    }
}

/// The claim an OIDC condition key tests (`sub`, `aud`, `amr`...), for keys of the form
/// `ISSUER:claim`; None for global keys like `aws:RequestTag/...`. An issuer
/// may be a placeholder: `${OIDC_PROVIDER}:sub`, `$oidc_provider:sub` and
/// `OIDC_PROVIDER:sub` are sub conditions.
pub fn claim_of(key: &str) -> Option<&'static str> {
    split_key(key).map(|(_, claim)| claim)
}

/// The issuer prefix of an OIDC condition key (`oidc.eks...:sub` -> `oidc.eks...`).
pub fn key_issuer(key: &str) -> Option<&str> {
    split_key(key).map(|(prefix, _)| prefix)
}

/// An OIDC condition key's issuer prefix and claim (what [`claim_of`] and
/// [`key_issuer`] answer). The claim, a short word, is looked at first:
/// most keys that are not an OIDC claim's end in another word.
fn split_key(key: &str) -> Option<(&str, &'static str)> {
    let colon = key.bytes().rposition(|b| b == b':')?;
    let (prefix, claim) = (key.get(..colon)?, key.get(colon + 1..)?);
    let claim = ["sub", "aud", "amr", "azp", "oaud"]
        .into_iter()
        .find(|c| c.eq_ignore_ascii_case(claim))?;
    let issuer_like = prefix.contains('.')
        || placeholder::has_placeholder(prefix)
        || placeholder::is_word(prefix, placeholder::Slot::Issuer);
    (issuer_like && !prefix.eq_ignore_ascii_case("aws")).then_some((prefix, claim))
}

/// IAM action matching: `service:Name` with `*` and `?`, case-insensitive.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    // Most actions are written out: without a wildcard, matching is equality
    // of the lower-cased texts, with no copy of either.
    if !pattern.bytes().any(|b| b == b'*' || b == b'?') {
        return pattern.eq_ignore_ascii_case(action);
    }
    wildcard_match(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// `*` (any run) and `?` (one character) matching, case-sensitive (the
/// evaluator's matcher, without policy variables).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    crate::wildcard::wildcard(pattern, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match(
            "system:serviceaccount:ns:*",
            "system:serviceaccount:ns:a"
        ));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("", "a"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        assert!(action_matches(
            "STS:AssumeRole*",
            "sts:assumerolewithwebidentity"
        ));
    }

    #[test]
    fn placeholders_are_opaque_parts() {
        let p = provider("arn:${AWS::Partition}:iam::<ACCOUNT_ID>:oidc-provider/${OIDC}").unwrap();
        assert_eq!(
            (
                p.partition.as_str(),
                p.account.as_str(),
                p.host_path.as_str()
            ),
            ("${AWS::Partition}", "<ACCOUNT_ID>", "${OIDC}")
        );
        assert_eq!(p.issuer, None);
        let p = provider(
            "{arn-aws}iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/AB",
        )
        .unwrap();
        assert_eq!(p.partition, "{arn-aws}");
        assert!(p.issuer.is_some());
        for key in [
            "${OIDC}:sub",
            "$oidc_provider:sub",
            "OIDC_PROVIDER:sub",
            "oidc.eks.x.amazonaws.com/id/A:sub",
        ] {
            assert_eq!(claim_of(key), Some("sub"), "{key}");
        }
        for key in ["aws:sub", "sts:sub", "Region:sub"] {
            assert_eq!(claim_of(key), None, "{key}");
        }
    }
}
