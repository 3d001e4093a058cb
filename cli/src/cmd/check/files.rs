//! The files of a check: found (directories walked), read and summarised.
//!
//! Files are independent until they are linked, so each one is read and
//! summarised by the same thread, on every core, from the first file on: a
//! core another process holds slows only its own share, and no file's text
//! waits in memory for a second pass. The summaries come back in the order
//! of the files, so the output is the one a run on one thread gives.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

use irsa_core::check::{CheckOptions, FileSummary, SourceFile};

/// More threads than this add no cores a check of a repository can use.
const MAX_THREADS: usize = 8;

/// The bytes a thread's read buffer starts with: most manifests and
/// policies are read to their end by one read.
const READ_AHEAD: usize = 64 * 1024;

/// Fewer files than this per thread cost more to hand out than they save.
const FILES_PER_THREAD: usize = 32;

/// Where a file's text comes from.
enum Source {
    Stdin(String),
    File(PathBuf),
}

/// One input: where it is read from, and its text once a thread read it.
pub(super) struct Slot {
    source: Source,
    file: OnceLock<SourceFile>,
}

/// The inputs named by `paths`, in order, not read yet: files as given,
/// directories recursed for .json/.yaml/.yml/.tpl/.tf/.template (not into
/// `.terraform`, the modules Terraform downloads), `-` for stdin (read here).
pub(super) fn find(paths: &[String], max: u64) -> Result<Vec<Slot>, String> {
    let mut sources = Vec::new();
    for p in paths {
        if p == "-" {
            let mut text = String::new();
            std::io::stdin()
                .take(max.saturating_add(1))
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            if text.len() as u64 > max {
                return Err(format!(
                    "standard input is larger than the limit of {max} bytes (--max-file-size)"
                ));
            }
            sources.push(Source::Stdin(text));
            continue;
        }
        let path = Path::new(p);
        if path.is_dir() {
            sources.extend(walk(path)?.into_iter().map(Source::File));
        } else {
            sources.push(Source::File(path.to_path_buf()));
        }
    }
    Ok(sources
        .into_iter()
        .map(|source| Slot {
            source,
            file: OnceLock::new(),
        })
        .collect())
}

/// The text of every slot read, each file summarised by the thread that read
/// it when `summarise` is set; or the error of the first file (in order) that
/// cannot be read, as reading the files one by one would end.
pub(super) fn read_and_summarise<'a>(
    slots: &'a [Slot],
    max: u64,
    options: &CheckOptions,
    summarise: bool,
) -> Result<Vec<FileSummary<'a>>, String> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Each thread's summaries with their file's index, or its first error.
    let run = || {
        let mut done: Vec<(usize, FileSummary<'a>)> = Vec::new();
        let mut buffer = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else { break };
            let file = match read_slot(slot, max, &mut buffer) {
                Ok(f) => f,
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    return (done, Some((i, e)));
                }
            };
            if summarise {
                done.push((i, irsa_core::check::summarise(file, options)));
            }
        }
        (done, None)
    };
    let threads = threads().min(slots.len().div_ceil(FILES_PER_THREAD)).max(1);
    let results = std::thread::scope(|s| {
        // This thread is one of the workers: one thread fewer to start.
        let others: Vec<_> = (1..threads).map(|_| s.spawn(run)).collect();
        let mut results = vec![run()];
        // A thread that panicked re-raises its panic here instead of losing files.
        results.extend(
            others
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
        );
        results
    });
    in_order(results, slots.len())
}

/// The threads a check may use: one per core, at most [`MAX_THREADS`].
pub(super) fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_THREADS)
}

/// What one thread did: its files' summaries by index, and the first file it could not read.
type Share<S> = (Vec<(usize, S)>, Option<(usize, String)>);

/// The threads' summaries in file order, or the first error in file order.
fn in_order<S>(results: Vec<Share<S>>, n: usize) -> Result<Vec<S>, String> {
    let mut first: Option<(usize, String)> = None;
    let mut placed: Vec<Option<S>> = std::iter::repeat_with(|| None).take(n).collect();
    for (done, failed) in results {
        for (i, s) in done {
            if let Some(at) = placed.get_mut(i) {
                *at = Some(s);
            }
        }
        if let Some((i, e)) = failed {
            if first.as_ref().is_none_or(|(j, _)| i < *j) {
                first = Some((i, e));
            }
        }
    }
    match first {
        Some((_, e)) => Err(e),
        None => Ok(placed.into_iter().flatten().collect()),
    }
}

/// The files the slots hold, in order (every slot read, or none).
pub(super) fn files(slots: &[Slot]) -> Vec<&SourceFile> {
    slots.iter().filter_map(|s| s.file.get()).collect()
}

/// Reads every path (see [`find`]) on every core.
pub(crate) fn read_all(paths: &[String], max: u64) -> Result<Vec<SourceFile>, String> {
    let slots = find(paths, max)?;
    read_and_summarise(&slots, max, &CheckOptions::default(), false)?;
    Ok(slots
        .into_iter()
        .filter_map(|s| s.file.into_inner())
        .collect())
}

/// A slot's text, read once (through the thread's `buffer`).
fn read_slot<'s>(slot: &'s Slot, max: u64, buffer: &mut Vec<u8>) -> Result<&'s SourceFile, String> {
    if let Some(file) = slot.file.get() {
        return Ok(file);
    }
    let file = match &slot.source {
        Source::Stdin(text) => SourceFile {
            name: "<stdin>".into(),
            text: text.clone(),
        },
        Source::File(path) => read_file(path, max, buffer)?,
    };
    Ok(slot.file.get_or_init(|| file))
}

/// The manifests under a directory, in name order. Symbolic links to files
/// and folders are followed, each folder and file walked once: a link beside
/// its target (a chart's `current -> v2`) or two links to one folder add
/// nothing, and the first name in order is the one findings show. A link that
/// leads back to a folder it is in, a dangling link and an unreadable folder
/// are errors naming the path: nothing is skipped in silence.
fn walk(dir: &Path) -> Result<Vec<PathBuf>, String> {
    // Most trees hold no link: walked on every core, without real paths.
    match super::tree::manifests(dir, threads(), is_manifest) {
        Some(found) => Ok(found),
        None => walk_links(dir),
    }
}

/// [`walk`] of a tree that may hold links, one folder after the other.
pub(super) fn walk_links(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let canonical = |p: &Path| {
        std::fs::canonicalize(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    // Real paths are canonical (no `.`, `..` or `//`): their bytes compare
    // as the paths do, and hash faster than their components.
    let mut seen: HashSet<OsString> = HashSet::new();
    // The real path of each folder the walk is in, by depth: an entry that
    // is no link is its folder's real path and its name, one `realpath` per
    // link, not per file.
    let mut real: Vec<PathBuf> = Vec::new();
    let mut found = Vec::new();
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| walk_error(&e))?;
        let kind = entry.file_type();
        let in_real_folder = entry.depth().checked_sub(1).and_then(|d| real.get(d));
        let real_path = |entry: &walkdir::DirEntry| match in_real_folder {
            Some(folder) if !entry.path_is_symlink() => Ok(folder.join(entry.file_name())),
            _ => canonical(entry.path()),
        };
        if kind.is_dir() {
            // Terraform's own cache of downloaded modules is not the user's.
            let cache = entry.depth() > 0 && entry.file_name() == ".terraform";
            if cache {
                entries.skip_current_dir();
                continue;
            }
            let path = real_path(&entry)?;
            if seen.insert(path.clone().into_os_string()) {
                real.truncate(entry.depth());
                real.push(path);
            } else {
                entries.skip_current_dir();
            }
        } else if kind.is_file()
            && is_manifest(entry.path())
            && seen.insert(real_path(&entry)?.into_os_string())
        {
            found.push(entry.into_path());
        }
    }
    Ok(found)
}

fn walk_error(e: &walkdir::Error) -> String {
    let path = e
        .path()
        .map_or_else(String::new, |p| p.display().to_string());
    match e.loop_ancestor() {
        Some(ancestor) => format!(
            "{path} is a symbolic link loop: it leads back to {}, a folder it is in",
            ancestor.display()
        ),
        None => match e.io_error() {
            Some(io) => format!("cannot read {path}: {io}"),
            None => format!("cannot read {path}: {e}"),
        },
    }
}

/// The files a directory is searched for: JSON, YAML and templates
/// (`*.tpl`, `*.json.tpl`, `*.yaml.tpl`, Terraform's `*.tftpl`, whose
/// placeholders `--set` fills), Terraform (`*.tf`) and CloudFormation (`*.template`).
pub(super) fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml" | "tpl" | "tftpl" | "tf" | "template")
    )
}

/// Reads a file through `buffer`, which one thread reuses for every file: one
/// open and one read to the end (the read that finds the end included), no
/// `stat` for the size, and never more than the limit in memory. The text
/// is copied out at its own length.
fn read_file(path: &Path, max: u64, buffer: &mut Vec<u8>) -> Result<SourceFile, String> {
    let name = path.display().to_string();
    let cannot = |e: std::io::Error| format!("cannot read {name}: {e}");
    let file = std::fs::File::open(path).map_err(cannot)?;
    buffer.clear();
    if buffer.capacity() < READ_AHEAD {
        buffer.reserve(READ_AHEAD);
    }
    (&file)
        .take(max.saturating_add(1))
        .read_to_end(buffer)
        .map_err(cannot)?;
    if buffer.len() as u64 > max {
        return Err(format!(
            "{name} is larger than the limit of {max} bytes (--max-file-size)"
        ));
    }
    let text = std::str::from_utf8(buffer).map_err(|_| {
        cannot(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })?;
    Ok(SourceFile {
        name,
        text: text.to_owned(),
    })
}
