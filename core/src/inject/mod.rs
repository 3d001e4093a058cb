//! The pod preview: what the amazon-eks-pod-identity-webhook (the admission
//! controller EKS runs) does to a Pod, or to the pods of a workload's
//! template, for its ServiceAccount: IRSA (the role-arn annotation) or EKS
//! Pod Identity (an association, the webhook's container credentials mode).
//! `tests/fixtures/inject/EQUIVALENCE.md` lists the webhook's behaviours and
//! the fixture that pins each one.

mod container;
mod go;
mod options;
mod settings;

use serde::Serialize;
use serde_json::{json, Map, Value as Json};

pub use container::{AGENT_VARS, REGION_VARS, ROLE_VARS, STS_VAR};
pub use options::*;
pub use settings::{Credentials, Settings};

use crate::diagnostic::Diagnostic;
use crate::rules::diagnostic;
use crate::source::{self, Limits, Node};
use container::Outcome;
use settings::Annotations;

/// The admitted workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Injected {
    /// The document as EKS admits it, in the workload's input format (JSON or YAML).
    pub text: String,
    /// The same document.
    pub document: Json,
    /// What the webhook reads differently, leaves alone, or what the API server would refuse.
    pub findings: Vec<Diagnostic>,
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

/// Kinds with pods: a Pod, or a workload with a pod template.
fn is_workload(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "Job"
            | "CronJob"
            | "ReplicationController"
    )
}

/// Where the pod template of `kind` is (empty for a Pod).
fn template_path(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &[],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
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
    let sa = service_account(&sa_docs)?;
    let w_docs = parse(workload_text, &limits, w_file)?;
    let Some(w) = w_docs.iter().find_map(|d| find(&d.root, &is_workload)) else {
        return Err(fail(
            "IRSA403",
            "no Pod or workload with a pod template in the workload input",
            None,
            w_file,
        ));
    };
    let kind = w.get("kind").and_then(Node::as_str).unwrap_or("Pod");
    let template = template_path(kind);
    let mut tnode = Some(w);
    for k in template {
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
    same_identity(sa, w, pod_spec, kind)?;

    let containers: Vec<(&str, &Node)> = ["initContainers", "containers"]
        .iter()
        .filter_map(|l| pod_spec.get(l).and_then(Node::as_seq))
        .flatten()
        .map(|c| (c.get("name").and_then(Node::as_text).unwrap_or(""), c))
        .collect();
    let names: Vec<&str> = containers.iter().map(|(n, _)| *n).collect();
    let mut findings = Vec::new();
    let sa_annotations = Annotations {
        meta: sa.get("metadata"),
        file: sa_file,
        subject: subject(sa),
    };
    let pod_annotations = Annotations {
        meta: pod_meta,
        file: w_file,
        subject: format!("the {kind}"),
    };
    let settings = settings::resolve(
        &sa_annotations,
        &pod_annotations,
        &names,
        options,
        &mut findings,
    )?;
    let windows = ["beta.kubernetes.io/os", "kubernetes.io/os"]
        .iter()
        .any(|k| {
            pod_spec
                .get("nodeSelector")
                .and_then(|n| n.get(k))
                .and_then(Node::as_text)
                == Some("windows")
        });
    let token_file = token_file(&settings, windows);

    let mut document = w.to_json();
    let spec_path: Vec<&str> = template.iter().copied().chain(["spec"]).collect();
    let Some(spec) = pointer_mut(&mut document, &spec_path) else {
        return Err(fail(
            "IRSA403",
            "the pod spec is not an object",
            Some(pod_spec),
            w_file,
        ));
    };
    if !add_volume(spec, &settings) {
        let node = pod_spec.get("volumes").unwrap_or(pod_spec);
        findings.push(diagnostic("IRSA214", format!("the pod already has a volume named `{}` that is not the webhook's projected token for audience `{}`: the webhook leaves the pod unchanged", settings.volume, settings.audience)).at(node.span).in_file(Some(w_file)));
        return render(document, workload_text, findings);
    }
    let mut index = 0;
    for list in ["initContainers", "containers"] {
        let Some(Json::Array(cs)) = spec.get_mut(list) else {
            continue;
        };
        for c in cs.iter_mut() {
            let (name, node) = containers.get(index).copied().unwrap_or(("", pod_spec));
            index += 1;
            if settings.skip.iter().any(|s| s == name) {
                continue;
            }
            let finding = |code: &str, message: String| {
                diagnostic(code, message)
                    .at(node.span)
                    .in_file(Some(w_file))
            };
            match container::mutate(c, &settings, &token_file) {
                Outcome::Untouched => findings.push(finding("IRSA211", format!("container `{name}` already sets a credential variable, a region variable and AWS_STS_REGIONAL_ENDPOINTS: the webhook leaves it untouched (no token mount)"))),
                Outcome::OwnCredentials => findings.push(finding("IRSA212", format!("container `{name}` sets its own credential variables: the webhook keeps them and adds only the mount and the region and STS variables it lacks"))),
                Outcome::Mutated => {}
            }
            if let Some(path) = container::duplicate_mount_path(c) {
                findings.push(finding("IRSA213", format!("container `{name}` mounts two volumes at `{path}`: the API server refuses the pod (volumeMounts[].mountPath: must be unique)")));
            }
        }
    }
    if matches!(settings.credentials, Credentials::Agent(_)) {
        let meta_path: Vec<&str> = template.iter().copied().chain(["metadata"]).collect();
        label(&mut document, &meta_path);
    }
    render(document, workload_text, findings)
}

/// The first ServiceAccount of the input.
fn service_account(docs: &[source::Document]) -> Result<&Node, Vec<Diagnostic>> {
    docs.iter()
        .find_map(|d| find(&d.root, &|k| k == "ServiceAccount"))
        .ok_or_else(|| {
            fail(
                "IRSA403",
                "no ServiceAccount in the service account input",
                None,
                "serviceaccount",
            )
        })
}

/// "ServiceAccount `namespace/name`".
fn subject(sa: &Node) -> String {
    let meta = sa.get("metadata");
    let ns = text(meta, "namespace").unwrap_or("default");
    format!("ServiceAccount `{ns}/{}`", text(meta, "name").unwrap_or(""))
}

fn text<'a>(meta: Option<&'a Node>, key: &str) -> Option<&'a str> {
    meta.and_then(|m| m.get(key)).and_then(Node::as_text)
}

/// The ServiceAccount must be the pod's own, in its namespace.
fn same_identity(sa: &Node, w: &Node, pod_spec: &Node, kind: &str) -> Result<(), Vec<Diagnostic>> {
    let sa_meta = sa.get("metadata");
    let sa_name = text(sa_meta, "name").unwrap_or("");
    let sa_ns = text(sa_meta, "namespace").unwrap_or("default");
    let w_ns = text(w.get("metadata"), "namespace").unwrap_or("default");
    let pod_sa = pod_spec
        .get("serviceAccountName")
        .or_else(|| pod_spec.get("serviceAccount"))
        .and_then(Node::as_text)
        .filter(|s| !s.is_empty())
        .unwrap_or("default");
    if pod_sa != sa_name {
        return Err(fail("IRSA202", format!("the {kind} runs as ServiceAccount `{pod_sa}`, not `{sa_name}`; the webhook uses the pod's own ServiceAccount"), pod_spec.get("serviceAccountName").or(Some(pod_spec)), "workload"));
    }
    if w_ns != sa_ns {
        return Err(fail("IRSA303", format!("the {kind} is in namespace `{w_ns}` but ServiceAccount `{sa_name}` is in `{sa_ns}`"), w.get("metadata"), "workload"));
    }
    Ok(())
}

/// The token file the env names: under the mount path, or its Windows form
/// (`C:` and backslashes) when a node selector picks Windows.
fn token_file(settings: &Settings, windows: bool) -> String {
    let file = format!(
        "{}/{}",
        settings.mount_path.trim_end_matches('/'),
        settings.token_name
    );
    if windows {
        format!("C:{}", file.replace('/', "\\"))
    } else {
        file
    }
}

/// The projected token volume, first in the list as the webhook's patch
/// (`add /spec/volumes/0`) puts it. False when a volume of that name is
/// there and is not the webhook's own token: then the webhook does nothing.
fn add_volume(spec: &mut Map<String, Json>, settings: &Settings) -> bool {
    let source = json!({"serviceAccountToken": {"audience": settings.audience, "expirationSeconds": settings.expiration, "path": settings.token_name}});
    container::with_array(spec, "volumes", |volumes| {
        match volumes
            .iter()
            .find(|v| v.get("name").and_then(Json::as_str) == Some(&settings.volume))
        {
            Some(v) => is_own_token(v, &settings.audience),
            None => {
                volumes.insert(
                    0,
                    json!({"name": settings.volume, "projected": {"sources": [source]}}),
                );
                true
            }
        }
    })
}

/// A projected volume with a ServiceAccount token for `audience` (a pod the webhook mutated before).
fn is_own_token(volume: &Json, audience: &str) -> bool {
    volume
        .pointer("/projected/sources")
        .and_then(Json::as_array)
        .is_some_and(|s| {
            s.iter().any(|p| {
                p.pointer("/serviceAccountToken/audience")
                    .and_then(Json::as_str)
                    == Some(audience)
            })
        })
}

/// `eks.amazonaws.com/pod-identity: enabled` on the pod's metadata.
fn label(document: &mut Json, meta_path: &[&str]) {
    let mut cur = document;
    for k in meta_path {
        let Some(obj) = cur.as_object_mut() else {
            return;
        };
        cur = obj.entry(k.to_string()).or_insert_with(|| json!({}));
    }
    let Some(meta) = cur.as_object_mut() else {
        return;
    };
    let labels = meta.entry("labels").or_insert_with(|| json!({}));
    if !labels.is_object() {
        *labels = json!({});
    }
    if let Some(l) = labels.as_object_mut() {
        l.insert(POD_IDENTITY_LABEL.into(), json!("enabled"));
    }
}

fn render(
    document: Json,
    workload_text: &str,
    findings: Vec<Diagnostic>,
) -> Result<Injected, Vec<Diagnostic>> {
    let text = if workload_text.trim_start().starts_with('{') {
        serde_json::to_string_pretty(&document)
            .map(|s| s + "\n")
            .map_err(|e| fail("IRSA403", e.to_string(), None, "workload"))?
    } else {
        crate::yaml::to_string(&document)
    };
    Ok(Injected {
        text,
        document,
        findings,
    })
}

/// The env the webhook gives a plain container of a pod that runs as the
/// ServiceAccount (the lab's environment), in the webhook's order.
pub fn container_environment(
    service_account_text: &str,
    options: &InjectOptions,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let limits = options.limits.unwrap_or_default();
    let docs = parse(service_account_text, &limits, "serviceaccount")?;
    let sa = service_account(&docs)?;
    let mut findings = Vec::new();
    let annotations = Annotations {
        meta: sa.get("metadata"),
        file: "serviceaccount",
        subject: subject(sa),
    };
    let none = Annotations {
        meta: None,
        file: "workload",
        subject: "the pod".into(),
    };
    let settings = settings::resolve(&annotations, &none, &[], options, &mut findings)?;
    Ok(container::added_env(&[], &settings, &token_file(&settings, false)).0)
}

fn pointer_mut<'a>(doc: &'a mut Json, path: &[&str]) -> Option<&'a mut Map<String, Json>> {
    let mut cur = doc;
    for k in path {
        cur = cur.get_mut(*k)?;
    }
    cur.as_object_mut()
}
