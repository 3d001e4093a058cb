//! The workloads given beside the spec (manifests or `kubectl get -o yaml`
//! dumps), read through core's located reader: which ServiceAccount each
//! runs as, what restarts it, and what keeps it from Pod Identity (Fargate,
//! Windows, hostNetwork); ServiceAccounts too, for the names a pattern stands for.

use crate::source::{self, Limits, Node, Scalar, Value};

/// One workload, as far as the migration cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// The file it was read from.
    pub file: String,
    /// 1-based line of the document's `kind`.
    pub line: u32,
    /// `Deployment`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob` or `Pod`.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its namespace (`default` when the manifest names none).
    pub namespace: String,
    /// The ServiceAccount its pods run as (`default` when none is named).
    pub service_account: String,
    /// `hostNetwork: true`.
    pub host_network: bool,
    /// Scheduled on Fargate (`schedulerName: fargate-scheduler`, or the
    /// `eks.amazonaws.com/fargate-profile` label EKS sets on Fargate pods).
    pub fargate: bool,
    /// Its node selector asks for Windows nodes.
    pub windows: bool,
}

impl Workload {
    /// What `kubectl rollout restart` takes (`deployment/NAME`); None for
    /// kinds it cannot restart (a bare Pod, a Job, a CronJob's next run).
    pub fn restart_target(&self) -> Option<String> {
        let kind = match self.kind.as_str() {
            "Deployment" => "deployment",
            "StatefulSet" => "statefulset",
            "DaemonSet" => "daemonset",
            _ => return None,
        };
        Some(format!("{kind}/{}", self.name))
    }
}

/// The pod template's spec and metadata of a document of `kind`.
fn pod_parts<'n>(kind: &str, root: &'n Node) -> Option<(Option<&'n Node>, &'n Node)> {
    let spec = root.get("spec")?;
    let template = match kind {
        "Pod" => return Some((root.get("metadata"), spec)),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            spec.get("template")?
        }
        "CronJob" => spec.get("jobTemplate")?.get("spec")?.get("template")?,
        _ => return None,
    };
    Some((template.get("metadata"), template.get("spec")?))
}

fn text<'n>(node: Option<&'n Node>, key: &str) -> Option<&'n str> {
    node?.get(key)?.as_text()
}

/// The kind of the records that are ServiceAccounts, read for the names a
/// pattern stands for (nothing runs as them, nothing restarts).
pub const SERVICE_ACCOUNT: &str = "ServiceAccount";

fn service_account(file: &str, root: &Node) -> Option<Workload> {
    let meta = root.get("metadata");
    Some(Workload {
        file: file.to_string(),
        line: root.get("kind").map_or(1, |k| k.span.line),
        kind: SERVICE_ACCOUNT.to_string(),
        name: text(meta, "name")?.to_string(),
        namespace: text(meta, "namespace").unwrap_or("default").to_string(),
        service_account: text(meta, "name")?.to_string(),
        host_network: false,
        fargate: false,
        windows: false,
    })
}

fn workload(file: &str, root: &Node) -> Option<Workload> {
    let kind = text(Some(root), "kind")?;
    if kind == SERVICE_ACCOUNT {
        return service_account(file, root);
    }
    let (meta, pod) = pod_parts(kind, root)?;
    let root_meta = root.get("metadata");
    let labels = meta.and_then(|m| m.get("labels"));
    let selector = pod.get("nodeSelector");
    Some(Workload {
        file: file.to_string(),
        line: root.get("kind").map_or(1, |k| k.span.line),
        kind: kind.to_string(),
        name: text(root_meta, "name").unwrap_or_default().to_string(),
        namespace: text(root_meta, "namespace")
            .unwrap_or("default")
            .to_string(),
        service_account: text(Some(pod), "serviceAccountName")
            .or_else(|| text(Some(pod), "serviceAccount"))
            .unwrap_or("default")
            .to_string(),
        host_network: pod.get("hostNetwork").is_some_and(is_true),
        fargate: text(Some(pod), "schedulerName") == Some("fargate-scheduler")
            || text(labels, "eks.amazonaws.com/fargate-profile").is_some(),
        windows: text(selector, "kubernetes.io/os") == Some("windows")
            || text(selector, "beta.kubernetes.io/os") == Some("windows"),
    })
}

/// The workloads of a file (`kind: List` dumps included). A file that is not
/// YAML or JSON is an error naming it.
pub fn read(file: &str, text: &str) -> Result<Vec<Workload>, String> {
    let docs = source::parse_documents(text, &Limits::default())
        .map_err(|e| format!("{file}: not YAML or JSON: {e}"))?;
    let mut out = Vec::new();
    for doc in &docs {
        let items = match (text_of(&doc.root, "kind"), doc.root.get("items")) {
            (Some("List"), Some(items)) => items.as_seq().unwrap_or_default().iter().collect(),
            _ => vec![&doc.root],
        };
        out.extend(items.into_iter().filter_map(|n| workload(file, n)));
    }
    Ok(out)
}

fn text_of<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key)?.as_text()
}

/// `true` as Kubernetes reads YAML (`yes` and `on` included).
fn is_true(node: &Node) -> bool {
    matches!(
        node.value,
        Value::Scalar {
            value: Scalar::Bool(true),
            ..
        }
    )
}
