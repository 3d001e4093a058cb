//! What a check read: every input counted by the kind it ended as, checked
//! or not, so that the summary never says "0 errors" about an input nothing
//! looked at ("2 trust policies, 1 ServiceAccount, 1 Deployment, 1 not understood").

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};

/// The kind an input (a document, or a whole file) ended as. The order is
/// the order of the summary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputKind {
    /// An IAM trust policy (or a bare statement checked as one).
    TrustPolicy,
    /// A role trust for no pod (only Service or AWS principals, a Lambda or
    /// EC2 role) that no ServiceAccount of the set names: understood, not
    /// judged as an IRSA trust (IRSA022).
    TrustNotForPods,
    /// An IAM permissions (identity) policy.
    PermissionsPolicy,
    /// A Kubernetes ServiceAccount.
    ServiceAccount,
    /// A Pod or a workload with a pod template, by its `kind`.
    Workload(String),
    /// A Spice.ai SpicepodSet (read as a ServiceAccount).
    SpicepodSet,
    /// A Helm values file with a `serviceAccount` block.
    HelmValues,
    /// A Kubernetes object of another kind: understood, nothing IRSA in it.
    OtherKubernetes,
    /// Live state from a read-only AWS command's output, by its name (one, several).
    Live(&'static str, &'static str),
    /// An unrendered Helm template: not checked (IRSA406).
    HelmTemplate,
    /// A template unreadable until its placeholders are filled (IRSA410).
    UnfilledTemplate,
    /// A file of a type check does not read (IRSA407), by the type's name.
    NotRead(&'static str),
    /// A file of a type check reads (Terraform, CloudFormation) that holds
    /// no IAM policy, ServiceAccount or association, by the type's name.
    NothingToCheck(&'static str),
    /// A document that is none of the above (IRSA408).
    NotUnderstood,
    /// Not valid JSON or YAML, or over a limit.
    Unreadable,
    /// Nothing in it.
    Empty,
}

impl InputKind {
    /// True for the kinds whose content was checked.
    pub fn is_checked(&self) -> bool {
        matches!(
            self,
            InputKind::TrustPolicy
                | InputKind::TrustNotForPods
                | InputKind::PermissionsPolicy
                | InputKind::ServiceAccount
                | InputKind::Workload(_)
                | InputKind::SpicepodSet
                | InputKind::HelmValues
                | InputKind::OtherKubernetes
                | InputKind::Live(..)
                | InputKind::NothingToCheck(_)
        )
    }

    /// The kind counted `n` times, in words: `2 trust policies`, `1 not understood`.
    fn counted(&self, n: usize) -> String {
        let one = n == 1;
        let pick = |singular: &str, plural: &str| {
            if one {
                singular.to_string()
            } else {
                plural.to_string()
            }
        };
        let words = match self {
            InputKind::TrustPolicy => pick("trust policy", "trust policies"),
            InputKind::TrustNotForPods => pick(
                "role trust not for pods (not checked for IRSA)",
                "role trusts not for pods (not checked for IRSA)",
            ),
            InputKind::PermissionsPolicy => pick("permissions policy", "permissions policies"),
            InputKind::ServiceAccount => pick("ServiceAccount", "ServiceAccounts"),
            InputKind::Workload(kind) => pick(kind, &format!("{kind}s")),
            InputKind::SpicepodSet => pick("SpicepodSet", "SpicepodSets"),
            InputKind::HelmValues => pick("Helm values file", "Helm values files"),
            InputKind::Live(singular, plural) => pick(singular, plural),
            InputKind::OtherKubernetes => {
                pick("other Kubernetes object", "other Kubernetes objects")
            }
            InputKind::HelmTemplate => {
                pick("Helm template not rendered", "Helm templates not rendered")
            }
            InputKind::UnfilledTemplate => pick(
                "template unreadable until filled",
                "templates unreadable until filled",
            ),
            InputKind::NotRead(name) => format!("{name}{} not read", if one { "" } else { "s" }),
            InputKind::NothingToCheck(name) => format!(
                "{name}{} without IAM or ServiceAccounts",
                if one { "" } else { "s" }
            ),
            InputKind::NotUnderstood => "not understood".to_string(),
            InputKind::Unreadable => "unreadable".to_string(),
            InputKind::Empty => "empty".to_string(),
        };
        format!("{n} {words}")
    }
}

/// Inputs counted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    counts: BTreeMap<InputKind, usize>,
}

impl Inventory {
    /// Counts one input of `kind`.
    pub fn add(&mut self, kind: InputKind) {
        *self.counts.entry(kind).or_default() += 1;
    }

    /// Adds another inventory's counts.
    pub fn merge(&mut self, other: Inventory) {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
    }

    /// Counts one input of `from` as `to` instead (a trust a ServiceAccount
    /// of the set turned out to name); nothing when none is of `from`.
    pub fn recount(&mut self, from: &InputKind, to: InputKind) {
        if let Some(n) = self.counts.get_mut(from) {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(from);
            }
            self.add(to);
        }
    }

    /// How many inputs of `kind`.
    pub fn count(&self, kind: &InputKind) -> usize {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    /// How many inputs were checked.
    pub fn checked(&self) -> usize {
        self.counts
            .iter()
            .filter(|(k, _)| k.is_checked())
            .map(|(_, n)| n)
            .sum()
    }

    /// How many inputs were not checked (templates, other file types,
    /// documents not understood, unreadable or empty ones).
    pub fn unchecked(&self) -> usize {
        self.counts
            .iter()
            .filter(|(k, _)| !k.is_checked())
            .map(|(_, n)| n)
            .sum()
    }

    /// The counts in words, in the summary's order: `2 trust policies, 1 Deployment`.
    pub fn describe(&self) -> String {
        self.counts
            .iter()
            .map(|(k, n)| k.counted(*n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The one-line summary of a check: the findings by severity, the files,
    /// and what they held; `nothing checked` when no input was.
    pub fn summary(&self, diagnostics: &[Diagnostic], files: usize) -> String {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let what = self.describe();
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(": {what}")
        };
        if self.checked() == 0 {
            // No "0 errors": nothing was looked at. Only the findings there are.
            let found: Vec<String> = [
                (Severity::Error, "error"),
                (Severity::Warning, "warning"),
                (Severity::Info, "note"),
            ]
            .iter()
            .filter(|(s, _)| count(*s) > 0)
            .map(|(s, w)| plural(count(*s), w))
            .collect();
            let found = if found.is_empty() {
                String::new()
            } else {
                format!(" ({})", found.join(", "))
            };
            return format!("nothing checked in {}{what}{found}", plural(files, "file"));
        }
        format!(
            "{}, {}, {} in {}{what}",
            plural(count(Severity::Error), "error"),
            plural(count(Severity::Warning), "warning"),
            plural(count(Severity::Info), "note"),
            plural(files, "file"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_by_kind_and_never_claims_an_unchecked_input() {
        let mut inv = Inventory::default();
        inv.add(InputKind::TrustPolicy);
        inv.add(InputKind::TrustPolicy);
        inv.add(InputKind::ServiceAccount);
        inv.add(InputKind::Workload("Deployment".into()));
        inv.add(InputKind::NotUnderstood);
        assert_eq!(
            inv.summary(&[], 4),
            "0 errors, 0 warnings, 0 notes in 4 files: 2 trust policies, 1 ServiceAccount, 1 Deployment, 1 not understood"
        );
        let mut tf = Inventory::default();
        tf.add(InputKind::NotRead("Terraform file"));
        let note = Diagnostic::info("IRSA407", "m", "h");
        assert_eq!(
            tf.summary(&[note], 1),
            "nothing checked in 1 file: 1 Terraform file not read (1 note)"
        );
        assert_eq!(
            Inventory::default().summary(&[], 0),
            "nothing checked in 0 files"
        );
    }

    #[test]
    fn checked_and_unchecked_add_up_to_every_input() {
        let mut inv = Inventory::default();
        inv.add(InputKind::TrustPolicy);
        inv.add(InputKind::NotUnderstood);
        inv.add(InputKind::NotRead("Terraform file"));
        assert_eq!((inv.checked(), inv.unchecked()), (1, 2));
        assert_eq!(Inventory::default().unchecked(), 0);
    }
}
