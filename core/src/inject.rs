//! The pod preview: what the EKS pod identity webhook does to a Pod (or a pod
//! template) whose ServiceAccount has a role ARN (DESIGN.md §2), and what the
//! EKS Pod Identity agent's webhook does in Pod Identity mode.

use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use crate::aws;
use crate::diagnostic::Diagnostic;
use crate::kube;
use crate::rules::diagnostic;
use crate::source::{self, Limits, Node, Scalar, Value};

/// Mount directory of the IRSA token.
pub const TOKEN_DIR: &str = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
/// The IRSA token file on Linux nodes.
pub const TOKEN_FILE: &str = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";
/// The IRSA token file on Windows nodes.
pub const WINDOWS_TOKEN_FILE: &str =
    "C:\\var\\run\\secrets\\eks.amazonaws.com\\serviceaccount\\token";
/// Name of the IRSA token volume.
pub const TOKEN_VOLUME: &str = "aws-iam-token";
/// Mount directory of the Pod Identity token.
pub const POD_IDENTITY_DIR: &str = "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount";
/// Name of the Pod Identity token volume (and file).
pub const POD_IDENTITY_VOLUME: &str = "eks-pod-identity-token";
/// The Pod Identity agent's credentials endpoint.
pub const POD_IDENTITY_URI: &str = "http://169.254.170.23/v1/credentials";

/// Webhook settings (the command-line defaults of the webhook); ServiceAccount annotations override them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InjectOptions {
    /// Default region: adds AWS_REGION and AWS_DEFAULT_REGION.
    pub region: Option<String>,
    /// Regional STS endpoints on by default.
    pub sts_regional_endpoints: bool,
    /// Default token lifetime (86400 when None).
    pub token_expiration: Option<u32>,
    /// Default audience (`sts.amazonaws.com` when None).
    pub audience: Option<String>,
    /// EKS Pod Identity instead of IRSA (no role-arn needed).
    pub pod_identity: bool,
    /// Parse limits (default when None).
    pub limits: Option<Limits>,
}

/// The admitted workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Injected {
    /// The document as EKS admits it, in the workload's input format (JSON or YAML).
    pub text: String,
    /// The same document.
    pub document: Json,
}

fn fail(
    code: &str,
    message: impl Into<String>,
    node: Option<&Node>,
    file: &str,
) -> Vec<Diagnostic> {
    let d = diagnostic(code, message).in_file(Some(file));
    vec![match node {
        Some(n) => d.at(n.span),
        None => d,
    }]
}

fn parse(
    text: &str,
    limits: &Limits,
    file: &str,
) -> Result<Vec<source::Document>, Vec<Diagnostic>> {
    source::parse_documents(text, limits).map_err(|e| {
        let code = match e {
            source::SourceError::Limit { .. } => "IRSA402",
            source::SourceError::Syntax { .. } => "IRSA401",
        };
        vec![diagnostic(code, e.to_string())
            .at(e.span())
            .in_file(Some(file))]
    })
}

/// The first document of `kind` (looking into `kind: List`).
fn find<'a>(root: &'a Node, accept: &dyn Fn(&str) -> bool) -> Option<&'a Node> {
    let kind = root.get("kind").and_then(Node::as_str)?;
    if kind == "List" {
        return root
            .get("items")
            .and_then(Node::as_seq)?
            .iter()
            .find_map(|i| find(i, accept));
    }
    accept(kind).then_some(root)
}

fn annotation<'a>(meta: Option<&'a Node>, key: &str) -> Option<&'a str> {
    let v = meta?.get("annotations")?.get(key)?;
    match &v.value {
        Value::Scalar {
            value: Scalar::Str,
            raw,
        } => Some(raw.as_str()),
        _ => None,
    }
}

/// Applies the webhook to a workload (Pod, Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, Job, CronJob) for a ServiceAccount.
pub fn inject(
    service_account_text: &str,
    workload_text: &str,
    options: &InjectOptions,
) -> Result<Injected, Vec<Diagnostic>> {
    let limits = options.limits.unwrap_or_default();
    let (sa_file, w_file) = ("serviceaccount", "workload");
    let sa_docs = parse(service_account_text, &limits, sa_file)?;
    let Some(sa) = sa_docs
        .iter()
        .find_map(|d| find(&d.root, &|k| k == "ServiceAccount"))
    else {
        return Err(fail(
            "IRSA403",
            "no ServiceAccount in the service account input",
            None,
            sa_file,
        ));
    };
    let w_docs = parse(workload_text, &limits, w_file)?;
    let is_workload = |k: &str| {
        matches!(
            k,
            "Pod"
                | "Deployment"
                | "StatefulSet"
                | "DaemonSet"
                | "ReplicaSet"
                | "Job"
                | "CronJob"
                | "ReplicationController"
        )
    };
    let Some(w) = w_docs.iter().find_map(|d| find(&d.root, &is_workload)) else {
        return Err(fail(
            "IRSA403",
            "no Pod or workload with a pod template in the workload input",
            None,
            w_file,
        ));
    };
    let kind = w.get("kind").and_then(Node::as_str).unwrap_or("Pod");
    let template: Vec<&str> = match kind {
        "Pod" => vec![],
        "CronJob" => vec!["spec", "jobTemplate", "spec", "template"],
        _ => vec!["spec", "template"],
    };
    let mut tnode = Some(w);
    for k in &template {
        tnode = tnode.and_then(|n| n.get(k));
    }
    let Some(pod_spec) = tnode
        .and_then(|t| t.get("spec"))
        .filter(|s| s.as_map().is_some())
    else {
        return Err(fail(
            "IRSA403",
            format!("the {kind} has no pod spec"),
            Some(w),
            w_file,
        ));
    };
    let pod_meta = tnode.and_then(|t| t.get("metadata"));

    // The ServiceAccount must be the pod's own.
    let sa_meta = sa.get("metadata");
    let sa_name = sa_meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_text)
        .unwrap_or("");
    let sa_ns = sa_meta
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_text)
        .unwrap_or("default");
    let w_ns = w
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_text)
        .unwrap_or("default");
    let pod_sa = pod_spec
        .get("serviceAccountName")
        .or_else(|| pod_spec.get("serviceAccount"))
        .and_then(Node::as_text)
        .filter(|s| !s.is_empty())
        .unwrap_or("default");
    if pod_sa != sa_name {
        return Err(fail("IRSA202", format!("the {kind} runs as ServiceAccount `{pod_sa}`, not `{sa_name}`; the webhook uses the pod's own ServiceAccount"), pod_spec.get("serviceAccountName").or(Some(pod_spec)), w_file));
    }
    if w_ns != sa_ns {
        return Err(fail("IRSA303", format!("the {kind} is in namespace `{w_ns}` but ServiceAccount `{sa_name}` is in `{sa_ns}`"), w.get("metadata"), w_file));
    }

    let role_arn = annotation(sa_meta, kube::ROLE_ARN);
    if !options.pod_identity {
        match role_arn {
            None => {
                return Err(fail("IRSA101", format!("ServiceAccount `{sa_ns}/{sa_name}` has no eks.amazonaws.com/role-arn: the webhook leaves the pod unchanged"), sa_meta, sa_file));
            }
            Some(arn) => {
                if let Some(p) = aws::role_arn_problem(arn.trim()) {
                    return Err(fail(
                        "IRSA102",
                        format!("role-arn `{arn}` is malformed: {p}"),
                        sa_meta,
                        sa_file,
                    ));
                }
            }
        }
    }
    let parse_exp = |s: Option<&str>| s.and_then(|t| t.trim().parse::<u64>().ok());
    let expiration = parse_exp(annotation(pod_meta, kube::TOKEN_EXPIRATION))
        .or_else(|| parse_exp(annotation(sa_meta, kube::TOKEN_EXPIRATION)))
        .unwrap_or_else(|| {
            u64::from(
                options
                    .token_expiration
                    .unwrap_or(kube::DEFAULT_TOKEN_EXPIRATION),
            )
        })
        .max(u64::from(kube::MIN_TOKEN_EXPIRATION));
    let audience = annotation(sa_meta, kube::AUDIENCE)
        .map(str::to_string)
        .or_else(|| options.audience.clone())
        .unwrap_or_else(|| kube::DEFAULT_AUDIENCE.to_string());
    let regional = match annotation(sa_meta, kube::STS_REGIONAL_ENDPOINTS) {
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        _ => options.sts_regional_endpoints,
    };
    let skip: Vec<&str> = annotation(pod_meta, kube::SKIP_CONTAINERS)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let windows = pod_spec
        .get("nodeSelector")
        .and_then(|n| n.get("kubernetes.io/os"))
        .and_then(Node::as_text)
        == Some("windows");

    let mut document = w.to_json();
    let mut spec_path: Vec<&str> = template.clone();
    spec_path.push("spec");
    let Some(spec) = pointer_mut(&mut document, &spec_path) else {
        return Err(fail(
            "IRSA403",
            "the pod spec is not an object",
            Some(pod_spec),
            w_file,
        ));
    };
    let plan = Plan {
        role_arn: role_arn.unwrap_or("").trim().to_string(),
        token_file: if windows {
            WINDOWS_TOKEN_FILE
        } else {
            TOKEN_FILE
        },
        regional,
        region: options.region.clone().filter(|r| !r.is_empty()),
        skip,
        pod_identity: options.pod_identity,
    };
    for list in ["initContainers", "containers"] {
        if let Some(Json::Array(cs)) = spec.get_mut(list) {
            for c in cs.iter_mut() {
                plan.container(c);
            }
        }
    }
    let (volume, source) = if options.pod_identity {
        (
            POD_IDENTITY_VOLUME,
            json!({"serviceAccountToken": {"audience": crate::generate::POD_IDENTITY_PRINCIPAL, "expirationSeconds": 86400, "path": POD_IDENTITY_VOLUME}}),
        )
    } else {
        (
            TOKEN_VOLUME,
            json!({"serviceAccountToken": {"audience": audience, "expirationSeconds": expiration, "path": "token"}}),
        )
    };
    with_array(spec, "volumes", |volumes| {
        if !volumes
            .iter()
            .any(|v| v.get("name").and_then(Json::as_str) == Some(volume))
        {
            volumes.push(json!({"name": volume, "projected": {"sources": [source]}}));
        }
    });
    let text = if workload_text.trim_start().starts_with('{') {
        serde_json::to_string_pretty(&document)
            .map(|s| s + "\n")
            .map_err(|e| fail("IRSA403", e.to_string(), None, w_file))?
    } else {
        crate::yaml::to_string(&document)
    };
    Ok(Injected { text, document })
}

struct Plan<'a> {
    role_arn: String,
    token_file: &'static str,
    regional: bool,
    region: Option<String>,
    skip: Vec<&'a str>,
    pod_identity: bool,
}

impl Plan<'_> {
    fn container(&self, c: &mut Json) {
        let name = c.get("name").and_then(Json::as_str).unwrap_or("");
        if self.skip.contains(&name) {
            return;
        }
        let Some(obj) = c.as_object_mut() else { return };
        let has = |env: &Vec<Json>, n: &str| {
            env.iter()
                .any(|e| e.get("name").and_then(Json::as_str) == Some(n))
        };
        let var = |n: &str, v: &str| json!({"name": n, "value": v});
        let (volume, dir) = if self.pod_identity {
            (POD_IDENTITY_VOLUME, POD_IDENTITY_DIR)
        } else {
            (TOKEN_VOLUME, TOKEN_DIR)
        };
        with_array(obj, "env", |env| {
            if self.pod_identity {
                if !has(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")
                    && !has(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
                {
                    env.push(var("AWS_CONTAINER_CREDENTIALS_FULL_URI", POD_IDENTITY_URI));
                    env.push(var(
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                        &format!("{POD_IDENTITY_DIR}/{POD_IDENTITY_VOLUME}"),
                    ));
                }
            } else {
                if self.regional && !has(env, "AWS_STS_REGIONAL_ENDPOINTS") {
                    env.push(var("AWS_STS_REGIONAL_ENDPOINTS", "regional"));
                }
                if let Some(r) = &self.region {
                    if !has(env, "AWS_REGION") && !has(env, "AWS_DEFAULT_REGION") {
                        env.push(var("AWS_DEFAULT_REGION", r));
                        env.push(var("AWS_REGION", r));
                    }
                }
                if !has(env, "AWS_ROLE_ARN") && !has(env, "AWS_WEB_IDENTITY_TOKEN_FILE") {
                    env.push(var("AWS_ROLE_ARN", &self.role_arn));
                    env.push(var("AWS_WEB_IDENTITY_TOKEN_FILE", self.token_file));
                }
            }
        });
        with_array(obj, "volumeMounts", |mounts| {
            if !mounts.iter().any(|m| {
                m.get("name").and_then(Json::as_str) == Some(volume)
                    || m.get("mountPath").and_then(Json::as_str) == Some(dir)
            }) {
                mounts.push(json!({"name": volume, "readOnly": true, "mountPath": dir}));
            }
        });
    }
}

/// Runs `f` on the array at `key`, created (or replaced, when it is not an array) as needed.
fn with_array<R>(
    obj: &mut Map<String, Json>,
    key: &str,
    f: impl FnOnce(&mut Vec<Json>) -> R,
) -> Option<R> {
    let slot = obj
        .entry(key.to_string())
        .or_insert_with(|| Json::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Json::Array(Vec::new());
    }
    match slot {
        Json::Array(a) => Some(f(a)),
        _ => None,
    }
}

fn pointer_mut<'a>(doc: &'a mut Json, path: &[&str]) -> Option<&'a mut Map<String, Json>> {
    let mut cur = doc;
    for k in path {
        cur = cur.get_mut(*k)?;
    }
    cur.as_object_mut()
}
