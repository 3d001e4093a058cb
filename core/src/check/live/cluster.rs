//! `aws eks describe-cluster` output: `{"cluster": {"name", "arn",
//! "identity": {"oidc": {"issuer"}}, "platformVersion", ...}}` (the EKS API
//! reference's DescribeCluster response; the CLI prints it as is).

use super::text;
use crate::check::{Found, Out};
use crate::inventory::InputKind;
use crate::source::Node;

/// One cluster as EKS describes it.
#[derive(Debug)]
pub(in crate::check) struct Cluster<'a> {
    pub file: &'a str,
    pub name: String,
    pub arn: String,
    /// The issuer's host and path (`oidc.eks.REGION.amazonaws.com/id/ID`), as IAM writes it.
    pub issuer: String,
    pub platform_version: String,
}

pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    let Some(c) = root
        .get("cluster")
        .filter(|c| c.get("arn").is_some() && c.get("name").is_some())
    else {
        return false;
    };
    out.inventory
        .add(InputKind::Live("EKS cluster", "EKS clusters"));
    let issuer = c
        .get("identity")
        .and_then(|i| i.get("oidc"))
        .and_then(|o| o.get("issuer"));
    if let Some(i) = issuer.and_then(Node::as_text) {
        found.live.clusters.push(Cluster {
            file,
            name: text(c, "name").unwrap_or_default().to_string(),
            arn: text(c, "arn").unwrap_or_default().to_string(),
            issuer: crate::eval::normalise_issuer(i),
            platform_version: text(c, "platformVersion").unwrap_or_default().to_string(),
        });
    }
    true
}
