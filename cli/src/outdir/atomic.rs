//! Writing a file so that it is always either the old one or the complete
//! new one.
//!
//! A file that exists is replaced: the text goes to a new temporary file in
//! the target's own folder (same file system, created exclusively, so
//! nothing already there is followed or reused), which is then renamed over
//! the target: rename swaps the name in one step, and replaces a link rather
//! than writing through it. A write cut short (a full disk, a file size
//! limit, an error) removes the temporary file and leaves the old one. Only
//! a process killed between the two steps leaves a `.NAME.*.irsa-gen-tmp`
//! behind.
//!
//! A file that does not exist has no old one to keep: it is created in
//! place, exclusively (`O_CREAT | O_EXCL`, no link followed), so whatever
//! appeared at its name meanwhile (a link, a FIFO, a file) fails the create
//! and is neither followed nor overwritten. A write cut short removes it; a
//! process killed while writing it leaves it, listed in the marker, and the
//! next run replaces it. Three system calls (open, write, close) where the
//! rename made four: a run of 10,000 bindings writes 130,000 files.
//!
//! There is no fsync: the guarantee is against a failed or interrupted run,
//! not a power cut. Syncing made a run of 10,000 bindings 2 to 10 times slower.

use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use super::dir::Dir;

/// Temporary names of this process: its id and a count, so no two writers
/// of a run pick the same name (one left by another process is skipped).
static TEMPORARIES: AtomicU64 = AtomicU64::new(0);
/// The process id, asked once (each `std::process::id()` is a system call).
static PID: OnceLock<u32> = OnceLock::new();

/// What creating a new file came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Created {
    /// The file is there, complete.
    Written,
    /// Something appeared at the name since it was looked at: nothing was
    /// written; the caller looks again and replaces it or refuses.
    Exists,
}

/// Creates the file `name` of `dir`, which must not exist, with `text`:
/// `bits` less the umask. `path` names it in errors.
pub fn create(
    dir: &Dir,
    name: &str,
    text: &[u8],
    bits: u32,
    path: impl Fn() -> PathBuf,
) -> Result<Created, String> {
    let mut file = match dir.create_new(name, bits) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(Created::Exists),
        Err(e) => return Err(format!("cannot create {}: {e}", path().display())),
    };
    if let Err(e) = file.write_all(text) {
        drop(file);
        // Nothing was there before: a cut file is not left in its place.
        let _ = dir.remove(name);
        return Err(format!(
            "cannot write {}: {e}; nothing was there before and the part written is removed",
            path().display()
        ));
    }
    Ok(Created::Written)
}

/// Replaces the file `name` of `dir` with `text` through a temporary file
/// renamed into place; the new file gets exactly `mode`, the old file's bits
/// (the umask does not apply), so a 0600 file stays 0600.
pub fn replace(
    dir: &Dir,
    name: &str,
    text: &[u8],
    mode: u32,
    path: impl Fn() -> PathBuf,
) -> Result<(), String> {
    let failed = |e: std::io::Error| {
        format!(
            "cannot write {}: {e}; the file there before is unchanged",
            path().display()
        )
    };
    let (temp, mut file) = create_temporary(dir, name, mode).map_err(failed)?;
    let written = keep_mode(&file, mode).and_then(|()| file.write_all(text));
    drop(file);
    // A write cut short removes the temporary file and leaves the old one.
    let done = written.and_then(|()| dir.rename(&temp, name));
    if let Err(e) = done {
        let _ = dir.remove(&temp);
        return Err(failed(e));
    }
    Ok(())
}

/// A new file `.NAME.PID-N.irsa-gen-tmp` beside `name`, created exclusively
/// (nothing already there is followed or reused).
fn create_temporary(dir: &Dir, name: &str, mode: u32) -> std::io::Result<(String, std::fs::File)> {
    let pid = *PID.get_or_init(std::process::id);
    loop {
        let n = TEMPORARIES.fetch_add(1, Ordering::Relaxed);
        let temp = format!(".{name}.{pid}-{n}.irsa-gen-tmp");
        match dir.create_new(&temp, mode) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Gives a replacing file the old file's exact bits, unless creating it
/// with them already did (no bit the umask takes, no set-id or sticky bit).
fn keep_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    if umask().is_none_or(|mask| mode & (mask | !0o777) != 0) {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (file, mode);
    Ok(())
}

/// The process's umask, read once from `/proc/self/status` (setting it to
/// learn it would change it for every thread meanwhile); `None` where the
/// system does not say, and every replaced file gets its mode set.
fn umask() -> Option<u32> {
    static UMASK: OnceLock<Option<u32>> = OnceLock::new();
    *UMASK.get_or_init(|| {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
        u32::from_str_radix(line.trim(), 8).ok()
    })
}

#[cfg(test)]
// A panic in a test is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn names(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.json");
        std::fs::write(&path, "old").unwrap();
        let dir = Dir::root(tmp.path()).unwrap();
        replace(&dir, "a.json", b"new", 0o644, || path.clone()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(tmp.path()), ["a.json"]);
    }

    #[test]
    fn creates_a_new_file_and_leaves_an_existing_one_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = Dir::root(tmp.path()).unwrap();
        let path = tmp.path().join("a.json");
        let made = create(&dir, "a.json", b"new", 0o644, || path.clone()).unwrap();
        assert_eq!(made, Created::Written);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        // The near miss: the name is taken now, so nothing is written.
        let again = create(&dir, "a.json", b"other", 0o644, || path.clone()).unwrap();
        assert_eq!(again, Created::Exists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(tmp.path()), ["a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_created_at_a_new_name_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let dir = Dir::root(&out).unwrap();
        // Made after the run looked and found nothing: the create refuses it.
        std::os::unix::fs::symlink(&victim, out.join("a.json")).unwrap();
        let path = out.join("a.json");
        let made = create(&dir, "a.json", b"new", 0o644, || path.clone()).unwrap();
        assert_eq!(made, Created::Exists);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        // A dangling link too: nothing is made at its target.
        std::fs::remove_file(&victim).unwrap();
        let made = create(&dir, "a.json", b"new", 0o644, || path.clone()).unwrap();
        assert_eq!(made, Created::Exists);
        assert!(!victim.exists());
    }
}
