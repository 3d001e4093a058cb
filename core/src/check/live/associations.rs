//! EKS Pod Identity associations: `aws eks list-pod-identity-associations`
//! (`{"associations": [{"clusterName", "namespace", "serviceAccount",
//! "associationArn", "associationId", "ownerArn"}]}`, no role) and `aws eks
//! describe-pod-identity-association` (`{"association": {... "roleArn",
//! "targetRoleArn", "disableSessionTags"}}`), as the EKS API reference has them.

use super::facts::LiveAssociation;
use super::fields::text;
use crate::check::found::Found;
use crate::check::out::Out;
use crate::inventory::InputKind;
use crate::source::Node;

fn association<'a>(file: &'a str, a: &Node) -> Option<LiveAssociation<'a>> {
    let field = |k: &str| text(a, k).map(str::to_string);
    Some(LiveAssociation {
        file,
        cluster: field("clusterName")?,
        namespace: field("namespace")?,
        service_account: field("serviceAccount")?,
        role: a
            .get("roleArn")
            .and_then(|r| Some((r.as_text()?.to_string(), r.span))),
    })
}

pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    let items: Vec<&Node> = match (root.get("association"), root.get("associations")) {
        (Some(a), _) if a.get("associationId").is_some() => vec![a],
        (_, Some(list)) if list.as_seq().is_some() => list.as_seq().unwrap_or(&[]).iter().collect(),
        _ => return false,
    };
    for a in items {
        if let Some(a) = association(file, a) {
            out.inventory.add(InputKind::Live(
                "Pod Identity association",
                "Pod Identity associations",
            ));
            found.live.associations.push(a);
        }
    }
    true
}
