//! irsa-lab: irsa-gen's lab on 127.0.0.1, a shell over irsa-core. It serves
//! an OIDC issuer (discovery document and key set) for each cluster of a
//! setup, STS (`AssumeRoleWithWebIdentity`, `GetCallerIdentity`) and the Pod
//! Identity Agent's container credentials endpoint, so that real AWS SDKs
//! can be pointed at it. It does only I/O, crypto, the clock and randomness:
//! every decision (which role, what the trust admits, which error) is core's
//! (`irsa_core::emulate`, `irsa_core::sts`).

pub mod client;
pub mod keys;
pub mod matrix;
pub mod mint;
pub mod server;
pub mod sessions;
pub mod sigv4;
pub mod state;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use irsa_core::emulate::{Account, IssuerMap};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::keys::KeyRing;
use crate::server::Lab;
use crate::sessions::Sessions;

/// A lab serving on 127.0.0.1.
#[derive(Debug)]
pub struct Started {
    /// The bound address.
    pub addr: SocketAddr,
    /// What it serves.
    pub lab: Arc<Lab>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Started {
    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        server::base_url(self.addr)
    }

    /// Stops accepting, lets open requests finish, and waits.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Binds 127.0.0.1:`port` (0 for any free port) and serves `account`. Roles
/// get their random unique IDs here, as IAM gives them at creation.
pub async fn start(
    mut account: Account,
    keys: KeyRing,
    port: u16,
    verbose: bool,
) -> std::io::Result<Started> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    let addr = listener.local_addr()?;
    for role in &mut account.roles {
        role.id = sessions::role_id();
    }
    let issuers = IssuerMap::new(&server::base_url(addr), account.issuers.clone());
    let lab = Arc::new(Lab {
        account,
        issuers,
        keys,
        sessions: Sessions::default(),
        verbose,
    });
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(server::serve(listener, lab.clone(), stopped));
    Ok(Started {
        addr,
        lab,
        stop,
        task,
    })
}
