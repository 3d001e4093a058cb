//! Pod Identity with a target role (`targetRoleArn`) -> IRSA, the mirror of
//! `chain.rs` (`migrate --trust TARGET --source-trust SOURCE --to irsa
//! --target-role-arn ARN`): the target role's trust regains an OIDC
//! statement for each ServiceAccount the source role's Pod Identity
//! statements of this cluster name. STS looks a token's provider up in the
//! role's own account, so that statement names the provider of the
//! cluster's issuer in the target's account, which phase 1 creates when it
//! is missing (MIG037). Phase 1 also writes the annotation (the target
//! role); phase 2 deletes the associations, last; phase 3 changes no
//! trust: the source role and the target's statement admitting it are left
//! for the user to delete once no association names the source role
//! (other clusters' may).

use serde_json::Value;

use crate::diagnostic::{has_errors, Diagnostic};
use crate::kube;

use super::chain::{file, Chain, ChainRequest, CLUSTER_PROFILE, TARGET_PROFILE};
use super::codes::diagnostic;
use super::direction::Direction;
use super::phases::{edit_statements, host_path, read, text};
use super::plan::{Phase, Plan};
use super::scripts::{self as sh, APPLY, ROLLBACK};
use super::to_irsa_trust::{reading, texts};

/// The roles of the cluster's account the target trust admits (`{"AWS": ...}` of Allow statements).
fn admitted_roles(list: &[Value], partition: &str, account: &str) -> Vec<String> {
    let prefix = format!("arn:{partition}:iam::{account}:role/");
    let mut out: Vec<String> = list
        .iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter_map(|s| s.pointer("/Principal/AWS"))
        .flat_map(texts)
        .filter_map(|arn| {
            arn.strip_prefix(&prefix)
                .map(|path| path.rsplit('/').next().unwrap_or_default().to_string())
        })
        .collect();
    out.dedup();
    out
}

fn statements(doc: &serde_json::Map<String, Value>) -> Vec<Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// The ServiceAccounts as `namespace -> names`, from `sub` values.
fn by_namespace(subjects: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (ns, sa) in subjects.iter().filter_map(|s| kube::parse_subject(s)) {
        match out.iter_mut().find(|(n, _)| n == ns) {
            Some((_, sas)) => sas.push(sa.to_string()),
            None => out.push((ns.to_string(), vec![sa.to_string()])),
        }
    }
    out
}

/// The source role of the chain: the one given, which the target trust must
/// admit, or the only role of the cluster's account it admits.
fn source_role(
    list: &[Value],
    req: &ChainRequest<'_>,
    chain: &Chain,
) -> Result<String, Vec<Diagnostic>> {
    let admitted = admitted_roles(list, &chain.partition, &chain.cluster_account);
    match (req.source_role_name, admitted.as_slice()) {
        (Some(name), _) if admitted.iter().any(|a| a == name) => Ok(name.to_string()),
        (None, [one]) => Ok(one.clone()),
        (_, []) => Err(vec![diagnostic("MIG035", format!(
            "the target trust admits no role of the cluster's account {}: no association of this cluster reaches it by role chaining",
            chain.cluster_account
        ))]),
        (given, _) => Err(vec![diagnostic("MIG035", format!(
            "the target trust admits {} role(s) of the cluster's account {} ({}){}: the chain's source role must be one of them",
            admitted.len(),
            chain.cluster_account,
            admitted.join(", "),
            given.map_or_else(|| "; name it with --source-role-name".to_string(), |g| format!(", not `{g}`")),
        ))]),
    }
}

/// The way back for a target role (`target_text`, its trust) reached from
/// the source role whose trust is `source_text`. Blocked on any error.
pub fn plan_chained_back(target_text: &str, source_text: &str, req: &ChainRequest<'_>) -> Plan {
    let blocked = |diagnostics| Plan {
        direction: Direction::ToIrsa,
        diagnostics,
        phases: Vec::new(),
    };
    let chain = match Chain::read(req, None) {
        Ok(c) => c,
        Err(d) => return blocked(d),
    };
    let ((_, mut doc), (_, source_doc)) = match (read(target_text), read(source_text)) {
        (Ok(t), Ok(s)) => (t, s),
        (Err(d), _) | (_, Err(d)) => return blocked(d),
    };
    let list = statements(&doc);
    let source_name = match source_role(&list, req, &chain) {
        Ok(n) => n,
        Err(d) => return blocked(d),
    };
    let chain = Chain {
        source_arn: format!(
            "arn:{}:iam::{}:role/{source_name}",
            chain.partition, chain.cluster_account
        ),
        source_name,
        ..chain
    };
    let hp = host_path(req.issuer);
    let provider = format!(
        "arn:{}:iam::{}:oidc-provider/{hp}",
        chain.partition, chain.target_account
    );
    let r = reading(&statements(&source_doc), req.cluster_arn, &provider, hp);
    let mut diagnostics = r.diagnostics;
    if has_errors(&diagnostics) {
        return blocked(diagnostics);
    }
    let start = text(&doc);
    let additions: Vec<Value> = r
        .additions
        .into_iter()
        .filter(|a| !list.contains(a))
        .collect();
    edit_statements(&mut doc, |l| l.extend(additions));
    let (start, both) = match (start, text(&doc)) {
        (Ok(s), Ok(b)) => (s, b),
        (Err(d), _) | (_, Err(d)) => return blocked(d),
    };
    diagnostics.push(diagnostic("MIG037", format!(
        "the target role `{}` is in account {}: its OIDC statement names that account's provider `{provider}`, which phase 1 creates if it is missing; the source role `{}` and the target's statement admitting it are left for you to delete once no association names it",
        chain.target_arn, chain.target_account, chain.source_arn
    )));
    let subjects = by_namespace(&r.subjects);
    Plan {
        direction: Direction::ToIrsa,
        diagnostics,
        phases: phases(&chain, req, &provider, &start, &both, &subjects),
    }
}

fn phases(
    c: &Chain,
    req: &ChainRequest<'_>,
    provider: &str,
    start: &str,
    both: &str,
    subjects: &[(String, Vec<String>)],
) -> Vec<Phase> {
    let header = |what: &str| {
        format!(
            "{what} on cluster {} (generated by irsa-gen migrate).",
            c.cluster
        )
    };
    let mut apply = sh::script(&[&header("Phase 1: the target role trusts this cluster's IRSA again, the annotations written"), "Pods keep their credentials: the associations still take precedence. Rerunning it is safe."]);
    c.profiles(&mut apply);
    apply.blank();
    apply.comment(&format!("The IAM OIDC provider of the cluster's issuer in the target role's account {} (created only if missing)", c.target_account));
    apply.raw(&format!(
        "if ! AWS_PROFILE=\"${TARGET_PROFILE}\" {} >/dev/null 2>&1; then",
        crate::formats::shell::words(&[
            "aws",
            "iam",
            "get-open-id-connect-provider",
            "--open-id-connect-provider-arn",
            provider
        ])
    ));
    apply.push();
    let url = format!("https://{}", host_path(req.issuer));
    Chain::aws(
        &mut apply,
        TARGET_PROFILE,
        &[
            "iam",
            "create-open-id-connect-provider",
            "--url",
            &url,
            "--client-id-list",
            "sts.amazonaws.com",
        ],
        "",
    );
    apply.pop();
    apply.raw("fi");
    c.set_target_trust(&mut apply, both);
    c.annotate(&mut apply, subjects, true);
    let mut undo = sh::script(&[&header(
        "Undo phase 1: the target role's trust as it was, the annotations removed",
    )]);
    c.profiles(&mut undo);
    undo.blank();
    undo.comment("The OIDC provider is kept: delete it only if no role of the account uses it (aws iam delete-open-id-connect-provider).");
    c.set_target_trust(&mut undo, start);
    c.annotate(&mut undo, subjects, false);
    let one = Phase {
        number: 1,
        title:
            "the target role trusts IRSA too, the annotations written (nothing pods use changes)"
                .into(),
        files: vec![
            file(1, APPLY, apply.finish()),
            file(1, ROLLBACK, undo.finish()),
            file(1, "trust.json", both.to_string()),
        ],
    };
    let mut apply = sh::script(&[&header(
        "Phase 2: the associations are deleted (last), the workloads restarted",
    )]);
    c.profiles(&mut apply);
    apply.blank();
    c.delete_associations(&mut apply, subjects);
    Chain::restart(&mut apply, subjects);
    let mut undo = sh::script(&[&header(
        "Undo phase 2: the associations with the target role again, the workloads restarted",
    )]);
    c.profiles(&mut undo);
    undo.blank();
    c.create_associations(&mut undo, subjects);
    Chain::restart(&mut undo, subjects);
    let two = Phase {
        number: 2,
        title: "pods switch: the associations deleted, workloads restarted".into(),
        files: vec![
            file(2, APPLY, apply.finish()),
            file(2, ROLLBACK, undo.finish()),
        ],
    };
    let mut apply = sh::script(&[
        &header("Phase 3: nothing of the chain is deleted for you"),
        "The pods use IRSA; the target role's trust stays as phase 1 made it.",
    ]);
    apply.comment(&format!("Left for you: the source role {} (account {}) and the target trust's statement admitting it.", c.source_arn, c.cluster_account));
    apply.comment(&format!("Delete them once `aws eks list-pod-identity-associations` shows no association naming {} in any cluster (AWS_PROFILE=\"${CLUSTER_PROFILE}\").", c.source_name));
    let mut undo = sh::script(&[&header("Undo phase 3: nothing to undo")]);
    undo.comment("Phase 3 changed nothing.");
    let three = Phase {
        number: 3,
        title: "the pods on IRSA; the source role left for you to delete".into(),
        files: vec![
            file(3, APPLY, apply.finish()),
            file(3, ROLLBACK, undo.finish()),
            file(3, "trust.json", both.to_string()),
        ],
    };
    vec![one, two, three]
}
