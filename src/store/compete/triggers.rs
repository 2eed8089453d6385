//! Positioning triggers, raised once each: detected over the current deal outcomes and the
//! launches marked as pivots (`domain::positioning::detect`), each opens one proposed decision
//! owned by the segment's PMM and puts itself on the next quarterly positioning review's
//! checklist. A key once raised is never raised again, so re-importing the same file raises none.
//!
//! Detection runs only in the writes that can change what holds (`after_import`, `after_undo`,
//! a competitor launch, a pivot or tier change); every read takes the stored triggers. An undo
//! clears the triggers its import raised whose evidence went with it (`cleared_at`): they are no
//! longer open, while the proposed decision each opened stays in the log, the director's. A
//! cleared trigger detected again opens again, with the decision it already has.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use serde::Serialize;

use super::{Compete, instant};
use crate::domain::battlecard::OwnPivot;
use crate::domain::compete::{proposal, proposal_owner};
use crate::domain::model::{DecisionStatus, Tier};
use crate::domain::period::{Grain, Period};
use crate::domain::positioning::{self, LaunchFact, Rules, Trigger};
use crate::domain::text::name_key;
use crate::store::cadence::{Cadence, ensure_instance};
use crate::store::decisions::{NewDecision, insert_decision};
use crate::store::error::Result;
use crate::store::tx::Write;
use crate::store::{fmt_instant, parse_day};

/// The meeting template positioning reviews are put on.
pub const REVIEW_TEMPLATE: &str = "positioning-review";

/// A trigger as raised: its proposal and where it was put.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaisedTrigger {
    pub key: String,
    /// `failed-deals`, `win-rate-drop`, `new-competitor` or `product-pivot`.
    pub kind: String,
    pub title: String,
    pub owner: String,
    pub raised_at: NaiveDateTime,
    pub decision_id: Option<i64>,
    pub decision_status: Option<DecisionStatus>,
    /// The positioning review it is on the agenda of.
    pub meeting_id: Option<i64>,
    pub review_on: Option<NaiveDate>,
    pub evidence: serde_json::Value,
    /// When an undone import took its evidence away (left out while it holds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleared_at: Option<NaiveDateTime>,
}

impl RaisedTrigger {
    /// Still waiting for the director: its evidence holds and its decision is proposed or
    /// decided, not closed.
    pub fn is_open(&self) -> bool {
        self.cleared_at.is_none() && self.decision_status.is_none_or(|s| s.is_open())
    }
}

impl<M> Compete<'_, M> {
    /// Every trigger raised, newest first, with its decision's status.
    pub fn triggers(&self) -> Result<Vec<RaisedTrigger>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT t.key, t.kind, coalesce(d.title, t.key), t.owner, t.raised_at, t.decision_id, d.status,
                    t.meeting_id, m.day, t.evidence, t.cleared_at
             FROM positioning_trigger t
             LEFT JOIN decision d ON d.id = t.decision_id
             LEFT JOIN meeting_instance m ON m.id = t.meeting_id
             ORDER BY t.raised_at DESC, t.rowid DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RaisedTrigger {
                key: r.get(0)?,
                kind: r.get(1)?,
                title: r.get(2)?,
                owner: r.get(3)?,
                raised_at: instant(&r.get::<_, String>(4)?),
                decision_id: r.get(5)?,
                decision_status: r.get(6)?,
                meeting_id: r.get(7)?,
                review_on: r.get::<_, Option<String>>(8)?.map(|s| parse_day(&s)),
                evidence: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or(serde_json::Value::Null),
                cleared_at: r.get::<_, Option<String>>(10)?.map(|s| instant(&s)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn raised_keys(&self) -> Result<HashSet<String>> {
        let mut stmt = self.db.conn().prepare_cached("SELECT key FROM positioning_trigger")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Launches the pivot trigger reads: those marked as a pivot, dated by the pivot's day.
    fn pivots(&self) -> Result<Vec<LaunchFact>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT id, name, coalesce(override_tier, computed_tier), coalesce(pivot_on, launch_date)
             FROM launch WHERE pivot = 1 ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LaunchFact {
                id: r.get(0)?,
                name: r.get(1)?,
                tier: Tier(r.get::<_, Option<u8>>(2)?.unwrap_or(0)),
                date: parse_day(&r.get::<_, String>(3)?),
                pivot: true,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Our product pivots as the battlecards read them (any tier: marking a launch as a pivot
    /// says the positioning moved; only a Tier 1 one proposes a review).
    pub fn own_pivots(&self) -> Result<Vec<OwnPivot>> {
        Ok(self.pivots()?.into_iter().map(|l| OwnPivot { launch: l.id, name: l.name, on: l.date }).collect())
    }
}

impl Compete<'_, Write> {
    /// What an import that wrote or removed deal outcomes does before it commits: each deal's
    /// current row settled, the per-quarter count recounted, and the triggers that now hold
    /// raised (those raised returned). The one hook the import path calls.
    pub(in crate::store) fn after_import(
        &self,
        import_id: i64,
        now: NaiveDateTime,
        user: &str,
    ) -> Result<Vec<RaisedTrigger>> {
        super::outcomes::settle(self.db.conn())?;
        super::quarters::recount(self.db.conn())?;
        self.raise_triggers(now, user, Some(import_id))
    }

    /// What undoing imports that held deal outcomes does before it commits: settled and
    /// recounted as after an import, then the triggers those imports raised are detected again
    /// on `now`'s day, and those that no longer hold are cleared. Returns them. Nothing is
    /// raised here (an undo takes evidence away; the next outcome write raises what holds).
    pub(in crate::store) fn after_undo(&self, import_ids: &[i64], now: NaiveDateTime) -> Result<Vec<RaisedTrigger>> {
        let conn = self.db.conn();
        super::outcomes::settle(conn)?;
        super::quarters::recount(conn)?;
        let mut stmt =
            conn.prepare_cached("SELECT key FROM positioning_trigger WHERE import_id = ?1 AND cleared_at IS NULL")?;
        let mut theirs: Vec<String> = Vec::new();
        for id in import_ids {
            theirs.extend(stmt.query_map([id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        if theirs.is_empty() {
            return Ok(Vec::new());
        }
        let found = positioning::detect(&self.outcomes()?, &self.pivots()?, now.date(), &Rules::default());
        let holds: HashSet<&str> = found.iter().map(|t| t.key.as_str()).collect();
        theirs.retain(|k| !holds.contains(k.as_str()));
        let mut clear = conn.prepare_cached("UPDATE positioning_trigger SET cleared_at = ?2 WHERE key = ?1")?;
        for k in &theirs {
            clear.execute(params![k, fmt_instant(now)])?;
        }
        Ok(self.triggers()?.into_iter().filter(|t| theirs.contains(&t.key)).collect())
    }

    /// Detects the triggers that hold on `now`'s day and raises those never raised: one proposed
    /// decision each, owned as `domain::compete::proposal_owner` says (`user` when no PMM owns
    /// it), due at the next quarterly positioning review and on its checklist. Returns them.
    pub fn raise_triggers(&self, now: NaiveDateTime, user: &str, import_id: Option<i64>) -> Result<Vec<RaisedTrigger>> {
        let today = now.date();
        let outcomes = self.outcomes()?;
        let found = positioning::detect(&outcomes, &self.pivots()?, today, &Rules::default());
        // A trigger an undo cleared holds again: open again, with the decision it has.
        let mut reopen = self.db.conn().prepare_cached(
            "UPDATE positioning_trigger SET cleared_at = NULL WHERE key = ?1 AND cleared_at IS NOT NULL",
        )?;
        for t in &found {
            reopen.execute([&t.key])?;
        }
        let new = positioning::unraised(found, &self.raised_keys()?);
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let competitors = self.competitors()?;
        let review = self.next_review(now)?;
        let mut out = Vec::new();
        for t in new {
            let deal_segment = t.competitor.as_deref().and_then(|c| most_common_segment(&outcomes, c));
            let owner = proposal_owner(&t, &competitors, deal_segment.as_deref(), user);
            out.push(self.raise(&t, &owner, review, now, import_id)?);
        }
        Ok(out)
    }

    fn raise(
        &self,
        t: &Trigger,
        owner: &str,
        review: Option<(i64, NaiveDate)>,
        now: NaiveDateTime,
        import_id: Option<i64>,
    ) -> Result<RaisedTrigger> {
        let conn = self.db.conn();
        let p = proposal(t, review.map(|r| r.1));
        // Without a positioning review in the cadence, the proposal is due at the quarter's end.
        let due = review.map_or_else(|| Period::containing(Grain::Quarter, now.date()).end(), |r| r.1);
        let d = NewDecision {
            title: p.title.clone(),
            owner: owner.to_string(),
            due: Some(due),
            risk: p.risk,
            recommendation: p.recommendation,
            status: Some(DecisionStatus::Proposed),
            meeting_id: review.map(|r| r.0),
            ..NewDecision::default()
        };
        let decision_id = insert_decision(conn, &d, now)?;
        if let Some((meeting, _)) = review {
            conn.execute(
                "INSERT INTO meeting_item(instance_id, position, label)
                 SELECT ?1, coalesce(max(position), -1) + 1, ?2 FROM meeting_item WHERE instance_id = ?1",
                params![meeting, format!("{} (decision #{decision_id})", p.title)],
            )?;
        }
        let evidence = serde_json::to_value(&t.evidence).unwrap_or(serde_json::Value::Null);
        let kind = evidence.get("trigger").and_then(|k| k.as_str()).unwrap_or("trigger").to_string();
        conn.execute(
            "INSERT INTO positioning_trigger(key, kind, raised_at, evidence, owner, decision_id, meeting_id, import_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                t.key,
                kind,
                fmt_instant(now),
                evidence.to_string(),
                owner,
                decision_id,
                review.map(|r| r.0),
                import_id
            ],
        )?;
        Ok(RaisedTrigger {
            key: t.key.clone(),
            kind,
            title: p.title,
            owner: owner.to_string(),
            raised_at: now,
            decision_id: Some(decision_id),
            decision_status: Some(DecisionStatus::Proposed),
            meeting_id: review.map(|r| r.0),
            review_on: review.map(|r| r.1),
            evidence,
            cleared_at: None,
        })
    }

    /// The next quarterly positioning review on or after today (its instance opened so the
    /// agenda line has a place), if the cadence has one.
    fn next_review(&self, now: NaiveDateTime) -> Result<Option<(i64, NaiveDate)>> {
        let templates = Cadence::new(self.db).templates_current()?;
        let Some(t) = templates.iter().find(|t| t.key == REVIEW_TEMPLATE) else { return Ok(None) };
        let Some(day) = t.rule().and_then(|r| r.first_on_or_after(now.date())) else { return Ok(None) };
        let id = ensure_instance(self.db.conn(), t.id, day, now)?;
        Ok(Some((id, day)))
    }
}

/// The segment most of a competitor's deals are in (first met on a tie).
fn most_common_segment(outcomes: &[crate::domain::winloss::DealOutcome], competitor: &str) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for o in outcomes.iter().filter(|o| o.competitor.as_deref().map(name_key).as_deref() == Some(competitor)) {
        let Some(s) = o.segment.as_deref() else { continue };
        let k = name_key(s);
        match counts.iter_mut().find(|(x, _)| *x == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts
        .into_iter()
        .fold(None, |best: Option<(String, usize)>, c| match best {
            Some(b) if b.1 >= c.1 => Some(b),
            _ => Some(c),
        })
        .map(|(s, _)| s)
}
