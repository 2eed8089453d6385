//! Decisions: append-mostly records with one owner; other areas log theirs, inside their own
//! transaction, through `insert_decision`.
//! Closing, reversing and superseding change a decision's status; nothing is ever deleted.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::tx::{Db, Read, Write};
use super::{fmt_day, fmt_instant, parse_day};
use crate::domain::feeds::DecisionDue;
use crate::domain::model::DecisionStatus;
use crate::store::error::{Error, Result};

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
    /// Every decision says what was decided and who owns it: the one check behind `decision add`,
    /// the cockpit's decision form and every decision another area logs. A refusal names its
    /// field (`decision` or `owner`) for a form to focus.
    pub fn validate(&self) -> Result<()> {
        use crate::domain::error::Error as Refusal;
        if self.title.trim().is_empty() {
            return Err(Refusal::input("the decision is required").in_field("decision").into());
        }
        if self.owner.trim().is_empty() {
            return Err(Refusal::input("an owner is required: who owns this?").in_field("owner").into());
        }
        Ok(())
    }
}

/// Log `d` inside the caller's transaction (a budget move or a tier override logs
/// its decision in the same transaction as the change itself). Returns the new id.
pub(in crate::store) fn insert_decision(conn: &Connection, d: &NewDecision, now: NaiveDateTime) -> Result<i64> {
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

/// A logged decision with what it is linked to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub title: String,
    pub recommendation: String,
    /// The risk of doing nothing.
    pub risk: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub status: DecisionStatus,
    pub made_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub meeting_id: Option<i64>,
    /// The meeting's name and day, when logged in one.
    pub meeting: Option<String>,
    pub meeting_day: Option<NaiveDate>,
    pub launch_id: Option<i64>,
    pub launch: Option<String>,
    pub campaign_id: Option<i64>,
    pub campaign: Option<String>,
    pub campaign2_id: Option<i64>,
    pub campaign2: Option<String>,
    pub superseded_by: Option<i64>,
    /// The decision this one replaced, if any.
    pub supersedes: Option<i64>,
}

impl Decision {
    /// Open and past its due day.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

fn parse_instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

const DECISION_SELECT: &str = "SELECT d.id, d.title, d.recommendation, d.risk, d.owner, d.due, d.status, d.made_at,
        d.closed_at, d.meeting_id, m.name, m.day, d.launch_id, l.name, d.campaign_id, c.name, d.campaign2_id, c2.name,
        d.superseded_by, (SELECT o.id FROM decision o WHERE o.superseded_by = d.id ORDER BY o.id LIMIT 1)
     FROM decision d
     LEFT JOIN meeting_instance m ON m.id = d.meeting_id
     LEFT JOIN launch l ON l.id = d.launch_id
     LEFT JOIN campaign c ON c.id = d.campaign_id
     LEFT JOIN campaign c2 ON c2.id = d.campaign2_id";

fn decision_row(r: &rusqlite::Row) -> rusqlite::Result<Decision> {
    Ok(Decision {
        id: r.get(0)?,
        title: r.get(1)?,
        recommendation: r.get(2)?,
        risk: r.get(3)?,
        owner: r.get(4)?,
        due: r.get::<_, Option<String>>(5)?.map(|s| parse_day(&s)),
        status: r.get(6)?,
        made_at: parse_instant(&r.get::<_, String>(7)?),
        closed_at: r.get::<_, Option<String>>(8)?.map(|s| parse_instant(&s)),
        meeting_id: r.get(9)?,
        meeting: r.get(10)?,
        meeting_day: r.get::<_, Option<String>>(11)?.map(|s| parse_day(&s)),
        launch_id: r.get(12)?,
        launch: r.get(13)?,
        campaign_id: r.get(14)?,
        campaign: r.get(15)?,
        campaign2_id: r.get(16)?,
        campaign2: r.get(17)?,
        superseded_by: r.get(18)?,
        supersedes: r.get(19)?,
    })
}

/// `store.decisions()` reads the log; `tx.decisions()` also logs, closes and supersedes.
pub struct Decisions<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Decisions<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Decisions { db }
    }

    /// Every decision, newest first.
    pub fn all(&self) -> Result<Vec<Decision>> {
        let mut stmt =
            self.db.conn().prepare_cached(&format!("{DECISION_SELECT} ORDER BY d.made_at DESC, d.id DESC"))?;
        let rows = stmt.query_map([], decision_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get(&self, id: i64) -> Result<Decision> {
        let mut stmt = self.db.conn().prepare_cached(&format!("{DECISION_SELECT} WHERE d.id = ?1"))?;
        stmt.query_row([id], decision_row).optional()?.ok_or_else(|| Error::input(format!("no decision #{id}")))
    }

    /// The decisions logged in meeting instance `meeting_id`, oldest first.
    pub fn in_meeting(&self, meeting_id: i64) -> Result<Vec<Decision>> {
        let mut stmt =
            self.db.conn().prepare_cached(&format!("{DECISION_SELECT} WHERE d.meeting_id = ?1 ORDER BY d.id"))?;
        let rows = stmt.query_map([meeting_id], decision_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open decisions due by `until` (overdue included), soonest first: what the exec update leads with.
    pub fn needed(&self, until: NaiveDate) -> Result<Vec<Decision>> {
        let mut stmt = self.db.conn().prepare_cached(&format!(
            "{DECISION_SELECT} WHERE d.status IN ('proposed', 'decided') AND (d.due IS NULL OR d.due <= ?1)
             ORDER BY d.due IS NULL, d.due, d.id"
        ))?;
        let rows = stmt.query_map([fmt_day(until)], decision_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open decisions due on or before `today`, most overdue first.
    pub fn due(&self, today: NaiveDate) -> Result<Vec<DecisionDue>> {
        let mut stmt = self.db.conn().prepare_cached(
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
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT owner FROM (SELECT owner, made_at AS at FROM decision UNION ALL SELECT owner, updated_at FROM launch)
             WHERE trim(owner) <> '' GROUP BY owner ORDER BY max(at) DESC",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Decisions<'_, Write> {
    /// Mark an open decision done, or reverse one (open or done). Anything else is refused,
    /// naming the status it has; superseding goes through `supersede`.
    pub fn set_status(&self, id: i64, to: DecisionStatus, now: NaiveDateTime) -> Result<Decision> {
        let d = self.get(id)?;
        let allowed = match to {
            DecisionStatus::Done => d.status.is_open(),
            DecisionStatus::Reversed => d.status.is_open() || d.status == DecisionStatus::Done,
            DecisionStatus::Proposed | DecisionStatus::Decided => d.status.is_open(),
            DecisionStatus::Superseded => false,
        };
        if !allowed {
            return Err(Error::input(format!("decision #{id} is already {}; nothing changed", d.status)));
        }
        let closed = (!to.is_open()).then(|| fmt_instant(now));
        let tx = self.db.conn();
        tx.execute("UPDATE decision SET status = ?2, closed_at = ?3 WHERE id = ?1", params![id, to, closed])?;
        self.get(id)
    }

    /// Replace decision `id` by `new`: the original stays, marked superseded and linked to
    /// the new one, which inherits its links when it has none. Returns the new id.
    pub fn supersede(&self, id: i64, new: &NewDecision, now: NaiveDateTime) -> Result<i64> {
        let old = self.get(id)?;
        if old.status == DecisionStatus::Superseded {
            return Err(Error::input(format!(
                "decision #{id} is already superseded by #{}",
                old.superseded_by.unwrap_or(0)
            )));
        }
        let mut new = new.clone();
        new.meeting_id = new.meeting_id.or(old.meeting_id);
        new.launch_id = new.launch_id.or(old.launch_id);
        new.campaign_id = new.campaign_id.or(old.campaign_id);
        new.campaign2_id = new.campaign2_id.or(old.campaign2_id);
        let tx = self.db.conn();
        let new_id = insert_decision(tx, &new, now)?;
        tx.execute(
            "UPDATE decision SET status = 'superseded', superseded_by = ?2, closed_at = ?3 WHERE id = ?1",
            params![id, new_id, fmt_instant(now)],
        )?;
        Ok(new_id)
    }

    /// Log a decision; returns its id.
    pub fn add(&self, d: &NewDecision, now: NaiveDateTime) -> Result<i64> {
        insert_decision(self.db.conn(), d, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_decision_needs_text_and_an_owner() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T13:10").unwrap();
        let no_owner = NewDecision { title: "Ship".into(), ..NewDecision::default() };
        assert!(s.write(|tx| tx.decisions().add(&no_owner, now)).unwrap_err().to_string().contains("owner"));
        let ok = NewDecision {
            title: "SDRs follow up on webinar MQLs within 24h".into(),
            owner: "Dana".into(),
            due: Some(now.date()),
            ..NewDecision::default()
        };
        let id = s.write(|tx| tx.decisions().add(&ok, now)).unwrap();
        let due = s.decisions().due(now.date()).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].id, id);
        assert_eq!(s.decisions().known_owners().unwrap(), vec!["Dana".to_string()]);
    }

    #[test]
    fn superseding_keeps_the_original_linked_and_closing_twice_is_refused() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T11:10").unwrap();
        let first = NewDecision {
            title: "Test a gated ROI calculator".into(),
            owner: "Sam".into(),
            risk: "MQL growth stalls in Q1".into(),
            ..NewDecision::default()
        };
        let old = s.write(|tx| tx.decisions().add(&first, now)).unwrap();
        let second = NewDecision { title: "Test an ungated ROI calculator".into(), ..first.clone() };
        let new = s.write(|tx| tx.decisions().supersede(old, &second, now)).unwrap();
        let o = s.decisions().get(old).unwrap();
        assert_eq!(
            (o.status, o.superseded_by, o.title.as_str()),
            (DecisionStatus::Superseded, Some(new), "Test a gated ROI calculator")
        );
        assert_eq!(s.decisions().get(new).unwrap().supersedes, Some(old));
        assert!(s.write(|tx| tx.decisions().supersede(old, &second, now)).is_err());
        assert_eq!(s.decisions().all().unwrap().len(), 2);

        assert_eq!(
            s.write(|tx| tx.decisions().set_status(new, DecisionStatus::Done, now)).unwrap().status,
            DecisionStatus::Done
        );
        let e = s.write(|tx| tx.decisions().set_status(new, DecisionStatus::Done, now)).unwrap_err().to_string();
        assert!(e.contains("already done"), "{e}");
        assert_eq!(
            s.write(|tx| tx.decisions().set_status(new, DecisionStatus::Reversed, now)).unwrap().status,
            DecisionStatus::Reversed
        );
        assert!(
            s.write(|tx| tx.decisions().set_status(old, DecisionStatus::Reversed, now)).is_err(),
            "a superseded one stays"
        );
    }
}
