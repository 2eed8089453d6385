//! Launches, write side: add and edit, score and override (with history and a re-derived
//! checklist), tick items, move stages through the go-live gate, record the post-mortem.
//! Each public call is one transaction; overrides log their decision inside it.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};

use super::cadence::Cadence;
use super::decisions::{NewDecision, insert_decision};
use super::launches::Launches;
use super::launches::{items_of, launch_by_id};
use super::tx::{Db, Write};
use super::{fmt_day, fmt_instant};
use crate::domain::launch::{self, Launch, PostMortem};
use crate::domain::model::{DecisionStatus, Stage, Tier};
use crate::domain::postmortem::FollowUpSpec;
use crate::domain::rubric::TierRules;
use crate::domain::tiering::{self, Scores, Verdict};
use crate::store::error::{Error, Result};
use crate::store::postmortems::{self, Added, Record};

/// A launch about to be added, or its edited fields.
#[derive(Debug, Clone, Default)]
pub struct NewLaunch {
    pub name: String,
    pub product: String,
    pub owner: String,
    pub date: Option<NaiveDate>,
}

impl NewLaunch {
    fn validate(&self) -> Result<NaiveDate> {
        if self.name.trim().is_empty() {
            return Err(Error::input("a launch needs a name"));
        }
        self.date.ok_or_else(|| Error::input("a launch needs a date"))
    }
}

/// What scoring did.
#[derive(Debug, Clone)]
pub struct Scored {
    pub verdict: Verdict,
    /// The override still in force, if there is one.
    pub override_kept: Option<Tier>,
    /// Positioning triggers raised because a launch marked as a pivot became Tier 1.
    pub raised: Vec<crate::store::compete::RaisedTrigger>,
}

/// What a stage move did.
#[derive(Debug, Clone, PartialEq)]
pub struct StageMoved {
    pub from: Stage,
    pub to: Stage,
    /// The decision logged when the gate was overridden.
    pub decision_id: Option<i64>,
}

/// Bring the checklist in line with `tier`: items it still requires keep their state,
/// new ones are added open, the rest are kept but marked not required.
fn apply_checklist(tx: &Connection, id: i64, tier: Tier, rules: &TierRules) -> Result<()> {
    let keys: Vec<String> = {
        let mut stmt = tx.prepare_cached("SELECT key FROM launch_item WHERE launch_id = ?1")?;
        stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    let plan = tiering::rederive(keys.iter().map(String::as_str), tier, rules);
    for (pos, item) in plan.required.iter().enumerate() {
        tx.execute(
            "INSERT INTO launch_item(launch_id, key, label, baseline, required, position) VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT(launch_id, key) DO UPDATE SET required = 1, baseline = excluded.baseline, position = excluded.position",
            params![id, item.key, item.label, item.baseline, pos as i64],
        )?;
    }
    for key in &plan.no_longer_required {
        tx.execute("UPDATE launch_item SET required = 0 WHERE launch_id = ?1 AND key = ?2", params![id, key])?;
    }
    Ok(())
}

/// The baseline standard applies to every launch: a new one carries it before it is tiered.
fn add_baseline(tx: &Connection, id: i64, rules: &TierRules) -> Result<()> {
    for (pos, b) in rules.baseline.iter().enumerate() {
        tx.execute(
            "INSERT OR IGNORE INTO launch_item(launch_id, key, label, baseline, required, position) VALUES (?1, ?2, ?3, 1, 1, ?4)",
            params![id, b.key, b.label, 1000 + pos as i64],
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn tier_history(
    tx: &Connection,
    id: i64,
    now: NaiveDateTime,
    from: Option<Tier>,
    to: Tier,
    scores: Option<Scores>,
    overridden: bool,
    reason: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO launch_tier_history(launch_id, at, from_tier, to_tier, score_revenue, score_urgency, score_demand, overridden, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            fmt_instant(now),
            from.map(|t| t.0),
            to.0,
            scores.map(|s| s.revenue),
            scores.map(|s| s.urgency),
            scores.map(|s| s.demand),
            overridden,
            reason
        ],
    )?;
    Ok(())
}

/// Move `launch` to `to` through the gate; an override needs a reason and is logged as a decision.
fn move_stage(
    db: Db<'_, Write>,
    launch: &Launch,
    to: Stage,
    gate_override: Option<&str>,
    user: &str,
    rules: &TierRules,
    now: NaiveDateTime,
) -> Result<StageMoved> {
    let tx = db.conn();
    let from = launch.stage;
    if from == to {
        return Err(Error::input(format!("'{}' is already in {}", launch.name, to.label())));
    }
    let reason = gate_override.map(str::trim).filter(|r| !r.is_empty());
    let mut decision_id = None;
    if launch::crosses_gate(from, to) {
        let blockers = launch::gate_blockers(&items_of(tx, launch.id)?, rules);
        if !blockers.is_empty() {
            let Some(reason) = reason else {
                let them = if blockers.len() == 1 { "it" } else { "them" };
                return Err(Error::input(format!(
                    "{} (tick {them}, or override with a reason)",
                    launch::gate_refusal(&launch.name, &blockers)
                )));
            };
            let d = NewDecision {
                title: format!("Take '{}' live with baseline open: {}", launch.name, blockers.join("; ")),
                recommendation: reason.to_string(),
                risk: format!("going live without: {}", blockers.join("; ")),
                owner: user.to_string(),
                status: Some(DecisionStatus::Decided),
                launch_id: Some(launch.id),
                meeting_id: Cadence::new(db).meeting_under_way(now)?,
                ..NewDecision::default()
            };
            decision_id = Some(insert_decision(tx, &d, now)?);
        }
    }
    tx.execute(
        "UPDATE launch SET stage = ?2, updated_at = ?3 WHERE id = ?1",
        params![launch.id, to, fmt_instant(now)],
    )?;
    tx.execute(
        "INSERT INTO launch_stage_history(launch_id, at, from_stage, to_stage, override_reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![launch.id, fmt_instant(now), from, to, decision_id.and(reason)],
    )?;
    Ok(StageMoved { from, to, decision_id })
}

impl Launches<'_, Write> {
    /// Add a launch (carrying the baseline standard); returns its id.
    pub fn add(&self, l: &NewLaunch, rules: &TierRules, now: NaiveDateTime) -> Result<i64> {
        let date = l.validate()?;
        let tx = self.db.conn();
        tx.execute(
            "INSERT INTO launch(name, product, owner, launch_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![l.name.trim(), l.product.trim(), l.owner.trim(), fmt_day(date), fmt_instant(now)],
        )?;
        let id = tx.last_insert_rowid();
        add_baseline(tx, id, rules)?;
        Ok(id)
    }

    pub fn edit(&self, id: i64, l: &NewLaunch, now: NaiveDateTime) -> Result<()> {
        let date = l.validate()?;
        let tx = self.db.conn();
        launch_by_id(tx, id)?;
        tx.execute(
            "UPDATE launch SET name = ?2, product = ?3, owner = ?4, launch_date = ?5, updated_at = ?6 WHERE id = ?1",
            params![id, l.name.trim(), l.product.trim(), l.owner.trim(), fmt_day(date), fmt_instant(now)],
        )?;
        Ok(())
    }

    /// Score the three criteria: the computed tier, a history row, the checklist re-derived.
    pub fn score(&self, id: i64, scores: Scores, rules: &TierRules, user: &str, now: NaiveDateTime) -> Result<Scored> {
        let verdict = tiering::compute(scores, rules);
        let tx = self.db.conn();
        let before = launch_by_id(tx, id)?;
        // An override chosen against the old scores would silently outlive them if it matched:
        // when the new computed tier equals it, the override has nothing left to say.
        let override_kept = before.overridden.filter(|t| *t != verdict.tier);
        tx.execute(
            "UPDATE launch SET score_revenue = ?2, score_urgency = ?3, score_demand = ?4, computed_tier = ?5,
                    override_tier = ?6, override_reason = CASE WHEN ?6 IS NULL THEN NULL ELSE override_reason END,
                    updated_at = ?7
             WHERE id = ?1",
            params![
                id,
                scores.revenue,
                scores.urgency,
                scores.demand,
                verdict.tier.0,
                override_kept.map(|t| t.0),
                fmt_instant(now)
            ],
        )?;
        let to = override_kept.unwrap_or(verdict.tier);
        let reason = match override_kept {
            Some(t) => format!("{} (override {t} kept)", verdict.reason()),
            None => verdict.reason(),
        };
        tier_history(tx, id, now, before.tier(), to, Some(scores), override_kept.is_some(), &reason)?;
        apply_checklist(tx, id, to, rules)?;
        let raised = self.pivot_triggers(&before, user, now)?;
        Ok(Scored { verdict: verdict.clone(), override_kept, raised })
    }

    /// Set the tier by hand. A tier other than the computed one needs a reason and is logged as
    /// a decision linked to the launch; choosing the computed tier clears the override.
    /// Returns the decision's id when one was logged.
    pub fn set_tier(
        &self,
        id: i64,
        tier: Tier,
        reason: &str,
        user: &str,
        rules: &TierRules,
        now: NaiveDateTime,
    ) -> Result<Option<i64>> {
        let reason = reason.trim();
        let tx = self.db.conn();
        let before = launch_by_id(tx, id)?;
        if before.tier() == Some(tier) {
            return Err(Error::input(format!("'{}' is already {tier}", before.name)));
        }
        let is_override = before.computed != Some(tier);
        if is_override && reason.is_empty() {
            return Err(Error::input(format!(
                "overriding the computed tier of '{}' needs a reason (--reason)",
                before.name
            )));
        }
        let (o_tier, o_reason) = if is_override { (Some(tier.0), Some(reason)) } else { (None, None) };
        tx.execute(
            "UPDATE launch SET override_tier = ?2, override_reason = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, o_tier, o_reason, fmt_instant(now)],
        )?;
        let shown = if is_override { reason.to_string() } else { format!("back to the computed tier. {reason}") };
        tier_history(tx, id, now, before.tier(), tier, before.scores, is_override, shown.trim())?;
        apply_checklist(tx, id, tier, rules)?;
        // The decision log shows a proposal this raises; the tier's own decision is returned.
        self.pivot_triggers(&before, user, now)?;
        if !is_override {
            return Ok(None);
        }
        let computed = before.computed.map_or("unscored".to_string(), |t| format!("computed {t}"));
        let d = NewDecision {
            title: format!("{tier} for '{}' ({computed})", before.name),
            recommendation: reason.to_string(),
            owner: user.to_string(),
            status: Some(DecisionStatus::Decided),
            launch_id: Some(id),
            meeting_id: Cadence::new(self.db).meeting_under_way(now)?,
            ..NewDecision::default()
        };
        Ok(Some(insert_decision(tx, &d, now)?))
    }

    /// A pivot's tier decides whether it proposes a positioning review: re-tiering one raises
    /// what now holds (once per key, as every trigger).
    fn pivot_triggers(
        &self,
        before: &Launch,
        user: &str,
        now: NaiveDateTime,
    ) -> Result<Vec<crate::store::compete::RaisedTrigger>> {
        if before.pivot_on.is_none() {
            return Ok(Vec::new());
        }
        crate::store::compete::Compete::new(self.db).raise_triggers(now, user, None)
    }

    /// Tick items (by item id) for `user`; already-ticked items keep who ticked them first.
    /// Returns how many were newly ticked.
    pub fn tick(&self, id: i64, item_ids: &[i64], user: &str, now: NaiveDateTime) -> Result<usize> {
        let tx = self.db.conn();
        launch_by_id(tx, id)?;
        let mut n = 0;
        for item in item_ids {
            n += tx.execute(
                "UPDATE launch_item SET done_at = ?3, done_by = ?4 WHERE launch_id = ?1 AND id = ?2 AND done_at IS NULL",
                params![id, item, fmt_instant(now), user],
            )?;
        }
        Ok(n)
    }

    /// Untick an item (its note stays).
    pub fn untick(&self, id: i64, item_id: i64) -> Result<()> {
        let tx = self.db.conn();
        tx.execute(
            "UPDATE launch_item SET done_at = NULL, done_by = NULL WHERE launch_id = ?1 AND id = ?2",
            params![id, item_id],
        )?;
        Ok(())
    }

    /// Set (or clear, when blank) an item's note.
    pub fn item_note(&self, id: i64, item_id: i64, note: &str) -> Result<()> {
        let note = Some(note.trim()).filter(|n| !n.is_empty());
        let tx = self.db.conn();
        tx.execute("UPDATE launch_item SET note = ?3 WHERE launch_id = ?1 AND id = ?2", params![id, item_id, note])?;
        Ok(())
    }

    /// Move a launch to `to`. Going live with baseline items open is refused, naming them,
    /// unless `gate_override` gives a reason: then it goes, and a decision records why.
    pub fn stage(
        &self,
        id: i64,
        to: Stage,
        gate_override: Option<&str>,
        user: &str,
        rules: &TierRules,
        now: NaiveDateTime,
    ) -> Result<StageMoved> {
        let tx = self.db.conn();
        let launch = launch_by_id(tx, id)?;
        move_stage(self.db, &launch, to, gate_override, user, rules, now)
    }

    /// Enter post-mortem with its record: the launch's post-mortem (one of `postmortems`,
    /// titled by the launch), each follow-up a decision with its owner and due day, linked to it.
    pub fn postmortem(
        &self,
        id: i64,
        pm: &PostMortem,
        follow_ups: &[FollowUpSpec],
        user: &str,
        rules: &TierRules,
        now: NaiveDateTime,
    ) -> Result<(StageMoved, Added)> {
        if let Some(f) = follow_ups.iter().find(|f| f.owner.trim().is_empty()) {
            return Err(Error::input(format!("follow-up '{}' needs an owner (who owns this?)", f.text.trim())));
        }
        let tx = self.db.conn();
        let launch = launch_by_id(tx, id)?;
        let moved = if launch.stage == Stage::PostMortem {
            StageMoved { from: launch.stage, to: launch.stage, decision_id: None }
        } else {
            move_stage(self.db, &launch, Stage::PostMortem, None, user, rules, now)?
        };
        let record = Record {
            worked: pm.worked.clone(),
            didnt: pm.didnt.clone(),
            outcome_metric: pm.outcome_metric.clone(),
            outcome_actual: pm.outcome_actual.clone(),
            outcome_goal: pm.outcome_goal.clone(),
        };
        let follow_ups: Vec<FollowUpSpec> = follow_ups.iter().filter(|f| !f.text.trim().is_empty()).cloned().collect();
        let added = postmortems::write_for_launch(tx, id, &launch.name, &record, &follow_ups, now)?;
        Ok((moved, added))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn setup() -> (Store, TierRules, NaiveDateTime, i64) {
        let s = Store::open_in_memory().unwrap();
        let rules = TierRules::defaults();
        let now = crate::clock::parse_now("2026-11-20T16:30").unwrap();
        let l = NewLaunch {
            name: "AI Assistant".into(),
            product: "Analytics".into(),
            owner: "Sam".into(),
            date: NaiveDate::from_ymd_opt(2027, 1, 15),
        };
        let id = s.write(|tx| tx.launches().add(&l, &rules, now)).unwrap();
        (s, rules, now, id)
    }

    fn key_of(s: &Store, id: i64, key: &str) -> crate::domain::launch::ReadinessItem {
        s.launches().items(id).unwrap().into_iter().find(|i| i.key == key).unwrap()
    }

    #[test]
    fn re_tiering_keeps_ticks_on_items_still_required_and_unrequires_the_rest() {
        let (s, rules, now, id) = setup();
        s.write(|tx| tx.launches().score(id, Scores::new(5, 4, 4).unwrap(), &rules, "dana", now)).unwrap();
        let l = s.launches().get(id).unwrap();
        assert_eq!((l.tier(), l.done, l.required), (Some(Tier(1)), 0, 13));
        let ticks = [key_of(&s, id, "customer-email").id, key_of(&s, id, "press-release").id];
        assert_eq!(s.write(|tx| tx.launches().tick(id, &ticks, "alex", now)).unwrap(), 2);
        s.write(|tx| tx.launches().score(id, Scores::new(3, 3, 3).unwrap(), &rules, "dana", now)).unwrap();
        let email = key_of(&s, id, "customer-email");
        assert!(email.required && email.is_done() && email.done_by.as_deref() == Some("alex"));
        let press = key_of(&s, id, "press-release");
        assert!(!press.required && press.is_done(), "kept, with its tick, but not required");
        assert!(key_of(&s, id, "blog-post").required);
        let l = s.launches().get(id).unwrap();
        assert_eq!((l.tier(), l.done, l.required), (Some(Tier(2)), 1, 8));
        assert_eq!(s.launches().detail(id).unwrap().tiers.len(), 2);
    }

    #[test]
    fn an_override_needs_a_reason_and_is_logged_as_a_decision() {
        let (s, rules, now, id) = setup();
        s.write(|tx| tx.launches().score(id, Scores::new(5, 4, 4).unwrap(), &rules, "dana", now)).unwrap();
        let e = s.write(|tx| tx.launches().set_tier(id, Tier(2), " ", "alex", &rules, now)).unwrap_err();
        assert!(e.to_string().contains("needs a reason"), "{e}");
        let d = s.write(|tx| tx.launches().set_tier(id, Tier(2), "beta only", "alex", &rules, now)).unwrap();
        assert!(d.is_some());
        let detail = s.launches().detail(id).unwrap();
        assert_eq!(detail.launch.tier(), Some(Tier(2)));
        let last = detail.tiers.last().unwrap();
        assert_eq!((last.from, last.to, last.overridden), (Some(Tier(1)), Tier(2), true));
        assert_eq!(last.reason.as_deref(), Some("beta only"));
        assert_eq!(detail.decisions.len(), 1);
        assert!(detail.decisions[0].title.contains("Tier 2") && detail.decisions[0].owner == "alex");
        // Back to the computed tier: no reason needed, no decision.
        assert_eq!(s.write(|tx| tx.launches().set_tier(id, Tier(1), "", "alex", &rules, now)).unwrap(), None);
        assert_eq!(s.launches().get(id).unwrap().tier_source(), Some(crate::domain::launch::TierSource::Computed));
    }

    #[test]
    fn the_gate_refuses_naming_the_open_items_until_ticked_or_overridden() {
        let (s, rules, now, id) = setup();
        s.write(|tx| tx.launches().stage(id, Stage::Qa, None, "alex", &rules, now)).unwrap();
        let e = s.write(|tx| tx.launches().stage(id, Stage::Launch, None, "alex", &rules, now)).unwrap_err();
        assert_eq!(e.kind().exit_code(), 2);
        assert!(e.to_string().contains("3 baseline items open: Tracking in place; Compliance reviewed"), "{e}");
        let base: Vec<i64> =
            s.launches().items(id).unwrap().iter().filter(|i| i.key != "compliance").map(|i| i.id).collect();
        s.write(|tx| tx.launches().tick(id, &base, "alex", now)).unwrap();
        let e = s.write(|tx| tx.launches().stage(id, Stage::Launch, None, "alex", &rules, now)).unwrap_err();
        assert!(e.to_string().contains("1 baseline item open: Compliance reviewed"), "{e}");
        let moved = s
            .write(|tx| tx.launches().stage(id, Stage::Launch, Some("legal signed off by mail"), "alex", &rules, now))
            .unwrap();
        assert!(moved.decision_id.is_some());
        let detail = s.launches().detail(id).unwrap();
        assert_eq!(detail.launch.stage, Stage::Launch);
        assert_eq!(detail.stages.last().unwrap().override_reason.as_deref(), Some("legal signed off by mail"));
        assert!(detail.decisions[0].title.contains("Compliance reviewed"));
    }

    #[test]
    fn entering_post_mortem_records_it_and_logs_follow_ups_with_owners() {
        let (s, rules, now, id) = setup();
        let all: Vec<i64> = s.launches().items(id).unwrap().iter().map(|i| i.id).collect();
        s.write(|tx| tx.launches().tick(id, &all, "alex", now)).unwrap();
        let pm = PostMortem { worked: "webinar".into(), outcome_metric: "pipeline".into(), ..PostMortem::default() };
        let due = now.date() + chrono::Duration::days(14);
        let no_owner = [FollowUpSpec { text: "Refresh battlecard".into(), owner: " ".into(), due }];
        assert!(s.write(|tx| tx.launches().postmortem(id, &pm, &no_owner, "alex", &rules, now)).is_err());
        let fu = [FollowUpSpec { text: "Refresh battlecard".into(), owner: "Jordan".into(), due }];
        let (_, added) = s.write(|tx| tx.launches().postmortem(id, &pm, &fu, "alex", &rules, now)).unwrap();
        assert_eq!(s.postmortems().get(added.id).unwrap().follow_ups[0].due, Some(due));
        let d = s.launches().detail(id).unwrap();
        assert_eq!(d.launch.stage, Stage::PostMortem);
        assert_eq!(d.postmortem.unwrap().1.worked, "webinar");
        assert_eq!((d.decisions[0].title.as_str(), d.decisions[0].owner.as_str()), ("Refresh battlecard", "Jordan"));
    }
}
