//! Every file mktg writes, written whole and private: a backup, an `--out` export, a report, the
//! text handed to `$EDITOR`.
//!
//! A file is written to a fresh owner-only (0600) temporary file with an unguessable name in the
//! target's own folder, synced to disk, then renamed over the target in one step: a reader sees
//! the old file or the new one, never half of one, and a failure (a full disk, a killed write)
//! removes the temporary file and leaves the target as it was. Errors name the target.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::domain::error::Kind;

/// Writing a file failed; the message names the file that was to be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The target cannot be written as asked (it exists, it is a folder, its folder is missing).
    #[error("{0}")]
    Refused(String),
    /// The system failed to write it (no room, no permission, an I/O error).
    #[error("cannot write {}: {source}", target.display())]
    Failed { target: PathBuf, source: std::io::Error },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn kind(&self) -> Kind {
        match self {
            Error::Refused(_) => Kind::Input,
            Error::Failed { .. } => Kind::System,
        }
    }

    fn failed(target: &Path, source: std::io::Error) -> Error {
        Error::Failed { target: target.to_path_buf(), source }
    }
}

/// Whether an existing target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// An export: the new file replaces the old one in one rename.
    Replace,
    /// A backup: an existing file is never overwritten, even one created while we wrote.
    Refuse,
}

/// A file being written beside its target, owner-only; nothing is at the target until
/// [`NewFile::commit`]. Dropped without a commit, the temporary file is removed.
pub struct NewFile {
    tmp: NamedTempFile,
    target: PathBuf,
    existing: Existing,
}

impl NewFile {
    /// Start writing `target`. A folder is refused (name a file inside it), so is a target whose
    /// folder does not exist, and an existing target with [`Existing::Refuse`].
    pub fn beside(target: &Path, existing: Existing) -> Result<NewFile> {
        let shown = target.display();
        match std::fs::symlink_metadata(target) {
            Ok(m) if m.is_dir() => {
                return Err(Error::Refused(format!("{shown} is a folder: name a file inside it")));
            }
            Ok(_) if existing == Existing::Refuse => {
                return Err(Error::Refused(format!("{shown} already exists; choose a new file")));
            }
            _ => {}
        }
        let folder = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            return Err(Error::Refused(format!(
                "cannot write {shown}: the folder {} does not exist",
                folder.display()
            )));
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // tempfile creates it with O_EXCL and mode 0600 under a random name: no other user can
        // read it, guess it or plant a link in its place.
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(folder)
            .map_err(|e| Error::failed(target, e))?;
        Ok(NewFile { tmp, target: target.to_path_buf(), existing })
    }

    /// Where the bytes go until the commit (for SQLite's `VACUUM INTO`).
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write all of `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.tmp.as_file_mut().write_all(bytes).map_err(|e| Error::failed(&self.target, e))
    }

    /// Sync the bytes to disk, then put the file at its target in one rename (never over an
    /// existing file with [`Existing::Refuse`]), and sync the folder so the rename lasts.
    pub fn commit(self) -> Result<()> {
        let NewFile { tmp, target, existing } = self;
        tmp.as_file().sync_all().map_err(|e| Error::failed(&target, e))?;
        let persisted = match existing {
            Existing::Replace => tmp.persist(&target),
            Existing::Refuse => tmp.persist_noclobber(&target),
        };
        // On failure the error hands the temporary file back; dropping it removes it.
        persisted.map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Error::Refused(format!("{} already exists; choose a new file", target.display()))
            }
            _ => Error::failed(&target, e.error),
        })?;
        sync_folder(&target);
        Ok(())
    }
}

/// Write `bytes` to `target` whole: see [`NewFile`].
pub fn write(target: &Path, bytes: &[u8], existing: Existing) -> Result<()> {
    let mut file = NewFile::beside(target, existing)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Make a completed rename durable. Best effort: the file is already complete and in place,
/// and a folder that cannot be synced (some network filesystems) is no reason to report failure.
fn sync_folder(target: &Path) {
    let folder = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Text handed to another program (`$EDITOR`): a file with an unguessable name inside a new
/// owner-only (0700) folder of its own under the temporary directory, so no other user can
/// read it, predict it, or put a link where it will be. Removed, folder and all, when dropped.
pub struct Scratch {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Scratch {
    /// A scratch file holding `text`; `suffix` (`.md`) lets the editor pick its syntax.
    pub fn with_text(text: &str, suffix: &str) -> Result<Scratch> {
        let temp = std::env::temp_dir();
        let mut folder = tempfile::Builder::new();
        folder.prefix("mktg-edit-");
        // Owner-only from its creation, whatever the umask or tempfile's default.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            folder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = folder.tempdir().map_err(|e| Error::failed(&temp, e))?;
        let file = tempfile::Builder::new()
            .prefix("text-")
            .suffix(suffix)
            .tempfile_in(dir.path())
            .map_err(|e| Error::failed(dir.path(), e))?;
        let (mut f, path) = file.keep().map_err(|e| Error::failed(dir.path(), e.error))?;
        f.write_all(text.as_bytes()).map_err(|e| Error::failed(&path, e))?;
        Ok(Scratch { dir, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the editor saved. The file is opened without following a link: only a regular file
    /// inside our private folder is read.
    pub fn read(&self) -> Result<String> {
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc::O_NOFOLLOW);
        }
        let mut f = opts.open(&self.path).map_err(|e| Error::failed(&self.path, e))?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).map_err(|e| Error::failed(&self.path, e))?;
        Ok(text)
    }

    /// The private folder the file lives in.
    pub fn folder(&self) -> &Path {
        self.dir.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_file_appears_whole_and_private_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        write(&target, b"a,b\n", Existing::Replace).unwrap();
        write(&target, b"c,d\n", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"c,d\n");
        #[cfg(unix)]
        assert_eq!(mode(&target), 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_file_not_committed_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b.db");
        let mut f = NewFile::beside(&target, Existing::Refuse).unwrap();
        f.write_all(b"half").unwrap();
        #[cfg(unix)]
        assert_eq!(mode(f.temp_path()), 0o600, "private from the first byte");
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_existing_target_a_folder_or_a_missing_folder_is_refused_naming_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b.db");
        std::fs::write(&target, b"mine").unwrap();
        let e = write(&target, b"x", Existing::Refuse).unwrap_err();
        assert!(e.to_string().contains("already exists") && e.kind() == Kind::Input, "{e}");
        // Created between the check and the rename: still not overwritten.
        let other = dir.path().join("c.db");
        let mut f = NewFile::beside(&other, Existing::Refuse).unwrap();
        std::fs::write(&other, b"theirs").unwrap();
        f.write_all(b"x").unwrap();
        assert!(f.commit().unwrap_err().to_string().contains("already exists"));
        assert_eq!(std::fs::read(&other).unwrap(), b"theirs");
        let e = write(dir.path(), b"x", Existing::Replace).unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        let e = write(&dir.path().join("nope/x.csv"), b"x", Existing::Replace).unwrap_err();
        assert!(e.to_string().contains("nope") && e.to_string().contains("does not exist"), "{e}");
        assert_eq!(std::fs::read(&target).unwrap(), b"mine");
    }

    #[cfg(unix)]
    #[test]
    fn the_editor_file_sits_in_a_private_folder_of_its_own() {
        let a = Scratch::with_text("draft", ".md").unwrap();
        let b = Scratch::with_text("draft", ".md").unwrap();
        assert_ne!(a.path(), b.path());
        assert_eq!(mode(a.folder()), 0o700);
        assert_eq!(mode(a.path()), 0o600);
        assert_eq!(a.read().unwrap(), "draft");
        // A link put in its place is not followed.
        std::fs::remove_file(a.path()).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", a.path()).unwrap();
        assert!(a.read().is_err());
        let folder = a.folder().to_path_buf();
        drop(a);
        assert!(!folder.exists());
    }
}
