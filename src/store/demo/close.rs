//! The last quarter's close in the demo: campaigns that ended it over plan were acknowledged the
//! morning after, as a director does at close, so only this quarter's overspends ask for a look.

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, params};

use crate::domain::period::{Grain, Period};
use crate::store::error::Result;
use crate::store::fmt_instant;

pub(super) fn acknowledge_last_quarter(tx: &Connection, now: NaiveDateTime) -> Result<()> {
    let last = Period::containing(Grain::Quarter, now.date()).prev();
    let at = (last.end() + Duration::days(1)).and_hms_opt(9, 0, 0).unwrap_or(now).min(now);
    tx.execute(
        "INSERT OR REPLACE INTO over_plan_ack(campaign_id, at, by_whom, spent_cents)
         SELECT c.id, ?1, 'demo', s.spent FROM campaign c
         JOIN (SELECT campaign_id, sum(amount_cents) AS spent FROM spend GROUP BY campaign_id) s ON s.campaign_id = c.id
         WHERE c.period = ?2 AND s.spent > c.planned_cents",
        params![fmt_instant(at), last.to_string()],
    )?;
    Ok(())
}
