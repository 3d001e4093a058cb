//! The temporary credentials the lab has issued, by access key, and the
//! random identifiers it makes (access keys, secrets, session tokens, role
//! IDs, request IDs), as IAM and STS make them at random.

use std::collections::HashMap;
use std::sync::Mutex;

use irsa_core::sts::response::{Credentials, Identity};
use rand::RngExt;

/// Most live sessions kept; past it, expired ones are dropped, then the map is cleared.
pub const MAX_SESSIONS: usize = 100_000;

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX: &[u8] = b"0123456789abcdef";

/// `len` random characters of `alphabet`.
pub fn random(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .filter_map(|_| {
            alphabet
                .get(rng.random_range(0..alphabet.len()))
                .map(|b| char::from(*b))
        })
        .collect()
}

/// A role's unique ID: `AROA` and 17 characters.
pub fn role_id() -> String {
    format!("AROA{}", random(UPPER, 17))
}

/// A request ID in STS's UUID form.
pub fn request_id() -> String {
    let h = |n| random(HEX, n);
    format!("{}-{}-4{}-a{}-{}", h(8), h(4), h(3), h(3), h(12))
}

/// A short random ID (session names, UIDs, `jti`).
pub fn short_id() -> String {
    random(HEX, 12)
}

/// An issued session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Its credentials.
    pub credentials: Credentials,
    /// Who they are.
    pub identity: Identity,
}

/// Issued sessions by access key.
#[derive(Debug, Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Issues credentials for an identity until `expiration`.
    pub fn issue(&self, identity: Identity, expiration: i64, now: i64) -> Credentials {
        let credentials = Credentials {
            access_key_id: format!("ASIA{}", random(UPPER, 16)),
            secret_access_key: random(BASE64, 40),
            session_token: random(BASE64, 356),
            expiration,
        };
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX_SESSIONS {
                map.retain(|_, s| s.credentials.expiration > now);
                if map.len() >= MAX_SESSIONS {
                    map.clear();
                }
            }
            map.insert(
                credentials.access_key_id.clone(),
                Session {
                    credentials: credentials.clone(),
                    identity,
                },
            );
        }
        credentials
    }

    /// The session of an access key.
    pub fn get(&self, access_key: &str) -> Option<Session> {
        self.map.lock().ok()?.get(access_key).cloned()
    }
}
