//! The permissions evaluator: do a role's identity-based policies (inline and
//! managed documents), within its permissions boundary if it has one, allow an
//! action on a resource? The offline counterpart of
//! `aws iam simulate-principal-policy`.
//!
//! IAM's rules, from its documentation:
//! - policy evaluation logic (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>):
//!   every request is denied by default (implicit deny), an Allow of some
//!   identity-based policy allows it, an explicit Deny in any policy wins; with
//!   a permissions boundary the request must be allowed by both the identity
//!   policies and the boundary, and a Deny in either denies it;
//! - `Action` (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>):
//!   the prefix and the action name are case-insensitive, `*` and `?` are
//!   wildcards; `NotAction` matches every action but those listed;
//! - `Resource` (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>):
//!   an ARN, case-sensitive, with `*` (any run of characters, `/` included,
//!   and beyond the colon of its segment) and `?` (one character); `NotResource`
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html>)
//!   matches every resource but those listed; a statement needs one of them;
//! - policy variables (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>)
//!   in `Resource` and condition values, in `"Version": "2012-10-17"`
//!   policies only (`eval::pattern`); conditions as in `eval::condition`.
//!
//! The request context is the caller's: a key (in a condition or a variable)
//! whose value `context` does not give is unknown, never assumed absent, and a
//! decision that depends on it is [`Decision::Conditional`], naming the key.
//! A variable that cannot matter (the rest of the ARN already differs) does not
//! make a statement conditional. Resource-based policies, SCPs, RCPs and
//! session policies are not evaluated: they can only deny more (or, for a
//! resource policy in the same account, allow what these do not).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::condition::{self, variable_value, Truth};
use super::decide::Decision;
use super::keys::Request;
use super::request::Claims;
use super::resources::{resource_hit, shared_prefix, Hit};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::source::{self, Limits, Node, Span};
use crate::trust::{self, Effect, Located, Policy, Statement};

/// What is asked: may the role call `action` on `resource`?
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionsRequest {
    /// The action, `service:Name` (`s3:PutObject`).
    pub action: String,
    /// The resource's ARN (`arn:aws:s3:::bucket/key`), or `*` for actions without one.
    pub resource: String,
    /// Values of the request's context keys (several for a multi-valued key).
    pub context: BTreeMap<String, Vec<String>>,
}

impl PermissionsRequest {
    /// What is wrong with the request itself (the action, the resource).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !is_request_action(&self.action) {
            out.push(format!(
                "action `{}` must be one action, service:Name (`s3:PutObject`), without wildcards",
                self.action
            ));
        }
        let r = self.resource.as_str();
        if r.is_empty() || r.chars().any(char::is_whitespace) {
            out.push(format!(
                "resource `{r}` must be an ARN (`arn:aws:s3:::bucket/key`) or `*`"
            ));
        }
        if let Some(k) = self.context.keys().find(|k| k.trim().is_empty()) {
            out.push(format!("context key `{k}` is empty"));
        }
        out
    }
}

fn is_request_action(a: &str) -> bool {
    a.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && !name.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && name.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// A parsed permissions policy and the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    /// The file name.
    pub file: String,
    /// The policy.
    pub policy: Policy,
}

/// A statement, located: which file, which statement, where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    /// The policy's file.
    pub file: String,
    /// Position in `Statement` (0-based).
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Option<Effect>,
    /// Where the statement starts (1-based).
    pub line: u32,
    /// Column of the start (1-based).
    pub column: u32,
}

impl StatementRef {
    fn of(file: &str, s: &Statement) -> StatementRef {
        StatementRef {
            file: file.to_string(),
            index: s.index,
            sid: s.sid.clone(),
            effect: s.effect,
            line: s.span.line,
            column: s.span.column,
        }
    }

    /// `statement 1 (Sid "Write")`, for sentences.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) => format!("statement {} (Sid \"{sid}\")", self.index),
            None => format!("statement {}", self.index),
        }
    }
}

/// The element of a statement that keeps it from applying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Element {
    /// `Action` / `NotAction`: the action is not covered.
    Action,
    /// `Resource` / `NotResource`: the resource is not covered (a narrower ARN).
    Resource,
    /// `Condition`: a condition fails.
    Condition,
}

/// For an implicit deny: what the nearest Allow statement lacks, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Missing {
    /// Which element.
    pub element: Element,
    /// In one sentence.
    pub detail: String,
    /// The element's values as written (the actions, the resource ARNs; for
    /// a condition, its operator and key).
    pub values: Vec<String>,
    /// Where that element is written (1-based).
    pub line: u32,
    /// Its column (1-based).
    pub column: u32,
}

/// The decision of one set of policies (the identity policies, or the boundary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetDecision {
    /// Allow, Deny or Conditional.
    pub decision: Decision,
    /// True for a Deny by a Deny statement (not the implicit deny).
    pub explicit: bool,
    /// The deciding statement: the Deny, the Allow, the first conditional one,
    /// or for an implicit deny the nearest Allow.
    pub statement: Option<StatementRef>,
    /// Why, in one sentence.
    pub reason: String,
    /// For Conditional: the context keys whose values decide.
    pub depends_on: Vec<String>,
    /// For an implicit deny: what the nearest Allow statement lacks.
    pub missing: Option<Missing>,
}

/// Which policies decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicySet {
    /// The identity-based policies (inline and managed).
    Identity,
    /// The permissions boundary.
    Boundary,
}

/// The outcome of [`evaluate_permissions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionsSimulation {
    /// Allow, Deny or Conditional.
    pub decision: Decision,
    /// The action asked for.
    pub action: String,
    /// The resource asked for.
    pub resource: String,
    /// Which set decided (for Allow, the identity policies).
    pub decided_by: PolicySet,
    /// True for a Deny by a Deny statement (not the implicit deny).
    pub explicit: bool,
    /// The deciding statement (see [`SetDecision::statement`]).
    pub statement: Option<StatementRef>,
    /// Why, in one sentence.
    pub reason: String,
    /// For Conditional: the context keys whose values decide (of both sets).
    pub depends_on: Vec<String>,
    /// For an implicit deny: what the nearest Allow statement lacks.
    pub missing: Option<Missing>,
    /// The identity policies' own decision.
    pub identity: SetDecision,
    /// The boundary's own decision, when a boundary is given.
    pub boundary: Option<SetDecision>,
}

/// How one statement fares.
enum Outcome {
    Applies,
    /// It does not apply: how close it came (3 only a condition failed, 2
    /// the action is covered but not the resource, 1 the resource but not the
    /// action, 0 neither; then, for 2, how many leading characters of the
    /// resource one of its patterns names), and what it lacks.
    Misses((u8, usize), Missing),
    /// It applies if these keys allow: the keys.
    Depends(BTreeSet<String>),
}

/// Parses permissions policy files and decides the request: the identity
/// policies, then the boundary. Unreadable files come back as IRSA001 or
/// IRSA017 diagnostics, a bad request as IRSA421.
pub fn simulate_permissions(
    policies: &[SourceFile],
    boundary: Option<&SourceFile>,
    request: &PermissionsRequest,
) -> Result<PermissionsSimulation, Vec<Diagnostic>> {
    let problems = request.problems();
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| crate::rules::diagnostic("IRSA421", p))
            .collect());
    }
    let mut errors = Vec::new();
    let mut parse = |f: &SourceFile| match parse_permissions_text(&f.text) {
        Ok(policy) => Some(NamedPolicy {
            file: f.name.clone(),
            policy,
        }),
        Err(d) => {
            errors.extend(d.into_iter().map(|d| d.in_file(Some(&f.name))));
            None
        }
    };
    let identity: Vec<NamedPolicy> = policies.iter().filter_map(&mut parse).collect();
    let boundary = boundary.and_then(&mut parse);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(evaluate_permissions(&identity, boundary.as_ref(), request))
}

/// Reads a permissions policy (JSON or YAML): a policy document, or the output
/// of `aws iam get-role-policy` (`PolicyDocument`) or `aws iam
/// get-policy-version` (`PolicyVersion.Document`). IAM refuses a statement
/// without `Effect`, `Action`/`NotAction` or `Resource`/`NotResource`, or
/// with a `Principal` (IRSA001, IRSA017).
pub fn parse_permissions_text(text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let at =
        |code: &str, message: String, span| vec![crate::rules::diagnostic(code, message).at(span)];
    let docs = source::parse_documents(text, &Limits::default())
        .map_err(|e| at("IRSA001", format!("not a policy document: {e}"), e.span()))?;
    let Some(doc) = docs.into_iter().find(|d| !d.root.is_null()) else {
        return Err(at(
            "IRSA001",
            "not a policy document: the text is empty".into(),
            Span {
                line: 1,
                column: 1,
                offset: 0,
            },
        ));
    };
    let root = document_of(&doc.root);
    let policy = trust::parse_policy(root).map_err(|e| {
        at(
            "IRSA001",
            format!("not a policy document: {}", e.message),
            e.span,
        )
    })?;
    let mut out = Vec::new();
    for s in &policy.statements {
        if let Some(span) = s.principal_span {
            out.extend(at("IRSA001", format!("statement {} names a Principal: an identity-based (permissions) policy has none, IAM refuses it (\"Policy document should not specify a principal\"); is this a trust policy?", s.index), span));
        }
        if s.effect.is_none() {
            out.extend(at(
                "IRSA001",
                format!("statement {} has no `Effect` of `Allow` or `Deny`", s.index),
                s.span,
            ));
        }
        if s.action_span.is_none() {
            out.extend(at(
                "IRSA001",
                format!("statement {} has no `Action` (or `NotAction`)", s.index),
                s.span,
            ));
        }
        if s.resource_span.is_none() {
            out.extend(at(
                "IRSA017",
                format!(
                    "statement {} of this permissions policy has no `Resource` (or `NotResource`)",
                    s.index
                ),
                s.span,
            ));
        }
    }
    if out.is_empty() {
        Ok(policy)
    } else {
        Err(out)
    }
}

/// The policy document inside a `get-role-policy` or `get-policy-version` output.
fn document_of(root: &Node) -> &Node {
    if trust::looks_like_policy(root) {
        return root;
    }
    root.get("PolicyDocument")
        .or_else(|| root.get("PolicyVersion").and_then(|v| v.get("Document")))
        .unwrap_or(root)
}

/// Decides the request against parsed identity policies and an optional boundary.
pub fn evaluate_permissions(
    identity: &[NamedPolicy],
    boundary: Option<&NamedPolicy>,
    request: &PermissionsRequest,
) -> PermissionsSimulation {
    let ident = decide_set(identity, request, PolicySet::Identity);
    let bound = boundary.map(|b| decide_set(std::slice::from_ref(b), request, PolicySet::Boundary));
    let (decision, decided_by, d) = combine(&ident, bound.as_ref());
    PermissionsSimulation {
        decision,
        action: request.action.clone(),
        resource: request.resource.clone(),
        decided_by,
        explicit: d.explicit,
        statement: d.statement,
        reason: d.reason,
        depends_on: d.depends_on,
        missing: d.missing,
        identity: ident,
        boundary: bound,
    }
}

/// Both sets: an explicit Deny in either, then an implicit deny in either,
/// then Allow only when both allow; else Conditional on the keys of both.
fn combine(
    identity: &SetDecision,
    boundary: Option<&SetDecision>,
) -> (Decision, PolicySet, SetDecision) {
    let sets: Vec<(PolicySet, &SetDecision)> = std::iter::once((PolicySet::Identity, identity))
        .chain(boundary.map(|b| (PolicySet::Boundary, b)))
        .collect();
    let denied = |explicit: bool| {
        sets.iter()
            .find(|(_, s)| s.decision == Decision::Deny && s.explicit == explicit)
    };
    if let Some((set, s)) = denied(true).or_else(|| denied(false)) {
        return (Decision::Deny, *set, (*s).clone());
    }
    if sets.iter().all(|(_, s)| s.decision == Decision::Allow) {
        return (Decision::Allow, PolicySet::Identity, identity.clone());
    }
    let keys: BTreeSet<String> = sets
        .iter()
        .flat_map(|(_, s)| s.depends_on.iter().cloned())
        .collect();
    let (set, first) = sets
        .iter()
        .find(|(_, s)| s.decision == Decision::Conditional)
        .map_or((PolicySet::Identity, identity), |(p, s)| (*p, *s));
    let depends_on: Vec<String> = keys.into_iter().collect();
    let deciding = SetDecision {
        reason: depends_reason(&depends_on),
        depends_on,
        ..first.clone()
    };
    (Decision::Conditional, set, deciding)
}

fn depends_reason(keys: &[String]) -> String {
    format!(
        "the decision depends on {}, whose values the request context does not give",
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// One set of policies: Deny wins, then Allow, else implicit deny.
fn decide_set(
    policies: &[NamedPolicy],
    request: &PermissionsRequest,
    set: PolicySet,
) -> SetDecision {
    let claims = Claims {
        context: request.context.clone(),
        ..Claims::default()
    };
    let keys = Request {
        claims: &claims,
        issuer: None,
        provider_arn: None,
        open: true,
        session: None,
    };
    let outcomes: Vec<(StatementRef, Outcome)> = policies
        .iter()
        .flat_map(|p| {
            let variables = p
                .policy
                .version
                .as_ref()
                .is_some_and(|v| v.value == "2012-10-17");
            p.policy
                .statements
                .iter()
                .filter(|s| s.effect.is_some())
                .map(move |s| (p, s, variables))
        })
        .map(|(p, s, variables)| {
            (
                StatementRef::of(&p.file, s),
                statement(s, request, &keys, variables),
            )
        })
        .collect();
    let what = format!("{} on {}", request.action, request.resource);
    let effect = |e: Effect| move |o: &&(StatementRef, Outcome)| o.0.effect == Some(e);
    let applies = |o: &&(StatementRef, Outcome)| matches!(o.1, Outcome::Applies);
    let depends = |o: &&(StatementRef, Outcome)| matches!(o.1, Outcome::Depends(..));
    let deny = outcomes.iter().filter(effect(Effect::Deny)).find(applies);
    if let Some((s, _)) = deny {
        let reason = format!("explicit Deny: {} of {} denies {what}", s.label(), s.file);
        return decided(Decision::Deny, true, s, reason);
    }
    let allow = outcomes.iter().filter(effect(Effect::Allow)).find(applies);
    let maybe_deny: Vec<_> = outcomes
        .iter()
        .filter(effect(Effect::Deny))
        .filter(depends)
        .collect();
    match allow {
        Some((s, _)) if maybe_deny.is_empty() => {
            let reason = format!(
                "{} of {} allows {what} and no Deny applies",
                s.label(),
                s.file
            );
            return decided(Decision::Allow, false, s, reason);
        }
        Some(_) => return conditional(&maybe_deny),
        None => {}
    }
    let maybe_allow: Vec<_> = outcomes
        .iter()
        .filter(effect(Effect::Allow))
        .filter(depends)
        .collect();
    if !maybe_allow.is_empty() {
        return conditional(&[maybe_deny, maybe_allow].concat());
    }
    implicit_deny(&outcomes, &what, set)
}

fn decided(decision: Decision, explicit: bool, s: &StatementRef, reason: String) -> SetDecision {
    SetDecision {
        decision,
        explicit,
        statement: Some(s.clone()),
        reason,
        depends_on: Vec::new(),
        missing: None,
    }
}

fn conditional(deciding: &[&(StatementRef, Outcome)]) -> SetDecision {
    let keys: BTreeSet<String> = deciding
        .iter()
        .flat_map(|(_, o)| match o {
            Outcome::Depends(k) => k.iter().cloned().collect(),
            _ => Vec::new(),
        })
        .collect();
    let depends_on: Vec<String> = keys.into_iter().collect();
    SetDecision {
        decision: Decision::Conditional,
        explicit: false,
        statement: deciding.first().map(|(s, _)| s.clone()),
        reason: depends_reason(&depends_on),
        depends_on,
        missing: None,
    }
}

/// No statement applies: name the Allow statement that came closest.
fn implicit_deny(outcomes: &[(StatementRef, Outcome)], what: &str, set: PolicySet) -> SetDecision {
    let nearest = outcomes
        .iter()
        .filter(|(s, _)| s.effect == Some(Effect::Allow))
        .filter_map(|(s, o)| match o {
            Outcome::Misses(rank, m) => Some((*rank, s, m)),
            _ => None,
        })
        .fold(
            None,
            |best: Option<((u8, usize), &StatementRef, &Missing)>, m| match best {
                Some(b) if b.0 >= m.0 => Some(b),
                _ => Some(m),
            },
        );
    let whose = match set {
        PolicySet::Identity => "no identity-based policy allows",
        PolicySet::Boundary => "the permissions boundary does not allow",
    };
    match nearest {
        Some((_, s, m)) => SetDecision {
            decision: Decision::Deny,
            explicit: false,
            statement: Some(s.clone()),
            reason: format!(
                "implicit deny: {whose} {what}; the nearest, {} of {}: {}",
                s.label(),
                s.file,
                m.detail
            ),
            depends_on: Vec::new(),
            missing: Some(m.clone()),
        },
        None => SetDecision {
            decision: Decision::Deny,
            explicit: false,
            statement: None,
            reason: format!("implicit deny: {whose} {what}: no Allow statement"),
            depends_on: Vec::new(),
            missing: None,
        },
    }
}

/// A statement against the request: action, resource, then each condition.
fn statement(
    s: &Statement,
    request: &PermissionsRequest,
    keys: &Request<'_>,
    variables: bool,
) -> Outcome {
    let action = s.covers_action(&request.action);
    let lookup = |name: &str| variable_value(keys, name);
    let resource = resource_hit(s, &request.resource, variables, &lookup);
    let action_span = s.action_span.unwrap_or(s.span);
    let resource_span = s
        .resources
        .first()
        .map(|r| r.span)
        .or(s.resource_span)
        .unwrap_or(s.span);
    let miss = |rank: u8, element, detail, span: Span| {
        let closeness = if rank == 2 {
            shared_prefix(&s.resources, &request.resource)
        } else {
            0
        };
        Outcome::Misses(
            (rank, closeness),
            Missing {
                element,
                detail,
                values: match element {
                    Element::Action => s.actions.iter().map(|a| a.value.clone()).collect(),
                    Element::Resource => s.resources.iter().map(|r| r.value.clone()).collect(),
                    Element::Condition => Vec::new(),
                },
                line: span.line,
                column: span.column,
            },
        )
    };
    match (action, &resource) {
        (false, Hit::No | Hit::Void) => {
            return miss(
                0,
                Element::Action,
                format!(
                    "neither its {} nor its {} covers the request",
                    action_element(s),
                    resource_element(s)
                ),
                action_span,
            )
        }
        (false, _) => {
            return miss(
                1,
                Element::Action,
                format!(
                    "its {} {} {} {}",
                    action_element(s),
                    list(&s.actions),
                    if s.not_action {
                        "lists"
                    } else {
                        "does not cover"
                    },
                    request.action
                ),
                action_span,
            )
        }
        (true, Hit::Void) => {
            return miss(
                2,
                Element::Resource,
                format!(
                    "its NotResource {} uses a policy variable without a value, which voids the statement",
                    list(&s.resources)
                ),
                resource_span,
            )
        }
        (true, Hit::No) => {
            return miss(
                2,
                Element::Resource,
                format!(
                    "it covers {} but its {} {} {} {}",
                    request.action,
                    resource_element(s),
                    list(&s.resources),
                    if s.not_resource {
                        "lists"
                    } else {
                        "does not cover"
                    },
                    request.resource
                ),
                resource_span,
            )
        }
        _ => {}
    }
    let mut unknown = BTreeSet::new();
    if let Hit::Unknown(k) = resource {
        unknown.insert(k);
    }
    for c in &s.conditions {
        match condition::holds(c, keys, variables) {
            Truth::Holds => {}
            Truth::Fails(why) => {
                let detail = format!(
                    "it covers {} on {} but its condition {} {} fails: {why}",
                    request.action, request.resource, c.operator.value, c.key.value
                );
                return miss(3, Element::Condition, detail, c.operator.span);
            }
            Truth::Unknown(key) => {
                unknown.insert(key);
            }
        }
    }
    if unknown.is_empty() {
        Outcome::Applies
    } else {
        Outcome::Depends(unknown)
    }
}

fn action_element(s: &Statement) -> &'static str {
    if s.not_action {
        "NotAction"
    } else {
        "Action"
    }
}

fn resource_element(s: &Statement) -> &'static str {
    if s.not_resource {
        "NotResource"
    } else {
        "Resource"
    }
}

fn list(values: &[Located<String>]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("`{}`", v.value)).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests;
