//! The playground's keystroke path without a browser (issue 21 item 4, issue
//! 22 item 7): the browser suite's performance test replayed on the native
//! state. The seed form with every panel open (the five core artefacts and
//! Terraform), then `PaymentsWriterRoleForProduction` typed into the role
//! name one character at a time, each keystroke doing what the page does
//! with it outside Yew's diffing: the reducer (core's validate and generate
//! for the panels shown) and the markup of the lines that changed in each
//! pane whose text changed (an unchanged pane keeps its props, so Yew
//! renders it not), then, once the frame is painted, the URL query.
//!
//! Prints the panes re-coloured per keystroke (a work count) and the wall
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
    /// Their lines' markup, in bytes (what replacing each pane whole parses).
    pane_bytes: usize,
    /// Their lines that changed (the only markup the page replaces).
    lines: usize,
    /// Those lines' markup, in bytes.
    line_bytes: usize,
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

/// The panes' part: in each pane shown whose text changed, the lines that
/// changed coloured again (as the page's `Code` component does), and its
/// lines compared with the ones shown (as Yew does).
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
        {
            let mut was = pane.1.markup();
            for l in lines.markup() {
                work.pane_bytes += l.len();
                if was.next() != Some(l) {
                    work.lines += 1;
                    work.line_bytes += l.len();
                }
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
        "per keystroke: {:.2} panes changed ({:.0} bytes of markup), {:.2} lines of them changed ({:.0} bytes of markup)",
        per(work.panes),
        per(work.pane_bytes),
        per(work.lines),
        per(work.line_bytes)
    );
    println!("wall time per keystroke (native, this machine's load): {per_key:?}");
}
