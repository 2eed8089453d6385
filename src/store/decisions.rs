//! Decisions: append-mostly records with one owner; other areas log theirs through `insert_decision`.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};

use super::{Store, fmt_day, fmt_instant, parse_day};
use crate::domain::feeds::DecisionDue;
use crate::domain::model::DecisionStatus;
use crate::error::{Error, Result};

/// A decision about to be logged.
#[derive(Debug, Clone, Default)]
pub struct NewDecision {
    pub title: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub risk: String,
    pub recommendation: String,
    /// `None` means proposed.
    pub status: Option<DecisionStatus>,
    pub meeting_id: Option<i64>,
    pub launch_id: Option<i64>,
    pub campaign_id: Option<i64>,
    /// A budget move's receiving campaign.
    pub campaign2_id: Option<i64>,
}

impl NewDecision {
    /// Every decision says what was decided and who owns it.
    pub fn validate(&self) -> Result<()> {
        if self.title.trim().is_empty() {
            return Err(Error::input("a decision needs its text (what was decided)"));
        }
        if self.owner.trim().is_empty() {
            return Err(Error::input("a decision needs an owner (who owns this?)"));
        }
        Ok(())
    }
}

/// Log `d` inside the caller's transaction (a budget move or a tier override logs
/// its decision in the same transaction as the change itself). Returns the new id.
pub fn insert_decision(conn: &Connection, d: &NewDecision, now: NaiveDateTime) -> Result<i64> {
    d.validate()?;
    let status = d.status.unwrap_or(DecisionStatus::Proposed);
    let closed = (!status.is_open()).then(|| fmt_instant(now));
    conn.execute(
        "INSERT INTO decision(title, recommendation, risk, owner, due, status, made_at,
                              meeting_id, launch_id, campaign_id, campaign2_id, closed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            d.title.trim(),
            d.recommendation,
            d.risk,
            d.owner.trim(),
            d.due.map(fmt_day),
            status,
            fmt_instant(now),
            d.meeting_id,
            d.launch_id,
            d.campaign_id,
            d.campaign2_id,
            closed
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Store {
    /// Log a decision in its own transaction; returns its id.
    pub fn decision_add(&self, d: &NewDecision, now: NaiveDateTime) -> Result<i64> {
        self.write(|tx| insert_decision(tx, d, now))
    }

    /// Open decisions due on or before `today`, most overdue first.
    pub fn decisions_due(&self, today: NaiveDate) -> Result<Vec<DecisionDue>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, title, owner, due, status, risk, recommendation FROM decision
             WHERE status IN ('proposed', 'decided') AND due IS NOT NULL AND due <= ?1
             ORDER BY due, id",
        )?;
        let rows = stmt.query_map([fmt_day(today)], |r| {
            Ok(DecisionDue {
                id: r.get(0)?,
                title: r.get(1)?,
                owner: r.get(2)?,
                due: parse_day(&r.get::<_, String>(3)?),
                status: r.get(4)?,
                risk: r.get(5)?,
                recommendation: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everyone who owns a decision or a launch, for completion in forms.
    pub fn known_owners(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT owner FROM (SELECT owner, made_at AS at FROM decision UNION ALL SELECT owner, updated_at FROM launch)
             WHERE trim(owner) <> '' GROUP BY owner ORDER BY max(at) DESC",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_needs_text_and_an_owner() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T13:10").unwrap();
        let no_owner = NewDecision { title: "Ship".into(), ..NewDecision::default() };
        assert!(s.decision_add(&no_owner, now).unwrap_err().to_string().contains("owner"));
        let ok = NewDecision {
            title: "SDRs follow up on webinar MQLs within 24h".into(),
            owner: "Dana".into(),
            due: Some(now.date()),
            ..NewDecision::default()
        };
        let id = s.decision_add(&ok, now).unwrap();
        let due = s.decisions_due(now.date()).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].id, id);
        assert_eq!(s.known_owners().unwrap(), vec!["Dana".to_string()]);
    }
}
