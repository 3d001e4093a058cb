//! The playground's keystroke path without a browser (issue 21 item 4, issue
//! 22 item 7): the browser suite's performance test replayed on the native
//! state. The seed form with every panel open (the five core artefacts and
//! Terraform), then `PaymentsWriterRoleForProduction` typed into the role
//! name one character at a time, each keystroke doing what the page does
//! with it outside Yew's diffing: the reducer (core's validate and generate
//! for the panels shown), the URL query, and the markup of each pane whose
//! text changed (an unchanged pane keeps its props, so Yew renders it not).
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

/// The panes shown, by file: the text each one shows and its markup.
type Painted = HashMap<String, (String, String)>;

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

/// The URL's part: the query the page writes after every render.
#[inline(never)]
fn query(s: &State) -> String {
    s.to_query()
}

/// The panes' part: each pane shown whose text changed coloured again (as
/// the page's `Code` component does); returns how many were.
#[inline(never)]
fn paint(s: &State, painted: &mut Painted) -> usize {
    let mut changed = 0;
    for p in s.derived.panels() {
        if !p.primary && Some(p.kind) != s.alternative {
            continue;
        }
        let (text, lang) = p.shown(s.manifests_as_json);
        let pane = painted.entry(p.file.clone()).or_default();
        if pane.0 != text {
            *pane = (text.to_string(), highlight::to_html(text, lang, None));
            changed += 1;
        }
    }
    changed
}

/// One keystroke: the next state, its query and its panes.
#[inline(never)]
fn keystroke(s: &State, value: &str, painted: &mut Painted) -> (State, usize) {
    let next = reduce(s, value);
    black_box(query(&next));
    let changed = paint(&next, painted);
    (next, changed)
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let start = seeded();
    let mut painted = Painted::new();
    paint(&start, &mut painted);
    let panes = painted.len();
    let (mut keys, mut repainted) = (0, 0);
    let t = std::time::Instant::now();
    for _ in 0..rounds {
        let mut s = start.clone();
        for i in 1..=WORD.len() {
            let (next, changed) = keystroke(&s, &WORD[..i], &mut painted);
            s = next;
            keys += 1;
            repainted += changed;
        }
        assert!(s
            .derived
            .panels()
            .iter()
            .any(|p| p.text.contains("role/PaymentsWriterRoleForProduction")));
    }
    let per_key = t.elapsed() / u32::try_from(keys).unwrap_or(u32::MAX);
    println!("keystrokes: {keys} ({panes} panes shown)");
    println!(
        "panes re-coloured per keystroke: {:.2}",
        repainted as f64 / keys as f64
    );
    println!("wall time per keystroke (native, this machine's load): {per_key:?}");
}
