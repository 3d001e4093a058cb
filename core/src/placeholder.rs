//! Placeholders: the tokens people leave in the files they publish and keep
//! (`${OIDC_PROVIDER}`, `<ACCOUNT_ID>`, `{{ .Values.role }}`, `REGION`...).
//!
//! A placeholder is an opaque token: it is never an error by itself, and the
//! rules judge the literal text around it. The delimited styles are data
//! ([`STYLES`]) found by [`scan`]; bare upper-case words count only where a
//! value of a known shape belongs ([`is_word`] with a [`Slot`]). [`fill`]
//! replaces placeholders with `--set NAME=VALUE` values before a check.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// The character that stands for a placeholder in [`mask`]ed text: a
/// private-use code point, so it is never part of a real value.
pub const HOLE: char = '\u{E000}';

/// Values given with `--set NAME=VALUE`, by name.
pub type Values = BTreeMap<String, String>;

/// How a placeholder is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// `${VAR}`, `${var.name}`, `${AWS::AccountId}` (shell, Terraform, CloudFormation `!Sub`).
    Brace,
    /// `$VAR` (a shell variable, expanded or not).
    Dollar,
    /// `<ACCOUNT_ID>`.
    Angle,
    /// `<<ACCOUNT-ID>>`.
    DoubleAngle,
    /// `{{ .Values.x }}` (Go templates, Helm, Jinja, Mustache).
    Template,
    /// `%s`, `%(name)s` (printf).
    Printf,
    /// `{arn-aws}` (attributes of the AWS documentation sources).
    Attribute,
    /// An upper-case word where a value of a known shape belongs (`ACCOUNT_ID`, `REGION`).
    Word,
}

/// One placeholder style, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StyleInfo {
    /// The style.
    pub style: Style,
    /// Who writes it.
    pub origin: &'static str,
    /// An example.
    pub example: &'static str,
}

/// Every style irsa-gen recognises.
pub const STYLES: &[StyleInfo] = &[
    StyleInfo {
        style: Style::Brace,
        origin: "shell, envsubst, Terraform, CloudFormation !Sub",
        example: "${OIDC_PROVIDER}",
    },
    StyleInfo {
        style: Style::Dollar,
        origin: "shell",
        example: "$oidc_provider",
    },
    StyleInfo {
        style: Style::Angle,
        origin: "documentation",
        example: "<ACCOUNT_ID>",
    },
    StyleInfo {
        style: Style::DoubleAngle,
        origin: "documentation",
        example: "<<ACCOUNT-ID>>",
    },
    StyleInfo {
        style: Style::Template,
        origin: "Go templates, Helm, Jinja",
        example: "{{ .Values.roleArn }}",
    },
    StyleInfo {
        style: Style::Printf,
        origin: "printf",
        example: "%s",
    },
    StyleInfo {
        style: Style::Attribute,
        origin: "AWS documentation sources",
        example: "{arn-aws}",
    },
    StyleInfo {
        style: Style::Word,
        origin: "documentation",
        example: "ACCOUNT_ID",
    },
];

/// One placeholder found in a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// How it is written.
    pub style: Style,
    /// The text as written (`${OIDC_PROVIDER}`).
    pub text: String,
    /// The name `--set` fills it by (`OIDC_PROVIDER`, `.Values.roleArn`).
    pub name: String,
    /// Byte offset of its start in the scanned string.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// Longest placeholder recognised, in bytes (a `${` with no `}` nearby is text).
const MAX_LEN: usize = 200;

/// The delimited placeholders of a string, in order (no bare words: those
/// depend on where they stand, see [`is_word`]). IAM policy variables
/// (`${aws:username}`, `${*}`) are not placeholders.
pub fn scan(s: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut i = 0;
    // Jump from one opening character to the next: most text has none.
    while let Some(next) = s.get(i..).and_then(|r| r.bytes().position(opens)) {
        i += next;
        let Some(rest) = s.get(i..) else { break };
        let Some(c) = rest.chars().next() else { break };
        match one_at(rest) {
            Some((style, len, name)) => {
                found.push(Placeholder {
                    style,
                    text: rest.get(..len).unwrap_or("").to_string(),
                    name,
                    start: i,
                    end: i + len,
                });
                i += len;
            }
            None => i += c.len_utf8(),
        }
    }
    found
}

/// The characters a delimited placeholder starts with.
fn opens(b: u8) -> bool {
    matches!(b, b'$' | b'<' | b'{' | b'%')
}

/// True when the string may hold a delimited placeholder (it has a character one starts with).
pub fn may_hold(s: &str) -> bool {
    // Eight bytes at a time (most strings have none of the four, so all of
    // it is read): asked of every scalar of every file and every ARN, where
    // a byte-by-byte search was the checker's largest cost.
    let mut words = s.as_bytes().chunks_exact(8);
    for w in &mut words {
        let v = <[u8; 8]>::try_from(w).map_or(0, u64::from_le_bytes);
        // `$` and `%` differ in their lowest bit only: one test for both.
        if has_below(v ^ (ONES * u64::from(b'$')), 2)
            || has_below(v ^ (ONES * u64::from(b'<')), 1)
            || has_below(v ^ (ONES * u64::from(b'{')), 1)
        {
            return true;
        }
    }
    words.remainder().iter().any(|&b| opens(b))
}

/// One in each byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// True when a byte of `v` is below `n` (at most 128): the classic
/// word-at-a-time test, exact for "is there such a byte".
fn has_below(v: u64, n: u8) -> bool {
    v.wrapping_sub(ONES * u64::from(n)) & !v & (ONES << 7) != 0
}

/// True when the string holds a delimited placeholder.
pub fn has_placeholder(s: &str) -> bool {
    may_hold(s) && !scan(s).is_empty()
}

/// The placeholder starting at the beginning of `s`: style, length, name.
fn one_at(s: &str) -> Option<(Style, usize, String)> {
    let b = s.as_bytes();
    match b.first()? {
        b'$' => dollar(s),
        b'<' => angle(s),
        b'{' if b.get(1) == Some(&b'{') => {
            let end = s.get(2..)?.find("}}")? + 4;
            let inner = s
                .get(2..end - 2)?
                .trim_matches(|c: char| c == '-' || c.is_whitespace());
            (end <= MAX_LEN && !inner.is_empty()).then(|| (Style::Template, end, inner.to_string()))
        }
        b'{' => {
            let end = s.find('}')?;
            let name = s.get(1..end)?;
            let ok = name.len() >= 2
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.contains('-')
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            ok.then(|| (Style::Attribute, end + 1, name.to_string()))
        }
        b'%' => match b.get(1)? {
            b's' | b'd' | b'v' | b'q' => Some((Style::Printf, 2, s.get(..2)?.to_string())),
            b'(' => {
                let close = s.find(')')?;
                let name = s.get(2..close)?;
                let conv = b.get(close + 1)?;
                let ok = !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && matches!(conv, b's' | b'd');
                ok.then(|| (Style::Printf, close + 2, name.to_string()))
            }
            _ => None,
        },
        _ => None,
    }
}

fn dollar(s: &str) -> Option<(Style, usize, String)> {
    let b = s.as_bytes();
    match b.get(1)? {
        b'{' => {
            let mut depth = 0usize;
            let mut end = None;
            for (j, c) in s.char_indices().skip(1) {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                    '\n' => return None,
                    _ => {}
                }
                if j > MAX_LEN {
                    return None;
                }
            }
            let end = end?;
            let content = s.get(2..end)?;
            if is_policy_variable(content) || content.trim().is_empty() {
                return None;
            }
            Some((Style::Brace, end + 1, brace_name(content)))
        }
        c if c.is_ascii_alphabetic() || *c == b'_' => {
            let len = 1 + s
                .get(1..)?
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(s.len() - 1);
            Some((Style::Dollar, len, s.get(1..len)?.to_string()))
        }
        _ => None,
    }
}

/// The `--set` name of `${...}`: the variable of a shell default (`${X:-a}`), else the content.
fn brace_name(content: &str) -> String {
    let t = content.trim();
    let ident_end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    match t.get(ident_end..) {
        Some(rest)
            if ident_end > 0 && [":-", ":=", ":?", ":+"].iter().any(|p| rest.starts_with(p)) =>
        {
            t.get(..ident_end).unwrap_or(t).to_string()
        }
        _ => t.to_string(),
    }
}

/// IAM's own policy variables: `${aws:username}`, `${ISSUER:sub}`, `${*}`,
/// `${aws:PrincipalTag/team, 'none'}`. A shell default (`${X:-a}`) and a
/// CloudFormation pseudo parameter (`${AWS::Region}`) are placeholders.
fn is_policy_variable(content: &str) -> bool {
    if matches!(content, "*" | "?" | "$") {
        return true;
    }
    let key = content.split(", '").next().unwrap_or(content);
    let Some((prefix, name)) = key.split_once(':') else {
        return false;
    };
    !prefix.is_empty()
        && !name.is_empty()
        && !name.starts_with([':', '-', '=', '?', '+'])
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

fn angle(s: &str) -> Option<(Style, usize, String)> {
    let (style, open, close) = if s.starts_with("<<") {
        (Style::DoubleAngle, 2, ">>")
    } else {
        (Style::Angle, 1, ">")
    };
    let body = s.get(open..)?;
    let end = body.find(close)?;
    let name = body.get(..end)?;
    let ok = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-.".contains(c));
    ok.then(|| (style, open + end + close.len(), name.trim().to_string()))
}

/// Where a value of a known shape belongs: the slots in which a bare
/// upper-case word is a placeholder rather than a wrong value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The account of an ARN (12 digits): `ACCOUNT_ID`, `account-id`.
    Account,
    /// A region (`us-west-2`): `REGION`.
    Region,
    /// An EKS cluster ID (32 upper-case hex): `CLUSTER_ID`.
    ClusterId,
    /// A whole issuer (host and path): `OIDC_PROVIDER`.
    Issuer,
    /// A Kubernetes namespace or name (lower-case): `NAMESPACE`, `SERVICE_ACCOUNT`.
    KubeName,
}

/// True when `s` is a bare word standing for a value in `slot`: a word no
/// real value of that slot can be, so it was left to be filled.
pub fn is_word(s: &str, slot: Slot) -> bool {
    // Looked at only when the slot asks (a real cluster ID is 32 upper-case
    // characters: its length says it is no word before its characters are read).
    let upper = || {
        s.len() >= 2
            && s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    };
    match slot {
        // An account is digits: a word without any is no typo of one.
        Slot::Account => {
            s.len() >= 2
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
        }
        Slot::Region => s == "region" || upper(),
        // A real ID is 32 hex characters; AWS's own example ID (32, not hex) is IRSA015.
        Slot::ClusterId => {
            s.len() != 32 && upper() && s.chars().any(|c| c == '_' || ('G'..='Z').contains(&c))
        }
        Slot::Issuer | Slot::KubeName => upper(),
    }
}

/// The text with every delimited placeholder replaced by one [`HOLE`]
/// (`{arn-aws}` by `arn:` HOLE `:`, the partition it stands for), and the
/// placeholders.
pub fn mask(s: &str) -> (String, Vec<Placeholder>) {
    if !may_hold(s) {
        return (s.to_string(), Vec::new());
    }
    let found = scan(s);
    if found.is_empty() {
        return (s.to_string(), found);
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for p in &found {
        out.push_str(s.get(at..p.start).unwrap_or(""));
        if p.style == Style::Attribute && p.name == "arn-aws" {
            out.push_str("arn:");
            out.push(HOLE);
            out.push(':');
        } else {
            out.push(HOLE);
        }
        at = p.end;
    }
    out.push_str(s.get(at..).unwrap_or(""));
    (out, found)
}

/// True when masked text holds a hole.
pub fn is_masked(s: &str) -> bool {
    // ASCII text holds no hole, and `is_ascii` reads a word at a time.
    !s.is_ascii() && s.contains(HOLE)
}

/// The text of [`mask`], borrowed when the text cannot hold a placeholder
/// (the common case: no copy, no placeholder list).
pub fn masked_text(s: &str) -> Cow<'_, str> {
    if may_hold(s) {
        Cow::Owned(mask(s).0)
    } else {
        Cow::Borrowed(s)
    }
}

/// Which slots of a masked issuer hold a bare word: the whole issuer
/// (`OIDC_PROVIDER`), the region label of an `oidc.` host, the cluster ID
/// after `id/`. Found before any text is built, so that a literal issuer
/// costs one look at each slot.
#[derive(Clone, Copy)]
struct IssuerWords {
    whole: bool,
    region: bool,
    id: bool,
}

impl IssuerWords {
    fn of(masked: &str) -> Self {
        if is_word(masked, Slot::Issuer) {
            return IssuerWords {
                whole: true,
                region: false,
                id: false,
            };
        }
        let (host, path) = split_host_path(masked);
        IssuerWords {
            whole: false,
            region: region_label(host).is_some_and(|r| is_word(r, Slot::Region)),
            id: path
                .strip_prefix("id/")
                .is_some_and(|id| is_word(id, Slot::ClusterId)),
        }
    }

    fn any(self) -> bool {
        self.whole || self.region || self.id
    }
}

/// Host and path of an issuer, split at its first `/` (the path without it).
fn split_host_path(s: &str) -> (&str, &str) {
    match s.bytes().position(|b| b == b'/') {
        Some(i) => (s.get(..i).unwrap_or(s), s.get(i + 1..).unwrap_or("")),
        None => (s, ""),
    }
}

/// The third label of a host of five labels or more that starts with
/// `oidc.`: where an EKS issuer's region stands.
fn region_label(host: &str) -> Option<&str> {
    let dot = |s: &str| s.bytes().position(|b| b == b'.');
    let rest = host.strip_prefix("oidc.")?;
    let after = rest.get(dot(rest)? + 1..)?;
    let end = dot(after)?;
    let tail = after.get(end + 1..)?;
    // Two labels at least after the region: `amazonaws.com`.
    dot(tail).and(after.get(..end))
}

/// An issuer (host and path, or a condition key's prefix) masked, with the
/// bare words of its slots as holes too: `OIDC_PROVIDER`,
/// `oidc.eks.REGION.amazonaws.com/id/CLUSTER_ID`. Also the words found.
pub fn mask_issuer(s: &str) -> (String, Vec<String>) {
    let masked = masked_text(s);
    let slots = IssuerWords::of(&masked);
    if slots.whole {
        return (HOLE.to_string(), vec![masked.into_owned()]);
    }
    // The common case, a literal issuer: nothing to replace, no copy of its labels.
    if !slots.any() {
        return (masked.into_owned(), Vec::new());
    }
    let mut words = Vec::new();
    let (host, path) = split_host_path(&masked);
    let mut labels: Vec<String> = host.split('.').map(str::to_string).collect();
    if slots.region {
        if let Some(r) = labels.get_mut(2) {
            words.push(std::mem::replace(r, HOLE.to_string()));
        }
    }
    let mut out = labels.join(".");
    if !path.is_empty() || masked.contains('/') {
        out.push('/');
        match path.strip_prefix("id/") {
            Some(id) if slots.id => {
                words.push(id.to_string());
                out.push_str("id/");
                out.push(HOLE);
            }
            _ => out.push_str(path),
        }
    }
    (out, words)
}

/// `is_masked(&mask_issuer(s).0)` without building the masked text: does
/// the issuer hold a placeholder, or a bare word in one of its slots?
pub fn issuer_is_masked(s: &str) -> bool {
    let masked = masked_text(s);
    IssuerWords::of(&masked).any() || is_masked(&masked)
}

/// `mask_issuer(s).1` without building the masked text when there is no word.
pub fn issuer_words(s: &str) -> Vec<String> {
    let masked = masked_text(s);
    if IssuerWords::of(&masked).any() {
        mask_issuer(s).1
    } else {
        Vec::new()
    }
}

/// Whether two values are the same, when either may hold placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Same {
    /// The same text (the same token is the same value).
    Yes,
    /// Their literal parts differ: no filling makes them equal.
    No,
    /// It depends on what the placeholders are filled with.
    Unknown,
}

/// Compares two issuers token for token, case-insensitively (IAM compares
/// provider hosts without case): equal texts are the same issuer, different
/// literals are different, a placeholder against a literal that fits around
/// it cannot be told.
pub fn compare_issuers(a: &str, b: &str) -> Same {
    if a.eq_ignore_ascii_case(b) {
        return Same::Yes;
    }
    let a = mask_issuer(a).0.to_ascii_lowercase();
    let b = mask_issuer(b).0.to_ascii_lowercase();
    match (is_masked(&a), is_masked(&b)) {
        (false, false) => Same::No,
        (true, false) => fits(&a, &b),
        (false, true) => fits(&b, &a),
        (true, true) => {
            let pa = a.split(HOLE).next().unwrap_or("");
            let pb = b.split(HOLE).next().unwrap_or("");
            let sa = a.rsplit(HOLE).next().unwrap_or("");
            let sb = b.rsplit(HOLE).next().unwrap_or("");
            let prefix = pa.starts_with(pb) || pb.starts_with(pa);
            let suffix = sa.ends_with(sb) || sb.ends_with(sa);
            if prefix && suffix {
                Same::Unknown
            } else {
                Same::No
            }
        }
    }
}

/// Could the masked `template` become `literal` once filled?
fn fits(template: &str, literal: &str) -> Same {
    let pattern: String = template
        .chars()
        .map(|c| if c == HOLE { '*' } else { c })
        .collect();
    if crate::wildcard::wildcard(&pattern, literal) {
        Same::Unknown
    } else {
        Same::No
    }
}

/// What [`fill`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filled {
    /// The text with every placeholder that has a value replaced.
    pub text: String,
    /// The `--set` names that filled something.
    pub used: BTreeSet<String>,
}

/// The normal form names are matched in: `<account-id>`, `${ACCOUNT_ID}` and
/// `--set account_id` are the same name; `{{ .Values.a.b }}` is also `a.b`.
fn normal(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_prefix(".Values.").unwrap_or(n);
    let n = n.strip_prefix("Values.").unwrap_or(n);
    let n = n.strip_prefix('.').unwrap_or(n);
    n.to_ascii_lowercase().replace('-', "_")
}

/// Replaces every placeholder that has a value (by exact name, else by
/// normal name) and every bare upper-case word named by a `--set` name
/// (`--set ACCOUNT_ID=...` fills `arn:aws:iam::ACCOUNT_ID:...`).
pub fn fill(text: &str, values: &Values) -> Filled {
    if values.is_empty() {
        return Filled {
            text: text.to_string(),
            used: BTreeSet::new(),
        };
    }
    let by_normal: BTreeMap<String, &String> = values.keys().map(|k| (normal(k), k)).collect();
    let lookup = |name: &str| -> Option<&String> {
        values
            .get_key_value(name)
            .map(|(k, _)| k)
            .or_else(|| by_normal.get(&normal(name)).copied())
    };
    let mut used = BTreeSet::new();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for p in scan(text) {
        if let Some(key) = lookup(&p.name) {
            out.push_str(text.get(at..p.start).unwrap_or(""));
            out.push_str(values.get(key).map_or("", String::as_str));
            used.insert(key.clone());
            at = p.end;
        }
    }
    out.push_str(text.get(at..).unwrap_or(""));
    let words: Vec<(&String, &String)> = values
        .iter()
        .filter(|(k, _)| is_word(k, Slot::KubeName))
        .collect();
    if !words.is_empty() {
        out = fill_words(&out, &words, &mut used);
    }
    Filled { text: out, used }
}

/// Replaces whole upper-case words (bounded by anything but `[A-Za-z0-9_]`).
fn fill_words(text: &str, words: &[(&String, &String)], used: &mut BTreeSet<String>) -> String {
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(is_word_char).unwrap_or(rest.len());
        out.push_str(rest.get(..start).unwrap_or(""));
        rest = rest.get(start..).unwrap_or("");
        let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or("");
        match words.iter().find(|(k, _)| k.as_str() == word) {
            Some((k, v)) => {
                out.push_str(v);
                used.insert((*k).clone());
            }
            None => out.push_str(word),
        }
        rest = rest.get(end..).unwrap_or("");
    }
    out
}

/// IRSA409 for every `--set` name that filled nothing.
pub fn unused(values: &Values, used: &BTreeSet<String>) -> Vec<crate::Diagnostic> {
    values
        .keys()
        .filter(|k| !used.contains(*k))
        .map(|name| {
            crate::rules::diagnostic(
                "IRSA409",
                format!("--set {name} fills no placeholder of the input"),
            )
        })
        .collect()
}

/// Parses one `NAME=VALUE` (`--set`).
pub fn parse_assignment(s: &str) -> Result<(String, String), String> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(format!("`{s}` is not NAME=VALUE"));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("`{s}` has no name before `=`"));
    }
    Ok((name.to_string(), value.to_string()))
}

/// Parses a file of `NAME=VALUE` lines (`--set-file`, a `.env` file): blank
/// lines and `#` comments are skipped, `export ` is allowed, a value in
/// single or double quotes is unquoted. The error names the 1-based line.
pub fn parse_assignments(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (name, value) = parse_assignment(line).map_err(|e| (i + 1, e))?;
        let value = value.trim();
        let unquoted = [('"', '"'), ('\'', '\'')]
            .iter()
            .find_map(|(a, b)| value.strip_prefix(*a).and_then(|v| v.strip_suffix(*b)))
            .unwrap_or(value);
        out.push((name, unquoted.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `mask_issuer` as it was before its word slots were found first: the
    /// reference the faster one is held to.
    fn mask_issuer_before(s: &str) -> (String, Vec<String>) {
        let (masked, _) = mask(s);
        let mut words = Vec::new();
        if is_word(&masked, Slot::Issuer) {
            words.push(masked);
            return (HOLE.to_string(), words);
        }
        let (host, path) = masked
            .split_once('/')
            .map_or((masked.as_str(), ""), |(h, p)| (h, p));
        let region_word = host.split('.').count() >= 5
            && host.starts_with("oidc.")
            && host
                .split('.')
                .nth(2)
                .is_some_and(|r| is_word(r, Slot::Region));
        let id_word = path
            .strip_prefix("id/")
            .is_some_and(|id| is_word(id, Slot::ClusterId));
        if !region_word && !id_word {
            return (masked, words);
        }
        let mut labels: Vec<String> = host.split('.').map(str::to_string).collect();
        if labels.len() >= 5 && labels.first().map(String::as_str) == Some("oidc") {
            if let Some(r) = labels.get_mut(2) {
                if is_word(r, Slot::Region) {
                    words.push(std::mem::replace(r, HOLE.to_string()));
                }
            }
        }
        let mut out = labels.join(".");
        if !path.is_empty() || masked.contains('/') {
            out.push('/');
            match path.strip_prefix("id/") {
                Some(id) if is_word(id, Slot::ClusterId) => {
                    words.push(id.to_string());
                    out.push_str("id/");
                    out.push(HOLE);
                }
                _ => out.push_str(path),
            }
        }
        (out, words)
    }

    const ISSUER_PIECES: &str = "(oidc|eks|REGION|us-west-2|region|amazonaws|com|cn|CLUSTER_ID|ABCDEF0123456789ABCDEF0123456789|OIDC_PROVIDER|\\$\\{OIDC\\}|<ID>|\\{arn-aws\\}|%s|\u{e000}|[a-zA-Z0-9_${}<>%-]{0,6})";

    proptest! {
        #[test]
        fn the_issuer_slots_are_found_as_before(
            parts in proptest::collection::vec(ISSUER_PIECES, 0..8),
            seps in proptest::collection::vec("[./]|/id/", 8),
        ) {
            let s: String = parts
                .iter()
                .zip(&seps)
                .flat_map(|(p, sep)| [p.as_str(), sep.as_str()])
                .collect();
            let before = mask_issuer_before(&s);
            prop_assert_eq!(&mask_issuer(&s), &before);
            prop_assert_eq!(issuer_is_masked(&s), is_masked(&before.0));
            prop_assert_eq!(issuer_words(&s), before.1);
        }

        #[test]
        fn may_hold_reads_eight_bytes_as_it_reads_one(s in "[a-z$%<{}\u{e000}\u{80}-\u{10ffff} ]{0,40}") {
            prop_assert_eq!(may_hold(&s), s.bytes().any(opens));
            prop_assert_eq!(masked_text(&s).into_owned(), mask(&s).0);
        }
    }

    fn styles(s: &str) -> Vec<(Style, String)> {
        scan(s).into_iter().map(|p| (p.style, p.name)).collect()
    }

    #[test]
    fn every_style_is_found_with_its_name() {
        let cases = [
            ("${OIDC_PROVIDER}:sub", Style::Brace, "OIDC_PROVIDER"),
            ("${var.account_id}", Style::Brace, "var.account_id"),
            ("${X:-default}", Style::Brace, "X"),
            ("${AWS::AccountId}", Style::Brace, "AWS::AccountId"),
            ("$oidc_provider:sub", Style::Dollar, "oidc_provider"),
            (
                "arn:aws:iam::<ACCOUNT_ID>:role/x",
                Style::Angle,
                "ACCOUNT_ID",
            ),
            ("<<ACCOUNT-ID>>", Style::DoubleAngle, "ACCOUNT-ID"),
            ("{{ .Values.roleArn }}", Style::Template, ".Values.roleArn"),
            ("{{- .Values.x -}}", Style::Template, ".Values.x"),
            ("arn:aws:iam::%s:role", Style::Printf, "%s"),
            ("%(account)s", Style::Printf, "account"),
            ("{arn-aws}iam::1:role/x", Style::Attribute, "arn-aws"),
        ];
        for (text, style, name) in cases {
            assert_eq!(styles(text), vec![(style, name.to_string())], "{text}");
        }
        for style in STYLES {
            if style.style != Style::Word {
                assert_eq!(scan(style.example).len(), 1, "{}", style.example);
            }
        }
    }

    #[test]
    fn near_misses_are_text() {
        for text in [
            "${aws:username}",
            "${oidc.eks.us-west-2.amazonaws.com/id/X:sub}",
            "${aws:PrincipalTag/team, 'none'}",
            "${*}",
            "$(VAR)",
            "a < b > c",
            "100%",
            "{\"a\": 1}",
            "<<: *base",
            "{x}",
            "$",
            "${",
        ] {
            assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
        }
    }

    #[test]
    fn words_count_only_in_their_slots() {
        assert!(is_word("ACCOUNT_ID", Slot::Account));
        assert!(is_word("account-id", Slot::Account));
        assert!(!is_word("12345678901", Slot::Account));
        assert!(is_word("REGION", Slot::Region));
        assert!(!is_word("us-west-2", Slot::Region));
        assert!(is_word("CLUSTER_ID", Slot::ClusterId));
        assert!(!is_word(
            "EXAMPLED539D4633E53DE1B71EXAMPLE",
            Slot::ClusterId
        ));
        assert!(!is_word("0123456789ABCDEF", Slot::ClusterId));
        assert!(is_word("OIDC_PROVIDER", Slot::Issuer));
        assert!(!is_word("Prod", Slot::KubeName));
    }

    #[test]
    fn issuers_compare_token_for_token() {
        let eks = "oidc.eks.us-west-2.amazonaws.com/id/AAAA";
        assert_eq!(compare_issuers("${OIDC}", "${OIDC}"), Same::Yes);
        assert_eq!(compare_issuers(eks, &eks.to_uppercase()), Same::Yes);
        assert_eq!(
            compare_issuers(eks, "oidc.eks.us-west-2.amazonaws.com/id/BBBB"),
            Same::No
        );
        assert_eq!(compare_issuers("${OIDC}", eks), Same::Unknown);
        assert_eq!(compare_issuers("OIDC_PROVIDER", eks), Same::Unknown);
        assert_eq!(
            compare_issuers("oidc.eks.${REGION}.amazonaws.com/id/AAAA", eks),
            Same::Unknown
        );
        assert_eq!(
            compare_issuers("oidc.eks.REGION.amazonaws.com/id/CLUSTER_ID", eks),
            Same::Unknown
        );
        assert_eq!(
            compare_issuers("oidc.eks.${REGION}.amazonaws.com/id/BBBB", eks),
            Same::No
        );
        assert_eq!(compare_issuers("${A}", "${B}"), Same::Unknown);
        assert_eq!(
            compare_issuers("oidc.eks.x/${A}", "token.actions/${B}"),
            Same::No
        );
    }

    #[test]
    fn fill_by_name_and_normal_name() {
        let values: Values = [
            ("ACCOUNT_ID".to_string(), "111122223333".to_string()),
            ("serviceAccount.name".to_string(), "app".to_string()),
        ]
        .into();
        let f = fill(
            "a ${ACCOUNT_ID} <account-id> <<ACCOUNT-ID>> $ACCOUNT_ID {{ .Values.serviceAccount.name }} ACCOUNT_ID ACCOUNT_IDS ${OTHER}",
            &values,
        );
        assert_eq!(
            f.text,
            "a 111122223333 111122223333 111122223333 111122223333 app 111122223333 ACCOUNT_IDS ${OTHER}"
        );
        assert_eq!(f.used.len(), 2);
        assert!(fill("x", &Values::new()).used.is_empty());
    }

    #[test]
    fn assignments() {
        assert_eq!(parse_assignment("A=b=c"), Ok(("A".into(), "b=c".into())));
        assert!(parse_assignment("A").is_err());
        assert!(parse_assignment("=x").is_err());
        let parsed = parse_assignments("# c\n\nexport A=\"1\"\nB='2'\nC=3\n").unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0], ("A".into(), "1".into()));
        assert_eq!(parse_assignments("A=1\nnope\n").unwrap_err().0, 2);
    }

    #[test]
    fn mask_keeps_the_literal_parts() {
        let (m, found) =
            mask("arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${R}.amazonaws.com/id/X");
        assert_eq!(found.len(), 2);
        assert_eq!(
            m,
            format!("arn:aws:iam::{HOLE}:oidc-provider/oidc.eks.{HOLE}.amazonaws.com/id/X")
        );
        let (m, _) = mask("{arn-aws}iam::1:role/x");
        assert_eq!(m, format!("arn:{HOLE}:iam::1:role/x"));
        let (m, words) = mask_issuer("oidc.eks.REGION.amazonaws.com/id/CLUSTER_ID");
        assert_eq!(m, format!("oidc.eks.{HOLE}.amazonaws.com/id/{HOLE}"));
        assert_eq!(words, vec!["REGION".to_string(), "CLUSTER_ID".to_string()]);
    }
}
