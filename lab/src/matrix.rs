//! `lab test`: core's negative matrix sent over the wire to a running lab.
//! Each probe's token is minted by the issuer it names, sent the way the
//! SDKs send it (`AssumeRoleWithWebIdentity`, or the container credentials
//! endpoint for Pod Identity), and on success the credentials are used for
//! a SigV4-signed `GetCallerIdentity`, whose ARN is the outcome.

use irsa_core::emulate::account::Mode;
use irsa_core::emulate::matrix::{self, Outcome, Probe};

use crate::client::Client;
use crate::mint::{mint, Mint};
use crate::server::now;
use crate::Started;

/// The session name `lab test` asks for.
pub const SESSION: &str = "irsa-gen-lab-test";

/// One probe and what it got.
#[derive(Debug, Clone)]
pub struct Row {
    /// The probe.
    pub probe: Probe,
    /// What the lab answered.
    pub outcome: Outcome,
    /// True when that is what AWS gives.
    pub passed: bool,
}

async fn send(client: &mut Client, probe: &Probe, token: &str) -> Outcome {
    let now = now();
    let creds = match probe.bound.mode {
        Mode::Irsa => client
            .assume_role(&probe.bound.role_arn, SESSION, token)
            .await
            .map(|(c, _)| c),
        Mode::PodIdentity => client.container_credentials(token).await,
    };
    let result = match creds {
        Ok(c) => client.caller_identity(&c, &probe.bound.region, now).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(arn) => Outcome::Admitted(arn),
        Err((code, message)) => Outcome::Refused(code, message),
    }
}

/// Runs every probe of the matrix against the lab.
pub async fn run(lab: &Started) -> Vec<Row> {
    let mut client = Client::new(lab.addr);
    let mut rows = Vec::new();
    for probe in matrix::probes(&lab.lab.account, &lab.lab.issuers) {
        let lifetime: u64 = match probe.bound.mode {
            Mode::Irsa => 3_600,
            Mode::PodIdentity => 86_400,
        };
        let m = Mint {
            issuer: probe.issuer.clone(),
            namespace: probe.namespace.clone(),
            service_account: probe.service_account.clone(),
            audience: probe.audience.clone(),
            expiration_seconds: lifetime,
            age: if probe.expired {
                i64::try_from(lifetime).unwrap_or(0) + 60
            } else {
                0
            },
            pod: Some("irsa-lab-test".into()),
        };
        let key = lab
            .lab
            .keys
            .for_issuer(&lab.lab.issuers, &probe.issuer)
            .unwrap_or(&lab.lab.keys.other);
        let outcome = match mint(&m, key, now()) {
            Ok(token) => send(&mut client, &probe, &token).await,
            Err(e) => Outcome::Refused(String::new(), e),
        };
        let passed = matrix::passes(&probe.expect, &outcome);
        rows.push(Row {
            probe,
            outcome,
            passed,
        });
    }
    rows
}
