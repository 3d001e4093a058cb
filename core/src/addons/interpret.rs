//! Declarations to statements: one add-on's release, the user's inputs and
//! the partition make the statements of the role's policy, the managed
//! policies to attach, and the sentences that say where `*` remains.

use indexmap::IndexMap;

use super::decl::{Addon, Condition, Release, Resources, Scope, Statement, Version, When};
use super::grant::AddonGrant;
use super::input::AddonInput;
use crate::aws::{self, Arn, Partition};
use crate::policy::{self, OneOrMany};

/// Where an add-on's policy is built.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Partition of every ARN and service principal.
    pub partition: Partition,
    /// Region of the cluster.
    pub region: &'a str,
    /// Account of the cluster.
    pub account: &'a str,
    /// The cluster's name, when the spec has one.
    pub cluster_name: Option<&'a str>,
}

/// What an add-on grants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddonPolicy {
    /// Statements for the role's inline permissions policy.
    pub statements: Vec<policy::Statement>,
    /// AWS managed policies to attach.
    pub managed_policy_arns: Vec<String>,
    /// Why some resources are `*` (or all of a kind): one sentence each.
    pub wildcards: Vec<String>,
}

impl Addon {
    /// The current release: what a grant without `version` gets.
    pub fn current(&self) -> Option<&'static Release> {
        self.releases.last()
    }

    /// The controller versions each release is for: `>= 0.33, < 1.0`, ..., `any`.
    pub fn release_ranges(&self) -> Vec<(String, &'static Release)> {
        let releases = self.releases;
        releases
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let next = releases.get(i + 1).and_then(|n| n.since);
                let range = match (r.since, next) {
                    (Some(a), Some(b)) => format!(">= {a}, < {b}"),
                    (Some(a), None) => format!(">= {a}"),
                    (None, Some(b)) => format!("< {b}"),
                    (None, None) => "any".to_string(),
                };
                (range, r)
            })
            .collect()
    }

    /// The release whose policy a controller of this version needs.
    pub fn release(&self, version: Option<&str>) -> Result<&'static Release, String> {
        let Some(text) = version else {
            return self.current().ok_or_else(|| self.name.to_string());
        };
        let Some(v) = Version::parse(text) else {
            return Err(format!(
                "`{}` is not a version such as 1.14 or v0.37.5",
                text.escape_default()
            ));
        };
        let releases = self.releases;
        releases
            .iter()
            .rev()
            .find(|r| r.since.is_none_or(|since| since <= v))
            .ok_or_else(|| match releases.first().and_then(|r| r.since) {
                Some(first) => format!(
                    "irsa-gen follows {}'s policies from {first} on, and {v} is older",
                    self.name
                ),
                None => self.name.to_string(),
            })
    }
}

/// The policy of an add-on grant; None for an unknown add-on name. A version
/// that names no release gets the current policy (validation reports it).
pub fn policy(g: &AddonGrant, cx: &Context<'_>) -> Option<AddonPolicy> {
    Some(policy_of(release_of(g)?, g, cx))
}

/// The AWS managed policies an add-on grant attaches (none for an unknown
/// add-on name), without building its statements.
pub fn managed_policy_arns(g: &AddonGrant, partition: Partition) -> Vec<String> {
    let cx = Context {
        partition,
        region: "",
        account: "",
        cluster_name: None,
    };
    release_of(g).map_or_else(Vec::new, |r| managed(r, &cx))
}

/// The release a grant gets: the one its version names, else the current one.
fn release_of(g: &AddonGrant) -> Option<&'static Release> {
    let addon = super::registry::find(&g.name)?;
    addon
        .release(g.version.as_deref())
        .ok()
        .or_else(|| addon.current())
}

fn managed(release: &Release, cx: &Context<'_>) -> Vec<String> {
    release
        .managed_policies
        .iter()
        .map(|m| expand(m, cx))
        .collect()
}

/// The policy of one release for a grant.
/// The policy of one release for a grant.
pub fn policy_of(release: &Release, g: &AddonGrant, cx: &Context<'_>) -> AddonPolicy {
    let mut widened: Vec<&Scope> = Vec::new();
    let statements = release
        .statements
        .iter()
        .filter_map(|st| statement(st, g, cx, &mut widened))
        .collect();
    let mut wildcards: Vec<String> = release.stays_star.iter().map(|s| expand(s, cx)).collect();
    for scope in widened {
        let note = expand(scope.without, cx);
        if !wildcards.contains(&note) {
            wildcards.push(note);
        }
    }
    AddonPolicy {
        statements,
        managed_policy_arns: managed(release, cx),
        wildcards,
    }
}

/// The values of an input (trimmed by validation), without empty ones.
fn given(g: &AddonGrant, input: AddonInput) -> Vec<String> {
    g.input(input)
        .iter()
        .filter(|v| !v.is_empty())
        .cloned()
        .collect()
}

/// One statement, or None when it is not part of this grant's policy.
fn statement(
    st: &Statement,
    g: &AddonGrant,
    cx: &Context<'_>,
    widened: &mut Vec<&'static Scope>,
) -> Option<policy::Statement> {
    let has = |i: AddonInput| !given(g, i).is_empty();
    let present = match st.when {
        When::Always => true,
        When::GivenOrNeither { own, other } => has(own) || !has(other),
    };
    if !present {
        return None;
    }
    let resources = match st.resources {
        Resources::Star => vec!["*".to_string()],
        Resources::Arns(arns) => arns.iter().map(|a| expand(a, cx)).collect(),
        Resources::Given(input) => {
            let values = given(g, input);
            if values.is_empty() {
                return None;
            }
            values
        }
        Resources::Input(s) => {
            let values = given(g, s.scope.input);
            if values.is_empty() {
                widened.push(s.scope);
                s.scope
                    .fallback
                    .iter()
                    .map(|a| format!("{}{}", expand(a, cx), s.suffix))
                    .collect()
            } else {
                let of_service = |v: &String| match s.service {
                    None => true,
                    Some(svc) => Arn::parse(v).is_some_and(|a| a.service == svc),
                };
                let arns: Vec<String> = values
                    .iter()
                    .filter(|v| of_service(v))
                    .map(|v| format!("{v}{}", s.suffix))
                    .collect();
                if arns.is_empty() {
                    return None;
                }
                arns
            }
        }
    };
    let mut out = policy::allow(st.actions, resources);
    out.condition = conditions(st.conditions, cx);
    Some(out)
}

/// Conditions grouped by operator, in declaration order.
fn conditions(
    list: &[Condition],
    cx: &Context<'_>,
) -> IndexMap<String, IndexMap<String, OneOrMany>> {
    let mut out: IndexMap<String, IndexMap<String, OneOrMany>> = IndexMap::new();
    for c in list {
        let values = c.values.iter().flat_map(|v| expand_values(v, cx)).collect();
        out.entry(c.op.to_string())
            .or_default()
            .insert(expand(c.key, cx), OneOrMany::from_vec(values));
    }
    out
}

/// A condition value: `{sps:SVC}` is every principal of the service, anything else one value.
fn expand_values(template: &str, cx: &Context<'_>) -> Vec<String> {
    match template
        .strip_prefix("{sps:")
        .and_then(|t| t.strip_suffix('}'))
    {
        Some(service) => aws::service_principals(service, cx.partition),
        None => vec![expand(template, cx)],
    }
}

/// A template with its placeholders filled (the placeholders are listed in `decl.rs`).
pub fn expand(template: &str, cx: &Context<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let Some(close) = from.find('}') else {
            out.push_str(from);
            return out;
        };
        let name = from.get(1..close).unwrap_or_default();
        match placeholder(name, cx) {
            Some(value) => out.push_str(&value),
            None => out.push_str(from.get(..=close).unwrap_or_default()),
        }
        rest = from.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

fn placeholder(name: &str, cx: &Context<'_>) -> Option<String> {
    Some(match name {
        "p" => cx.partition.as_str().to_string(),
        "region" => cx.region.to_string(),
        "account" => cx.account.to_string(),
        "cluster" => cx.cluster_name.unwrap_or("CLUSTER_NAME").to_string(),
        _ => aws::service_principal(name.strip_prefix("sp:")?, cx.partition),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(partition: Partition) -> Context<'static> {
        Context {
            partition,
            region: "cn-north-1",
            account: "111122223333",
            cluster_name: Some("c1"),
        }
    }

    #[test]
    fn templates_fill_every_placeholder() {
        let c = cx(Partition::AwsCn);
        assert_eq!(
            expand("arn:{p}:eks:{region}:{account}:cluster/{cluster}", &c),
            "arn:aws-cn:eks:cn-north-1:111122223333:cluster/c1"
        );
        assert_eq!(
            expand("role/aws-service-role/{sp:vpc-lattice}/X", &c),
            "role/aws-service-role/vpc-lattice.amazonaws.com/X"
        );
        assert_eq!(
            expand_values("{sps:ec2}", &c),
            ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]
        );
        assert_eq!(
            expand_values("{sps:ec2}", &cx(Partition::Aws)),
            ["ec2.amazonaws.com"]
        );
        // Not placeholders: kept as written.
        assert_eq!(expand("a{b}c{", &c), "a{b}c{");
    }
}
