//! The playground's keystroke path without a browser (issue 21 item 4, issue
//! 22 item 7): the browser suite's performance test replayed on the native
//! state. The seed form with every panel open (the five core artefacts and
//! Terraform), then `PaymentsWriterRoleForProduction` typed into the role
//! name one character at a time, each keystroke doing what the page does
//! with it outside Yew's diffing: the reducer (core's validate and generate
//! for the panels shown) and, in each pane whose text changed (an unchanged
//! pane keeps its props, so Yew renders it not), the edits its DOM gets
//! (`highlight::Lines::edits`: the text of the tokens that changed, a line
//! written anew where its classes changed), then, once the frame is painted,
//! the URL query.
//!
//! Prints the panes changed and the DOM edits per keystroke (work counts) and the wall
//! time per keystroke (noise on a loaded machine: `scripts/bench-web` runs
//! this under callgrind for the instructions per keystroke, which are not).
//! `keystroke`, `reduce`, `query` and `paint` are never inlined, so
//! callgrind's inclusive costs split a keystroke into them.
use std::collections::HashMap;
use std::hint::black_box;

use irsa_core::ArtefactKind;
use irsa_web::highlight;
use irsa_web::state::{Action, Field, State};

/// `fillSeed` of tests/browser/playground.test.mjs, then the performance
/// test's bucket, workload and alternative format.
const SEED: &[(Field, &str)] = &[
    (Field::AccountId, "123456789012"),
    (Field::Region, "ap-south-1"),
    (Field::Cluster, "EXAMPLED539D4633E53DE1B716D3041E"),
    (Field::Namespace, "production"),
    (Field::ServiceAccount, "s3-writer"),
    (Field::RoleName, "S3WriterRole"),
    (Field::TokenExpiration, "86400"),
    (Field::S3Bucket, "my-app-uploads"),
    (Field::WorkloadName, "my-app"),
    (Field::WorkloadImage, "my-app:latest"),
];

/// The word the browser test types into the role name.
const WORD: &str = "PaymentsWriterRoleForProduction";

/// The panes shown, by file: the text each one shows and its lines.
type Painted = HashMap<String, (String, highlight::Lines)>;

/// What a keystroke hands the browser.
#[derive(Default)]
struct Work {
    /// Panes whose text changed (Yew renders them again).
    panes: usize,
    /// Their text, in bytes (what writing each pane whole would lay out).
    pane_bytes: usize,
    /// Tokens whose text is set (a text node's value).
    tokens: usize,
    /// Lines written anew (their classes changed, or they were added).
    lines: usize,
    /// The text of those tokens and lines, in bytes.
    edit_bytes: usize,
}

fn seeded() -> State {
    let s = SEED.iter().fold(State::default(), |s, (f, v)| {
        s.reduce(Action::SetAt(0, *f, 0, (*v).to_string()))
    });
    s.reduce(Action::Alternative(Some(ArtefactKind::Terraform)))
}

/// The reducer's part: what `Store::reduce` runs for an input event.
#[inline(never)]
fn reduce(s: &State, value: &str) -> State {
    s.reduce(Action::SetAt(0, Field::RoleName, 0, value.to_string()))
}

/// The URL's part: the query the page writes once the frame is painted.
#[inline(never)]
fn query(s: &State) -> String {
    s.to_query()
}

/// The panes' part: in each pane shown whose text changed, the edits of its
/// DOM (as the page's `Code` component makes them: the lines compared with
/// the ones shown, each changed line tokenised).
#[inline(never)]
fn paint(s: &State, painted: &mut Painted, work: &mut Work) {
    for p in s.derived.panels() {
        if !p.primary && Some(p.kind) != s.alternative {
            continue;
        }
        let (text, lang) = p.shown(s.manifests_as_json);
        let pane = painted.entry(p.file.clone()).or_default();
        if pane.0 == text {
            continue;
        }
        let lines = pane.1.next(text, lang, None);
        work.panes += 1;
        work.pane_bytes += text.len();
        for edit in pane.1.edits(&lines) {
            match edit {
                highlight::Edit::Token { text, .. } => {
                    work.tokens += 1;
                    work.edit_bytes += text.len();
                }
                highlight::Edit::Line(i) => {
                    work.lines += 1;
                    let parts = lines.parts(i);
                    work.edit_bytes +=
                        parts.map_or(0, |p| p.tokens.iter().map(|t| t.1.len()).sum());
                }
                highlight::Edit::Truncate(_) => {}
            }
        }
        *pane = (text.to_string(), lines);
    }
}

/// One keystroke's frame: the next state and its panes (the URL query is
/// written after the frame is painted: [`query`], on its own).
#[inline(never)]
fn keystroke(s: &State, value: &str, painted: &mut Painted, work: &mut Work) -> State {
    let next = reduce(s, value);
    paint(&next, painted, work);
    next
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let start = seeded();
    let mut painted = Painted::new();
    paint(&start, &mut painted, &mut Work::default());
    let shown = painted.len();
    let mut work = Work::default();
    let mut keys = 0;
    let t = std::time::Instant::now();
    for _ in 0..rounds {
        let mut s = start.clone();
        for (i, _) in WORD.char_indices() {
            let typed = WORD.get(..=i).unwrap_or(WORD);
            s = keystroke(&s, typed, &mut painted, &mut work);
            black_box(query(&s));
            keys += 1;
        }
        assert!(s
            .derived
            .panels()
            .iter()
            .any(|p| p.text.contains("role/PaymentsWriterRoleForProduction")));
    }
    let per_key = t.elapsed() / u32::try_from(keys).unwrap_or(u32::MAX);
    let per = |n: usize| n as f64 / keys as f64;
    println!("keystrokes: {keys} ({shown} panes shown)");
    println!(
        "per keystroke: {:.2} panes changed ({:.0} bytes of text), their DOM edited: {:.2} tokens' text set, {:.2} lines written anew ({:.0} bytes of text)",
        per(work.panes),
        per(work.pane_bytes),
        per(work.tokens),
        per(work.lines),
        per(work.edit_bytes)
    );
    println!("wall time per keystroke (native, this machine's load): {per_key:?}");
}
