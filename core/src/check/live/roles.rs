//! IAM roles with their trusts: `aws iam get-role` (`{"Role": {...}}`),
//! `aws iam list-roles` (`{"Roles": [...]}`) and `aws iam
//! get-account-authorization-details` (`{"RoleDetailList": [...]}`), each
//! role with `Arn` and `AssumeRolePolicyDocument`. The CLI (and boto3)
//! decode the document into JSON; the API and SDKs that do not decode give
//! it as an RFC 3986 URL-encoded string, read here too; the inline policies of
//! authorization details (`RolePolicyList`) are permissions policies. A list is complete
//! (every role of its account) unless it says more pages exist.

use super::facts::RoleDump;
use super::fields::{text, truncated};
use crate::check::found::{Found, TrustDoc};
use crate::check::out::Out;
use crate::check::permissions;
use crate::inventory::InputKind;
use crate::source::{Node, Span};
use crate::trust::{self, Policy, PrincipalKind};

/// The URL-decoded text of a policy document as the API returns it.
pub(crate) fn url_decode(encoded: &str) -> String {
    // RFC 3986: `+` is a plus sign, not a space.
    form_urlencoded::parse(format!("d={}", encoded.replace('+', "%2B")).as_bytes())
        .map(|(_, v)| v.into_owned())
        .collect()
}

pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    let (roles, complete) = if let Some((_, r)) = root
        .entry("Role")
        .filter(|(_, r)| r.get("AssumeRolePolicyDocument").is_some())
    {
        (std::slice::from_ref(r), false)
    } else if let Some((_, r)) = ["Roles", "RoleDetailList"]
        .iter()
        .find_map(|k| root.entry(k))
        .filter(|(_, r)| r.as_seq().is_some())
    {
        (r.as_seq().unwrap_or(&[]), !truncated(root))
    } else {
        return false;
    };
    let mut dump = RoleDump {
        file,
        complete,
        roles: Vec::new(),
    };
    for r in roles {
        let arn = text(r, "Arn").unwrap_or_default();
        let Ok(role) = crate::eval::Role::from_arn(arn) else {
            continue;
        };
        out.inventory.add(InputKind::Live("IAM role", "IAM roles"));
        let name = arn.rsplit('/').next().unwrap_or_default().to_string();
        dump.roles.push((role.account, name));
        inline_policies(file, r, out);
        if let Some(mut t) = trust(file, r, out) {
            t.role_arn = Some(arn.to_string());
            found.trusts.push(t);
        }
    }
    found.live.role_dumps.push(dump);
    true
}

/// A policy document as a dump holds it: decoded (spans in the file), or
/// URL-encoded (the string's span, where its findings go). With its length
/// in characters without whitespace.
fn document(file: &str, doc: &Node, out: &mut Out) -> Option<(Policy, usize, Option<Span>)> {
    match doc.as_str() {
        Some(s) => {
            let decoded = url_decode(s);
            let length = decoded.chars().filter(|c| !c.is_whitespace()).count();
            match crate::eval::parse_trust_text(&decoded) {
                Ok(p) => Some((p, length, Some(doc.span))),
                Err(d) => {
                    out.diags
                        .extend(d.into_iter().map(|d| d.at(doc.span).in_file(Some(file))));
                    None
                }
            }
        }
        None => match trust::parse_policy(doc) {
            Ok(p) => {
                let length = serde_json::to_string(&doc.to_json()).map_or(0, |s| s.chars().count());
                Some((p, length, None))
            }
            Err(e) => {
                out.push(
                    file,
                    e.span,
                    "IRSA001",
                    format!("not a policy document: {}", e.message),
                );
                None
            }
        },
    }
}

/// A role's trust as the checker's record.
fn trust<'a>(file: &'a str, role: &Node, out: &mut Out) -> Option<TrustDoc<'a>> {
    let doc = role.get("AssumeRolePolicyDocument")?;
    let (policy, length, encoded) = document(file, doc, out)?;
    let mut t = TrustDoc::new(file, policy, length, doc.span);
    t.encoded = encoded;
    t.checked = for_pods(&t.policy);
    Some(t)
}

/// A role's inline policies (authorization details' `RolePolicyList`),
/// checked as permissions policies.
fn inline_policies(file: &str, role: &Node, out: &mut Out) {
    let list = role
        .get("RolePolicyList")
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for doc in list.iter().filter_map(|p| p.get("PolicyDocument")) {
        let Some((policy, _, encoded)) = document(file, doc, out) else {
            continue;
        };
        out.inventory.add(InputKind::PermissionsPolicy);
        match encoded {
            None => permissions::check(file, &policy, out),
            Some(at) => {
                let mut scratch = Out::default();
                permissions::check(file, &policy, &mut scratch);
                out.diags
                    .extend(scratch.diags.into_iter().map(|d| d.at(at)));
            }
        }
    }
}

/// True for a trust that pods could use: a Federated principal, Pod
/// Identity's service, or everyone. The rest of an account's roles (EC2,
/// Lambda, service-linked) are listed, not judged as IRSA trusts.
fn for_pods(policy: &Policy) -> bool {
    policy
        .statements
        .iter()
        .flat_map(|s| &s.principals)
        .any(|p| {
            matches!(p.kind, PrincipalKind::Federated | PrincipalKind::Any)
                || (p.kind == PrincipalKind::Aws && p.value.value == "*")
                || (p.kind == PrincipalKind::Service
                    && p.value.value == crate::aws::POD_IDENTITY_PRINCIPAL)
        })
}
