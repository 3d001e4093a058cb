//! Linking benchmark (issue 21): the synthetic organisation of
//! `irsa_tests::organisation` (10,000 trusts, 20% namespace patterns, 1%
//! open; 10,000 ServiceAccounts), read and linked by core on one thread.
//! Prints the medians of the runs and the work counts, which do not depend
//! on the machine. Usage: `cargo run --release -p irsa-tests --example
//! bench_link [RUNS] [TRUSTS] [SERVICE_ACCOUNTS]` (defaults 5, 10000, 10000);
//! `bench_link write DIR` writes the organisation's files under DIR instead,
//! for `scripts/bench-link` to time the CLI over them.

use std::time::{Duration, Instant};

use irsa_core::check::{self, CheckOptions, Report, SourceFile};

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v.get(v.len() / 2).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The organisation's files under `dir`, as a repository holds them.
fn write(dir: &std::path::Path) -> std::io::Result<()> {
    for (name, text) in irsa_tests::organisation::files(10_000, 10_000) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("write") {
        let dir = std::env::args().nth(2).unwrap_or_else(|| ".".into());
        if let Err(e) = write(std::path::Path::new(&dir)) {
            eprintln!("bench_link: cannot write {dir}: {e}");
            std::process::exit(2);
        }
        return;
    }
    let (runs, trusts, sas) = (arg(1, 5).max(1), arg(2, 10_000), arg(3, 10_000));
    let files: Vec<SourceFile> = irsa_tests::organisation::files(trusts, sas)
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect();
    let options = CheckOptions::default();
    let (mut read, mut link) = (Vec::new(), Vec::new());
    let mut report = Report::default();
    for _ in 0..runs {
        let t = Instant::now();
        let summaries: Vec<_> = files
            .iter()
            .map(|f| check::summarise(f, &options))
            .collect();
        read.push(t.elapsed());
        let t = Instant::now();
        report = check::link_report(summaries, &options);
        link.push(t.elapsed());
    }
    let w = report.links;
    let count = |code: &str| report.diagnostics.iter().filter(|d| d.code == code).count();
    println!(
        "linking: {trusts} trusts (20% namespace patterns, 1% open) + {sas} ServiceAccounts, {} files, {runs} runs, one thread",
        files.len()
    );
    println!(
        "  read and summarise: median {:.1} ms; check and link: median {:.1} ms",
        median(read),
        median(link)
    );
    println!(
        "  work: {} lookups, {} candidates, {} evaluations, {} pattern steps = {} of the limit {}",
        w.lookups,
        w.candidates,
        w.evaluations,
        w.pattern_steps,
        w.total(),
        options.max_link_work
    );
    println!(
        "  {} ServiceAccounts linked, {} skipped; IRSA301 {}, IRSA302 {}, IRSA402 {}",
        w.service_accounts - w.skipped,
        w.skipped,
        count("IRSA301"),
        count("IRSA302"),
        count("IRSA402")
    );
}
