//! `--output-dir` that cannot hurt: irsa-gen writes only inside the
//! directory, never through a symlink or into a FIFO or device, replaces each
//! file atomically (the old file or the whole new one, never a cut one),
//! keeps the modes people gave their files (scripts get the run bit, data
//! files nothing more), overwrites only what its manifest says it wrote
//! (`--force` for the rest), removes the files of its last run that this run
//! no longer writes, and leaves a marker while a run is in progress, so that a
//! run cut short is visible and the next one completes it.

mod atomic;
mod manifest;
mod path;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use atomic::Mode;
use path::Entry;

/// An output directory during one run.
pub struct OutputDir {
    root: PathBuf,
    force: bool,
    /// Files irsa-gen may replace: the last complete run's and those an
    /// interrupted run noted.
    ours: BTreeSet<String>,
    /// Files this run wrote.
    written: BTreeSet<String>,
    marker: manifest::Marker,
    /// What to tell the user about the previous run, once the run is done.
    pub notes: Vec<String>,
}

impl OutputDir {
    /// Opens `root` (created if missing) for a run; `force` allows replacing
    /// files irsa-gen did not write.
    pub fn open(root: &Path, force: bool) -> Result<Self, String> {
        match path::entry(root)? {
            Entry::Missing => fs::create_dir_all(root)
                .map_err(|e| format!("cannot create {}: {e}", root.display()))?,
            Entry::File { .. } => {
                return Err(format!("{} is a file, not a folder", root.display()))
            }
            // The directory named on the command line may be a symlink the
            // user chose; nothing inside it may be.
            Entry::Dir | Entry::Other("a symlink") => {}
            Entry::Other(what) => return Err(path::refusal(root, what)),
        }
        let mut ours = manifest::read(&root.join(manifest::MANIFEST))?.unwrap_or_default();
        let mut notes = Vec::new();
        if let Some(cut) = manifest::read(&root.join(manifest::INCOMPLETE))? {
            notes.push(format!(
                "the previous run into {} did not complete ({} files noted in {}); this run completed it",
                root.display(),
                cut.len(),
                manifest::INCOMPLETE
            ));
            ours.extend(cut);
        }
        let marker = manifest::Marker::start(&root.join(manifest::INCOMPLETE))?;
        Ok(Self {
            root: root.to_path_buf(),
            force,
            ours,
            written: BTreeSet::new(),
            marker,
            notes,
        })
    }

    /// Writes one file at `rel` (a plain relative path); `script` gives it the run bit.
    pub fn write(&mut self, rel: &str, text: &str, script: bool) -> Result<(), String> {
        let rel_path = path::relative(rel)?;
        let target = path::prepare(&self.root, rel_path)?;
        let mode = match path::entry(&target)? {
            Entry::Missing => Mode::New(if script { 0o777 } else { 0o666 }),
            Entry::File { mode } => {
                if !self.force && !self.ours.contains(rel) {
                    return Err(format!(
                        "{} exists and irsa-gen did not write it (it is not in {}); move it away, or pass --force to replace it",
                        target.display(),
                        manifest::MANIFEST
                    ));
                }
                // Scripts get the run bit wherever the read bit is; nothing else changes.
                Mode::Exact(if script {
                    mode | ((mode & 0o444) >> 2)
                } else {
                    mode
                })
            }
            Entry::Dir => return Err(path::refusal(&target, "a folder")),
            Entry::Other(what) => return Err(path::refusal(&target, what)),
        };
        self.marker.note(rel)?;
        atomic::replace(&target, text.as_bytes(), mode)?;
        self.written.insert(rel.to_string());
        Ok(())
    }

    /// How many files this run wrote.
    pub fn written(&self) -> usize {
        self.written.len()
    }

    /// Ends the run: removes the files of the last run that this one did not
    /// write (and the folders they leave empty), writes the manifest, removes
    /// the marker. Returns how many stale files were removed.
    pub fn finish(self) -> Result<usize, String> {
        let mut removed = 0;
        for rel in self.ours.difference(&self.written) {
            let rel_path = path::relative(rel)?;
            let Some(full) = path::existing(&self.root, rel_path)? else {
                continue;
            };
            match path::entry(&full)? {
                Entry::File { .. } => {
                    fs::remove_file(&full)
                        .map_err(|e| format!("cannot remove {}: {e}", full.display()))?;
                    removed += 1;
                    self.remove_empty_parents(rel_path);
                }
                Entry::Missing => {}
                Entry::Dir => return Err(path::refusal(&full, "a folder")),
                Entry::Other(what) => return Err(path::refusal(&full, what)),
            }
        }
        for dir in self.folders() {
            atomic::sync_dir(&dir)?;
        }
        atomic::replace(
            &self.root.join(manifest::MANIFEST),
            manifest::text(&self.written).as_bytes(),
            Mode::New(0o666),
        )?;
        let marker = self.root.join(manifest::INCOMPLETE);
        fs::remove_file(&marker).map_err(|e| format!("cannot remove {}: {e}", marker.display()))?;
        atomic::sync_dir(&self.root)?;
        Ok(removed)
    }

    /// Every folder this run wrote into, so their renames can be flushed.
    fn folders(&self) -> BTreeSet<PathBuf> {
        self.written
            .iter()
            .filter_map(|rel| self.root.join(rel).parent().map(Path::to_path_buf))
            .collect()
    }

    /// Removes the folders above a removed file while they are empty (never the root).
    fn remove_empty_parents(&self, rel: &Path) {
        let mut dir = rel.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            if fs::remove_dir(self.root.join(d)).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}
