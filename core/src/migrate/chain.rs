//! IRSA -> Pod Identity for a role in another account than the cluster
//! (`migrate --trust --target-role-arn`): EKS makes an association in the
//! cluster's account, with a role of that account (`roleArn`, the source
//! role, trusted by `pods.eks.amazonaws.com`) and the role of the other
//! account as `targetRoleArn`; EKS Pod Identity assumes the source role,
//! then the target role from it (role chaining), and the pod's SDK gets the
//! target role's credentials. So the plan writes the source role (trust,
//! and a permissions policy allowing `sts:AssumeRole` and `sts:TagSession`
//! on the target), and adds to the target role's trust a statement
//! admitting the source role (the same two actions), beside this cluster's
//! OIDC statement until phase 3, which removes only that statement.
//! (EKS User Guide, "Access AWS Resources using EKS Pod Identity Target IAM
//! Roles"; CreatePodIdentityAssociation `targetRoleArn`.)

use serde_json::{json, Value};

use crate::aws::{self, Arn};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::formats::shell::{opt, quote, words, Script};
use crate::model::MANAGED_TAG;

use super::codes::diagnostic;
use super::direction::Direction;
use super::phases::{
    edit_statements, exact_subjects, host_path, pod_identity_statement, read, remove_cluster_oidc,
    text,
};
use super::plan::{Phase, Plan, PlanFile};
use super::scripts::{self as sh, APPLY, ROLLBACK};

/// What a chained plan needs beside the trust text.
#[derive(Debug, Clone, Copy)]
pub struct ChainRequest<'a> {
    /// The cluster's OIDC issuer URL.
    pub issuer: &'a str,
    /// The cluster's ARN (its account is the source role's).
    pub cluster_arn: &'a str,
    /// The role whose trust is given, in another account.
    pub target_role_arn: &'a str,
    /// The source role's name; derived from the target's when None.
    pub source_role_name: Option<&'a str>,
}

/// The profiles the scripts run the AWS CLI with, one per account.
pub(super) const CLUSTER_PROFILE: &str = "CLUSTER_PROFILE";
pub(super) const TARGET_PROFILE: &str = "TARGET_PROFILE";

/// The two roles and the cluster, read from the request.
pub(super) struct Chain {
    pub partition: String,
    pub region: String,
    pub cluster: String,
    pub cluster_account: String,
    pub target_arn: String,
    pub target_name: String,
    pub target_account: String,
    pub source_name: String,
    pub source_arn: String,
}

/// The source role's name when none is given: the target's, with a suffix
/// that says what it is for, cut to IAM's 64 characters.
pub fn derive_source_role_name(target_name: &str) -> String {
    let mut name = format!("{target_name}-pod-identity");
    name.truncate(64);
    name
}

impl Chain {
    /// The roles of a request; MIG001 for a cluster ARN that is none, MIG035
    /// for a target that is not a role of another account of the partition.
    pub(super) fn read(
        req: &ChainRequest<'_>,
        source: Option<&str>,
    ) -> Result<Chain, Vec<Diagnostic>> {
        let cluster = Arn::parse(req.cluster_arn)
            .filter(|a| a.service == "eks" && a.resource.starts_with("cluster/"))
            .ok_or_else(|| vec![diagnostic("MIG001", format!("`{}` is not an EKS cluster ARN (arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME)", req.cluster_arn))])?;
        let bad = |why: String| vec![diagnostic("MIG035", why)];
        let target = Arn::parse(req.target_role_arn)
            .filter(|a| a.service == "iam" && a.resource.starts_with("role/"))
            .ok_or_else(|| {
                bad(format!(
                    "`{}` is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)",
                    req.target_role_arn
                ))
            })?;
        if target.partition != cluster.partition
            || !aws::is_account_id(target.account)
            || target.account == cluster.account
        {
            return Err(bad(format!("--target-role-arn `{}` must be a role of another account than the cluster's ({}), in its partition ({})", req.target_role_arn, cluster.account, cluster.partition)));
        }
        let target_name = target.resource.rsplit('/').next().unwrap_or_default();
        let source_name =
            source.map_or_else(|| derive_source_role_name(target_name), str::to_string);
        if !aws::is_role_name(&source_name) {
            return Err(bad(format!(
                "`{source_name}` is not an IAM role name (1 to 64 of A-Z a-z 0-9 +=,.@_-)"
            )));
        }
        Ok(Chain {
            partition: cluster.partition.to_string(),
            region: cluster.region.to_string(),
            cluster: cluster.resource.trim_start_matches("cluster/").to_string(),
            cluster_account: cluster.account.to_string(),
            target_arn: req.target_role_arn.to_string(),
            target_name: target_name.to_string(),
            target_account: target.account.to_string(),
            source_arn: format!(
                "arn:{}:iam::{}:role/{source_name}",
                cluster.partition, cluster.account
            ),
            source_name,
        })
    }

    /// The target trust's statement admitting the source role.
    pub(super) fn statement(&self) -> Value {
        json!({
            "Effect": "Allow",
            "Principal": {"AWS": self.source_arn},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
        })
    }

    /// A header line saying which profile is which account's, and the check that both are set.
    pub(super) fn profiles(&self, s: &mut Script) {
        s.comment(&format!("Two accounts: set {CLUSTER_PROFILE} to an AWS CLI profile of the cluster's account {} and {TARGET_PROFILE} to one of the target role's account {}.", self.cluster_account, self.target_account));
        s.raw(&format!(
            ": \"${{{CLUSTER_PROFILE}:?a profile of account {}}}\"",
            self.cluster_account
        ));
        s.raw(&format!(
            ": \"${{{TARGET_PROFILE}:?a profile of account {}}}\"",
            self.target_account
        ));
    }

    /// One AWS CLI command in the cluster's or the target's account.
    pub(super) fn aws(s: &mut Script, profile: &str, args: &[&str], tail: &str) {
        let mut all = vec!["aws"];
        all.extend_from_slice(args);
        s.command_in(&format!("AWS_PROFILE=\"${profile}\""), &all, tail);
    }

    /// `source_managed`: true when the source role carries [`MANAGED_TAG`]
    /// (irsa-gen created it), in the cluster's account.
    fn define_source_managed(&self, s: &mut Script) {
        s.comment(&format!(
            "True when the source role carries {MANAGED_TAG}: irsa-gen created it."
        ));
        s.raw(&format!(
            "source_managed() {{ AWS_PROFILE=\"${CLUSTER_PROFILE}\" {} | tr '\\t' '\\n' | grep -xF {} >/dev/null; }}",
            words(&[
                "aws",
                "iam",
                "list-role-tags",
                "--role-name",
                &self.source_name,
                "--query",
                "Tags[].Key",
                "--output",
                "text"
            ]),
            quote(MANAGED_TAG)
        ));
    }

    /// Sets the target role's trust (in its account).
    pub(super) fn set_target_trust(&self, s: &mut Script, trust: &str) {
        s.assign("trust_policy", trust);
        Chain::aws(
            s,
            TARGET_PROFILE,
            &[
                "iam",
                "update-assume-role-policy",
                "--role-name",
                &self.target_name,
                "--policy-document",
            ],
            "\"$trust_policy\"",
        );
    }

    /// `existing=$(...)`: the association of one ServiceAccount, in the cluster's account.
    pub(super) fn find_association(&self, s: &mut Script, ns: &str, sa: &str) {
        s.raw(&format!(
            "existing=$(AWS_PROFILE=\"${CLUSTER_PROFILE}\" {} --query 'associations[0].associationId' --output text)",
            crate::formats::shell::words(&["aws", "eks", "list-pod-identity-associations", &opt("--cluster-name", &self.cluster), &opt("--region", &self.region), &opt("--namespace", ns), &opt("--service-account", sa)])
        ));
    }

    /// Creates each ServiceAccount's association with the source role and
    /// the target role (session tags on), or points an existing one at them.
    pub(super) fn create_associations(&self, s: &mut Script, subjects: &[(String, Vec<String>)]) {
        let (role, target) = (
            opt("--role-arn", &self.source_arn),
            opt("--target-role-arn", &self.target_arn),
        );
        let (cluster, region) = (
            opt("--cluster-name", &self.cluster),
            opt("--region", &self.region),
        );
        for (ns, sas) in subjects {
            for sa in sas {
                self.find_association(s, ns, sa);
                s.raw("if [ -z \"$existing\" ] || [ \"$existing\" = None ]; then");
                s.push();
                Chain::aws(
                    s,
                    CLUSTER_PROFILE,
                    &[
                        "eks",
                        "create-pod-identity-association",
                        &cluster,
                        &region,
                        &opt("--namespace", ns),
                        &opt("--service-account", sa),
                        &role,
                        &target,
                    ],
                    "",
                );
                s.pop();
                s.raw("else");
                s.push();
                Chain::aws(
                    s,
                    CLUSTER_PROFILE,
                    &[
                        "eks",
                        "update-pod-identity-association",
                        &cluster,
                        &region,
                        &role,
                        &target,
                    ],
                    "--association-id=\"$existing\"",
                );
                s.pop();
                s.raw("fi");
            }
        }
    }

    /// Deletes each ServiceAccount's association, if it has one.
    pub(super) fn delete_associations(&self, s: &mut Script, subjects: &[(String, Vec<String>)]) {
        for (ns, sas) in subjects {
            for sa in sas {
                self.find_association(s, ns, sa);
                s.raw("if [ -n \"$existing\" ] && [ \"$existing\" != None ]; then");
                s.push();
                Chain::aws(
                    s,
                    CLUSTER_PROFILE,
                    &[
                        "eks",
                        "delete-pod-identity-association",
                        &opt("--cluster-name", &self.cluster),
                        &opt("--region", &self.region),
                    ],
                    "--association-id=\"$existing\"",
                );
                s.pop();
                s.raw("fi");
            }
        }
    }

    /// The IRSA annotation naming the target role, written or removed.
    pub(super) fn annotate(&self, s: &mut Script, subjects: &[(String, Vec<String>)], on: bool) {
        let value = format!("{}={}", crate::kube::ROLE_ARN, self.target_arn);
        let removal = format!("{}-", crate::kube::ROLE_ARN);
        for (ns, sas) in subjects {
            for sa in sas {
                let mut args = vec!["kubectl", "annotate", "serviceaccount", sa, "-n", ns];
                if on {
                    args.extend([value.as_str(), "--overwrite"]);
                } else {
                    args.push(&removal);
                }
                s.command(&args);
            }
        }
    }

    /// The restart reminder: the webhook decides a pod's credentials at its creation.
    pub(super) fn restart(s: &mut Script, subjects: &[(String, Vec<String>)]) {
        for (ns, sas) in subjects {
            s.comment(&format!("Restart the pods that run as {} in namespace {ns} (kubectl rollout restart KIND/NAME -n {ns}): the webhook gives a pod its credentials when it is created.", sas.join(", ")));
        }
    }
}

pub(super) fn file(phase: u8, name: &str, text: String) -> PlanFile {
    PlanFile {
        path: format!("phase-{phase}/{name}"),
        text,
    }
}

pub(super) fn pretty(v: &Value) -> Result<String, Vec<Diagnostic>> {
    match v {
        Value::Object(m) => text(m),
        _ => Ok(String::new()),
    }
}

/// The trusts and policies of a forward chained plan.
struct Documents {
    start: String,
    both: String,
    end: String,
    source_trust: String,
    source_permissions: String,
    subjects: Vec<(String, Vec<String>)>,
}

fn documents(
    text_in: &str,
    chain: &Chain,
    req: &ChainRequest<'_>,
) -> Result<Documents, Vec<Diagnostic>> {
    let (policy, mut doc) = read(text_in)?;
    let subjects = exact_subjects(&policy, host_path(req.issuer));
    let start = text(&doc)?;
    let statement = chain.statement();
    edit_statements(&mut doc, |list| {
        // Rerunning on a trust mid-migration does not add it twice.
        if !list.contains(&statement) {
            list.push(statement.clone());
        }
    });
    let both = text(&doc)?;
    let end = remove_cluster_oidc(&both, req.issuer)?;
    let statements: Vec<Value> = subjects
        .iter()
        .map(|(ns, sas)| pod_identity_statement(ns, sas, Some(req.cluster_arn)))
        .collect();
    let source_trust = pretty(&json!({"Version": "2012-10-17", "Statement": statements}))?;
    let source_permissions = pretty(&json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Resource": chain.target_arn,
    }]}))?;
    Ok(Documents {
        start,
        both,
        end,
        source_trust,
        source_permissions,
        subjects,
    })
}

/// The plan of a role in another account than the cluster (its trust
/// `text_in`), reached by role chaining. Blocked (no phase) on any error.
pub fn plan_chained(text_in: &str, req: &ChainRequest<'_>) -> Plan {
    let blocked = |diagnostics| Plan {
        direction: Direction::ToPodIdentity,
        diagnostics,
        phases: Vec::new(),
    };
    let chain = match Chain::read(req, req.source_role_name) {
        Ok(c) => c,
        Err(d) => return blocked(d),
    };
    let hp = host_path(req.issuer);
    let mut diagnostics = match super::from_trust::findings(
        text_in,
        hp,
        Some(req.cluster_arn),
        Some(&chain.target_account),
    ) {
        Ok(d) => d,
        Err(d) => return blocked(d),
    };
    if !diagnostics.iter().any(|d| d.code == "MIG034") && !has_errors(&diagnostics) {
        diagnostics.push(diagnostic("MIG035", format!("this cluster's OIDC provider in the trust is registered in the cluster's own account {}: the role is no other account's, plan it without --target-role-arn", chain.cluster_account)));
    }
    if has_errors(&diagnostics) {
        return blocked(diagnostics);
    }
    let docs = match documents(text_in, &chain, req) {
        Ok(d) => d,
        Err(d) => return blocked(d),
    };
    diagnostics.push(diagnostic("MIG036", format!("the source role `{}` is made in account {}; after phase 2 you may add the association's externalId (`aws eks describe-pod-identity-association`) as an `sts:ExternalId` condition of the target's statement admitting it, so that only this association assumes `{}`", chain.source_arn, chain.cluster_account, chain.target_arn)));
    Plan {
        direction: Direction::ToPodIdentity,
        diagnostics,
        phases: phases(&chain, &docs),
    }
}

fn header(c: &Chain, what: &str) -> String {
    format!(
        "{what} on cluster {} (generated by irsa-gen migrate).",
        c.cluster
    )
}

fn phases(c: &Chain, d: &Documents) -> Vec<Phase> {
    vec![phase_one(c, d), phase_two(c, d), phase_three(c, d)]
}

fn phase_one(c: &Chain, d: &Documents) -> Phase {
    // Phase 1: the source role, and the target trusting it beside the OIDC statement.
    let mut apply = sh::script(&[
        &header(
            c,
            "Phase 1: the source role, and the target role trusting it as well as IRSA",
        ),
        "Pods keep their credentials: nothing they use changes. Rerunning it is safe.",
    ]);
    c.profiles(&mut apply);
    apply.blank();
    apply.comment(&format!(
        "The source role {} in the cluster's account, trusted by EKS Pod Identity",
        c.source_name
    ));
    apply.assign("source_trust", &d.source_trust);
    c.define_source_managed(&mut apply);
    apply.raw(&format!(
        "if ! AWS_PROFILE=\"${CLUSTER_PROFILE}\" {} >/dev/null 2>&1; then",
        words(&["aws", "iam", "get-role", "--role-name", &c.source_name])
    ));
    apply.push();
    let marker = format!(r#"[{{"Key":"{MANAGED_TAG}","Value":"true"}}]"#);
    Chain::aws(
        &mut apply,
        CLUSTER_PROFILE,
        &[
            "iam",
            "create-role",
            "--role-name",
            &c.source_name,
            "--tags",
            &marker,
            "--assume-role-policy-document",
        ],
        "\"$source_trust\"",
    );
    apply.pop();
    // A role of that name irsa-gen did not make is someone else's: never rewritten.
    apply.raw("elif ! source_managed; then");
    apply.push();
    apply.raw(&format!(
        "echo {} >&2",
        quote(&format!(
            "The role {} exists and irsa-gen did not create it (no {MANAGED_TAG} tag): name another with --source-role-name.",
            c.source_name
        ))
    ));
    apply.raw("exit 1");
    apply.pop();
    apply.raw("fi");
    Chain::aws(
        &mut apply,
        CLUSTER_PROFILE,
        &[
            "iam",
            "update-assume-role-policy",
            "--role-name",
            &c.source_name,
            "--policy-document",
        ],
        "\"$source_trust\"",
    );
    apply.comment(
        "It may assume the target role and tag that session (EKS passes its session tags on)",
    );
    apply.assign("source_permissions", &d.source_permissions);
    // A role name has at most 64 characters: this stays within a policy name's 128.
    let policy_name = format!("assume-{}", c.target_name);
    let policy_name = policy_name.as_str();
    Chain::aws(
        &mut apply,
        CLUSTER_PROFILE,
        &[
            "iam",
            "put-role-policy",
            "--role-name",
            &c.source_name,
            "--policy-name",
            policy_name,
            "--policy-document",
        ],
        "\"$source_permissions\"",
    );
    apply.blank();
    apply.comment(&format!(
        "The target role {}: its trust admits the source role too",
        c.target_name
    ));
    c.set_target_trust(&mut apply, &d.both);
    let mut undo = sh::script(&[&header(
        c,
        "Undo phase 1: the target role's trust as it was, the source role deleted",
    )]);
    c.profiles(&mut undo);
    undo.blank();
    c.set_target_trust(&mut undo, &d.start);
    c.define_source_managed(&mut undo);
    // Only a source role irsa-gen made (tagged) is deleted.
    undo.raw("if source_managed; then");
    undo.push();
    Chain::aws(
        &mut undo,
        CLUSTER_PROFILE,
        &[
            "iam",
            "delete-role-policy",
            "--role-name",
            &c.source_name,
            "--policy-name",
            policy_name,
        ],
        "",
    );
    Chain::aws(
        &mut undo,
        CLUSTER_PROFILE,
        &["iam", "delete-role", "--role-name", &c.source_name],
        "",
    );
    undo.pop();
    undo.raw("else");
    undo.push();
    undo.raw(&format!(
        "echo {} >&2",
        quote(&format!(
            "Not deleted: the role {} is not one irsa-gen created (or no longer exists).",
            c.source_name
        ))
    ));
    undo.pop();
    undo.raw("fi");
    Phase {
        number: 1,
        title:
            "the source role made, the target role trusts it and IRSA (nothing pods use changes)"
                .into(),
        files: vec![
            file(1, APPLY, apply.finish()),
            file(1, ROLLBACK, undo.finish()),
            file(1, "trust.json", d.both.clone()),
            file(1, "source-role.trust.json", d.source_trust.clone()),
            file(
                1,
                "source-role.permissions.json",
                d.source_permissions.clone(),
            ),
        ],
    }
}

fn phase_two(c: &Chain, d: &Documents) -> Phase {
    // Phase 2: the associations, with the target role.
    let mut apply = sh::script(&[&header(
        c,
        "Phase 2: the associations are created (role chaining), the workloads restarted",
    )]);
    c.profiles(&mut apply);
    apply.blank();
    c.create_associations(&mut apply, &d.subjects);
    apply.comment("With a target role the Pod Identity Agent caches credentials for 59 minutes: restart pods to switch them now.");
    Chain::restart(&mut apply, &d.subjects);
    let mut undo = sh::script(&[&header(
        c,
        "Undo phase 2: the associations deleted, the workloads restarted (back to IRSA)",
    )]);
    c.profiles(&mut undo);
    undo.blank();
    c.delete_associations(&mut undo, &d.subjects);
    Chain::restart(&mut undo, &d.subjects);
    Phase {
        number: 2,
        title: "pods switch: the associations created with targetRoleArn, workloads restarted"
            .into(),
        files: vec![
            file(2, APPLY, apply.finish()),
            file(2, ROLLBACK, undo.finish()),
        ],
    }
}

fn phase_three(c: &Chain, d: &Documents) -> Phase {
    // Phase 3: only this cluster's OIDC statement goes; the annotation too.
    let mut apply = sh::script(&[
        &header(
            c,
            "Phase 3: this cluster's OIDC statement and the annotations removed",
        ),
        "Other clusters' statements and the source role's stay.",
    ]);
    c.profiles(&mut apply);
    apply.blank();
    c.set_target_trust(&mut apply, &d.end);
    c.annotate(&mut apply, &d.subjects, false);
    let mut undo = sh::script(&[&header(
        c,
        "Undo phase 3: the target role trusts IRSA again, the annotations back",
    )]);
    c.profiles(&mut undo);
    undo.blank();
    c.set_target_trust(&mut undo, &d.both);
    c.annotate(&mut undo, &d.subjects, true);
    Phase {
        number: 3,
        title: "this cluster's OIDC statement and the annotations removed".into(),
        files: vec![
            file(3, APPLY, apply.finish()),
            file(3, ROLLBACK, undo.finish()),
            file(3, "trust.json", d.end.clone()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://oidc.eks.us-west-2.amazonaws.com/id/AAAA";

    fn trust(account: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{account}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/AAAA"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"oidc.eks.us-west-2.amazonaws.com/id/AAAA:sub":"system:serviceaccount:prod:a"}}}}}}]}}"#
        )
    }

    fn request(target: &str) -> ChainRequest<'_> {
        ChainRequest {
            issuer: ISSUER,
            cluster_arn: "arn:aws:eks:us-west-2:111122223333:cluster/prod",
            target_role_arn: target,
            source_role_name: None,
        }
    }

    fn trust_of(plan: &Plan, phase: u8) -> String {
        let path = format!("phase-{phase}/trust.json");
        plan.files()
            .into_iter()
            .find(|f| f.path == path)
            .map(|f| f.text)
            .unwrap_or_default()
    }

    #[test]
    fn rerunning_on_the_phase_1_trust_adds_the_source_statement_once() {
        let req = request("arn:aws:iam::444455556666:role/a");
        let once = plan_chained(&trust("444455556666"), &req);
        let again = plan_chained(&trust_of(&once, 1), &req);
        assert_eq!(trust_of(&again, 1), trust_of(&once, 1));
        assert_eq!(
            trust_of(&again, 1).matches("role/a-pod-identity").count(),
            1
        );
    }

    #[test]
    fn a_target_that_is_no_role_of_another_account_blocks() {
        for target in [
            "arn:aws:iam::111122223333:role/a",
            "arn:aws:s3:::bucket",
            "arn:aws-cn:iam::444455556666:role/a",
        ] {
            let plan = plan_chained(&trust("444455556666"), &request(target));
            assert!(plan.phases.is_empty(), "{target}");
            assert_eq!(plan.diagnostics[0].code, "MIG035", "{target}");
        }
    }

    #[test]
    fn the_source_name_is_derived_within_iams_limit() {
        assert_eq!(
            derive_source_role_name("s3-writer"),
            "s3-writer-pod-identity"
        );
        assert_eq!(derive_source_role_name(&"r".repeat(64)).len(), 64);
    }
}
