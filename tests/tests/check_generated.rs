//! Property: every bundle the generator makes checks clean (no error, no
//! warning except IRSA007 when the spec used a namespace pattern), and its
//! trust allows its own service accounts and denies a foreign one and a wrong
//! audience.

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use irsa_core::check::{check, CheckOptions, SourceFile};
use irsa_core::eval::{self, Decision, SimulateRequest};
use irsa_core::spec::{BindingSpec, WorkloadSpec};
use irsa_core::{ArtefactKind, Format, IdentityType, Severity, Spec};
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,8}[a-z0-9]"
}

fn service_account() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => label(),
        1 => label().prop_map(|l| format!("{l}-*")),
    ]
}

fn namespace() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => label(),
        1 => label().prop_map(|l| format!("{l}-*")),
    ]
}

fn binding() -> impl Strategy<Value = BindingSpec> {
    (
        namespace(),
        prop::collection::vec(service_account(), 1..3),
        any::<bool>(),
    )
        .prop_map(|(namespace, sas, workload)| BindingSpec {
            namespace: Some(namespace),
            service_account: sas,
            workload: workload.then(|| WorkloadSpec {
                name: Some("app".into()),
                image: Some("registry.example.com/app:1".into()),
                ..WorkloadSpec::default()
            }),
            ..BindingSpec::default()
        })
}

fn cluster_id() -> impl Strategy<Value = String> {
    "[0-9A-F]{32}"
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        "[0-9]{12}",
        prop::sample::select(vec![
            "us-west-2",
            "eu-west-1",
            "cn-north-1",
            "us-gov-west-1",
            "ap-south-1",
        ]),
        cluster_id(),
        prop::collection::vec(cluster_id(), 0..2),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            "my-audience",
            "sts.amazonaws.com",
        ])),
        prop::option::of(prop::sample::select(vec!["600", "3600", "86400"])),
        prop::collection::vec(binding(), 1..3),
    )
        .prop_map(
            |(account, region, id, more, pod_identity, audience, expiration, bindings)| {
                let mut spec = Spec {
                    account_id: Some(account),
                    region: Some(region.to_string()),
                    cluster: Some(id),
                    bindings,
                    ..Spec::default()
                };
                if pod_identity {
                    spec.identity_type = Some(IdentityType::PodIdentity);
                    spec.cluster_name = Some("prod".into());
                } else {
                    spec.additional_clusters = more;
                    spec.audience = audience.map(str::to_string);
                    spec.token_expiration = expiration.map(str::to_string);
                }
                spec
            },
        )
}

/// A concrete name a pattern matches.
fn instance(pattern: &str) -> String {
    pattern.replace('*', "x").replace('?', "y")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn generated_bundles_check_clean(spec in spec()) {
        let validated = spec.validate();
        prop_assume!(validated.spec.is_some());
        let valid = validated.spec.unwrap();
        let bundle = irsa_core::generate(&valid).unwrap();
        let files: Vec<SourceFile> = bundle
            .bindings
            .iter()
            // Every document the checker reads: JSON and YAML artefacts (not shell or HCL).
            .flat_map(|b| b.artefacts.iter().filter(|a| matches!(a.kind.format(), Format::Json | Format::Yaml)).map(move |a| SourceFile {
                name: format!("{}/{}", b.dir, a.file),
                text: a.text.clone(),
            }))
            .collect();
        let namespace_pattern = valid.bindings.iter().any(|b| b.namespace.contains(['*', '?']));
        let diags = check(&files, &CheckOptions::default());
        for d in &diags {
            let allowed = d.severity == Severity::Info || (d.code == "IRSA007" && namespace_pattern);
            prop_assert!(allowed, "{d:#?}\nfiles: {files:#?}");
        }
        for b in &bundle.bindings {
            let trust = b.artefacts.iter().find(|a| a.kind == ArtefactKind::TrustPolicy).unwrap();
            let sim = |ns: &str, sa: &str, aud: Option<&str>| {
                eval::simulate(&trust.text, &SimulateRequest {
                    namespace: ns.into(),
                    service_account: sa.into(),
                    audience: aud.map(str::to_string),
                    issuer: None,
                    ..SimulateRequest::default()
                })
                .unwrap()
                .decision
            };
            let ns = instance(&b.namespace);
            let audience = Some(valid.audience.as_str()).filter(|_| valid.identity_type == IdentityType::Irsa);
            for sa in &b.service_accounts {
                prop_assert_eq!(sim(&ns, &instance(sa), audience), Decision::Allow, "{} {}", ns, sa);
            }
            prop_assert_eq!(sim("foreign-zz", "intruder-zz", audience), Decision::Deny);
            prop_assert_eq!(sim(&ns, "intruder-zz", audience), Decision::Deny);
            if valid.identity_type == IdentityType::Irsa {
                let sa = instance(&b.service_accounts[0]);
                prop_assert_eq!(sim(&ns, &sa, Some("wrong.example.com")), Decision::Deny);
            }
        }
    }
}
