//! Text to [`Spec`]: the spec file parsed (SPEC001), read into the lenient
//! model (SPEC002, SPEC004 for an empty file), unknown fields reported with a
//! suggestion (SPEC003); then [`Spec::validate`], every finding placed at its
//! line and column.

use crate::diagnostic::Diagnostic;
use crate::source::{self, FieldPath, Limits, Node};
use crate::spec::Spec;

use super::Validated;

/// Parses a spec file (YAML or JSON) and validates it; diagnostics carry `file`, line and column.
pub fn load_spec(text: &str, file: Option<&str>) -> Validated {
    load_spec_with(text, file, |_| {})
}

/// Validates a spec that a program built as a JSON value, such as a
/// JavaScript object given to the npm module (serialized with `JSON.stringify`).
///
/// The rules are exactly those of [`load_spec`]; since the text is machine-made,
/// diagnostics carry the field path (`bindings[0].namespace`) but no file,
/// line or column.
///
/// ```
/// let v = irsa_core::load_spec_json(r#"{"accountId": "12345", "region": "us-west-2"}"#);
/// assert!(v.spec.is_none());
/// let d = v.diagnostics.iter().find(|d| d.path.as_deref() == Some("accountId")).unwrap();
/// assert_eq!((d.line, d.column, d.file.as_deref()), (None, None, None));
/// ```
pub fn load_spec_json(json: &str) -> Validated {
    let mut validated = load_spec(json, None);
    for d in &mut validated.diagnostics {
        d.line = None;
        d.column = None;
    }
    validated
}

/// Like [`load_spec`], with a chance to change the spec before validation
/// (the CLI's cluster flags override the file's fields).
pub fn load_spec_with(text: &str, file: Option<&str>, adjust: impl FnOnce(&mut Spec)) -> Validated {
    let fail = |d: Diagnostic| Validated {
        spec: None,
        diagnostics: vec![d.in_file(file)],
    };
    let docs = match source::parse_documents(text, &Limits::default()) {
        Ok(docs) => docs,
        Err(e @ source::SourceError::Limit { .. }) => {
            return fail(
                Diagnostic::error(
                    "SPEC001",
                    format!("the spec was not read: {e}"),
                    "a spec is a small file: check that this is the right one (the limits stop hostile input)",
                )
                .at(e.span()),
            )
        }
        Err(e) => {
            return fail(
                Diagnostic::error(
                    "SPEC001",
                    format!("the spec is not valid YAML or JSON: {e}"),
                    "fix the syntax at the position shown",
                )
                .at(e.span()),
            )
        }
    };
    let mut docs = docs.into_iter().filter(|d| !d.root.is_null());
    let Some(doc) = docs.next() else {
        return fail(Diagnostic::error(
            "SPEC004",
            "the spec is empty",
            "start from `irsa-gen init`, which prints a commented spec",
        ));
    };
    if docs.next().is_some() {
        return fail(Diagnostic::error(
            "SPEC002",
            "the spec file holds more than one YAML document",
            "keep one spec per file; put several roles under `bindings:`",
        ));
    }
    let root = doc.root;
    if root.as_map().is_none() {
        return fail(
            Diagnostic::error(
                "SPEC002",
                "the spec must be a mapping of fields (accountId, region, cluster, bindings...)",
                "start from `irsa-gen init`",
            )
            .at(root.span),
        );
    }
    let mut unknown = Vec::new();
    let json = root.to_json();
    let mut on_unknown = |path: serde_ignored::Path<'_>| unknown.push(ignored_path(&path));
    let de = serde_ignored::Deserializer::new(json, &mut on_unknown);
    let mut spec: Spec = match serde_path_to_error::deserialize(de) {
        Ok(spec) => spec,
        Err(e) => {
            let path = error_path(e.path());
            let message = e.inner().to_string();
            return fail(
                Diagnostic::error(
                    "SPEC002",
                    format!("`{path}`: {message}"),
                    "give the field the type the spec expects (see `irsa-gen init`)",
                )
                .at_path(&path)
                .at(root.locate(&path)),
            );
        }
    };
    let mut diagnostics: Vec<Diagnostic> = unknown
        .iter()
        .map(|path| {
            let field = path.last_key().unwrap_or_default();
            let help = match suggest(&field) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "remove it; `irsa-gen init` lists every field".to_string(),
            };
            Diagnostic::warning(
                "SPEC003",
                format!("unknown field `{path}` is ignored"),
                help,
            )
            .at_path(path)
            .at(root.locate(path))
        })
        .collect();
    adjust(&mut spec);
    let validated = spec.validate();
    diagnostics.extend(validated.diagnostics.into_iter().map(|d| locate(d, &root)));
    let diagnostics: Vec<Diagnostic> = diagnostics.into_iter().map(|d| d.in_file(file)).collect();
    Validated {
        spec: validated.spec,
        diagnostics,
    }
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> FieldPath {
    use serde_ignored::Path;
    match path {
        Path::Root => FieldPath::root(),
        Path::Seq { parent, index } => ignored_path(parent).index(*index),
        Path::Map { parent, key } => ignored_path(parent).key(key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

fn error_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment;
    let mut p = FieldPath::root();
    for seg in path {
        p = match seg {
            Segment::Seq { index } => p.index(*index),
            Segment::Map { key } | Segment::Enum { variant: key } => p.key(key),
            Segment::Unknown => p,
        };
    }
    p
}

fn locate(d: Diagnostic, root: &Node) -> Diagnostic {
    match &d.path {
        Some(p) if d.line.is_none() => {
            let span = root.locate(&FieldPath::parse(p));
            d.at(span)
        }
        _ => d,
    }
}

const FIELDS: &[&str] = &[
    "accountId",
    "region",
    "cluster",
    "clusterName",
    "additionalClusters",
    "identityType",
    "audience",
    "tokenExpiration",
    "stsRegionalEndpoints",
    "maxTrustPolicyLength",
    "bindings",
    "namespace",
    "serviceAccount",
    "roleName",
    "rolePath",
    "permissionsBoundary",
    "description",
    "tags",
    "permissions",
    "workload",
    "managedPolicyArns",
    "s3",
    "secretsManager",
    "dynamodb",
    "sqs",
    "addons",
    "statements",
    "hostedZoneArns",
    "bucketArns",
    "kmsKeyArns",
    "fileSystemArns",
    "secretArns",
    "parameterArns",
    "queueArns",
    "workspaceArns",
    "nodeRoleArns",
    "targetGroupArns",
    "certificateAuthorityArns",
    "version",
    "bucket",
    "prefix",
    "access",
    "secret",
    "table",
    "queue",
    "name",
    "image",
    "container",
    "replicas",
];

fn suggest(field: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .map(|f| {
            (
                strsim::damerau_levenshtein(&f.to_lowercase(), &field.to_lowercase()),
                *f,
            )
        })
        .filter(|(d, f)| *d <= 2.max(f.len() / 4))
        .min()
        .map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_specs_follow_the_same_rules_without_positions() {
        let yaml = "accountId: \"12345\"\nregion: us-west-2\nbindings:\n  - namespace: Bad_NS\n    serviceAcount: x\n";
        let json = r#"{"accountId":"12345","region":"us-west-2","bindings":[{"namespace":"Bad_NS","serviceAcount":"x"}]}"#;
        let from_yaml = load_spec(yaml, Some("spec.yaml"));
        let from_json = load_spec_json(json);
        assert!(from_json.spec.is_none());
        assert!(
            from_json.diagnostics.len() >= 3,
            "{:?}",
            from_json.diagnostics
        );
        assert!(from_yaml.diagnostics.iter().all(|d| d.line.is_some()));
        let strip = |d: &Diagnostic| Diagnostic {
            line: None,
            column: None,
            file: None,
            ..d.clone()
        };
        let expected: Vec<Diagnostic> = from_yaml.diagnostics.iter().map(strip).collect();
        assert_eq!(from_json.diagnostics, expected);
    }

    #[test]
    fn json_specs_validate_like_yaml() {
        let yaml = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n";
        let json = r#"{"accountId":"111122223333","region":"us-west-2","cluster":"EXAMPLED539D4633E53DE1B71EXAMPLE","bindings":[{"namespace":"production","serviceAccount":"s3-writer"}]}"#;
        let (a, b) = (load_spec(yaml, None), load_spec_json(json));
        assert!(b.spec.is_some());
        assert_eq!(a.spec, b.spec);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("acountId"), Some("accountId"));
        assert_eq!(suggest("serviceAcount"), Some("serviceAccount"));
        assert_eq!(suggest("zzzzzzzz"), None);
    }
}
