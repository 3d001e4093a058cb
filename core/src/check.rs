//! The checker: any set of files (trust and permission policies, ServiceAccounts,
//! Pods and pod templates, `kind: List`, multi-document YAML) in, diagnostics out.
//! Each document is checked alone, then the set together (does this trust let
//! that ServiceAccount in?). Codes and texts live in [`crate::rules`].
//!
//! Every input ends as a checked document of a known kind or as a finding
//! that says what it is and why it was not checked ([`Report::inventory`]).
//! Placeholders are opaque tokens ([`crate::placeholder`]): the rules judge
//! the literal text around them, and the questions for the evaluator are
//! asked of the trust as written and, where the answer depends on the
//! placeholders, of the trust widened around them ([`crate::widen`]).
//!
//! One way through: [`summarise`] reads a file (`reading.rs`) and hands each
//! document to the reader of its kind (`classify.rs`: `policies.rs`,
//! `kubernetes.rs`, `values.rs`, `live/`), which fill the owned records of
//! `found.rs` and the findings of `out.rs`; [`link`] judges the records
//! alone (`trust_checks.rs`) and together (`referenced.rs`,
//! `service_accounts.rs`, `linking.rs`, `doctor.rs`), then fills each fix
//! (`fixes.rs`). No file below this one imports it, and no reader imports
//! the classifier: only a `kind: List` nests, inside `classify.rs`.
//!
//! [`link`] is [`link_plan`] run in one part: the plan cuts the judging of
//! the set into independent parts a shell may run on every core (the CLI
//! does), merged in one order, so every shell gives the same report.

mod classify;
mod doctor;
mod fixes;
mod found;
mod index;
mod kubernetes;
mod linking;
mod live;
mod options;
mod out;
mod permissions;
mod policies;
mod reading;
mod referenced;
mod service_accounts;
mod trust_checks;
mod trust_conditions;
mod trust_principal;
mod values;

/// The input file type lives with the reader; re-exported at its old path.
pub use crate::source::SourceFile;
pub use linking::LinkWork;
pub(crate) use live::roles::url_decode;
pub use options::CheckOptions;
pub use policies::is_trust;

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::inventory::Inventory;
use crate::kube;
use crate::placeholder;
use crate::quotas::HARD_MAX_TRUST_POLICY_LENGTH;
use crate::rules::diagnostic;
use found::{Found, TrustDoc};
use out::Out;
use trust_checks::check_trust;

/// What a check found, and what it read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Every finding, sorted by file, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Every input counted by the kind it ended as.
    pub inventory: Inventory,
    /// The work linking ServiceAccounts to trusts did.
    pub links: LinkWork,
}

/// Checks a set of files; diagnostics sorted by file, line, column and code.
/// The same as [`summarise`] on every file, then [`link`].
pub fn check(files: &[SourceFile], options: &CheckOptions) -> Vec<Diagnostic> {
    check_report(files, options).diagnostics
}

/// Checks a set of files: the findings and what was read.
pub fn check_report(files: &[SourceFile], options: &CheckOptions) -> Report {
    if files.len() > options.max_files {
        return Report {
            diagnostics: vec![too_many_files(files.len(), options)],
            ..Report::default()
        };
    }
    let summaries = files.iter().map(|f| summarise(f, options)).collect();
    link_report(summaries, options)
}

fn too_many_files(n: usize, options: &CheckOptions) -> Diagnostic {
    diagnostic(
        "IRSA402",
        format!(
            "number of files ({n}) exceeds the limit of {}",
            options.max_files
        ),
    )
}

/// What [`link`] needs of one file: its documents read into owned records (the
/// parsed tree is dropped at once), the findings of the file alone and what
/// its inputs were. Files are independent, so callers may summarise them in parallel.
#[derive(Debug, Default)]
pub struct FileSummary<'a> {
    /// The file's name.
    name: &'a str,
    found: Found<'a>,
    diags: Vec<Diagnostic>,
    inventory: Inventory,
    /// The `--set` names that filled something in this file.
    used: BTreeSet<String>,
}

/// Reads one file (its `--set` values filled) and summarises its documents.
pub fn summarise<'a>(file: &'a SourceFile, options: &CheckOptions) -> FileSummary<'a> {
    let mut found = Found::default();
    let mut out = Out::default();
    let filled = placeholder::fill(&file.text, &options.set);
    reading::read(
        &file.name,
        &filled.text,
        &options.limits,
        &mut found,
        &mut out,
    );
    let default_audience = BTreeSet::from([kube::DEFAULT_AUDIENCE]);
    for t in found.trusts.iter_mut().filter(|t| t.checked) {
        t.alone = Some(trust_findings(
            t,
            max_trust_length(options),
            &default_audience,
        ));
    }
    FileSummary {
        name: &file.name,
        found,
        diags: out.diags,
        inventory: out.inventory,
        used: filled.used,
    }
}

/// Checks the summarised documents alone and together; diagnostics sorted by
/// file, line, column and code.
pub fn link(summaries: Vec<FileSummary<'_>>, options: &CheckOptions) -> Vec<Diagnostic> {
    link_report(summaries, options).diagnostics
}

/// [`link`], with what the files held: [`link_plan`] in one part, run and merged.
pub fn link_report(summaries: Vec<FileSummary<'_>>, options: &CheckOptions) -> Report {
    let plan = link_plan(summaries, options, 1);
    let done = plan.parts().iter().map(|p| plan.link_part(p)).collect();
    plan.merge(done)
}

/// The set's records merged and the findings that need all of them made,
/// with what is left to judge cut into independent [`LinkPart`]s: the
/// ServiceAccounts against what relies on them, the links of each range of
/// ServiceAccounts, the doctor's rules. A shell runs the parts in any order,
/// on any thread ([`LinkPlan::link_part`]), and [`LinkPlan::merge`]s what
/// they found: the report is the same for every number of parts and order.
#[derive(Debug)]
pub struct LinkPlan<'a> {
    found: Found<'a>,
    out: Out,
    linker: linking::Linker<'a>,
    parts: Vec<LinkPart>,
    /// The report when the set was refused whole (too many files).
    refused: Option<Report>,
}

/// One independent part of a [`LinkPlan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPart {
    /// Its place among the plan's parts: the merge puts findings in this order.
    id: usize,
    job: Job,
}

/// What a part judges.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    ServiceAccounts,
    /// The links of the ServiceAccounts at these positions.
    Links(std::ops::Range<usize>),
    Doctor,
}

/// What one [`LinkPart`] found, for [`LinkPlan::merge`].
#[derive(Debug)]
pub struct PartFindings {
    id: usize,
    done: Done,
}

impl LinkPart {
    /// True for a part that links a range of ServiceAccounts.
    pub fn is_links(&self) -> bool {
        matches!(self.job, Job::Links(_))
    }
}

impl PartFindings {
    /// True when the work limit stopped this part's links: a pass over the
    /// ServiceAccounts stops there or before, so the parts of links after it
    /// need not run ([`LinkPlan::merge`] runs any it reaches).
    pub fn stopped_links(&self) -> bool {
        matches!(&self.done, Done::Links(l) if l.stopped())
    }
}

#[derive(Debug)]
enum Done {
    Diags(Vec<Diagnostic>),
    Links(linking::Links),
}

/// Merges the summaries' records and makes the findings that need the whole
/// set and change the records (a trust a ServiceAccount names, a trust
/// checked again for the set's audiences); the links are cut into
/// `pieces` parts (at least one) of ServiceAccounts.
pub fn link_plan<'a>(
    summaries: Vec<FileSummary<'a>>,
    options: &CheckOptions,
    pieces: usize,
) -> LinkPlan<'a> {
    if summaries.len() > options.max_files {
        return LinkPlan {
            found: Found::default(),
            out: Out::default(),
            linker: linking::Linker::new(&Found::default(), options.max_link_work),
            parts: Vec::new(),
            refused: Some(Report {
                diagnostics: vec![too_many_files(summaries.len(), options)],
                ..Report::default()
            }),
        };
    }
    let mut out = Out::default();
    let mut found = Found::default();
    let mut used = BTreeSet::new();
    let mut names = Vec::with_capacity(summaries.len());
    // The records are moved once: every list at its full length first.
    let total = |n: fn(&FileSummary<'_>) -> usize| summaries.iter().map(n).sum::<usize>();
    out.diags.reserve(total(|s| s.diags.len()));
    found.trusts.reserve(total(|s| s.found.trusts.len()));
    found.sas.reserve(total(|s| s.found.sas.len()));
    found.workloads.reserve(total(|s| s.found.workloads.len()));
    for s in summaries {
        out.diags.extend(s.diags);
        out.inventory.merge(s.inventory);
        used.extend(s.used);
        found.extend(s.found);
        names.push(s.name);
    }
    referenced::check(&found.referenced, &names, &found.policy_documents, &mut out);
    out.diags.extend(placeholder::unused(&options.set, &used));
    let audiences: BTreeSet<&str> = std::iter::once(kube::DEFAULT_AUDIENCE)
        .chain(
            found
                .sas
                .iter()
                .filter_map(|s| s.audience.as_ref().map(|(a, _)| a.as_str())),
        )
        .collect();
    service_accounts::mark_named(&mut found.trusts, &found.sas, &mut out.inventory);
    // Each trust was checked for the default audience when its file was
    // summarised; other audiences in the set, or a ServiceAccount naming a
    // trust that shows no pod, check it again.
    let only_default = audiences.len() == 1;
    for t in found.trusts.iter_mut().filter(|t| t.checked) {
        let diags = match t.alone.take() {
            Some(alone) if only_default && t.linked.is_none() => alone,
            _ => trust_findings(t, max_trust_length(options), &audiences),
        };
        out.diags.extend(diags);
    }
    let linker = linking::Linker::new(&found, options.max_link_work);
    let parts = layout(found.sas.len(), pieces);
    LinkPlan {
        found,
        out,
        linker,
        parts,
        refused: None,
    }
}

/// The parts of a plan over `sas` ServiceAccounts, in the order their
/// findings are merged: the ServiceAccounts' own rules, the links of
/// `pieces` ranges of ServiceAccounts, the doctor.
fn layout(sas: usize, pieces: usize) -> Vec<LinkPart> {
    let size = sas.div_ceil(pieces.max(1)).max(1);
    let ranges = (0..sas.max(1))
        .step_by(size)
        .map(|start| Job::Links(start..(start + size).min(sas)));
    std::iter::once(Job::ServiceAccounts)
        .chain(ranges)
        .chain(std::iter::once(Job::Doctor))
        .enumerate()
        .map(|(id, job)| LinkPart { id, job })
        .collect()
}

impl LinkPlan<'_> {
    /// The plan's parts: independent of each other, to run in any order.
    pub fn parts(&self) -> &[LinkPart] {
        &self.parts
    }

    /// Runs one part (on any thread: it reads the plan, it changes nothing).
    pub fn link_part(&self, part: &LinkPart) -> PartFindings {
        let diags = |check: fn(&Found<'_>, &mut Out)| {
            let mut out = Out::default();
            check(&self.found, &mut out);
            Done::Diags(out.diags)
        };
        let done = match &part.job {
            Job::ServiceAccounts => diags(service_accounts::check),
            Job::Doctor => diags(doctor::check),
            Job::Links(range) => Done::Links(self.linker.part(&self.found, range.clone())),
        };
        PartFindings { id: part.id, done }
    }

    /// The report: what each part found, in the plan's order whatever the
    /// order of `done`, the fixes filled and the findings sorted by file,
    /// line, column and code. A part `done` lacks is run here.
    pub fn merge(self, mut done: Vec<PartFindings>) -> Report {
        if let Some(report) = self.refused {
            return report;
        }
        done.sort_by_key(|d| d.id);
        done.dedup_by_key(|d| d.id);
        let mut done = done.into_iter().peekable();
        let (mut own, mut links, mut doctor) = (Vec::new(), Vec::new(), Vec::new());
        for part in &self.parts {
            let found = done.next_if(|d| d.id == part.id).map(|d| d.done);
            match (&part.job, found) {
                // Links a pass does not reach need not be run: the linker runs the rest.
                (Job::Links(range), Some(Done::Links(l))) => links.push((range.clone(), Some(l))),
                (Job::Links(range), _) => links.push((range.clone(), None)),
                (job, found) => {
                    let diags = match found {
                        Some(Done::Diags(d)) => d,
                        _ => match self.link_part(part).done {
                            Done::Diags(d) => d,
                            Done::Links(_) => Vec::new(),
                        },
                    };
                    if *job == Job::Doctor {
                        doctor = diags;
                    } else {
                        own = diags;
                    }
                }
            }
        }
        let LinkPlan {
            found,
            mut out,
            linker,
            ..
        } = self;
        // In the order one pass makes them: the ServiceAccounts' own rules,
        // the links, the doctor's rules.
        out.diags.extend(own);
        let links = linker.merge(&found, links, &mut out);
        out.diags.extend(doctor);
        fixes::fill(&found, &mut out.diags);
        out.diags.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
        });
        Report {
            diagnostics: out.diags,
            inventory: out.inventory,
            links,
        }
    }
}

/// The trust policy size quota a check applies.
fn max_trust_length(options: &CheckOptions) -> usize {
    options
        .max_trust_policy_length
        .min(HARD_MAX_TRUST_POLICY_LENGTH)
}

/// [`check_trust`]'s findings, placed on the URL-encoded string a trust was
/// decoded from when it was.
fn trust_findings(
    t: &mut TrustDoc<'_>,
    max_len: usize,
    audiences: &BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let mut scratch = Out::default();
    check_trust(t, max_len, audiences, &mut scratch);
    match t.encoded {
        None => scratch.diags,
        Some(at) => scratch.diags.into_iter().map(|d| d.at(at)).collect(),
    }
}
