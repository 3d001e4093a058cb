//! AWS facts: partitions, regions, account IDs, ARNs, IAM names and the EKS OIDC issuer.

use std::fmt;

use serde::Serialize;

/// The service principal of EKS Pod Identity.
pub const POD_IDENTITY_PRINCIPAL: &str = "pods.eks.amazonaws.com";

/// An AWS partition. Every ARN carries the partition of its region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Partition {
    /// Commercial regions.
    #[serde(rename = "aws")]
    Aws,
    /// China (Beijing, Ningxia).
    #[serde(rename = "aws-cn")]
    AwsCn,
    /// AWS GovCloud (US).
    #[serde(rename = "aws-us-gov")]
    AwsUsGov,
    /// US ISO East/West.
    #[serde(rename = "aws-iso")]
    AwsIso,
    /// US ISOB East.
    #[serde(rename = "aws-iso-b")]
    AwsIsoB,
    /// EU ISOE West.
    #[serde(rename = "aws-iso-e")]
    AwsIsoE,
    /// US ISOF.
    #[serde(rename = "aws-iso-f")]
    AwsIsoF,
}

impl Partition {
    /// The partition's name as it appears in ARNs.
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
        }
    }

    /// The partition of a region, from its prefix.
    pub fn of_region(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition::AwsCn
        } else if region.starts_with("us-gov-") {
            Partition::AwsUsGov
        } else if region.starts_with("us-isob-") {
            Partition::AwsIsoB
        } else if region.starts_with("us-isof-") {
            Partition::AwsIsoF
        } else if region.starts_with("eu-isoe-") {
            Partition::AwsIsoE
        } else if region.starts_with("us-iso-") {
            Partition::AwsIso
        } else {
            Partition::Aws
        }
    }

    /// Parses a partition name as it appears in an ARN.
    pub fn parse(name: &str) -> Option<Partition> {
        Some(match name {
            "aws" => Partition::Aws,
            "aws-cn" => Partition::AwsCn,
            "aws-us-gov" => Partition::AwsUsGov,
            "aws-iso" => Partition::AwsIso,
            "aws-iso-b" => Partition::AwsIsoB,
            "aws-iso-e" => Partition::AwsIsoE,
            "aws-iso-f" => Partition::AwsIsoF,
            _ => return None,
        })
    }

    /// The DNS suffix of the partition's service endpoints (`ec2.cn-north-1.amazonaws.com.cn`).
    /// Service principals mostly do not follow it: see [`service_principals`].
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "amazonaws.com",
            Partition::AwsCn => "amazonaws.com.cn",
            Partition::AwsIso => "c2s.ic.gov",
            Partition::AwsIsoB => "sc2s.sgov.gov",
            Partition::AwsIsoE => "cloud.adc-e.uk",
            Partition::AwsIsoF => "csp.hci.ic.gov",
        }
    }

    /// The DNS suffix of EKS OIDC issuers, where it is documented (not for the isolated partitions).
    pub fn eks_issuer_suffix(self) -> Option<&'static str> {
        match self {
            Partition::Aws | Partition::AwsUsGov => Some("amazonaws.com"),
            Partition::AwsCn => Some("amazonaws.com.cn"),
            _ => None,
        }
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The service principals AWS names with the partition's DNS suffix, where the
/// global `SERVICE.amazonaws.com` is not the one (or not the only one) IAM uses.
/// Every other service is `SERVICE.amazonaws.com` in every partition: AWS's
/// own China and ISO policies keep `elasticloadbalancing.amazonaws.com`, and
/// fsx, vpc-lattice and delivery.logs stay `amazonaws.com` in China. The rows
/// follow the exceptions AWS documents (as the AWS CDK's region facts and the
/// Terraform provider's `aws_service_principal` encode them), plus EC2 in
/// China, which IAM knows by both names: Karpenter's policy passes its node
/// role to either (`iam:PassedToService`), because the instance-profile path
/// presents `ec2.amazonaws.com`.
const SUFFIXED_PRINCIPALS: &[(Partition, &str, Suffixed)] = &[
    (Partition::AwsCn, "codedeploy", Suffixed::Only),
    (Partition::AwsCn, "elasticmapreduce", Suffixed::Only),
    (Partition::AwsCn, "logs", Suffixed::Only),
    (Partition::AwsCn, "ec2", Suffixed::AlsoGlobal),
    (Partition::AwsIso, "cloudhsm", Suffixed::Only),
    (Partition::AwsIso, "config", Suffixed::Only),
    (Partition::AwsIso, "logs", Suffixed::Only),
    (Partition::AwsIso, "workspaces", Suffixed::Only),
    (Partition::AwsIsoB, "dms", Suffixed::Only),
    (Partition::AwsIsoB, "logs", Suffixed::Only),
];

/// How a row of [`SUFFIXED_PRINCIPALS`] names its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffixed {
    /// Only `SERVICE.DNS_SUFFIX`.
    Only,
    /// `SERVICE.amazonaws.com` and `SERVICE.DNS_SUFFIX`, in that order.
    AlsoGlobal,
}

/// The service principals of `service` (`ec2`, `vpc-lattice`, `delivery.logs`)
/// in a partition, the one IAM names first: what a trust policy's `Service`,
/// `iam:AWSServiceName` and `iam:PassedToService` take.
pub fn service_principals(service: &str, partition: Partition) -> Vec<String> {
    let global = format!("{service}.amazonaws.com");
    let suffixed = format!("{service}.{}", partition.dns_suffix());
    match SUFFIXED_PRINCIPALS
        .iter()
        .find(|(p, s, _)| *p == partition && *s == service)
    {
        Some((_, _, Suffixed::Only)) => vec![suffixed],
        Some((_, _, Suffixed::AlsoGlobal)) => vec![global, suffixed],
        None => vec![global],
    }
}

/// The first of [`service_principals`]: where a policy takes one value
/// (`iam:AWSServiceName` when creating a service-linked role).
pub fn service_principal(service: &str, partition: Partition) -> String {
    service_principals(service, partition)
        .into_iter()
        .next()
        .unwrap_or_else(|| format!("{service}.amazonaws.com"))
}

/// Regions known on the day this was written; others that are well formed are accepted with a warning.
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
];

/// True for a region name of the AWS shape: `xx-name-1`, `us-gov-west-1`.
pub fn is_well_formed_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    parts.len() >= 3
        && first.len() == 2
        && parts.iter().all(|p| !p.is_empty())
        && last.chars().all(|c| c.is_ascii_digit())
        && parts
            .iter()
            .take(parts.len() - 1)
            .all(|p| p.chars().all(|c| c.is_ascii_lowercase()))
}

/// True for exactly 12 ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// True for a valid IAM role name: 1 to 64 of `[A-Za-z0-9+=,.@_-]`.
pub fn is_role_name(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.chars().all(is_iam_name_char)
}

/// The characters IAM allows in role and policy names.
pub fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// True for a valid IAM path: `/` or `/a/b/`, up to 512 characters of U+0021 to U+007E.
pub fn is_iam_path(s: &str) -> bool {
    (1..=512).contains(&s.len())
        && s.starts_with('/')
        && s.ends_with('/')
        && !s.contains("//")
        && s.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c))
}

/// True when IAM accepts `c` in a tag key or value: its documented pattern
/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, by Unicode general category
/// (`tag_chars`), not by Rust's `is_alphanumeric`/`is_whitespace`.
pub fn is_tag_char(c: char) -> bool {
    matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
        || crate::tag_chars::is_letter_separator_or_number(c)
}

/// True when every character may appear in an IAM policy document
/// (tab, LF, CR and U+0020 to U+00FF).
pub fn is_policy_text(s: &str) -> bool {
    s.chars().all(is_policy_char)
}

/// True when IAM accepts `c` in a policy document: the documented pattern
/// `[\u0009\u000A\u000D\u0020-\u00FF]` (DEL and U+0080 to U+009F included).
pub fn is_policy_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// A parsed `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    /// Partition name as written.
    pub partition: &'a str,
    /// Service (`iam`, `s3`, ...).
    pub service: &'a str,
    /// Region (empty for global services).
    pub region: &'a str,
    /// Account (empty for S3, `aws` for AWS managed policies).
    pub account: &'a str,
    /// Everything after the fifth colon.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN into its parts; None when it has not six parts or does not start with `arn:`.
    pub fn parse(s: &'a str) -> Option<Arn<'a>> {
        // `splitn(6, ':')` by bytes: called for every principal of every
        // evaluation, where the pattern searcher cost more than the split.
        let mut rest = s.strip_prefix("arn:")?;
        let mut part = || -> Option<&'a str> {
            let colon = rest.bytes().position(|b| b == b':')?;
            let (head, tail) = (rest.get(..colon)?, rest.get(colon + 1..)?);
            rest = tail;
            Some(head)
        };
        let (partition, service, region, account) = (part()?, part()?, part()?, part()?);
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource: rest,
        })
    }
}

/// What is wrong with an IAM managed policy ARN, if anything.
pub fn policy_arn_problem(arn: &str, partition: Partition) -> Option<String> {
    let Some(a) = Arn::parse(arn) else {
        return Some(format!(
            "`{arn}` is not an ARN (expected arn:{partition}:iam::ACCOUNT:policy/NAME)"
        ));
    };
    if Partition::parse(a.partition).is_none() {
        return Some(format!("`{}` is not an AWS partition", a.partition));
    }
    if a.partition != partition.as_str() {
        return Some(format!(
            "the ARN is in partition `{}` but the region is in `{partition}`",
            a.partition
        ));
    }
    if a.service != "iam" || !a.region.is_empty() {
        return Some(format!(
            "`{arn}` is not an IAM policy ARN (expected arn:{partition}:iam::ACCOUNT:policy/NAME)"
        ));
    }
    if a.account != "aws" && !is_account_id(a.account) {
        return Some(format!(
            "account `{}` must be 12 digits, or `aws` for AWS managed policies",
            a.account
        ));
    }
    let Some(rest) = a.resource.strip_prefix("policy/") else {
        return Some(format!(
            "resource `{}` must start with `policy/`",
            a.resource
        ));
    };
    let name = rest.rsplit('/').next().unwrap_or(rest);
    if !(1..=128).contains(&name.len()) || !name.chars().all(is_iam_name_char) {
        return Some(format!(
            "policy name `{name}` must be 1 to 128 of A-Z a-z 0-9 + = , . @ _ -"
        ));
    }
    None
}

/// What is wrong with an IAM role ARN (`arn:P:iam::ACCOUNT:role/PATH/NAME`), if anything.
pub fn role_arn_problem(arn: &str) -> Option<String> {
    let Some(a) = Arn::parse(arn) else {
        return Some(format!(
            "`{arn}` is not an ARN (expected arn:aws:iam::111122223333:role/NAME)"
        ));
    };
    if Partition::parse(a.partition).is_none() {
        return Some(format!(
            "`{}` is not an AWS partition (aws, aws-cn, aws-us-gov, aws-iso...)",
            a.partition
        ));
    }
    if a.service != "iam" || !a.region.is_empty() {
        return Some("a role ARN has service `iam` and an empty region: arn:PARTITION:iam::ACCOUNT:role/NAME".into());
    }
    if !is_account_id(a.account) {
        return Some(format!("account `{}` must be exactly 12 digits", a.account));
    }
    let Some(rest) = a.resource.strip_prefix("role/") else {
        return Some(format!("resource `{}` must start with `role/`", a.resource));
    };
    let (path, name) = match rest.rfind('/') {
        Some(i) => (
            rest.get(..=i).unwrap_or(""),
            rest.get(i + 1..).unwrap_or(""),
        ),
        None => ("", rest),
    };
    if !path.is_empty() && !is_iam_path(&format!("/{path}")) {
        return Some(format!("role path `/{path}` is not a valid IAM path"));
    }
    if !is_role_name(name) {
        return Some(format!(
            "role name `{name}` must be 1 to 64 of A-Z a-z 0-9 + = , . @ _ -"
        ));
    }
    None
}

/// An EKS (or other) OIDC issuer, normalised: host and path without scheme,
/// trailing slash or port. This is the provider ARN's resource and the
/// condition-key prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Issuer {
    /// `oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`
    pub host_path: String,
    /// The region in the host of an EKS issuer.
    pub region: Option<String>,
    /// The cluster ID of an EKS issuer.
    pub cluster_id: Option<String>,
}

impl Issuer {
    /// The issuer URL as EKS prints it (`https://...`).
    pub fn url(&self) -> String {
        format!("https://{}", self.host_path)
    }

    /// The IAM OIDC provider ARN for this issuer in `account`.
    pub fn provider_arn(&self, partition: Partition, account: &str) -> String {
        format!(
            "arn:{partition}:iam::{account}:oidc-provider/{}",
            self.host_path
        )
    }

    /// The EKS issuer of a cluster ID in a region, where the host is documented.
    pub fn from_cluster_id(id: &str, region: &str) -> Option<Issuer> {
        let suffix = Partition::of_region(region).eks_issuer_suffix()?;
        Some(Issuer {
            host_path: format!("oidc.eks.{region}.{suffix}/id/{id}"),
            region: Some(region.to_string()),
            cluster_id: Some(id.to_string()),
        })
    }

    /// Parses an issuer URL as `aws eks describe-cluster` prints it, forgiving a
    /// missing scheme, a trailing slash and a lower-case hex cluster ID.
    pub fn parse(input: &str) -> Result<Issuer, String> {
        let s = input.trim();
        // Called for every issuer of every evaluation: no allocation until
        // the issuer is known to be valid.
        let rest = match find_scheme_end(s) {
            None => s,
            Some(i) => {
                let scheme = s.get(..i).unwrap_or("");
                if scheme.eq_ignore_ascii_case("https") {
                    s.get(i + 3..).unwrap_or("")
                } else if scheme.eq_ignore_ascii_case("http") {
                    return Err(
                        "the issuer must use https:// (IAM OIDC providers require it)".into(),
                    );
                } else {
                    return Err(format!("`{s}` is not an https URL"));
                }
            }
        };
        let rest = rest.trim_end_matches('/');
        // The common case, a clean host and path, in one pass over each;
        // anything else goes through the checks below in their order (the
        // first that fails words the error).
        if let Some((host, path)) = clean_host_path(rest) {
            return Issuer::of_parts(host, path);
        }
        if rest
            .bytes()
            .any(|b| matches!(b, b'?' | b'#' | b' ' | b'\t' | b'\n' | b'"' | b'\\'))
        {
            return Err("the issuer URL must not contain a query, a fragment, spaces, quotes or backslashes".into());
        }
        let (host, path) =
            rest.split_at(rest.bytes().position(|b| b == b'/').unwrap_or(rest.len()));
        if host.contains(':') {
            return Err("the issuer must not have a port (IAM uses the host and path only)".into());
        }
        if !is_dns_name(host) {
            return Err(format!(
                "`{}` is not a valid host name",
                host.to_ascii_lowercase()
            ));
        }
        if path.as_bytes().windows(2).any(|w| w == b"//")
            || !path.bytes().all(|b| (0x21..=0x7e).contains(&b))
        {
            return Err(format!("`{path}` is not a valid URL path"));
        }
        Issuer::of_parts(host, path)
    }

    /// The issuer of a host and path that passed every check: lower-cased,
    /// with an EKS issuer's region and cluster ID.
    fn of_parts(host: &str, path: &str) -> Result<Issuer, String> {
        let mut host_path = String::with_capacity(host.len() + path.len());
        host_path.push_str(host);
        host_path.make_ascii_lowercase();
        match eks_region(&host_path) {
            Some(region) => {
                let region = region.to_string();
                let Some(id) = path
                    .strip_prefix("/id/")
                    .filter(|id| !id.is_empty() && !id.contains('/'))
                else {
                    return Err(format!(
                        "an EKS issuer has the form https://{host_path}/id/CLUSTER_ID"
                    ));
                };
                // Real IDs are upper-case hex; a lower-cased one is the same ID.
                let id = if id.bytes().all(|b| b.is_ascii_hexdigit()) {
                    id.to_ascii_uppercase()
                } else {
                    id.to_string()
                };
                host_path.push_str("/id/");
                host_path.push_str(&id);
                Ok(Issuer {
                    host_path,
                    region: Some(region),
                    cluster_id: Some(id),
                })
            }
            None => {
                host_path.push_str(path);
                Ok(Issuer {
                    host_path,
                    region: None,
                    cluster_id: None,
                })
            }
        }
    }
}

/// Where `://` starts in `s`, if anywhere (`str::find("://")` without the
/// substring searcher's set-up, which cost more than the search on an issuer).
fn find_scheme_end(s: &str) -> Option<usize> {
    // A host and path has no colon: one memchr says so.
    if !s.as_bytes().contains(&b':') {
        return None;
    }
    s.as_bytes().windows(3).position(|w| w == b"://")
}

/// `rest` split into host and path when it passes every check of
/// [`Issuer::parse`] (a DNS host: no port, no query, no space; a path of
/// visible ASCII without `?`, `#`, quotes, backslashes or `//`), else None.
fn clean_host_path(rest: &str) -> Option<(&str, &str)> {
    let (host, path) = rest.split_at(rest.bytes().position(|b| b == b'/').unwrap_or(rest.len()));
    if !is_dns_name(host) {
        return None;
    }
    let mut prev = 0u8;
    for b in path.bytes() {
        let bad = !(0x21..=0x7e).contains(&b)
            || matches!(b, b'?' | b'#' | b'"' | b'\\')
            || (b == b'/' && prev == b'/');
        if bad {
            return None;
        }
        prev = b;
    }
    Some((host, path))
}

/// The region of an EKS issuer's host (`oidc.eks.REGION.amazonaws.com[.cn]`, lower-case).
fn eks_region(host: &str) -> Option<&str> {
    let rest = host.strip_prefix("oidc.eks.")?;
    let (region, suffix) = rest.split_once('.')?;
    matches!(suffix, "amazonaws.com" | "amazonaws.com.cn").then_some(region)
}

/// True for a DNS name: dot-separated labels of letters, digits and hyphens.
pub fn is_dns_name(s: &str) -> bool {
    if !(1..=253).contains(&s.len()) {
        return false;
    }
    // One pass over the bytes: each label 1 to 63 letters, digits and
    // hyphens, neither starting nor ending with a hyphen; at least two labels.
    let (mut label, mut prev, mut dots) = (0usize, b'.', 0usize);
    for b in s.bytes() {
        if b == b'.' {
            if label == 0 || prev == b'-' {
                return false;
            }
            label = 0;
            dots += 1;
        } else if b.is_ascii_alphanumeric() || (b == b'-' && label > 0) {
            label += 1;
            if label > 63 {
                return false;
            }
        } else {
            return false;
        }
        prev = b;
    }
    label > 0 && prev != b'-' && dots > 0
}

/// True for the cluster IDs of AWS's documentation, such as
/// `EXAMPLED539D4633E53DE1B71EXAMPLE` (the IRSA guides) and
/// `EXAMPLED539D4633E53DE1B716D3041E` (the role-association guide): 32
/// upper-case letters and digits holding `EXAMPLE`, never a real cluster's.
pub fn is_documentation_cluster_id(s: &str) -> bool {
    s.len() == 32
        && s.contains("EXAMPLE")
        && s.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// True for what every real EKS cluster ID is: 32 upper-case hex characters.
pub fn is_real_cluster_id(s: &str) -> bool {
    s.len() == 32
        && s.chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `Issuer::parse` as it was before its one-pass common case: every
    /// check in order, the reference the faster one is held to.
    fn parse_before(input: &str) -> Result<Issuer, String> {
        let s = input.trim();
        let rest = match s.find("://") {
            None => s,
            Some(i) => {
                let scheme = s.get(..i).unwrap_or("");
                if scheme.eq_ignore_ascii_case("https") {
                    s.get(i + 3..).unwrap_or("")
                } else if scheme.eq_ignore_ascii_case("http") {
                    return Err(
                        "the issuer must use https:// (IAM OIDC providers require it)".into(),
                    );
                } else {
                    return Err(format!("`{s}` is not an https URL"));
                }
            }
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains(['?', '#', ' ', '\t', '\n', '"', '\\']) {
            return Err("the issuer URL must not contain a query, a fragment, spaces, quotes or backslashes".into());
        }
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.contains(':') {
            return Err("the issuer must not have a port (IAM uses the host and path only)".into());
        }
        let dns = (1..=253).contains(&host.len())
            && host.split('.').all(|l| {
                (1..=63).contains(&l.len())
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            })
            && host.contains('.');
        if !dns {
            return Err(format!(
                "`{}` is not a valid host name",
                host.to_ascii_lowercase()
            ));
        }
        if path.contains("//") || !path.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return Err(format!("`{path}` is not a valid URL path"));
        }
        Issuer::of_parts(host, path)
    }

    proptest! {
        #[test]
        fn issuers_parse_as_before(
            raw in "( |https?://|HTTPS://|ftp://)?(oidc\\.eks\\.[a-z0-9-]{1,12}\\.amazonaws\\.com(\\.cn)?|[a-zA-Z0-9.:-]{0,14}|-a\\.b|a-\\.b|a\\.\\.b)(/id/[a-fA-F0-9XG_/]{0,8}|/[a-z/?#\" \\\\:]{0,6}|//x)?/?( )?"
        ) {
            prop_assert_eq!(Issuer::parse(&raw), parse_before(&raw));
        }

        #[test]
        fn arns_split_as_before(raw in "(arn|arm|)(:[a-z0-9/.-]{0,5}){0,8}") {
            let mut it = raw.splitn(6, ':');
            let before = (it.next() == Some("arn")).then(|| Some(Arn {
                partition: it.next()?,
                service: it.next()?,
                region: it.next()?,
                account: it.next()?,
                resource: it.next()?,
            })).flatten();
            prop_assert_eq!(Arn::parse(&raw), before);
        }
    }

    #[test]
    fn tag_characters_are_iam_pattern_exactly() {
        for c in [
            'a', 'Z', 'é', '日', '7', '٣', 'Ⅻ', '½', ' ', '\u{a0}', '\u{3000}', '\u{2028}', '_',
            '.', ':', '/', '=', '+', '-', '@',
        ] {
            assert!(
                is_tag_char(c),
                "{c:?} is in [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]"
            );
        }
        // Controls (Cc) that Rust calls whitespace, marks and symbols Rust calls alphabetic.
        for c in [
            '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{0}', '\u{345}', '\u{93e}', 'Ⓐ', '#',
            ',', '*', '\u{200b}',
        ] {
            assert!(!is_tag_char(c), "{c:?} is not");
        }
    }

    #[test]
    fn partitions() {
        assert_eq!(Partition::of_region("us-west-2"), Partition::Aws);
        assert_eq!(Partition::of_region("cn-northwest-1"), Partition::AwsCn);
        assert_eq!(Partition::of_region("us-gov-east-1"), Partition::AwsUsGov);
        assert_eq!(Partition::of_region("us-iso-east-1"), Partition::AwsIso);
        assert_eq!(Partition::of_region("us-isob-east-1"), Partition::AwsIsoB);
        assert_eq!(Partition::of_region("eu-isoe-west-1"), Partition::AwsIsoE);
        assert_eq!(Partition::of_region("us-isof-south-1"), Partition::AwsIsoF);
    }

    #[test]
    fn service_principals_as_aws_names_them() {
        let sp = |s, p| service_principals(s, p).join(" ");
        // Global everywhere, also in China and the ISO partitions.
        for p in [
            Partition::Aws,
            Partition::AwsCn,
            Partition::AwsUsGov,
            Partition::AwsIso,
        ] {
            assert_eq!(
                sp("elasticloadbalancing", p),
                "elasticloadbalancing.amazonaws.com"
            );
            assert_eq!(sp("fsx", p), "fsx.amazonaws.com");
            assert_eq!(sp("vpc-lattice", p), "vpc-lattice.amazonaws.com");
            assert_eq!(sp("delivery.logs", p), "delivery.logs.amazonaws.com");
        }
        // The documented exceptions, and their near misses in other partitions.
        assert_eq!(
            sp("ec2", Partition::AwsCn),
            "ec2.amazonaws.com ec2.amazonaws.com.cn"
        );
        assert_eq!(sp("ec2", Partition::Aws), "ec2.amazonaws.com");
        assert_eq!(sp("logs", Partition::AwsCn), "logs.amazonaws.com.cn");
        assert_eq!(sp("logs", Partition::AwsIso), "logs.c2s.ic.gov");
        assert_eq!(sp("logs", Partition::AwsUsGov), "logs.amazonaws.com");
        assert_eq!(sp("dms", Partition::AwsIsoB), "dms.sc2s.sgov.gov");
        assert_eq!(sp("dms", Partition::AwsIso), "dms.amazonaws.com");
        assert_eq!(
            service_principal("ec2", Partition::AwsCn),
            "ec2.amazonaws.com"
        );
    }

    #[test]
    fn issuer_normalisation() {
        let want = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        for input in [
            "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE/",
            "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            "HTTPS://OIDC.EKS.US-WEST-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            " https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\n",
        ] {
            assert_eq!(Issuer::parse(input).unwrap().host_path, want, "{input}");
        }
        let lower = Issuer::parse(
            "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789abcdef0123456789abcdef",
        )
        .unwrap();
        assert_eq!(
            lower.cluster_id.as_deref(),
            Some("0123456789ABCDEF0123456789ABCDEF")
        );
        assert!(Issuer::parse("https://oidc.eks.us-west-2.amazonaws.com:443/id/X").is_err());
        assert!(Issuer::parse("http://oidc.eks.us-west-2.amazonaws.com/id/X").is_err());
        assert!(Issuer::parse("https://oidc.eks.us-west-2.amazonaws.com/").is_err());
        assert!(Issuer::parse("not a url").is_err());
    }

    #[test]
    fn arns() {
        assert_eq!(
            policy_arn_problem(
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                Partition::Aws
            ),
            None
        );
        assert!(policy_arn_problem(
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            Partition::AwsCn
        )
        .is_some());
        assert_eq!(
            role_arn_problem("arn:aws:iam::123456789012:role/team/S3WriterRole"),
            None
        );
        assert!(role_arn_problem("arn:aws:iam::12345:role/x").is_some());
        assert!(role_arn_problem("arn:aws:iam::123456789012:user/x").is_some());
    }
}
