//! Campaigns named in a file: found by name within the fact's quarter, created on first sight.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::CreatedCampaign;
use crate::domain::period::{Grain, Period};
use crate::store::error::Result;

/// Campaigns by name within a quarter, created on first sight when the store does not know them.
pub(super) struct Campaigns<'a> {
    import_id: i64,
    at: &'a str,
    /// name => (quarter start, id, whether the stored name is spelled as the file spells it):
    /// looked up by `&str`, so known campaigns cost no allocation; foldhash, as every fact of an
    /// ad report looks its campaign up here.
    known: foldhash::HashMap<String, Vec<(NaiveDate, i64, bool)>>,
    pub created: Vec<CreatedCampaign>,
}

impl<'a> Campaigns<'a> {
    pub fn new(import_id: i64, at: &'a str) -> Self {
        Campaigns { import_id, at, known: Default::default(), created: Vec::new() }
    }

    /// The campaign's id, and whether its stored name is `name` exactly (not only in another
    /// case): then a fact's key naming it is spelled by the stored row (see `batch::stored_key`).
    pub fn resolve(&mut self, tx: &Connection, name: &str, channel: &str, day: NaiveDate) -> Result<(i64, bool)> {
        let quarter = Period::containing(Grain::Quarter, day);
        let known = self.known.get(name).and_then(|v| v.iter().find(|(q, _, _)| *q == quarter.start));
        if let Some(&(_, id, exact)) = known {
            return Ok((id, exact));
        }
        let period = quarter.to_string();
        // Exact name first; then the same name in another case, which is how tools re-type names.
        let found: Option<(i64, String)> = tx
            .prepare_cached(
                "SELECT id, name FROM campaign WHERE period = ?2 AND name = ?1
                 UNION ALL SELECT id, name FROM (SELECT id, name FROM campaign WHERE period = ?2 AND name = ?1 COLLATE NOCASE ORDER BY id)
                 LIMIT 1",
            )?
            .query_row(params![name, period], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let exact = found.as_ref().is_none_or(|(_, stored)| stored == name);
        let id = match found {
            Some((id, _)) => id,
            None => {
                tx.prepare_cached(
                    "INSERT INTO campaign(name, period, channel, planned_cents, created_at) VALUES (?1, ?2, ?3, 0, ?4)",
                )?
                .execute(params![name, period, channel, self.at])?;
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO import_campaign(import_id, campaign_id) VALUES (?1, ?2)")?
                    .execute([self.import_id, id])?;
                self.created.push(CreatedCampaign { name: name.to_string(), channel: channel.to_string(), period });
                id
            }
        };
        self.known.entry(name.to_string()).or_default().push((quarter.start, id, exact));
        Ok((id, exact))
    }
}
