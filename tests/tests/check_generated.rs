//! Property: every bundle the generator makes checks clean (no error, no
//! warning except IRSA007 when the spec used a namespace pattern), and its
//! trust allows its own service accounts and denies a foreign one and a wrong
//! audience. And every format that carries the trust (trust-policy.json,
//! main.tf, both CloudFormation templates) reads back: for every example
//! spec each checks as the trust-policy.json does, and with one defect
//! planted in the trust each reports the trust-policy.json's code at the
//! line of that file that holds the same element.

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
            // Every document the checker reads: JSON, YAML and Terraform artefacts (not shell).
            .flat_map(|b| b.artefacts.iter().filter(|a| a.kind.format() != Format::Shell).map(move |a| SourceFile {
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

/// The artefacts that carry the trust, read back by check.
const TRUST_FORMATS: &[ArtefactKind] = &[
    ArtefactKind::TrustPolicy,
    ArtefactKind::Terraform,
    ArtefactKind::CloudFormationYaml,
    ArtefactKind::CloudFormationJson,
];

/// A defect planted in the text of any format: its name and the edit.
type Plant = (&'static str, fn(&str) -> Option<String>);

/// Defects written the same way in JSON, YAML and HCL text.
const DEFECTS: &[Plant] = &[
    // The first `sub` condition removed: a one-line one (a key and its
    // value) followed by a sibling (`aud`), so that its operator stays.
    ("sub removed", |t| {
        let lines: Vec<&str> = t.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.contains(":sub\"") || l.contains(":sub:"))?;
        let line = lines.get(i)?.trim_end();
        let indent = |l: &str| l.len() - l.trim_start().len();
        if line.ends_with(['[', ':', '{']) || indent(lines.get(i + 1)?) != indent(line) {
            return None;
        }
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, l)| *l)
            .collect();
        Some(kept.join("\n") + "\n")
    }),
    // A pattern under StringEquals (the first ServiceAccount subject).
    ("* under StringEquals", |t| {
        if !t.contains("StringEquals") || t.contains("StringLike") {
            return None;
        }
        let at = t.find("system:serviceaccount:")?;
        let end = at + t.get(at..)?.find(['"', '\n'])?;
        Some(format!("{}*{}", t.get(..end)?, t.get(end..)?))
    }),
    // The principal names another cluster than the condition keys.
    ("wrong issuer", |t| {
        let at = t.find("oidc-provider/")?;
        let id = at + t.get(at..)?.find("/id/")? + 4;
        Some(format!("{}FFFF{}", t.get(..id)?, t.get(id + 4..)?))
    }),
];

/// The trust's findings (IRSA0xx) of one file checked alone: (code, the
/// line's text). main.tf also holds the ServiceAccount, whose links to the
/// trust (IRSA3xx) are the set's, not the trust's.
fn findings(name: &str, text: &str) -> Vec<(String, String)> {
    let file = SourceFile {
        name: name.into(),
        text: text.into(),
    };
    check(&[file], &CheckOptions::default())
        .into_iter()
        .filter(|d| d.code.starts_with("IRSA0"))
        .map(|d| {
            let line = d
                .line
                .and_then(|l| text.lines().nth(l as usize - 1))
                .unwrap_or("");
            (d.code, line.to_string())
        })
        .collect()
}

/// The first quoted string of a JSON line, or its first word: the element it holds.
fn element(line: &str) -> String {
    let t = line.trim();
    match t.strip_prefix('"').and_then(|r| r.split_once('"')) {
        Some((s, _)) => s.to_string(),
        None => t.trim_matches(|c: char| !c.is_alphanumeric()).to_string(),
    }
}

#[test]
fn every_trust_format_reads_back() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let mut examples: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    let (mut formats, mut matched, mut planted_defects) = (0, 0, 0);
    for path in &examples {
        let spec = irsa_core::load_spec(&std::fs::read_to_string(path).unwrap(), None)
            .spec
            .unwrap();
        let bundle = irsa_core::generate(&spec).unwrap();
        // The whole bundle, every format check reads, together: nothing above a note.
        let all: Vec<SourceFile> = bundle
            .bindings
            .iter()
            .flat_map(|b| {
                b.artefacts
                    .iter()
                    .filter(|a| a.kind.format() != Format::Shell)
                    .map(move |a| SourceFile {
                        name: format!("{}/{}", b.dir, a.file),
                        text: a.text.clone(),
                    })
            })
            .collect();
        let loud: Vec<_> = check(&all, &CheckOptions::default())
            .into_iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        assert!(loud.is_empty(), "{}: {loud:#?}", path.display());
        for b in bundle.bindings {
            let of = |k: ArtefactKind| b.artefacts.iter().find(|a| a.kind == k);
            let Some(trust) = of(ArtefactKind::TrustPolicy) else {
                continue;
            };
            let codes =
                |f: &[(String, String)]| f.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
            let reference = findings(trust.file, &trust.text);
            for kind in TRUST_FORMATS.iter().copied() {
                let Some(a) = of(kind) else { continue };
                formats += 1;
                let here = format!("{} {}/{}", path.display(), b.dir, a.file);
                let clean = findings(a.file, &a.text);
                assert_eq!(
                    codes(&clean),
                    codes(&reference),
                    "{here} checks differently: {clean:#?}"
                );
                for (defect, plant) in DEFECTS {
                    let (Some(planted_trust), Some(planted)) = (plant(&trust.text), plant(&a.text))
                    else {
                        continue;
                    };
                    let want = findings(trust.file, &planted_trust);
                    assert_ne!(
                        codes(&want),
                        codes(&reference),
                        "{here}: {defect} is seen in trust-policy.json"
                    );
                    let got = findings(a.file, &planted);
                    assert_eq!(
                        codes(&got),
                        codes(&want),
                        "{here} with {defect}: {got:#?}\n{planted}"
                    );
                    planted_defects += 1;
                    for ((code, want_line), (_, got_line)) in want.iter().zip(&got) {
                        let e = element(want_line);
                        // A template's principal is a `Ref` to the provider
                        // (parameter or resource): the finding is at the `Ref`.
                        let at_ref = e == "Federated" && got_line.contains("OidcProvider");
                        assert!(
                            got_line.contains(&e) || at_ref,
                            "{here} with {defect}: {code} at `{got_line}`, not at the line of `{e}`"
                        );
                        matched += 1;
                    }
                }
            }
        }
    }
    // Printed, never asserted on: the figures of the report.
    println!(
        "{} examples, {formats} trust formats read back, {planted_defects} planted defects, {matched} findings matched (code and line)",
        examples.len()
    );
    assert!(
        formats > examples.len(),
        "every example has several trust formats"
    );
    assert!(
        planted_defects >= formats,
        "every format had defects planted"
    );
}
