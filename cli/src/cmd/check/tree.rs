//! The walk of a folder tree that holds no symbolic link, on every core.
//!
//! Without links no file is reached twice and no folder leads back to one
//! it is in, so the walk needs no real paths, no set of what was seen and
//! no `stat` per folder: each folder is one `read_dir` whose entries carry
//! their type. Folders are listed in name order and their files put back in
//! the order one depth-first walk gives. At the first symbolic link, error
//! or folder deeper than [`MAX_DEPTH`], this walk gives up and the caller
//! walks the tree as before (`files::walk`), which then says exactly what
//! one walk says.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Deeper than this, the walk that detects folder loops takes over.
const MAX_DEPTH: usize = 64;

/// Folders listed ahead, per thread, before the threads share them.
const FOLDERS_PER_THREAD: usize = 8;

/// Levels listed ahead at most, looking for folders to share.
const LEVELS_AHEAD: usize = 3;

/// A folder's entry the check keeps.
enum Item {
    File(PathBuf),
    /// A folder and its depth under the root.
    Folder(PathBuf, usize),
}

/// The manifests under `root` in the order of a depth-first walk by name,
/// or `None` when the tree holds a symbolic link or something fails.
pub(super) fn manifests(
    root: &Path,
    threads: usize,
    keep: fn(&Path) -> bool,
) -> Option<Vec<PathBuf>> {
    let mut top = list(root, 1, keep)?;
    // A root of few folders is listed further, so that the threads have
    // folders to share.
    for _ in 0..LEVELS_AHEAD {
        let folders = top.iter().filter(|i| matches!(i, Item::Folder(..))).count();
        if folders == 0 || folders >= threads * FOLDERS_PER_THREAD {
            break;
        }
        let mut next = Vec::new();
        for item in top {
            match item {
                Item::Folder(dir, depth) => next.extend(list(&dir, depth + 1, keep)?),
                file @ Item::File(_) => next.push(file),
            }
        }
        top = next;
    }
    let folders: Vec<(&Path, usize)> = top
        .iter()
        .filter_map(|i| match i {
            Item::Folder(dir, depth) => Some((dir.as_path(), *depth)),
            Item::File(_) => None,
        })
        .collect();
    let mut walked = walk_shared(&folders, threads, keep)?.into_iter();
    let mut found = Vec::new();
    for item in top {
        match item {
            Item::File(path) => found.push(path),
            Item::Folder(..) => found.extend(walked.next()?),
        }
    }
    Some(found)
}

/// Each folder's manifests, walked by the threads in turn, in the folders' order.
fn walk_shared(
    folders: &[(&Path, usize)],
    threads: usize,
    keep: fn(&Path) -> bool,
) -> Option<Vec<Vec<PathBuf>>> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let run = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(dir, depth)) = folders.get(i) else {
                break;
            };
            let mut found = Vec::new();
            if subtree(dir, depth, keep, &mut found).is_none() {
                failed.store(true, Ordering::Relaxed);
                break;
            }
            done.push((i, found));
        }
        done
    };
    // A few folders are walked sooner than a thread starts.
    let threads = threads.min(folders.len() / FOLDERS_PER_THREAD).max(1);
    let mut done = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads).map(|_| s.spawn(run)).collect();
        let mut done = run();
        for h in others {
            done.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        done
    });
    if failed.load(Ordering::Relaxed) || done.len() != folders.len() {
        return None;
    }
    done.sort_unstable_by_key(|(i, _)| *i);
    Some(done.into_iter().map(|(_, found)| found).collect())
}

/// The manifests under `dir` (at `depth`), depth first by name, into `found`.
fn subtree(
    dir: &Path,
    depth: usize,
    keep: fn(&Path) -> bool,
    found: &mut Vec<PathBuf>,
) -> Option<()> {
    for item in list(dir, depth + 1, keep)? {
        match item {
            Item::File(path) => found.push(path),
            Item::Folder(sub, depth) => subtree(&sub, depth, keep, found)?,
        }
    }
    Some(())
}

/// The files `keep` accepts and the folders (but Terraform's `.terraform`
/// cache) of `dir`, whose entries are at `depth`, in name order; `None` at
/// a symbolic link, an error or a depth past [`MAX_DEPTH`].
fn list(dir: &Path, depth: usize, keep: fn(&Path) -> bool) -> Option<Vec<Item>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut entries: Vec<(OsString, std::fs::FileType)> = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        entries.push((entry.file_name(), entry.file_type().ok()?));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut items = Vec::with_capacity(entries.len());
    for (name, kind) in entries {
        if kind.is_symlink() {
            return None;
        }
        if kind.is_dir() {
            if name != ".terraform" {
                items.push(Item::Folder(dir.join(name), depth));
            }
        } else if kind.is_file() {
            let path = dir.join(name);
            if keep(&path) {
                items.push(Item::File(path));
            }
        }
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::cmd::check::files::{is_manifest, walk_links};

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("irsa-gen-tree-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self, rel: &str) {
            let path = self.0.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Names whose order is byte order (`B` before `a`, `a-b` before `a.b`
    /// before `a`'s folder entries), folders beside files, Terraform's cache,
    /// files the check does not read, one folder at the top (listed ahead)
    /// and many below it.
    fn tree(s: &Scratch) {
        for rel in [
            "only/a.yaml",
            "only/B.json",
            "only/a-b.yml",
            "only/a.b.tf",
            "only/a/z.json",
            "only/a/notes.txt",
            "only/.terraform/modules/x.tf",
            "only/deep/.terraform/y.tf",
            "only/deep/1/2/3/4/5/6/trust.json",
            "only/deep/chart.tpl",
        ] {
            s.file(rel);
        }
        for i in 0..40 {
            s.file(&format!("only/many/ns-{i:02}/sa.yaml"));
            s.file(&format!("only/many/ns-{i:02}/trust.json"));
            s.file(&format!("only/many/ns-{i:02}/sub/template.template"));
        }
    }

    #[test]
    fn the_walk_on_every_core_is_the_one_walk() {
        let s = Scratch::new("order");
        tree(&s);
        let one = walk_links(&s.0).unwrap();
        assert_eq!(one.len(), 7 + 120, "{one:#?}");
        for threads in [1, 2, 3, 8] {
            let shared = manifests(&s.0, threads, is_manifest).unwrap();
            assert_eq!(shared, one, "{threads} threads");
        }
        // A root of Terraform's name is walked; only caches below it are skipped.
        let root = s.0.join("only/.terraform");
        assert_eq!(
            manifests(&root, 2, is_manifest).unwrap(),
            walk_links(&root).unwrap()
        );
    }

    #[test]
    fn a_link_or_an_unreadable_folder_gives_the_walk_back() {
        let s = Scratch::new("link");
        tree(&s);
        std::os::unix::fs::symlink(s.0.join("only/a"), s.0.join("only/many/ns-07/link")).unwrap();
        assert_eq!(manifests(&s.0, 2, is_manifest), None);
        assert_eq!(manifests(&s.0.join("absent"), 2, is_manifest), None);
        // Near miss: the same tree without the link.
        std::fs::remove_file(s.0.join("only/many/ns-07/link")).unwrap();
        assert!(manifests(&s.0, 2, is_manifest).is_some());
    }
}
