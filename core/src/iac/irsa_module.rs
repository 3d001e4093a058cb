//! The terraform-aws-modules IRSA module as the trust it makes. Read from
//! the module's own `main.tf` (terraform-aws-iam, v5
//! `modules/iam-role-for-service-accounts-eks` and v6
//! `modules/iam-role-for-service-accounts`): one statement per
//! `oidc_providers` entry, `Effect: Allow`, `Action:
//! sts:AssumeRoleWithWebIdentity`, `Principal: {Federated: provider_arn}`,
//! and two conditions under the operator `assume_role_condition_test` (v5)
//! or `trust_condition_test` (v6), both `StringEquals` by default: `ID:sub`
//! = `system:serviceaccount:` + each of `namespace_service_accounts`, and
//! `ID:aud` = `sts.amazonaws.com`, where ID is `provider_arn` without
//! everything up to `provider/` (the module's `replace(..., "/^(.*provider/)/", "")`).
//! `create_role = false` (v5) or `create = false` (v6) makes no role; a
//! trust merged with other documents (v6 `source_trust_policy_documents`,
//! `override_trust_policy_documents`) or with v5's self-assume statement
//! (`allow_self_assume_role = true`) is said, not half checked.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::hcl::{literal, Locator};
use super::{map, seq, text, Reading};
use crate::source::Node;

/// Module sources (registry paths, after `//`) of the IRSA module, by major version.
const SOURCES: &[&str] = &[
    "modules/iam-role-for-service-accounts-eks",
    "modules/iam-role-for-service-accounts",
];

/// Variables that name the condition operator (v5, v6).
const OPERATOR_VARS: &[&str] = &["assume_role_condition_test", "trust_condition_test"];

/// Variables that, `false`, make no role (v5, v6).
const CREATE_VARS: &[&str] = &["create_role", "create"];

/// Variables that merge other documents into the trust (v6), or add a
/// statement to it (v5's `allow_self_assume_role`): the trust is then not
/// only the statements below, and it is said instead of half checked.
const MERGED_VARS: &[&str] = &[
    "source_trust_policy_documents",
    "override_trust_policy_documents",
    "allow_self_assume_role",
];

pub(super) fn read(loc: &Locator<'_>, name: &str, block: &Block, r: &mut Reading) {
    let attr = |k: &str| block.body.get_attribute(k).map(|a| &a.value);
    let Some(source) = attr("source").and_then(literal) else {
        return;
    };
    if !is_irsa_module(source) {
        return;
    }
    let id = format!("module.{name}");
    if CREATE_VARS
        .iter()
        .filter_map(|k| attr(k))
        .any(|e| matches!(e, Expression::Bool(b) if !*b.value()))
    {
        return;
    }
    if let Some(a) = MERGED_VARS
        .iter()
        .find_map(|k| block.body.get_attribute(k))
        .filter(|a| !matches!(&a.value, Expression::Bool(b) if !*b.value()))
    {
        r.unread(
            loc.of(a),
            format!(
                "`{id}` adds to its trust with `{}`: its trust was not checked",
                a.key.as_str()
            ),
        );
        return;
    }
    let operator = match OPERATOR_VARS.iter().find_map(|k| attr(k)) {
        None => "StringEquals".to_string(),
        Some(e) => match literal(e) {
            Some(op) => op.to_string(),
            None => {
                r.unread(loc.of(e), format!("the condition operator of `{id}` is `{}`, an expression check does not evaluate: its trust was not checked", loc.source(e)));
                return;
            }
        },
    };
    let span = loc.of(block);
    let Some(providers) = attr("oidc_providers") else {
        // No providers: the module's trust has no statement (IAM refuses it).
        return;
    };
    let Expression::Object(entries) = providers else {
        r.unread(loc.of(providers), format!("`oidc_providers` of `{id}` is `{}`, an expression check does not evaluate: its trust was not checked", loc.source(providers)));
        return;
    };
    let statements: Vec<Node> = entries
        .iter()
        .filter_map(|(_, v)| statement(loc, v.expr(), &operator))
        .collect();
    r.push(map(
        vec![
            (text("Version", span), text("2012-10-17", span)),
            (text("Statement", span), seq(statements, span)),
        ],
        span,
    ));
}

/// True for the module's registry address (`terraform-aws-modules/iam/aws//...`)
/// or its Git repository (`git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//...?ref=v5.48.0`).
fn is_irsa_module(source: &str) -> bool {
    let path = source.split('?').next().unwrap_or("").trim_end_matches('/');
    let package = [
        "terraform-aws-modules/iam/aws//",
        "terraform-aws-modules/terraform-aws-iam",
    ];
    package.iter().any(|p| path.contains(p))
        && SOURCES.iter().any(|s| path.ends_with(&format!("//{s}")))
}

/// One `oidc_providers` entry's statement.
fn statement(loc: &Locator<'_>, entry: &Expression, operator: &str) -> Option<Node> {
    let Expression::Object(o) = entry else {
        return None;
    };
    let field = |k: &str| {
        o.iter()
            .find(|(key, _)| loc.source(*key).trim_matches('"') == k)
            .map(|(_, v)| v.expr())
    };
    let arn_expr = field("provider_arn")?;
    let arn = loc.node(arn_expr);
    let arn_text = arn.as_text().unwrap_or("").to_string();
    // The module's replace(arn, "/^(.*provider/)/", ""): greedy, up to the last `provider/`.
    let issuer = match arn_text.rfind("provider/") {
        Some(i) => arn_text
            .get(i + "provider/".len()..)
            .unwrap_or("")
            .to_string(),
        None => arn_text.clone(),
    };
    let span = loc.of(entry);
    let subs = field("namespace_service_accounts").map(|e| loc.node(e));
    let sub_span = subs.as_ref().map_or(span, |n| n.span);
    let sub_values: Vec<Node> = match subs.map(|n| n.value) {
        Some(crate::source::Value::Seq(items)) => items
            .into_iter()
            .map(|i| {
                let v = i.as_text().unwrap_or("").to_string();
                text(format!("system:serviceaccount:{v}"), i.span)
            })
            .collect(),
        Some(_) => vec![text(
            format!(
                "system:serviceaccount:${{{}}}",
                field("namespace_service_accounts").map_or("", |e| loc.source(e))
            ),
            sub_span,
        )],
        None => Vec::new(),
    };
    let condition = map(
        vec![(
            text(operator, span),
            map(
                vec![
                    (
                        text(format!("{issuer}:sub"), sub_span),
                        seq(sub_values, sub_span),
                    ),
                    (
                        text(format!("{issuer}:aud"), arn.span),
                        seq(vec![text("sts.amazonaws.com", arn.span)], arn.span),
                    ),
                ],
                span,
            ),
        )],
        span,
    );
    Some(map(
        vec![
            (text("Effect", span), text("Allow", span)),
            (
                text("Action", span),
                text("sts:AssumeRoleWithWebIdentity", span),
            ),
            (text("Principal", arn.span), {
                let at = arn.span;
                map(vec![(text("Federated", at), arn)], at)
            }),
            (text("Condition", span), condition),
        ],
        span,
    ))
}

#[cfg(test)]
mod tests {
    use super::is_irsa_module;

    #[test]
    fn registry_and_git_sources() {
        assert!(is_irsa_module(
            "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
        ));
        assert!(is_irsa_module(
            "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
        ));
        assert!(is_irsa_module("git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts-eks?ref=v5.48.0"));
        assert!(!is_irsa_module(
            "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
        ));
        assert!(!is_irsa_module(
            "./modules/iam-role-for-service-accounts-eks"
        ));
    }
}
