//! Property tests over random valid specs.

// Test code: a panic is a failed test, not a crash in front of a user.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use irsa_core::spec::{BindingSpec, Permissions, S3Access, S3Grant, WorkloadSpec};
use irsa_core::Spec;
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,20}[a-z0-9]"
}

fn region() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "us-east-1",
        "eu-central-1",
        "ap-south-1",
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-west-1",
        "sa-east-1",
    ])
    .prop_map(str::to_string)
}

fn binding() -> impl Strategy<Value = BindingSpec> {
    (
        label(),
        prop::collection::vec(label(), 1..60),
        any::<bool>(),
        prop::option::of("[A-Za-z0-9+=,.@_-]{1,64}"),
        prop::option::of((
            "[a-z0-9][a-z0-9-]{1,30}[a-z0-9]",
            prop::option::of("[a-z]{1,8}/"),
        )),
        prop::option::of(("[a-z0-9./:-]{1,40}", label())),
    )
        .prop_map(|(namespace, mut sas, pattern, role_name, s3, workload)| {
            sas.sort();
            sas.dedup();
            if pattern {
                sas.truncate(1);
                if let Some(sa) = sas.first_mut() {
                    sa.push('*');
                }
            }
            BindingSpec {
                namespace: Some(namespace),
                service_account: sas,
                role_name,
                permissions: Permissions {
                    s3: s3
                        .into_iter()
                        .map(|(bucket, prefix)| S3Grant {
                            bucket,
                            prefix,
                            access: S3Access::ReadWrite,
                        })
                        .collect(),
                    ..Permissions::default()
                },
                workload: workload.map(|(image, name)| WorkloadSpec {
                    name: Some(name),
                    image: Some(image),
                    ..WorkloadSpec::default()
                }),
                ..BindingSpec::default()
            }
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        "[0-9]{12}",
        region(),
        "[0-9A-F]{32}",
        prop::collection::vec(binding(), 1..4),
    )
        .prop_map(|(account, region, id, bindings)| {
            // Distinct role names and service accounts across bindings, so that the spec is valid.
            let bindings = bindings
                .into_iter()
                .enumerate()
                .map(|(i, mut b)| {
                    b.namespace = b.namespace.map(|n| format!("{n}-{i}"));
                    b.role_name = b
                        .role_name
                        .map(|r| format!("{}{i}", r.chars().take(60).collect::<String>()));
                    b
                })
                .collect();
            Spec {
                account_id: Some(account),
                region: Some(region),
                cluster: Some(id),
                bindings,
                ..Spec::default()
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every random spec is either generated, with output that parses back, is the
    /// same on every run and fits the trust quota, or refused only for the quota,
    /// with the advice to split the role.
    #[test]
    fn generated_or_refused_for_size_only(spec in spec()) {
        let validated = spec.validate();
        let errors: Vec<_> = validated.diagnostics.iter().filter(|d| d.is_error()).collect();
        match validated.spec {
            None => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert_eq!(&e.code, "SPEC064", "{:?}", e);
                    prop_assert!(e.help.contains("split"));
                }
            }
            Some(valid) => {
                let first = irsa_core::generate(&valid).unwrap();
                let second = irsa_core::generate(&spec.validate().spec.unwrap()).unwrap();
                prop_assert_eq!(&first, &second);
                for b in &first.bindings {
                    for a in &b.artefacts {
                        let parsed: Vec<serde_json::Value> = match a.kind.format() {
                            irsa_core::Format::Json => vec![serde_json::from_str(&a.text).unwrap()],
                            irsa_core::Format::Yaml => serde_yaml_ng::Deserializer::from_str(&a.text)
                                .map(|d| serde::Deserialize::deserialize(d).unwrap())
                                .collect(),
                            irsa_core::Format::Hcl => {
                                hcl::parse(&a.text).unwrap();
                                Vec::new()
                            }
                            irsa_core::Format::Shell => Vec::new(),
                        };
                        prop_assert_eq!(&parsed, &a.documents);
                        if a.kind == irsa_core::ArtefactKind::TrustPolicy {
                            let compact: usize = a.text.chars().filter(|c| !c.is_whitespace()).count();
                            // Whitespace inside strings is impossible here (names have none),
                            // so this is the length IAM counts.
                            prop_assert!(compact <= 2048, "{} characters", compact);
                        }
                    }
                }
            }
        }
    }

    /// A spec survives serialization: what the web form or JS sends comes back the same.
    #[test]
    fn spec_round_trips_through_yaml_and_json(spec in spec()) {
        // Written the way irsa-gen writes YAML: `no` or `on` as a name stays a string.
        let yaml = irsa_core::yaml::to_string(&serde_json::to_value(&spec).unwrap());
        let back = irsa_core::load_spec(&yaml, None);
        let json = serde_json::to_string(&spec).unwrap();
        let back_json = irsa_core::load_spec(&json, None);
        prop_assert_eq!(&back.spec, &spec.validate().spec);
        prop_assert_eq!(&back_json.spec, &spec.validate().spec);
    }

    /// Arbitrary text never panics the spec loader.
    #[test]
    fn any_text_is_an_answer(text in ".{0,400}") {
        let _ = irsa_core::load_spec(&text, None);
    }
}
