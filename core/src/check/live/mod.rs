//! Live state read from the output of read-only commands (`aws eks
//! describe-cluster`, `aws iam list-roles`, `kubectl get ... -o yaml`...),
//! detected by content whatever the file's name. Each reader turns one output
//! shape into owned facts ([`facts`]); the doctor ([`super::doctor`]) judges
//! them together with the manifests and trusts of the set. irsa-gen itself
//! stays offline: these are files the user dumped.
//!
//! One file per output shape: `cluster.rs`, `oidc.rs`, `roles.rs`,
//! `associations.rs`, `addons.rs`, and `pods.rs` (a running Pod's status and
//! env); `facts.rs` their records, `fields.rs` what the shapes share. This
//! file only asks the readers in turn: none of them imports it.

pub(super) mod addons;
mod associations;
mod cluster;
pub(super) mod facts;
mod fields;
mod oidc;
pub(super) mod pods;
pub(super) mod roles;

use super::found::Found;
use super::out::Out;
use crate::source::Node;

/// Reads `root` when it is the output of one of the AWS commands; false when it is not.
pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    cluster::read(file, root, found, out)
        || oidc::read(file, root, found, out)
        || roles::read(file, root, found, out)
        || associations::read(file, root, found, out)
        || addons::read(file, root, found, out)
}
