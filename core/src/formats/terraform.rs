//! `main.tf`: the cluster's IAM OIDC provider (looked up by its URL with a
//! data source, so a missing one fails at plan time, or created when the spec
//! says `createOidcProvider: true`), the role whose trust refers to it, its
//! policy and attachments, the ServiceAccount (kubernetes provider) and, for
//! Pod Identity, the association, laid out as `terraform fmt` would. Policies
//! are `jsonencode` of HCL objects, so that Terraform sees structure, not a
//! string. Several bindings go into one file with unique resource names.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::hcl::{self, Expr, Item};
use super::names::{policy_name, who};
use crate::artefact::RenderError;
use crate::catalogue::ArtefactKind;
use crate::documents::Documents;
use crate::model::{Binding, ValidSpec};

fn attr(name: &str, e: Expr) -> Item {
    Item::Attr(name.to_string(), e)
}

fn resource(kind: &str, name: &str, body: Vec<Item>) -> Item {
    Item::Block(
        "resource".into(),
        vec![kind.to_string(), name.to_string()],
        body,
    )
}

fn jsonencode<T: serde::Serialize>(doc: &T) -> Result<Expr, RenderError> {
    let value =
        serde_json::to_value(doc).map_err(|e| RenderError::of(ArtefactKind::Terraform, e))?;
    Ok(Expr::Call("jsonencode", Box::new(Expr::from_json(&value))))
}

/// Resource names already used in the file: a second `a.b` and `a_b` (both
/// `a_b`) gets `a_b_2`.
#[derive(Default)]
struct Labels(BTreeSet<String>);

impl Labels {
    fn unique(&mut self, base: &str) -> String {
        let base = hcl::label(base);
        let mut name = base.clone();
        let mut n = 1;
        while self.0.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.0.insert(name.clone());
        name
    }
}

/// `main.tf` for a binding. With several bindings its provider lookups are
/// named after the role, so the files of several bindings can live in one
/// module; a provider the spec creates is the first binding's file's, and
/// the others look it up (apply the first one first).
pub fn main_tf(spec: &ValidSpec, b: &Binding, d: &Documents) -> Result<String, RenderError> {
    let first = spec.bindings.first();
    let is_first = first.is_none_or(|f| f.role_name == b.role_name);
    let prefix = match spec.bindings.len() {
        0 | 1 => String::new(),
        _ => format!("{}_", hcl::label(&b.role_name)),
    };
    let mut items = Vec::new();
    roles_account(spec, &mut items);
    let create = spec.create_oidc_provider && is_first;
    if spec.create_oidc_provider && !is_first && spec.uses_irsa() {
        if let Some(f) = first {
            items.push(Item::Comment(format!(
                "{}/main.tf (the first binding's) creates the cluster's IAM OIDC provider: apply it first.",
                f.dir()
            )));
        }
    }
    let providers = oidc_providers(spec, &mut items, create, &prefix);
    write(spec, &[b], &|_| Cow::Borrowed(d), &providers, items)
}

/// One `main.tf` with every binding's resources (the OIDC providers once).
/// Each binding's documents are built and rendered in turn, so memory holds
/// one binding's at a time.
pub fn main_tfs(spec: &ValidSpec, bindings: &[&Binding]) -> Result<String, RenderError> {
    let mut items = Vec::new();
    roles_account(spec, &mut items);
    let providers = oidc_providers(spec, &mut items, spec.create_oidc_provider, "");
    let docs = |b: &Binding| Cow::Owned(Documents::of(spec, b));
    write(spec, bindings, &docs, &providers, items)
}

/// The roles in another account than the cluster (`clusterAccountId`): the
/// `aws` provider must be the roles' account's (its `allowed_account_ids`
/// makes Terraform refuse any other), the `kubernetes` provider the cluster's.
fn roles_account(spec: &ValidSpec, items: &mut Vec<Item>) {
    if spec.cross_account() {
        items.push(Item::Comment(format!(
            "The roles are in account {}, the cluster in {}: apply with an aws provider of {} (allowed_account_ids = [\"{}\"]) and the cluster's kubernetes provider.",
            spec.account_id, spec.cluster_account_id, spec.account_id, spec.account_id
        )));
    }
}

/// The file: `head` (the providers), then each binding's items rendered on
/// its own (a blank line and a comment between them end every `=` run, so
/// the pieces are what one render of the whole would be).
fn write<'d>(
    spec: &ValidSpec,
    bindings: &[&Binding],
    docs: &dyn Fn(&Binding) -> Cow<'d, Documents>,
    providers: &[(String, String)],
    head: Vec<Item>,
) -> Result<String, RenderError> {
    let mut text = hcl::render(&head);
    let mut labels = Labels::default();
    for b in bindings {
        if !text.is_empty() {
            text.push('\n');
        }
        let mut items = Vec::new();
        binding_items(spec, b, &docs(b), providers, &mut labels, &mut items)?;
        text.push_str(&hcl::render(&items));
    }
    Ok(text)
}

/// The IAM OIDC provider of each issuer (IRSA only), created (`create`) or
/// looked up, named `{prefix}cluster`, `{prefix}cluster_2`...; returns each
/// provider's ARN with the reference that stands for it.
fn oidc_providers(
    spec: &ValidSpec,
    items: &mut Vec<Item>,
    create: bool,
    prefix: &str,
) -> Vec<(String, String)> {
    if !spec.uses_irsa() {
        return Vec::new();
    }
    let mut refs = Vec::new();
    for (i, issuer) in spec.issuers.iter().enumerate() {
        let name = match i {
            0 => format!("{prefix}cluster"),
            _ => format!("{prefix}cluster_{}", i + 1),
        };
        let arn = issuer.provider_arn(spec.partition, &spec.account_id);
        let url = attr("url", Expr::str(issuer.url()));
        if i > 0 {
            items.push(Item::Blank);
        }
        let reference = if create {
            items.push(Item::Comment(
                "The cluster's IAM OIDC provider (createOidcProvider). No thumbprint_list: IAM checks EKS issuers against its trusted root CAs (optional from aws provider 5.81).".into(),
            ));
            let audience = Expr::List(vec![Expr::str(&spec.audience)]);
            items.push(resource(
                "aws_iam_openid_connect_provider",
                &name,
                vec![url, attr("client_id_list", audience)],
            ));
            format!("aws_iam_openid_connect_provider.{name}.arn")
        } else {
            items.push(Item::Comment(
                "The cluster's IAM OIDC provider, looked up by URL: a missing one fails at plan time (createOidcProvider: true creates it).".into(),
            ));
            items.push(Item::Block(
                "data".into(),
                vec!["aws_iam_openid_connect_provider".into(), name.clone()],
                vec![url],
            ));
            format!("data.aws_iam_openid_connect_provider.{name}.arn")
        };
        refs.push((arn, reference));
    }
    refs
}

/// The trust's provider ARNs as references to the providers, so Terraform
/// orders them and the principal is the provider that exists.
fn with_refs(e: Expr, refs: &[(String, String)]) -> Expr {
    match e {
        Expr::Str(s) => match refs.iter().find(|(arn, _)| *arn == s) {
            Some((_, r)) => Expr::Raw(r.clone()),
            None => Expr::Str(s),
        },
        Expr::List(v) => Expr::List(v.into_iter().map(|e| with_refs(e, refs)).collect()),
        Expr::Object(v) => Expr::Object(
            v.into_iter()
                .map(|(k, e)| (k, with_refs(e, refs)))
                .collect(),
        ),
        Expr::Call(f, arg) => Expr::Call(f, Box::new(with_refs(*arg, refs))),
        other => other,
    }
}

/// The role, with its description, boundary, trust and tags.
fn role_resource(
    b: &Binding,
    d: &Documents,
    id: &str,
    refs: &[(String, String)],
) -> Result<Item, RenderError> {
    let mut role = vec![
        attr("name", Expr::str(&b.role_name)),
        attr("path", Expr::str(&b.role_path)),
    ];
    if let Some(d) = &b.description {
        role.push(attr("description", Expr::str(d)));
    }
    if let Some(pb) = &b.permissions_boundary {
        role.push(attr("permissions_boundary", Expr::str(pb)));
    }
    role.push(Item::Blank);
    role.push(attr(
        "assume_role_policy",
        with_refs(jsonencode(&d.trust)?, refs),
    ));
    if !b.tags.is_empty() {
        role.push(Item::Blank);
        let tags = b
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), Expr::str(v)))
            .collect();
        role.push(attr("tags", Expr::Object(tags)));
    }
    Ok(resource("aws_iam_role", id, role))
}

/// The role's own policy and its attachment, and the managed attachments.
fn policy_resources(
    b: &Binding,
    d: &Documents,
    id: &str,
    items: &mut Vec<Item>,
) -> Result<(), RenderError> {
    let role_name = || Expr::Raw(format!("aws_iam_role.{id}.name"));
    if let Some(p) = &d.permissions {
        items.push(Item::Blank);
        items.push(resource(
            "aws_iam_policy",
            id,
            vec![
                attr("name", Expr::str(policy_name(b))),
                attr("path", Expr::str(&b.role_path)),
                Item::Blank,
                attr("policy", jsonencode(p)?),
            ],
        ));
        items.push(Item::Blank);
        items.push(resource(
            "aws_iam_role_policy_attachment",
            id,
            vec![
                attr("role", role_name()),
                attr("policy_arn", Expr::Raw(format!("aws_iam_policy.{id}.arn"))),
            ],
        ));
    }
    let managed = &d.managed_policy_arns;
    if !managed.is_empty() {
        let arns = Expr::List(managed.iter().cloned().map(Expr::Str).collect());
        items.push(Item::Blank);
        items.push(resource(
            "aws_iam_role_policy_attachment",
            &format!("{id}_managed"),
            vec![
                attr("for_each", Expr::Call("toset", Box::new(arns))),
                Item::Blank,
                attr("role", role_name()),
                attr("policy_arn", Expr::Raw("each.value".into())),
            ],
        ));
    }
    Ok(())
}

/// One binding's resources.
fn binding_items(
    spec: &ValidSpec,
    b: &Binding,
    d: &Documents,
    refs: &[(String, String)],
    labels: &mut Labels,
    items: &mut Vec<Item>,
) -> Result<(), RenderError> {
    let id = labels.unique(&b.role_name);
    items.push(Item::Comment(format!(
        "IAM role {} for {} (generated by irsa-gen).",
        b.role_name,
        who(b)
    )));
    items.push(Item::Blank);
    items.push(role_resource(b, d, &id, refs)?);
    policy_resources(b, d, &id, items)?;
    for sa in b.named_service_accounts() {
        let name = labels.unique(&format!("{}_{sa}", b.namespace));
        items.push(Item::Blank);
        items.push(service_account(b, d, sa, &name, &id));
        if spec.uses_pod_identity() {
            if let Some(cluster) = &spec.cluster_name {
                items.push(Item::Blank);
                items.push(resource(
                    "aws_eks_pod_identity_association",
                    &name,
                    vec![
                        attr("cluster_name", Expr::str(cluster)),
                        attr("namespace", Expr::str(&b.namespace)),
                        attr("service_account", Expr::str(sa)),
                        attr("role_arn", Expr::Raw(format!("aws_iam_role.{id}.arn"))),
                    ],
                ));
            }
        }
    }
    Ok(())
}

/// The ServiceAccount, its role ARN annotation by reference (so Terraform
/// orders the two).
fn service_account(b: &Binding, d: &Documents, sa: &str, name: &str, id: &str) -> Item {
    let mut meta = vec![
        attr("name", Expr::str(sa)),
        attr("namespace", Expr::str(&b.namespace)),
    ];
    if !d.annotations.is_empty() {
        let values = d
            .annotations
            .iter()
            .map(|(k, v)| {
                let e = if k == crate::kube::ROLE_ARN {
                    Expr::Raw(format!("aws_iam_role.{id}.arn"))
                } else {
                    Expr::str(v)
                };
                (k.clone(), e)
            })
            .collect();
        meta.push(attr("annotations", Expr::Object(values)));
    }
    resource(
        "kubernetes_service_account_v1",
        name,
        vec![Item::Block("metadata".into(), Vec::new(), meta)],
    )
}
