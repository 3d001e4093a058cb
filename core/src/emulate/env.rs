//! The environment of a pod in the lab: what the EKS webhook injects for the
//! ServiceAccount (core's [`crate::inject`] applied to a pod that runs as it),
//! with the token file and the container credentials URI moved to the lab's,
//! `AWS_ENDPOINT_URL_STS` pointing at the lab, and the SDK credential chain
//! cut off from anything a pod would not have (static keys, profiles, the
//! instance metadata service), so that nothing reaches beyond 127.0.0.1.

use serde_json::{json, Map, Value as Json};

use super::account::{Bound, Mode};
use crate::diagnostic::Diagnostic;
use crate::inject::{self, InjectOptions};

/// Variables that would put other credentials ahead of the pod's in the SDK
/// chain (or change where it looks); `lab env` unsets them.
pub const UNSET: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_SESSION_NAME",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_ENDPOINT_URL",
];

/// The container credentials path under the lab (as the agent serves it).
pub const CREDENTIALS_PATH: &str = "/v1/credentials";

/// The env the webhook injects into a container of a pod running as `bound`'s
/// ServiceAccount, in the webhook's order (core's [`inject::container_environment`]
/// with the cluster's region, as EKS runs the webhook).
pub fn injected(
    bound: &Bound,
    namespace: &str,
    service_account: &str,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let annotations: Map<String, Json> = bound
        .annotations
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect();
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": service_account, "namespace": namespace, "annotations": annotations}});
    let options = InjectOptions {
        region: Some(bound.region.clone()),
        pod_identity: bound.mode == Mode::PodIdentity,
        ..InjectOptions::default()
    };
    inject::container_environment(&sa.to_string(), &options)
}

/// The injected env moved to the lab: `base` is the lab's URL, `token_file`
/// the projected token the lab wrote.
pub fn lab(
    bound: &Bound,
    namespace: &str,
    service_account: &str,
    base: &str,
    token_file: &str,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let mut env: Vec<(String, String)> = injected(bound, namespace, service_account)?
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "AWS_WEB_IDENTITY_TOKEN_FILE" | "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" => {
                (k, token_file.to_string())
            }
            "AWS_CONTAINER_CREDENTIALS_FULL_URI" => (k, format!("{base}{CREDENTIALS_PATH}")),
            _ => (k, v),
        })
        .collect();
    for (k, v) in [
        ("AWS_ENDPOINT_URL_STS", base),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
    ] {
        env.push((k.to_string(), v.to_string()));
    }
    Ok(env)
}

/// `unset ...` then one `export NAME='value'` per variable, for `eval`.
pub fn shell(env: &[(String, String)]) -> String {
    let mut out = format!("unset {}\n", UNSET.join(" "));
    for (k, v) in env {
        out.push_str(&format!("export {k}={}\n", crate::formats::shell::quote(v)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Account;
    use super::*;

    const BASE: &str = "http://127.0.0.1:9";

    fn bound(spec: &str) -> Bound {
        Account::from_spec(crate::load_spec(spec, None).spec.as_ref().unwrap())
            .unwrap()
            .bound
            .remove(0)
    }

    #[test]
    fn irsa_env_points_at_the_lab() {
        let b = bound("accountId: '123456789012'\nregion: ap-south-1\ncluster: EXAMPLED539D4633E53DE1B716D3041E\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n");
        let env = lab(&b, "production", "s3-writer", BASE, "/tmp/t").unwrap();
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            get("AWS_ROLE_ARN"),
            Some("arn:aws:iam::123456789012:role/S3WriterRole")
        );
        assert_eq!(get("AWS_WEB_IDENTITY_TOKEN_FILE"), Some("/tmp/t"));
        assert_eq!(get("AWS_REGION"), Some("ap-south-1"));
        assert_eq!(get("AWS_ENDPOINT_URL_STS"), Some("http://127.0.0.1:9"));
        assert!(shell(&env)
            .contains("export AWS_ROLE_ARN=arn:aws:iam::123456789012:role/S3WriterRole\n"));
    }

    #[test]
    fn pod_identity_env_uses_the_lab_agent() {
        let b = bound("accountId: '123456789012'\nregion: eu-west-1\nclusterName: c\nidentityType: pod-identity\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: R\n");
        let env = lab(&b, "production", "s3-writer", BASE, "/tmp/t").unwrap();
        assert!(env.contains(&(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI".into(),
            "http://127.0.0.1:9/v1/credentials".into()
        )));
        assert!(env.contains(&(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE".into(),
            "/tmp/t".into()
        )));
        assert!(!env.iter().any(|(k, _)| k == "AWS_ROLE_ARN"));
        assert!(env.contains(&("AWS_REGION".into(), "eu-west-1".into())));
    }
}
