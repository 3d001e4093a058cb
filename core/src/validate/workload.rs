//! A binding's `workload`: the Deployment irsa-gen writes for it, with names
//! Kubernetes accepts, an image reference and a replica count (SPEC050).

use crate::kube;
use crate::source::FieldPath;
use crate::spec::WorkloadSpec;

use super::report::Report;
use super::Workload;

/// The Deployment (SPEC050; SPEC004 for a missing image), names defaulted from the service account.
pub(super) fn check_workload(
    r: &mut Report,
    p: &FieldPath,
    w: &WorkloadSpec,
    service_account: &str,
) -> Option<Workload> {
    let name = w
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(service_account)
        .to_string();
    let mut ok = true;
    if let Some(problem) = kube::label_problem(&name) {
        r.error(
            "SPEC050",
            &p.key("name"),
            format!("workload name `{name}` {problem}"),
            "a Deployment name must be a DNS-1123 label (it also names its pods)",
        );
        ok = false;
    }
    let image = w
        .image
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if image.is_empty() {
        r.error(
            "SPEC004",
            &p.key("image"),
            "workload image is missing",
            "set the container image, e.g. 111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1.0",
        );
        ok = false;
    } else if image.chars().any(|c| c.is_whitespace() || c.is_control()) || image.len() > 1024 {
        r.error(
            "SPEC050",
            &p.key("image"),
            format!(
                "image `{}` contains whitespace or control characters",
                image.escape_default()
            ),
            "an image reference is one word: registry/repository:tag or @sha256:digest",
        );
        ok = false;
    }
    let container = w
        .container
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("app")
        .to_string();
    if let Some(problem) = kube::label_problem(&container) {
        r.error(
            "SPEC050",
            &p.key("container"),
            format!("container name `{container}` {problem}"),
            "a container name is a DNS-1123 label",
        );
        ok = false;
    }
    let replicas = match w.replicas.as_deref().map(str::trim) {
        None => 1,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if n <= 10_000 => n,
            _ => {
                r.error(
                    "SPEC050",
                    &p.key("replicas"),
                    format!("replicas `{s}` must be a whole number from 0 to 10000"),
                    "write e.g. replicas: 2",
                );
                ok = false;
                1
            }
        },
    };
    ok.then_some(Workload {
        name,
        image,
        container,
        replicas,
    })
}
