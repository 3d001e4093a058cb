//! Where an artefact goes inside the output directory, and what is there now.
//!
//! Every folder between the directory and the file must be a real folder and
//! the file a regular file or nothing: a symbolic link (to a file or a
//! folder) would send the write outside the directory, and a FIFO would make
//! the run hang, so both are refused with the path named. The directory
//! itself is the user's choice and may be a link. Each folder is opened
//! without following links ([`Dir`]) and the file is written through it.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dir::{Dir, Entry, Kind};

/// What is at an artefact's path before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing: the file is new.
    Nothing,
    /// A regular file, with its permission bits (0 where there are none).
    File { mode: u32 },
}

/// The folders of one writer's last file, held open from the directory
/// down, so the next file in the same folder (a binding's thirteen) opens
/// none. A folder the writer made itself holds nothing it did not write,
/// so its files need no look (a fresh run looks at no file, and at each
/// folder once: the `mkdir` that made it).
#[derive(Debug)]
pub struct Folders {
    root: Arc<Dir>,
    /// Outermost first: `a`, `a/b`, ...
    chain: Vec<Open>,
    /// Per depth, whether the last folder entered there had to be made:
    /// the next one at that depth is likely missing too (a binding's folder
    /// in a fresh run, not its namespace's), so it is made before it is
    /// looked for.
    making: Vec<bool>,
}

/// A folder on the way, held open.
#[derive(Debug)]
struct Open {
    /// Its path inside the directory.
    rel: String,
    dir: Arc<Dir>,
    origin: Origin,
}

/// How a folder came to be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// It was there before (or another writer of the run made it).
    Found,
    /// This writer made it: it held nothing when made.
    Made,
}

/// A file's place: its folder held open, its name in it, what is there.
#[derive(Debug)]
pub struct Place {
    pub dir: Arc<Dir>,
    pub found: Found,
}

impl Folders {
    /// The folders of a writer into the directory held by `root`.
    pub fn new(root: Arc<Dir>) -> Self {
        Self {
            root,
            chain: Vec::new(),
            making: Vec::new(),
        }
    }

    /// The folder of `rel` inside `root` (each folder on the way a real
    /// folder, the missing ones made) and what is at its name: a regular
    /// file or nothing.
    pub fn prepare(&mut self, root: &Path, rel: &str) -> Result<Place, String> {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let kept = self
            .chain
            .iter()
            .take_while(|open| is_on_way(&open.rel, folder))
            .count();
        self.chain.truncate(kept);
        let mut start = self.chain.last().map_or(0, |open| open.rel.len() + 1);
        while let Some(rest) = folder.get(start..).filter(|r| !r.is_empty()) {
            let end = start + rest.find('/').unwrap_or(rest.len());
            let here = folder.get(..end).unwrap_or_default();
            let part = folder.get(start..end).unwrap_or_default();
            let (parent, parent_origin) = self.last();
            let depth = self.chain.len();
            let making = self.making.get(depth).copied().unwrap_or_default();
            let make_first = making || parent_origin == Origin::Made;
            let (dir, origin) = enter(&parent, make_first, part, || root.join(here))?;
            if let Some(slot) = self.making.get_mut(depth) {
                *slot = origin == Origin::Made;
            } else {
                self.making.push(origin == Origin::Made);
            }
            self.chain.push(Open {
                rel: here.to_string(),
                dir: Arc::new(dir),
                origin,
            });
            start = end + 1;
        }
        let (dir, origin) = self.last();
        let found = match origin {
            // A file this writer made in it, written again, is replaced as new.
            Origin::Made => Found::Nothing,
            Origin::Found => entry(&dir, name, || root.join(rel))?,
        };
        Ok(Place { dir, found })
    }

    /// The innermost folder held, or the directory.
    fn last(&self) -> (Arc<Dir>, Origin) {
        self.chain.last().map_or_else(
            || (Arc::clone(&self.root), Origin::Found),
            |open| (Arc::clone(&open.dir), open.origin),
        )
    }
}

/// Whether the folder `held` is `folder` or one of the folders above it.
fn is_on_way(held: &str, folder: &str) -> bool {
    folder
        .strip_prefix(held)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Opens the folder `name` of `parent`, making it if missing; an error when
/// something else is there. With `make_first` (in a folder this writer
/// made, or after a folder that had to be made), the `mkdir` comes first.
fn enter(
    parent: &Dir,
    make_first: bool,
    name: &str,
    path: impl Fn() -> PathBuf,
) -> Result<(Dir, Origin), String> {
    if !make_first {
        match parent.folder(name) {
            Ok(dir) => return Ok((dir, Origin::Found)),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(not_a_folder(parent, name, &path(), &e)),
        }
    }
    let origin = match parent.make_folder(name) {
        Ok(()) => Origin::Made,
        // Another writer of the run made it in between.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Origin::Found,
        Err(e) => return Err(format!("cannot create {}: {e}", path().display())),
    };
    // Opened without following: a link swapped in since the mkdir is refused.
    match parent.folder(name) {
        Ok(dir) => Ok((dir, origin)),
        Err(e) => Err(not_a_folder(parent, name, &path(), &e)),
    }
}

/// The error for a folder on an artefact's way that could not be opened:
/// what is there instead, or the system's reason.
fn not_a_folder(parent: &Dir, name: &str, path: &Path, e: &std::io::Error) -> String {
    match parent.entry(name) {
        Ok(Some(Entry { kind, .. })) if kind != Kind::Folder => format!(
            "{} is {}, where irsa-gen writes a folder; move it away or choose another --output-dir",
            path.display(),
            describe(kind)
        ),
        _ => format!("cannot read {}: {e}", path.display()),
    }
}

/// What is at the file `name` of `dir`: nothing, or a regular file; an
/// error for the rest.
pub fn entry(dir: &Dir, name: &str, path: impl Fn() -> PathBuf) -> Result<Found, String> {
    match dir.entry(name) {
        Ok(None) => Ok(Found::Nothing),
        Ok(Some(Entry {
            kind: Kind::File,
            mode,
        })) => Ok(Found::File { mode }),
        Ok(Some(Entry { kind, .. })) => Err(format!(
            "{} is {}, where irsa-gen writes a file; move it away or choose another --output-dir",
            path().display(),
            describe(kind)
        )),
        Err(e) => Err(format!("cannot read {}: {e}", path().display())),
    }
}

/// `root/rel` and what is there, or `None` when a folder on the way is
/// missing or is not a real folder (so nothing irsa-gen wrote can be there):
/// for removing a stale file without following links.
pub fn existing(root: &Path, rel: &str) -> Option<(PathBuf, Kind)> {
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
    Some((path, Kind::of(kind)))
}

/// What a kind of entry is, for an error: "a symbolic link", "a FIFO"...
pub fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Fifo => "a FIFO (named pipe)",
        Kind::Socket => "a socket",
        Kind::Device => "a device",
        Kind::Link => {
            "a symbolic link (irsa-gen never writes through links in an output directory)"
        }
        Kind::Folder => "a folder",
        Kind::File => "a file",
        Kind::Other => "not a regular file",
    }
}

#[cfg(test)]
mod tests {
    use super::is_on_way;

    #[test]
    fn a_folder_is_on_its_own_way_and_its_parents_only() {
        assert!(is_on_way("a", "a/b"));
        assert!(is_on_way("a/b", "a/b"));
        assert!(!is_on_way("a", "ab/c"), "a name that only starts alike");
        assert!(!is_on_way("a/b", "a"));
    }
}
