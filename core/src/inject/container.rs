//! One container as the webhook mutates it (`addEnvToContainer`): env
//! appended in the webhook's order, each group only when the container sets
//! none of its variables, and the token mount unless a mount of that name
//! exists. A container that already sets a credential variable, a region
//! variable and AWS_STS_REGIONAL_ENDPOINTS is left untouched.

use serde_json::{json, Value as Json};

use super::settings::{Credentials, Settings};

/// The IRSA variables; one of them set means the container brings its own.
pub const ROLE_VARS: [&str; 2] = ["AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"];
/// The Pod Identity variables.
pub const AGENT_VARS: [&str; 2] = [
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];
/// Either region variable set means the webhook adds neither.
pub const REGION_VARS: [&str; 2] = ["AWS_REGION", "AWS_DEFAULT_REGION"];
/// The regional STS variable.
pub const STS_VAR: &str = "AWS_STS_REGIONAL_ENDPOINTS";

/// What happened to a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Env and mount added as needed.
    Mutated,
    /// It sets its own credential variables; the webhook kept them.
    OwnCredentials,
    /// Credential, region and STS variables all set: nothing added.
    Untouched,
}

/// The variables the webhook adds to a container whose env is `env`, in its order.
pub fn added_env(
    env: &[Json],
    settings: &Settings,
    token_file: &str,
) -> (Vec<(String, String)>, Outcome) {
    let has = |names: &[&str]| {
        env.iter().any(|e| {
            e.get("name")
                .and_then(Json::as_str)
                .is_some_and(|n| names.contains(&n))
        })
    };
    let own_vars = match settings.credentials {
        Credentials::Role(_) => ROLE_VARS,
        Credentials::Agent(_) => AGENT_VARS,
    };
    let (own, region, sts) = (has(&own_vars), has(&REGION_VARS), has(&[STS_VAR]));
    if own && region && sts {
        return (Vec::new(), Outcome::Untouched);
    }
    let mut added = Vec::new();
    let mut add = |k: &str, v: &str| added.push((k.to_string(), v.to_string()));
    if !sts && settings.regional {
        add(STS_VAR, "regional");
    }
    if let (false, Some(r)) = (region, &settings.region) {
        add("AWS_DEFAULT_REGION", r);
        add("AWS_REGION", r);
    }
    if own {
        return (added, Outcome::OwnCredentials);
    }
    match &settings.credentials {
        Credentials::Role(arn) => {
            add(ROLE_VARS[0], arn);
            add(ROLE_VARS[1], token_file);
        }
        Credentials::Agent(uri) => {
            add(AGENT_VARS[0], uri);
            add(AGENT_VARS[1], token_file);
        }
    }
    (added, Outcome::Mutated)
}

/// Mutates the container `c` (a JSON object) in place.
pub fn mutate(c: &mut Json, settings: &Settings, token_file: &str) -> Outcome {
    let Some(obj) = c.as_object_mut() else {
        return Outcome::Untouched;
    };
    let env: Vec<Json> = obj
        .get("env")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let (added, outcome) = added_env(&env, settings, token_file);
    if outcome == Outcome::Untouched {
        return outcome;
    }
    if !added.is_empty() {
        with_array(obj, "env", |list| {
            list.extend(
                added
                    .into_iter()
                    .map(|(k, v)| json!({"name": k, "value": v})),
            );
        });
    }
    with_array(obj, "volumeMounts", |mounts| {
        let named = |m: &Json| m.get("name").and_then(Json::as_str) == Some(&settings.volume);
        if !mounts.iter().any(named) {
            mounts.push(json!({"name": settings.volume, "readOnly": true, "mountPath": settings.mount_path}));
        }
    });
    outcome
}

/// Runs `f` on the array at `key`, created (or replaced, when it is not an
/// array) as needed; an existing key keeps its place.
pub fn with_array<R>(
    obj: &mut serde_json::Map<String, Json>,
    key: &str,
    f: impl FnOnce(&mut Vec<Json>) -> R,
) -> R {
    let mut list = match obj.get_mut(key).map(Json::take) {
        Some(Json::Array(a)) => a,
        _ => Vec::new(),
    };
    let r = f(&mut list);
    obj.insert(key.to_string(), Json::Array(list));
    r
}

/// The mountPath that two of the container's mounts share, if any (the API server refuses it).
pub fn duplicate_mount_path(c: &Json) -> Option<String> {
    let mounts = c.get("volumeMounts")?.as_array()?;
    let paths: Vec<&str> = mounts
        .iter()
        .filter_map(|m| m.get("mountPath")?.as_str())
        .collect();
    paths
        .iter()
        .enumerate()
        .find(|(i, p)| paths.get(..*i).is_some_and(|before| before.contains(p)))
        .map(|(_, p)| (*p).to_string())
}
