//! Store-wide settings kept in the `meta` table: role, currency, when it was set up.

use rusqlite::{OptionalExtension, params};

use super::error::Result;
use super::tx::{Db, Read, Write};

/// `store.meta()` reads the settings; `tx.meta()` also sets them (and seeds a role, see `seed`).
pub struct Meta<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Meta<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Meta { db }
    }

    pub fn get(&self, key: &str) -> Result<Option<String>> {
        // Cached: the cockpit reads the currency on every frame, and parsing the query each time
        // was about 6% of a key's work on the app thread.
        let mut stmt = self.db.conn().prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
        Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
    }

    /// The role the store was set up for; `None` before onboarding.
    pub fn role(&self) -> Result<Option<String>> {
        self.get("role")
    }

    /// The store's one currency (ISO code).
    pub fn currency(&self) -> String {
        self.get("currency").ok().flatten().unwrap_or_else(|| "USD".into())
    }

    /// True when the director has put anything of their own in the store
    /// (observations, launches, campaigns, meetings held, decisions).
    pub fn holds_user_data(&self) -> Result<bool> {
        let n: i64 = self.db.conn().query_row(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM kpi_obs LIMIT 1))
                  + (SELECT count(*) FROM launch) + (SELECT count(*) FROM campaign)
                  + (SELECT count(*) FROM decision) + (SELECT count(*) FROM meeting_instance)
                  + (SELECT count(*) FROM competitor) + (SELECT count(*) FROM (SELECT 1 FROM deal_outcome LIMIT 1))",
            [],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}

/// Why a store's currency cannot change: it already holds money in the old one.
fn holds_money(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM spend) OR EXISTS (SELECT 1 FROM campaign WHERE planned_cents <> 0)
             OR EXISTS (SELECT 1 FROM attribution)
             OR EXISTS (SELECT 1 FROM kpi_obs o JOIN metric m ON m.key = o.metric WHERE m.unit = 'currency')
             OR EXISTS (SELECT 1 FROM kpi_period p JOIN metric m ON m.key = p.metric WHERE m.unit = 'currency')",
        [],
        |r| r.get(0),
    )?)
}

impl Meta<'_, Write> {
    /// Keep money in `code` from now on (an ISO 4217 code, checked by the caller with
    /// `currency::for_store`). Refused once the store holds money: amounts are never converted,
    /// and relabelling them would make every figure silently wrong. Returns whether it changed.
    pub fn set_currency(&self, code: &str) -> Result<bool> {
        let current = self.currency();
        if current.eq_ignore_ascii_case(code) {
            return Ok(false);
        }
        if holds_money(self.db.conn())? {
            return Err(super::error::Error::input(format!(
                "this store keeps {current} and already holds money (spend, plans or amounts); it cannot change to \
                 {code}: nothing is converted. Start another store for {code}: mktg --db OTHER.db init --currency {code}"
            )));
        }
        self.set("currency", code)?;
        Ok(true)
    }

    pub fn set(&self, key: &str, value: &str) -> Result<()> {
        self.db.conn().execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
