//! IAM OIDC providers: `aws iam list-open-id-connect-providers`
//! (`{"OpenIDConnectProviderList": [{"Arn"}]}`, every provider of one
//! account) and `aws iam get-open-id-connect-provider` (`{"Url",
//! "ClientIDList", "ThumbprintList", "CreateDate", "Tags"}`, no ARN), as the
//! IAM API reference documents them.

use super::facts::{ProviderDetail, ProviderList};
use super::fields::text;
use crate::check::found::Found;
use crate::check::out::Out;
use crate::inventory::InputKind;
use crate::source::Node;

pub(super) fn read<'a>(file: &'a str, root: &Node, found: &mut Found<'a>, out: &mut Out) -> bool {
    if let Some((key, list)) = root.entry("OpenIDConnectProviderList") {
        out.inventory
            .add(InputKind::Live("OIDC provider list", "OIDC provider lists"));
        let providers = list
            .as_seq()
            .unwrap_or(&[])
            .iter()
            .filter_map(|p| text(p, "Arn"))
            .filter_map(crate::trust::provider)
            .map(|p| {
                (
                    p.partition,
                    p.account,
                    crate::eval::normalise_issuer(&p.host_path),
                )
            })
            .collect();
        found.live.provider_lists.push(ProviderList {
            file,
            span: key.span,
            providers,
        });
        return true;
    }
    let Some(url) = text(root, "Url")
        .filter(|_| root.get("ClientIDList").is_some() || root.get("ThumbprintList").is_some())
    else {
        return false;
    };
    out.inventory
        .add(InputKind::Live("OIDC provider", "OIDC providers"));
    let ids = root.entry("ClientIDList");
    found.live.providers.push(ProviderDetail {
        file,
        url: crate::eval::normalise_issuer(url),
        client_ids: ids
            .and_then(|(_, v)| v.as_seq())
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| v.as_text().map(str::to_string))
            .collect(),
        client_ids_span: ids.map_or(root.span, |(k, _)| k.span),
    });
    true
}
