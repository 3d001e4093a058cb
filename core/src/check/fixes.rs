//! A finding's fix made concrete: a rule's fix ([`crate::rules`]) writes its
//! blanks in capitals (`ISSUER:sub`, `arn:aws:iam::ACCOUNT:...`,
//! `system:serviceaccount:NAMESPACE:NAME`); here each blank is filled from
//! the checked documents, so the CLI, the npm module and the playground show
//! the same concrete fix. A blank is a capital word, the partition `aws` of
//! an ARN, or a phrase (the EKS issuer's shape, replaced whole, so that a
//! China issuer keeps its own host).
//!
//! A blank is filled only with a value that is certain: the one value the
//! finding's file holds for it, else the one value the whole set holds. Two
//! candidates, or a value with a placeholder, leave the capital word as the
//! rule writes it. A fix a check already made concrete (its own help text) is
//! left alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::found::Found;
use crate::aws::{Arn, Issuer, Partition};
use crate::diagnostic::Diagnostic;
use crate::kube;
use crate::placeholder::{self, HOLE};
use crate::rules;

/// What fills a blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Blank {
    /// The issuer's host and path (`oidc.eks.REGION.amazonaws.com/id/ID`).
    Issuer,
    /// The AWS account of the provider or the role.
    Account,
    /// The partition of the ARNs (`aws`, `aws-cn`, `aws-us-gov`...).
    Partition,
    /// A ServiceAccount's namespace.
    Namespace,
    /// A ServiceAccount's name.
    ServiceAccount,
}

/// Per rule, the blanks of its fix and what fills each: whole words, or a
/// phrase (a blank with `.` or `/` in it) replaced as a whole after the
/// words. Words a document cannot tell (a role's name, a cluster's name, a
/// Pod's name) are not listed: they stay blanks for the reader.
const FILLS: &[(&str, &[(&str, Blank)])] = &[
    (
        "IRSA002",
        &[
            ("aws", Blank::Partition),
            ("ACCOUNT", Blank::Account),
            ("oidc.eks.REGION.amazonaws.com/id/ID", Blank::Issuer),
        ],
    ),
    (
        "IRSA004",
        &[
            ("ISSUER", Blank::Issuer),
            ("NAMESPACE", Blank::Namespace),
            ("NAME", Blank::ServiceAccount),
        ],
    ),
    ("IRSA005", &[("ISSUER", Blank::Issuer)]),
    ("IRSA007", &[("NAMESPACE", Blank::Namespace)]),
    (
        "IRSA011",
        &[
            ("NAMESPACE", Blank::Namespace),
            ("NAME", Blank::ServiceAccount),
        ],
    ),
    (
        "IRSA030",
        &[
            ("aws", Blank::Partition),
            ("ACCOUNT", Blank::Account),
            ("ISSUER", Blank::Issuer),
        ],
    ),
    (
        "IRSA101",
        &[("aws", Blank::Partition), ("ACCOUNT", Blank::Account)],
    ),
    (
        "IRSA508",
        &[
            ("NAME", Blank::ServiceAccount),
            ("NAMESPACE", Blank::Namespace),
        ],
    ),
];

/// What the documents hold for a blank: a fix needs the one value, so a
/// second distinct value is all that is kept of the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Held {
    One(String),
    Many,
}

/// What documents hold for each blank.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Known {
    values: BTreeMap<Blank, Held>,
}

impl Known {
    fn add(&mut self, blank: Blank, value: &str) {
        let value = value.trim();
        // Most values repeat (one issuer, one account) or come after a
        // second one: neither changes what a fix is filled with, and
        // neither is checked or copied again.
        if value.is_empty() || self.settled(blank, value) {
            return;
        }
        if value.contains(HOLE) || placeholder::has_placeholder(value) {
            return;
        }
        let held = match self.values.get(&blank) {
            None => Held::One(value.to_string()),
            Some(_) => Held::Many,
        };
        self.values.insert(blank, held);
    }

    /// True when adding `value` (trimmed) would change nothing: it is the
    /// blank's one value, or the blank has two already.
    fn settled(&self, blank: Blank, value: &str) -> bool {
        match self.values.get(&blank) {
            None => false,
            Some(Held::One(v)) => v == value.trim(),
            Some(Held::Many) => true,
        }
    }

    /// An issuer, and the partition of its region (`partitions` keeps each
    /// issuer's, parsed once).
    fn add_issuer(&mut self, host_path: &str, partitions: &mut Partitions) {
        self.add(Blank::Issuer, host_path);
        let partition = match partitions.get(host_path) {
            Some(known) => *known,
            None => {
                let p = Issuer::parse(host_path)
                    .ok()
                    .and_then(|i| i.region)
                    .map(|region| Partition::of_region(&region));
                partitions.insert(host_path.to_string(), p);
                p
            }
        };
        if let Some(partition) = partition {
            self.add(Blank::Partition, partition.as_str());
        }
    }

    fn add_account_of(&mut self, arn: &str) {
        if let Some(arn) = Arn::parse(arn) {
            self.add_account(&arn);
        }
    }

    /// The account and partition of an ARN.
    fn add_account(&mut self, arn: &Arn<'_>) {
        if crate::aws::is_account_id(arn.account) {
            self.add(Blank::Account, arn.account);
        }
        if let Some(partition) = Partition::parse(arn.partition) {
            self.add(Blank::Partition, partition.as_str());
        }
    }

    /// A ServiceAccount Kubernetes accepts: a name that is itself a finding
    /// (`S3_Writer`, IRSA011) fills no fix.
    fn add_subject(&mut self, namespace: &str, name: &str) {
        // Adding them would change nothing.
        if self.settled(Blank::Namespace, namespace) && self.settled(Blank::ServiceAccount, name) {
            return;
        }
        if kube::label_problem(namespace).is_none() && kube::subdomain_problem(name).is_none() {
            self.add(Blank::Namespace, namespace);
            self.add(Blank::ServiceAccount, name);
        }
    }

    /// The value of a blank, when there is exactly one.
    fn one(&self, blank: Blank) -> Option<&str> {
        match self.values.get(&blank)? {
            Held::One(v) => Some(v),
            Held::Many => None,
        }
    }
}

/// Each issuer's partition, parsed once.
type Partitions = HashMap<String, Option<Partition>>;

/// What the whole set holds, and what each file of `wanted` (the files
/// with a fix to fill) holds: a value goes into the set, and into its
/// file's values only when a fix of that file may need them.
struct Sinks<'a> {
    wanted: BTreeSet<String>,
    files: BTreeMap<&'a str, Known>,
    set: Known,
    partitions: Partitions,
}

impl<'a> Sinks<'a> {
    fn each(&mut self, file: &'a str, add: impl Fn(&mut Known, &mut Partitions)) {
        add(&mut self.set, &mut self.partitions);
        if self.wanted.contains(file) {
            add(self.files.entry(file).or_default(), &mut self.partitions);
        }
    }
}

/// Which values the fixes to fill need, by what gives them: a blank no
/// fix has is not looked for (an ARN not parsed, a subject not split).
#[derive(Debug, Clone, Copy, Default)]
struct Needs {
    /// Issuers give the issuer and the partition of their region.
    issuers: bool,
    /// ARNs give the account and the partition.
    arns: bool,
    /// Subjects give the namespace and the ServiceAccount's name.
    subjects: bool,
}

impl Needs {
    fn of(blanks: impl Iterator<Item = Blank>) -> Needs {
        let mut needs = Needs::default();
        for blank in blanks {
            match blank {
                Blank::Issuer => needs.issuers = true,
                Blank::Account => needs.arns = true,
                Blank::Partition => (needs.issuers, needs.arns) = (true, true),
                Blank::Namespace | Blank::ServiceAccount => needs.subjects = true,
            }
        }
        needs
    }
}

/// What each file of `wanted` holds, and the whole set, of what `needs` asks for.
fn known<'a>(
    found: &Found<'a>,
    wanted: BTreeSet<String>,
    needs: Needs,
) -> (BTreeMap<&'a str, Known>, Known) {
    let mut sinks = Sinks {
        wanted,
        files: BTreeMap::new(),
        set: Known::default(),
        partitions: HashMap::new(),
    };
    for t in found.trusts.iter().filter(|t| t.checked) {
        sinks.each(t.file, |k, partitions| {
            if needs.issuers {
                for hp in &t.providers {
                    k.add_issuer(hp, partitions);
                }
            }
            if needs.issuers || needs.arns {
                for s in &t.policy.statements {
                    for p in s.federated() {
                        let Some(arn) = Arn::parse(&p.value.value) else {
                            continue;
                        };
                        if needs.arns {
                            k.add_account(&arn);
                        }
                        // A statement check does not read as web identity (IRSA012)
                        // still names its provider.
                        if let Some(hp) = arn.resource.strip_prefix("oidc-provider/") {
                            if needs.issuers {
                                k.add_issuer(hp, partitions);
                            }
                        }
                    }
                }
            }
            if let Some(arn) = t.role_arn.as_ref().filter(|_| needs.arns) {
                k.add_account_of(arn);
            }
            if needs.subjects {
                for sub in &t.literal_subs {
                    if let Some((ns, name)) = kube::parse_subject(sub) {
                        if !sub.contains(['*', '?']) {
                            k.add_subject(ns, name);
                        }
                    }
                }
            }
        });
    }
    for sa in found.sas.iter().filter(|s| s.linkable && !s.templated) {
        sinks.each(sa.file, |k, _| {
            if needs.subjects {
                k.add_subject(&sa.namespace, &sa.name);
            }
            if let Some(arn) = sa.role_arn.as_ref().filter(|_| needs.arns) {
                k.add_account_of(arn);
            }
        });
    }
    if needs.subjects {
        for w in found.workloads.iter().filter(|w| !w.templated) {
            if let Some((sa, _)) = w.sa.as_ref().filter(|(n, _)| !n.is_empty()) {
                sinks.each(w.file, |k, _| k.add_subject(&w.namespace, sa));
            }
        }
    }
    (sinks.files, sinks.set)
}

/// `template` with each capital word of `words` that `value` knows replaced;
/// a word is a whole run of letters, digits and `_` (`NAME` is not the start
/// of `NAMESPACE`).
fn fill_words(
    template: &str,
    words: &[(&str, Blank)],
    value: impl Fn(Blank) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let filled = words
            .iter()
            .find(|(w, _)| *w == word.as_str())
            .and_then(|(_, blank)| value(*blank));
        out.push_str(filled.as_deref().unwrap_or(word));
        word.clear();
    };
    for c in template.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A blank that is a phrase (`oidc.eks.REGION.amazonaws.com/id/ID`), not a word.
fn is_phrase(blank: &str) -> bool {
    blank.contains(['.', '/'])
}

/// The rule's fix of `code` filled from `file`'s values, then the set's.
fn filled(code: &str, file: Option<&Known>, set: &Known) -> Option<String> {
    let (_, words) = FILLS.iter().find(|(c, _)| *c == code)?;
    let template = rules::rule(code)?.fix;
    let value = |blank| {
        file.and_then(|k| k.one(blank))
            .or_else(|| set.one(blank))
            .map(str::to_string)
    };
    let (phrases, words): (Vec<_>, Vec<_>) = words.iter().copied().partition(|(w, _)| is_phrase(w));
    // Words first: a filled phrase (an issuer's host) may hold a word (`aws`).
    let mut text = fill_words(template, &words, value);
    for (phrase, blank) in phrases {
        if let Some(v) = value(blank) {
            text = text.replacen(phrase, &v, 1);
        }
    }
    Some(text)
}

/// Fills the fixes of `diags` whose help is still their rule's template.
pub(super) fn fill(found: &Found<'_>, diags: &mut [Diagnostic]) {
    let fillable = |d: &Diagnostic| {
        FILLS.iter().any(|(c, _)| *c == d.code)
            && rules::rule(&d.code).is_some_and(|r| r.fix == d.help)
    };
    if !diags.iter().any(fillable) {
        return;
    }
    let wanted = diags
        .iter()
        .filter(|d| fillable(d))
        .filter_map(|d| d.file.clone())
        .collect();
    let needs = Needs::of(
        diags
            .iter()
            .filter(|d| fillable(d))
            .filter_map(|d| FILLS.iter().find(|(c, _)| *c == d.code))
            .flat_map(|(_, words)| words.iter().map(|(_, blank)| *blank)),
    );
    let (files, set) = known(found, wanted, needs);
    for d in diags.iter_mut().filter(|d| fillable(d)) {
        let file = d.file.as_deref().and_then(|f| files.get(f));
        if let Some(help) = filled(&d.code, file, &set) {
            d.help = help;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known_of(pairs: &[(Blank, &str)]) -> Known {
        let mut k = Known::default();
        for (b, v) in pairs {
            k.add(*b, v);
        }
        k
    }

    #[test]
    fn whole_words_are_filled_name_is_not_namespace() {
        let file = known_of(&[
            (Blank::Issuer, "oidc.eks.eu-west-1.amazonaws.com/id/0A1B"),
            (Blank::Namespace, "production"),
            (Blank::ServiceAccount, "s3-writer"),
        ]);
        let help = filled("IRSA004", Some(&file), &Known::default()).unwrap();
        assert_eq!(
            help,
            "Add \"oidc.eks.eu-west-1.amazonaws.com/id/0A1B:sub\": \"system:serviceaccount:production:s3-writer\" under StringEquals."
        );
    }

    #[test]
    fn two_candidates_or_a_placeholder_leave_the_blank() {
        let file = known_of(&[
            (Blank::Issuer, "oidc.eks.eu-west-1.amazonaws.com/id/0A1B"),
            (Blank::Namespace, "a"),
            (Blank::Namespace, "b"),
            (Blank::ServiceAccount, "${SA}"),
        ]);
        let help = filled("IRSA004", Some(&file), &Known::default()).unwrap();
        assert!(
            help.contains("system:serviceaccount:NAMESPACE:NAME"),
            "{help}"
        );
        assert!(help.contains("0A1B:sub"), "{help}");
    }

    #[test]
    fn the_set_fills_what_the_file_does_not_hold() {
        let set = known_of(&[(Blank::Account, "111122223333")]);
        let help = filled("IRSA101", Some(&Known::default()), &set).unwrap();
        assert!(
            help.contains("arn:aws:iam::111122223333:role/NAME"),
            "{help}"
        );
        assert_eq!(filled("IRSA999", None, &set), None);
    }

    #[test]
    fn every_listed_word_is_in_its_rules_fix() {
        for (code, words) in FILLS {
            let fix = rules::rule(code).unwrap().fix;
            for (w, _) in *words {
                let whole = fix
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|t| t == *w);
                let present = whole || (is_phrase(w) && fix.contains(w));
                assert!(present, "{code}: {w} not in {fix}");
            }
        }
    }

    #[test]
    fn the_partition_and_a_china_issuer_are_filled_whole() {
        let mut file = Known::default();
        file.add_issuer(
            "oidc.eks.cn-north-1.amazonaws.com.cn/id/0A1B",
            &mut Partitions::new(),
        );
        file.add(Blank::Account, "111122223333");
        let help = filled("IRSA002", Some(&file), &Known::default()).unwrap();
        assert!(
            help.contains("\"arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/0A1B\""),
            "{help}"
        );
        // Near miss: two issuers, the phrase and the partition stay blanks.
        file.add_issuer(
            "oidc.eks.us-east-1.amazonaws.com/id/0A1B",
            &mut Partitions::new(),
        );
        let help = filled("IRSA002", Some(&file), &Known::default()).unwrap();
        assert!(
            help.contains(
                "arn:aws:iam::111122223333:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID"
            ),
            "{help}"
        );
    }

    #[test]
    fn a_gov_cloud_role_arn_gives_its_partition() {
        let mut set = Known::default();
        set.add_account_of("arn:aws-us-gov:iam::111122223333:role/app");
        let help = filled("IRSA101", None, &set).unwrap();
        assert!(
            help.contains("arn:aws-us-gov:iam::111122223333:role/NAME"),
            "{help}"
        );
    }
}
