//! Sharing a run's items (a spec's bindings) among the machine's cores.
//!
//! Rendering a binding is CPU and writing its files is the kernel's time, so
//! a run of 10,000 bindings keeps every core busy with both. Items are handed
//! out in order, one at a time, so a core another process holds slows only
//! its own share. The run ends at the first item, in item order, that fails:
//! the error is the one a run on one thread would give.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// More threads than this contend for the folder locks of the file system
/// rather than add cores (measured on 2 cores; a bound for large machines).
const MAX_THREADS: usize = 8;

/// Runs `work` on every item, each thread with its own state from `start`,
/// and gives back the states; or the error of the first item (in `items`'
/// order) that failed, once the items begun before it are done.
pub fn each<T, S, E>(
    items: &[T],
    start: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> Result<(), E> + Sync,
) -> Result<Vec<S>, E>
where
    T: Sync,
    S: Send,
    E: Send,
{
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let run = || {
        let mut state = start();
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            if let Err(e) = work(&mut state, item) {
                stop.store(true, Ordering::Relaxed);
                return (state, Some((i, e)));
            }
        }
        (state, None)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_THREADS)
        .min(items.len());
    let results: Vec<_> = if threads <= 1 {
        vec![run()]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(run)).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    let mut states = Vec::with_capacity(results.len());
    let mut first: Option<(usize, E)> = None;
    for (state, failed) in results {
        states.push(state);
        if let Some((i, e)) = failed {
            if first.as_ref().is_none_or(|(j, _)| i < *j) {
                first = Some((i, e));
            }
        }
    }
    match first {
        Some((_, e)) => Err(e),
        None => Ok(states),
    }
}

#[cfg(test)]
// A panic in a test is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn every_item_is_worked_once() {
        let items: Vec<usize> = (0..1000).collect();
        let states = each(&items, Vec::new, |seen: &mut Vec<usize>, &i| {
            seen.push(i);
            Ok::<(), ()>(())
        })
        .unwrap();
        let mut seen: Vec<usize> = states.into_iter().flatten().collect();
        seen.sort_unstable();
        assert_eq!(seen, items);
    }

    #[test]
    fn the_first_failing_item_in_order_is_the_error() {
        let items: Vec<usize> = (0..1000).collect();
        let worked = Mutex::new(Vec::new());
        let failed = each(
            &items,
            || (),
            |(), &i| {
                worked.lock().unwrap().push(i);
                if i == 500 || i == 501 || i == 900 {
                    return Err(i);
                }
                Ok(())
            },
        );
        let worked = worked.into_inner().unwrap();
        // 501 may fail first on another thread, but 500 was begun before it.
        assert_eq!(failed.unwrap_err(), 500, "{worked:?}");
        assert!((0..=500).all(|i| worked.contains(&i)));
        // The near miss: every item works, no error.
        assert!(each(&items, || (), |(), _| Ok::<(), ()>(())).is_ok());
    }
}
