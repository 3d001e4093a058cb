//! An eksctl `ClusterConfig` read into the documents check reads, as eksctl
//! makes them (eksctl's `pkg/apis/eksctl.io/v1alpha5` types and its
//! `iamserviceaccount` stack): for each `iam.serviceAccounts[]` the role's
//! trust (a Federated principal, the cluster's provider, and `StringEquals`
//! on `ISSUER:sub` = `system:serviceaccount:NAMESPACE:NAME` and `ISSUER:aud`
//! = `sts.amazonaws.com`) unless `attachRoleARN` names an existing role, the
//! ServiceAccount annotated with the role unless `roleOnly`, and
//! `attachPolicy` as a permissions policy; for each
//! `iam.podIdentityAssociations[]` and `addons[].podIdentityAssociations[]`
//! the association and its `permissionPolicy`. The provider and the role
//! eksctl creates are known only once it has: `${EKSCTL_...}` placeholders.

use super::{association, map, seq, service_account, text, Doc, Reading};
use crate::kube;
use crate::source::{Node, Span};

/// How the placeholders for what eksctl creates begin: they are eksctl's
/// to fill, not the user's, so the IRSA405 note does not list them.
pub const MADE: &str = "${EKSCTL_";
/// The provider eksctl creates (`iam.withOIDC`), known once it has.
const PROVIDER_ARN: &str = "${EKSCTL_OIDC_PROVIDER_ARN}";
/// Its issuer's host and path.
const ISSUER: &str = "${EKSCTL_OIDC_ISSUER}";
/// The role eksctl creates for a service account or an association.
const ROLE_ARN: &str = "${EKSCTL_ROLE_ARN}";

/// True for an eksctl `ClusterConfig`.
pub fn is_cluster_config(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::as_text)
        .is_some_and(|v| v.starts_with("eksctl.io/"))
}

/// The documents of a `ClusterConfig`.
pub fn read(root: &Node) -> Reading {
    let mut r = Reading::default();
    let cluster = root
        .get("metadata")
        .and_then(|m| m.get("name"))
        .cloned()
        .unwrap_or_else(|| text("", root.span));
    let iam = root.get("iam");
    let list = |n: Option<&Node>, k: &str| -> Vec<Node> {
        n.and_then(|n| n.get(k))
            .and_then(Node::as_seq)
            .map(<[Node]>::to_vec)
            .unwrap_or_default()
    };
    for sa in list(iam, "serviceAccounts") {
        service_account_entry(&sa, &mut r);
    }
    let addons = list(Some(root), "addons");
    let associations = list(iam, "podIdentityAssociations").into_iter().chain(
        addons
            .iter()
            .flat_map(|a| list(Some(a), "podIdentityAssociations")),
    );
    for a in associations {
        pod_identity(&cluster, &a, &mut r);
    }
    r
}

/// One `iam.serviceAccounts[]` entry: its trust, ServiceAccount and policy.
fn service_account_entry(sa: &Node, r: &mut Reading) {
    let Some(meta) = sa.get("metadata") else {
        return;
    };
    let span = meta.span;
    let name = meta.get("name").and_then(Node::as_text).unwrap_or("");
    // eksctl's default namespace.
    let namespace = meta
        .get("namespace")
        .and_then(Node::as_text)
        .unwrap_or("default");
    let attached = sa.get("attachRoleARN");
    if attached.is_none() {
        r.push_doc(Doc {
            root: trust(namespace, name, span),
            quoted: false,
            role: Vec::new(),
        });
    }
    let role_only = sa
        .get("roleOnly")
        .and_then(Node::as_text)
        .is_some_and(|t| t == "true");
    if !role_only {
        let role = attached.cloned().unwrap_or_else(|| text(ROLE_ARN, span));
        let mut annotations: Vec<(Node, Node)> = meta
            .get("annotations")
            .and_then(Node::as_map)
            .map(<[(Node, Node)]>::to_vec)
            .unwrap_or_default();
        annotations.retain(|(k, _)| k.as_text() != Some(kube::ROLE_ARN));
        annotations.push((text(kube::ROLE_ARN, role.span), role));
        let mut entries: Vec<(Node, Node)> = meta
            .as_map()
            .unwrap_or(&[])
            .iter()
            .filter(|(k, _)| matches!(k.as_text(), Some("name" | "namespace")))
            .cloned()
            .collect();
        entries.push((text("annotations", span), map(annotations, span)));
        r.push(service_account(map(entries, span), span));
    }
    if let Some(p) = sa.get("attachPolicy") {
        r.push(p.clone());
    }
}

/// The trust eksctl writes for a service account.
fn trust(namespace: &str, name: &str, span: Span) -> Node {
    let t = |s: &str| text(s, span);
    let condition = map(
        vec![(
            t("StringEquals"),
            map(
                vec![
                    (
                        t(&format!("{ISSUER}:sub")),
                        t(&format!("system:serviceaccount:{namespace}:{name}")),
                    ),
                    (t(&format!("{ISSUER}:aud")), t(kube::DEFAULT_AUDIENCE)),
                ],
                span,
            ),
        )],
        span,
    );
    let statement = map(
        vec![
            (t("Effect"), t("Allow")),
            (
                t("Principal"),
                map(vec![(t("Federated"), t(PROVIDER_ARN))], span),
            ),
            (t("Action"), t("sts:AssumeRoleWithWebIdentity")),
            (t("Condition"), condition),
        ],
        span,
    );
    map(
        vec![
            (t("Version"), t("2012-10-17")),
            (t("Statement"), seq(vec![statement], span)),
        ],
        span,
    )
}

/// One Pod Identity association and its permission policy.
fn pod_identity(cluster: &Node, a: &Node, r: &mut Reading) {
    let span = a.span;
    let field = |k: &str, api: &str| a.entry(k).map(|(key, v)| (text(api, key.span), v.clone()));
    let mut fields: Vec<(Node, Node)> = vec![(text("clusterName", cluster.span), cluster.clone())];
    fields.extend(field("namespace", "namespace"));
    fields.extend(field("serviceAccountName", "serviceAccount"));
    fields.push(
        field("roleARN", "roleArn")
            .unwrap_or_else(|| (text("roleArn", span), text(ROLE_ARN, span))),
    );
    let id = format!(
        "eksctl {}/{}",
        a.get("namespace").and_then(Node::as_text).unwrap_or(""),
        a.get("serviceAccountName")
            .and_then(Node::as_text)
            .unwrap_or("")
    );
    r.push(association(&id, fields, span));
    if let Some(p) = a.get("permissionPolicy") {
        r.push(p.clone());
    }
}
