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

#[cfg(test)]
mod tests {
    use super::*;

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
