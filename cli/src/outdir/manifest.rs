//! What earlier runs wrote into an output directory: the manifest and the
//! marker of a run in progress.
//!
//! `.irsa-gen-manifest` lists the files the last complete run wrote, one path
//! a line relative to the directory; it is written last (through a temporary
//! file when one is there). `.irsa-gen-incomplete` exists while a run is in
//! progress: made first, it gets each file's path before the file is created
//! or renamed into place, and it is removed once the manifest is written. A
//! marker that a failed or killed run left behind is reported by the next
//! run, and the paths in it count as irsa-gen's own files (replaced or
//! removed, never refused as the user's): a new file a killed run was still
//! writing is one of them.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::atomic;
use super::dir::Dir;
use super::path::{entry, Found};

/// The manifest's file name in the output directory.
pub const MANIFEST: &str = ".irsa-gen-manifest";
/// The marker's file name in the output directory.
pub const MARKER: &str = ".irsa-gen-incomplete";

const MANIFEST_HEADER: &str =
    "# irsa-gen: the files the last complete run wrote here. The next run replaces them and removes the ones it no longer writes.\n";
const MARKER_HEADER: &str =
    "# irsa-gen: a run into this directory started and did not finish. The files it wrote:\n";

/// Whether `rel` is a plain path inside the directory: relative, no `.` or
/// `..`, nothing that would break a line of the manifest.
pub fn is_inside(rel: &str) -> bool {
    // One pass over the bytes: every file of a run is checked.
    rel.as_bytes().split(|&b| b == b'/').all(|part| {
        !matches!(part, b"" | b"." | b"..")
            && !part
                .iter()
                .any(|b| matches!(b, b'\n' | b'\r' | b'\0' | b'\\'))
    })
}

/// The paths a manifest or marker in `dir` lists, or `None` when there is
/// none. A link or a special file in its place, or a line that is not a path
/// inside the directory, is an error naming it.
pub fn read(dir: &Path, held: &Dir, name: &str) -> Result<Option<Vec<String>>, String> {
    let path = dir.join(name);
    if entry(held, name, || path.clone())? == Found::Nothing {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut paths = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_inside(line) {
            return Err(format!(
                "{}:{}: `{line}` is not a path inside {}; irsa-gen wrote no such line: remove it",
                path.display(),
                n + 1,
                dir.display()
            ));
        }
        paths.push(line.to_string());
    }
    Ok(Some(paths))
}

/// Writes the manifest of a complete run: `paths`, sorted.
pub fn write(dir: &Path, held: &Dir, mut paths: Vec<&str>) -> Result<(), String> {
    paths.sort_unstable();
    paths.dedup();
    let mut text = String::from(MANIFEST_HEADER);
    for p in paths {
        text.push_str(p);
        text.push('\n');
    }
    let path = || dir.join(MANIFEST);
    // A manifest made meanwhile is looked at again, then replaced.
    for _ in 0..2 {
        match entry(held, MANIFEST, path)? {
            Found::File { mode } => {
                return atomic::replace(held, MANIFEST, text.as_bytes(), mode, path)
            }
            Found::Nothing => {
                if atomic::create(held, MANIFEST, text.as_bytes(), 0o644, path)?
                    == atomic::Created::Written
                {
                    return Ok(());
                }
            }
        }
    }
    Err(format!(
        "cannot write {}: it keeps changing",
        path().display()
    ))
}

/// The marker of the run in progress, each written file's path appended.
#[derive(Debug)]
pub struct Marker {
    file: std::fs::File,
    path: PathBuf,
}

impl Marker {
    /// Makes the marker, or appends to one an earlier run left (its paths
    /// still need a complete run to be replaced or removed).
    pub fn start(dir: &Path, held: &Dir) -> Result<Self, String> {
        let path = dir.join(MARKER);
        let fresh = entry(held, MARKER, || path.clone())? == Found::Nothing;
        let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let mut file = held.append(MARKER).map_err(failed)?;
        if fresh {
            file.write_all(MARKER_HEADER.as_bytes()).map_err(failed)?;
        }
        Ok(Self { file, path })
    }

    /// Records that the files `rels` are about to be written: one unbuffered
    /// write for all of them (a binding's files), so a killed process has
    /// handed every path to the kernel before the first file is created or
    /// renamed in.
    pub fn record<'r>(&mut self, rels: impl IntoIterator<Item = &'r str>) -> Result<(), String> {
        let mut lines = String::new();
        for rel in rels {
            lines.push_str(rel);
            lines.push('\n');
        }
        self.file
            .write_all(lines.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// Removes the marker: the run is complete.
    pub fn finish(self) -> Result<(), String> {
        drop(self.file);
        std::fs::remove_file(&self.path)
            .map_err(|e| format!("cannot remove {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::is_inside;

    #[test]
    fn only_plain_relative_paths_are_inside() {
        for ok in ["main.tf", "production/s3-writer/setup.sh", ".hidden"] {
            assert!(is_inside(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../victim",
            "a/../../b",
            "a//b",
            "./a",
            "a/",
            "a\\b",
            "a\rb",
        ] {
            assert!(!is_inside(bad), "{bad:?}");
        }
    }
}
