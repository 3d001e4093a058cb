//! A Pod as `kubectl get pods -o yaml|json` shows it, with its `status`: the
//! one kind of object whose env says what the webhook did when the pod was
//! created. A manifest (no `status`) says nothing of that and is not read here.

use super::facts::LivePod;
use crate::check::found::Found;
use crate::kube;
use crate::source::Node;

/// The env variable the webhook injects for IRSA.
const ROLE_ARN_ENV: &str = "AWS_ROLE_ARN";
/// The env variable the webhook injects for Pod Identity.
const CONTAINER_CREDENTIALS_ENV: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

fn env_value<'n>(container: &'n Node, name: &str) -> Option<Option<&'n str>> {
    container
        .get("env")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .find(|e| e.get("name").and_then(Node::as_text) == Some(name))
        .map(|e| e.get("value").and_then(Node::as_text))
}

/// Records a Pod whose `status.phase` is `Running`.
pub(in crate::check) fn read<'a>(
    file: &'a str,
    root: &Node,
    namespace: &str,
    name: &str,
    found: &mut Found<'a>,
) {
    let running = root
        .get("status")
        .and_then(|s| s.get("phase"))
        .and_then(Node::as_text)
        == Some("Running");
    let Some(spec) = root.get("spec").filter(|_| running) else {
        return;
    };
    let skipped: Vec<&str> = root
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(kube::SKIP_CONTAINERS))
        .and_then(Node::as_text)
        .map(|s| s.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let containers = spec.get("containers").and_then(Node::as_seq).unwrap_or(&[]);
    let mut pod = LivePod {
        file,
        span: root
            .get("metadata")
            .and_then(|m| m.get("name"))
            .map_or(root.span, |n| n.span),
        namespace: namespace.to_string(),
        name: name.to_string(),
        service_account: spec
            .get("serviceAccountName")
            .and_then(Node::as_text)
            .unwrap_or("default")
            .to_string(),
        without_role: Vec::new(),
        role_arns: Vec::new(),
        pod_identity: false,
    };
    for c in containers {
        let cname = c.get("name").and_then(Node::as_text).unwrap_or_default();
        pod.pod_identity |= env_value(c, CONTAINER_CREDENTIALS_ENV).is_some();
        match env_value(c, ROLE_ARN_ENV) {
            Some(v) => pod.role_arns.extend(v.map(str::to_string)),
            None if !skipped.contains(&cname) => pod.without_role.push(cname.to_string()),
            None => {}
        }
    }
    found.live.pods.push(pod);
}
