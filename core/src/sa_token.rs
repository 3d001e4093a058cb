//! The projected ServiceAccount token the kubelet writes into a pod: its
//! header and claims as the Kubernetes API server's TokenRequest issues them
//! (`iss`, `sub`, `aud` as a list, `exp`, `iat`, `nbf`, `jti`, and the
//! `kubernetes.io` claim binding it to the namespace, ServiceAccount and pod).

use serde_json::{json, Value as Json};

use crate::jwt::Jwt;
use crate::kube;

/// The API server refuses TokenRequests shorter than ten minutes.
pub const MIN_EXPIRATION_SECONDS: u64 = 600;

/// One token request, as the kubelet makes it for a projected volume. Random
/// identifiers (`jti`, UIDs) and the time come from the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The issuer URL (`iss`).
    pub issuer: String,
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's ServiceAccount.
    pub service_account: String,
    /// The ServiceAccount's UID.
    pub service_account_uid: String,
    /// The audiences (`aud`), the projected volume's `audience`.
    pub audiences: Vec<String>,
    /// Seconds since the epoch when it is issued (`iat`, `nbf`).
    pub issued_at: i64,
    /// `expirationSeconds` (raised to [`MIN_EXPIRATION_SECONDS`]).
    pub expiration_seconds: u64,
    /// The pod the token is bound to: name and UID.
    pub pod: Option<(String, String)>,
    /// The token's unique ID (`jti`).
    pub jti: String,
}

impl TokenRequest {
    /// `exp`: issued at plus the lifetime.
    pub fn expires_at(&self) -> i64 {
        let lifetime = self.expiration_seconds.max(MIN_EXPIRATION_SECONDS);
        self.issued_at
            .saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX))
    }

    /// The claims set, keys in the order the API server writes them.
    pub fn claims(&self) -> Json {
        let mut k8s = serde_json::Map::new();
        k8s.insert("namespace".into(), json!(self.namespace));
        if let Some((name, uid)) = &self.pod {
            k8s.insert("pod".into(), json!({"name": name, "uid": uid}));
        }
        k8s.insert(
            "serviceaccount".into(),
            json!({"name": self.service_account, "uid": self.service_account_uid}),
        );
        json!({
            "aud": self.audiences,
            "exp": self.expires_at(),
            "iat": self.issued_at,
            "iss": self.issuer,
            "jti": self.jti,
            "kubernetes.io": k8s,
            "nbf": self.issued_at,
            "sub": kube::subject(&self.namespace, &self.service_account),
        })
    }
}

/// The header of a token signed with RS256 by the key `kid`.
pub fn header(kid: &str) -> Json {
    json!({"alg": "RS256", "kid": kid})
}

/// Who a ServiceAccount token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bearer {
    /// Namespace.
    pub namespace: String,
    /// ServiceAccount name.
    pub service_account: String,
    /// The bound pod's name, if any.
    pub pod_name: Option<String>,
    /// The bound pod's UID, if any.
    pub pod_uid: Option<String>,
}

/// Reads the ServiceAccount a token speaks for from its `sub`, and the pod from
/// its `kubernetes.io` claim; None when `sub` is not a ServiceAccount's.
pub fn bearer(jwt: &Jwt) -> Option<Bearer> {
    let (namespace, service_account) = kube::parse_subject(jwt.claim_str("sub")?)?;
    let pod = jwt.claims.get("kubernetes.io").and_then(|k| k.get("pod"));
    let field = |f: &str| {
        pod.and_then(|p| p.get(f))
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    Some(Bearer {
        namespace: namespace.to_string(),
        service_account: service_account.to_string(),
        pod_name: field("name"),
        pod_uid: field("uid"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt;

    fn request() -> TokenRequest {
        TokenRequest {
            issuer: "https://issuer.example".into(),
            namespace: "production".into(),
            service_account: "s3-writer".into(),
            service_account_uid: "uid-sa".into(),
            audiences: vec!["sts.amazonaws.com".into()],
            issued_at: 1_000,
            expiration_seconds: 60,
            pod: Some(("my-app-1".into(), "uid-pod".into())),
            jti: "jti-1".into(),
        }
    }

    #[test]
    fn claims_like_the_api_server() {
        let c = request().claims();
        assert_eq!(c["sub"], "system:serviceaccount:production:s3-writer");
        assert_eq!(c["aud"], json!(["sts.amazonaws.com"]));
        // Shorter lifetimes are refused by the API server; the kubelet asks for at least 600.
        assert_eq!(c["exp"], 1_600);
        assert_eq!(c["kubernetes.io"]["pod"]["name"], "my-app-1");
        let token = jwt::compact(&jwt::signing_input(&header("k"), &c), b"s");
        let b = bearer(&jwt::decode(&token).unwrap()).unwrap();
        assert_eq!(
            (b.namespace.as_str(), b.service_account.as_str()),
            ("production", "s3-writer")
        );
        assert_eq!(b.pod_name.as_deref(), Some("my-app-1"));
    }
}
