//! Live state read from the output of read-only commands (`aws eks
//! describe-cluster`, `aws iam list-roles`, `kubectl get ... -o yaml`...),
//! detected by content whatever the file's name. Each reader turns one output
//! shape into owned facts; the doctor ([`super::doctor`]) judges them together
//! with the manifests and trusts of the set. irsa-gen itself stays offline:
//! these are files the user dumped.
//!
//! One file per output shape: `cluster.rs`, `oidc.rs`, `roles.rs`,
//! `associations.rs`, `addons.rs`, and `pods.rs` (a running Pod's status and env).

pub(super) mod addons;
pub(super) mod associations;
pub(super) mod cluster;
pub(super) mod oidc;
pub(super) mod pods;
pub(super) mod roles;

use super::{Found, Out};
use crate::source::Node;

/// Everything the dumps of a set say about the live setup.
#[derive(Debug, Default)]
pub(super) struct Facts<'a> {
    pub clusters: Vec<cluster::Cluster<'a>>,
    pub provider_lists: Vec<oidc::ProviderList<'a>>,
    pub providers: Vec<oidc::ProviderDetail<'a>>,
    pub role_dumps: Vec<roles::RoleDump<'a>>,
    pub associations: Vec<associations::LiveAssociation<'a>>,
    pub addons: Vec<addons::AddonList<'a>>,
    pub pods: Vec<pods::LivePod<'a>>,
}

impl<'a> Facts<'a> {
    /// Adds another file's facts.
    pub fn extend(&mut self, other: Facts<'a>) {
        self.clusters.extend(other.clusters);
        self.provider_lists.extend(other.provider_lists);
        self.providers.extend(other.providers);
        self.role_dumps.extend(other.role_dumps);
        self.associations.extend(other.associations);
        self.addons.extend(other.addons);
        self.pods.extend(other.pods);
    }
}

/// Reads `root` when it is the output of one of the AWS commands; false when it is not.
pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    cluster::read(file, root, found, out)
        || oidc::read(file, root, found, out)
        || roles::read(file, root, found, out)
        || associations::read(file, root, found, out)
        || addons::read(file, root, found, out)
}

/// The text of `node[key]`.
fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key).and_then(Node::as_text)
}

/// True when a paginated output says more pages exist (the API's
/// `IsTruncated`/`Marker`, the CLI's `NextToken`, EKS's `nextToken`).
fn truncated(root: &Node) -> bool {
    text(root, "IsTruncated") == Some("true")
        || ["Marker", "NextToken", "nextToken"]
            .iter()
            .any(|k| root.get(k).is_some_and(|v| !v.is_null()))
}
