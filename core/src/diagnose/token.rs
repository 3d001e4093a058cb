//! The projected ServiceAccount token a user gives `diagnose`: decoded, never
//! verified, its claims shown as STS reads them.

use serde::Serialize;
use serde_json::Value as Json;

use crate::jwt;

/// The claims of a token that decide IRSA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenFacts {
    /// Why the text is not a JWT, when it is not (the rest is then empty).
    pub error: Option<String>,
    /// `iss`.
    pub iss: Option<String>,
    /// `sub`.
    pub sub: Option<String>,
    /// `aud`, as a list.
    pub aud: Vec<String>,
    /// `exp` (seconds since the epoch).
    pub exp: Option<i64>,
    /// `iat`.
    pub iat: Option<i64>,
    /// `kubernetes.io.namespace`.
    pub namespace: Option<String>,
    /// `kubernetes.io.serviceaccount.name`.
    pub service_account: Option<String>,
    /// `kubernetes.io.pod.name`.
    pub pod: Option<String>,
    /// Seconds from the time given to `exp` (negative: expired). None without a time.
    pub expires_in: Option<i64>,
}

/// Decodes a token; `now` (seconds since the epoch) is the caller's clock.
pub fn read(token: &str, now: Option<i64>) -> TokenFacts {
    let jwt = match jwt::decode(token) {
        Ok(j) => j,
        Err(e) => {
            return TokenFacts {
                error: Some(e.to_string()),
                ..TokenFacts::default()
            }
        }
    };
    let k8s = jwt.claims.get("kubernetes.io");
    let k8s_str = |path: &[&str]| {
        path.iter()
            .try_fold(k8s?, |v, key| v.get(key))
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let exp = jwt.claim_time("exp");
    TokenFacts {
        error: None,
        iss: jwt.claim_str("iss").map(str::to_string),
        sub: jwt.claim_str("sub").map(str::to_string),
        aud: jwt.audiences().into_iter().map(str::to_string).collect(),
        exp,
        iat: jwt.claim_time("iat"),
        namespace: k8s_str(&["namespace"]),
        service_account: k8s_str(&["serviceaccount", "name"]),
        pod: k8s_str(&["pod", "name"]),
        expires_in: exp.zip(now).map(|(e, n)| e - n),
    }
}
