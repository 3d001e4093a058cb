//! Replacing a file so that it is always either the old one or the complete
//! new one.
//!
//! The text goes to a new temporary file in the target's own folder (same
//! file system, created exclusively, so nothing already there is followed or
//! reused), which is then renamed over the target: rename swaps the name in
//! one step, and replaces a link rather than writing through it. A write cut
//! short (a full disk, a file size limit, an error) removes the temporary
//! file and leaves the old one. Only a process killed between the two steps
//! leaves a `.NAME.*.irsa-gen-tmp` behind.
//!
//! There is no fsync: the guarantee is against a failed or interrupted run,
//! not a power cut. Syncing made a run of 10,000 bindings 2 to 10 times slower.

use std::io::Write;
use std::path::Path;

/// The permission bits a written file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new file: these bits less the umask.
    New(u32),
    /// A file that exists: exactly its own bits, so a 0600 file stays 0600.
    Keep(u32),
}

/// Writes `text` to `path` through a temporary file renamed into place.
pub fn replace(path: &Path, text: &[u8], mode: Mode) -> Result<(), String> {
    let failed = |e: std::io::Error| {
        format!(
            "cannot write {}: {e}; the file there before (if any) is unchanged",
            path.display()
        )
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".irsa-gen-tmp");
    #[cfg(unix)]
    if let Mode::New(bits) = mode {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(bits));
    }
    // Dropping the temporary file on any error below removes it.
    let mut temp = builder.tempfile_in(folder).map_err(failed)?;
    #[cfg(unix)]
    if let Mode::Keep(bits) = mode {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(bits))
            .map_err(failed)?;
    }
    temp.write_all(text).map_err(failed)?;
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

#[cfg(test)]
// A panic in a test is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "old").unwrap();
        replace(&path, b"new", Mode::New(0o644)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
    }
}
