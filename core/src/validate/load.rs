//! Text to [`Spec`]: the spec file parsed (SPEC001), keys written twice
//! reported (SPEC005), the located tree read into the lenient model
//! ([`from_node`]: SPEC002, SPEC004 for an empty file), unknown fields
//! reported with a suggestion (SPEC003); then [`Spec::validate`], every
//! finding placed at its line and column.

use crate::diagnostic::Diagnostic;
use crate::from_node::from_node;
use crate::source::{self, FieldPath, Limits, Node};
use crate::spec::Spec;

use super::report::Purpose;
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

/// Like [`load_spec`], validated for `purpose`: a migration's spec
/// (`irsa-gen migrate -f`, npm `migrate()`) may be Pod Identity across
/// accounts, which the migration plans as role chaining and generation
/// refuses (SPEC066).
pub fn load_spec_for(text: &str, file: Option<&str>, purpose: Purpose) -> Validated {
    load(text, file, |_| {}, purpose)
}

/// Like [`load_spec`], with a chance to change the spec before validation
/// (the CLI's cluster flags override the file's fields).
pub fn load_spec_with(text: &str, file: Option<&str>, adjust: impl FnOnce(&mut Spec)) -> Validated {
    load(text, file, adjust, Purpose::Generate)
}

fn load(
    text: &str,
    file: Option<&str>,
    adjust: impl FnOnce(&mut Spec),
    purpose: Purpose,
) -> Validated {
    let in_file = |ds: Vec<Diagnostic>| ds.into_iter().map(|d| d.in_file(file)).collect();
    let read = match read_tree(text) {
        Ok(read) => read,
        Err(diagnostics) => {
            return Validated {
                spec: None,
                diagnostics: in_file(diagnostics),
            }
        }
    };
    let Read {
        root,
        mut spec,
        duplicates,
        unknown,
    } = read;
    let mut diagnostics = unknown;
    adjust(&mut spec);
    let validated = spec.validate_for(purpose);
    diagnostics.extend(validated.diagnostics.into_iter().map(|d| locate(d, &root)));
    let valid = duplicates.is_empty();
    Validated {
        spec: validated.spec.filter(|_| valid),
        diagnostics: in_file(duplicates.into_iter().chain(diagnostics).collect()),
    }
}

/// The spec a file holds, read but not validated (the playground's "open a
/// spec" fills its form with it), with the reading's own findings (keys
/// written twice, unknown fields); the findings when no spec could be read.
pub fn read_spec(text: &str) -> Result<(Spec, Vec<Diagnostic>), Vec<Diagnostic>> {
    read_tree(text).map(|r| (r.spec, r.duplicates.into_iter().chain(r.unknown).collect()))
}

/// A spec file read into its located tree and the lenient model.
struct Read {
    root: Node,
    spec: Spec,
    /// SPEC005: a spec with them is not valid.
    duplicates: Vec<Diagnostic>,
    /// SPEC003 warnings.
    unknown: Vec<Diagnostic>,
}

/// Text -> [`Read`] (SPEC001, SPEC002, SPEC004, SPEC005, SPEC003), or the
/// findings that stop the reading.
fn read_tree(text: &str) -> Result<Read, Vec<Diagnostic>> {
    let docs = match source::parse_documents(text, &Limits::default()) {
        Ok(docs) => docs,
        Err(e @ source::SourceError::Limit { .. }) => {
            return Err(vec![Diagnostic::error(
                "SPEC001",
                format!("the spec was not read: {e}"),
                "a spec is a small file: check that this is the right one (the limits stop hostile input)",
            )
            .at(e.span())])
        }
        Err(e) => {
            return Err(vec![Diagnostic::error(
                "SPEC001",
                format!("the spec is not valid YAML or JSON: {e}"),
                "fix the syntax at the position shown",
            )
            .at(e.span())])
        }
    };
    let mut docs = docs.into_iter().filter(|d| !d.root.is_null());
    let Some(doc) = docs.next() else {
        return Err(vec![Diagnostic::error(
            "SPEC004",
            "the spec is empty",
            "start from `irsa-gen init`, which prints a commented spec",
        )]);
    };
    if docs.next().is_some() {
        return Err(vec![Diagnostic::error(
            "SPEC002",
            "the spec file holds more than one YAML document",
            "keep one spec per file; put several roles under `bindings:`",
        )]);
    }
    let root = doc.root;
    if root.as_map().is_none() {
        return Err(vec![Diagnostic::error(
            "SPEC002",
            "the spec must be a mapping of fields (accountId, region, cluster, bindings...)",
            "start from `irsa-gen init`",
        )
        .at(root.span)]);
    }
    let duplicates = duplicate_keys(&root);
    let read = from_node::<Spec>(&root);
    let spec = match read.value {
        Ok(spec) => spec,
        Err((message, at)) => {
            let mut diagnostics = duplicates;
            diagnostics.push(
                Diagnostic::error(
                    "SPEC002",
                    format!("`{}`: {message}", at.path),
                    "give the field the type the spec expects (see `irsa-gen init`)",
                )
                .at_path(&at.path)
                .at(at.span),
            );
            return Err(diagnostics);
        }
    };
    // Each place is dropped once its finding is made (290,000 of them hold 40 MB).
    let unknown = read
        .ignored
        .into_iter()
        .map(|place| {
            let field = place.path.last_key().unwrap_or_default();
            let help = match suggest(&field) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "remove it; `irsa-gen init` lists every field".to_string(),
            };
            Diagnostic::warning(
                "SPEC003",
                format!("unknown field `{}` is ignored", place.path),
                help,
            )
            .at_path(&place.path)
            .at(place.span)
        })
        .collect();
    Ok(Read {
        root,
        spec,
        duplicates,
        unknown,
    })
}

/// SPEC005: a key written twice in one mapping, at the second writing. The
/// reader keeps the last value, so the first is lost without a word (a second
/// `bindings:` drops every binding of the first).
fn duplicate_keys(root: &Node) -> Vec<Diagnostic> {
    root.duplicate_keys()
        .into_iter()
        .map(|dup| {
            Diagnostic::error(
                "SPEC005",
                format!(
                    "`{}` is written twice in the same mapping (first on line {}): only this last value would be read",
                    dup.path, dup.first.line
                ),
                "keep one of the two, or merge their contents into one",
            )
            .at_path(&dup.path)
            .at(dup.second)
        })
        .collect()
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
    let field = field.to_lowercase();
    compared(&field)
        .map(|(f, within)| {
            let d = strsim::damerau_levenshtein(&f.to_lowercase(), &field);
            (d, f, within)
        })
        .filter(|(d, _, within)| d <= within)
        .min()
        .map(|(_, f, _)| f)
}

/// The fields a lower-cased name is measured against: the [`candidates`]
/// its characters do not already rule out ([`distance_at_least`]). 290,000
/// unknown keys like `k123456` are measured against none (the full distance,
/// a table and a map per pair, was 70% of loading such a spec).
fn compared(field: &str) -> impl Iterator<Item = (&'static str, usize)> + '_ {
    candidates(field.chars().count())
        .filter(move |(f, within)| distance_at_least(f, field) <= *within)
}

/// A lower bound of the Damerau-Levenshtein distance of a field and a
/// lower-cased name, from the characters each has that the other lacks:
/// an insertion or deletion changes one of the two counts by one, a
/// substitution each by at most one, a transposition neither, so the
/// distance is at least the larger count. 0 (no bound) for a name that is
/// not ASCII.
fn distance_at_least(field: &str, name: &str) -> usize {
    if !name.is_ascii() {
        return 0;
    }
    let mut count = [0i32; 128];
    for (text, step) in [(field, 1), (name, -1)] {
        for b in text.bytes() {
            if let Some(n) = count.get_mut(usize::from(b.to_ascii_lowercase())) {
                *n += step;
            }
        }
    }
    let (only_field, only_name) = count.iter().fold((0, 0), |(f, n), &c| {
        (f + c.max(0).unsigned_abs(), n + c.min(0).unsigned_abs())
    });
    only_field.max(only_name) as usize
}

/// The fields a name of `len` characters may be a misspelling of, each with
/// the distance allowed. The distance is at least the difference in length,
/// so a name far longer than every field (a 2 MB key) is compared with none:
/// each unknown field costs at most [`FIELDS`]`.len()` short comparisons.
fn candidates(len: usize) -> impl Iterator<Item = (&'static str, usize)> {
    FIELDS
        .iter()
        .map(|f| (*f, 2.max(f.len() / 4)))
        .filter(move |(f, within)| len.abs_diff(f.len()) <= *within)
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
    fn a_long_name_is_compared_with_no_field() {
        assert_eq!(candidates(2 * 1024 * 1024).count(), 0);
        assert_eq!(candidates(40).count(), 0);
        assert!(candidates("serviceAcount".len()).any(|(f, _)| f == "serviceAccount"));
        assert_eq!(suggest(&"k".repeat(2 * 1024 * 1024)), None);
    }

    #[test]
    fn names_sharing_too_few_letters_with_a_field_are_not_measured() {
        // The shape of 290,000 unknown keys (scripts/bench-hostile), every
        // 29th: a full distance only for the shortest (`k0` could be `s3`),
        // where every field of a near length was measured before (210,970).
        let names = (0..290_000).step_by(29).map(|i| format!("k{i}"));
        let (before, now) = names.fold((0, 0), |(before, now), name| {
            let len = name.chars().count();
            (
                before + candidates(len).count(),
                now + compared(&name).count(),
            )
        });
        assert!(before > 200_000, "{before}");
        assert!(now <= 10, "{now} full distances");
        assert_eq!(compared("k123456").count(), 0);
        assert_eq!(compared("k000001").count(), 0);
        // The near misses: typos are still measured, and suggested.
        assert!(compared("acountid").any(|(f, _)| f == "accountId"));
        assert!(compared("rolenmae").any(|(f, _)| f == "roleName"));
        assert_eq!(suggest("roleNmae"), Some("roleName"));
        assert_eq!(suggest("imgae"), Some("image"));
    }

    #[test]
    fn the_bound_never_exceeds_the_distance() {
        let names = [
            "",
            "k",
            "acountid",
            "rolenmae",
            "nmaespace",
            "xyz",
            "tags",
            "s3",
            "tabel",
            "ab",
            "ba",
        ];
        for f in FIELDS {
            for name in names {
                let d = strsim::damerau_levenshtein(&f.to_lowercase(), name);
                assert!(distance_at_least(f, name) <= d, "{f} {name}");
            }
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("acountId"), Some("accountId"));
        assert_eq!(suggest("serviceAcount"), Some("serviceAccount"));
        assert_eq!(suggest("zzzzzzzz"), None);
    }
}
