//! `diagnose`: from the error a user pasted to its cause in their files.
//! The message is recognised in [`catalogue`], what it names is read by
//! [`extract`], and the answer joins the message's meaning with the evidence:
//! the check findings that lead to this error, the token's claims, and the
//! trust policy's decision for those claims. Pure: the clock is the caller's.

pub mod catalogue;
pub mod extract;
pub mod token;

use serde::Serialize;

use crate::check::{self, CheckOptions, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::eval::permissions::{self, NamedPolicy, PermissionsRequest, PermissionsSimulation};
use crate::eval::{self, Claims, Evaluation, Role};

pub use catalogue::{Message, MESSAGES};
pub use extract::Extracted;
pub use token::TokenFacts;

/// What `diagnose` is given.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The pasted error text.
    pub message: &'a str,
    /// The user's files, as `check` takes them (may be empty).
    pub files: &'a [SourceFile],
    /// A projected ServiceAccount token (compact JWT), if given.
    pub token: Option<&'a str>,
    /// The caller's clock (seconds since the epoch), to say whether the token expired.
    pub now: Option<i64>,
    /// Options of the check of the files.
    pub options: &'a CheckOptions,
}

/// The trust policy's decision for the token's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustDecision {
    /// The trust policy's file.
    pub file: String,
    /// The evaluation (decision, deciding statement and condition, reason).
    pub evaluation: Evaluation,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    /// The message recognised; None: not recognised (see `known`).
    pub message: Option<&'static Message>,
    /// What the text names.
    pub extracted: Extracted,
    /// The fix, with what the text names filled in.
    pub fix: Option<String>,
    /// What to run to confirm, filled in likewise.
    pub confirm: Option<String>,
    /// What the evidence shows, one sentence each.
    pub facts: Vec<String>,
    /// The check findings in the user's files that lead to this message.
    pub evidence: Vec<Diagnostic>,
    /// Error-level findings of the files that do not lead to this message.
    pub other_errors: usize,
    /// How many files were given.
    pub files: usize,
    /// The token's claims, when a token was given.
    pub token: Option<TokenFacts>,
    /// The trust policies' decisions for the token's claims.
    pub decisions: Vec<TrustDecision>,
    /// For an AccessDenied on a service action: the permissions policies among
    /// the files, decided for the action and resource the message names.
    pub permissions: Option<PermissionsSimulation>,
    /// When not recognised: the codes that are.
    pub known: Vec<&'static str>,
}

/// Recognises the message and reasons about it with the files and the token.
pub fn diagnose(request: &Request<'_>) -> Diagnosis {
    let extracted = extract::extract(request.message);
    let token = request.token.map(|t| token::read(t, request.now));
    let Some(message) = catalogue::recognise(request.message) else {
        return Diagnosis {
            message: None,
            extracted,
            fix: None,
            confirm: None,
            facts: vec![
                "The text is not one of the messages irsa-gen knows (`irsa-gen diagnose --list`)."
                    .into(),
            ],
            evidence: Vec::new(),
            other_errors: 0,
            files: request.files.len(),
            token,
            decisions: Vec::new(),
            permissions: None,
            known: catalogue::codes(),
        };
    };
    let findings = if request.files.is_empty() {
        Vec::new()
    } else {
        check::check(request.files, request.options)
    };
    let (evidence, others): (Vec<Diagnostic>, Vec<Diagnostic>) = findings
        .into_iter()
        .partition(|d| message.rules.contains(&d.code.as_str()));
    let decisions = token
        .as_ref()
        .map(|t| decide(request.files, t, &extracted))
        .unwrap_or_default();
    let permissions = (message.code == "DIAG014")
        .then(|| permissions_decision(request.files, &extracted))
        .flatten();
    let mut facts = facts(message, &extracted, token.as_ref(), &decisions);
    facts.extend(permissions.as_ref().map(permissions_fact));
    if permissions.is_none() {
        facts.extend(file_facts(request.files.len(), evidence.len()));
    }
    Diagnosis {
        message: Some(message),
        fix: Some(fill(message.fix, &extracted)),
        confirm: Some(fill(message.confirm, &extracted)),
        extracted,
        facts,
        other_errors: others.iter().filter(|d| d.is_error()).count(),
        evidence,
        files: request.files.len(),
        token,
        decisions,
        permissions,
        known: Vec::new(),
    }
}

/// The permissions policies among the files (documents IAM would accept as
/// identity-based policies), decided for the message's action and resource.
fn permissions_decision(files: &[SourceFile], x: &Extracted) -> Option<PermissionsSimulation> {
    let request = PermissionsRequest {
        action: x.action.clone()?,
        resource: x.resource.clone()?,
        context: Default::default(),
    };
    let policies: Vec<NamedPolicy> = files
        .iter()
        .filter_map(|f| {
            let policy = permissions::parse_permissions_text(&f.text).ok()?;
            Some(NamedPolicy {
                file: f.name.clone(),
                policy,
            })
        })
        .collect();
    if policies.is_empty() || !request.problems().is_empty() {
        return None;
    }
    Some(permissions::evaluate_permissions(&policies, None, &request))
}

/// The permissions decision in one sentence, with the statement's position and what to change.
fn permissions_fact(p: &PermissionsSimulation) -> String {
    let d = p;
    let at = |line: u32, column: u32| {
        d.statement
            .as_ref()
            .map(|s| format!("{}:{line}:{column}: ", s.file))
            .unwrap_or_default()
    };
    let what = format!("{} on {}", p.action, p.resource);
    match (p.decision, &d.statement, &d.missing) {
        (eval::Decision::Allow, Some(s), _) => format!(
            "{}the permissions policies allow {what} ({}): the denial is not theirs; look for a Deny in an SCP, the resource's policy, a permissions boundary or a session policy, or a session of another role.",
            at(s.line, s.column),
            s.label()
        ),
        (eval::Decision::Deny, Some(s), _) if d.explicit => format!(
            "{}{} explicitly denies {what}: an explicit Deny wins over every Allow; narrow or remove it.",
            at(s.line, s.column),
            s.label()
        ),
        (eval::Decision::Deny, Some(s), Some(m)) => {
            let written = m
                .values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let (what_lacks, change) = match m.element {
                permissions::Element::Action => (
                    format!("its Action [{written}] does not cover {}", p.action),
                    format!("add {} to it", p.action),
                ),
                permissions::Element::Resource => (
                    format!("it allows {} only on [{written}], narrower than {}", p.action, p.resource),
                    "add that ARN to its Resource (or a pattern covering it, such as arn:aws:s3:::BUCKET/* for the objects of a bucket)".to_string(),
                ),
                permissions::Element::Condition => (m.detail.clone(), "the condition must hold for this request".to_string()),
            };
            format!(
                "{}no statement of the permissions policies allows {what}; the nearest is {}: {what_lacks}; {change}.",
                at(m.line, m.column),
                s.label(),
            )
        }
        _ => format!("The permissions policies: {:?}: {}.", p.decision, d.reason),
    }
}

/// Each trust policy among the files, evaluated for the token's claims.
fn decide(files: &[SourceFile], token: &TokenFacts, extracted: &Extracted) -> Vec<TrustDecision> {
    if token.error.is_some() {
        return Vec::new();
    }
    let claims = Claims {
        iss: token.iss.clone(),
        sub: token.sub.clone(),
        aud: token.aud.first().cloned(),
        role: extracted
            .role_arn
            .as_deref()
            .and_then(|a| Role::from_arn(a).ok()),
        ..Claims::default()
    };
    files
        .iter()
        .filter_map(|f| {
            let policy = eval::parse_trust_text(&f.text).ok()?;
            check::is_trust(&policy).then(|| TrustDecision {
                file: f.name.clone(),
                evaluation: eval::evaluate(&policy, &claims),
            })
        })
        .collect()
}

/// What the message, the token and the decisions show.
fn facts(
    message: &Message,
    x: &Extracted,
    token: Option<&TokenFacts>,
    decisions: &[TrustDecision],
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = token {
        out.extend(token_facts(message, x, t));
    }
    for d in decisions {
        let e = &d.evaluation;
        let at = e
            .statement
            .map(|s| {
                format!(
                    " (statement {}{})",
                    s,
                    e.condition
                        .as_ref()
                        .map(|c| format!(", {c}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        out.push(format!(
            "{}: {:?} for the token's claims{at}: {}",
            d.file, e.decision, e.reason
        ));
    }
    match message.code {
        "DIAG002" => out.extend(provider_fact(x, token)),
        "DIAG004" => {
            if let Some(s) = x.session_name.as_deref().filter(|s| s.starts_with("i-")) {
                out.push(format!("The session name `{s}` is an EC2 instance ID: the credentials are the node's role{}, not the pod's.", x.role_arn.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()));
            }
        }
        "DIAG007" if x.endpoint.as_deref() == Some("sts.amazonaws.com") => {
            out.push("The SDK called the global endpoint sts.amazonaws.com: use the regional one (AWS_STS_REGIONAL_ENDPOINTS=regional).".into());
        }
        _ => {}
    }
    out
}

fn token_facts(message: &Message, x: &Extracted, t: &TokenFacts) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &t.error {
        out.push(format!("The token is not a JWT: {e}."));
        return out;
    }
    if let Some(sub) = &t.sub {
        out.push(format!(
            "The token's sub is `{sub}`; a trust's ISSUER:sub must equal it."
        ));
    }
    let sts_aud = t.aud.iter().any(|a| a == "sts.amazonaws.com");
    if message.code == "DIAG003" || !sts_aud {
        out.push(format!(
            "The token's aud is [{}]{}.",
            t.aud.join(", "),
            if sts_aud {
                ""
            } else {
                ": not sts.amazonaws.com, the audience IRSA uses"
            }
        ));
    }
    if let (Some(iss), Some(named)) = (&t.iss, &x.issuer) {
        if eval::normalise_issuer(iss) != eval::normalise_issuer(named) {
            out.push(format!("The message names the issuer `{named}`, the token `{iss}`: the token is another cluster's."));
        }
    }
    match t.expires_in {
        // "Now" is the caller's clock: the machine's, or the CLI's `--now`.
        Some(s) if s <= 0 => out.push(format!("The token expired {} s ago.", -s)),
        Some(s) => out.push(format!("The token is valid for {s} s more.")),
        None => {}
    }
    out
}

/// The provider STS looked for, and how to create it.
fn provider_fact(x: &Extracted, token: Option<&TokenFacts>) -> Option<String> {
    let issuer = x
        .issuer
        .clone()
        .or_else(|| token.and_then(|t| t.iss.clone()))?;
    let role = x
        .role_arn
        .as_deref()
        .and_then(|a| Role::from_arn(a).ok())
        .or_else(|| x.account.as_deref().map(|a| Role::in_account(a, &issuer)))?;
    Some(format!(
        "STS looked for {} and found none: aws iam create-open-id-connect-provider --url https://{} --client-id-list sts.amazonaws.com",
        role.provider_arn(&issuer),
        eval::normalise_issuer(&issuer)
    ))
}

fn file_facts(files: usize, evidence: usize) -> Option<String> {
    match (files, evidence) {
        (0, _) => Some("Give your files (trust policy, ServiceAccount, workload, IaC) to find the cause in them.".into()),
        (_, 0) => Some("No finding in your files leads to this message: look at the causes outside them (below).".into()),
        _ => None,
    }
}

/// The template with what the text names filled in.
fn fill(template: &str, x: &Extracted) -> String {
    [
        ("{ROLE_ARN}", x.role_arn.as_deref(), "ROLE_ARN"),
        ("{ISSUER}", x.issuer.as_deref(), "ISSUER_URL"),
        ("{ACTION}", x.action.as_deref(), "ACTION"),
        ("{RESOURCE}", x.resource.as_deref(), "RESOURCE_ARN"),
    ]
    .iter()
    .fold(template.to_string(), |s, (slot, value, unknown)| {
        s.replace(slot, value.unwrap_or(unknown))
    })
}
