//! The owner fields #19 added to other aggregates: a campaign's owner, a checklist item's own
//! owner and due day, a launch's success metric. Kept here, beside the team, so the budget and
//! launch modules stay as they were; each is one UPDATE inside the caller's transaction.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::budget::Budget;
use super::fmt_day;
use super::launches::Launches;
use super::tx::Write;
use crate::store::error::{Error, Result};

impl<M> Budget<'_, M> {
    /// Who owns campaign `id`; `None` for nobody (a campaign an import created, until given one).
    pub fn owner(&self, id: i64) -> Result<Option<String>> {
        let owner: Option<Option<String>> =
            self.db.conn().query_row("SELECT owner FROM campaign WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        Ok(owner.flatten().filter(|o| !o.trim().is_empty()))
    }
}

impl Budget<'_, Write> {
    /// Set (or, with an empty name, clear) who owns campaign `id`.
    pub fn set_owner(&self, id: i64, owner: &str) -> Result<()> {
        let owner = Some(owner.trim()).filter(|o| !o.is_empty());
        let n = self.db.conn().execute("UPDATE campaign SET owner = ?2 WHERE id = ?1", params![id, owner])?;
        if n == 0 {
            return Err(Error::input(format!("no campaign with id {id}")));
        }
        Ok(())
    }
}

impl Launches<'_, Write> {
    /// Give a checklist item its own owner and due day (empty / `None` falls back to the launch's).
    /// `item` is the item's key or its number in the checklist, as `launch check` takes it.
    pub fn assign_item(&self, launch_id: i64, item: &str, owner: &str, due: Option<NaiveDate>) -> Result<String> {
        let conn = self.db.conn();
        let items: Vec<(i64, String, String)> = {
            let mut stmt = conn.prepare_cached(
                "SELECT id, key, label FROM launch_item WHERE launch_id = ?1 ORDER BY required DESC, position, id",
            )?;
            stmt.query_map([launch_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?
        };
        if items.is_empty() {
            return Err(Error::input(format!("launch #{launch_id} has no checklist (see `mktg launch list`)")));
        }
        let wanted = item.trim();
        let found = match wanted.parse::<usize>() {
            Ok(n) if n >= 1 => items.get(n - 1),
            _ => items.iter().find(|(_, k, l)| k.eq_ignore_ascii_case(wanted) || l.eq_ignore_ascii_case(wanted)),
        };
        let Some((id, _, label)) = found else {
            let keys: Vec<&str> = items.iter().map(|(_, k, _)| k.as_str()).collect();
            return Err(Error::input(format!(
                "'{wanted}' is not an item of launch #{launch_id} (one of: {})",
                keys.join(", ")
            )));
        };
        let owner = Some(owner.trim()).filter(|o| !o.is_empty());
        conn.execute(
            "UPDATE launch_item SET owner = ?2, due = ?3 WHERE id = ?1",
            params![id, owner, due.map(fmt_day)],
        )?;
        Ok(label.clone())
    }

    /// How the launch will be judged (the post-mortem compares against it); empty clears it.
    pub fn set_success_metric(&self, launch_id: i64, metric: &str) -> Result<()> {
        let n = self
            .db
            .conn()
            .execute("UPDATE launch SET success_metric = ?2 WHERE id = ?1", params![launch_id, metric.trim()])?;
        if n == 0 {
            return Err(Error::input(format!("no launch #{launch_id} (see `mktg launch list`)")));
        }
        Ok(())
    }
}
