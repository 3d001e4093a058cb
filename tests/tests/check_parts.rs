//! Linking in parts (issue 21): the CLI runs a [`check::link_plan`]'s parts
//! on every core, in whatever order its threads take them. Whatever the
//! number of parts and the order they come back in (reversed, shuffled, one
//! missing), the merged report is the one `check_report` makes: every
//! finding in place, the inventory, the work counted, and IRSA402 where the
//! work limit stops a pass over the ServiceAccounts, mid-part included.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use irsa_core::check::{self, check_report, CheckOptions, PartFindings, Report, SourceFile};
use irsa_tests::organisation;

fn load(dir: &Path) -> Vec<SourceFile> {
    irsa_tests::folder_files(dir)
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect()
}

/// A fixed permutation of `0..n` from `seed` (Fisher-Yates over a linear
/// congruential sequence): shuffled, and the same on every run.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap();
        order.swap(i, j);
    }
    order
}

/// The orders the parts are run and handed back in.
#[derive(Debug, Clone, Copy)]
enum Order {
    Forward,
    Reverse,
    Shuffled(u64),
    /// Shuffled, the first part left out: the merge runs it.
    Missing(u64),
    /// In order, as the CLI's threads take them: the parts of links after
    /// one the work limit stopped are not run.
    Stopping,
}

/// The files checked through a plan of `pieces` parts run in `order`.
fn in_parts(files: &[SourceFile], options: &CheckOptions, pieces: usize, order: Order) -> Report {
    let summaries = files.iter().map(|f| check::summarise(f, options)).collect();
    let plan = check::link_plan(summaries, options, pieces);
    let n = plan.parts().len();
    let sequence = match order {
        Order::Forward => (0..n).collect(),
        Order::Reverse => (0..n).rev().collect(),
        Order::Shuffled(seed) => shuffled(n, seed),
        Order::Missing(seed) => shuffled(n, seed).into_iter().skip(1).collect(),
        Order::Stopping => (0..n).collect(),
    };
    let mut done: Vec<PartFindings> = Vec::new();
    let mut stopped = false;
    for i in sequence {
        let part = &plan.parts()[i];
        if matches!(order, Order::Stopping) && stopped && part.is_links() {
            continue;
        }
        let found = plan.link_part(part);
        stopped |= found.stopped_links();
        done.push(found);
    }
    plan.merge(done)
}

const ORDERS: [Order; 6] = [
    Order::Forward,
    Order::Stopping,
    Order::Reverse,
    Order::Shuffled(1),
    Order::Shuffled(7),
    Order::Missing(3),
];

/// Every order and number of parts gives `check_report`'s report.
fn same_in_every_order(name: &str, files: &[SourceFile], options: &CheckOptions) {
    let whole = check_report(files, options);
    for pieces in [1, 2, 3, 8, 64] {
        for order in ORDERS {
            let parts = in_parts(files, options, pieces, order);
            assert_eq!(parts, whole, "{name}: {pieces} parts, {order:?}");
        }
    }
}

#[test]
fn every_check_fixture_in_any_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() > 100, "{}", dirs.len());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        same_in_every_order(&name, &load(&dir), &CheckOptions::default());
    }
}

fn organisation_files(trusts: usize, service_accounts: usize) -> Vec<SourceFile> {
    organisation::files(trusts, service_accounts)
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect()
}

#[test]
fn an_organisation_in_any_order() {
    let files = organisation_files(400, 400);
    let whole = check_report(&files, &CheckOptions::default());
    assert_eq!(whole.links.service_accounts, 400);
    assert!(whole.diagnostics.iter().any(|d| d.code == "IRSA302"));
    same_in_every_order("organisation", &files, &CheckOptions::default());
}

/// The work limit reached in the first ServiceAccount, in the middle of a
/// part, at the last one, and one step after all the work: IRSA402 names
/// the same ServiceAccounts and the work counted is the same in every order.
#[test]
fn the_work_limit_stops_at_the_same_service_account_in_any_order() {
    let files = organisation_files(150, 150);
    let all = check_report(&files, &CheckOptions::default()).links.total();
    for max in [0, 1, 7, all / 3, all / 2 + 1, all - 1, all, all + 1] {
        let options = CheckOptions {
            max_link_work: max,
            ..CheckOptions::default()
        };
        let whole = check_report(&files, &options);
        let stopped = whole.diagnostics.iter().any(|d| d.code == "IRSA402");
        assert_eq!(
            stopped,
            max < all,
            "limit {max} of {all}: {:?}",
            whole.links
        );
        same_in_every_order(&format!("limit {max}"), &files, &options);
    }
}

#[test]
fn too_many_files_in_parts() {
    let files = vec![
        SourceFile {
            name: "a.yaml".into(),
            text: String::new(),
        };
        3
    ];
    let options = CheckOptions {
        max_files: 2,
        ..CheckOptions::default()
    };
    same_in_every_order("too many files", &files, &options);
}
