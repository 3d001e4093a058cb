//! The readers' edge cases, each on a small text: what is read and where,
//! and what is said instead of guessed.

use super::terraform;
use crate::source::{Limits, Node};

fn tf(text: &str) -> super::Reading {
    terraform::read(text, &Limits::default()).unwrap_or_default()
}

fn codes(r: &super::Reading) -> Vec<&str> {
    r.unread.iter().map(|u| u.code).collect()
}

#[test]
fn strings_are_located_at_their_first_character() {
    let r = tf("resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\" })\n}\n");
    let doc = &r
        .documents
        .first()
        .map(|d| d.root.clone())
        .unwrap_or_else(|| super::text("", Default::default()));
    let v = doc.get("Version").map(|n| n.span);
    // `"2012-10-17"` opens at column 35: the string is at 36.
    assert_eq!(v.map(|s| (s.line, s.column)), Some((2, 36)));
}

#[test]
fn a_heredoc_is_read_in_place() {
    let r = tf("resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\"Version\": \"2012-10-17\", \"Statement\": []}\nEOF\n}\n");
    let doc = r.documents.first().map(|d| &d.root);
    let span = doc
        .and_then(|d| d.get("Statement"))
        .map(|n| (n.span.line, n.span.column));
    assert_eq!(span, Some((3, 40)));
}

#[test]
fn policies_held_elsewhere_are_said() {
    let r = tf(concat!(
        "resource \"aws_iam_role\" \"a\" {\n  assume_role_policy = jsonencode(local.trust)\n}\n",
        "resource \"aws_iam_role\" \"b\" {\n  assume_role_policy = file(\"${path.module}/trust.json\")\n}\n",
        "resource \"aws_iam_role\" \"c\" {\n  assume_role_policy = data.aws_iam_policy_document.elsewhere.json\n}\n",
        "resource \"aws_iam_role\" \"d\" {\n  name = \"no-trust\"\n}\n",
    ));
    assert!(r.documents.is_empty());
    assert_eq!(codes(&r), ["IRSA407", "IRSA001"]);
    // Checked where they are, when the set holds them (check::referenced).
    let targets: Vec<_> = r.references.iter().map(|f| f.target.clone()).collect();
    assert_eq!(
        targets,
        [
            super::Target::File("trust.json".into()),
            super::Target::PolicyDocument("elsewhere".into())
        ]
    );
}

#[test]
fn a_heredoc_with_interpolations_that_break_json_waits_for_them() {
    let r = tf("resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\"Statement\": ${jsonencode(local.s)},}\nEOF\n}\n");
    assert_eq!(codes(&r), ["IRSA410"]);
    let r = tf("resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\"Statement\": [],}\nEOF\n}\n");
    assert_eq!(codes(&r), ["IRSA001"]);
}

#[test]
fn policy_documents_merged_or_dynamic_are_said() {
    let r = tf(concat!(
        "data \"aws_iam_policy_document\" \"a\" {\n  source_policy_documents = [local.x]\n  statement {\n    actions = [\"s3:*\"]\n  }\n}\n",
        "data \"aws_iam_policy_document\" \"b\" {\n  dynamic \"statement\" {\n    for_each = local.s\n    content {}\n  }\n}\n",
    ));
    assert!(r.documents.is_empty());
    assert_eq!(codes(&r), ["IRSA407", "IRSA407"]);
}

#[test]
fn conditions_of_one_test_and_variable_share_the_entry() {
    let r = tf(concat!(
        "data \"aws_iam_policy_document\" \"t\" {\n  statement {\n",
        "    condition {\n      test = \"StringEquals\"\n      variable = \"k\"\n      values = [\"a\"]\n    }\n",
        "    condition {\n      test = \"StringEquals\"\n      variable = \"k\"\n      values = [\"b\"]\n    }\n",
        "  }\n}\n",
    ));
    let json = r.documents.first().map(|d| d.root.to_json());
    assert_eq!(
        json,
        Some(serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Condition": {"StringEquals": {"k": ["a", "b"]}}}
        ]}))
    );
}

#[test]
fn the_irsa_module_makes_one_statement_per_provider() {
    let r = tf(concat!(
        "module \"m\" {\n  source = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n",
        "  assume_role_condition_test = \"StringLike\"\n",
        "  oidc_providers = {\n    a = {\n      provider_arn = \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB\"\n",
        "      namespace_service_accounts = [\"ns:sa\", \"ns:sb\"]\n    }\n  }\n}\n",
        "module \"off\" {\n  source = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts\"\n  create = false\n",
        "  oidc_providers = { a = { provider_arn = \"x\", namespace_service_accounts = [\"a:b\"] } }\n}\n",
    ));
    let json: Vec<_> = r.documents.iter().map(|d| d.root.to_json()).collect();
    let issuer = "oidc.eks.us-east-1.amazonaws.com/id/AB";
    assert_eq!(
        json,
        [serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{issuer}")},
            "Condition": {"StringLike": {
                format!("{issuer}:sub"): ["system:serviceaccount:ns:sa", "system:serviceaccount:ns:sb"],
                format!("{issuer}:aud"): ["sts.amazonaws.com"],
            }}
        }]})]
    );
}

#[test]
fn expressions_are_placeholders_of_their_source() {
    let r = tf("resource \"kubernetes_service_account\" \"s\" {\n  metadata {\n    name = var.name\n    namespace = \"team-${var.env}\"\n  }\n}\n");
    let meta = r
        .documents
        .first()
        .and_then(|d| d.root.get("metadata"))
        .cloned();
    let field = |k: &str| {
        meta.as_ref()
            .and_then(|m| m.get(k))
            .and_then(Node::as_text)
            .map(str::to_string)
    };
    assert_eq!(field("name").as_deref(), Some("${var.name}"));
    assert_eq!(field("namespace").as_deref(), Some("team-${var.env}"));
}

#[test]
fn computed_annotations_may_hold_the_role() {
    let r = tf("resource \"kubernetes_service_account_v1\" \"s\" {\n  metadata {\n    name = \"a\"\n    annotations = merge(local.common, { team = \"x\" })\n  }\n}\n");
    let arn = r
        .documents
        .first()
        .and_then(|d| d.root.get("metadata"))
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(crate::kube::ROLE_ARN))
        .and_then(Node::as_text)
        .map(str::to_string);
    assert_eq!(
        arn.as_deref(),
        Some("${merge(local.common, { team = \"x\" })}")
    );
}

#[test]
fn a_module_trust_merged_with_other_documents_is_said() {
    let r = tf(concat!(
        "module \"m\" {\n  source = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts\"\n",
        "  source_trust_policy_documents = [data.aws_iam_policy_document.extra.json]\n",
        "  oidc_providers = { a = { provider_arn = \"x\", namespace_service_accounts = [\"a:b\"] } }\n}\n",
        "module \"n\" {\n  source = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n",
        "  allow_self_assume_role = false\n",
        "  oidc_providers = { a = { provider_arn = \"x\", namespace_service_accounts = [\"a:b\"] } }\n}\n",
    ));
    assert_eq!(codes(&r), ["IRSA407"]);
    assert_eq!(
        r.documents.len(),
        1,
        "allow_self_assume_role = false adds nothing"
    );
}
