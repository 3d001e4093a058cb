//! `aws eks describe-cluster` output: `{"cluster": {"name", "arn",
//! "identity": {"oidc": {"issuer"}}, "platformVersion", ...}}` (the EKS API
//! reference's DescribeCluster response; the CLI prints it as is).

use super::facts::Cluster;
use super::fields::text;
use crate::check::found::Found;
use crate::check::out::Out;
use crate::inventory::InputKind;
use crate::source::Node;

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
