//! `mktg check`: whether a store is sound. SQLite's own checks, the derived tables against the
//! facts they summarise, and the schema against what its migrations define.

use rusqlite::Connection;

use super::error::{Error, Result};
use super::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Store};

impl Store {
    /// SQLite's integrity and foreign-key checks, the KPI rollups against the facts and the deal
    /// outcomes counted per quarter against the outcomes; the problems found, empty when sound.
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
        // The KPI rollups the dashboard reads must add up to the facts they summarise.
        if problems.is_empty() {
            problems.extend(self.kpis().rollup_mismatches()?);
            problems.extend(self.compete().quarter_mismatches()?);
        }
        let app: i32 = self.conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app != APPLICATION_ID {
            problems.push(format!("application_id is {app:#x}, expected {APPLICATION_ID:#x}"));
        }
        problems.extend(self.schema_drift()?);
        Ok(problems)
    }

    /// How the schema differs from what the migrations up to its version produce: a table,
    /// index, view or trigger missing, extra, or defined otherwise (edited by hand, or a
    /// version number set without its migration).
    fn schema_drift(&self) -> Result<Vec<String>> {
        let version = self.schema_version()?.clamp(0, SCHEMA_VERSION) as usize;
        let expected = Connection::open_in_memory()?;
        for (name, sql) in &MIGRATIONS[..version] {
            expected.execute_batch(sql).map_err(|e| Error::system(format!("migration {name}: {e}")))?;
        }
        let (want, have) = (schema_objects(&expected)?, schema_objects(&self.conn)?);
        let mut out = Vec::new();
        for (key, sql) in &want {
            match have.get(key) {
                None => out.push(format!("schema {version}: {} {} is missing", key.0, key.1)),
                Some(s) if s != sql => {
                    out.push(format!("schema {version}: {} {} is not as its migrations define it", key.0, key.1))
                }
                Some(_) => {}
            }
        }
        for key in have.keys().filter(|k| !want.contains_key(*k)) {
            out.push(format!("schema {version}: {} {} is not part of it", key.0, key.1));
        }
        Ok(out)
    }
}

/// Every table, index, view and trigger but SQLite's own, with its definition (spacing folded).
fn schema_objects(conn: &Connection) -> Result<std::collections::BTreeMap<(String, String), String>> {
    let mut stmt =
        conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE substr(name, 1, 7) != 'sqlite_'")?;
    let rows = stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok(((r.get(0)?, r.get(1)?), sql.split_whitespace().collect::<Vec<_>>().join(" ")))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
