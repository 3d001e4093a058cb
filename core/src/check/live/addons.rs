//! EKS add-ons: `aws eks list-addons` (`{"addons": ["vpc-cni", ...]}`, no
//! cluster name) and `aws eks describe-addon` (`{"addon": {"addonName",
//! "clusterName", "status", "addonVersion", ...}}`), as the EKS API reference
//! has them. The doctor asks one question of them: is the Pod Identity Agent
//! (`eks-pod-identity-agent`) installed?

use super::facts::AddonList;
use super::fields::{text, truncated};
use crate::check::found::Found;
use crate::check::out::Out;
use crate::inventory::InputKind;
use crate::source::Node;

/// The add-on the Pod Identity associations need.
pub(in crate::check) const POD_IDENTITY_AGENT: &str = "eks-pod-identity-agent";

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
