//! A CloudFormation template (YAML with short tags, or JSON with `Fn::*`)
//! read into the documents check reads: the trust (`AssumeRolePolicyDocument`)
//! and inline policies (`Policies[].PolicyDocument`) of each `AWS::IAM::Role`,
//! the documents of `AWS::IAM::ManagedPolicy`, `AWS::IAM::Policy` and
//! `AWS::IAM::RolePolicy`, and each `AWS::EKS::PodIdentityAssociation`.
//! A document may be an object or a JSON string (`!Sub |` with JSON inside,
//! as many IRSA templates write it, since a key such as `${Provider}:sub`
//! needs `Fn::Sub`); a block of JSON is read where it stands in the template.

use super::intrinsics::Resolver;
use super::lines::Lines;
use super::{association, json_string, Reading};
use crate::source::{Node, Span};

/// Resource types whose `Properties.PolicyDocument` is a permissions policy.
const POLICY_TYPES: &[&str] = &[
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
    "AWS::IAM::RolePolicy",
];

/// The documents of a template (`root`), parsed from `text` (`json`: a JSON template).
pub fn read(root: &Node, text: &str, json: bool) -> Reading {
    let resolver = Resolver::of_template(root);
    let lines = Lines::new(text);
    let mut reading = Reading::default();
    let resources = root.get("Resources").and_then(Node::as_map).unwrap_or(&[]);
    for (id, resource) in resources {
        let id = id.as_text().unwrap_or("");
        let kind = resource.get("Type").and_then(Node::as_text).unwrap_or("");
        let Some(props) = resource.get("Properties").filter(|p| p.as_map().is_some()) else {
            continue;
        };
        match kind {
            "AWS::IAM::Role" => {
                match props.get("AssumeRolePolicyDocument") {
                    Some(doc) => {
                        let from = reading.documents.len();
                        document(&resolver, doc, (&lines, json), id, &mut reading);
                        let literal = props
                            .get("RoleName")
                            .and_then(Node::as_text)
                            .filter(|n| !crate::placeholder::has_placeholder(n));
                        let names: Vec<String> =
                            std::iter::once(id).chain(literal).map(String::from).collect();
                        reading.of_role(from, &names);
                    }
                    None => reading.said(
                        props.span,
                        "IRSA001",
                        format!("not a policy document: `{id}` has no AssumeRolePolicyDocument, which CloudFormation requires of an AWS::IAM::Role"),
                    ),
                }
                for p in props.get("Policies").and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(doc) = p.get("PolicyDocument") {
                        document(&resolver, doc, (&lines, json), id, &mut reading);
                    }
                }
            }
            k if POLICY_TYPES.contains(&k) => {
                if let Some(doc) = props.get("PolicyDocument") {
                    document(&resolver, doc, (&lines, json), id, &mut reading);
                }
            }
            "AWS::EKS::PodIdentityAssociation" => {
                if let Some(a) = pod_identity(&resolver, id, props) {
                    reading.documents.push(super::Doc {
                        root: a,
                        quoted: json,
                        role: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }
    for (span, condition) in resolver.skipped() {
        reading.unread(span, format!("the branch of `Fn::If` taken when condition `{condition}` is false was not checked (the other branch was)"));
    }
    reading
}

/// One policy document, an object or a JSON string, intrinsics reduced.
fn document(
    resolver: &Resolver,
    doc: &Node,
    (lines, json): (&Lines<'_>, bool),
    id: &str,
    reading: &mut Reading,
) {
    let Some(resolved) = resolver.resolve(doc) else {
        return;
    };
    if resolved.as_map().is_some() {
        reading.push_doc(super::Doc {
            root: resolved,
            quoted: json,
            role: Vec::new(),
        });
        return;
    }
    let Some(s) = resolved.as_str() else {
        reading.unread(
            doc.span,
            format!("the policy document of `{id}` is not a mapping or a JSON string"),
        );
        return;
    };
    let whole = crate::placeholder::scan(s)
        .first()
        .is_some_and(|p| p.start == 0 && p.end == s.len());
    if whole {
        reading.unread(
            resolved.span,
            format!("the policy document of `{id}` is `{s}`, a value CloudFormation computes when it deploys: not checked"),
        );
    } else if let Some(node) = block_json(doc, lines) {
        reading.push_json(node);
    } else if let Some(node) = json_string(s, resolved.span) {
        reading.push(node);
    } else if crate::placeholder::has_placeholder(s) {
        reading.unread(
            resolved.span,
            format!("the policy document of `{id}` is JSON only once CloudFormation substitutes it: not checked"),
        );
    } else {
        reading.unread(
            resolved.span,
            format!("the policy document of `{id}` is a string that is not JSON: not checked"),
        );
    }
}

/// A YAML block scalar of JSON (`!Sub |`), read where it stands in the
/// template, so every span is the template's own.
fn block_json(doc: &Node, lines: &Lines<'_>) -> Option<Node> {
    let inner = match doc.as_map() {
        Some([(_, v)]) => v.as_seq().and_then(|s| s.first()).unwrap_or(v),
        _ => doc,
    };
    let first = usize::try_from(inner.span.line).ok()?;
    let line = |n: usize| {
        let start = lines.start_of(n)?;
        let end = lines.start_of(n + 1).unwrap_or(lines.text.len());
        Some((start, lines.text.get(start..end)?))
    };
    let (_, head) = line(first)?;
    if !head.trim_end().ends_with(['|', '>', '-', '+']) || !head.contains(['|', '>']) {
        return None;
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(head);
    let (body_start, _) = line(first + 1)?;
    let mut body_end = body_start;
    let mut n = first + 1;
    while let Some((start, l)) = line(n) {
        if !l.trim().is_empty() && indent(l) <= own {
            break;
        }
        body_end = start + l.len();
        n += 1;
    }
    lines.json_at(body_start, body_end).ok().map(|d| d.root)
}

/// An `AWS::EKS::PodIdentityAssociation` as `describe` prints one.
fn pod_identity(resolver: &Resolver, id: &str, props: &Node) -> Option<Node> {
    let field = |cfn: &str, api: &str| {
        let (k, v) = props.entry(cfn)?;
        Some((super::text(api, k.span), resolver.resolve(v)?))
    };
    let fields: Vec<_> = [
        ("ClusterName", "clusterName"),
        ("Namespace", "namespace"),
        ("ServiceAccount", "serviceAccount"),
        ("RoleArn", "roleArn"),
    ]
    .iter()
    .filter_map(|(c, a)| field(c, a))
    .collect();
    let span: Span = props.span;
    Some(association(id, fields, span))
}
