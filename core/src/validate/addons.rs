//! The well-known add-ons of `permissions.addons`: a name irsa-gen knows,
//! listed once, a release it has a policy for, the inputs that add-on takes
//! as ARNs of the partition (SPEC045), and the `*` that remains without them
//! (SPEC046).

use indexmap::IndexMap;

use crate::addons::{self, Addon, AddonInput};
use crate::aws::Partition;
use crate::source::FieldPath;
use crate::spec::{AddonGrant, Permissions};

use super::report::Report;

/// Add-on names, inputs and scopes; `SPEC045` errors, `SPEC046` warnings where `*` remains.
pub(super) fn check_addons(
    r: &mut Report,
    p: &FieldPath,
    perms: &Permissions,
    partition: Partition,
    cluster_name: Option<&str>,
) {
    let mut seen = IndexMap::new();
    for (i, g) in perms.addons.iter().enumerate() {
        let gp = p.index(i);
        let name = g.name.trim();
        let Some(addon) = addons::find(name) else {
            r.error(
                "SPEC045",
                &gp.key("name"),
                format!("unknown add-on `{}`", name.escape_default()),
                unknown_help(name),
            );
            continue;
        };
        if let Some(first) = seen.insert(addon.name, i) {
            r.error(
                "SPEC045",
                &gp.key("name"),
                format!("add-on `{name}` is already listed at addons[{first}]"),
                "list each add-on once; put all its ARNs in one entry",
            );
        }
        if let Err(problem) = addon.release(g.version.as_deref()) {
            let known: Vec<String> = addon
                .release_ranges()
                .into_iter()
                .map(|(range, r)| format!("{range} (upstream {})", r.upstream.release))
                .collect();
            r.error(
                "SPEC045",
                &gp.key("version"),
                format!("add-on `{name}`: {problem}"),
                format!(
                    "write the release you run, quoted; irsa-gen knows {}",
                    known.join("; ")
                ),
            );
        }
        if addon.needs_cluster_name && cluster_name.is_none() {
            r.error(
                "SPEC045",
                &gp.key("name"),
                format!(
                    "add-on `{name}` scopes its policy to the cluster, and clusterName is missing"
                ),
                "set clusterName to the EKS cluster's name",
            );
        }
        check_inputs(r, &gp, g, addon, partition);
        note_wildcards(r, &gp, g, partition, cluster_name);
    }
}

/// The closest add-on name, or every name.
fn unknown_help(name: &str) -> String {
    let close = addons::ADDONS
        .iter()
        .map(|a| {
            (
                strsim::damerau_levenshtein(a.name, &name.to_lowercase()),
                a.name,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n);
    let names: Vec<&str> = addons::ADDONS.iter().map(|a| a.name).collect();
    match close {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!("choose one of {}", names.join(", ")),
    }
}

/// The inputs (`hostedZoneArns`, ...): only those the add-on takes, each an ARN of the partition.
fn check_inputs(
    r: &mut Report,
    gp: &FieldPath,
    g: &AddonGrant,
    addon: &Addon,
    partition: Partition,
) {
    let name = g.name.trim();
    for input in AddonInput::ALL {
        let values = g.input(input);
        let ip = gp.key(input.field());
        if !values.is_empty() && !addon.inputs.contains(&input) {
            let takes: Vec<&str> = addon.inputs.iter().map(|i| i.field()).collect();
            let help = if takes.is_empty() {
                format!("remove {}: `{name}` takes no ARNs", input.field())
            } else {
                format!(
                    "remove {}: `{name}` takes {}",
                    input.field(),
                    takes.join(", ")
                )
            };
            r.error(
                "SPEC045",
                &ip,
                format!("add-on `{name}` does not use {}", input.field()),
                help,
            );
            continue;
        }
        for (j, arn) in values.iter().enumerate() {
            if let Some(problem) = input.problem(arn.trim(), partition) {
                r.error(
                    "SPEC045",
                    &ip.index(j),
                    problem,
                    format!("write an ARN such as {}", input.example(partition)),
                );
            }
        }
    }
}

/// SPEC046: what the add-on's policy leaves as `*` with the inputs given.
fn note_wildcards(
    r: &mut Report,
    gp: &FieldPath,
    g: &AddonGrant,
    partition: Partition,
    cluster_name: Option<&str>,
) {
    let name = g.name.trim();
    let cx = addons::Context {
        partition,
        region: "",
        account: "",
        cluster_name,
    };
    if let Some(policy) = addons::policy(g, &cx) {
        for note in policy.wildcards {
            r.warning(
                "SPEC046",
                gp,
                format!("add-on `{name}`: {note}"),
                "review what the add-on may do; where it takes scoping ARNs, listing them narrows it",
            );
        }
    }
}
