//! The negative matrix over the wire for every example spec the seeds have:
//! each bound ServiceAccount's own token admitted, and the five refusals.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use irsa_core::emulate::matrix::Outcome;
use irsa_core::emulate::Account;
use irsa_lab::keys::{KeyRing, SigningKey};

fn account(example: &str) -> Account {
    let path = format!("{}/../examples/{example}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let spec = irsa_core::load_spec(&text, Some(example));
    Account::from_spec(spec.spec.as_ref().unwrap()).unwrap()
}

#[tokio::test]
async fn every_seed_passes_its_matrix() {
    let keys = KeyRing {
        cluster: SigningKey::generate(),
        other: SigningKey::generate(),
    };
    for example in [
        "s3-writer.yaml",
        "kuberocketci-test-pod.yaml",
        "spice-ai.yaml",
        "pod-identity.yaml",
        "china-multi-cluster.yaml",
    ] {
        let lab = irsa_lab::start(account(example), keys.clone(), 0, false)
            .await
            .unwrap();
        let rows = irsa_lab::matrix::run(&lab).await;
        assert!(rows.len() >= 6, "{example}");
        for r in &rows {
            assert!(
                r.passed,
                "{example}: {} {}/{}: expected {:?}, got {:?}",
                r.probe.case.label(),
                r.probe.namespace,
                r.probe.service_account,
                r.probe.expect,
                r.outcome
            );
        }
        let own = rows
            .iter()
            .find(|r| matches!(r.outcome, Outcome::Admitted(_)))
            .unwrap();
        if example == "s3-writer.yaml" {
            assert_eq!(
                own.outcome,
                Outcome::Admitted(format!(
                    "arn:aws:sts::123456789012:assumed-role/S3WriterRole/{}",
                    irsa_lab::matrix::SESSION
                ))
            );
        }
        lab.stop().await;
    }
}
