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

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The permission bits a written file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new file: these bits less the umask.
    New(u32),
    /// A file that exists: exactly its own bits, so a 0600 file stays 0600.
    Keep(u32),
}

/// Temporary names of this process: its id and a count, so no two writers
/// of a run pick the same name (one left by another process is skipped).
static TEMPORARIES: AtomicU64 = AtomicU64::new(0);
/// The process id, asked once (each `std::process::id()` is a system call).
static PID: OnceLock<u32> = OnceLock::new();

/// Writes `text` to `path` through a temporary file renamed into place.
/// Four system calls for a new file (open, write, close, rename): a run of
/// 10,000 bindings writes 130,000 files.
pub fn replace(path: &Path, text: &[u8], mode: Mode) -> Result<(), String> {
    let failed = |e: std::io::Error| {
        format!(
            "cannot write {}: {e}; the file there before (if any) is unchanged",
            path.display()
        )
    };
    let (temp, mut file) = create_temporary(path, mode).map_err(failed)?;
    let written = keep_mode(&file, mode).and_then(|()| file.write_all(text));
    drop(file);
    // A write cut short removes the temporary file and leaves the old one.
    let done = written.and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = done {
        let _ = std::fs::remove_file(&temp);
        return Err(failed(e));
    }
    Ok(())
}

/// A new file `.NAME.PID-N.irsa-gen-tmp` beside `path`, created exclusively
/// (nothing already there is followed or reused).
fn create_temporary(path: &Path, mode: Mode) -> std::io::Result<(PathBuf, std::fs::File)> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Mode::New(bits) = mode {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(bits);
    }
    loop {
        let n = TEMPORARIES.fetch_add(1, Ordering::Relaxed);
        let temp = path.with_file_name(format!(
            ".{name}.{}-{n}.irsa-gen-tmp",
            PID.get_or_init(std::process::id)
        ));
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Gives a replacing file the old file's exact bits (the umask does not apply).
fn keep_mode(file: &std::fs::File, mode: Mode) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Mode::Keep(bits) = mode {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(bits))?;
    }
    #[cfg(not(unix))]
    let _ = (file, mode);
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
