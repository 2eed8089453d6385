//! The SQLite store: opening it safely, pragmas, versioned migrations, and the one write path.
//!
//! One module per aggregate, each a handle: `store.kpis()`, `store.launches()`, `store.budget()`,
//! `store.cadence()`, `store.decisions()`, `store.imports()`, `store.meta()` read; inside
//! `store.write(|tx| ...)` the same handles from `tx` also write (see `tx`). The connection is
//! private. Handles return facts (domain types, plain structs); wording belongs to the faces, or
//! to a typed error whose text is the one line a user reads.

pub mod alerts;
pub mod budget;
pub mod cadence;
mod channel_months;
mod check;
pub mod compete;
mod day_ups;
pub mod decision_edits;
pub mod decisions;
pub mod demo;
pub mod dirty_series;
pub mod error;
pub mod experiments;
pub mod imports;
pub mod kept_brief;
pub mod kept_drill;
pub mod kept_spans;
pub mod kpis;
pub mod launch_changes;
pub mod launch_pivot;
pub mod launches;
pub mod meta;
pub mod notes;
mod open;
mod owners;
pub mod postmortems;
pub mod rollups;
pub mod seed;
mod sql;
pub mod team;
pub mod touches;
pub mod tx;
pub mod workflows;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use self::alerts::Alerts;
use self::budget::Budget;
use self::cadence::Cadence;
use self::compete::Compete;
use self::decisions::Decisions;
use self::error::{Error, Result};
use self::experiments::Experiments;
use self::imports::Imports;
use self::kept_brief::KeptBriefs;
use self::kpis::Kpis;
use self::launches::Launches;
use self::meta::Meta;
use self::notes::Notes;
pub use self::open::{Opening, park_on_close};
use self::postmortems::Postmortems;
use self::team::Team;
use self::touches::Touches;
use self::tx::{Db, Tx};
use self::workflows::Workflows;

/// Marks a SQLite file as ours: "mktg" in ASCII.
pub const APPLICATION_ID: i32 = 0x6D6B_7467;

/// Every migration ever released, in order. Never edit a released one: add the next.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    ("0002_cadence", include_str!("migrations/0002_cadence.sql")),
    ("0003_import_campaigns", include_str!("migrations/0003_import_campaigns.sql")),
    ("0004_import_facts_unindexed", include_str!("migrations/0004_import_facts_unindexed.sql")),
    ("0005_kpi_rollups", include_str!("migrations/0005_kpi_rollups.sql")),
    ("0006_team", include_str!("migrations/0006_team.sql")),
    ("0007_learn", include_str!("migrations/0007_learn.sql")),
    ("0008_decision_changes", include_str!("migrations/0008_decision_changes.sql")),
    ("0009_compete", include_str!("migrations/0009_compete.sql")),
    ("0010_touches", include_str!("migrations/0010_touches.sql")),
    ("0011_import_sources", include_str!("migrations/0011_import_sources.sql")),
    ("0012_over_plan_ack", include_str!("migrations/0012_over_plan_ack.sql")),
    ("0013_touch_replaced", include_str!("migrations/0013_touch_replaced.sql")),
    ("0014_launch_pivot", include_str!("migrations/0014_launch_pivot.sql")),
    ("0015_kpi_channel_months", include_str!("migrations/0015_kpi_channel_months.sql")),
    ("0016_hubspot_milestones", include_str!("migrations/0016_hubspot_milestones.sql")),
    ("0017_blended_cpl_label", include_str!("migrations/0017_blended_cpl_label.sql")),
    ("0018_compete_quarters", include_str!("migrations/0018_compete_quarters.sql")),
    ("0019_kpi_dirty_series", include_str!("migrations/0019_kpi_dirty_series.sql")),
    ("0020_data_generation", include_str!("migrations/0020_data_generation.sql")),
    ("0021_kpi_day_one_btree", include_str!("migrations/0021_kpi_day_one_btree.sql")),
    ("0022_kpi_obs_by_campaign_covering", include_str!("migrations/0022_kpi_obs_by_campaign_covering.sql")),
];

/// The schema version from which the store counts its data generation (`kept_brief`).
pub(crate) const GENERATION_SINCE: i64 = 20;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT_MS: u64 = 10_000;
/// Prepared statements kept per connection (see `Store::configure`).
const STATEMENT_CACHE: usize = 256;

pub struct Store {
    /// Closed by `Drop` (src/store/open.rs): dropped there, or parked until the process exits.
    conn: std::mem::ManuallyDrop<Connection>,
    path: Option<PathBuf>,
    /// The file, its folder or its media refuse writes: reads work, every write is refused.
    read_only: bool,
    /// Told when a write has to wait for another process's transaction, and when it stops.
    on_wait: Option<WaitWatcher>,
    /// Whether reads may keep what they derived (the channel scan) for the next reader; off for
    /// a caller that promised not to change the file (the read-only MCP server).
    keeps_derived: bool,
    /// A data write (or a migration) committed through this connection: its close checkpoints
    /// the log into the file (see `open`'s `Drop`).
    wrote_data: std::cell::Cell<bool>,
}

/// Called with `true` when a write starts waiting for another process to finish writing, and
/// with `false` when the wait is over (the lock taken, or the wait given up). The cockpit uses
/// it to say so on screen while its store work waits off the UI thread.
pub type WaitWatcher = Box<dyn Fn(bool) + Send>;

impl Store {
    /// Open the existing store at `path`: read-write, or read-only when the file, its folder or
    /// its media refuse writes. A missing or empty file is refused (one line naming the path and
    /// `mktg init`), and so is anything not ours or newer than this build, untouched.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_as(path, Opening::Existing)
    }

    /// Open the store at `path`, creating it when there is none (`init`, `demo`, onboarding):
    /// owner-only from the first byte; its missing folders only with `folders` (the default
    /// data directory).
    pub fn create(path: &Path, folders: bool) -> Result<Store> {
        Store::open_as(path, Opening::Create { folders })
    }

    fn open_as(path: &Path, how: Opening) -> Result<Store> {
        open::close_parked();
        let opened = open::open(path, how)?;
        let read_only = opened.access == open::Access::ReadOnly;
        let mut store = Store::bare(opened.conn, Some(path.to_path_buf()), read_only);
        if let Err(e) = store.configure() {
            open::keep_log_on_close(&store.conn);
            return Err(e);
        }
        if read_only {
            // Nothing can be migrated on read-only media: read it only if it is already current.
            let version = store.schema_version()?;
            open::check_version(Some(path), version)?;
            if version != SCHEMA_VERSION {
                return Err(Error::system(format!(
                    "{} is read-only and was written by an older mktg (schema {version}, this build reads {SCHEMA_VERSION}): open it once where it can be written; left untouched",
                    path.display()
                )));
            }
        } else if let Err(e) = store.migrate() {
            // Refused (newer, or not a version we write): the file and its log stay as they were.
            if !store.wrote_data.get() {
                open::keep_log_on_close(&store.conn);
            }
            return Err(e);
        }
        store.read_only_outside_writes()?;
        Ok(store)
    }

    /// A private in-memory store, migrated: for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store::bare(conn, None, false);
        store.configure()?;
        store.migrate()?;
        store.read_only_outside_writes()?;
        Ok(store)
    }

    /// A store on `conn`, not yet configured nor migrated.
    pub(in crate::store) fn bare(conn: Connection, path: Option<PathBuf>, read_only: bool) -> Store {
        Store {
            conn: std::mem::ManuallyDrop::new(conn),
            path,
            read_only,
            on_wait: None,
            keeps_derived: true,
            wrote_data: std::cell::Cell::new(false),
        }
    }

    /// From here on, only a `Tx` can write (see `tx`).
    fn read_only_outside_writes(&self) -> Result<()> {
        Ok(self.conn.pragma_update(None, "query_only", true)?)
    }

    /// From here on, reads never keep what they derived: the file changes only by writes.
    pub fn never_keep_derived(&mut self) {
        self.keeps_derived = false;
    }

    /// Whether a read may keep a derived result (see [`Store::never_keep_derived`]).
    pub fn keeps_derived(&self) -> bool {
        self.keeps_derived
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when the store was opened read-only (its file, folder or media refuse writes).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuse a write up front on a read-only store, in one line.
    fn writable(&self) -> Result<()> {
        if self.read_only {
            let shown = self.path.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
            return Err(Error::system(format!(
                "{shown} is read-only: mktg can read it but not write to it; nothing was changed"
            )));
        }
        Ok(())
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

    /// The data generation and the brief's kept day part.
    pub fn kept_briefs(&self) -> KeptBriefs<'_> {
        KeptBriefs::new(self.db())
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

    /// Competitors, battlecards, deal outcomes and positioning triggers.
    pub fn compete(&self) -> Compete<'_> {
        Compete::new(self.db())
    }

    /// The decision log.
    pub fn decisions(&self) -> Decisions<'_> {
        Decisions::new(self.db())
    }

    /// Experiments: variants, cumulative counts, decisions.
    pub fn experiments(&self) -> Experiments<'_> {
        Experiments::new(self.db())
    }

    /// Post-mortems of any initiative and their follow-ups.
    pub fn postmortems(&self) -> Postmortems<'_> {
        Postmortems::new(self.db())
    }

    /// Alert rules, their edge state and their firings.
    pub fn alerts(&self) -> Alerts<'_> {
        Alerts::new(self.db())
    }

    /// Annotations on the KPI charts.
    pub fn notes(&self) -> Notes<'_> {
        Notes::new(self.db())
    }

    /// Deals' touch histories, for attribution.
    pub fn touches(&self) -> Touches<'_> {
        Touches::new(self.db())
    }

    /// Imported files: writing one, the log, undo.
    pub fn imports(&self) -> Imports<'_> {
        Imports::new(self)
    }

    /// The team: people, competencies, ratings, weekly time; what mentor mode reads.
    pub fn team(&self) -> Team<'_> {
        Team::new(self.db())
    }

    /// Workflows: the nine sections, criteria, triage and rank.
    pub fn workflows(&self) -> Workflows<'_> {
        Workflows::new(self.db())
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // Plans that never depend on a bound value. Without this, a parameter the planner compares
        // with a partial index's constant (`metric = ?1` against `kpi_obs_spend_twin`'s
        // `metric = 'spend'`) marks its statement for re-preparing at every new binding: every
        // cached KPI read was parsed and planned again at each use, a quarter of a brief's time.
        self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // A brief runs some sixty distinct statements, several in loops; rusqlite's default cache
        // of 16 evicted them and prepared them again within one read.
        self.conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        if self.read_only {
            return Ok(());
        }
        if self.path.is_some() {
            let mode = self.switch_to_wal()?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::system(format!("could not switch the store to WAL (got {mode})")));
            }
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }

    /// The store in WAL mode (readers never block the writer). Already so once any mktg opened
    /// it, which is read without a lock; else switching needs the file to itself, and several
    /// processes opening an old store at once contend for that: a busy answer is waited out like
    /// any other lock, up to the same limit, rather than failing the open.
    fn switch_to_wal(&self) -> Result<String> {
        let mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(mode);
        }
        let start = std::time::Instant::now();
        loop {
            match self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && start.elapsed() < std::time::Duration::from_millis(BUSY_TIMEOUT_MS) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return Ok(other?),
            }
        }
    }

    fn migrate(&mut self) -> Result<()> {
        self.migrate_to(MIGRATIONS.len())
    }

    /// Apply the released migrations up to `upto`, each in its own IMMEDIATE transaction. The
    /// version is read again inside each, under the write lock: when several processes open an
    /// older store at once, one migrates and the others find it done.
    fn migrate_to(&mut self, upto: usize) -> Result<()> {
        let version = self.schema_version()?;
        open::check_version(self.path.as_deref(), version)?;
        if version >= upto as i64 {
            return Ok(());
        }
        loop {
            let tx = Transaction::new(&mut self.conn, TransactionBehavior::Immediate)?;
            let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            open::check_version(self.path.as_deref(), current)?;
            let Some((name, sql)) = MIGRATIONS.get(current as usize).filter(|_| current < upto as i64) else {
                return Ok(()); // another process finished the work (the transaction rolls back)
            };
            tx.execute_batch(sql).map_err(|e| Error::system(format!("migration {name}: {e}")))?;
            if current + 1 >= GENERATION_SINCE {
                // A migration may change what the data says: nothing derived before it is current.
                tx::bump_generation(&tx)?;
            }
            tx.pragma_update(None, "user_version", current + 1)?;
            tx.commit()?;
            self.wrote_data.set(true);
        }
    }

    /// As [`Store::write`], for work that may be skipped (keeping a result derived from the
    /// facts): when another connection holds the write lock, `Ok(None)` at once instead of
    /// waiting for it. Such a write does not move the data generation (keeping a result must not
    /// date it): `f` must only keep derived results.
    ///
    /// Its commit does not wait for the disk (`synchronous = NORMAL` for that transaction only):
    /// a derived result lost to a power cut is computed again, and the log stays whole (SQLite
    /// drops an unsynced tail at recovery; the next data write's commit syncs what is before it).
    /// Every data write still commits with `synchronous = FULL`.
    pub fn write_if_free<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<Option<T>> {
        // Set outside the transaction (SQLite refuses it inside), put back whatever happened.
        self.run_cached("PRAGMA synchronous = NORMAL")?;
        let kept = self.keep_derived(f);
        self.run_cached("PRAGMA synchronous = FULL")?;
        kept
    }

    fn keep_derived<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<Option<T>> {
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let begun = Tx::begin_derived(&self.conn, &self.wrote_data);
        self.conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        let tx = match begun {
            Err(e) if e.sqlite_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => return Ok(None),
            other => other?,
        };
        let out = f(&tx)?;
        tx.commit()?;
        Ok(Some(out))
    }

    /// Runs a fixed statement through the statement cache (a brief keeps its results in several
    /// transactions, each setting `synchronous` twice: parsed once per process).
    fn run_cached(&self, sql: &'static str) -> Result<()> {
        self.conn.prepare_cached(sql)?.raw_execute()?;
        Ok(())
    }

    /// Run `f` in one IMMEDIATE transaction: all of it lands, or none of it. The only way to
    /// change the store: `tx.kpis()`, `tx.budget()`... are the handles that write.
    pub fn write<T, E: From<Error>>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self.begin()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Run `f` in a transaction that is always rolled back: a dry run does the real work, so it
    /// reports exactly what would change, and leaves the store as it was.
    pub fn rehearse<T, E: From<Error>>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self.begin()?;
        let out = f(&tx);
        tx.rollback()?;
        out
    }

    /// An open transaction for a write that cannot be one closure (a file streamed in while it
    /// parses): the same path as `write`, committed or rolled back by the caller.
    pub(in crate::store) fn begin(&self) -> Result<Tx<'_>> {
        self.writable()?;
        let begun = match &self.on_wait {
            None => Tx::begin(&self.conn, &self.wrote_data),
            Some(tell) => {
                // Try without waiting first: nearly always the lock is free, and nobody is told.
                self.conn.busy_timeout(std::time::Duration::ZERO)?;
                let first = Tx::begin(&self.conn, &self.wrote_data);
                self.conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
                match first {
                    Err(e) if e.sqlite_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                        tell(true);
                        let waited = Tx::begin(&self.conn, &self.wrote_data);
                        tell(false);
                        waited
                    }
                    other => other,
                }
            }
        };
        begun.map_err(|e| match e.sqlite_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) => Error::system(format!(
                "{} is busy: another mktg has been writing to it for {} s; nothing was changed, try again",
                self.path.as_deref().map(|p| p.display().to_string()).unwrap_or_default(),
                BUSY_TIMEOUT_MS / 1000
            )),
            _ => e,
        })
    }

    /// Be told when a write waits for another process (see [`WaitWatcher`]).
    pub fn watch_waits(&mut self, watcher: WaitWatcher) {
        self.on_wait = Some(watcher);
    }

    /// Switches SQLite's per-row foreign-key checks off until the guard drops (between
    /// transactions only: see `imports`).
    pub(in crate::store) fn foreign_keys(&self, on: bool) -> Result<()> {
        Ok(self.conn.pragma_update(None, "foreign_keys", if on { "ON" } else { "OFF" })?)
    }

    /// The page cache's limit as `PRAGMA cache_size` says it (pages, or KiB when negative).
    pub(in crate::store) fn cache_size(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?)
    }

    /// Sets it, for a bulk write's length (see `imports`).
    pub(in crate::store) fn set_cache_size(&self, size: i64) -> Result<()> {
        Ok(self.conn.pragma_update(None, "cache_size", size)?)
    }

    /// Changes whenever another connection commits: a cheap "has the store moved under me?".
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// A consistent copy of the store, safe while other processes write to it, at `dest`, which
    /// must not exist. SQLite's `VACUUM INTO` copies one snapshot in a single read transaction
    /// (a writer committing meanwhile cannot make it start over, as the online backup API did),
    /// into an owner-only temporary file beside `dest` that is synced and renamed into place:
    /// `dest` holds a whole backup or nothing, and a failure names `dest`, not the store.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let from_files = |e: crate::files::Error| match e.kind() {
            crate::domain::error::Kind::Input => Error::input(e.to_string()),
            crate::domain::error::Kind::System => Error::system(e.to_string()),
        };
        let out = crate::files::NewFile::beside(dest, crate::files::Existing::Refuse).map_err(from_files)?;
        let Some(temp) = out.temp_path().to_str() else {
            return Err(Error::input(format!("{}: a backup path must be valid UTF-8", dest.display())));
        };
        // VACUUM INTO writes only the new file, but `query_only` refuses it all the same.
        self.conn.pragma_update(None, "query_only", false)?;
        let copied = self.conn.execute("VACUUM INTO ?1", [temp]);
        self.conn.pragma_update(None, "query_only", true)?;
        if copied.is_err() {
            // A copy that fails part-way (a full disk) can leave SQLite's rollback journal of the
            // new file beside it; the temp file itself goes when `out` is dropped.
            for side in ["-journal", "-wal"] {
                let _ = std::fs::remove_file(format!("{temp}{side}"));
            }
        }
        copied.map_err(|e| Error::system(format!("cannot write {}: {e}; nothing was left there", dest.display())))?;
        out.commit().map_err(from_files)
    }
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
mod upgrade_tests;

#[cfg(test)]
mod tests {
    use super::*;

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
