//! What a running `lab serve` leaves for `lab token` and `lab env`: its URL,
//! its process ID, the issuers, the bound ServiceAccounts and the keys, in a
//! state directory (`.irsa-lab/` by default), removed when it stops.

use std::path::{Path, PathBuf};

use irsa_core::emulate::account::Bound;
use serde::{Deserialize, Serialize};

use crate::keys::{KeyRing, SigningKey};

/// The state file's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The server's process ID.
    pub pid: u32,
    /// The clusters' issuers (host and path).
    pub issuers: Vec<String>,
    /// The bound ServiceAccounts.
    pub bound: Vec<Bound>,
}

fn file(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Writes the state and the keys (the key files are readable by the owner only).
pub fn write(dir: &Path, state: &State, keys: &KeyRing) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, key) in [
        ("cluster-key.pem", &keys.cluster),
        ("other-issuer-key.pem", &keys.other),
    ] {
        let path = file(dir, name);
        std::fs::write(&path, key.to_pem()?).map_err(|e| format!("{}: {e}", path.display()))?;
        restrict(&path);
    }
    let text = serde_json::to_string_pretty(state).map_err(|e| e.to_string())?;
    let path = file(dir, "state.json");
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(unix)]
fn restrict(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_: &Path) {}

/// Reads the state and keys of a running lab.
pub fn read(dir: &Path) -> Result<(State, KeyRing), String> {
    let path = file(dir, "state.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "no running lab in {} ({e}); start one with `irsa-gen lab serve`",
            dir.display()
        )
    })?;
    let state: State =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let key = |name: &str| {
        let p = file(dir, name);
        let pem = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        SigningKey::from_pem(&pem)
    };
    Ok((
        state,
        KeyRing {
            cluster: key("cluster-key.pem")?,
            other: key("other-issuer-key.pem")?,
        },
    ))
}

/// [`read`], waiting up to `patience` for a lab that is still starting.
pub fn read_waiting(dir: &Path, patience: std::time::Duration) -> Result<(State, KeyRing), String> {
    let until = std::time::Instant::now() + patience;
    loop {
        match read(dir) {
            Ok(x) => return Ok(x),
            Err(e) if std::time::Instant::now() >= until => return Err(e),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
}

/// Removes the state file and keys (the directory stays if other files are in it).
pub fn remove(dir: &Path) {
    for name in ["state.json", "cluster-key.pem", "other-issuer-key.pem"] {
        let _ = std::fs::remove_file(file(dir, name));
    }
}
