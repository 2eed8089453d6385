//! The days of a [`super::rollups::Delta`] whose counts go up, written to `kpi_day` many rows to
//! a statement.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use super::error::Result;
use super::fmt_day;
use super::rollups::miscounted;

/// Days of one metric and source whose counts go up, upserted into `kpi_day` [`DayUps::ROWS`]
/// to a statement: an import of a million facts over thirty years of days makes a hundred
/// thousand of them, and one statement per row spent more on running the statement than on the
/// B-tree (#21: rollups within 10% of the import). The sums are the same additions in the same
/// order as one row at a time.
pub(super) struct DayUps<'a> {
    metric: &'a str,
    source: &'a str,
    pending: Vec<(NaiveDate, f64, i64)>,
    full_sql: String,
}

impl<'a> DayUps<'a> {
    const ROWS: usize = 32;

    pub(super) fn new(metric: &'a str, source: &'a str) -> Self {
        DayUps { metric, source, pending: Vec::with_capacity(Self::ROWS), full_sql: upsert_sql(Self::ROWS) }
    }

    pub(super) fn push(&mut self, conn: &Connection, day: NaiveDate, sum: f64, n: i64) -> Result<()> {
        self.pending.push((day, sum, n));
        if self.pending.len() == Self::ROWS { self.flush(conn) } else { Ok(()) }
    }

    pub(super) fn flush(&mut self, conn: &Connection) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut stmt = crate::store::sql::multirow(conn, &self.full_sql, Self::ROWS, self.pending.len(), upsert_sql)?;
        stmt.raw_bind_parameter(1, self.metric)?;
        stmt.raw_bind_parameter(2, self.source)?;
        for (j, (day, sum, n)) in self.pending.iter().enumerate() {
            let p = 3 + j * 3;
            let mut buf = [0u8; 10];
            match day.year() {
                // The text is copied at binding, so a stack buffer serves every row.
                0..=9999 => stmt.raw_bind_parameter(p, super::imports::iso_day(*day, &mut buf))?,
                _ => stmt.raw_bind_parameter(p, fmt_day(*day))?,
            }
            stmt.raw_bind_parameter(p + 1, *sum)?;
            stmt.raw_bind_parameter(p + 2, *n)?;
        }
        stmt.raw_execute().map_err(miscounted)?;
        self.pending.clear();
        Ok(())
    }
}

/// `rows` upserts in one statement: ?1 the metric, ?2 the source, then day, sum, n per row.
fn upsert_sql(rows: usize) -> String {
    crate::store::sql::values_rows(
        "INSERT INTO kpi_day(metric, day, source, sum, n) VALUES ",
        rows,
        3,
        3,
        |p| format!("(?1,?{},?2,?{},?{})", p, p + 1, p + 2),
        " ON CONFLICT(metric, day, source) DO UPDATE SET sum = sum + excluded.sum, n = n + excluded.n",
    )
}
