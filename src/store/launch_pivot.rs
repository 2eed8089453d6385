//! Marking a launch as a product pivot (#17): the flag and the day it takes effect, and the
//! positioning triggers that now hold, raised in the same transaction. Battlecards refreshed
//! before the pivot's day read as stale from that day (`domain::battlecard::freshness`).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::compete::{Compete, RaisedTrigger};
use super::launches::{Launches, launch_by_id};
use super::tx::Write;
use super::{fmt_day, fmt_instant};
use crate::domain::launch::Launch;
use crate::store::error::{Error, Result};

/// What marking (or unmarking) did.
#[derive(Debug, Clone)]
pub struct Pivoted {
    /// The launch as it now is.
    pub launch: Launch,
    /// The triggers raised by this write (a Tier 1 pivot's positioning review, once).
    pub raised: Vec<RaisedTrigger>,
}

impl Launches<'_, Write> {
    /// Mark the launch as a product pivot taking effect on `on` (its launch day when `None`).
    /// Marking again moves the day. A Tier 1 pivot proposes one positioning review (raised
    /// once per launch, whatever is marked later); `user` owns the proposal.
    pub fn mark_pivot(&self, id: i64, on: Option<NaiveDate>, user: &str, now: NaiveDateTime) -> Result<Pivoted> {
        let conn = self.db.conn();
        let before = launch_by_id(conn, id)?;
        let on = on.unwrap_or(before.date);
        conn.execute(
            "UPDATE launch SET pivot = 1, pivot_on = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, fmt_day(on), fmt_instant(now)],
        )?;
        let raised = Compete::new(self.db).raise_triggers(now, user, None)?;
        Ok(Pivoted { launch: launch_by_id(conn, id)?, raised })
    }

    /// Take the pivot mark off; refused when the launch is not marked. A positioning review it
    /// already proposed stays in the decision log: the director closes it there.
    pub fn clear_pivot(&self, id: i64, now: NaiveDateTime) -> Result<Pivoted> {
        let conn = self.db.conn();
        let before = launch_by_id(conn, id)?;
        if before.pivot_on.is_none() {
            return Err(Error::input(format!("#{id} '{}' is not marked as a pivot; nothing changed", before.name)));
        }
        conn.execute(
            "UPDATE launch SET pivot = 0, pivot_on = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, fmt_instant(now)],
        )?;
        Ok(Pivoted { launch: launch_by_id(conn, id)?, raised: Vec::new() })
    }
}
