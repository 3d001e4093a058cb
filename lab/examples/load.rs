//! One client process of `scripts/bench-lab`: a fixed number of rounds, each
//! an `AssumeRoleWithWebIdentity` with a pod's token and a SigV4-signed
//! `GetCallerIdentity` with the credentials it returned, over one kept-alive
//! connection to a running lab. Prints one latency per call (microseconds,
//! or `error`), for the script to summarise. It asserts nothing.
//!
//!     load STATE_DIR ROUNDS NAMESPACE SERVICE_ACCOUNT

use std::net::SocketAddr;
use std::time::Instant;

use irsa_lab::client::Client;
use irsa_lab::mint::{mint, Mint};
use irsa_lab::server::now;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, rounds, namespace, service_account] = args.as_slice() else {
        return Err("usage: load STATE_DIR ROUNDS NAMESPACE SERVICE_ACCOUNT".into());
    };
    let rounds: usize = rounds.parse().map_err(|e| format!("{e}"))?;
    let (state, keys) = irsa_lab::state::read_waiting(
        std::path::Path::new(dir),
        std::time::Duration::from_secs(30),
    )?;
    let bound = state
        .bound
        .first()
        .ok_or("no bound ServiceAccount")?
        .clone();
    let addr: SocketAddr = state
        .base
        .trim_start_matches("http://")
        .parse()
        .map_err(|e| format!("{e}"))?;
    let issuers = irsa_core::emulate::IssuerMap::new(&state.base, state.issuers.clone());
    let m = Mint {
        issuer: issuers.lab_issuer(&bound.issuer),
        namespace: namespace.clone(),
        service_account: service_account.clone(),
        audience: bound.audience.clone(),
        expiration_seconds: 86_400,
        age: 0,
        pod: Some("load".into()),
    };
    let token = mint(&m, &keys.cluster, now())?;
    let mut client = Client::new(addr);
    let mut out = String::new();
    for i in 0..rounds {
        let t = Instant::now();
        let creds = client
            .assume_role(&bound.role_arn, &format!("load-{i}"), &token)
            .await;
        out.push_str(&line(t, creds.is_ok()));
        if let Ok((c, _)) = creds {
            let t = Instant::now();
            let who = client.caller_identity(&c, &bound.region, now()).await;
            out.push_str(&line(t, who.is_ok()));
        }
    }
    print!("{out}");
    Ok(())
}

fn line(start: Instant, ok: bool) -> String {
    if ok {
        format!("{}\n", start.elapsed().as_micros())
    } else {
        "error\n".to_string()
    }
}
