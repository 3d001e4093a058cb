//! What a pasted error names: the role, the session, the account, the issuer,
//! the action, the resource, the region and the endpoint. Read from the
//! words of the text, whatever wraps them (JSON logs escape newlines, Java
//! wraps in parentheses, botocore quotes).

use serde::Serialize;

/// The values a message names; each `None` when it does not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extracted {
    /// The role (`arn:aws:iam::111122223333:role/NAME`), from a role ARN or an assumed-role ARN.
    pub role_arn: Option<String>,
    /// The role session name (after `assumed-role/ROLE/`).
    pub session_name: Option<String>,
    /// The account of the role or caller.
    pub account: Option<String>,
    /// The issuer URL the message names.
    pub issuer: Option<String>,
    /// The action refused (`s3:PutObject`).
    pub action: Option<String>,
    /// The resource (`arn:aws:s3:::bucket/key`).
    pub resource: Option<String>,
    /// The region (of the issuer or the endpoint).
    pub region: Option<String>,
    /// The endpoint the SDK tried (`sts.amazonaws.com`, `169.254.170.23`).
    pub endpoint: Option<String>,
}

/// Characters that end a word: whitespace, quotes, brackets, separators, and
/// `\` (an escaped newline in a JSON log line).
fn ends_word(c: char) -> bool {
    c.is_whitespace() || "\"'`,;()[]{}<>\\".contains(c)
}

/// The words of a text, without a trailing `.` or `:`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(ends_word)
        .map(|w| w.trim_end_matches(['.', ':']))
        .filter(|w| !w.is_empty())
}

/// The word right after `marker` (case-insensitive), if any.
fn word_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let at = text.to_ascii_lowercase().find(marker)? + marker.len();
    words(text.get(at..)?).next()
}

/// Reads what the text names.
pub fn extract(text: &str) -> Extracted {
    let mut out = Extracted::default();
    for word in words(text) {
        read_arn(word, &mut out);
        read_host(word, &mut out);
    }
    if let Some(issuer) = word_after(text, "provider found in your account for") {
        out.issuer = Some(issuer.to_string());
    }
    out.action = word_after(text, "not authorized to perform:")
        .or_else(|| word_after(text, "not authorized to perform"))
        .filter(|a| is_action(a))
        .map(str::to_string);
    out.resource = word_after(text, "on resource:").map(str::to_string);
    out
}

fn is_action(word: &str) -> bool {
    word.split_once(':').is_some_and(|(service, action)| {
        !service.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !action.is_empty()
    })
}

/// `arn:PARTITION:iam::ACCOUNT:role/...` or `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
fn read_arn(word: &str, out: &mut Extracted) {
    let Some(start) = word.find("arn:") else {
        return;
    };
    let arn = word.get(start..).unwrap_or_default();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, _, account, rest] = parts.as_slice() else {
        return;
    };
    let is_account = account.len() == 12 && account.chars().all(|c| c.is_ascii_digit());
    if *service == "sts" {
        if let Some(path) = rest.strip_prefix("assumed-role/") {
            let (role, session) = path.split_once('/').unwrap_or((path, ""));
            out.role_arn
                .get_or_insert_with(|| format!("arn:{partition}:iam::{account}:role/{role}"));
            if !session.is_empty() {
                out.session_name.get_or_insert_with(|| session.to_string());
            }
        }
    } else if *service == "iam" && rest.starts_with("role/") {
        out.role_arn.get_or_insert_with(|| arn.to_string());
    } else if *service == "iam" && rest.starts_with("oidc-provider/") && out.issuer.is_none() {
        out.issuer = rest
            .strip_prefix("oidc-provider/")
            .map(|host| format!("https://{host}"));
    }
    if is_account && (*service == "sts" || *service == "iam") {
        out.account.get_or_insert_with(|| account.to_string());
    }
}

/// An issuer (`oidc.eks.REGION.amazonaws.com/id/ID`) or an endpoint host.
fn read_host(word: &str, out: &mut Extracted) {
    let host_path = word
        .strip_prefix("https://")
        .or_else(|| word.strip_prefix("http://"))
        .unwrap_or(word);
    let host = host_path.split(['/', ':']).next().unwrap_or_default();
    if let Some(region) = host
        .strip_prefix("oidc.eks.")
        .and_then(|r| r.split('.').next())
    {
        out.region.get_or_insert_with(|| region.to_string());
        if out.issuer.is_none() && host_path.contains("/id/") {
            out.issuer = Some(format!("https://{host_path}"));
        }
    } else if host.starts_with("sts.") && host.contains(".amazonaws.com") {
        out.endpoint.get_or_insert_with(|| host.to_string());
        let region = host.trim_start_matches("sts.").split('.').next();
        if let Some(r) = region.filter(|r| *r != "amazonaws" && !r.is_empty()) {
            out.region.get_or_insert_with(|| r.to_string());
        }
    } else if host == "169.254.170.23" || host == "169.254.170.2" {
        out.endpoint.get_or_insert_with(|| host.to_string());
    }
}
