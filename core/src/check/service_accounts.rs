//! The set's ServiceAccounts against what relies on them: a workload's
//! ServiceAccount that is missing, in another namespace (IRSA202, IRSA303) or
//! left `default` beside an IRSA one (IRSA201); a ServiceAccount a workload
//! or a trust relies on without a role ARN (IRSA101); one ServiceAccount
//! with two role ARNs (IRSA304); a role trust for no pod that a
//! ServiceAccount's role-arn names ([`mark_named`]: judged as an IRSA trust
//! after all). Whether a trust admits each ServiceAccount is
//! [`super::linking`]'s.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::doctor;
use super::found::{Found, SaDoc, TrustDoc};
use super::out::Out;
use super::trust_checks::meant_for_pods;
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::inventory::{InputKind, Inventory};
use crate::kube;
use crate::placeholder;

/// IRSA101, IRSA201, IRSA202 and IRSA303 over the set's ServiceAccounts,
/// workloads and trusts, and IRSA304 between ServiceAccounts.
pub(super) fn check(found: &Found<'_>, out: &mut Out) {
    // A trust that names pods.eks.amazonaws.com, alone or beside OIDC
    // providers (a migration's `both`, or a role other clusters still reach
    // through IRSA), may serve its ServiceAccounts through an association:
    // they need no role-arn annotation (IRSA101).
    let pod_identity = found.trusts.iter().any(|t| {
        t.policy.statements.iter().any(|s| {
            s.principals
                .iter()
                .any(|p| p.value.value == POD_IDENTITY_PRINCIPAL)
        })
    });
    let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, sa) in found.sas.iter().enumerate().filter(|(_, s)| s.linkable) {
        by_key
            .entry((sa.namespace.as_str(), sa.name.as_str()))
            .or_default()
            .push(i);
        by_name.entry(sa.name.as_str()).or_default().push(i);
    }
    duplicates(found, &by_key, out);
    // The IRSA ServiceAccounts of each namespace (IRSA201).
    let mut irsa_in: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for sa in found
        .sas
        .iter()
        .filter(|s| s.linkable && s.role_arn.is_some())
    {
        irsa_in
            .entry(sa.namespace.as_str())
            .or_default()
            .insert(sa.name.as_str());
    }
    // Named ServiceAccounts the trusts admit, by namespace (IRSA201 without the ServiceAccount).
    let mut admitted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in &found.trusts {
        for (ns, name) in t.literal_subs.iter().filter_map(|s| kube::parse_subject(s)) {
            if name != "default" {
                admitted.entry(ns).or_default().insert(name);
            }
        }
    }
    let sas_templated = found.sas.iter().any(|s| s.templated);
    // ServiceAccounts something relies on, with who.
    let mut relied: HashMap<usize, String> = HashMap::new();
    for w in found.workloads.iter().filter(|w| !w.templated) {
        let sa_name =
            w.sa.as_ref()
                .map(|(n, _)| n.as_str())
                .filter(|n| !n.is_empty() && *n != "default");
        match sa_name {
            None => {
                let irsa: Vec<&str> = irsa_in
                    .get(w.namespace.as_str())
                    .map(|names| names.iter().copied().collect())
                    .unwrap_or_default();
                let span = w.sa.as_ref().map_or(w.spec_span, |(_, s)| *s);
                if !irsa.is_empty() {
                    out.push(w.file, span, "IRSA201", format!("{} `{}` runs as the `default` service account, but namespace `{}` has the IRSA service account `{}`", w.kind, w.name, w.namespace, irsa.join("`, `")));
                } else if let Some(names) = admitted.get(w.namespace.as_str()) {
                    let names: Vec<&str> = names.iter().copied().collect();
                    out.push(w.file, span, "IRSA201", format!("{} `{}` runs as the `default` service account, but a trust policy of the set admits the service account `{}` of namespace `{}`", w.kind, w.name, names.join("`, `"), w.namespace));
                }
            }
            Some(n) => {
                let span = w.sa.as_ref().map_or(w.spec_span, |(_, s)| *s);
                if let Some(ix) = by_key.get(&(w.namespace.as_str(), n)) {
                    for i in ix {
                        relied
                            .entry(*i)
                            .or_insert_with(|| format!("{} `{}` in {}", w.kind, w.name, w.file));
                    }
                } else if let Some(other) = by_name.get(n) {
                    let nss: BTreeSet<&str> = other
                        .iter()
                        .filter_map(|i| found.sas.get(*i))
                        .map(|s| s.namespace.as_str())
                        .collect();
                    out.push(
                        w.file,
                        w.namespace_span,
                        "IRSA303",
                        format!(
                            "{} `{}` is in namespace `{}` but ServiceAccount `{n}` is in `{}`",
                            w.kind,
                            w.name,
                            w.namespace,
                            nss.into_iter().collect::<Vec<_>>().join("`, `")
                        ),
                    );
                } else if found.sas.iter().any(|s| s.linkable) && !sas_templated {
                    out.push(w.file, span, "IRSA202", format!("{} `{}` uses ServiceAccount `{n}`, which is not among the ServiceAccounts of namespace `{}`", w.kind, w.name, w.namespace));
                }
            }
        }
    }
    for t in &found.trusts {
        for sub in &t.literal_subs {
            if let Some((ns, name)) = kube::parse_subject(sub) {
                for i in by_key.get(&(ns, name)).into_iter().flatten() {
                    relied
                        .entry(*i)
                        .or_insert_with(|| format!("the trust policy {}", t.file));
                }
            }
        }
    }
    if !pod_identity {
        let mut relied: Vec<_> = relied.into_iter().collect();
        relied.sort();
        for (i, who) in relied {
            if let Some(sa) = found.sas.get(i) {
                if sa.role_arn_span.is_none() {
                    out.push(sa.file, sa.name_span, "IRSA101", format!("ServiceAccount `{}/{}` has no eks.amazonaws.com/role-arn, but {who} relies on it", sa.namespace, sa.name));
                }
            }
        }
    }
}

/// Marks `linked` the trusts that show no pod (IRSA022 alone, or a dumped
/// role listed, not judged) but whose role a ServiceAccount's role-arn
/// names, and counts a file's as a trust policy: a pod relies on them, so
/// IRSA002 is certain. The role-arns are indexed once: each trust costs a
/// lookup per name, not a pass over the ServiceAccounts.
pub(super) fn mark_named(
    trusts: &mut [TrustDoc<'_>],
    sas: &[SaDoc<'_>],
    inventory: &mut Inventory,
) {
    let named = RoleArns::new(sas);
    if named.is_empty() {
        return;
    }
    for t in trusts.iter_mut() {
        let dumped = t.role_arn.as_deref().and_then(doctor::role_key);
        if (dumped.is_none() && t.role_names.is_empty()) || meant_for_pods(&t.policy) {
            continue;
        }
        let sa = match &dumped {
            // A dump's role is the role of that account and name.
            Some(role) => named.by_role.get(role),
            None => t
                .role_names
                .iter()
                .find_map(|n| named.by_name.get(n.as_str())),
        };
        let Some(sa) = sa else { continue };
        t.linked = Some(format!("{}/{}", sa.namespace, sa.name));
        if t.role_arn.is_some() {
            // Counted as the dump's role already; now judged as well.
            t.checked = true;
        } else {
            inventory.recount(&InputKind::TrustNotForPods, InputKind::TrustPolicy);
        }
    }
}

/// The set's role-arns, each with the first ServiceAccount that has it.
struct RoleArns<'s, 'a> {
    /// By what a role-arn names: a literal ARN's role name (after the last
    /// `/`, past any path), and each address a placeholder in it refers to
    /// (`aws_iam_role.x` of `${aws_iam_role.x.arn}`, `Role` of `${Role.Arn}`).
    by_name: HashMap<&'s str, &'s SaDoc<'a>>,
    /// By account and role name, for a dump's role.
    by_role: HashMap<doctor::RoleKey, &'s SaDoc<'a>>,
}

impl<'s, 'a> RoleArns<'s, 'a> {
    fn new(sas: &'s [SaDoc<'a>]) -> Self {
        let mut by_name = HashMap::new();
        let mut by_role = HashMap::new();
        for sa in sas {
            let Some(arn) = sa.role_arn.as_deref() else {
                continue;
            };
            let name = arn.rsplit('/').next().unwrap_or(arn);
            if !placeholder::has_placeholder(name) {
                by_name.entry(name).or_insert(sa);
            }
            for p in placeholder::scan(arn) {
                let inner = arn
                    .get(p.start..p.end)
                    .unwrap_or("")
                    .trim_start_matches("${")
                    .trim_end_matches('}');
                // Every address the reference may start with: `aws_iam_role.x`.
                for (at, _) in inner.match_indices('.') {
                    if let Some(address) = inner.get(..at) {
                        by_name.entry(address).or_insert(sa);
                    }
                }
            }
            if let Some(key) = doctor::role_key(arn) {
                by_role.entry(key).or_insert(sa);
            }
        }
        RoleArns { by_name, by_role }
    }

    fn is_empty(&self) -> bool {
        self.by_name.is_empty() && self.by_role.is_empty()
    }
}

/// IRSA304: ServiceAccounts of the same namespace and name with different role ARNs.
fn duplicates(found: &Found<'_>, by_key: &HashMap<(&str, &str), Vec<usize>>, out: &mut Out) {
    let mut keys: Vec<_> = by_key.iter().filter(|(_, ix)| ix.len() > 1).collect();
    keys.sort();
    for ((ns, name), ix) in keys {
        // A role ARN with a placeholder (`${aws_iam_role.x.arn}` in Terraform)
        // may be the other one once filled: only literal ARNs are compared.
        let sas: Vec<&SaDoc<'_>> = ix
            .iter()
            .filter_map(|i| found.sas.get(*i))
            .filter(|s| {
                !s.role_arn
                    .as_deref()
                    .is_some_and(placeholder::has_placeholder)
            })
            .collect();
        let Some(first) = sas.iter().find(|s| s.role_arn.is_some()) else {
            continue;
        };
        for sa in sas
            .iter()
            .filter(|s| s.role_arn.is_some() && s.role_arn != first.role_arn)
        {
            out.push(
                sa.file,
                sa.role_arn_span.unwrap_or(sa.name_span),
                "IRSA304",
                format!(
                    "ServiceAccount `{ns}/{name}` has role-arn `{}` here and `{}` in {}",
                    sa.role_arn.as_deref().unwrap_or(""),
                    first.role_arn.as_deref().unwrap_or(""),
                    first.file
                ),
            );
        }
    }
}
