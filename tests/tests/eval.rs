//! Evaluator table tests: every operator, with present and absent keys,
//! set qualifiers, IfExists, Null, Deny precedence and case rules.

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use irsa_core::eval::{self, Claims, Decision, SimulateRequest};

const ISS: &str = "oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7";

fn policy(condition: serde_json::Value) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{ISS}")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition
        }]
    })
    .to_string()
}

fn claims(sub: Option<&str>, context: &[(&str, &[&str])]) -> Claims {
    Claims {
        iss: Some(format!("https://{ISS}")),
        sub: sub.map(str::to_string),
        aud: Some("sts.amazonaws.com".into()),
        context: context
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect::<BTreeMap<_, _>>(),
        pod_identity: false,
    }
}

fn decide(condition: serde_json::Value, c: &Claims) -> Decision {
    let p = eval::parse_trust_text(&policy(condition)).unwrap();
    eval::evaluate(&p, c).decision
}

use Decision::{Allow, Deny};

#[test]
fn operator_table() {
    let sub_key = format!("{ISS}:sub");
    let me = "system:serviceaccount:prod:app";
    // (operator, policy values, request sub (None = absent), expected)
    let rows: &[(&str, &[&str], Option<&str>, Decision)] = &[
        ("StringEquals", &[me], Some(me), Allow),
        (
            "StringEquals",
            &["system:serviceaccount:prod:other", me],
            Some(me),
            Allow,
        ),
        (
            "StringEquals",
            &["system:serviceaccount:prod:*"],
            Some(me),
            Deny,
        ),
        (
            "StringEquals",
            &["SYSTEM:serviceaccount:prod:app"],
            Some(me),
            Deny,
        ),
        ("StringEquals", &[me], None, Deny),
        ("StringEqualsIfExists", &[me], None, Allow),
        ("StringEqualsIfExists", &["x"], Some(me), Deny),
        (
            "StringNotEquals",
            &["system:serviceaccount:prod:other"],
            Some(me),
            Allow,
        ),
        ("StringNotEquals", &[me], Some(me), Deny),
        ("StringNotEquals", &[me], None, Allow),
        (
            "StringEqualsIgnoreCase",
            &["SYSTEM:ServiceAccount:PROD:APP"],
            Some(me),
            Allow,
        ),
        (
            "StringNotEqualsIgnoreCase",
            &["SYSTEM:ServiceAccount:PROD:APP"],
            Some(me),
            Deny,
        ),
        (
            "StringLike",
            &["system:serviceaccount:prod:*"],
            Some(me),
            Allow,
        ),
        (
            "StringLike",
            &["system:serviceaccount:prod:ap?"],
            Some(me),
            Allow,
        ),
        (
            "StringLike",
            &["system:serviceaccount:prod:a?"],
            Some(me),
            Deny,
        ),
        (
            "StringLike",
            &["system:serviceaccount:PROD:*"],
            Some(me),
            Deny,
        ),
        ("StringLike", &["system:serviceaccount:prod:*"], None, Deny),
        (
            "StringLikeIfExists",
            &["system:serviceaccount:prod:*"],
            None,
            Allow,
        ),
        (
            "StringNotLike",
            &["system:serviceaccount:dev:*"],
            Some(me),
            Allow,
        ),
        (
            "StringNotLike",
            &["system:serviceaccount:prod:*"],
            Some(me),
            Deny,
        ),
        (
            "StringNotLike",
            &["system:serviceaccount:prod:*"],
            None,
            Allow,
        ),
        ("ForAnyValue:StringEquals", &[me], Some(me), Allow),
        ("ForAnyValue:StringEquals", &[me], None, Deny),
        ("ForAllValues:StringEquals", &[me], None, Allow),
        ("ForAllValues:StringEquals", &["x"], Some(me), Deny),
        ("ForAllValues:StringLike", &["system:*"], Some(me), Allow),
        ("Null", &["true"], None, Allow),
        ("Null", &["true"], Some(me), Deny),
        ("Null", &["false"], Some(me), Allow),
        ("Null", &["false"], None, Deny),
        ("NoSuchOperator", &[me], Some(me), Deny),
    ];
    for (op, values, sub, want) in rows {
        let cond = serde_json::json!({ *op: { sub_key.clone(): values } });
        let got = decide(cond, &claims(*sub, &[]));
        assert_eq!(got, *want, "{op} {values:?} with sub {sub:?}");
    }
}

#[test]
fn other_value_types() {
    let rows: &[(&str, &str, &[&str], Decision)] = &[
        ("NumericLessThan", "100", &["42"], Allow),
        ("NumericLessThan", "10", &["42"], Deny),
        ("NumericGreaterThanEquals", "42", &["42"], Allow),
        ("NumericNotEquals", "42", &["42"], Deny),
        ("NumericEquals", "x", &["42"], Deny),
        ("Bool", "true", &["TRUE"], Allow),
        ("Bool", "true", &["false"], Deny),
        (
            "ArnLike",
            "arn:aws:iam::*:role/x",
            &["arn:aws:iam::111122223333:role/x"],
            Allow,
        ),
        (
            "ArnNotEquals",
            "arn:aws:iam::*:role/x",
            &["arn:aws:iam::111122223333:role/x"],
            Deny,
        ),
        ("ForAnyValue:StringLike", "team-*", &["x", "team-a"], Allow),
        ("ForAllValues:StringLike", "team-*", &["x", "team-a"], Deny),
        (
            "ForAllValues:StringLike",
            "team-*",
            &["team-b", "team-a"],
            Allow,
        ),
    ];
    for (op, value, request, want) in rows {
        let cond = serde_json::json!({ *op: { "aws:PrincipalTag/n": value } });
        let got = decide(cond, &claims(Some("s"), &[("AWS:principaltag/N", request)]));
        assert_eq!(got, *want, "{op} {value} with {request:?}");
    }
}

#[test]
fn keys_and_operators_are_anded_and_key_names_ignore_case() {
    let upper = format!("{}:SUB", ISS.to_uppercase());
    let aud = format!("{ISS}:aud");
    let cond = serde_json::json!({
        "StringEquals": { upper: "system:serviceaccount:prod:app", aud.clone(): "sts.amazonaws.com" },
        "StringLike": { aud: "sts.*" }
    });
    assert_eq!(
        decide(
            cond.clone(),
            &claims(Some("system:serviceaccount:prod:app"), &[])
        ),
        Allow
    );
    let mut wrong_aud = claims(Some("system:serviceaccount:prod:app"), &[]);
    wrong_aud.aud = Some("other".into());
    assert_eq!(decide(cond, &wrong_aud), Deny);
}

#[test]
fn deny_wins_and_reports_the_statement() {
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{ISS}")},
         "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringLike": {format!("{ISS}:sub"): "system:serviceaccount:prod:*"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "STS:assumerole*",
         "Condition": {"StringEquals": {format!("{ISS}:sub"): "system:serviceaccount:prod:admin"}}}
    ]})
    .to_string();
    let p = eval::parse_trust_text(&text).unwrap();
    let e = eval::evaluate(&p, &claims(Some("system:serviceaccount:prod:admin"), &[]));
    assert_eq!((e.decision, e.statement), (Deny, Some(1)));
    let e = eval::evaluate(&p, &claims(Some("system:serviceaccount:prod:app"), &[]));
    assert_eq!((e.decision, e.statement), (Allow, Some(0)));
}

#[test]
fn principal_and_action_must_match() {
    let cond = serde_json::json!({"StringEquals": {format!("{ISS}:sub"): "system:serviceaccount:prod:app"}});
    let mut other_cluster = claims(Some("system:serviceaccount:prod:app"), &[]);
    other_cluster.iss =
        Some("https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF".into());
    assert_eq!(decide(cond, &other_cluster), Deny);
    let assume_role =
        policy(serde_json::json!({})).replace("AssumeRoleWithWebIdentity", "AssumeRole");
    let p = eval::parse_trust_text(&assume_role).unwrap();
    let e = eval::evaluate(&p, &claims(Some("x"), &[]));
    assert_eq!(e.decision, Deny);
    assert!(e.reason.contains("Action"), "{}", e.reason);
}

#[test]
fn simulate_reports_each_provider() {
    let other = "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
    let st = |iss: &str, ns: &str| {
        serde_json::json!({"Effect": "Allow",
        "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{iss}")},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {format!("{iss}:sub"): format!("system:serviceaccount:{ns}:app"), format!("{iss}:aud"): "sts.amazonaws.com"}}})
    };
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": [st(ISS, "prod"), st(other, "dev")]}).to_string();
    let req = |ns: &str, aud: Option<&str>, issuer: Option<&str>| SimulateRequest {
        namespace: ns.into(),
        service_account: "app".into(),
        audience: aud.map(str::to_string),
        issuer: issuer.map(str::to_string),
    };
    let s = eval::simulate(&text, &req("prod", None, None)).unwrap();
    assert_eq!(s.decision, Allow);
    assert_eq!(s.results.len(), 2);
    assert_eq!(
        (s.results[0].decision, s.results[1].decision),
        (Allow, Deny)
    );
    let s = eval::simulate(
        &text,
        &req("prod", None, Some(&format!("https://{other}/"))),
    )
    .unwrap();
    assert_eq!(s.decision, Deny);
    assert_eq!(s.results.len(), 1);
    let s = eval::simulate(&text, &req("prod", Some("sts.amazonaws.com.cn"), None)).unwrap();
    assert_eq!(s.decision, Deny);
    assert!(
        s.results[0].condition.as_deref().unwrap().ends_with(":aud"),
        "{s:?}"
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["decision"], "Deny");
    assert!(eval::simulate("{not json", &req("prod", None, None)).is_err());
    let errs =
        eval::simulate("{\"Version\": \"2012-10-17\"}", &req("prod", None, None)).unwrap_err();
    assert_eq!(errs[0].code, "IRSA001");
}

#[test]
fn pod_identity_trust() {
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {"StringEquals": {"aws:RequestTag/kubernetes-namespace": "prod", "aws:RequestTag/kubernetes-service-account": "app"}}}]})
    .to_string();
    let req = |ns: &str| SimulateRequest {
        namespace: ns.into(),
        service_account: "app".into(),
        audience: None,
        issuer: None,
    };
    assert_eq!(eval::simulate(&text, &req("prod")).unwrap().decision, Allow);
    assert_eq!(eval::simulate(&text, &req("dev")).unwrap().decision, Deny);
}

#[test]
fn hostile_trust_text_is_a_finding_naming_the_limit() {
    let req = SimulateRequest {
        namespace: "prod".into(),
        service_account: "app".into(),
        audience: None,
        issuer: None,
    };
    let errs = eval::simulate(&"[".repeat(100_000), &req).unwrap_err();
    assert_eq!(errs[0].code, "IRSA001");
    assert!(
        errs[0]
            .message
            .contains("nesting depth exceeds the limit of 128"),
        "{}",
        errs[0].message
    );
}
