//! The SQLite store: opening it safely, pragmas, versioned migrations, and the one write path.
//!
//! One module per aggregate, each a handle: `store.kpis()`, `store.launches()`, `store.budget()`,
//! `store.cadence()`, `store.decisions()`, `store.imports()`, `store.meta()` read; inside
//! `store.write(|tx| ...)` the same handles from `tx` also write (see `tx`). The connection is
//! private. Handles return facts (domain types, plain structs); wording belongs to the faces, or
//! to a typed error whose text is the one line a user reads.

pub mod budget;
pub mod cadence;
pub mod decisions;
pub mod demo;
pub mod error;
pub mod imports;
pub mod kpis;
pub mod launch_changes;
pub mod launches;
pub mod meta;
pub mod seed;
mod sql;
pub mod touches;
pub mod tx;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use self::budget::Budget;
use self::cadence::Cadence;
use self::decisions::Decisions;
use self::error::{Error, Result};
use self::imports::Imports;
use self::kpis::Kpis;
use self::launches::Launches;
use self::meta::Meta;
use self::touches::Touches;
use self::tx::{Db, Tx};

/// Marks a SQLite file as ours: "mktg" in ASCII.
pub const APPLICATION_ID: i32 = 0x6D6B_7467;

/// Every migration ever released, in order. Never edit a released one: add the next.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    ("0002_cadence", include_str!("migrations/0002_cadence.sql")),
    ("0003_import_campaigns", include_str!("migrations/0003_import_campaigns.sql")),
    ("0004_import_facts_unindexed", include_str!("migrations/0004_import_facts_unindexed.sql")),
    ("0005_touches", include_str!("migrations/0005_touches.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT_MS: u64 = 10_000;

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Open (creating if missing) the store at `path`, refusing anything that is
    /// not ours or is newer than this build, without changing a byte of it.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display();
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(Error::input(format!("{shown} is a directory, not a store file")));
            }
            Ok(m) if m.len() > 0 => check_foreign(path)?,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_private_dir(path)?,
            Err(e) => return Err(Error::system(format!("{shown}: {e}"))),
        }
        let existed = path.exists();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, e))?;
        if !existed {
            restrict_file(path)?;
        }
        // SQLite quietly falls back to read-only when the OS refuses writes: say so up front
        // rather than failing at the first write.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(Error::system(format!(
                "{shown} is read-only: mktg needs to write its store; nothing was changed"
            )));
        }
        let mut store = Store { conn, path: Some(path.to_path_buf()) };
        store.configure().map_err(|e| match e.sqlite_code() {
            Some(rusqlite::ErrorCode::ReadOnly) => {
                Error::system(format!("{shown} is read-only: mktg needs to write its store"))
            }
            _ => e,
        })?;
        store.migrate()?;
        store.read_only_outside_writes()?;
        Ok(store)
    }

    /// A private in-memory store, migrated: for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: None };
        store.configure()?;
        store.migrate()?;
        store.read_only_outside_writes()?;
        Ok(store)
    }

    /// From here on, only a `Tx` can write (see `tx`).
    fn read_only_outside_writes(&self) -> Result<()> {
        Ok(self.conn.pragma_update(None, "query_only", true)?)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn db(&self) -> Db<'_, tx::Read> {
        Db::read(&self.conn)
    }

    /// Store-wide settings: role, currency, whether it holds the user's data.
    pub fn meta(&self) -> Meta<'_> {
        Meta::new(self.db())
    }

    /// Metrics, targets and dated observations.
    pub fn kpis(&self) -> Kpis<'_> {
        Kpis::new(self.db())
    }

    /// Launches, their checklists and history.
    pub fn launches(&self) -> Launches<'_> {
        Launches::new(self.db())
    }

    /// Campaigns: plans, spend, pacing, attribution.
    pub fn budget(&self) -> Budget<'_> {
        Budget::new(self.db())
    }

    /// Meetings: the agenda, dated instances, templates.
    pub fn cadence(&self) -> Cadence<'_> {
        Cadence::new(self.db())
    }

    /// The decision log.
    pub fn decisions(&self) -> Decisions<'_> {
        Decisions::new(self.db())
    }

    /// Deals' touch histories, for attribution.
    pub fn touches(&self) -> Touches<'_> {
        Touches::new(self.db())
    }

    /// Imported files: writing one, the log, undo.
    pub fn imports(&self) -> Imports<'_> {
        Imports::new(self)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        if self.path.is_some() {
            let mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::system(format!("could not switch the store to WAL (got {mode})")));
            }
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        self.migrate_to(MIGRATIONS.len())
    }

    /// Apply the released migrations up to `upto`, each in its own transaction.
    fn migrate_to(&mut self, upto: usize) -> Result<()> {
        let current: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > SCHEMA_VERSION {
            return Err(newer_error(self.path.as_deref(), current));
        }
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate().take(upto).skip(current as usize) {
            let version = i as i64 + 1;
            let tx = Transaction::new(&mut self.conn, TransactionBehavior::Immediate)?;
            tx.execute_batch(sql).map_err(|e| Error::system(format!("migration {name}: {e}")))?;
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Run `f` in one IMMEDIATE transaction: all of it lands, or none of it. The only way to
    /// change the store: `tx.kpis()`, `tx.budget()`... are the handles that write.
    pub fn write<T, E: From<Error>>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = Tx::begin(&self.conn)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Run `f` in a transaction that is always rolled back: a dry run does the real work, so it
    /// reports exactly what would change, and leaves the store as it was.
    pub fn rehearse<T, E: From<Error>>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = Tx::begin(&self.conn)?;
        let out = f(&tx);
        tx.rollback()?;
        out
    }

    /// An open transaction for a write that cannot be one closure (a file streamed in while it
    /// parses): the same path as `write`, committed or rolled back by the caller.
    pub(in crate::store) fn begin(&self) -> Result<Tx<'_>> {
        Tx::begin(&self.conn)
    }

    /// Switches SQLite's per-row foreign-key checks off until the guard drops (between
    /// transactions only: see `imports`).
    pub(in crate::store) fn foreign_keys(&self, on: bool) -> Result<()> {
        Ok(self.conn.pragma_update(None, "foreign_keys", if on { "ON" } else { "OFF" })?)
    }

    /// Changes whenever another connection commits: a cheap "has the store moved under me?".
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// SQLite's integrity and foreign-key checks; the problems found, empty when sound.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!("foreign key broken in {} row {}", r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            problems.push(row?);
        }
        let app: i32 = self.conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app != APPLICATION_ID {
            problems.push(format!("application_id is {app:#x}, expected {APPLICATION_ID:#x}"));
        }
        Ok(problems)
    }

    /// A consistent copy of the store, safe while other processes write to it.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::input(format!("{} already exists; choose a new file", dest.display())));
        }
        let mut out = Connection::open(dest).map_err(|e| open_error(dest, e))?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            backup.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
        }
        restrict_file(dest)?;
        Ok(())
    }
}

/// Look at an existing non-empty file without writing to it: it must be SQLite,
/// carry our application id (or be an empty SQLite file), and not be newer than us.
fn check_foreign(path: &Path) -> Result<()> {
    let shown = path.display();
    let mut header = [0u8; 100];
    let mut f = fs::File::open(path).map_err(|e| Error::system(format!("{shown}: {e}")))?;
    let n = f.read(&mut header).map_err(|e| Error::system(format!("{shown}: {e}")))?;
    if n < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::NotOurs(format!("{shown} is not a mktg store (not a SQLite database); left untouched")));
    }
    // Ask SQLite itself (read-only) so that a header still in the WAL is seen too.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| open_error(path, e))?;
    let probe = || -> rusqlite::Result<(i32, i64, i64)> {
        let app = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok((app, version, objects))
    };
    let raw_app = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    let (app, version, objects) = probe().map_err(|e| {
        if raw_app == APPLICATION_ID {
            // Ours, but SQLite cannot open it: usually a directory where it cannot create its -wal/-shm files.
            Error::system(format!("cannot open {shown}: {e}; is its directory writable? Left untouched"))
        } else {
            Error::NotOurs(format!("{shown} is not a readable mktg store ({e}); left untouched"))
        }
    })?;
    if app != APPLICATION_ID && !(app == 0 && objects == 0) {
        return Err(Error::NotOurs(format!(
            "{shown} is a SQLite database but not a mktg store (application_id {app:#x}); left untouched"
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(newer_error(Some(path), version));
    }
    Ok(())
}

fn newer_error(path: Option<&Path>, version: i64) -> Error {
    let shown = path.map(|p| p.display().to_string()).unwrap_or_else(|| "the store".into());
    Error::NotOurs(format!(
        "{shown} was written by a newer mktg (schema {version}, this build knows {SCHEMA_VERSION}); upgrade mktg. Left untouched"
    ))
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::system(format!("cannot open {}: {e}", path.display()))
}

/// The data directory holds the director's working life: owner-only.
fn create_private_dir(path: &Path) -> Result<()> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else { return Ok(()) };
    if dir.exists() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::system(format!("cannot create {}: {e}", dir.display())))
}

fn restrict_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::system(format!("cannot restrict {}: {e}", path.display())))?;
    }
    let _ = path;
    Ok(())
}

/// Formats used for every stored instant and day.
pub fn fmt_instant(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub fn fmt_day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn parse_day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_of_every_earlier_version_migrates_to_the_latest_keeping_its_data() {
        for version in 1..MIGRATIONS.len() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.db");
            {
                let conn = Connection::open(&path).unwrap();
                let mut old = Store { conn, path: Some(path.clone()) };
                old.configure().unwrap();
                old.migrate_to(version).unwrap();
                assert_eq!(old.schema_version().unwrap(), version as i64);
                old.write(|tx| {
                    tx.conn().execute_batch(
                        "INSERT INTO decision(title, owner, made_at) VALUES ('Kept across upgrades', 'Sam', '2026-11-20T09:00:00');",
                    )?;
                    Ok::<_, Error>(())
                })
                .unwrap();
            }
            let upgraded = Store::open(&path).unwrap();
            assert_eq!(upgraded.schema_version().unwrap(), SCHEMA_VERSION, "from version {version}");
            let title: String = upgraded.conn.query_row("SELECT title FROM decision", [], |r| r.get(0)).unwrap();
            assert_eq!(title, "Kept across upgrades");
            assert!(upgraded.check().unwrap().is_empty(), "from version {version}");
        }
    }

    #[test]
    fn a_fresh_store_is_migrated_and_marked_ours() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(s.check().unwrap().is_empty());
    }

    #[test]
    fn a_write_outside_a_transaction_is_refused() {
        let s = Store::open_in_memory().unwrap();
        let e = s.conn.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')", []).unwrap_err();
        assert_eq!(Error::from(e).sqlite_code(), Some(rusqlite::ErrorCode::ReadOnly));
        s.write(|tx| tx.meta().set("x", "y")).unwrap();
        assert_eq!(s.meta().get("x").unwrap().as_deref(), Some("y"));
        // After a refused write, the store is read-only again.
        let refused: Result<()> = s.write(|tx| {
            tx.meta().set("x", "z")?;
            Err(Error::input("no"))
        });
        assert!(refused.is_err());
        assert_eq!(s.meta().get("x").unwrap().as_deref(), Some("y"));
        assert!(s.conn.execute("DELETE FROM meta", []).is_err());
    }
}
