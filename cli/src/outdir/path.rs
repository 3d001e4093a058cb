//! Paths inside the output directory, walked without following symlinks:
//! every folder between the directory and a file is checked with `lstat`, so a
//! symlinked `production/` or `main.tf -> ../victim.txt` is refused, never
//! written through.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// What is at a path, as `lstat` sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Nothing.
    Missing,
    /// A regular file, with its permission bits.
    File { mode: u32 },
    /// A folder.
    Dir,
    /// A symlink, FIFO, socket or device: never opened, never replaced.
    Other(&'static str),
}

/// What is at `path`, without following a symlink or opening the file (a FIFO
/// would block).
pub fn entry(path: &Path) -> Result<Entry, String> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entry::Missing),
        Err(e) => return Err(format!("cannot inspect {}: {e}", path.display())),
    };
    let t = meta.file_type();
    Ok(if t.is_symlink() {
        Entry::Other("a symlink")
    } else if t.is_dir() {
        Entry::Dir
    } else if t.is_file() {
        Entry::File {
            mode: meta.permissions().mode() & 0o7777,
        }
    } else if t.is_fifo() {
        Entry::Other("a FIFO")
    } else if t.is_socket() {
        Entry::Other("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Entry::Other("a device")
    } else {
        Entry::Other("a special file")
    })
}

/// `rel` when it is a plain relative path (no `..`, no root, no `.`, no
/// newline): what a manifest line or an artefact path may be.
pub fn relative(rel: &str) -> Result<&Path, String> {
    let path = Path::new(rel);
    let plain = !rel.is_empty()
        && !rel.contains(['\n', '\r', '\0'])
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(path)
    } else {
        Err(format!("`{rel}` is not a plain relative path"))
    }
}

/// Makes the folders of `rel` under `root`, refusing any that is a symlink or
/// not a folder; returns the full path of the file.
pub fn prepare(root: &Path, rel: &Path) -> Result<PathBuf, String> {
    walk(root, rel, true).map(|p| p.unwrap_or_else(|| root.join(rel)))
}

/// The full path of `rel` when every folder on the way exists and is a real
/// folder (for removing stale files: nothing is created).
pub fn existing(root: &Path, rel: &Path) -> Result<Option<PathBuf>, String> {
    walk(root, rel, false)
}

/// Checks each folder of `rel` under `root` with `lstat`; a missing one is
/// created when `create`, else the walk ends with `None`.
fn walk(root: &Path, rel: &Path, create: bool) -> Result<Option<PathBuf>, String> {
    let mut at = root.to_path_buf();
    for part in rel.parent().into_iter().flat_map(Path::components) {
        at.push(part);
        match entry(&at)? {
            Entry::Dir => {}
            Entry::Missing if create => {
                fs::create_dir(&at).map_err(|e| format!("cannot create {}: {e}", at.display()))?;
            }
            Entry::Missing => return Ok(None),
            Entry::File { .. } => return Err(refusal(&at, "a file, not a folder")),
            Entry::Other(what) => return Err(refusal(&at, what)),
        }
    }
    Ok(Some(root.join(rel)))
}

/// The error for a path irsa-gen will not write through.
pub fn refusal(path: &Path, what: &str) -> String {
    format!(
        "{} is {what}; irsa-gen never writes through symlinks or special files in --output-dir (remove it, or choose another directory)",
        path.display()
    )
}
