//! One file replaced atomically: written to a temporary name in its own
//! folder, flushed to disk, then renamed over the old one. Whatever happens
//! (a full disk, a kill), the path holds either the old file or the whole new
//! one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The permission bits of a file written.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// A new file: these bits narrowed by the umask, as any program creates files.
    New(u32),
    /// A file replaced: exactly these bits (the old file's, with the run bit for scripts).
    Exact(u32),
}

/// Writes `text` to `target` with `mode`, atomically.
pub fn replace(target: &Path, text: &[u8], mode: Mode) -> Result<(), String> {
    let temp = temp_name(target);
    let result = write_new(&temp, text, mode).and_then(|()| {
        fs::rename(&temp, target).map_err(|e| {
            format!(
                "cannot move {} into place as {}: {e}",
                temp.display(),
                target.display()
            )
        })
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// `.NAME.irsa-gen-tmp` next to `target`.
fn temp_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.irsa-gen-tmp"))
}

fn write_new(temp: &Path, text: &[u8], mode: Mode) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", temp.display());
    // A leftover of an interrupted run is ours to replace, but never followed.
    match fs::symlink_metadata(temp) {
        Ok(m) if m.file_type().is_file() => fs::remove_file(temp).map_err(fail)?,
        Ok(_) => return Err(super::path::refusal(temp, "not a regular file")),
        Err(_) => {}
    }
    let mut file: File = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(match mode {
            Mode::New(bits) | Mode::Exact(bits) => bits,
        })
        .custom_flags(libc::O_NOFOLLOW)
        .open(temp)
        .map_err(fail)?;
    file.write_all(text).map_err(fail)?;
    // The umask narrowed the bits at creation; a kept mode is set exactly.
    if let Mode::Exact(bits) = mode {
        file.set_permissions(fs::Permissions::from_mode(bits))
            .map_err(fail)?;
    }
    file.sync_all().map_err(fail)
}

/// Flushes a folder's entries (the renames into it) to disk.
pub fn sync_dir(dir: &Path) -> Result<(), String> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| format!("cannot flush {}: {e}", dir.display()))
}
