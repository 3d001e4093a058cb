//! `generate --output-dir`: writing into a directory that may already hold
//! the user's files, an earlier run's files or a trap, without losing or
//! overwriting anything by surprise (issue 14). The rules, which the README's
//! "Output directories" states for users:
//!
//! - nothing is written through a symbolic link or into a FIFO, socket or
//!   device inside the directory: refused, the path named ([`path`]);
//! - each file is the old one or the complete new one: temporary file and
//!   rename ([`atomic`]);
//! - the manifest lists what the last complete run wrote; the next run
//!   replaces those files, removes the ones it no longer writes, and refuses
//!   to replace any other file unless `--force`; a run that fails or is
//!   killed leaves a marker the next run reports ([`manifest`]);
//! - a new file is 0755 (scripts) or 0644 (the rest) less the umask; a file
//!   that is replaced keeps its mode, so a 0600 file stays 0600.
//!
//! With `--only`, a run writes one kind of file of the set: it removes
//! nothing, and the manifest keeps the files it did not write.
//!
//! The bindings are rendered and written on every core ([`threads`]), each
//! thread with its own `Writer`; the marker is shared, and each binding's
//! paths go into it in one write before any of its files is renamed in.

mod atomic;
mod manifest;
mod path;
mod threads;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Stale files named one by one in the summary; the rest are counted.
const NAMED_REMOVALS: usize = 10;

/// An output directory during a run.
#[derive(Debug)]
pub struct OutDir {
    root: PathBuf,
    force: bool,
    partial: bool,
    /// Files earlier runs wrote: the manifest's, and an unfinished run's.
    owned: HashSet<String>,
    written: HashSet<String>,
    /// Shared by the run's writers, each recording a batch in one write.
    marker: Mutex<manifest::Marker>,
}

/// One file to write.
#[derive(Debug)]
pub struct File {
    /// Its `/`-separated path inside the directory.
    pub rel: String,
    /// Its text.
    pub text: String,
    /// A script: made executable when new.
    pub script: bool,
}

/// What a complete run did.
#[derive(Debug)]
pub struct Done {
    root: PathBuf,
    written: usize,
    removed: Vec<PathBuf>,
}

impl OutDir {
    /// Starts a run into `root` (made if missing). `force` replaces files no
    /// earlier run wrote; `partial` (`--only`) keeps the files this run does
    /// not write.
    pub fn open(root: &Path, force: bool, partial: bool) -> Result<Self, String> {
        std::fs::create_dir_all(root)
            .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        if !root.is_dir() {
            return Err(format!("{} is not a folder", root.display()));
        }
        let listed = manifest::read(root, manifest::MANIFEST)?;
        let unfinished = manifest::read(root, manifest::MARKER)?;
        if unfinished.is_some() {
            let last = if listed.is_some() {
                "files listed in the manifest are from the last complete run"
            } else {
                "no run into it has completed"
            };
            eprintln!(
                "warning: the previous run into {} did not complete; {last}",
                root.display()
            );
        }
        let owned = listed.into_iter().chain(unfinished).flatten().collect();
        Ok(Self {
            marker: Mutex::new(manifest::Marker::start(root)?),
            root: root.to_path_buf(),
            force,
            partial,
            owned,
            written: HashSet::new(),
        })
    }

    /// Writes the files `files_of` makes of each item (a binding), the
    /// items shared among the machine's cores ([`threads`]). The first item
    /// in order that fails ends the run with its error; files of items
    /// after it may be written already (the marker lists them).
    pub fn write_each<T: Sync>(
        &mut self,
        items: &[T],
        files_of: impl Fn(&T) -> Result<Vec<File>, String> + Sync,
    ) -> Result<(), String> {
        let this = &*self;
        let writers = threads::each(
            items,
            || Writer::new(this),
            |w, item| w.write(files_of(item)?),
        )?;
        let written: Vec<HashSet<String>> = writers.into_iter().map(|w| w.written).collect();
        self.written.extend(written.into_iter().flatten());
        Ok(())
    }

    /// Ends the run: removes the files earlier runs wrote and this one did
    /// not (unless `--only`), writes the manifest, removes the marker.
    pub fn finish(self) -> Result<Done, String> {
        let removed = if self.partial {
            Vec::new()
        } else {
            self.remove_stale()?
        };
        // With --only, the files this run did not write stay listed.
        let kept = self.owned.iter().filter(|_| self.partial);
        let listed = self.written.iter().chain(kept);
        manifest::write(&self.root, listed.map(String::as_str).collect())?;
        let marker = self
            .marker
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        marker.finish()?;
        Ok(Done {
            root: self.root,
            written: self.written.len(),
            removed,
        })
    }

    /// Removes each regular file earlier runs wrote and this one did not,
    /// then its folders if that left them empty. Anything else now in its
    /// place is left, with a note.
    fn remove_stale(&self) -> Result<Vec<PathBuf>, String> {
        let mut stale: Vec<&String> = self.owned.difference(&self.written).collect();
        stale.sort_unstable();
        let mut removed = Vec::new();
        for rel in stale {
            let Some((path, kind)) = path::existing(&self.root, rel) else {
                continue;
            };
            if !kind.is_file() {
                eprintln!(
                    "note: left {}: it is {} now, not the file irsa-gen wrote",
                    path.display(),
                    path::describe(kind)
                );
                continue;
            }
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            // Its folders, deepest first, while they are empty.
            for (i, _) in rel.rmatch_indices('/') {
                let folder = self.root.join(rel.get(..i).unwrap_or_default());
                if std::fs::remove_dir(folder).is_err() {
                    break;
                }
            }
            removed.push(path);
        }
        Ok(removed)
    }
}

/// One thread's writing: the folders it checked, the files it wrote.
struct Writer<'o> {
    out: &'o OutDir,
    folders: path::Folders,
    written: HashSet<String>,
}

impl<'o> Writer<'o> {
    fn new(out: &'o OutDir) -> Self {
        Self {
            out,
            folders: path::Folders::default(),
            written: HashSet::new(),
        }
    }

    /// Writes one item's files: every path checked first, then all of them
    /// recorded in the marker, then each file replaced.
    fn write(&mut self, files: Vec<File>) -> Result<(), String> {
        let mut planned = Vec::with_capacity(files.len());
        for file in &files {
            planned.push(self.plan(file)?);
        }
        self.out
            .marker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .record(files.iter().map(|f| f.rel.as_str()))?;
        for (file, (path, mode)) in files.iter().zip(planned) {
            atomic::replace(&path, file.text.as_bytes(), mode)?;
        }
        self.written.extend(files.into_iter().map(|f| f.rel));
        Ok(())
    }

    /// Where a file goes and the mode it gets; an error for a path outside
    /// the directory, a link or special file on the way, or a file of the
    /// user's (unless `--force`).
    fn plan(&mut self, file: &File) -> Result<(PathBuf, atomic::Mode), String> {
        let rel = file.rel.as_str();
        if !manifest::is_inside(rel) {
            return Err(format!("`{rel}` is not a path inside the output directory"));
        }
        let out = self.out;
        let (path, found) = self.folders.prepare(&out.root, rel)?;
        let mode = match found {
            path::Found::Nothing => atomic::Mode::New(if file.script { 0o755 } else { 0o644 }),
            path::Found::File { mode } => {
                if !out.force && !out.owned.contains(rel) && !self.written.contains(rel) {
                    return Err(format!(
                        "{} exists and no earlier irsa-gen run wrote it (it is not in {}): move it away, or pass --force to replace it",
                        path.display(),
                        out.root.join(manifest::MANIFEST).display()
                    ));
                }
                atomic::Mode::Keep(mode)
            }
        };
        Ok((path, mode))
    }
}

impl std::fmt::Display for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = |n: usize| {
            if n == 1 {
                "1 file".to_string()
            } else {
                format!("{n} files")
            }
        };
        write!(
            f,
            "wrote {} to {}",
            files(self.written),
            self.root.display()
        )?;
        if self.removed.is_empty() {
            return Ok(());
        }
        write!(
            f,
            "\nremoved {} the previous run wrote and this one does not:",
            files(self.removed.len())
        )?;
        for path in self.removed.iter().take(NAMED_REMOVALS) {
            write!(f, "\n  {}", path.display())?;
        }
        if self.removed.len() > NAMED_REMOVALS {
            write!(f, "\n  … and {} more", self.removed.len() - NAMED_REMOVALS)?;
        }
        Ok(())
    }
}
