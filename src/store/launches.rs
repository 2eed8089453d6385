//! Launches, read side: the table's rows, one launch's detail, and the dashboard's alerts.
//! Writes (tiering, ticks, stages) live in `launch_changes`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::parse_day;
use super::tx::{Db, Read};
use crate::domain::feeds::LaunchAlert;
use crate::domain::launch::{Launch, LaunchDetail, LinkedDecision, PostMortem, ReadinessItem, StageChange, TierChange};
use crate::domain::model::{Stage, Tier};
use crate::domain::rubric::TierRules;
use crate::domain::tiering::Scores;
use crate::store::error::{Error, Result};

const LAUNCH_COLUMNS: &str = "id, name, product, owner, launch_date, stage, score_revenue, score_urgency,
    score_demand, computed_tier, override_tier, override_reason,
    EXISTS (SELECT 1 FROM launch_postmortem p WHERE p.launch_id = launch.id),
    CASE WHEN pivot = 1 THEN coalesce(pivot_on, launch_date) END";

fn launch_row(r: &Row) -> rusqlite::Result<Launch> {
    let scores = match (r.get::<_, Option<i64>>(6)?, r.get::<_, Option<i64>>(7)?, r.get::<_, Option<i64>>(8)?) {
        (Some(a), Some(b), Some(c)) => Scores::new(a, b, c).ok(),
        _ => None,
    };
    Ok(Launch {
        id: r.get(0)?,
        name: r.get(1)?,
        product: r.get(2)?,
        owner: r.get(3)?,
        date: parse_day(&r.get::<_, String>(4)?),
        stage: r.get(5)?,
        scores,
        computed: r.get::<_, Option<u8>>(9)?.map(Tier),
        overridden: r.get::<_, Option<u8>>(10)?.map(Tier),
        override_reason: r.get(11)?,
        done: 0,
        required: 0,
        open_baseline: Vec::new(),
        postmortem_recorded: r.get(12)?,
        pivot_on: r.get::<_, Option<String>>(13)?.as_deref().map(parse_day),
    })
}

/// Stored instants are `YYYY-MM-DDTHH:MM:SS`; a malformed one reads as the epoch rather than failing a screen.
pub(in crate::store) fn parse_instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

/// Fill the readiness counts from the required items, in checklist order.
fn add_readiness(conn: &Connection, launches: &mut [Launch], only: Option<i64>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT launch_id, baseline, done_at IS NOT NULL, label FROM launch_item
         WHERE required = 1 AND (?1 IS NULL OR launch_id = ?1) ORDER BY launch_id, position, id",
    )?;
    let mut by_id: HashMap<i64, usize> = HashMap::new();
    for (i, l) in launches.iter().enumerate() {
        by_id.insert(l.id, i);
    }
    let rows = stmt.query_map(params![only], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (id, baseline, done, label) = row?;
        let Some(l) = by_id.get(&id).and_then(|i| launches.get_mut(*i)) else { continue };
        l.required += 1;
        if done {
            l.done += 1;
        } else if baseline {
            l.open_baseline.push(label);
        }
    }
    Ok(())
}

/// One launch, or an input error naming the id.
pub(in crate::store) fn launch_by_id(conn: &Connection, id: i64) -> Result<Launch> {
    let sql = format!("SELECT {LAUNCH_COLUMNS} FROM launch WHERE id = ?1");
    let mut l = conn
        .query_row(&sql, [id], launch_row)
        .optional()?
        .ok_or_else(|| Error::input(format!("no launch #{id} (see `mktg launch list`)")))?;
    add_readiness(conn, std::slice::from_mut(&mut l), Some(id))?;
    Ok(l)
}

/// A launch's checklist: required items in order, then the ones a re-tier no longer asks for.
pub(in crate::store) fn items_of(conn: &Connection, id: i64) -> Result<Vec<ReadinessItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, key, label, baseline, required, done_at, done_by, note FROM launch_item
         WHERE launch_id = ?1 ORDER BY required DESC, position, id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ReadinessItem {
            id: r.get(0)?,
            key: r.get(1)?,
            label: r.get(2)?,
            baseline: r.get(3)?,
            required: r.get(4)?,
            done_at: r.get::<_, Option<String>>(5)?.as_deref().map(parse_instant),
            done_by: r.get(6)?,
            note: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `store.launches()` reads launches, checklists and history; `tx.launches()` also changes them
/// (see `launch_changes`).
pub struct Launches<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Launches<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Launches { db }
    }

    /// Every launch with its readiness, in id order (the caller arranges them).
    pub fn all(&self) -> Result<Vec<Launch>> {
        let sql = format!("SELECT {LAUNCH_COLUMNS} FROM launch ORDER BY id");
        let mut stmt = self.db.conn().prepare_cached(&sql)?;
        let mut out: Vec<Launch> = stmt.query_map([], launch_row)?.collect::<rusqlite::Result<_>>()?;
        add_readiness(self.db.conn(), &mut out, None)?;
        Ok(out)
    }

    pub fn get(&self, id: i64) -> Result<Launch> {
        launch_by_id(self.db.conn(), id)
    }

    pub fn items(&self, id: i64) -> Result<Vec<ReadinessItem>> {
        items_of(self.db.conn(), id)
    }

    /// Everything the detail view shows: checklist, tier and stage history, post-mortem, decisions.
    pub fn detail(&self, id: i64) -> Result<LaunchDetail> {
        let conn = self.db.conn();
        let launch = launch_by_id(conn, id)?;
        let items = items_of(conn, id)?;
        let mut stmt = conn.prepare_cached(
            "SELECT at, from_tier, to_tier, score_revenue, score_urgency, score_demand, overridden, reason
             FROM launch_tier_history WHERE launch_id = ?1 ORDER BY at, id",
        )?;
        let tiers = stmt
            .query_map([id], |r| {
                let scores =
                    match (r.get::<_, Option<i64>>(3)?, r.get::<_, Option<i64>>(4)?, r.get::<_, Option<i64>>(5)?) {
                        (Some(a), Some(b), Some(c)) => Scores::new(a, b, c).ok(),
                        _ => None,
                    };
                Ok(TierChange {
                    at: parse_instant(&r.get::<_, String>(0)?),
                    from: r.get::<_, Option<u8>>(1)?.map(Tier),
                    to: Tier(r.get(2)?),
                    scores,
                    overridden: r.get(6)?,
                    reason: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT at, from_stage, to_stage, override_reason FROM launch_stage_history
             WHERE launch_id = ?1 ORDER BY at, id",
        )?;
        let stages = stmt
            .query_map([id], |r| {
                Ok(StageChange {
                    at: parse_instant(&r.get::<_, String>(0)?),
                    from: r.get::<_, Stage>(1)?,
                    to: r.get::<_, Stage>(2)?,
                    override_reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let postmortem = super::postmortems::Postmortems::new(self.db).of_launch(id)?.map(|(at, r)| {
            (
                at,
                PostMortem {
                    worked: r.worked,
                    didnt: r.didnt,
                    outcome_metric: r.outcome_metric,
                    outcome_actual: r.outcome_actual,
                    outcome_goal: r.outcome_goal,
                },
            )
        });
        let mut stmt = conn.prepare_cached(
            "SELECT id, title, owner, status FROM decision WHERE launch_id = ?1 ORDER BY made_at DESC, id DESC",
        )?;
        let decisions = stmt
            .query_map([id], |r| {
                Ok(LinkedDecision { id: r.get(0)?, title: r.get(1)?, owner: r.get(2)?, status: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(LaunchDetail { launch, items, tiers, stages, postmortem, decisions })
    }

    /// Launches not yet live whose date is inside their tier's lead time and that
    /// still have required readiness items open, soonest first. The same rule flags them
    /// on the launches screen (`Launch::lead_flag`).
    pub fn alerts(&self, today: NaiveDate, rules: &TierRules) -> Result<Vec<LaunchAlert>> {
        let mut launches = self.all()?;
        launches.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        Ok(launches
            .into_iter()
            .filter_map(|l| {
                let flag = l.lead_flag(today, rules)?;
                Some(LaunchAlert {
                    id: l.id,
                    tier: l.tier()?,
                    launch_date: l.date,
                    lead_weeks: flag.lead_weeks,
                    open_items: flag.open_items,
                    open_baseline: l.open_baseline,
                    name: l.name,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::demo::DemoOptions;

    fn demo() -> (Store, NaiveDateTime) {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        s.write(|tx| crate::store::demo::fill(tx, now, &DemoOptions { days: 30, ..DemoOptions::default() })).unwrap();
        (s, now)
    }

    #[test]
    fn the_demo_launches_carry_their_readiness() {
        let (s, _) = demo();
        let all = s.launches().all().unwrap();
        assert_eq!(all.len(), 9);
        let portal = all.iter().find(|l| l.name == "Partner Portal").unwrap();
        assert_eq!(portal.open_baseline, vec!["Compliance reviewed".to_string()]);
        let ai = all.iter().find(|l| l.name.starts_with("AI Assistant")).unwrap();
        assert_eq!((ai.tier(), ai.required), (None, 3), "an unscored launch carries the baseline standard");
    }

    #[test]
    fn alerts_are_the_launches_inside_their_lead_time_with_items_open() {
        let (s, now) = demo();
        let rules = TierRules::defaults();
        let alerts = s.launches().alerts(now.date(), &rules).unwrap();
        assert!(!alerts.is_empty());
        assert!(alerts.windows(2).all(|w| w[0].launch_date <= w[1].launch_date));
        let portal = alerts.iter().find(|a| a.name == "Partner Portal").unwrap();
        assert_eq!(portal.open_baseline, vec!["Compliance reviewed".to_string()]);
        // Not scored yet: no tier, so no lead time to miss.
        assert!(!alerts.iter().any(|a| a.name.starts_with("AI Assistant")));
        for a in &alerts {
            assert!((a.launch_date - now.date()).num_days() <= i64::from(a.lead_weeks) * 7);
            assert!(a.open_items > 0);
        }
    }
}
