//! A folder of the output directory held open, every name relative to it.
//!
//! On Unix each folder on a file's way is opened without following a link
//! (`O_DIRECTORY | O_NOFOLLOW`) and the file is made or replaced through that
//! handle (`openat`, `mkdirat`, `renameat`): a folder swapped for a link
//! after it was opened changes nothing, and a link swapped in before is
//! refused, so nothing is written through a link even against a process
//! racing the run. It is also the kernel's shortest way: one name to look
//! up per call, not the whole path. Elsewhere a `Dir` is a path and the same
//! calls are std's (the checks then have the gap between look and write).

use std::io;
use std::path::Path;
#[cfg(not(unix))]
use std::path::PathBuf;

/// What is at a name: its kind and permission bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// The permission bits (`0o7777`; 0 where there are none).
    pub mode: u32,
}

/// The kinds of entry an output directory can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
    Fifo,
    Socket,
    Device,
    Other,
}

impl Kind {
    /// The kind of a std file type (the stale files' walk).
    pub fn of(kind: std::fs::FileType) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Self::Fifo;
            }
            if kind.is_socket() {
                return Self::Socket;
            }
            if kind.is_block_device() || kind.is_char_device() {
                return Self::Device;
            }
        }
        if kind.is_symlink() {
            Self::Link
        } else if kind.is_dir() {
            Self::Folder
        } else if kind.is_file() {
            Self::File
        } else {
            Self::Other
        }
    }
}

/// A folder held open.
#[derive(Debug)]
pub struct Dir {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(unix))]
    path: PathBuf,
}

#[cfg(unix)]
mod flags {
    use rustix::fs::OFlags;

    /// A folder opened to be a base for names, never followed if a link.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const FOLDER: OFlags = OFlags::PATH
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub const FOLDER: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);
    /// A file appended to, made if missing: never a link followed, and a
    /// FIFO with no reader fails (`ENXIO`) instead of blocking the run.
    pub const APPEND: OFlags = OFlags::WRONLY
        .union(OFlags::CREATE)
        .union(OFlags::APPEND)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::NONBLOCK)
        .union(OFlags::CLOEXEC);
    /// A file that must not exist yet: a link, FIFO or file already at the
    /// name fails with `EEXIST` and is neither followed nor opened.
    pub const NEW_FILE: OFlags = OFlags::WRONLY
        .union(OFlags::CREATE)
        .union(OFlags::EXCL)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);
}

#[cfg(unix)]
impl Dir {
    /// Opens the output directory itself (the user's choice: a link to a
    /// folder is followed).
    pub fn root(path: &Path) -> io::Result<Self> {
        let follow = flags::FOLDER.difference(rustix::fs::OFlags::NOFOLLOW);
        let fd = rustix::fs::openat(rustix::fs::CWD, path, follow, rustix::fs::Mode::empty())?;
        Ok(Self { fd })
    }

    /// Opens the folder `name` inside this one; an error when it is
    /// missing, a link or not a folder (nothing is followed or opened).
    pub fn folder(&self, name: &str) -> io::Result<Self> {
        let fd = rustix::fs::openat(&self.fd, name, flags::FOLDER, rustix::fs::Mode::empty())?;
        Ok(Self { fd })
    }

    /// Makes the folder `name` (0777 less the umask, as `mkdir` does).
    pub fn make_folder(&self, name: &str) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(
            &self.fd,
            name,
            rustix::fs::Mode::from_bits_truncate(0o777),
        )?)
    }

    /// What is at `name`, not following a link; `None` when nothing is.
    pub fn entry(&self, name: &str) -> io::Result<Option<Entry>> {
        use rustix::fs::{FileType, RawMode};
        match rustix::fs::statat(&self.fd, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => {
                // `st_mode` is `RawMode` on Linux, narrower on some systems.
                #[allow(clippy::unnecessary_cast)]
                let raw = stat.st_mode as RawMode;
                let kind = match FileType::from_raw_mode(raw) {
                    FileType::RegularFile => Kind::File,
                    FileType::Directory => Kind::Folder,
                    FileType::Symlink => Kind::Link,
                    FileType::Fifo => Kind::Fifo,
                    FileType::Socket => Kind::Socket,
                    FileType::CharacterDevice | FileType::BlockDevice => Kind::Device,
                    FileType::Unknown => Kind::Other,
                };
                let mode = rustix::fs::Mode::from_raw_mode(raw).bits() & 0o7777;
                Ok(Some(Entry { kind, mode }))
            }
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates the file `name`, which must not exist: `bits` less the umask.
    /// `AlreadyExists` when anything is at the name (a link included: it is
    /// not followed).
    pub fn create_new(&self, name: &str, bits: u32) -> io::Result<std::fs::File> {
        let mode = rustix::fs::Mode::from_bits_truncate(bits);
        let fd = rustix::fs::openat(&self.fd, name, flags::NEW_FILE, mode)?;
        Ok(std::fs::File::from(fd))
    }

    /// Opens the file `name` to append to it, made (0644 less the umask) if
    /// missing; an error for a link or anything but a regular file.
    pub fn append(&self, name: &str) -> io::Result<std::fs::File> {
        let mode = rustix::fs::Mode::from_bits_truncate(0o644);
        let file = std::fs::File::from(rustix::fs::openat(&self.fd, name, flags::APPEND, mode)?);
        if !file.metadata()?.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        Ok(file)
    }

    /// Renames `from` to `to` in this folder, replacing what `to` was (a
    /// link is replaced, not followed).
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        Ok(rustix::fs::renameat(&self.fd, from, &self.fd, to)?)
    }

    /// Removes the file `name` (a link itself, never its target).
    pub fn remove(&self, name: &str) -> io::Result<()> {
        Ok(rustix::fs::unlinkat(
            &self.fd,
            name,
            rustix::fs::AtFlags::empty(),
        )?)
    }
}

#[cfg(not(unix))]
impl Dir {
    /// Opens the output directory itself.
    pub fn root(path: &Path) -> io::Result<Self> {
        Ok(Self {
            path: path.to_path_buf(),
        })
    }

    /// The folder `name` inside this one; an error when it is missing, a
    /// link or not a folder.
    pub fn folder(&self, name: &str) -> io::Result<Self> {
        let path = self.path.join(name);
        if std::fs::symlink_metadata(&path)?.file_type().is_dir() {
            Ok(Self { path })
        } else {
            Err(io::Error::other("not a folder"))
        }
    }

    /// Makes the folder `name`.
    pub fn make_folder(&self, name: &str) -> io::Result<()> {
        std::fs::create_dir(self.path.join(name))
    }

    /// What is at `name`, not following a link; `None` when nothing is.
    pub fn entry(&self, name: &str) -> io::Result<Option<Entry>> {
        match std::fs::symlink_metadata(self.path.join(name)) {
            Ok(m) => Ok(Some(Entry {
                kind: Kind::of(m.file_type()),
                mode: 0,
            })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates the file `name`, which must not exist.
    pub fn create_new(&self, name: &str, _bits: u32) -> io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.path.join(name))
    }

    /// Opens the file `name` to append to it, made if missing.
    pub fn append(&self, name: &str) -> io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path.join(name))
    }

    /// Renames `from` to `to` in this folder.
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        std::fs::rename(self.path.join(from), self.path.join(to))
    }

    /// Removes the file `name`.
    pub fn remove(&self, name: &str) -> io::Result<()> {
        std::fs::remove_file(self.path.join(name))
    }
}

#[cfg(all(test, unix))]
// A panic in a test is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_marker_is_appended_to_but_never_through_a_link_or_into_a_fifo() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = Dir::root(tmp.path()).unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "keep me\n").unwrap();
        std::os::unix::fs::symlink(&victim, tmp.path().join("link")).unwrap();
        assert!(dir.append("link").is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
        // A FIFO with no reader: an error at once, not a run that hangs.
        let fifo = tmp.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(dir.append("fifo").is_err());
        // The near miss: a file is made, then appended to.
        dir.append("marker").unwrap().write_all(b"a\n").unwrap();
        dir.append("marker").unwrap().write_all(b"b\n").unwrap();
        let text = std::fs::read_to_string(tmp.path().join("marker")).unwrap();
        assert_eq!(text, "a\nb\n");
    }

    #[test]
    fn a_folder_is_opened_only_if_it_is_one() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = Dir::root(tmp.path()).unwrap();
        std::fs::create_dir(tmp.path().join("real")).unwrap();
        std::os::unix::fs::symlink("real", tmp.path().join("link")).unwrap();
        std::fs::write(tmp.path().join("file"), "").unwrap();
        assert!(dir.folder("real").is_ok());
        assert!(dir.folder("link").is_err());
        assert!(dir.folder("file").is_err());
        let missing = dir.folder("missing").unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let link = dir.entry("link").unwrap().unwrap();
        assert_eq!(link.kind, Kind::Link);
        assert_eq!(dir.entry("missing").unwrap(), None);
    }
}
