//! Role sessions against trusts: each rule with a trigger and a near miss.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use super::*;
use crate::eval::{RoleSession, SESSION_NAME};

const SOURCE: &str = "arn:aws:iam::111122223333:role/s3-writer-pod-identity";
const TARGET_ACCOUNT: &str = "444455556666";

/// A trust of one statement: `principal` (a JSON value), the actions, more JSON.
fn trust(principal: &str, actions: &str, extra: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": {actions}{extra}}}]}}"#
    )
}

fn both() -> &'static str {
    r#"["sts:AssumeRole", "sts:TagSession"]"#
}

fn tagged(arn: &str) -> RoleSession {
    let mut s = RoleSession::of(arn);
    for (k, v) in [
        ("kubernetes-namespace", "payments"),
        ("kubernetes-service-account", "s3-writer"),
    ] {
        s.session_tags.insert(k.into(), v.into());
    }
    s
}

fn judge(text: &str, session: &RoleSession) -> SessionEvaluation {
    simulate_session(text, session, Some(TARGET_ACCOUNT)).unwrap()
}

fn decision(text: &str, session: &RoleSession) -> Decision {
    judge(text, session).evaluation.decision
}

#[test]
fn a_role_arn_admits_its_sessions_only() {
    let t = trust(&format!(r#"{{"AWS": "{SOURCE}"}}"#), both(), "");
    let e = judge(&t, &tagged(SOURCE));
    assert_eq!(e.evaluation.decision, Decision::Allow, "{e:#?}");
    assert_eq!(e.actions, ["sts:AssumeRole", "sts:TagSession"]);
    // Cross-account: the caller's side is said, not judged.
    assert!(
        e.notes
            .iter()
            .any(|n| n.starts_with("cross-account (111122223333 to 444455556666)")),
        "{e:#?}"
    );
    // Near misses: another role of the account, the same name in another account,
    // another partition, the role without its path.
    for other in [
        "arn:aws:iam::111122223333:role/s3-reader-pod-identity",
        "arn:aws:iam::999988887777:role/s3-writer-pod-identity",
        "arn:aws-cn:iam::111122223333:role/s3-writer-pod-identity",
        "arn:aws:iam::111122223333:role/team/s3-writer-pod-identity",
    ] {
        let e = judge(&t, &tagged(other));
        assert_eq!(e.evaluation.decision, Decision::Deny, "{other}: {e:#?}");
        assert!(
            e.evaluation.reason.contains("names neither the role"),
            "{e:#?}"
        );
    }
    // In the role's own account nothing more is needed.
    let same = simulate_session(&t, &tagged(SOURCE), Some("111122223333")).unwrap();
    assert!(same.notes.is_empty(), "{same:#?}");
}

#[test]
fn an_account_admits_its_principals_with_their_identity_policy() {
    for p in [r#""111122223333""#, r#""arn:aws:iam::111122223333:root""#] {
        let t = trust(&format!(r#"{{"AWS": {p}}}"#), both(), "");
        let e = judge(&t, &tagged(SOURCE));
        assert_eq!(e.evaluation.decision, Decision::Allow, "{p}");
        assert!(
            e.notes[0].contains("names account 111122223333, not the role"),
            "{e:#?}"
        );
    }
    for p in [
        r#""999988887777""#,
        r#""arn:aws:iam::999988887777:root""#,
        r#""arn:aws-us-gov:iam::111122223333:root""#,
    ] {
        let t = trust(&format!(r#"{{"AWS": {p}}}"#), both(), "");
        assert_eq!(decision(&t, &tagged(SOURCE)), Decision::Deny, "{p}");
    }
}

#[test]
fn everyone_admits_and_says_so_but_a_wildcard_in_an_arn_names_no_one() {
    for p in [r#""*""#, r#"{"AWS": "*"}"#] {
        let e = judge(&trust(p, both(), ""), &tagged(SOURCE));
        assert_eq!(e.evaluation.decision, Decision::Allow, "{p}");
        assert!(e.notes[0].contains("every AWS principal"), "{e:#?}");
    }
    let t = trust(
        r#"{"AWS": "arn:aws:iam::111122223333:role/s3-*"}"#,
        both(),
        "",
    );
    let e = judge(&t, &tagged(SOURCE));
    assert_eq!(e.evaluation.decision, Decision::Deny);
    assert!(
        e.evaluation.reason.contains("wildcard inside an ARN"),
        "{e:#?}"
    );
}

#[test]
fn session_tags_need_tag_session() {
    let t = trust(
        &format!(r#"{{"AWS": "{SOURCE}"}}"#),
        r#""sts:AssumeRole""#,
        "",
    );
    let e = judge(&t, &tagged(SOURCE));
    assert_eq!(e.evaluation.decision, Decision::Deny);
    assert!(
        e.evaluation
            .reason
            .contains("does not cover sts:TagSession"),
        "{e:#?}"
    );
    // Near miss: no tags, no TagSession needed.
    assert_eq!(decision(&t, &RoleSession::of(SOURCE)), Decision::Allow);
    // Other services' principals are other callers.
    for p in [
        r#"{"Service": "pods.eks.amazonaws.com"}"#,
        r#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/x"}"#,
    ] {
        assert_eq!(
            decision(&trust(p, both(), ""), &tagged(SOURCE)),
            Decision::Deny,
            "{p}"
        );
    }
}

#[test]
fn conditions_read_the_keys_a_role_session_carries() {
    let p = r#""*""#;
    let cases = [
        (
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/s3-writer-pod-identity"}}"#,
            Decision::Allow,
        ),
        (
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/s3-reader-*"}}"#,
            Decision::Deny,
        ),
        (
            r#"{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
            Decision::Allow,
        ),
        (
            r#"{"StringEquals": {"aws:PrincipalAccount": "999988887777"}}"#,
            Decision::Deny,
        ),
        (
            r#"{"StringEquals": {"aws:RequestTag/kubernetes-namespace": "payments"}}"#,
            Decision::Allow,
        ),
        (
            r#"{"StringEquals": {"aws:RequestTag/kubernetes-namespace": "billing"}}"#,
            Decision::Deny,
        ),
        (
            r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["kubernetes-namespace", "kubernetes-service-account"]}}"#,
            Decision::Allow,
        ),
        (
            r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["kubernetes-namespace"]}}"#,
            Decision::Deny,
        ),
        (
            r#"{"StringEquals": {"aws:PrincipalType": "AssumedRole"}}"#,
            Decision::Allow,
        ),
        (
            r#"{"StringEquals": {"aws:PrincipalTag/team": "payments"}}"#,
            Decision::Conditional,
        ),
        (
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}"#,
            Decision::Conditional,
        ),
        (
            r#"{"StringEquals": {"aws:SourceAccount": "111122223333"}}"#,
            Decision::Deny,
        ),
        (
            r#"{"StringEquals": {"sts:ExternalId": "a-0123"}}"#,
            Decision::Deny,
        ),
        (
            r#"{"Null": {"aws:SourceAccount": "true"}}"#,
            Decision::Allow,
        ),
    ];
    for (condition, want) in cases {
        let t = trust(p, both(), &format!(r#", "Condition": {condition}"#));
        let e = judge(&t, &tagged(SOURCE));
        assert_eq!(e.evaluation.decision, want, "{condition}: {e:#?}");
    }
    // A key the request sends, given.
    let t = trust(
        p,
        both(),
        r#", "Condition": {"StringEquals": {"sts:ExternalId": "a-0123"}}"#,
    );
    let mut s = tagged(SOURCE);
    s.context
        .insert("sts:ExternalId".into(), vec!["a-0123".into()]);
    assert_eq!(decision(&t, &s), Decision::Allow);
}

#[test]
fn deny_wins() {
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
          {{"Effect": "Allow", "Principal": {{"AWS": "{SOURCE}"}}, "Action": ["sts:AssumeRole", "sts:TagSession"]}},
          {{"Effect": "Deny", "Principal": "*", "Action": "sts:*",
            "Condition": {{"StringNotEquals": {{"aws:RequestTag/kubernetes-namespace": "payments"}}}}}}]}}"#
    );
    assert_eq!(decision(&text, &tagged(SOURCE)), Decision::Allow);
    let mut other = tagged(SOURCE);
    other
        .session_tags
        .insert("kubernetes-namespace".into(), "billing".into());
    let e = judge(&text, &other);
    assert_eq!(e.evaluation.decision, Decision::Deny);
    assert_eq!(e.evaluation.statement, Some(1));
}

#[test]
fn a_session_arn_names_one_session() {
    let t = trust(
        r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/s3-writer-pod-identity/eks-prod"}"#,
        both(),
        "",
    );
    let mut s = tagged(SOURCE);
    let e = judge(&t, &s);
    assert_eq!(e.evaluation.decision, Decision::Conditional);
    assert_eq!(e.evaluation.depends_on, [SESSION_NAME]);
    s.session_name = Some("eks-prod".into());
    assert_eq!(decision(&t, &s), Decision::Allow);
    s.session_name = Some("eks-staging".into());
    assert_eq!(decision(&t, &s), Decision::Deny);
}

#[test]
fn not_principal_is_said_and_leaves_out_only_the_account_and_role() {
    let deny = |names: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [
              {{"Effect": "Allow", "Principal": {{"AWS": "{SOURCE}"}}, "Action": ["sts:AssumeRole", "sts:TagSession"]}},
              {{"Effect": "Deny", "NotPrincipal": {{"AWS": {names}}}, "Action": "sts:AssumeRole"}}]}}"#
        )
    };
    let only_role = judge(&deny(&format!(r#""{SOURCE}""#)), &tagged(SOURCE));
    assert_eq!(only_role.evaluation.decision, Decision::Deny);
    assert!(
        only_role.notes[0].contains("NotPrincipal, which IAM refuses"),
        "{only_role:#?}"
    );
    let both_named = deny(&format!(
        r#"["{SOURCE}", "arn:aws:iam::111122223333:root"]"#
    ));
    assert_eq!(decision(&both_named, &tagged(SOURCE)), Decision::Allow);
}

#[test]
fn a_bad_request_is_irsa420() {
    let t = trust(r#""*""#, both(), "");
    let err = simulate_session(&t, &RoleSession::of("arn:aws:iam::1111:role/x"), None).unwrap_err();
    assert_eq!(err[0].code, "IRSA420");
}

#[test]
fn each_action_is_authorized_on_its_own() {
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
          {{"Effect": "Allow", "Principal": {{"AWS": "{SOURCE}"}}, "Action": "sts:AssumeRole"}},
          {{"Effect": "Allow", "Principal": {{"AWS": "111122223333"}}, "Action": "sts:TagSession"}}]}}"#
    );
    assert_eq!(decision(&text, &tagged(SOURCE)), Decision::Allow);
    // Near miss: a Deny of one of them denies the call.
    let denied = text.replace(
        r#""Effect": "Allow", "Principal": {"AWS": "111122223333"}"#,
        r#""Effect": "Deny", "Principal": {"AWS": "111122223333"}"#,
    );
    let e = judge(&denied, &tagged(SOURCE));
    assert_eq!(e.evaluation.decision, Decision::Deny);
    assert!(
        e.evaluation
            .reason
            .starts_with("sts:TagSession: explicit Deny"),
        "{e:#?}"
    );
}
