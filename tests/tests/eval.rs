//! Evaluator table tests: every operator, with present and absent keys,
//! set qualifiers, IfExists, Null, Deny precedence and case rules; the role's
//! account and partition; the keys a web-identity request carries and the ones
//! only the caller knows; policy variables; the element names' case; the
//! checker's verdicts. Each fact cites the AWS documentation that decides it:
//! - condition operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//! - multi-valued keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
//! - policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//! - keys for OIDC federation: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
//! - global keys and their availability: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
//! - the grammar (case-sensitive element names): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
//! - principals (Federated, `*`): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html

// Helpers of tests: a panic there is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use irsa_core::eval::{self, Claims, Decision, Role, RoleSource, SimulateRequest};

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
        role: Some(role("aws", ACCOUNT)),
        pod_identity: false,
    }
}

const ACCOUNT: &str = "111122223333";

fn role(partition: &str, account: &str) -> Role {
    Role {
        partition: partition.into(),
        account: account.into(),
    }
}

fn decide(condition: serde_json::Value, c: &Claims) -> Decision {
    let p = eval::parse_trust_text(&policy(condition)).unwrap();
    eval::evaluate(&p, c).decision
}

use Decision::{Allow, Conditional, Deny};

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
        ..SimulateRequest::default()
    };
    let s = eval::simulate(&text, &req("prod", None, None)).unwrap();
    assert_eq!(s.decision, Allow);
    assert_eq!(s.results.len(), 2);
    assert_eq!(
        (
            s.results[0].evaluation.decision,
            s.results[1].evaluation.decision
        ),
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
        s.results[0]
            .evaluation
            .condition
            .as_deref()
            .unwrap()
            .ends_with(":aud"),
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
        ..SimulateRequest::default()
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
        ..SimulateRequest::default()
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

fn provider(partition: &str, account: &str, iss: &str) -> String {
    format!("arn:{partition}:iam::{account}:oidc-provider/{iss}")
}

fn stmt(
    effect: &str,
    principal: serde_json::Value,
    condition: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({"Effect": effect, "Principal": principal,
        "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition})
}

fn decide_statements(statements: Vec<serde_json::Value>, c: &Claims) -> eval::Evaluation {
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    eval::evaluate(&eval::parse_trust_text(&text).unwrap(), c)
}

const ME: &str = "system:serviceaccount:prod:app";

fn sub_is(value: &str) -> serde_json::Value {
    serde_json::json!({"StringEquals": {format!("{ISS}:sub"): value}})
}

#[test]
fn a_provider_of_another_account_or_partition_never_applies() {
    let own = serde_json::json!({"Federated": provider("aws", ACCOUNT, ISS)});
    let other = serde_json::json!({"Federated": provider("aws", "444455556666", ISS)});
    let china = serde_json::json!({"Federated": provider("aws-cn", ACCOUNT, ISS)});
    let c = claims(Some(ME), &[]);
    // Allow naming another account's provider: nobody gets in, and the result says why.
    let e = decide_statements(vec![stmt("Allow", other.clone(), sub_is(ME))], &c);
    assert_eq!(e.decision, Deny);
    assert_eq!(e.foreign.len(), 1);
    assert!(
        e.foreign[0].reason.contains("account 444455556666"),
        "{}",
        e.foreign[0].reason
    );
    assert!(e.reason.contains("never applies"), "{}", e.reason);
    // Near miss: the role's own account.
    assert_eq!(
        decide_statements(vec![stmt("Allow", own.clone(), sub_is(ME))], &c).decision,
        Allow
    );
    // A Deny naming another account's or partition's provider does not protect.
    for foreign in [other, china] {
        let e = decide_statements(
            vec![
                stmt("Allow", own.clone(), sub_is(ME)),
                stmt("Deny", foreign, sub_is(ME)),
            ],
            &c,
        );
        assert_eq!((e.decision, e.foreign.len()), (Allow, 1));
    }
}

#[test]
fn china_issuer_with_an_aws_partition_provider_is_denied() {
    let cn = "oidc.eks.cn-north-1.amazonaws.com.cn/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0";
    let text = |partition: &str| {
        serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": provider(partition, ACCOUNT, cn)},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {format!("{cn}:sub"): ME}}}]})
        .to_string()
    };
    let req = SimulateRequest {
        namespace: "prod".into(),
        service_account: "app".into(),
        ..SimulateRequest::default()
    };
    // The role is assumed in the issuer region's partition, aws-cn.
    let s = eval::simulate(&text("aws"), &req).unwrap();
    assert_eq!(s.decision, Deny);
    assert_eq!(s.role.source, RoleSource::Assumed);
    assert_eq!(s.results[0].role, Some(role("aws-cn", ACCOUNT)));
    assert!(s.results[0].evaluation.foreign[0]
        .reason
        .contains("partition `aws`"));
    assert_eq!(
        eval::simulate(&text("aws-cn"), &req).unwrap().decision,
        Allow
    );
    // --account: the partition is the issuer region's.
    let with_account = SimulateRequest {
        account: Some(ACCOUNT.into()),
        ..req.clone()
    };
    let s = eval::simulate(&text("aws"), &with_account).unwrap();
    assert_eq!((s.decision, s.role.source), (Deny, RoleSource::Account));
}

#[test]
fn simulate_takes_the_role_and_says_which_account_it_assumed() {
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": [
        stmt("Allow", serde_json::json!({"Federated": provider("aws", ACCOUNT, ISS)}), sub_is(ME))]})
    .to_string();
    let req = |role_arn: Option<&str>| SimulateRequest {
        namespace: "prod".into(),
        service_account: "app".into(),
        role_arn: role_arn.map(str::to_string),
        ..SimulateRequest::default()
    };
    let s = eval::simulate(&text, &req(None)).unwrap();
    assert_eq!((s.decision, s.role.source), (Allow, RoleSource::Assumed));
    assert!(s.role.note.contains(ACCOUNT), "{}", s.role.note);
    let s = eval::simulate(&text, &req(Some("arn:aws:iam::111122223333:role/app"))).unwrap();
    assert_eq!((s.decision, s.role.source), (Allow, RoleSource::RoleArn));
    let s = eval::simulate(&text, &req(Some("arn:aws:iam::999999999999:role/app"))).unwrap();
    assert_eq!(s.decision, Deny);
    assert_eq!(s.results[0].evaluation.foreign.len(), 1);
    // A request simulate cannot use is IRSA420, never a guess.
    for bad in [
        req(Some("arn:aws:iam:111122223333:role/app")),
        SimulateRequest {
            account: Some("1234".into()),
            ..req(None)
        },
        SimulateRequest {
            context: BTreeMap::from([
                ("aws:SourceAccount".to_string(), vec!["1".to_string()]),
                ("aws:PrincipalTag/x".to_string(), vec!["1".to_string()]),
            ]),
            ..req(None)
        },
    ] {
        let errs = eval::simulate(&text, &bad).unwrap_err();
        assert!(errs.iter().all(|d| d.code == "IRSA420"), "{errs:?}");
    }
}

#[test]
fn set_qualifiers_on_absent_keys() {
    let amr = format!("{ISS}:amr");
    let c = claims(Some(ME), &[]);
    let rows: &[(&str, Decision)] = &[
        ("ForAnyValue:StringEquals", Deny),
        ("ForAnyValue:StringEqualsIfExists", Deny),
        ("ForAnyValue:StringNotEqualsIfExists", Deny),
        ("ForAllValues:StringEquals", Allow),
        ("ForAllValues:StringEqualsIfExists", Allow),
        ("StringEqualsIfExists", Allow),
        ("StringNotLike", Allow),
        ("StringLike", Deny),
    ];
    for (op, want) in rows {
        let cond = serde_json::json!({ *op: { amr.clone(): "authenticated" } });
        assert_eq!(decide(cond, &c), *want, "{op} on an absent key");
    }
    // A multi-valued key needs a set qualifier.
    let many = claims(Some(ME), &[(amr.as_str(), &["authenticated", "mfa"])]);
    assert_eq!(
        decide(
            serde_json::json!({"StringEquals": {amr.clone(): "authenticated"}}),
            &many
        ),
        Deny
    );
    assert_eq!(
        decide(
            serde_json::json!({"ForAnyValue:StringEquals": {amr.clone(): "authenticated"}}),
            &many
        ),
        Allow
    );
    assert_eq!(
        decide(
            serde_json::json!({"ForAllValues:StringEquals": {amr: "authenticated"}}),
            &many
        ),
        Deny
    );
}

#[test]
fn policy_variables_are_substituted() {
    let key = format!("{ISS}:sub");
    let c = claims(Some(ME), &[("aws:username", &["prod"])]);
    let rows: &[(&str, &str, Decision)] = &[
        ("StringEquals", "${ISSUER:sub}", Allow),
        (
            "StringEquals",
            "system:serviceaccount:${aws:username}:app",
            Allow,
        ),
        (
            "StringEquals",
            "system:serviceaccount:${aws:PrincipalTag/ns, 'prod'}:app",
            Allow,
        ),
        // No value and no default: the value matches nothing, not even under a negated operator.
        (
            "StringEquals",
            "system:serviceaccount:${aws:PrincipalTag/ns}:app",
            Deny,
        ),
        (
            "StringNotEquals",
            "system:serviceaccount:${aws:PrincipalTag/ns}:x",
            Deny,
        ),
        // A substituted `*` is a star.
        ("StringLike", "system:serviceaccount:prod:${*}", Deny),
        ("StringLike", "system:${aws:username}*", Deny),
    ];
    for (op, value, want) in rows {
        let value = value.replace("ISSUER", ISS);
        let cond = serde_json::json!({ *op: { key.clone(): value.clone() } });
        assert_eq!(decide(cond, &c), *want, "{op} {value}");
    }
    // In a 2008-10-17 policy `${...}` is literal text.
    let text = policy(sub_is("system:serviceaccount:${aws:username}:app"))
        .replace("2012-10-17", "2008-10-17");
    let p = eval::parse_trust_text(&text).unwrap();
    assert_eq!(eval::evaluate(&p, &c).decision, Deny);
}

#[test]
fn wildcard_principals_admit_every_token() {
    let any_issuer = Claims {
        iss: Some("https://token.actions.githubusercontent.com".into()),
        ..claims(Some("repo:org/x:ref:refs/heads/main"), &[])
    };
    for principal in [serde_json::json!("*"), serde_json::json!({"AWS": "*"})] {
        let e = decide_statements(
            vec![stmt("Allow", principal.clone(), serde_json::json!({}))],
            &any_issuer,
        );
        assert_eq!(e.decision, Allow, "{principal}");
    }
    // Near miss: another AWS principal is not a web identity.
    let e = decide_statements(
        vec![stmt(
            "Allow",
            serde_json::json!({"AWS": "arn:aws:iam::111122223333:root"}),
            serde_json::json!({}),
        )],
        &any_issuer,
    );
    assert_eq!(e.decision, Deny);
}

#[test]
fn every_operator_family() {
    let c = claims(
        Some(ME),
        &[
            ("aws:SourceIp", &["10.1.2.3"]),
            ("aws:CurrentTime", &["2027-03-15T08:30:00Z"]),
            ("aws:EpochTime", &["1800000000"]),
        ],
    );
    let own = provider("aws", ACCOUNT, ISS);
    let rows: &[(&str, &str, &str, Decision)] = &[
        ("IpAddress", "aws:SourceIp", "10.0.0.0/8", Allow),
        ("IpAddress", "aws:SourceIp", "192.0.2.0/24", Deny),
        ("NotIpAddress", "aws:SourceIp", "192.0.2.0/24", Allow),
        ("IpAddress", "aws:SourceIp", "2001:db8::/32", Deny),
        (
            "DateGreaterThan",
            "aws:CurrentTime",
            "2025-01-01T00:00:00Z",
            Allow,
        ),
        (
            "DateLessThan",
            "aws:CurrentTime",
            "2025-01-01T00:00:00Z",
            Deny,
        ),
        (
            "DateEquals",
            "aws:CurrentTime",
            "2027-03-15T09:30:00+01:00",
            Allow,
        ),
        (
            "DateNotEquals",
            "aws:CurrentTime",
            "2027-03-15T08:30:00Z",
            Deny,
        ),
        ("NumericLessThan", "aws:EpochTime", "1893456000", Allow),
        (
            "NumericGreaterThanEquals",
            "aws:EpochTime",
            "1893456000",
            Deny,
        ),
        ("DateLessThan", "aws:EpochTime", "1893456000", Allow),
        ("Bool", "aws:SecureTransport", "true", Allow),
        ("Bool", "aws:SecureTransport", "false", Deny),
        ("BoolIfExists", "aws:SecureTransport", "false", Deny),
        ("ArnEquals", "aws:FederatedProvider", own.as_str(), Allow),
        (
            "ArnLike",
            "aws:FederatedProvider",
            "arn:aws:iam::*:oidc-provider/*",
            Allow,
        ),
        (
            "ArnLike",
            "aws:FederatedProvider",
            "arn:aws:iam::444455556666:oidc-provider/*",
            Deny,
        ),
        (
            "ArnNotLike",
            "aws:FederatedProvider",
            "arn:aws:iam::444455556666:*",
            Allow,
        ),
        // `*` does not cross the ARN's colons.
        (
            "ArnLike",
            "aws:FederatedProvider",
            "arn:*:oidc-provider/*",
            Deny,
        ),
        ("StringEquals", "aws:FederatedProvider", own.as_str(), Allow),
        ("BinaryEquals", "aws:SecureTransport", "dHJ1ZQ==", Deny),
        // Keys the request never carries are absent.
        ("StringEquals", "aws:SourceAccount", ACCOUNT, Deny),
        ("StringNotEquals", "aws:SourceArn", "arn:aws:eks:*", Allow),
        ("Null", "aws:SourceAccount", "true", Allow),
        ("Null", "aws:FederatedProvider", "false", Allow),
    ];
    for (op, key, value, want) in rows {
        let cond = serde_json::json!({ *op: { *key: *value } });
        assert_eq!(decide(cond, &c), *want, "{op} {key} {value}");
    }
}

#[test]
fn caller_only_keys_make_a_decision_conditional() {
    let c = claims(Some(ME), &[]);
    let own = serde_json::json!({"Federated": provider("aws", ACCOUNT, ISS)});
    let ip = serde_json::json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}});
    let e = decide_statements(vec![stmt("Allow", own.clone(), ip.clone())], &c);
    assert_eq!(e.decision, Conditional);
    assert_eq!(e.depends_on, vec!["aws:SourceIp".to_string()]);
    // With the value, decided.
    let given = claims(Some(ME), &[("aws:sourceip", &["10.9.9.9"])]);
    assert_eq!(
        decide_statements(vec![stmt("Allow", own.clone(), ip.clone())], &given).decision,
        Allow
    );
    // Another condition that fails decides anyway; another Allow that applies too.
    let other_sub = serde_json::json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "StringEquals": {format!("{ISS}:sub"): "system:serviceaccount:x:y"}});
    assert_eq!(
        decide_statements(vec![stmt("Allow", own.clone(), other_sub)], &c).decision,
        Deny
    );
    assert_eq!(
        decide_statements(
            vec![
                stmt("Allow", own.clone(), ip.clone()),
                stmt("Allow", own.clone(), sub_is(ME))
            ],
            &c
        )
        .decision,
        Allow
    );
    // A Deny that depends on the time makes an Allow conditional.
    let time = serde_json::json!({"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}});
    let e = decide_statements(
        vec![
            stmt("Allow", own.clone(), sub_is(ME)),
            stmt("Deny", own.clone(), time.clone()),
        ],
        &c,
    );
    assert_eq!((e.decision, e.statement), (Conditional, Some(1)));
    assert_eq!(e.depends_on, vec!["aws:CurrentTime".to_string()]);
    // ... and nothing when nothing allows.
    let e = decide_statements(vec![stmt("Deny", own.clone(), time)], &c);
    assert_eq!(e.decision, Deny);
    // The time is in every request: Null on it is decided.
    let null = serde_json::json!({"Null": {"aws:CurrentTime": "true"}});
    assert_eq!(
        decide_statements(vec![stmt("Allow", own.clone(), null)], &c).decision,
        Deny
    );
    let vpce = serde_json::json!({"Null": {"aws:SourceVpce": "false"}});
    assert_eq!(
        decide_statements(vec![stmt("Allow", own, vpce)], &c).decision,
        Conditional
    );
}

#[test]
fn element_names_are_case_sensitive() {
    let good = policy(sub_is(ME));
    assert!(eval::parse_trust_text(&good).is_ok());
    for (from, to) in [
        ("\"Statement\"", "\"statement\""),
        ("\"Effect\"", "\"effect\""),
        ("\"Allow\"", "\"allow\""),
        ("\"Federated\"", "\"federated\""),
        ("\"Condition\"", "\"CONDITION\""),
        ("\"Version\"", "\"version\""),
    ] {
        let bad = good.replacen(from, to, 1);
        let errs = eval::parse_trust_text(&bad).unwrap_err();
        assert_eq!(errs[0].code, "IRSA001", "{to}");
        assert!(
            errs[0].message.contains("case-sensitive"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].line.is_some());
    }
}

#[test]
fn checker_verdicts() {
    use eval::verdict::{self, Reach};
    let text = |condition: serde_json::Value| {
        eval::parse_trust_text(&serde_json::json!({"Version": "2012-10-17", "Statement": [
            stmt("Allow", serde_json::json!({"Federated": provider("aws", ACCOUNT, ISS)}), condition)]}).to_string()).unwrap()
    };
    let auds = ["sts.amazonaws.com"];
    let r = role("aws", ACCOUNT);
    let pinned = text(sub_is(ME));
    assert_eq!(verdict::reach(&pinned, ISS, &auds, Some(&r)), Reach::Some);
    assert_eq!(
        verdict::admits(&pinned, ISS, "prod", "app", "sts.amazonaws.com", Some(&r)).decision,
        Allow
    );
    assert_eq!(
        verdict::admits(&pinned, ISS, "prod", "other", "sts.amazonaws.com", Some(&r)).decision,
        Deny
    );
    let open =
        text(serde_json::json!({"StringEquals": {format!("{ISS}:aud"): "sts.amazonaws.com"}}));
    assert_eq!(verdict::reach(&open, ISS, &auds, Some(&r)), Reach::Everyone);
    // A key no token carries (a shell variable never expanded): nobody, not everyone.
    let nobody = text(serde_json::json!({"StringEquals": {"$oidc_provider:sub": ME}}));
    assert_eq!(verdict::reach(&nobody, ISS, &auds, Some(&r)), Reach::Nobody);
    let pattern = text(
        serde_json::json!({"StringLike": {format!("{ISS}:sub"): "system:serviceaccount:prod:*"}}),
    );
    assert_eq!(verdict::reach(&pattern, ISS, &auds, Some(&r)), Reach::Some);
    // Another account's role: nobody.
    assert_eq!(
        verdict::reach(&pinned, ISS, &auds, Some(&role("aws", "444455556666"))),
        Reach::Nobody
    );
    let ip = text(serde_json::json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}));
    assert_eq!(
        verdict::reach(&ip, ISS, &auds, Some(&r)),
        Reach::Conditional
    );
    // Any web identity: only a wildcard principal.
    assert!(verdict::open_to_any_web_identity(&pinned, "sts.amazonaws.com").is_none());
    let star = eval::parse_trust_text(
        &serde_json::json!({"Version": "2012-10-17", "Statement": [
        stmt("Allow", serde_json::json!("*"), serde_json::json!({}))]})
        .to_string(),
    )
    .unwrap();
    let e = verdict::open_to_any_web_identity(&star, "sts.amazonaws.com").unwrap();
    assert_eq!((e.decision, e.statement), (Allow, Some(0)));
}
