//! Opening the store file: what may be created, what is refused untouched, and how a store on
//! read-only media is still read.
//!
//! Looking never writes: an existing file is probed from its header and through SQLite's
//! `immutable` mode (which creates no `-wal`/`-shm` beside it) before anything opens it for
//! writing, so a file refused (not SQLite, not ours, newer, damaged) is left byte-identical with
//! nothing new beside it.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, OpenFlags};

use super::error::{Error, Result};
use super::{APPLICATION_ID, SCHEMA_VERSION};

/// How a command may open the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// It must exist already: every command but `init` and `demo`.
    Existing,
    /// Created when missing (`init`, `demo`, the cockpit's onboarding); its missing folders too
    /// only with `folders` (the default data directory, never a path the user typed).
    Create { folders: bool },
}

/// How the file was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    ReadWrite,
    /// The file, its folder or its media refuse writes: read through `immutable` (no `-wal`
    /// beside it, so the file holds every write) or read-only alongside the existing `-wal`.
    ReadOnly,
}

/// Where a store file is, with what the opening decided.
pub(super) struct Opened {
    pub conn: Connection,
    pub access: Access,
}

/// Check `path` and open a connection to it, creating the file only when `how` allows it.
pub(super) fn open(path: &Path, how: Opening) -> Result<Opened> {
    let shown = path.display();
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(Error::input(format!("{shown} is a directory, not a store file"))),
        Ok(m) if m.len() == 0 => {
            if how == Opening::Existing {
                return Err(Error::input(format!(
                    "{shown} is an empty file, not a mktg store: `mktg init` sets it up; left untouched"
                )));
            }
        }
        Ok(m) => probe(path, m.len())?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match how {
            Opening::Existing => {
                return Err(Error::input(format!(
                    "no store at {shown}: create one with `mktg init` (or `mktg demo` for sample data), or pass --db PATH"
                )));
            }
            Opening::Create { folders } => create_file(path, folders)?,
        },
        Err(e) => return Err(Error::system(format!("{shown}: {e}"))),
    }
    if writable(path) && folder_writable(path) {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| open_error(path, e))?;
        // The file may be writable while its folder is not (no room for the -wal): SQLite says so
        // at the first read, which is then done read-only instead.
        // The schema is read here, before anything else, so a damaged one is said to be damaged.
        let first_read = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
            .and_then(|_| conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0)));
        match first_read {
            Ok(_) if !conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) => {
                return Ok(Opened { conn, access: Access::ReadWrite });
            }
            Ok(_) => {}
            Err(e) if cannot_write(&e) => {}
            Err(e) => return Err(unreadable(path, e)),
        }
    }
    open_read_only(path)
}

/// The most a log may hold and still be left beside the file at close by a process that wrote
/// no data (it only read, and kept what it derived: a day's first brief keeps about 110 KiB).
/// Every later process's first connection reads the whole log once to index it, so it is kept
/// small; the next data write's close, or any commit's auto-checkpoint (1,000 pages), folds it in.
const KEEP_LOG_ON_CLOSE_BYTES: u64 = 256 * 1024;

impl Drop for super::Store {
    /// Closing checkpoints the log into the file: the file's exclusive lock, every page the log
    /// holds written again and two fsyncs, and the next command creates the `-wal` again. A
    /// command that wrote no data skips it while the log is small: what it kept (the brief, the
    /// channel scan, the judged feeds) is derived, and stays readable from the log by every
    /// later reader (and recomputed if lost). A command that wrote data checkpoints as before,
    /// so a store copied as a single file after a write still holds it; a commit is durable in
    /// the log either way (`synchronous = FULL`).
    fn drop(&mut self) {
        let mut checkpoints = false;
        if let Some(path) = self.path.as_deref().filter(|_| !self.read_only) {
            let small = |len: u64| len == 0 || (!self.wrote_data.get() && len <= KEEP_LOG_ON_CLOSE_BYTES);
            if std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| small(m.len())) {
                keep_log_on_close(&self.conn);
            } else {
                checkpoints = true;
            }
        }
        // SAFETY: `conn` is taken once, here, and never used again (`self` is being dropped).
        let conn = unsafe { std::mem::ManuallyDrop::take(&mut self.conn) };
        if checkpoints || !PARK_ON_CLOSE.load(Ordering::Relaxed) {
            // A checkpoint at close happens only in the file's last connection: none parked.
            close_parked();
            drop(conn);
            return;
        }
        // A connection that closes without a checkpoint changes nothing on disk by closing: it
        // only frees, one by one, its statements, page cache and parsed schema. A process that is
        // about to exit leaves that to the exit.
        if let Ok(mut parked) = PARKED.lock() {
            parked.push(conn);
        }
    }
}

/// Whether a store closing without a checkpoint is parked instead (see `park_on_close`).
static PARK_ON_CLOSE: AtomicBool = AtomicBool::new(false);
/// Connections closed without a checkpoint in a one-command process: never freed, the process's
/// exit releases their memory, files and locks exactly as closing would.
static PARKED: Mutex<Vec<Connection>> = Mutex::new(Vec::new());

/// From here on this process runs one command and exits: a store that closes without a
/// checkpoint is not freed piece by piece (a tenth of a small read's time) but left to the exit.
/// Not for a long-running process (the cockpit, the MCP server), which would hold every store.
pub fn park_on_close() {
    PARK_ON_CLOSE.store(true, Ordering::Relaxed);
}

/// Close the parked connections now: before any store opens again and before a close that
/// checkpoints (which SQLite does only in the file's last connection), so that close finds none.
pub(super) fn close_parked() {
    if !PARK_ON_CLOSE.load(Ordering::Relaxed) {
        return;
    }
    let parked = PARKED.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default();
    drop(parked);
}

/// Close `conn` without checkpointing its log: a store refused after opening is left as it was.
pub(super) fn keep_log_on_close(conn: &Connection) {
    let _ = conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
}

/// A read-only connection that creates nothing beside the file.
fn open_read_only(path: &Path) -> Result<Opened> {
    let wal = sidecar(path, "-wal");
    let has_wal = fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    // Without a -wal every write is in the file itself, so `immutable` reads it exactly, with no
    // locking and no -shm. With one, SQLite must read the log too, through its existing -shm.
    let conn = connect(path, if has_wal { "mode=ro" } else { "immutable=1" }).map_err(|e| {
        if has_wal {
            Error::system(format!(
                "{} is read-only and {} holds writes not yet in the file: open it once where it can be written; left untouched",
                path.display(),
                wal.display()
            ))
        } else {
            open_error(path, e)
        }
    })?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
        .map_err(|e| unreadable(path, e))?;
    Ok(Opened { conn, access: Access::ReadOnly })
}

/// Whether the file can be opened for writing (opening it writes nothing): false for a file
/// without write permission, an immutable file, or one on a read-only mount.
fn writable(path: &Path) -> bool {
    fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Whether the store's folder takes new files: the -wal and -shm go beside the store. A folder
/// that refuses them (permissions, `chattr +i`, a read-only mount) means a read-only opening,
/// not a failure when the journal mode is switched to WAL.
fn folder_writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// SQLite failed because it may not write beside or into the file.
fn cannot_write(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{CannotOpen, ReadOnly};
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, CannotOpen | ReadOnly))
}

/// Look at an existing non-empty file without writing to it (nor beside it): it must be SQLite,
/// whole, carry our application id (or be an empty SQLite file), and not be newer than us.
fn probe(path: &Path, len: u64) -> Result<()> {
    let shown = path.display();
    let mut header = [0u8; 100];
    let mut f = fs::File::open(path).map_err(|e| Error::system(format!("cannot read {shown}: {e}")))?;
    let n = read_full(&mut f, &mut header).map_err(|e| Error::system(format!("cannot read {shown}: {e}")))?;
    if n < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::NotOurs(format!("{shown} is not a mktg store (not a SQLite database); left untouched")));
    }
    let raw_app = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    let has_wal = fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() > 0);
    if !has_wal && let Some(why) = truncation(&header, len) {
        return Err(Error::system(format!(
            "{shown} is truncated or damaged ({why}): restore it from a backup; left untouched"
        )));
    }
    // Our application id: no second connection is opened to ask SQLite (reading the schema
    // twice was a tenth of a small command's time). The connection that opens the store reads
    // the schema first thing and calls the file damaged if it cannot (see `open`). With no log
    // beside the file the header also says the version; with one (a reader leaves the log it
    // kept its results in, see `Drop`), the log may hold a newer page 1, so the version is
    // checked through that connection before anything is written (`Store::open_as`).
    if raw_app == APPLICATION_ID {
        if has_wal {
            return Ok(());
        }
        let version = i32::from_be_bytes([header[60], header[61], header[62], header[63]]);
        return check_version(Some(path), i64::from(version));
    }
    // SQLite itself reads the rest; `immutable` when there is no -wal, so nothing is created.
    let conn = connect(path, if has_wal { "mode=ro" } else { "immutable=1" }).map_err(|e| open_error(path, e))?;
    let read = || -> rusqlite::Result<(i32, i64, i64)> {
        let app = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok((app, version, objects))
    };
    let (app, version, objects) = read().map_err(|e| {
        if raw_app == APPLICATION_ID {
            unreadable(path, e)
        } else {
            Error::NotOurs(format!("{shown} is not a readable mktg store ({e}); left untouched"))
        }
    })?;
    if app != APPLICATION_ID && !(app == 0 && objects == 0) {
        return Err(Error::NotOurs(format!(
            "{shown} is a SQLite database but not a mktg store (application_id {app:#x}); left untouched"
        )));
    }
    check_version(Some(path), version)
}

/// Refuse a schema version this build cannot read: newer than it knows, or one no mktg writes.
pub(super) fn check_version(path: Option<&Path>, version: i64) -> Result<()> {
    let shown = path.map(|p| p.display().to_string()).unwrap_or_else(|| "the store".into());
    if version < 0 {
        return Err(Error::NotOurs(format!(
            "{shown} has schema version {version}, which no mktg writes: it is damaged or not a mktg store; left untouched"
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NotOurs(format!(
            "{shown} was written by a newer mktg (schema {version}, this build knows {SCHEMA_VERSION}); upgrade mktg. Left untouched"
        )));
    }
    Ok(())
}

/// Why a file is shorter than its own header says, if it is: its length is not a whole number
/// of pages, or it holds fewer pages than the header counts (when that count is valid).
fn truncation(header: &[u8; 100], len: u64) -> Option<String> {
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let page = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        p => return Some(format!("page size {p} is not one SQLite writes")),
    };
    if !len.is_multiple_of(page) {
        return Some(format!("{len} bytes is not a whole number of {page}-byte pages"));
    }
    let pages = u64::from(be32(28));
    // The page count is only kept up to date by writers that also stamp the change counter.
    if be32(24) == be32(92) && pages > 0 && pages * page > len {
        return Some(format!("{len} bytes where its header counts {} pages of {page}", pages));
    }
    None
}

/// A store of ours that SQLite cannot read: damaged when SQLite says so, else not openable.
fn unreadable(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, DatabaseCorrupt | NotADatabase) => {
            Error::system(format!("{} is damaged ({e}): restore it from a backup; left untouched", path.display()))
        }
        _ => open_error(path, e),
    }
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::system(format!("cannot open {}: {e}", path.display()))
}

/// A read-only connection through a `file:` URI with `param` (`immutable=1`, `mode=ro`).
fn connect(path: &Path, param: &str) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    match path.to_str() {
        Some(p) => Connection::open_with_flags(format!("{}?{param}", uri(p)), flags),
        // Not UTF-8: no URI can name it; read-only without the parameter.
        None => Connection::open_with_flags(path, flags & !OpenFlags::SQLITE_OPEN_URI),
    }
}

/// `path` as a SQLite `file:` URI: `%`, `?` and `#` escaped so they stay part of the name.
fn uri(path: &str) -> String {
    let mut out = String::from(if path.starts_with("//") { "file://" } else { "file:" });
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// `PATH-wal`, `PATH-shm`.
pub(super) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn read_full(f: &mut fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Create the empty store file, owner-only from its first byte. Its folder must exist, unless
/// `folders` (the default data directory), which is then created owner-only too.
fn create_file(path: &Path, folders: bool) -> Result<()> {
    let shown = path.display();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        if !folders {
            return Err(Error::input(format!(
                "cannot create {shown}: the folder {} does not exist (mktg creates only its default data folder)",
                dir.display()
            )));
        }
        create_private_dir(dir)?;
    }
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        // Another mktg created it a moment ago: open theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::system(format!("cannot create {shown}: {e}"))),
    }
}

/// The data directory holds the director's working life: owner-only.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::system(format!("cannot create {}: {e}", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_keep_odd_characters_part_of_the_name() {
        assert_eq!(uri("/tmp/a?b#c%d.db"), "file:/tmp/a%3fb%23c%25d.db");
        assert_eq!(uri("rel.db"), "file:rel.db");
    }

    #[test]
    fn a_header_promising_more_pages_than_the_file_holds_is_truncation() {
        let mut h = [0u8; 100];
        h[16..18].copy_from_slice(&4096u16.to_be_bytes());
        h[28..32].copy_from_slice(&10u32.to_be_bytes());
        h[24..28].copy_from_slice(&7u32.to_be_bytes());
        h[92..96].copy_from_slice(&7u32.to_be_bytes());
        assert!(truncation(&h, 40_960).is_none());
        assert!(truncation(&h, 8_192).unwrap().contains("10 pages"));
        assert!(truncation(&h, 5_000).unwrap().contains("whole number"));
    }
}
