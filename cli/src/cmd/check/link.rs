//! Linking on every core: core cuts what judges the whole set into
//! independent parts ([`check::link_plan`]) and merges what they found in
//! its own order; this runs the parts, each thread taking the next one left,
//! so a core another process holds slows only its own share. The report is
//! the one a run on one thread gives.

use std::sync::atomic::{AtomicUsize, Ordering};

use irsa_core::check::{self, CheckOptions, FileSummary, Report};

/// Parts per thread: enough that a thread that falls behind leaves its
/// share to the others.
const PARTS_PER_THREAD: usize = 4;

/// Fewer files than this per part cost more to hand out than they save.
const FILES_PER_PART: usize = 64;

/// Links the summaries on up to `threads` threads.
pub(super) fn link(
    summaries: Vec<FileSummary<'_>>,
    options: &CheckOptions,
    threads: usize,
) -> Report {
    let pieces = (summaries.len() / FILES_PER_PART).clamp(1, threads.max(1) * PARTS_PER_THREAD);
    let plan = check::link_plan(summaries, options, pieces);
    let parts = plan.parts();
    let next = AtomicUsize::new(0);
    // The first part of links the work limit stopped: the links after it
    // are not needed (only a pathological set gets there).
    let stop = AtomicUsize::new(usize::MAX);
    let run = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else { break };
            if part.is_links() && i > stop.load(Ordering::Relaxed) {
                continue;
            }
            let found = plan.link_part(part);
            if found.stopped_links() {
                stop.fetch_min(i, Ordering::Relaxed);
            }
            done.push(found);
        }
        done
    };
    let threads = threads.min(pieces).max(1);
    let done = std::thread::scope(|s| {
        // This thread is one of the workers: one thread fewer to start.
        let others: Vec<_> = (1..threads).map(|_| s.spawn(run)).collect();
        let mut done = run();
        for h in others {
            // A thread that panicked re-raises its panic here.
            done.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        done
    });
    plan.merge(done)
}
