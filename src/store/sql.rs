//! How domain values sit in SQLite columns: the closed sets (units, stages, statuses...) as their
//! names. Kept here so the domain stays free of SQLite types.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::model::{Bucket, DecisionStatus, Direction, MeetingStatus, Rollup, Stage, Unit};

/// Stored as its name (`as_str`), read back through `parse`: a name this build does not know is
/// a read error, never a silent default.
macro_rules! stored_as_name {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                <$t>::parse(v.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

stored_as_name!(Unit, Direction, Rollup, Stage, Bucket, DecisionStatus, MeetingStatus);

/// The statement of a multi-row write for `rows` rows: the full batch's text (`full`, built once
/// by its owner for `full_rows` rows) or, for a last shorter batch, the text `make` builds.
pub fn multirow<'c>(
    conn: &'c rusqlite::Connection,
    full: &str,
    full_rows: usize,
    rows: usize,
    make: fn(usize) -> String,
) -> rusqlite::Result<rusqlite::CachedStatement<'c>> {
    if rows == full_rows { conn.prepare_cached(full) } else { conn.prepare_cached(&make(rows)) }
}

/// The text of a multi-row write: `head`, then `rows` tuples separated by commas, the `j`th made by
/// `tuple` from its first parameter number (`first + j * per_row`), then `tail`.
pub fn values_rows(
    head: &str,
    rows: usize,
    first: usize,
    per_row: usize,
    tuple: impl Fn(usize) -> String,
    tail: &str,
) -> String {
    let mut sql = String::from(head);
    for j in 0..rows {
        if j > 0 {
            sql.push(',');
        }
        sql.push_str(&tuple(first + j * per_row));
    }
    sql.push_str(tail);
    sql
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_rows_numbers_each_tuple_from_its_first_parameter() {
        let sql = super::values_rows(
            "INSERT INTO t(a, b, c) VALUES ",
            2,
            2,
            2,
            |p| format!("(?1,?{},?{})", p, p + 1),
            " ON CONFLICT DO NOTHING",
        );
        assert_eq!(sql, "INSERT INTO t(a, b, c) VALUES (?1,?2,?3),(?1,?4,?5) ON CONFLICT DO NOTHING");
    }
}
