//! A Terraform file (`.tf`) read into the documents check reads: the trust
//! of each `aws_iam_role` (`assume_role_policy` as `jsonencode({...})`, a
//! heredoc or a JSON string) and its `inline_policy` blocks, the `policy` of
//! `aws_iam_role_policy` and `aws_iam_policy`, every `data
//! "aws_iam_policy_document"` (`iac::policy_document`), the trust the
//! terraform-aws-modules IRSA module makes (`iac::irsa_module`),
//! `kubernetes_service_account(_v1)` and `aws_eks_pod_identity_association`.
//! A policy held in another file (`file(...)`, a data source declared
//! elsewhere) or computed (`jsonencode(local.x)`) is said, not guessed.

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::hcl::Locator;
use super::lines::Lines;
use super::{association, json_string, map, service_account, text, Reading, Reference, Target};
use crate::aws::{Issuer, Partition};
use crate::source::{self, Limits, Node, Span};

/// A Terraform syntax error: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The parser's message.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// Why a Terraform file was not read: its syntax, or a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// Not valid HCL.
    Syntax(SyntaxError),
    /// Over a limit ([`Limits`]): size or nesting depth.
    Limit(source::SourceError),
}

/// The documents of a Terraform file.
pub fn read(text: &str, limits: &Limits) -> Result<Reading, NotRead> {
    let lines = Lines::new(text);
    let mut loc = Locator::new(&lines);
    within_limits(text, limits, &lines).map_err(NotRead::Limit)?;
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        NotRead::Syntax(SyntaxError {
            message: e.message().to_string(),
            span: loc.at(e.location().offset().min(text.len())),
        })
    })?;
    loc.known = oidc_providers_declared(&body);
    let declared = policy_documents_declared(&body);
    let mut r = Reading {
        declares: declared.clone(),
        ..Reading::default()
    };
    // The documents of this file's data sources, and the roles whose trust each is.
    let mut data_docs: Vec<(&str, usize)> = Vec::new();
    let mut data_roles: Vec<(String, Vec<String>)> = Vec::new();
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [kind, name]) => {
                resource(&loc, kind, name, block, &declared, &mut r);
                if *kind == "aws_iam_role" {
                    if let Some(d) = data_trust(&loc, block) {
                        data_roles.push((d, role_names(kind, name, block)));
                    }
                }
            }
            ("data", ["aws_iam_policy_document", name]) => {
                let from = r.documents.len();
                super::policy_document::read(&loc, name, block, &mut r);
                data_docs.extend((from..r.documents.len()).map(|i| (*name, i)));
            }
            ("module", [name]) => super::irsa_module::read(&loc, name, block, &mut r),
            _ => {}
        }
    }
    for (data, names) in data_roles {
        for (_, i) in data_docs.iter().filter(|(d, _)| *d == data) {
            if let Some(doc) = r.documents.get_mut(*i) {
                doc.role.extend(names.iter().cloned());
            }
        }
    }
    Ok(r)
}

/// What a ServiceAccount's role-arn may name an `aws_iam_role` by: its
/// address and its literal `name`.
fn role_names(kind: &str, name: &str, block: &Block) -> Vec<String> {
    let literal = match block.body.get_attribute("name").map(|a| &a.value) {
        Some(Expression::String(s)) => Some(s.value().to_string()),
        _ => None,
    };
    std::iter::once(format!("{kind}.{name}"))
        .chain(literal)
        .collect()
}

/// The data source of this file a role's `assume_role_policy` is
/// (`data.aws_iam_policy_document.NAME.json`), by name.
fn data_trust(loc: &Locator<'_>, block: &Block) -> Option<String> {
    let e = &block.body.get_attribute("assume_role_policy")?.value;
    let Expression::Traversal(t) = e else {
        return None;
    };
    let source = loc.source(t);
    let name = source
        .strip_prefix("data.aws_iam_policy_document.")?
        .split(['.', '['])
        .next()?;
    Some(name.to_string())
}

/// The IAM OIDC providers the file looks up or creates with a literal
/// `url`: each one's `arn` reference and the ARN it is (partition and account
/// placeholders, the issuer's host as written), so a trust that refers to
/// the provider is checked against its issuer.
fn oidc_providers_declared(body: &Body) -> Vec<(String, String)> {
    let mut known = Vec::new();
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let prefix = match (block.ident.as_str(), labels.as_slice()) {
            ("data", ["aws_iam_openid_connect_provider", name]) => {
                format!("data.aws_iam_openid_connect_provider.{name}")
            }
            ("resource", ["aws_iam_openid_connect_provider", name]) => {
                format!("aws_iam_openid_connect_provider.{name}")
            }
            _ => continue,
        };
        let url = block
            .body
            .get_attribute("url")
            .and_then(|a| super::hcl::literal(&a.value));
        let Some(url) = url else { continue };
        // An EKS issuer's region gives the partition; the account stays a
        // placeholder (the provider is the caller account's).
        let partition = match crate::aws::Issuer::parse(url) {
            Ok(Issuer {
                region: Some(region),
                ..
            }) => Partition::of_region(&region).to_string(),
            _ => "${data.aws_partition.current.partition}".to_string(),
        };
        if let Some(host) = url.strip_prefix("https://") {
            let arn = format!(
                "arn:{partition}:iam::${{data.aws_caller_identity.current.account_id}}:oidc-provider/{}",
                host.trim_end_matches('/')
            );
            known.push((format!("{prefix}.arn"), arn));
        }
    }
    known
}

/// The size and nesting limits, checked before hcl-edit's recursive parser
/// sees the text. Every bracket counts, in strings too: a bound, never short.
fn within_limits(
    text: &str,
    limits: &Limits,
    lines: &Lines<'_>,
) -> Result<(), source::SourceError> {
    if text.len() > limits.max_bytes {
        return Err(source::SourceError::Limit {
            what: "input size in bytes",
            limit: limits.max_bytes,
            span: lines.at(0),
        });
    }
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(source::SourceError::Limit {
                        what: "nesting depth",
                        limit: limits.max_depth,
                        span: lines.at(i),
                    });
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The names of the `aws_iam_policy_document` data sources of the file.
fn policy_documents_declared(body: &Body) -> Vec<String> {
    body.blocks()
        .filter(|b| b.ident.as_str() == "data")
        .filter_map(|b| match b.labels.as_slice() {
            [k, n] if k.as_str() == "aws_iam_policy_document" => Some(n.as_str().to_string()),
            _ => None,
        })
        .collect()
}

fn resource(
    loc: &Locator<'_>,
    kind: &str,
    name: &str,
    block: &Block,
    declared: &[String],
    r: &mut Reading,
) {
    let id = format!("{kind}.{name}");
    let attr = |key: &str| block.body.get_attribute(key).map(|a| &a.value);
    match kind {
        "aws_iam_role" => {
            match attr("assume_role_policy") {
                Some(e) => {
                    let from = r.documents.len();
                    policy(loc, &id, "assume_role_policy", e, declared, r);
                    r.of_role(from, &role_names(kind, name, block));
                }
                None => r.said(
                    loc.of(block),
                    "IRSA001",
                    format!("not a policy document: `{id}` has no `assume_role_policy`, which Terraform requires of an aws_iam_role"),
                ),
            }
            for inline in block.body.get_blocks("inline_policy") {
                if let Some(a) = inline.body.get_attribute("policy") {
                    policy(loc, &id, "inline_policy", &a.value, declared, r);
                }
            }
        }
        "aws_iam_role_policy" | "aws_iam_policy" => {
            if let Some(e) = attr("policy") {
                policy(loc, &id, "policy", e, declared, r);
            }
        }
        "kubernetes_service_account" | "kubernetes_service_account_v1" => {
            if let Some(meta) = block.body.get_blocks("metadata").next() {
                r.push(service_account(metadata(loc, meta), loc.of(block)));
            }
        }
        "aws_eks_pod_identity_association" => {
            let fields = super::ASSOCIATION_FIELDS
                .iter()
                .filter_map(|(tf, api)| {
                    let a = block.body.get_attribute(tf)?;
                    Some((text(*api, loc.of(&a.key)), loc.node(&a.value)))
                })
                .collect();
            r.push(association(&id, fields, loc.of(block)));
        }
        _ => {}
    }
}

/// A `metadata` block's `name`, `namespace` and `annotations` as a mapping.
/// Annotations computed by an expression (`merge(local.common, {...})`) may
/// hold the role ARN: it is then that expression, a placeholder.
fn metadata(loc: &Locator<'_>, meta: &Block) -> Node {
    let entries = ["name", "namespace", "annotations"]
        .iter()
        .filter_map(|k| {
            let a = meta.body.get_attribute(k)?;
            let value = match &a.value {
                Expression::Object(_) => loc.node(&a.value),
                e if *k == "annotations" => {
                    let computed = loc.opaque(e);
                    let at = computed.span;
                    map(vec![(text(crate::kube::ROLE_ARN, at), computed)], at)
                }
                e => loc.node(e),
            };
            Some((text(*k, loc.of(&a.key)), value))
        })
        .collect();
    map(entries, loc.of(meta))
}

/// A policy attribute: `jsonencode({...})`, a heredoc, a JSON string, or
/// something held elsewhere (said).
fn policy(
    loc: &Locator<'_>,
    id: &str,
    attr: &str,
    e: &Expression,
    declared: &[String],
    r: &mut Reading,
) {
    let span = loc.of(e);
    let what = format!("the `{attr}` of `{id}`");
    match e {
        Expression::FuncCall(f) if f.name.name.as_str() == "jsonencode" => {
            match f.args.iter().next() {
                Some(arg @ Expression::Object(_)) => r.push(loc.node(arg)),
                _ => r.unread(span, format!("{what} is `{}`, the JSON of an expression check does not evaluate: not checked", loc.source(e))),
            }
        }
        Expression::FuncCall(f) if matches!(f.name.name.as_str(), "file" | "templatefile") => {
            match f.args.iter().next().and_then(|a| module_path(loc, a)) {
                Some(path) => r.references.push(Reference {
                    target: Target::File(path),
                    span,
                    what,
                }),
                None => r.unread(span, format!("{what} is read by Terraform from a file named by an expression (`{}`): not checked", loc.source(e))),
            }
        }
        Expression::HeredocTemplate(h) => heredoc(loc, &what, &h.template, r),
        Expression::String(s) => match json_string(s.value(), span) {
            Some(node) => r.push(node),
            None => r.said(
                span,
                "IRSA001",
                format!("not a policy document: {what} is a string that is not JSON"),
            ),
        },
        Expression::Traversal(t) => {
            let source = loc.source(t);
            let data = source
                .strip_prefix("data.aws_iam_policy_document.")
                .and_then(|s| s.split(['.', '[']).next());
            match data {
                // Read where it is declared, in this file.
                Some(d) if declared.iter().any(|n| n == d) => {}
                // Read where it is declared, when the set holds that file (check::referenced).
                Some(d) => r.references.push(Reference {
                    target: Target::PolicyDocument(d.to_string()),
                    span,
                    what,
                }),
                None => r.unread(span, format!("{what} is `{source}`, an expression check does not evaluate: not checked")),
            }
        }
        _ => r.unread(
            span,
            format!(
                "{what} is `{}`, an expression check does not evaluate: not checked",
                loc.source(e)
            ),
        ),
    }
}

/// The path a `file()` argument names, relative to the module's directory
/// (`"${path.module}/trust.json"`, `"trust.json"`), if it is literal.
fn module_path(loc: &Locator<'_>, arg: &Expression) -> Option<String> {
    let text = loc.node(arg).as_text()?.to_string();
    let rest = ["${path.module}/", "${path.root}/", "./"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(&text);
    (!rest.contains("${") && !rest.starts_with('/') && !rest.is_empty()).then(|| rest.to_string())
}

/// A heredoc of JSON, read where it stands in the file, so every span is
/// the file's own.
fn heredoc(loc: &Locator<'_>, what: &str, t: &hcl_edit::template::Template, r: &mut Reading) {
    use hcl_edit::Span as _;
    let Some(range) = t.span() else { return };
    match loc.lines.json_at(range.start, range.end) {
        Ok(d) => r.push_json(d.root),
        Err(e @ source::SourceError::Limit { .. }) => {
            r.said(e.span(), "IRSA402", format!("{e}: {what} was not checked"));
        }
        Err(e) => {
            let templated = t
                .iter()
                .any(|el| !matches!(el, hcl_edit::template::Element::Literal(_)));
            if templated {
                r.said(e.span(), "IRSA410", format!("{what} is JSON only once Terraform fills its interpolations ({e}): not checked"));
            } else {
                r.said(e.span(), "IRSA001", format!("not a policy document: {e}"));
            }
        }
    }
}
