//! Reading one file for the checker: a type it does not read is said
//! (IRSA407), an unrendered Helm template too (IRSA406); otherwise each
//! document of the stream is read on its own (a broken one is IRSA401, or
//! IRSA001 for a policy, or IRSA410 when a placeholder breaks it) and
//! classified ([`classify`]). The placeholders met are listed in one note
//! (IRSA405).

use std::collections::BTreeSet;

use super::classify::{self, not_read};
use super::found::{Found, Reference};
use super::out::Out;
use crate::filetype::{self, FileType};
use crate::iac;
use crate::inventory::InputKind;
use crate::placeholder;
use crate::source::{self, Limits, Node, SourceError, Span, Value};

/// Most placeholders one IRSA405 note names.
const MAX_LISTED: usize = 12;

/// Keys whose values are shell code, where `$VAR` is the script's own variable.
const SCRIPT_KEYS: &[&str] = &["command", "args", "script", "data", "stringData"];

/// Reads one (filled) file into records and findings.
pub(super) fn read<'a>(
    name: &'a str,
    text: &str,
    limits: &Limits,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    let start = Span {
        line: 1,
        column: 1,
        offset: 0,
    };
    match filetype::by_name(name).or_else(|| filetype::by_content(text)) {
        Some(t) if filetype::reads_as_hcl(name, t) => {
            terraform(name, text, limits, found, out);
            return;
        }
        // A template is YAML or JSON: read below, known by its content.
        Some(filetype::CLOUDFORMATION) | None => {}
        Some(t) => {
            not_read(name, t, start, out);
            return;
        }
    }
    let json = filetype::is_json_name(name);
    if let Some(at) = filetype::helm_action(text, json || source::starts_as_json(text)) {
        out.inventory.add(InputKind::HelmTemplate);
        out.push(
            name,
            span_of_byte(text, at),
            "IRSA406",
            "an unrendered Helm template: nothing in it was checked; render it and check the output (helm template RELEASE CHART | irsa-gen check -)",
        );
        return;
    }
    match source::read_stream(text, json, limits) {
        Err(e) => {
            out.inventory.add(InputKind::Unreadable);
            out.push(
                name,
                e.span(),
                "IRSA402",
                format!("{e}: nothing in this file was checked"),
            );
        }
        Ok(docs) => {
            let mut any = false;
            for doc in docs {
                match doc {
                    Ok(d) if d.root.is_null() => {}
                    Ok(d) if filetype::of_document(&d.root) == Some(filetype::CLOUDFORMATION) => {
                        any = true;
                        let json = json || source::starts_as_json(text);
                        let reading = iac::cloudformation::read(&d.root, text, json);
                        documents(name, reading, filetype::CLOUDFORMATION, found, out);
                    }
                    Ok(d) if iac::eksctl::is_cluster_config(&d.root) => {
                        any = true;
                        let reading = iac::eksctl::read(&d.root);
                        documents(name, reading, filetype::EKSCTL, found, out);
                        out.placeholders
                            .retain(|(p, _)| !p.starts_with(iac::eksctl::MADE));
                    }
                    Ok(d) if iac::terraform_json::is_show_output(&d.root) => {
                        any = true;
                        let reading = iac::terraform_json::read(&d.root);
                        documents(name, reading, TERRAFORM_SHOW, found, out);
                    }
                    Ok(d) => {
                        any = true;
                        collect(&d.root, json || source::starts_as_json(text), false, out);
                        classify::document(name, &d.root, found, out, 0);
                    }
                    Err(e) => {
                        any = true;
                        syntax(name, text, json, &e, out);
                    }
                }
            }
            if !any {
                out.inventory.add(InputKind::Empty);
            }
        }
    }
    note(name, out);
}

/// What `terraform show -json` output is called when nothing in it is IAM.
const TERRAFORM_SHOW: FileType = FileType {
    name: "terraform show -json output",
    endings: &[],
};

/// A Terraform file: its documents, or its syntax error.
fn terraform<'a>(name: &'a str, text: &str, limits: &Limits, found: &mut Found<'a>, out: &mut Out) {
    match iac::terraform::read(text, limits) {
        Ok(reading) => documents(name, reading, filetype::TERRAFORM, found, out),
        Err(iac::terraform::NotRead::Limit(e)) => {
            out.inventory.add(InputKind::Unreadable);
            out.push(
                name,
                e.span(),
                "IRSA402",
                format!("{e}: nothing in this file was checked"),
            );
        }
        Err(iac::terraform::NotRead::Syntax(e)) => {
            out.inventory.add(InputKind::Unreadable);
            out.push(
                name,
                e.span,
                "IRSA401",
                format!("not valid Terraform (HCL): {}", e.message),
            );
        }
    }
    note(name, out);
}

/// The documents an infrastructure-as-code reader made of a file, checked
/// as the checker checks the same documents anywhere, and what it could not
/// read, said.
fn documents<'a>(
    name: &'a str,
    reading: iac::Reading,
    t: FileType,
    found: &mut Found<'a>,
    out: &mut Out,
) {
    if reading.documents.is_empty() && reading.unread.is_empty() && reading.references.is_empty() {
        out.inventory.add(InputKind::NothingToCheck(t.name));
    }
    found
        .referenced
        .extend(reading.references.into_iter().map(|f| Reference {
            file: name,
            target: f.target,
            span: f.span,
            what: f.what,
        }));
    found
        .policy_documents
        .extend(reading.declares.into_iter().map(|d| (name, d)));
    for u in reading.unread {
        out.inventory.add(match u.code {
            "IRSA410" => InputKind::UnfilledTemplate,
            "IRSA407" => InputKind::NotRead("policy expression"),
            _ => InputKind::Unreadable,
        });
        out.push(name, u.span, u.code, u.message);
    }
    for d in &reading.documents {
        collect(&d.root, d.quoted, false, out);
        let from = found.trusts.len();
        classify::document(name, &d.root, found, out, 0);
        for t in found.trusts.iter_mut().skip(from) {
            t.role_names.clone_from(&d.role);
        }
    }
}

/// A document that cannot be read.
fn syntax(file: &str, text: &str, json: bool, e: &SourceError, out: &mut Out) {
    let line = usize::try_from(e.span().line).unwrap_or(usize::MAX);
    let near = text
        .lines()
        .skip(line.saturating_sub(2))
        .take(2)
        .any(placeholder::has_placeholder);
    if near {
        out.inventory.add(InputKind::UnfilledTemplate);
        out.push(
            file,
            e.span(),
            "IRSA410",
            format!("a placeholder makes the text unreadable until it is filled ({e}); nothing in it was checked"),
        );
        return;
    }
    out.inventory.add(InputKind::Unreadable);
    let policy = text.contains("\"Statement\"") || text.contains("Statement:");
    if policy && (json || source::starts_as_json(text)) {
        out.push(
            file,
            e.span(),
            "IRSA001",
            format!("not a policy document: {e}"),
        );
    } else if json || source::starts_as_json(text) {
        out.push(file, e.span(), "IRSA401", e.to_string());
    } else {
        out.push(
            file,
            e.span(),
            "IRSA401",
            format!("not valid YAML or JSON: {e}"),
        );
    }
}

/// The placeholders of every key and scalar under `node`. `$VAR` under a
/// key of shell code (`command`, `args`...) is the script's, not the file's.
fn collect(node: &Node, json: bool, in_script: bool, out: &mut Out) {
    let scalar = |n: &Node, out: &mut Out| {
        if let Value::Scalar { raw, .. } = &n.value {
            if !placeholder::may_hold(raw) {
                return;
            }
            for p in placeholder::scan(raw) {
                if in_script && p.style == placeholder::Style::Dollar {
                    continue;
                }
                let before = raw.get(..p.start).map_or(0, |b| b.chars().count());
                let column = n
                    .span
                    .column
                    .saturating_add(u32::try_from(before).unwrap_or(0) + u32::from(json));
                out.placeholders.push((p.text, Span { column, ..n.span }));
            }
        }
    };
    match &node.value {
        Value::Scalar { .. } => scalar(node, out),
        Value::Seq(items) => items.iter().for_each(|i| collect(i, json, in_script, out)),
        Value::Map(entries) => {
            for (k, v) in entries {
                scalar(k, out);
                let script = in_script || k.as_text().is_some_and(|t| SCRIPT_KEYS.contains(&t));
                collect(v, json, script, out);
            }
        }
    }
}

/// One IRSA405 note for the file's placeholders, at the first of them.
fn note(file: &str, out: &mut Out) {
    let mut seen = BTreeSet::new();
    let mut first: Vec<(String, Span)> = std::mem::take(&mut out.placeholders)
        .into_iter()
        .filter(|(t, _)| seen.insert(t.clone()))
        .collect();
    first.sort_by_key(|(_, s)| (s.line, s.column));
    let Some((_, at)) = first.first().cloned() else {
        return;
    };
    let listed: Vec<String> = first
        .iter()
        .take(MAX_LISTED)
        .map(|(t, s)| format!("`{t}` ({}:{})", s.line, s.column))
        .collect();
    let more = first.len().saturating_sub(MAX_LISTED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let n = first.len();
    out.push(
        file,
        at,
        "IRSA405",
        format!(
            "{n} placeholder{s} checked around as opaque token{s}: {}{more}; fill {them} with --set NAME=VALUE to check the real values",
            listed.join(", "),
            s = if n == 1 { "" } else { "s" },
            them = if n == 1 { "it" } else { "them" },
        ),
    );
}

/// The span of a byte offset of `text`.
fn span_of_byte(text: &str, at: usize) -> Span {
    let before = text.get(..at).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Span {
        line: u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX),
        column: u32::try_from(before.get(line_start..).map_or(0, |l| l.chars().count()) + 1)
            .unwrap_or(u32::MAX),
        offset: before.chars().count(),
    }
}
