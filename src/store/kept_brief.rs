//! The store's data generation and the morning brief's kept day part (`brief::kept`).
//!
//! Every write transaction moves the generation as it commits (`Tx::commit`), except those that
//! only keep derived results (`Store::write_if_free`). A brief computed at one generation is kept
//! under it, with the day, period choice, config and build it was computed for (`key`); a reader
//! at the same generation reads it back instead of computing it again.

use rusqlite::{OptionalExtension, params};

use super::error::Result;
use super::fmt_day;
use super::tx::{Db, Read, Write};

/// Kept briefs beyond this many (the latest) go when another is kept: a day's few period choices.
const KEEP_ROWS: i64 = 6;

/// `store.kept_briefs()` reads; `tx.kept_briefs()` also keeps.
pub struct KeptBriefs<'a, M = Read> {
    db: Db<'a, M>,
}

impl<'a, M> KeptBriefs<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        KeptBriefs { db }
    }

    /// The data generation: moved by every write of the data, in the write's own transaction.
    pub fn generation(&self) -> Result<i64> {
        Ok(self.db.conn().query_row("SELECT n FROM data_generation WHERE id = 1", [], |r| r.get(0))?)
    }

    /// The brief kept for `today` and `key` at the current generation, if any.
    pub fn get(&self, today: chrono::NaiveDate, key: &str) -> Result<Option<String>> {
        Ok(self
            .db
            .conn()
            .query_row(
                "SELECT body FROM kept_brief WHERE today = ?1 AND key = ?2
                   AND generation = (SELECT n FROM data_generation WHERE id = 1)",
                params![fmt_day(today), key],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl KeptBriefs<'_, Write> {
    /// Keep `body`, computed at `generation`, if the data is still at it (a write in between
    /// dates it: nothing is kept). Rows of other generations go, and all but the latest few.
    pub fn keep(&self, generation: i64, today: chrono::NaiveDate, key: &str, body: &str) -> Result<bool> {
        if self.generation()? != generation {
            return Ok(false);
        }
        let conn = self.db.conn();
        conn.execute("DELETE FROM kept_brief WHERE generation <> ?1", [generation])?;
        conn.execute(
            "INSERT OR REPLACE INTO kept_brief(generation, today, key, body) VALUES (?1, ?2, ?3, ?4)",
            params![generation, fmt_day(today), key, body],
        )?;
        conn.execute(
            "DELETE FROM kept_brief WHERE rowid NOT IN (SELECT rowid FROM kept_brief ORDER BY rowid DESC LIMIT ?1)",
            [KEEP_ROWS],
        )?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    fn day() -> chrono::NaiveDate {
        crate::store::parse_day("2026-11-20")
    }

    #[test]
    fn a_data_write_moves_the_generation_and_keeping_a_derived_result_does_not() {
        let s = Store::open_in_memory().unwrap();
        let g0 = s.kept_briefs().generation().unwrap();
        s.write(|tx| tx.meta().set("x", "y")).unwrap();
        let g1 = s.kept_briefs().generation().unwrap();
        assert_eq!(g1, g0 + 1);
        assert_eq!(s.write_if_free(|tx| tx.kept_briefs().keep(g1, day(), "k", "body")).unwrap(), Some(true));
        assert_eq!(s.kept_briefs().generation().unwrap(), g1, "keeping is not a data write");
        assert_eq!(s.kept_briefs().get(day(), "k").unwrap().as_deref(), Some("body"));
        assert_eq!(s.kept_briefs().get(day(), "other").unwrap(), None);
        // A write that changed no row (a refusal's empty transaction) leaves the file as it was.
        s.write(|_tx| Ok::<_, crate::store::error::Error>(())).unwrap();
        assert_eq!(s.kept_briefs().generation().unwrap(), g1);
        // A rehearsal changes nothing, generation included.
        let _ = s.rehearse(|tx| tx.meta().set("x", "z"));
        assert_eq!(s.kept_briefs().get(day(), "k").unwrap().as_deref(), Some("body"));
        s.write(|tx| tx.meta().set("x", "z")).unwrap();
        assert_eq!(s.kept_briefs().get(day(), "k").unwrap(), None, "a write dates what was kept");
        // Computed before a write, kept after it: refused.
        assert_eq!(s.write_if_free(|tx| tx.kept_briefs().keep(g1, day(), "k", "old")).unwrap(), Some(false));
        assert_eq!(s.kept_briefs().get(day(), "k").unwrap(), None);
    }

    #[test]
    fn only_the_latest_few_are_kept() {
        let s = Store::open_in_memory().unwrap();
        let g = s.kept_briefs().generation().unwrap();
        for n in 0..10 {
            s.write_if_free(|tx| tx.kept_briefs().keep(g, day(), &format!("k{n}"), "b")).unwrap();
        }
        assert_eq!(s.kept_briefs().get(day(), "k9").unwrap().as_deref(), Some("b"));
        assert_eq!(s.kept_briefs().get(day(), "k0").unwrap(), None);
    }
}
