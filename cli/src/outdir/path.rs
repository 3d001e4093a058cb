//! Where an artefact goes inside the output directory, and what is there now.
//!
//! Every folder between the directory and the file must be a real folder and
//! the file a regular file or nothing: a symbolic link (to a file or a
//! folder) would send the write outside the directory, and a FIFO would make
//! the run hang, so both are refused with the path named. The directory
//! itself is the user's choice and may be a link.

use std::collections::HashMap;
use std::fs::FileType;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// What is at an artefact's path before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing: the file is new.
    Nothing,
    /// A regular file, with its permission bits (0 where there are none).
    File { mode: u32 },
}

/// The folders one writer of a run has already checked (or made), relative
/// to the directory: each is looked at once, however many files it holds.
/// A folder the writer made itself holds nothing it did not write, so its
/// files need no look either (a fresh run makes one `lstat` per folder, not
/// per file).
#[derive(Debug, Default)]
pub struct Folders(HashMap<String, Origin>);

/// How a folder came to be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// It was there before (or another writer of the run made it).
    Found,
    /// This writer made it: it held nothing when made.
    Made,
}

impl Folders {
    /// `root/rel`, after checking that each folder on the way is a real
    /// folder (making the missing ones) and that the file is a regular file
    /// or missing.
    pub fn prepare(&mut self, root: &Path, rel: &str) -> Result<(PathBuf, Found), String> {
        let mut origin = Origin::Found;
        if let Some((parents, _)) = rel.rsplit_once('/') {
            // `a`, `a/b`, ... down to the file's folder.
            let folders = parents
                .match_indices('/')
                .filter_map(|(i, _)| parents.get(..i));
            for folder in folders.chain(std::iter::once(parents)) {
                origin = match self.0.get(folder) {
                    Some(&known) => known,
                    None => {
                        let made = make_folder(&root.join(folder))?;
                        self.0.insert(folder.to_string(), made);
                        made
                    }
                };
            }
        }
        let path = root.join(rel);
        let found = match origin {
            // A file already written into it this run is replaced as new.
            Origin::Made => Found::Nothing,
            Origin::Found => entry(&path)?,
        };
        Ok((path, found))
    }
}

/// Makes a folder on an artefact's way unless a real folder is there; an
/// error when something else is.
fn make_folder(path: &Path) -> Result<Origin, String> {
    if folder_exists(path)? {
        return Ok(Origin::Found);
    }
    match std::fs::create_dir(path) {
        Ok(()) => Ok(Origin::Made),
        // Another writer of the run made it in between: look again.
        Err(e) if e.kind() == ErrorKind::AlreadyExists && folder_exists(path)? => Ok(Origin::Found),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

/// `root/rel` and what is there, or `None` when a folder on the way is
/// missing or is not a real folder (so nothing irsa-gen wrote can be there):
/// for removing a stale file without following links.
pub fn existing(root: &Path, rel: &str) -> Option<(PathBuf, FileType)> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    let (file, parents) = parts.split_last()?;
    for part in parents {
        path.push(part);
        if !std::fs::symlink_metadata(&path).ok()?.file_type().is_dir() {
            return None;
        }
    }
    path.push(file);
    let kind = std::fs::symlink_metadata(&path).ok()?.file_type();
    Some((path, kind))
}

/// Whether a folder on an artefact's way exists; an error when something
/// else is there.
fn folder_exists(path: &Path) -> Result<bool, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_dir() => Ok(true),
        Ok(m) => Err(format!(
            "{} is {}, where irsa-gen writes a folder; move it away or choose another --output-dir",
            path.display(),
            describe(m.file_type())
        )),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// What is at a file's path: nothing, or a regular file; an error for the rest.
pub fn entry(path: &Path) -> Result<Found, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(Found::File { mode: mode_of(&m) }),
        Ok(m) => Err(format!(
            "{} is {}, where irsa-gen writes a file; move it away or choose another --output-dir",
            path.display(),
            describe(m.file_type())
        )),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Found::Nothing),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(unix)]
fn mode_of(m: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> u32 {
    0
}

/// What a file type is, for an error: "a symbolic link", "a FIFO"...
pub fn describe(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_symlink() {
        "a symbolic link (irsa-gen never writes through links in an output directory)"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}
