//! What irsa-gen wrote into an output directory. `.irsa-gen-manifest` lists
//! the files of the last complete run; `.irsa-gen-incomplete` is created when
//! a run starts and lists each file before it is written, and removed when
//! the run completes. A run finding the marker knows the previous one was cut
//! short, and treats the files it lists as irsa-gen's own.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::path::{entry, refusal, relative, Entry};

/// The manifest's file name.
pub const MANIFEST: &str = ".irsa-gen-manifest";
/// The marker of a run in progress.
pub const INCOMPLETE: &str = ".irsa-gen-incomplete";

const HEADER: &str = "# irsa-gen: files written by the last complete `irsa-gen generate --output-dir` run into this directory. Rerun to update; do not edit.";

/// A manifest or marker's most bytes: far above 100,000 paths.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The paths a manifest (or marker) at `path` lists; none when it is missing.
pub fn read(path: &Path) -> Result<Option<BTreeSet<String>>, String> {
    match entry(path)? {
        Entry::Missing => return Ok(None),
        Entry::File { .. } => {}
        Entry::Dir => return Err(refusal(path, "a folder")),
        Entry::Other(what) => return Err(refusal(path, what)),
    }
    let mut text = String::new();
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .and_then(|f| f.take(MAX_BYTES).read_to_string(&mut text))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut paths = BTreeSet::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        relative(line).map_err(|e| format!("{}: {e}", path.display()))?;
        paths.insert(line.to_string());
    }
    Ok(Some(paths))
}

/// The text of a manifest listing `paths`.
pub fn text(paths: &BTreeSet<String>) -> String {
    let mut out = format!("{HEADER}\n");
    for p in paths {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// The marker of the run in progress, open for appending each path before it
/// is written.
pub struct Marker(File);

impl Marker {
    /// Creates (or continues) the marker at `path`.
    pub fn start(path: &Path) -> Result<Self, String> {
        match entry(path)? {
            Entry::Missing | Entry::File { .. } => {}
            Entry::Dir => return Err(refusal(path, "a folder")),
            Entry::Other(what) => return Err(refusal(path, what)),
        }
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o644)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        writeln!(file, "# irsa-gen: a run into this directory started and has not completed; the next run completes it.")
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Self(file))
    }

    /// Notes `rel` before it is written.
    pub fn note(&mut self, rel: &str) -> Result<(), String> {
        writeln!(self.0, "{rel}").map_err(|e| format!("cannot write {INCOMPLETE}: {e}"))
    }
}
