//! The spec written as the file the CLI reads (`irsa-gen generate -f
//! spec.yaml`): the playground's "download spec" and its share links go
//! through this one writer, so a spec saved from the page gives the CLI the
//! same spec, and so byte-identical artefacts. Reading a spec back is
//! [`crate::validate::read_spec`].

use serde_json::Value;

use crate::spec::Spec;
use crate::yaml;

/// The spec as a YAML file: fields in the spec's order, unset ones left out,
/// every string written so that YAML 1.1 and 1.2 read it back as that string
/// (an account ID stays a quoted string, never a number losing its zeros).
pub fn to_yaml(spec: &Spec) -> String {
    // Serializing a `Spec` cannot fail: every map has string keys.
    let value = serde_json::to_value(spec).unwrap_or(Value::Null);
    match value {
        Value::Object(map) if map.is_empty() => "{}\n".to_string(),
        value => yaml::to_string(&value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::read_spec;
    use crate::{generate, load_spec};

    const FULL: &str = r#"
accountId: "012345678901"
region: cn-north-1
cluster: https://oidc.eks.cn-north-1.amazonaws.com.cn/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9
clusterName: "no"
additionalClusters: [0B1B2C3D4E5F60718293A4B5C6D7E8F9]
identityType: irsa
tokenExpiration: 3600
stsRegionalEndpoints: true
bindings:
  - namespace: "on"
    serviceAccount: [app, "2012-10-17"]
    roleName: Multi
    description: "line one\nline two: with # and 'quotes'"
    tags: { team: "007", cost-center: "yes" }
    permissions:
      managedPolicyArns: [arn:aws-cn:iam::aws:policy/ReadOnlyAccess]
      s3: [{ bucket: bucket-one, prefix: "uploads/", access: read-write }, { bucket: bucket-two }]
      secretsManager: [{ secret: prod/db }]
      dynamodb: [{ table: orders, access: read-write }]
      sqs: [{ queue: jobs, access: send }]
      addons: [{ name: external-dns, hostedZoneArns: ["arn:aws-cn:route53:::hostedzone/Z1"] }]
      statements:
        - { Effect: Allow, Action: "s3:ListAllMyBuckets", Resource: "*" }
    workload: { name: web, image: "nginx:1.27", replicas: 2 }
  - namespace: batch
    serviceAccount: "runner-*"
"#;

    /// What the page writes, the CLI reads as the same spec, and the same
    /// spec gives the same files.
    #[test]
    fn a_written_spec_reads_back_as_the_same_spec_and_artefacts() {
        let (spec, findings) = read_spec(FULL).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let text = to_yaml(&spec);
        assert!(text.contains("accountId: \"012345678901\"\n"), "{text}");
        assert!(text.contains("namespace: \"on\"\n"), "{text}");
        let (again, _) = read_spec(&text).unwrap();
        assert_eq!(again, spec);
        assert_eq!(to_yaml(&again), text, "writing is a fixed point");
        let loaded = load_spec(FULL, None);
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let from_file = loaded.spec.unwrap();
        let from_text = load_spec(&text, None).spec.unwrap();
        assert_eq!(generate(&from_text).unwrap(), generate(&from_file).unwrap());
    }

    #[test]
    fn an_empty_spec_is_an_empty_mapping() {
        assert_eq!(to_yaml(&Spec::default()), "{}\n");
        assert_eq!(read_spec("{}\n").unwrap().0, Spec::default());
    }

    #[test]
    fn unreadable_text_gives_the_loaders_findings() {
        let codes = |t: &str| -> Vec<String> {
            read_spec(t)
                .unwrap_err()
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(codes("[1, 2]"), ["SPEC002"]);
        assert_eq!(codes("a: [\n"), ["SPEC001"]);
        assert_eq!(codes(""), ["SPEC004"]);
        assert_eq!(codes("bindings: 3\n"), ["SPEC002"]);
        // Read, with what the reader says about it.
        let (_, findings) = read_spec("regoin: us-east-1\nregion: a\nregion: b\n").unwrap();
        let codes: Vec<&str> = findings.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["SPEC005", "SPEC003"]);
    }
}
