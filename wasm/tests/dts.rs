//! The hand-written TypeScript types (`wasm/js/index.d.ts`) against the Rust
//! types they describe: every interface lists exactly the fields serde reads
//! (input types, from the derived `Deserialize`) or writes (results, from
//! serialized values), and the string unions hold exactly the serialized names.

#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};

use irsa_core::aws::Partition;
use irsa_core::spec::{
    AddonGrant, BindingSpec, Permissions, QueueGrant, S3Grant, SecretGrant, TableGrant,
    WorkloadSpec,
};
use irsa_core::{ArtefactKind, Diagnostic, IdentityType, Severity, Spec};
use irsa_wasm::api::{self, SpecInput, SpecOptions};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::Value;

const DTS: &str = include_str!("../js/index.d.ts");

/// Interface name -> field name -> optional (`?:`); `A extends B` has B's fields too.
fn interfaces() -> BTreeMap<String, BTreeMap<String, bool>> {
    let mut all = BTreeMap::new();
    let mut bases: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, BTreeMap<String, bool>)> = None;
    for line in DTS.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("export interface ") {
            let head = rest.trim_end_matches('{').trim();
            let name = match head.split_once(" extends ") {
                Some((name, base)) => {
                    bases.push((name.to_string(), base.trim().to_string()));
                    name.to_string()
                }
                None => head.to_string(),
            };
            current = Some((name, BTreeMap::new()));
        } else if line == "}" {
            if let Some((name, fields)) = current.take() {
                all.insert(name, fields);
            }
        } else if let Some((_, fields)) = current.as_mut() {
            if line.starts_with("/**") || line.starts_with('*') || line.is_empty() {
                continue;
            }
            let (name, _) = line.split_once(':').expect("a field line `name: type;`");
            let optional = name.ends_with('?');
            fields.insert(name.trim_end_matches('?').to_string(), optional);
        }
    }
    for (name, base) in bases {
        let inherited = all.get(&base).cloned().unwrap_or_default();
        if let Some(fields) = all.get_mut(&name) {
            fields.extend(inherited);
        }
    }
    all
}

fn fields_of(name: &str) -> BTreeMap<String, bool> {
    interfaces()
        .remove(name)
        .unwrap_or_else(|| panic!("index.d.ts has no interface {name}"))
}

/// The quoted members of `export type NAME = "a" | "b";`.
fn union(name: &str) -> BTreeSet<String> {
    let start = DTS
        .find(&format!("export type {name} ="))
        .unwrap_or_else(|| panic!("index.d.ts has no type {name}"));
    let body = &DTS[start..];
    let body = &body[..body.find(';').unwrap()];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// The field names a derived `Deserialize` of a struct accepts.
fn struct_fields<'de, T: Deserialize<'de>>() -> BTreeSet<String> {
    struct Probe(Option<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for &mut Probe {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    let fields = probe.0.expect("a struct with derived Deserialize");
    fields.iter().map(|f| f.to_string()).collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

#[track_caller]
fn assert_input(interface: &str, rust: BTreeSet<String>) {
    let ts: BTreeSet<String> = fields_of(interface).into_keys().collect();
    assert_eq!(ts, rust, "interface {interface} vs the Rust type");
}

#[track_caller]
fn assert_output(interface: &str, value: &Value) {
    let fields = fields_of(interface);
    let optional: Vec<&String> = fields.iter().filter(|(_, o)| **o).map(|(f, _)| f).collect();
    assert!(
        optional.is_empty(),
        "{interface}: results always carry every field; {optional:?} are marked optional"
    );
    let ts: BTreeSet<String> = fields.into_keys().collect();
    assert_eq!(
        ts,
        keys(value),
        "interface {interface} vs the serialized value"
    );
}

#[test]
fn input_interfaces_match_the_spec_model() {
    assert_input("Spec", struct_fields::<Spec>());
    assert_input("BindingSpec", struct_fields::<BindingSpec>());
    assert_input("Permissions", struct_fields::<Permissions>());
    assert_input("S3Grant", struct_fields::<S3Grant>());
    assert_input("SecretGrant", struct_fields::<SecretGrant>());
    assert_input("AddonGrant", struct_fields::<AddonGrant>());
    assert_input("TableGrant", struct_fields::<TableGrant>());
    assert_input("QueueGrant", struct_fields::<QueueGrant>());
    assert_input("WorkloadSpec", struct_fields::<WorkloadSpec>());
    assert_input("SpecOptions", struct_fields::<SpecOptions>());
    assert_input("SourceFile", struct_fields::<api::FileInput>());
    assert_input("CheckOptions", struct_fields::<api::CheckInputOptions>());
    assert_input("Claims", struct_fields::<api::ClaimsInput>());
    assert_input(
        "SimulateOptions",
        struct_fields::<api::SimulateInputOptions>(),
    );
    assert_input("InjectOptions", struct_fields::<api::InjectInputOptions>());
    assert_input("PolicyRequest", struct_fields::<api::PolicyRequestInput>());
}

#[test]
fn diagnostic_matches_core() {
    assert_input("Diagnostic", struct_fields::<Diagnostic>());
    let d = serde_json::to_value(Diagnostic::error("X", "m", "h")).unwrap();
    assert_output("Diagnostic", &d);
    let severities = [Severity::Error, Severity::Warning, Severity::Info].map(|s| {
        serde_json::to_value(s)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(union("Severity"), BTreeSet::from(severities));
}

#[test]
fn string_unions_match_the_serialized_names() {
    let kinds: BTreeSet<String> = ArtefactKind::all().map(|k| k.id().to_string()).collect();
    assert_eq!(union("ArtefactKind"), kinds);
    let formats: BTreeSet<String> = ArtefactKind::all()
        .map(|k| {
            serde_json::to_value(k.format())
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(union("Format"), formats);
    // Exhaustive: a new identity type fails to compile here until it is listed.
    fn listed(t: &IdentityType) -> &IdentityType {
        match t {
            IdentityType::Irsa | IdentityType::PodIdentity | IdentityType::Both => t,
        }
    }
    let identity: BTreeSet<String> = [
        IdentityType::Irsa,
        IdentityType::PodIdentity,
        IdentityType::Both,
    ]
    .iter()
    .map(listed)
    .map(|t| {
        serde_json::to_value(t)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    })
    .collect();
    assert_eq!(union("IdentityType"), identity);
    let addons: BTreeSet<String> = irsa_core::addons::ADDONS
        .iter()
        .map(|a| a.name.to_string())
        .collect();
    assert_eq!(union("AddonName"), addons);
    let partitions = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
    ];
    let partitions: BTreeSet<String> = partitions
        .iter()
        .map(|p| {
            serde_json::to_value(p)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let ts_start = DTS.find("partition:").unwrap();
    let ts_line = DTS[ts_start..].lines().next().unwrap();
    let ts: BTreeSet<String> = ts_line
        .split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    assert_eq!(ts, partitions);
}

const FULL: &str = include_str!("../../examples/s3-writer.yaml");

#[test]
fn results_match_the_serialized_values() {
    let input = SpecInput::Text {
        text: FULL,
        file: Some("s3-writer.yaml"),
    };
    let generated = serde_json::to_value(api::generate(input).unwrap()).unwrap();
    assert_eq!(generated["ok"], true);
    assert_output("Generated", &generated);
    let binding = &generated["bindings"][0];
    assert_output("Binding", binding);
    for artefact in binding["artefacts"].as_array().unwrap() {
        assert_output("Artefact", artefact);
    }

    let validation = serde_json::to_value(api::validate_spec(input)).unwrap();
    assert_output("Validation", &validation);
    let spec = &validation["spec"];
    assert_output("ValidSpec", spec);
    assert_output("Issuer", &spec["issuers"][0]);
    let valid_binding = &spec["bindings"][0];
    assert_output("ValidBinding", valid_binding);
    assert_output("ValidWorkload", &valid_binding["workload"]);

    let failure = serde_json::to_value(api::validate_spec(SpecInput::Object("{}"))).unwrap();
    assert_eq!(failure["ok"], false);
    assert_output("Failure", &failure);
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub":"system:serviceaccount:production:s3-writer","oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:aud":"sts.amazonaws.com"}}}]}"#;
const SA: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3-writer\n  namespace: production\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/S3WriterRole\n";
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: production\nspec:\n  serviceAccountName: s3-writer\n  containers:\n    - name: app\n      image: app\n";

#[test]
fn check_simulate_and_inject_results_match() {
    let files = vec![api::FileInput {
        name: "trust.json".into(),
        text: TRUST.into(),
    }];
    let checked = serde_json::to_value(api::check(files, &Default::default()).unwrap()).unwrap();
    assert_output("CheckResult", &checked);

    let claims = api::ClaimsInput {
        namespace: "production".into(),
        service_account: "s3-writer".into(),
        audience: None,
        issuer: None,
        role_arn: None,
        account: None,
        context: Default::default(),
    };
    let simulation = api::simulate(api::DocInput::Text(TRUST), claims, &Default::default());
    let simulation = serde_json::to_value(simulation).unwrap();
    assert_eq!(simulation["decision"], "Allow");
    assert_output("Simulation", &simulation);
    assert_output("RoleAssumption", &simulation["role"]);
    assert_output("ProviderResult", &simulation["results"][0]);
    assert_output("Role", &simulation["results"][0]["role"]);
    let foreign = irsa_core::eval::ForeignProvider {
        statement: 0,
        provider: "arn".into(),
        reason: "why".into(),
    };
    assert_output("ForeignProvider", &serde_json::to_value(foreign).unwrap());
    use irsa_core::eval::RoleSource;
    let sources = [
        RoleSource::RoleArn,
        RoleSource::Account,
        RoleSource::Assumed,
        RoleSource::None,
    ]
    .map(|s| {
        serde_json::to_value(s)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(union("RoleSource"), BTreeSet::from(sources));
    let decisions = [
        irsa_core::eval::Decision::Allow,
        irsa_core::eval::Decision::Deny,
        irsa_core::eval::Decision::Conditional,
    ]
    .map(|d| {
        serde_json::to_value(d)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(union("Decision"), BTreeSet::from(decisions));

    let injected = api::inject(
        api::DocInput::Text(SA),
        api::DocInput::Text(POD),
        &Default::default(),
    );
    let injected = serde_json::to_value(injected).unwrap();
    assert_eq!(injected["ok"], true, "{injected}");
    assert_output("Injected", &injected);
}

/// A file of the diagnose corpus's first folder.
macro_rules! diag001 {
    ($file:literal) => {
        include_str!(concat!(
            "../../tests/fixtures/diagnose/diag001-web-identity-denied/",
            $file
        ))
    };
}

#[test]
fn diagnose_result_matches() {
    assert_input(
        "DiagnoseOptions",
        struct_fields::<api::DiagnoseInputOptions>(),
    );
    let file = |name: &str, text: &str| api::FileInput {
        name: name.into(),
        text: text.into(),
    };
    let options = api::DiagnoseInputOptions {
        files: vec![
            file("trust-policy.json", diag001!("files/trust-policy.json")),
            file("serviceaccount.yaml", diag001!("files/serviceaccount.yaml")),
        ],
        token: Some(diag001!("token.jwt").into()),
        now: Some(1_733_109_000),
    };
    let answer = api::diagnose(diag001!("messages/boto3.txt"), options, None);
    let answer = serde_json::to_value(answer).unwrap();
    assert_eq!(answer["message"]["code"], "DIAG001", "{answer}");
    assert_output("Diagnosis", &answer);
    assert_output("DiagnoseMessage", &answer["message"]);
    assert_output("Extracted", &answer["extracted"]);
    assert_output("TokenFacts", &answer["token"]);
    assert_output("TrustDecision", &answer["decisions"][0]);
    assert_output("Evaluation", &answer["decisions"][0]["evaluation"]);
}

#[test]
fn simulate_policy_results_match() {
    use irsa_core::eval::permissions::{Element, PolicySet};
    let policy = api::FileInput {
        name: "policy.json".into(),
        text: r#"{"Version":"2012-10-17","Statement":[{"Sid":"Uploads","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::uploads"}]}"#.into(),
    };
    let request = |boundary| api::PolicyRequestInput {
        action: "s3:PutObject".into(),
        resource: "arn:aws:s3:::uploads/a.txt".into(),
        context: Default::default(),
        boundary,
    };
    let denied = api::simulate_policy(vec![policy.clone()], request(Some(policy.clone())));
    let denied = serde_json::to_value(denied).unwrap();
    assert_eq!(denied["decision"], "Deny", "{denied}");
    assert_output("PolicySimulation", &denied);
    // The same decision untagged, as `diagnose` gives it under `permissions`.
    let mut decision = denied.clone();
    decision.as_object_mut().unwrap().remove("ok");
    assert_output("PolicyDecision", &decision);
    assert_output("SetDecision", &denied["identity"]);
    assert_output("SetDecision", &denied["boundary"]);
    assert_output("StatementRef", &denied["statement"]);
    assert_output("Missing", &denied["missing"]);
    let unreadable = api::simulate_policy(
        vec![api::FileInput {
            name: "p.json".into(),
            text: "{".into(),
        }],
        request(None),
    );
    assert_output("Failure", &serde_json::to_value(unreadable).unwrap());
    let sets = [PolicySet::Identity, PolicySet::Boundary].map(|s| {
        serde_json::to_value(s)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(union("PolicySet"), BTreeSet::from(sets));
    let elements = [Element::Action, Element::Resource, Element::Condition].map(|e| {
        serde_json::to_value(e)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(union("PolicyElement"), BTreeSet::from(elements));
}

#[test]
fn migrate_result_matches() {
    use api::migrate::{migrate, MigrateInputOptions, Target};
    use irsa_core::migrate::Direction;
    assert_input("MigrateOptions", struct_fields::<MigrateInputOptions>());
    let spec = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF\nclusterName: prod\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n";
    let options = |to| MigrateInputOptions {
        to,
        file: Some("irsa.yaml".into()),
        workloads: Vec::new(),
    };
    let input = SpecInput::Text {
        text: spec,
        file: Some("irsa.yaml"),
    };
    let planned = migrate(input, &options(Target::PodIdentity)).unwrap();
    let planned = serde_json::to_value(planned).unwrap();
    assert_eq!(planned["ok"], true, "{planned}");
    assert_output("Migration", &planned);
    assert_output("Phase", &planned["phases"][0]);
    assert_output("PlanFile", &planned["phases"][0]["files"][0]);
    assert_output("PlanFile", &planned["files"][0]);
    // Already on IRSA: blocked (MIG002), a Failure.
    let blocked = serde_json::to_value(migrate(input, &options(Target::Irsa)).unwrap()).unwrap();
    assert_eq!(blocked["ok"], false, "{blocked}");
    assert_output("Failure", &blocked);
    // Exhaustive: a new target or direction fails to compile here until it is listed.
    let name = |t: Target| match t {
        Target::PodIdentity => "pod-identity",
        Target::Irsa => "irsa",
    };
    let targets: BTreeSet<String> = [Target::PodIdentity, Target::Irsa]
        .map(|t| {
            let back: Target = serde_json::from_value(Value::from(name(t))).unwrap();
            assert_eq!(back, t);
            name(t).to_string()
        })
        .into();
    assert_eq!(union("MigrateTarget"), targets);
    let directions: BTreeSet<String> = [Direction::ToPodIdentity, Direction::ToIrsa]
        .map(|d| match d {
            Direction::ToPodIdentity | Direction::ToIrsa => d,
        })
        .map(|d| {
            serde_json::to_value(d)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .into();
    assert_eq!(union("MigrationDirection"), directions);
}

#[test]
fn migrate_trust_result_matches() {
    use api::migrate::{migrate_trust, MigrateTrustInputOptions, Target};
    assert_input(
        "MigrateTrustOptions",
        struct_fields::<MigrateTrustInputOptions>(),
    );
    let trust = include_str!("../../tests/fixtures/migrate/cross-account/chained/trust.json");
    let options = |target: Option<&str>| MigrateTrustInputOptions {
        to: Target::PodIdentity,
        issuer: "https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B"
            .into(),
        cluster_arn: Some("arn:aws:eks:us-west-2:111122223333:cluster/prod".into()),
        file: Some("trust.json".into()),
        target_role_arn: target.map(String::from),
        source_role_name: None,
        source_trust: None,
        role: None,
    };
    let target = Some("arn:aws:iam::444455556666:role/s3-writer");
    let chained = serde_json::to_value(migrate_trust(trust, &options(target)).unwrap()).unwrap();
    assert_eq!(chained["ok"], true, "{chained}");
    assert_output("TrustMigration", &chained);
    assert_output("Phase", &chained["phases"][0]);
    assert_output("PlanFile", &chained["files"][0]);
    // The same trust without the target role: another account's (MIG033), a Failure.
    let blocked = serde_json::to_value(migrate_trust(trust, &options(None)).unwrap()).unwrap();
    assert_eq!(blocked["ok"], false, "{blocked}");
    assert_output("Failure", &blocked);
}
