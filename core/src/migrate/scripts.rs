//! The commands of each phase, written through `formats::shell` (every word
//! quoted, documents in quoted here-documents or single-quoted variables):
//! one building block per function, `plan.rs` puts them in order.

use crate::artefact::RenderError;
use crate::documents::Documents;
use crate::formats::shell::{quote, words, Script};
use crate::model::{Binding, ValidSpec};
use crate::policy::PolicyDocument;

use super::workloads::Workload;

/// The EKS add-on that runs the Pod Identity Agent.
pub const AGENT_ADDON: &str = "eks-pod-identity-agent";

/// The file name of a phase's scripts.
pub const APPLY: &str = "apply.sh";
/// The file name of a phase's rollback.
pub const ROLLBACK: &str = "rollback.sh";

fn render_error(e: impl std::fmt::Display) -> RenderError {
    RenderError::new("migrate", e.to_string())
}

/// Documents as one YAML stream, written by core's YAML writer.
pub fn yaml_text<T: serde::Serialize>(docs: &[T]) -> Result<String, RenderError> {
    let mut text = String::new();
    for (i, doc) in docs.iter().enumerate() {
        let value = serde_json::to_value(doc).map_err(render_error)?;
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&crate::yaml::to_string(&value));
    }
    Ok(text)
}

/// A new phase script with its header.
pub fn script(lines: &[&str]) -> Script {
    let mut s = Script::new(lines);
    s.raw("export AWS_PAGER=\"\"");
    s
}

/// Installs the Pod Identity Agent add-on when the cluster does not have it, and waits for it.
pub fn install_agent(s: &mut Script, spec: &ValidSpec, cluster: &str) {
    let region = spec.region.as_str();
    let base = [
        "--cluster-name",
        cluster,
        "--addon-name",
        AGENT_ADDON,
        "--region",
        region,
    ];
    let cmd = |verb: &'static str| [&["aws", "eks", verb][..], &base[..]].concat();
    s.command_in("if !", &cmd("describe-addon"), ">/dev/null 2>&1; then");
    s.push();
    s.command(&cmd("create-addon"));
    s.command(&[&["aws", "eks", "wait", "addon-active"][..], &base[..]].concat());
    s.pop();
    s.raw("fi");
}

/// Creates the cluster's IAM OIDC provider when it is missing (going back to IRSA).
pub fn ensure_provider(s: &mut Script, spec: &ValidSpec) {
    let Some(issuer) = spec.issuers.first() else {
        return;
    };
    let arn = issuer.provider_arn(spec.partition, &spec.account_id);
    s.command_in(
        "if !",
        &[
            "aws",
            "iam",
            "get-open-id-connect-provider",
            "--open-id-connect-provider-arn",
            &arn,
        ],
        ">/dev/null 2>&1; then",
    );
    s.push();
    s.command(&[
        "aws",
        "iam",
        "create-open-id-connect-provider",
        "--url",
        &issuer.url(),
        "--client-id-list",
        &spec.audience,
    ]);
    s.pop();
    s.raw("fi");
}

/// Replaces a role's trust policy.
pub fn set_trust(s: &mut Script, role: &str, trust: &PolicyDocument) -> Result<(), RenderError> {
    let text = serde_json::to_string_pretty(trust).map_err(render_error)?;
    s.assign("trust_policy", &text);
    s.command_in(
        "",
        &[
            "aws",
            "iam",
            "update-assume-role-policy",
            "--role-name",
            role,
            "--policy-document",
        ],
        "\"$trust_policy\"",
    );
    Ok(())
}

/// Writes the IRSA annotations onto each ServiceAccount (kept if they are there).
pub fn annotate(s: &mut Script, b: &Binding, d: &Documents) {
    for sa in b.named_service_accounts() {
        let pairs: Vec<String> = d
            .annotations
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut args = vec![
            "kubectl",
            "annotate",
            "serviceaccount",
            sa,
            "-n",
            &b.namespace,
        ];
        args.extend(pairs.iter().map(String::as_str));
        args.push("--overwrite");
        s.command(&args);
    }
}

/// Removes the IRSA annotations the spec gives from each ServiceAccount (`KEY-`).
pub fn unannotate(s: &mut Script, b: &Binding, d: &Documents) {
    let removals: Vec<String> = d.annotations.keys().map(|k| format!("{k}-")).collect();
    for sa in b.named_service_accounts() {
        let mut args = vec![
            "kubectl",
            "annotate",
            "serviceaccount",
            sa,
            "-n",
            &b.namespace,
        ];
        args.extend(removals.iter().map(String::as_str));
        s.command(&args);
    }
}

/// `existing=$(...)`: the association ID of one ServiceAccount, or `None`.
fn find_association(s: &mut Script, spec: &ValidSpec, cluster: &str, ns: &str, sa: &str) {
    s.raw(&format!(
        "existing=$({} --query 'associations[0].associationId' --output text)",
        words(&[
            "aws",
            "eks",
            "list-pod-identity-associations",
            "--cluster-name",
            cluster,
            "--region",
            &spec.region,
            "--namespace",
            ns,
            "--service-account",
            sa
        ])
    ));
}

/// Creates each ServiceAccount's association (session tags on), or points
/// an existing one at the role: as setup.sh and pod-identity.sh do.
pub fn create_associations(s: &mut Script, spec: &ValidSpec, b: &Binding) {
    crate::formats::setup::associations(s, spec, b);
}

/// Deletes each ServiceAccount's association, if it has one.
pub fn delete_associations(s: &mut Script, spec: &ValidSpec, b: &Binding, cluster: &str) {
    for sa in b.named_service_accounts() {
        find_association(s, spec, cluster, &b.namespace, sa);
        s.raw("if [ -n \"$existing\" ] && [ \"$existing\" != None ]; then");
        s.push();
        s.command_in(
            "",
            &[
                "aws",
                "eks",
                "delete-pod-identity-association",
                "--cluster-name",
                cluster,
                "--region",
                &spec.region,
                "--association-id",
            ],
            "\"$existing\"",
        );
        s.pop();
        s.raw("fi");
    }
}

/// Restarts the workloads that run as the binding's ServiceAccounts and waits
/// for each: the webhook decides a pod's credentials when it is created.
pub fn restart(s: &mut Script, b: &Binding, workloads: &[&Workload]) {
    let mut targets: Vec<(String, String)> = Vec::new();
    if let Some(w) = &b.workload {
        targets.push((format!("deployment/{}", w.name), b.namespace.clone()));
    }
    for w in workloads
        .iter()
        .filter(|w| w.kind != super::workloads::SERVICE_ACCOUNT)
    {
        match w.restart_target() {
            Some(t) if !targets.contains(&(t.clone(), w.namespace.clone())) => {
                targets.push((t, w.namespace.clone()))
            }
            Some(_) => {}
            None => s.comment(&format!(
                "{} {}/{} cannot be restarted by kubectl: recreate its pods",
                w.kind, w.namespace, w.name
            )),
        }
    }
    if targets.is_empty() {
        s.comment(&format!(
            "No workload of ServiceAccount {} was given: restart the pods that run as it (kubectl rollout restart KIND/NAME -n {}).",
            b.service_accounts.join(", "),
            quote(&b.namespace)
        ));
    }
    for (target, ns) in targets {
        s.command(&["kubectl", "rollout", "restart", &target, "-n", &ns]);
        s.command(&[
            "kubectl",
            "rollout",
            "status",
            &target,
            "-n",
            &ns,
            "--timeout=10m",
        ]);
    }
}

/// Runs the verification pod, prints the identity it got, and fails unless
/// its container got the variable of the expected path (`AWS_CONTAINER_CREDENTIALS_FULL_URI`
/// for Pod Identity, `AWS_WEB_IDENTITY_TOKEN_FILE` for IRSA).
pub fn verify(
    s: &mut Script,
    b: &Binding,
    d: &Documents,
    pod_identity: bool,
) -> Result<(), RenderError> {
    let Some(pod) = &d.verify_pod else {
        s.comment("No verification pod: the binding has no plain ServiceAccount name.");
        return Ok(());
    };
    let name = pod.metadata.name.as_str();
    let ns = b.namespace.as_str();
    let pod_ref = format!("pod/{name}");
    let yaml = yaml_text(std::slice::from_ref(pod))?;
    s.command(&[
        "kubectl",
        "delete",
        "pod",
        name,
        "-n",
        ns,
        "--ignore-not-found",
    ]);
    s.heredoc(&["kubectl", "apply", "-f", "-"], &yaml);
    s.command(&[
        "kubectl",
        "wait",
        &pod_ref,
        "-n",
        ns,
        "--for=jsonpath={.status.phase}=Succeeded",
        "--timeout=180s",
    ]);
    s.command(&["kubectl", "logs", &pod_ref, "-n", ns]);
    let variable = if pod_identity {
        "AWS_CONTAINER_CREDENTIALS_FULL_URI"
    } else {
        "AWS_WEB_IDENTITY_TOKEN_FILE"
    };
    s.command_in(
        "",
        &["kubectl", "get", &pod_ref, "-n", ns, "-o", "jsonpath={.spec.containers[0].env[*].name}"],
        &format!("| tr ' ' '\\n' | grep -qx {variable} || {{ echo 'the verification pod did not get {variable}' >&2; exit 1; }}"),
    );
    Ok(())
}
