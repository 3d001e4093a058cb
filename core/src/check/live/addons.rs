//! EKS add-ons: `aws eks list-addons` (`{"addons": ["vpc-cni", ...]}`, no
//! cluster name) and `aws eks describe-addon` (`{"addon": {"addonName",
//! "clusterName", "status", "addonVersion", ...}}`), as the EKS API reference
//! has them. The doctor asks one question of them: is the Pod Identity Agent
//! (`eks-pod-identity-agent`) installed?

use super::{text, truncated};
use crate::check::{Found, Out};
use crate::inventory::InputKind;
use crate::source::{Node, Span};

/// The add-on the Pod Identity associations need.
pub(in crate::check) const POD_IDENTITY_AGENT: &str = "eks-pod-identity-agent";

/// The add-ons one output names.
#[derive(Debug)]
pub(in crate::check) struct AddonList<'a> {
    pub file: &'a str,
    pub span: Span,
    /// The cluster, when the output says it (`describe-addon`).
    pub cluster: Option<String>,
    pub names: Vec<String>,
    /// Every add-on of the cluster (`list-addons` without more pages).
    pub complete: bool,
}

pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    let list = if let Some(a) = root.get("addon").filter(|a| a.get("addonName").is_some()) {
        AddonList {
            file,
            span: a.span,
            cluster: text(a, "clusterName").map(str::to_string),
            names: text(a, "addonName")
                .map(str::to_string)
                .into_iter()
                .collect(),
            complete: false,
        }
    } else if let Some((k, v)) = root.entry("addons").filter(|(_, v)| {
        v.as_seq()
            .is_some_and(|s| s.iter().all(|n| n.as_str().is_some()))
    }) {
        AddonList {
            file,
            span: k.span,
            cluster: None,
            names: v
                .as_seq()
                .unwrap_or(&[])
                .iter()
                .filter_map(|n| n.as_text().map(str::to_string))
                .collect(),
            complete: !truncated(root),
        }
    } else {
        return false;
    };
    out.inventory
        .add(InputKind::Live("EKS add-on list", "EKS add-on lists"));
    found.live.addons.push(list);
    true
}
