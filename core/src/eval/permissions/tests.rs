//! Tests of the permissions evaluator on small hand-written policies.

use super::*;

fn decide(policy: serde_json::Value, action: &str, resource: &str) -> PermissionsSimulation {
    decide_with(policy, action, resource, &[])
}

fn decide_with(
    policy: serde_json::Value,
    action: &str,
    resource: &str,
    context: &[(&str, &str)],
) -> PermissionsSimulation {
    let files = [SourceFile {
        name: "p.json".into(),
        text: policy.to_string(),
    }];
    let request = PermissionsRequest {
        action: action.into(),
        resource: resource.into(),
        context: context
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect(),
    };
    simulate_permissions(&files, None, &request).unwrap()
}

fn allow(action: &str, resource: &str) -> serde_json::Value {
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": resource}]})
}

#[test]
fn actions_ignore_case_resources_do_not() {
    let p = allow("S3:get*", "arn:aws:s3:::bucket/*");
    assert_eq!(
        decide(p.clone(), "s3:GetObject", "arn:aws:s3:::bucket/a/b").decision,
        Decision::Allow
    );
    let d = decide(p, "s3:GetObject", "arn:aws:s3:::Bucket/a");
    assert_eq!(d.decision, Decision::Deny);
    assert_eq!(d.missing.unwrap().element, Element::Resource);
}

#[test]
fn variables_unknown_matter_only_when_they_can() {
    let p = allow("s3:*", "arn:aws:s3:::home/${aws:username}/*");
    let d = decide(p.clone(), "s3:GetObject", "arn:aws:s3:::home/alice/x");
    assert_eq!(d.decision, Decision::Conditional);
    assert_eq!(d.depends_on, vec!["aws:username".to_string()]);
    let d = decide(p.clone(), "s3:GetObject", "arn:aws:s3:::other/alice/x");
    assert_eq!(d.decision, Decision::Deny);
    let d = decide_with(
        p,
        "s3:GetObject",
        "arn:aws:s3:::home/alice/x",
        &[("aws:username", "alice")],
    );
    assert_eq!(d.decision, Decision::Allow);
}

fn sets(
    identity: serde_json::Value,
    boundary: serde_json::Value,
    context: &[(&str, &str)],
) -> PermissionsSimulation {
    let file = |name: &str, v: &serde_json::Value| SourceFile {
        name: name.into(),
        text: v.to_string(),
    };
    let request = PermissionsRequest {
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::b/k".into(),
        context: context
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect(),
    };
    let b = file("boundary.json", &boundary);
    simulate_permissions(&[file("p.json", &identity)], Some(&b), &request).unwrap()
}

fn on_ip(effect: &str) -> serde_json::Value {
    serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": "s3:*", "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]})
}

#[test]
fn boundary_and_identity_combine() {
    // An implicit deny of one set decides, whatever the other's keys.
    let s = sets(allow("sqs:*", "*"), on_ip("Allow"), &[]);
    assert_eq!(
        (s.decision, s.decided_by),
        (Decision::Deny, PolicySet::Identity)
    );
    // Both must allow: the boundary's unknown key makes it Conditional.
    let s = sets(allow("s3:*", "*"), on_ip("Allow"), &[]);
    assert_eq!(
        (s.decision, s.decided_by),
        (Decision::Conditional, PolicySet::Boundary)
    );
    assert_eq!(s.depends_on, vec!["aws:SourceIp".to_string()]);
    let s = sets(
        allow("s3:*", "*"),
        on_ip("Allow"),
        &[("aws:SourceIp", "10.1.2.3")],
    );
    assert_eq!(s.decision, Decision::Allow);
    // A Deny that may apply makes an Allow conditional; given the key, it decides.
    let both = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]});
    let s = sets(both.clone(), allow("*", "*"), &[]);
    assert_eq!(s.decision, Decision::Conditional);
    assert_eq!(s.statement.map(|st| st.index), Some(1));
    let s = sets(both, allow("*", "*"), &[("aws:SourceIp", "10.1.2.3")]);
    assert_eq!((s.decision, s.explicit), (Decision::Deny, true));
}

#[test]
fn variables_only_in_2012_10_17_policies() {
    let mut p = allow("s3:*", "arn:aws:s3:::home/${aws:username}/*");
    p["Version"] = "2008-10-17".into();
    let literal = decide_with(
        p.clone(),
        "s3:GetObject",
        "arn:aws:s3:::home/${aws:username}/x",
        &[],
    );
    assert_eq!(literal.decision, Decision::Allow);
    let other = decide_with(
        p,
        "s3:GetObject",
        "arn:aws:s3:::home/alice/x",
        &[("aws:username", "alice")],
    );
    assert_eq!(other.decision, Decision::Deny);
}

#[test]
fn request_problems() {
    let request = PermissionsRequest {
        action: "s3:Get*".into(),
        resource: String::new(),
        ..PermissionsRequest::default()
    };
    assert_eq!(request.problems().len(), 2);
}
