//! The spec's fields in people's words: one catalogue of labels, from the
//! spec's path (`bindings[0].accountId`...) to the label a form shows
//! ("AWS account ID"). The playground labels its inputs with it and says
//! where a finding is in these words; the CLI keeps the spec's keys, which
//! are what its users write.
//!
//! A path's list indices are written `[]` in the table: every element of a
//! list has its list's label (`bindings[3].permissions.s3[1].bucket` is an
//! "S3 bucket").

use crate::addons::AddonInput;
use crate::diagnostic::Diagnostic;
use crate::page_words::{self, Mode};

/// One field of the spec: its path (indices as `[]`) and its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldName {
    /// The spec's path, list indices written `[]` (`bindings[].namespace`).
    pub path: &'static str,
    /// The label a form shows for it.
    pub label: &'static str,
}

const fn f(path: &'static str, label: &'static str) -> FieldName {
    FieldName { path, label }
}

/// Every field of the spec and its label, in the spec's order (the add-on
/// inputs are [`addon_input_label`]'s).
pub const FIELDS: &[FieldName] = &[
    f("accountId", "AWS account ID"),
    f("clusterAccountId", "Cluster's AWS account ID"),
    f("region", "Region"),
    f("cluster", "Cluster ID or OIDC issuer URL"),
    f("clusterName", "Cluster name"),
    f("additionalClusters", "Additional clusters"),
    f("createOidcProvider", "Create the OIDC provider"),
    f("identityType", "Identity type"),
    f("audience", "Token audience"),
    f("tokenExpiration", "Token expiration (seconds)"),
    f("stsRegionalEndpoints", "Regional STS endpoints"),
    f("maxTrustPolicyLength", "Largest trust policy (characters)"),
    f("bindings", "Bindings"),
    f("bindings[].namespace", "Namespace"),
    f("bindings[].serviceAccount", "Service account"),
    f("bindings[].roleName", "Role name"),
    f("bindings[].rolePath", "Role path"),
    f("bindings[].description", "Role description"),
    f("bindings[].permissionsBoundary", "Permissions boundary ARN"),
    f("bindings[].tags", "Role tags"),
    f("bindings[].permissions", "Permissions"),
    f(
        "bindings[].permissions.managedPolicyArns",
        "Managed policy ARN",
    ),
    f("bindings[].permissions.s3", "S3 bucket"),
    f("bindings[].permissions.s3[].bucket", "S3 bucket"),
    f("bindings[].permissions.s3[].prefix", "S3 key prefix"),
    f("bindings[].permissions.s3[].access", "S3 access"),
    f(
        "bindings[].permissions.secretsManager",
        "Secrets Manager secret",
    ),
    f(
        "bindings[].permissions.secretsManager[].secret",
        "Secrets Manager secret",
    ),
    f("bindings[].permissions.dynamodb", "DynamoDB table"),
    f("bindings[].permissions.dynamodb[].table", "DynamoDB table"),
    f(
        "bindings[].permissions.dynamodb[].access",
        "DynamoDB access",
    ),
    f("bindings[].permissions.sqs", "SQS queue"),
    f("bindings[].permissions.sqs[].queue", "SQS queue"),
    f("bindings[].permissions.sqs[].access", "SQS access"),
    f("bindings[].permissions.addons", "Add-on policy"),
    f("bindings[].permissions.addons[].name", "Add-on policy"),
    f("bindings[].permissions.addons[].version", "Add-on release"),
    f("bindings[].permissions.statements", "Statements (JSON)"),
    f("bindings[].workload", "Workload"),
    f("bindings[].workload.name", "Workload name"),
    f("bindings[].workload.image", "Workload image"),
    f("bindings[].workload.container", "Container name"),
    f("bindings[].workload.replicas", "Replicas"),
];

/// The label of an add-on's input list (`hostedZoneArns`: "Hosted zone ARNs").
pub fn addon_input_label(input: AddonInput) -> &'static str {
    match input {
        AddonInput::HostedZones => "Hosted zone ARNs",
        AddonInput::Buckets => "S3 bucket ARNs",
        AddonInput::KmsKeys => "KMS key ARNs",
        AddonInput::FileSystems => "File system ARNs",
        AddonInput::Secrets => "Secret ARNs",
        AddonInput::Parameters => "SSM parameter ARNs",
        AddonInput::Queues => "SQS queue ARNs",
        AddonInput::Workspaces => "Prometheus workspace ARNs",
        AddonInput::NodeRoles => "Node role ARNs",
        AddonInput::TargetGroups => "Target group ARNs",
        AddonInput::CertificateAuthorities => "Private CA ARNs",
    }
}

/// `bindings[2].permissions.s3[10].bucket` -> `bindings[].permissions.s3[].bucket`.
pub fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

/// The label of the field at `path` (a spec path, with or without its list
/// indices); an element of a list or of the tags is its list's field, an
/// add-on's input its input's.
pub fn label(path: &str) -> Option<&'static str> {
    let p = pattern(path);
    let p = p.strip_suffix("[]").unwrap_or(&p);
    if let Some(entry) = FIELDS.iter().find(|e| e.path == p) {
        return Some(entry.label);
    }
    if p.starts_with("bindings[].tags.") {
        return label("bindings[].tags");
    }
    if let Some(input) = p.strip_prefix("bindings[].permissions.addons[].") {
        return AddonInput::ALL
            .iter()
            .find(|i| i.field() == input)
            .map(|i| addon_input_label(*i));
    }
    // Inside a raw statement (`statements[0].Effect`): the statements' field.
    if p.starts_with("bindings[].permissions.statements[]") {
        return label("bindings[].permissions.statements");
    }
    None
}

/// Where `path` is, in the form's words: its label, the element's number
/// in its list, and the binding (`bindings[0].permissions.s3[1].bucket`:
/// "S3 bucket 2 (binding 1)"); a path of no field is written as it is.
pub fn describe(path: &str) -> String {
    let Some(label) = label(path) else {
        return path.to_string();
    };
    let index = |at: &str| -> Option<usize> {
        let inner = at.strip_prefix('[')?;
        inner.get(..inner.find(']')?)?.parse().ok()
    };
    let binding = path.strip_prefix("bindings").and_then(index);
    if let Some(b) = binding.filter(|_| !path.contains('.')) {
        return format!("Binding {}", b + 1);
    }
    let mut out = label.to_string();
    let rest = match binding {
        Some(_) => path.split_once('.').map_or("", |(_, r)| r),
        None => path,
    };
    if let Some(n) = rest.find('[').and_then(|i| rest.get(i..)).and_then(index) {
        out.push_str(&format!(" {}", n + 1));
    }
    if let Some(b) = binding {
        out.push_str(&format!(" (binding {})", b + 1));
    }
    out
}

/// The keys a spec writes (the last segment of every path, the add-on
/// inputs too), each with its label.
fn keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    let spec = FIELDS.iter().map(|e| {
        let key = e.path.rsplit('.').next().unwrap_or(e.path);
        (key.trim_end_matches("[]"), e.label)
    });
    let inputs = AddonInput::ALL
        .iter()
        .map(|i| (i.field(), addon_input_label(*i)));
    spec.chain(inputs)
}

/// The label of the spec key `key` (`serviceAccount`: "Service account").
fn key_label(key: &str) -> Option<&'static str> {
    keys().find(|(k, _)| *k == key).map(|(_, label)| label)
}

/// A finding of the spec in the words of the form: every spec key it
/// names becomes its field's label (`accountId`, `` `hostedZoneArns` ``:
/// "AWS account ID", "Hosted zone ARNs"), a message that starts with its
/// field's key starts with the label (`region` `x` ...: "Region `x` ..."),
/// and list elements are counted as people count them (`bindings[1]`:
/// "binding 2", `addons[0]`: "add-on 1"). Values between backticks that are
/// not a key alone (`` `my-bucket` ``, a command) are left as written.
/// The CLI's flags and sentences are then the form's
/// ([`crate::page_words`], generate mode).
pub fn in_words(d: &Diagnostic) -> Diagnostic {
    in_mode_words(d, Mode::Generate)
}

/// A finding about the spec in the words of `mode`'s page: the spec's keys
/// as the form's labels, as [`in_words`], and the CLI's flags as that
/// mode's controls (the Migrate tab plans the form's spec).
pub fn in_mode_words(d: &Diagnostic, mode: Mode) -> Diagnostic {
    let own_key = d.path.as_deref().and_then(|p| {
        let last = pattern(p);
        let last = last.rsplit('.').next().unwrap_or("").trim_end_matches("[]");
        key_label(last).map(|l| (last.to_string(), l))
    });
    let mut message = d.message.clone();
    if let Some((key, label)) = &own_key {
        if let Some(rest) = message.strip_prefix(key.as_str()) {
            // `cluster ID ...` says what the value is: left as written.
            let qualified = rest
                .trim_start()
                .starts_with(|c: char| c.is_ascii_uppercase());
            if rest.starts_with([' ', ':']) && !qualified {
                message = format!("{label}{rest}");
            }
        }
    }
    let labelled = Diagnostic {
        message: rewrite(&message),
        help: rewrite(&d.help),
        ..d.clone()
    };
    page_words::in_page_words(&labelled, mode)
}

/// `text` with its spec keys as labels and its list elements counted.
fn rewrite(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic()) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = from
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(from.len());
        let (word, after) = from.split_at(end);
        let glued = out.ends_with(|c: char| {
            c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == ':' || c == '/'
        });
        let quoted = out.ends_with('`') && after.starts_with('`');
        let camel = word.starts_with(|c: char| c.is_ascii_lowercase())
            && word.contains(|c: char| c.is_ascii_uppercase());
        // Inside a code span (a command, a value) a key is the span's own
        // unless it is the whole span.
        let in_span = out.matches('`').count() % 2 == 1;
        let label = key_label(word).filter(|_| !glued && (camel || quoted) && (!in_span || quoted));
        match (label, counted(word, after)) {
            (_, Some((words, after))) if !glued => {
                out.push_str(&words);
                rest = after;
            }
            (Some(label), _) if quoted => {
                out.pop();
                out.push_str(label);
                rest = after.get(1..).unwrap_or("");
            }
            (Some(label), _) if !continues(after) => {
                out.push_str(label);
                rest = after;
            }
            _ => {
                out.push_str(word);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// True when a word goes on past `after` (`serviceAccount.name`,
/// `clusterName:x`): it is part of something else, not a key.
fn continues(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some('[' | '/' | '-' | '_') => true,
        // The end of a sentence or a clause is not.
        Some('.' | ':') => chars.next().is_some_and(|c| !c.is_whitespace()),
        _ => false,
    }
}

/// `bindings[1]` -> "binding 2", `addons[0]` -> "add-on 1" (not a path
/// that goes on: `bindings[0].roleNmae` is the file's, left as written).
fn counted<'a>(word: &str, after: &'a str) -> Option<(String, &'a str)> {
    let noun = match word {
        "bindings" => "binding",
        "addons" => "add-on",
        _ => return None,
    };
    let inner = after.strip_prefix('[')?;
    let close = inner.find(']')?;
    let n: usize = inner.get(..close)?.parse().ok()?;
    let after = inner.get(close + 1..)?;
    if after.starts_with(['.', '[']) {
        return None;
    }
    Some((format!("{noun} {}", n + 1), after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn said(path: &str, message: &str, help: &str) -> (String, String) {
        let mut d = Diagnostic::new("SPEC000", Severity::Error, message, help);
        d.path = Some(path.into());
        let w = in_words(&d);
        (w.message, w.help)
    }

    #[test]
    fn spec_keys_become_the_forms_labels() {
        assert_eq!(
            said("accountId", "accountId `1111` must be exactly 12 digits", "set accountId to your 12-digit AWS account ID (`aws sts get-caller-identity --query Account`)"),
            (
                "AWS account ID `1111` must be exactly 12 digits".into(),
                // The label is not said twice (the help sits beside its field).
                "type your 12-digit AWS account ID (`aws sts get-caller-identity --query Account`)".into()
            )
        );
        assert_eq!(
            said(
                "bindings[0].permissions.addons[0].bucketArns",
                "add-on `external-dns` does not use bucketArns",
                "remove bucketArns: `external-dns` takes hostedZoneArns"
            )
            .1,
            "remove S3 bucket ARNs: `external-dns` takes Hosted zone ARNs"
        );
        assert_eq!(
            said(
                "bindings[0].permissions.s3[0].bucket",
                "bucket `My-Uploads` contains upper-case letters",
                "x"
            )
            .0,
            "S3 bucket `My-Uploads` contains upper-case letters"
        );
        assert_eq!(
            said(
                "bindings[1]",
                "bindings[0] and bindings[1] are for the same service account",
                "give each binding its own roleName"
            )
            .0,
            "binding 1 and binding 2 are for the same service account"
        );
        assert_eq!(
            said(
                "bindings[0].permissions.addons[1].name",
                "add-on `x` is already listed at addons[0]",
                ""
            )
            .0,
            "add-on `x` is already listed at add-on 1"
        );
        assert_eq!(
            said("bindings", "`bindings`: invalid type", "").0,
            "Bindings: invalid type"
        );
        assert_eq!(
            said("x", "remove tokenExpiration.", "").0,
            "remove Token expiration (seconds)."
        );
        assert_eq!(
            said("cluster", "cluster is missing", "").0,
            "Cluster ID or OIDC issuer URL is missing"
        );
        assert_eq!(
            said("cluster", "cluster ID `X` is AWS's placeholder", "").0,
            "cluster ID `X` is AWS's placeholder"
        );
    }

    #[test]
    fn a_path_is_described_by_its_label_element_and_binding() {
        assert_eq!(describe("audience"), "Token audience");
        assert_eq!(
            describe("bindings[0].permissions.s3[1].bucket"),
            "S3 bucket 2 (binding 1)"
        );
        assert_eq!(
            describe("bindings[2].serviceAccount[1]"),
            "Service account 2 (binding 3)"
        );
        assert_eq!(describe("bindings[0].tags"), "Role tags (binding 1)");
        assert_eq!(describe("bindings[3]"), "Binding 4");
        assert_eq!(
            describe("bindings[0].permissions"),
            "Permissions (binding 1)"
        );
        assert_eq!(describe("additionalClusters[0]"), "Additional clusters 1");
        assert_eq!(describe("bindings[0].roleNmae"), "bindings[0].roleNmae");
    }

    #[test]
    fn values_commands_and_the_files_own_paths_stay_as_written() {
        // Near misses: a key inside a value, a command, an unknown key's path,
        // a word that is a key only in lower case.
        let (m, h) = said(
            "bindings[0].roleNmae",
            "unknown field `bindings[0].roleNmae` is ignored; role `myRole` and `irsa-gen:managed`",
            "the cluster's name, `aws eks describe-cluster --query cluster.identity.oidc.issuer`, eks:clusterName",
        );
        assert_eq!(
            m,
            "unknown field `bindings[0].roleNmae` is ignored; role `myRole` and `irsa-gen:managed`"
        );
        assert_eq!(h, "the cluster's name, `aws eks describe-cluster --query cluster.identity.oidc.issuer`, eks:clusterName");
        // A key inside a command is the command's.
        let (_, h) = said(
            "bindings[0].permissions.addons[0].name",
            "x",
            "`aws eks update-addon --pod-identity-associations serviceAccount=SA,roleArn=ARN`",
        );
        assert_eq!(
            h,
            "`aws eks update-addon --pod-identity-associations serviceAccount=SA,roleArn=ARN`"
        );
        assert_eq!(
            said("region", "the region is `us-east-1`", "").0,
            "the region is `us-east-1`"
        );
    }

    #[test]
    fn every_path_has_its_label() {
        assert_eq!(label("accountId"), Some("AWS account ID"));
        assert_eq!(
            label("bindings[3].serviceAccount[1]"),
            Some("Service account")
        );
        assert_eq!(
            label("bindings[0].permissions.s3[12].bucket"),
            Some("S3 bucket")
        );
        assert_eq!(label("bindings[0].tags.aws:team"), Some("Role tags"));
        assert_eq!(
            label("bindings[1].permissions.addons[0].hostedZoneArns[2]"),
            Some("Hosted zone ARNs")
        );
        assert_eq!(
            label("bindings[0].permissions.statements[0].Effect"),
            Some("Statements (JSON)")
        );
        // Near misses: an unknown key, a key of the wrong level.
        assert_eq!(label("bindings[0].roleNmae"), None);
        assert_eq!(label("namespace"), None);
        assert_eq!(label("bindings[0].permissions.addons[0].nope"), None);
    }

    /// The catalogue is the spec's: every field of the schema has a label
    /// (so a new spec field cannot go unnamed in the page), and no entry
    /// names a field the spec does not have.
    #[test]
    fn the_catalogue_covers_the_schema_exactly() {
        let schema = crate::spec::json_schema();
        let mut paths = Vec::new();
        walk(&schema, &schema, "", &mut paths);
        let inputs: Vec<String> = AddonInput::ALL
            .iter()
            .map(|i| format!("bindings[].permissions.addons[].{}", i.field()))
            .collect();
        for p in &paths {
            assert!(label(p).is_some(), "{p} has no label");
        }
        for e in FIELDS {
            assert!(
                paths.contains(&e.path.to_string()),
                "{} is no spec path",
                e.path
            );
        }
        for p in inputs {
            assert!(paths.contains(&p), "{p}");
        }
        let labels: Vec<&str> = AddonInput::ALL
            .iter()
            .map(|i| addon_input_label(*i))
            .collect();
        let mut unique = labels.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "two inputs share a label");
    }

    /// Every object property of the schema, as a path with `[]` for arrays.
    fn walk(root: &serde_json::Value, node: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        let node = resolve(root, node);
        if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
            for (key, value) in props {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                out.push(path.clone());
                walk(root, value, &path, out);
            }
        }
        if let Some(items) = node.get("items") {
            walk(root, items, &format!("{at}[]"), out);
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            for alt in node
                .get(key)
                .and_then(|a| a.as_array())
                .into_iter()
                .flatten()
            {
                walk(root, alt, at, out);
            }
        }
    }

    fn resolve<'a>(
        root: &'a serde_json::Value,
        node: &'a serde_json::Value,
    ) -> &'a serde_json::Value {
        match node.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => r
                .strip_prefix("#/")
                .map(|p| p.split('/').fold(root, |n, k| &n[k]))
                .unwrap_or(node),
            None => node,
        }
    }
}
