//! The doctor: rules that need live state (IRSA5xx). The dumps of a cluster
//! and an account ([`super::live`]) are judged together with the
//! ServiceAccounts, Pods and trusts of the set: the issuer the cluster really
//! has, the OIDC providers and roles that really exist, the pods as they were
//! started, the Pod Identity associations and the agent add-on.
//!
//! Each rule fires only on facts the set holds: no cluster dump, no issuer
//! rule; a role list with more pages proves no role absent. "The cluster" is
//! the one `describe-cluster` of the set (with several, the rules that need
//! it do not run).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::found::{Found, SaDoc, TrustDoc};
use super::live::addons::POD_IDENTITY_AGENT;
use super::live::facts::{Cluster, LiveAssociation};
use super::out::Out;
use crate::eval::{self, Decision};
use crate::kube;
use crate::placeholder::{self, Same};
use crate::source::Span;

/// (account, role name): how IAM identifies a role whatever its path.
pub(super) type RoleKey = (String, String);

pub(super) fn role_key(arn: &str) -> Option<RoleKey> {
    let role = eval::Role::from_arn(arn).ok()?;
    Some((role.account, arn.rsplit('/').next()?.to_string()))
}

/// The cluster of the set: its one `describe-cluster`.
fn the_cluster<'f>(found: &'f Found<'_>) -> Option<&'f Cluster<'f>> {
    let names: BTreeSet<&str> = found
        .live
        .clusters
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    (names.len() == 1)
        .then(|| found.live.clusters.first())
        .flatten()
}

/// The account of an EKS cluster ARN (`arn:P:eks:REGION:ACCOUNT:cluster/NAME`).
fn cluster_account<'c>(cluster: &'c Cluster<'_>) -> &'c str {
    cluster.arn.split(':').nth(4).unwrap_or_default()
}

/// ServiceAccounts with a role the doctor can follow.
fn annotated<'f>(found: &'f Found<'_>) -> impl Iterator<Item = &'f SaDoc<'f>> {
    found
        .sas
        .iter()
        .filter(|s| s.role_arn.is_some() && s.linkable && !s.templated)
}

/// Where a finding about a trust goes: the span, or the URL-encoded string it came from.
fn in_trust(t: &TrustDoc<'_>, span: Span) -> Span {
    t.encoded.unwrap_or(span)
}

/// The associations of the cluster (all of them when no cluster is dumped), one per ServiceAccount.
fn associations<'f>(
    found: &'f Found<'_>,
    cluster: Option<&Cluster<'_>>,
) -> Vec<&'f LiveAssociation<'f>> {
    let mut seen = HashSet::new();
    found
        .live
        .associations
        .iter()
        .filter(|a| cluster.is_none_or(|c| c.name == a.cluster))
        .filter(|a| seen.insert((&a.cluster, &a.namespace, &a.service_account)))
        .collect()
}

/// Roles proved absent: accounts a complete dump lists, and every role dumped.
pub(super) struct Roles<'f> {
    /// Account -> (roles listed, the dump's file).
    complete: BTreeMap<String, (usize, &'f str)>,
    known: HashSet<RoleKey>,
}

impl<'f> Roles<'f> {
    pub(super) fn new(found: &Found<'f>) -> Roles<'f> {
        let mut complete = BTreeMap::new();
        let mut known = HashSet::new();
        for d in &found.live.role_dumps {
            let accounts: BTreeSet<&str> = d.roles.iter().map(|(a, _)| a.as_str()).collect();
            if d.complete {
                for a in accounts {
                    complete.entry(a.to_string()).or_insert((0, d.file)).0 += d.roles.len();
                }
            }
            known.extend(d.roles.iter().cloned());
        }
        Roles { complete, known }
    }

    /// True when some dump has the role.
    pub(super) fn dumped(&self, key: &RoleKey) -> bool {
        self.known.contains(key)
    }

    /// The number of roles listed in the account of `arn`, and a dump's
    /// file, when the complete dumps of that account lack the role.
    pub(super) fn absent(&self, arn: &str) -> Option<(usize, &'f str)> {
        let key = role_key(arn)?;
        let listed = *self.complete.get(&key.0)?;
        (!self.known.contains(&key)).then_some(listed)
    }
}

/// Runs every doctor rule over the set.
pub(super) fn check(found: &Found<'_>, out: &mut Out) {
    let cluster = the_cluster(found);
    if let Some(c) = cluster {
        issuer_mismatch(found, c, out);
        missing_provider(found, c, out);
        audience(found, c, out);
    }
    absent_roles(found, out);
    stale_pods(found, out);
    let associations = associations(found, cluster);
    pod_identity_trusts(found, cluster, out);
    agent(found, &associations, out);
    both(found, &associations, out);
}

/// The trusts of dumped roles, by role.
fn trusts_by_role<'f>(found: &'f Found<'_>) -> HashMap<RoleKey, &'f TrustDoc<'f>> {
    found
        .trusts
        .iter()
        .filter_map(|t| Some((role_key(t.role_arn.as_deref()?)?, t)))
        .collect()
}

/// IRSA501: a trust a ServiceAccount of the set uses names other issuers than the cluster's.
fn issuer_mismatch(found: &Found<'_>, cluster: &Cluster<'_>, out: &mut Out) {
    let sas: Vec<&SaDoc<'_>> = annotated(found).collect();
    for t in found.trusts.iter().filter(|t| !t.providers.is_empty()) {
        let differs = t.providers.iter().all(|p| {
            p.starts_with("oidc.eks.")
                && placeholder::compare_issuers(&cluster.issuer, p) == Same::No
        });
        if !differs {
            continue;
        }
        let role = t.role_arn.as_deref().and_then(role_key);
        let users: Vec<String> = sas
            .iter()
            .filter(|s| match &role {
                Some(r) => s.role_arn.as_deref().and_then(role_key).as_ref() == Some(r),
                None => t
                    .literal_subs
                    .contains(&kube::subject(&s.namespace, &s.name)),
            })
            .map(|s| format!("{}/{}", s.namespace, s.name))
            .collect();
        let Some(first) = users.first() else { continue };
        let span = t
            .policy
            .statements
            .iter()
            .flat_map(|s| s.federated())
            .next()
            .map_or(t.root_span, |p| p.value.span);
        let whose = t.role_arn.as_deref().map_or_else(
            || "the trust policy".to_string(),
            |r| format!("the trust of role `{r}`"),
        );
        let more = if users.len() > 1 {
            format!(" and {} more", users.len() - 1)
        } else {
            String::new()
        };
        out.push_help(
            t.file,
            in_trust(t, span),
            "IRSA501",
            format!(
                "{whose} names the provider of `{}`, but cluster `{}` (platform {}) issues its tokens as `{}` ({}); ServiceAccount `{first}`{more} uses it",
                t.providers.join("`, `"),
                cluster.name,
                cluster.platform_version,
                cluster.issuer,
                cluster.file
            ),
            format!(
            "Point the Federated principal and the condition keys at the cluster's issuer: oidc-provider/{} and \"{}:sub\" (aws eks describe-cluster --name {} --query cluster.identity.oidc.issuer).",
            cluster.issuer, cluster.issuer, cluster.name
        ),
        );
    }
}

/// IRSA502: an account whose roles pods assume has no OIDC provider for the cluster's issuer.
fn missing_provider(found: &Found<'_>, cluster: &Cluster<'_>, out: &mut Out) {
    // Accounts that need the provider, with who needs it.
    let mut needed: BTreeMap<String, String> = BTreeMap::new();
    for s in annotated(found) {
        if let Some((account, _)) = s.role_arn.as_deref().and_then(role_key) {
            needed
                .entry(account)
                .or_insert_with(|| format!("ServiceAccount `{}/{}`", s.namespace, s.name));
        }
    }
    for t in found
        .trusts
        .iter()
        .filter(|t| t.providers.contains(&cluster.issuer))
    {
        if let Some((account, name)) = t.role_arn.as_deref().and_then(role_key) {
            needed
                .entry(account)
                .or_insert_with(|| format!("role `{name}`"));
        }
    }
    for (account, who) in needed {
        let lists: Vec<_> = found
            .live
            .provider_lists
            .iter()
            .filter(|l| {
                l.providers.iter().any(|(_, a, _)| *a == account)
                    || (l.providers.is_empty() && cluster_account(cluster) == account)
            })
            .collect();
        let Some(first) = lists.first() else { continue };
        let has = lists
            .iter()
            .flat_map(|l| &l.providers)
            .any(|(_, a, i)| *a == account && *i == cluster.issuer);
        if has {
            continue;
        }
        let mut d = crate::rules::diagnostic(
            "IRSA502",
            format!(
                "account {account} has no IAM OIDC provider for `{}`, the issuer of cluster `{}`, and {who} assumes a role there",
                cluster.issuer, cluster.name
            ),
        )
        .at(first.span)
        .in_file(Some(first.file));
        d.help = format!(
            "Create it in account {account}: aws iam create-open-id-connect-provider --url https://{} --client-id-list sts.amazonaws.com (or, in the cluster's account, eksctl utils associate-iam-oidc-provider --cluster {} --approve).",
            cluster.issuer, cluster.name
        );
        d.failure = Some(format!(
            "InvalidIdentityToken: No OpenIDConnect provider found in your account for https://{}",
            cluster.issuer
        ));
        out.diags.push(d);
    }
}

/// IRSA503: the cluster's provider does not list an audience the ServiceAccounts' tokens carry.
fn audience(found: &Found<'_>, cluster: &Cluster<'_>, out: &mut Out) {
    let mut auds: BTreeMap<&str, String> = BTreeMap::new();
    for s in annotated(found) {
        let aud = s
            .audience
            .as_ref()
            .map_or(kube::DEFAULT_AUDIENCE, |(a, _)| a.as_str());
        auds.entry(aud)
            .or_insert_with(|| format!("{}/{}", s.namespace, s.name));
    }
    for p in found
        .live
        .providers
        .iter()
        .filter(|p| p.url == cluster.issuer)
    {
        for (aud, who) in auds
            .iter()
            .filter(|(a, _)| !p.client_ids.iter().any(|c| c == *a))
        {
            out.push_help(
                p.file,
                p.client_ids_span,
                "IRSA503",
                format!(
                    "the OIDC provider of `{}` lists the client IDs [{}], not `{aud}`, the audience of ServiceAccount `{who}`'s tokens",
                    p.url,
                    p.client_ids.join(", ")
                ),
                format!(
                "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::ACCOUNT:oidc-provider/{} --client-id {aud}",
                p.url
            ),
            );
        }
    }
}

/// IRSA504: a ServiceAccount or association names a role a complete dump of its account lacks.
fn absent_roles(found: &Found<'_>, out: &mut Out) {
    let roles = Roles::new(found);
    let mut push = |file: &str, span: Span, who: String, arn: &str| {
        if let Some((n, dump)) = roles.absent(arn) {
            let account = role_key(arn).map(|k| k.0).unwrap_or_default();
            out.push(
                file,
                span,
                "IRSA504",
                format!("{who} names role `{arn}`, which is not among the {n} roles of account {account} ({dump})"),
            );
        }
    };
    for s in annotated(found) {
        if let Some(arn) = s.role_arn.as_deref() {
            push(
                s.file,
                s.role_arn_span.unwrap_or(s.name_span),
                format!("ServiceAccount `{}/{}`", s.namespace, s.name),
                arn,
            );
        }
    }
    for a in &found.live.associations {
        if let Some((arn, span)) = &a.role {
            push(
                a.file,
                *span,
                format!(
                    "the Pod Identity association of `{}/{}`",
                    a.namespace, a.service_account
                ),
                arn,
            );
        }
    }
}

/// IRSA505: a running pod of an annotated ServiceAccount was started without (or before) its role.
fn stale_pods(found: &Found<'_>, out: &mut Out) {
    let by_key: HashMap<(&str, &str), &SaDoc<'_>> = annotated(found)
        .map(|s| ((s.namespace.as_str(), s.name.as_str()), s))
        .collect();
    for p in found.live.pods.iter().filter(|p| !p.pod_identity) {
        let Some(sa) = by_key.get(&(p.namespace.as_str(), p.service_account.as_str())) else {
            continue;
        };
        let role = sa.role_arn.as_deref().unwrap_or_default();
        let what = if !p.without_role.is_empty() {
            format!(
                "its containers `{}` have no AWS_ROLE_ARN",
                p.without_role.join("`, `")
            )
        } else if let Some(old) = p.role_arns.iter().find(|r| r.as_str() != role) {
            format!("its containers have AWS_ROLE_ARN `{old}`")
        } else {
            continue;
        };
        out.push_help(
            p.file,
            p.span,
            "IRSA505",
            format!(
                "Pod `{}/{}` runs as ServiceAccount `{}`, annotated with role `{role}`, but {what}: it was started before the annotation",
                p.namespace, p.name, p.service_account
            ),
            format!(
            "Restart it so the webhook injects the role: kubectl delete pod {} -n {} (its controller recreates it), or kubectl rollout restart the workload that owns it.",
            p.name, p.namespace
        ),
        );
    }
}

/// IRSA506: an association's role trust does not let EKS Auth in (asked of the evaluator).
fn pod_identity_trusts(found: &Found<'_>, cluster: Option<&Cluster<'_>>, out: &mut Out) {
    let trusts = trusts_by_role(found);
    for a in &found.live.associations {
        let Some((arn, span)) = &a.role else { continue };
        let Some(t) = role_key(arn).and_then(|k| trusts.get(&k)) else {
            continue;
        };
        let cluster_arn = cluster
            .filter(|c| c.name == a.cluster)
            .map_or("", |c| c.arn.as_str());
        let e = eval::verdict::admits_pod_identity(
            &t.policy,
            &a.namespace,
            &a.service_account,
            (&a.cluster, cluster_arn),
        );
        if e.decision != Decision::Deny {
            continue;
        }
        out.push(
            a.file,
            *span,
            "IRSA506",
            format!(
                "the Pod Identity association of `{}/{}` in cluster `{}` uses role `{arn}`, whose trust ({}) does not let pods.eks.amazonaws.com call sts:AssumeRole and sts:TagSession: {}",
                a.namespace, a.service_account, a.cluster, t.file, e.reason
            ),
        );
    }
}

/// IRSA507: associations, and a complete add-on list without the Pod Identity Agent.
fn agent(found: &Found<'_>, associations: &[&LiveAssociation<'_>], out: &mut Out) {
    let Some(first) = associations.first() else {
        return;
    };
    let installed = found
        .live
        .addons
        .iter()
        .any(|l| l.names.iter().any(|n| n == POD_IDENTITY_AGENT))
        || found
            .workloads
            .iter()
            .any(|w| w.kind == "DaemonSet" && w.name == POD_IDENTITY_AGENT);
    let Some(list) = found
        .live
        .addons
        .iter()
        .find(|l| l.complete && l.cluster.as_ref().is_none_or(|c| *c == first.cluster))
    else {
        return;
    };
    if installed {
        return;
    }
    out.push_help(
        list.file,
        list.span,
        "IRSA507",
        format!(
            "cluster `{}` has {} Pod Identity association(s) (`{}/{}` in {}), but its add-ons do not include {POD_IDENTITY_AGENT}",
            first.cluster,
            associations.len(),
            first.namespace,
            first.service_account,
            first.file
        ),
        format!(
        "aws eks create-addon --cluster-name {} --addon-name {POD_IDENTITY_AGENT}",
        first.cluster
    ),
    );
}

/// IRSA508: a ServiceAccount with both a role-arn annotation and an association.
fn both(found: &Found<'_>, associations: &[&LiveAssociation<'_>], out: &mut Out) {
    let by_key: HashMap<(&str, &str), &&LiveAssociation<'_>> = associations
        .iter()
        .map(|a| ((a.namespace.as_str(), a.service_account.as_str()), a))
        .collect();
    for s in annotated(found) {
        let Some(a) = by_key.get(&(s.namespace.as_str(), s.name.as_str())) else {
            continue;
        };
        // One role both ways (a migration's `both`): new pods get this same
        // role through the association, so nothing changes for them.
        if a.role
            .as_ref()
            .is_some_and(|(r, _)| Some(r) == s.role_arn.as_ref())
        {
            continue;
        }
        out.push(
            s.file,
            s.role_arn_span.unwrap_or(s.name_span),
            "IRSA508",
            format!(
                "ServiceAccount `{}/{}` has the role-arn annotation and a Pod Identity association in cluster `{}` ({}): pods created from now on get the association's credentials, not this role",
                s.namespace, s.name, a.cluster, a.file
            ),
        );
    }
}
