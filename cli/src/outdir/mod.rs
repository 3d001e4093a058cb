//! `generate --output-dir`: writing into a directory that may already hold
//! the user's files, an earlier run's files or a trap, without losing or
//! overwriting anything by surprise (issue 14). The rules, which the README's
//! "Output directories" states for users:
//!
//! - nothing is written through a symbolic link or into a FIFO, socket or
//!   device inside the directory: refused, the path named ([`path`]);
//! - each file is the old one or the complete new one: a file that exists
//!   is replaced through a temporary file and a rename, a new one is created
//!   in place exclusively (`O_EXCL`: nothing that appeared at its name
//!   meanwhile is followed or overwritten), and the marker names it before
//!   ([`atomic`]);
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
//! paths go into it in one write before any of its files is created or
//! renamed in. Every folder is held open and its files are written through
//! it, no link followed ([`dir`]).

mod atomic;
mod dir;
mod manifest;
mod path;
mod threads;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// Stale files named one by one in the summary; the rest are counted.
const NAMED_REMOVALS: usize = 10;

/// An output directory during a run.
#[derive(Debug)]
pub struct OutDir {
    root: PathBuf,
    /// The directory held open: every file is written through it.
    held: Arc<dir::Dir>,
    force: bool,
    partial: bool,
    /// Files earlier runs wrote: the manifest's, and an unfinished run's;
    /// sorted.
    owned: Vec<String>,
    /// The files this run wrote, in no order (sorted by `finish`).
    written: Vec<String>,
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
        let held =
            dir::Dir::root(root).map_err(|e| format!("cannot open {}: {e}", root.display()))?;
        let listed = manifest::read(root, &held, manifest::MANIFEST)?;
        let unfinished = manifest::read(root, &held, manifest::MARKER)?;
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
        let mut owned: Vec<String> = listed.into_iter().chain(unfinished).flatten().collect();
        // The manifest is sorted: this only merges the marker's lines in.
        owned.sort();
        owned.dedup();
        Ok(Self {
            marker: Mutex::new(manifest::Marker::start(root, &held)?),
            root: root.to_path_buf(),
            held: Arc::new(held),
            force,
            partial,
            owned,
            written: Vec::new(),
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
        let mut written: Vec<Vec<String>> = writers.into_iter().map(|w| w.written).collect();
        // Each thread's list sorted on its own core; `finish` merges them.
        std::thread::scope(|s| {
            for list in &mut written {
                s.spawn(|| list.sort_unstable());
            }
        });
        self.written.extend(written.into_iter().flatten());
        Ok(())
    }

    /// Ends the run: removes the files earlier runs wrote and this one did
    /// not (unless `--only`), writes the manifest, removes the marker.
    pub fn finish(mut self) -> Result<Done, String> {
        // Sorted runs, one per thread (and per call): a stable sort merges them.
        self.written.sort();
        self.written.dedup();
        let removed = if self.partial {
            Vec::new()
        } else {
            self.remove_stale()?
        };
        // With --only, the files this run did not write stay listed.
        let kept = self.owned.iter().filter(|_| self.partial);
        let listed = self.written.iter().chain(kept);
        manifest::write(&self.root, &self.held, listed.map(String::as_str).collect())?;
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
        let stale = sorted_difference(&self.owned, &self.written);
        let mut removed = Vec::new();
        for rel in stale {
            let Some((path, kind)) = path::existing(&self.root, rel) else {
                continue;
            };
            if kind != dir::Kind::File {
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

/// The entries of `all` that are not in `some`, both sorted: one walk.
fn sorted_difference<'a>(all: &'a [String], some: &[String]) -> Vec<&'a String> {
    let mut some = some.iter().peekable();
    let mut left = Vec::new();
    for item in all {
        while some.next_if(|s| *s < item).is_some() {}
        if some.next_if(|s| *s == item).is_none() {
            left.push(item);
        }
    }
    left
}

/// One thread's writing: the folders it holds open, the files it wrote.
struct Writer<'o> {
    out: &'o OutDir,
    folders: path::Folders,
    written: Vec<String>,
}

/// What a planned file gets.
#[derive(Debug, Clone, Copy)]
enum Action {
    /// Created in place: nothing is there (these bits less the umask).
    Create(u32),
    /// Replaced through a temporary file, keeping these bits.
    Replace(u32),
}

impl<'o> Writer<'o> {
    fn new(out: &'o OutDir) -> Self {
        Self {
            out,
            folders: path::Folders::new(Arc::clone(&out.held)),
            written: Vec::new(),
        }
    }

    /// Writes one item's files: every path checked first, then all of them
    /// recorded in the marker, then each file created or replaced.
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
        for (file, (held, action)) in files.iter().zip(planned) {
            self.put(file, &held, action)?;
        }
        self.written.extend(files.into_iter().map(|f| f.rel));
        Ok(())
    }

    /// Where a file goes (its folder held open) and what it gets; an error
    /// for a path outside the directory, a link or special file on the way,
    /// or a file of the user's (unless `--force`).
    fn plan(&mut self, file: &File) -> Result<(Arc<dir::Dir>, Action), String> {
        let rel = file.rel.as_str();
        if !manifest::is_inside(rel) {
            return Err(format!("`{rel}` is not a path inside the output directory"));
        }
        let place = self.folders.prepare(&self.out.root, rel)?;
        let action = self.action(file, place.found)?;
        Ok((place.dir, action))
    }

    /// What a file gets, given what is at its name.
    fn action(&self, file: &File, found: path::Found) -> Result<Action, String> {
        let out = self.out;
        match found {
            path::Found::Nothing => Ok(Action::Create(if file.script { 0o755 } else { 0o644 })),
            path::Found::File { mode } => {
                let rel = file.rel.as_str();
                // The run's own files are few to search only here: a file
                // that is there and that no earlier run wrote.
                if !out.force
                    && out.owned.binary_search_by(|o| o.as_str().cmp(rel)).is_err()
                    && !self.written.iter().any(|w| w == rel)
                {
                    return Err(format!(
                        "{} exists and no earlier irsa-gen run wrote it (it is not in {}): move it away, or pass --force to replace it",
                        out.root.join(rel).display(),
                        out.root.join(manifest::MANIFEST).display()
                    ));
                }
                Ok(Action::Replace(mode))
            }
        }
    }

    /// Creates or replaces one file. A file found missing that is there by
    /// the time it is created (made meanwhile) is looked at again: replaced
    /// if it is a file the rules let the run replace, else refused.
    fn put(&self, file: &File, held: &dir::Dir, action: Action) -> Result<(), String> {
        let rel = file.rel.as_str();
        let name = rel.rsplit_once('/').map_or(rel, |(_, name)| name);
        let path = || self.out.root.join(rel);
        let text = file.text.as_bytes();
        let mode = match action {
            Action::Replace(mode) => mode,
            Action::Create(bits) => match atomic::create(held, name, text, bits, path)? {
                atomic::Created::Written => return Ok(()),
                atomic::Created::Exists => {
                    match self.action(file, path::entry(held, name, path)?)? {
                        Action::Replace(mode) => mode,
                        // Gone again: a name that keeps changing is not written.
                        Action::Create(_) => {
                            return Err(format!(
                                "{} keeps appearing and disappearing while irsa-gen writes it; nothing was written there",
                                path().display()
                            ))
                        }
                    }
                }
            },
        };
        atomic::replace(held, name, text, mode, path)
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

#[cfg(test)]
// A panic in a test is a failed test.
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn file(rel: &str) -> File {
        File {
            rel: rel.to_string(),
            text: "new\n".to_string(),
            script: false,
        }
    }

    #[test]
    fn the_difference_of_sorted_lists_is_one_walk() {
        let all: Vec<String> = ["a", "b", "c", "d"].map(String::from).into();
        let some: Vec<String> = ["0", "b", "bb", "d", "e"].map(String::from).into();
        assert_eq!(sorted_difference(&all, &some), ["a", "c"]);
        assert_eq!(sorted_difference(&all, &[]), ["a", "b", "c", "d"]);
        assert!(sorted_difference(&[], &some).is_empty());
    }

    /// The run plans `ns/app/main.tf` (its folder made, so the file is new
    /// without a look), then `meanwhile` puts something at the name, then
    /// the run writes: what it gets.
    #[cfg(unix)]
    fn racing(force: bool, meanwhile: impl Fn(&Path)) -> (tempfile::TempDir, Result<(), String>) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        let out = OutDir::open(&root, force, false).unwrap();
        let mut writer = Writer::new(&out);
        let main = file("ns/app/main.tf");
        let (held, action) = writer.plan(&main).unwrap();
        assert!(matches!(action, Action::Create(0o644)), "{action:?}");
        meanwhile(&root);
        let put = writer.put(&main, &held, action);
        drop(writer);
        drop(out);
        (tmp, put)
    }

    #[cfg(unix)]
    #[test]
    fn a_link_made_at_a_new_name_meanwhile_is_refused_not_followed() {
        // Even with --force: a link is never written through.
        for force in [false, true] {
            let (tmp, put) = racing(force, |root| {
                let victim = root.join("../victim");
                std::fs::write(&victim, "keep me\n").unwrap();
                std::os::unix::fs::symlink(&victim, root.join("ns/app/main.tf")).unwrap();
            });
            let err = put.unwrap_err();
            assert!(err.contains("main.tf is a symbolic link"), "{err}");
            let victim = tmp.path().join("victim");
            assert_eq!(std::fs::read_to_string(victim).unwrap(), "keep me\n");
        }
        // A link to nowhere: nothing is made where it points.
        let (tmp, put) = racing(true, |root| {
            std::os::unix::fs::symlink("../../../made", root.join("ns/app/main.tf")).unwrap();
        });
        assert!(put.unwrap_err().contains("is a symbolic link"));
        assert!(!tmp.path().join("made").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_made_at_a_new_name_meanwhile_is_refused_without_opening_it() {
        let (_tmp, put) = racing(true, |root| {
            let made = std::process::Command::new("mkfifo")
                .arg(root.join("ns/app/main.tf"))
                .status()
                .unwrap();
            assert!(made.success());
        });
        assert!(put.unwrap_err().contains("main.tf is a FIFO"));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_made_at_a_new_name_meanwhile_is_the_users() {
        use std::os::unix::fs::PermissionsExt;
        let mine = |root: &Path| {
            let path = root.join("ns/app/main.tf");
            std::fs::write(&path, "mine\n").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        };
        let (tmp, put) = racing(false, mine);
        let err = put.unwrap_err();
        assert!(
            err.contains("exists and no earlier irsa-gen run wrote it"),
            "{err}"
        );
        let path = tmp.path().join("out/ns/app/main.tf");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
        // The near miss: with --force it is replaced, keeping its mode.
        let (tmp, put) = racing(true, mine);
        put.unwrap();
        let path = tmp.path().join("out/ns/app/main.tf");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_swapped_for_a_link_meanwhile_is_not_written_through() {
        let (tmp, put) = racing(true, |root| {
            let elsewhere = root.join("../elsewhere");
            std::fs::create_dir(&elsewhere).unwrap();
            std::fs::rename(root.join("ns/app"), root.join("ns/moved")).unwrap();
            std::os::unix::fs::symlink(&elsewhere, root.join("ns/app")).unwrap();
        });
        // The file goes into the folder the run made and holds, wherever
        // it is now; nothing lands behind the link.
        put.unwrap();
        let elsewhere = std::fs::read_dir(tmp.path().join("elsewhere")).unwrap();
        assert_eq!(elsewhere.count(), 0);
        let moved = tmp.path().join("out/ns/moved/main.tf");
        assert_eq!(std::fs::read_to_string(moved).unwrap(), "new\n");
    }
}
