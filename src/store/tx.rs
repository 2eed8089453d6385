//! The one way to change the store: an IMMEDIATE transaction, [`Tx`], that only the store can open.
//!
//! Handles come in two modes. `store.kpis()` gives a `Kpis<Read>`: it reads. Inside
//! `store.write(|tx| ...)`, `tx.kpis()` gives a `Kpis<Write>`: it reads and writes, and its writes
//! land together or not at all. Write methods exist only on `Write` handles, so a write outside a
//! transaction does not compile; and the connection is `query_only` whenever no `Tx` is open, so
//! a write slipped into a read method fails at once instead of committing on its own.

use std::marker::PhantomData;

use rusqlite::Connection;

use super::alerts::Alerts;
use super::budget::Budget;
use super::cadence::Cadence;
use super::compete::Compete;
use super::decisions::Decisions;
use super::error::Result;
use super::experiments::Experiments;
use super::kept_brief::KeptBriefs;
use super::kpis::Kpis;
use super::launches::Launches;
use super::meta::Meta;
use super::notes::Notes;
use super::postmortems::Postmortems;
use super::team::Team;
use super::touches::Touches;
use super::workflows::Workflows;

/// Marks a handle that reads (from `Store::kpis()` and the like).
#[derive(Debug, Clone, Copy)]
pub enum Read {}

/// Marks a handle that also writes (from `Tx::kpis()` and the like, inside a transaction).
#[derive(Debug, Clone, Copy)]
pub enum Write {}

/// The connection as a handle holds it; `M` says whether the handle may write.
pub struct Db<'a, M> {
    conn: &'a Connection,
    mode: PhantomData<M>,
}

impl<M> Clone for Db<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Db<'_, M> {}

impl<'a, M> Db<'a, M> {
    pub(super) fn conn(self) -> &'a Connection {
        self.conn
    }
}

impl<'a> Db<'a, Read> {
    pub(super) fn read(conn: &'a Connection) -> Self {
        Db { conn, mode: PhantomData }
    }
}

/// An open IMMEDIATE transaction: everything done through it lands at commit, or none of it.
pub struct Tx<'s> {
    // Declared first so it ends (commits or rolls back) before the connection is made read-only again.
    tx: Open<'s>,
    _writable: Writable<'s>,
    /// Keeps only results derived from the data (`Store::write_if_free`): its commit leaves the
    /// data generation where it was, or keeping a result would date it at once.
    derived: bool,
    /// The connection's count of changed rows when the transaction began: a commit that changed
    /// none (a refused import's empty transaction) changes nothing, the generation included.
    changes_at_begin: u64,
    /// The store's note that a data write committed (its close then checkpoints the log).
    wrote_data: &'s std::cell::Cell<bool>,
}

impl<'s> Tx<'s> {
    /// Opened by `Store::write` and `Store::rehearse` only.
    pub(super) fn begin(conn: &'s Connection, wrote_data: &'s std::cell::Cell<bool>) -> Result<Tx<'s>> {
        let writable = Writable::new(conn)?;
        let tx = Open::begin(conn)?;
        let changes_at_begin = conn.total_changes();
        Ok(Tx { tx, _writable: writable, derived: false, changes_at_begin, wrote_data })
    }

    /// A transaction that only keeps derived results (see [`Tx::derived`]).
    pub(super) fn begin_derived(conn: &'s Connection, wrote_data: &'s std::cell::Cell<bool>) -> Result<Tx<'s>> {
        Ok(Tx { derived: true, ..Tx::begin(conn, wrote_data)? })
    }

    /// The one funnel every write commits through: a data write moves the data generation in
    /// the same transaction, so a result derived before it is never read as current after it.
    pub(super) fn commit(self) -> Result<()> {
        let Tx { tx, _writable, derived, changes_at_begin, wrote_data } = self;
        let data = !derived && tx.conn.total_changes() != changes_at_begin;
        if data {
            let version: i64 = tx.conn.prepare_cached("PRAGMA user_version")?.query_row([], |r| r.get(0))?;
            // A store part-way through its migrations (their own tests) has no counter yet.
            if version >= super::GENERATION_SINCE {
                bump_generation(tx.conn)?;
            }
        }
        tx.commit()?;
        if data {
            wrote_data.set(true);
        }
        Ok(())
    }

    pub(super) fn rollback(self) -> Result<()> {
        let Tx { tx, _writable, .. } = self;
        tx.rollback()?;
        Ok(())
    }

    /// The transaction's connection, for the store's own SQL.
    pub(super) fn conn(&self) -> &Connection {
        self.tx.conn
    }

    fn db(&self) -> Db<'_, Write> {
        Db { conn: self.tx.conn, mode: PhantomData }
    }

    pub fn meta(&self) -> Meta<'_, Write> {
        Meta::new(self.db())
    }

    pub fn kpis(&self) -> Kpis<'_, Write> {
        Kpis::new(self.db())
    }

    pub fn kept_briefs(&self) -> KeptBriefs<'_, Write> {
        KeptBriefs::new(self.db())
    }

    pub fn launches(&self) -> Launches<'_, Write> {
        Launches::new(self.db())
    }

    pub fn budget(&self) -> Budget<'_, Write> {
        Budget::new(self.db())
    }

    pub fn cadence(&self) -> Cadence<'_, Write> {
        Cadence::new(self.db())
    }

    pub fn compete(&self) -> Compete<'_, Write> {
        Compete::new(self.db())
    }

    pub fn decisions(&self) -> Decisions<'_, Write> {
        Decisions::new(self.db())
    }

    pub fn team(&self) -> Team<'_, Write> {
        Team::new(self.db())
    }

    pub fn workflows(&self) -> Workflows<'_, Write> {
        Workflows::new(self.db())
    }

    pub fn experiments(&self) -> Experiments<'_, Write> {
        Experiments::new(self.db())
    }

    pub fn postmortems(&self) -> Postmortems<'_, Write> {
        Postmortems::new(self.db())
    }

    pub fn alerts(&self) -> Alerts<'_, Write> {
        Alerts::new(self.db())
    }

    pub fn notes(&self) -> Notes<'_, Write> {
        Notes::new(self.db())
    }

    pub fn touches(&self) -> Touches<'_, Write> {
        Touches::new(self.db())
    }
}

/// Moves the data generation (inside the caller's transaction).
pub(super) fn bump_generation(conn: &Connection) -> Result<()> {
    conn.execute("UPDATE data_generation SET n = n + 1 WHERE id = 1", [])?;
    Ok(())
}

/// Lifts `query_only` for as long as it lives. A second `Tx` attempted inside the first (which
/// SQLite refuses anyway) finds it lifted and leaves it to the first.
struct Writable<'s>(Option<&'s Connection>);

impl<'s> Writable<'s> {
    fn new(conn: &'s Connection) -> Result<Self> {
        let read_only: bool = conn.prepare_cached("PRAGMA query_only")?.query_row([], |r| r.get(0))?;
        if read_only {
            run(conn, "PRAGMA query_only = 0")?;
        }
        Ok(Writable(read_only.then_some(conn)))
    }
}

impl Drop for Writable<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.0 {
            // Cannot fail outside a transaction; were it ever to, the store would stay writable
            // until reopened: still one transaction per write, only without this second guard.
            let _ = run(conn, "PRAGMA query_only = 1");
        }
    }
}

/// One statement without rows, through the connection's cache: a process writes (or keeps a
/// derived result) several times, and each `BEGIN`, `COMMIT` and pragma was parsed anew.
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.raw_execute().map(|_| ())
}

/// `BEGIN IMMEDIATE` .. `COMMIT` (as rusqlite's `Transaction`, whose statements are not cached):
/// rolled back when dropped uncommitted, a failed `COMMIT` included.
struct Open<'s> {
    conn: &'s Connection,
}

impl<'s> Open<'s> {
    fn begin(conn: &'s Connection) -> rusqlite::Result<Open<'s>> {
        run(conn, "BEGIN IMMEDIATE")?;
        Ok(Open { conn })
    }

    fn commit(self) -> rusqlite::Result<()> {
        run(self.conn, "COMMIT")
    }

    fn rollback(self) -> rusqlite::Result<()> {
        run(self.conn, "ROLLBACK")
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = run(self.conn, "ROLLBACK");
        }
    }
}
