//! A trust's Federated principal judged on its literal parts: an OIDC
//! provider ARN (partition, 12-digit account, issuer host and path, the
//! region against the partition, the cluster ID's shape), also when parts of
//! it are placeholders; the fix names the ARN as it should be written.

use super::out::Out;
use crate::aws::{self, Partition};
use crate::placeholder::{self, Slot, HOLE};
use crate::source::Span;
use crate::trust;

/// Web identity providers that are domain names, not OIDC provider ARNs (not IRSA, but valid).
pub(super) const WEB_IDENTITY_DOMAINS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// An ARN written like the principal, with its own partition and region, for a fix.
fn suggested_provider(partition: &str, account: &str, host_path: &str) -> String {
    let region = host_path.split('.').nth(2).unwrap_or("");
    let partition = match Partition::parse(partition) {
        Some(p) => p.as_str().to_string(),
        None if host_path.starts_with("oidc.eks.") => {
            Partition::of_region(region).as_str().to_string()
        }
        None => "aws".to_string(),
    };
    let account = if aws::is_account_id(account) {
        account
    } else {
        "ACCOUNT"
    };
    format!("Write \"arn:{partition}:iam::{account}:oidc-provider/{host_path}\" (the issuer without https://, as `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints it).")
}

/// Checks a Federated principal on its literal parts; returns the provider
/// it names (the issuer host and path, or the placeholder standing for it)
/// when it is an OIDC provider ARN.
pub(super) fn check_federated(
    file: &str,
    value: &str,
    span: Span,
    out: &mut Out,
) -> Option<String> {
    if WEB_IDENTITY_DOMAINS.contains(&value) || value.contains(":saml-provider/") {
        return None;
    }
    let bad = |out: &mut Out, why: String, help: String| {
        out.push_help(
            file,
            span,
            "IRSA003",
            format!("Federated principal `{value}` is not an OIDC provider ARN: {why}"),
            help,
        )
    };
    let generic = || suggested_provider("", "", "ISSUER");
    if value.trim().is_empty() {
        bad(out, "it is empty".into(), generic());
        return None;
    }
    if value.starts_with("https://") || value.starts_with("oidc.") {
        let host_path = value.trim_start_matches("https://").trim_end_matches('/');
        bad(out, "this is the issuer URL; the principal is arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER-WITHOUT-https".into(), suggested_provider("", "", host_path));
        return None;
    }
    let Some(pr) = trust::provider(value) else {
        if let Some(id) = crate::widen::provider_id(value) {
            return Some(id);
        }
        bad(
            out,
            "expected arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER".into(),
            generic(),
        );
        return None;
    };
    let templated_partition = placeholder::has_placeholder(&pr.partition);
    if !templated_partition && Partition::parse(&pr.partition).is_none() {
        bad(
            out,
            format!("`{}` is not an AWS partition", pr.partition),
            suggested_provider("", &pr.account, &pr.host_path),
        );
        return None;
    }
    let account_open = placeholder::has_placeholder(&pr.account)
        || placeholder::is_word(&pr.account, Slot::Account);
    if !account_open && !aws::is_account_id(&pr.account) {
        bad(
            out,
            format!("account `{}` must be exactly 12 digits", pr.account),
            suggested_provider(&pr.partition, "", &pr.host_path),
        );
        return None;
    }
    let (masked, _) = placeholder::mask_issuer(&pr.host_path);
    let fix = || {
        suggested_provider(
            &pr.partition,
            &pr.account,
            pr.host_path
                .trim_start_matches("https://")
                .trim_end_matches('/'),
        )
    };
    if masked.contains("://") {
        bad(
            out,
            "the provider part must not contain `https://`".into(),
            fix(),
        );
        return None;
    }
    if masked.ends_with('/') {
        bad(out, "the provider part must not end with `/`".into(), fix());
        return None;
    }
    if !placeholder::is_masked(&masked) {
        let Some(issuer) = pr.issuer else {
            bad(
                out,
                format!("`{}` is not a valid issuer host and path", pr.host_path),
                fix(),
            );
            return None;
        };
        let region = issuer.region.clone();
        let partition = if templated_partition {
            ""
        } else {
            pr.partition.as_str()
        };
        check_region_and_id(
            file,
            span,
            partition,
            region.as_deref(),
            issuer.cluster_id.as_deref(),
            out,
        );
        return Some(pr.host_path);
    }
    // A template: judge what is written around the placeholders.
    if let Some(c) = masked
        .chars()
        .find(|c| *c != HOLE && !(c.is_ascii_alphanumeric() || "-._~/%".contains(*c)))
    {
        bad(
            out,
            format!(
                "`{}` has `{c}`, which no issuer host or path has",
                pr.host_path
            ),
            fix(),
        );
        return None;
    }
    let labels: Vec<&str> = masked.split('/').next().unwrap_or("").split('.').collect();
    if let ["oidc", "eks", region, "amazonaws", "com", rest @ ..] = labels.as_slice() {
        let china = rest == ["cn"];
        let region = (!region.contains(HOLE)).then_some(*region);
        let id = masked
            .strip_prefix(labels.join(".").as_str())
            .and_then(|p| p.strip_prefix("/id/"));
        let id = id.filter(|i| !i.contains(HOLE));
        if region.is_none() && !templated_partition {
            let want = if china { "aws-cn" } else { "" };
            if (china && pr.partition != "aws-cn") || (!china && pr.partition == "aws-cn") {
                let want = if want.is_empty() {
                    "aws or aws-us-gov"
                } else {
                    want
                };
                out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{}` but the issuer's host is in `{want}`", pr.partition));
            }
        }
        let partition = if templated_partition {
            ""
        } else {
            pr.partition.as_str()
        };
        check_region_and_id(file, span, partition, region, id, out);
    }
    Some(pr.host_path)
}

/// IRSA010 (partition against region, when both are written) and IRSA015 (cluster ID shape).
fn check_region_and_id(
    file: &str,
    span: Span,
    partition: &str,
    region: Option<&str>,
    id: Option<&str>,
    out: &mut Out,
) {
    if let Some(region) = region.filter(|_| !partition.is_empty()) {
        let want = Partition::of_region(region);
        if want.as_str() != partition {
            out.push(file, span, "IRSA010", format!("the provider ARN is in partition `{partition}` but the issuer's region `{region}` is in `{want}`"));
        }
    }
    if let Some(id) = id {
        if !aws::is_real_cluster_id(id) {
            out.push(
                file,
                span,
                "IRSA015",
                format!("cluster ID `{id}` is not 32 upper-case hex characters"),
            );
        }
    }
}
