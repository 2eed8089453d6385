//! `experiment readout` and `experiment list`: one experiment read out as of today, and every
//! experiment with its leading comparison. The MCP tools `experiment_readout` and
//! `list_experiments` return these same values.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::experiment::{Action, Comparison, Progress, Readout, Verdict};
use crate::domain::model::DecisionStatus;
use crate::store::Store;
use crate::store::error::Result;
use crate::store::experiments::{Decision, Experiment, Recorded, Status};

/// A decision logged about the experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRef {
    pub id: i64,
    pub title: String,
    pub status: DecisionStatus,
}

/// `experiment readout ID --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadoutView {
    pub id: i64,
    pub name: String,
    pub metric: String,
    pub hypothesis: String,
    pub owner: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub status: Status,
    /// The latest day the counts are for.
    pub counts_through: Option<NaiveDate>,
    pub readout: Readout,
    /// Decisions linked to it (its `decide`, its post-mortem's follow-ups), newest first.
    pub decisions: Vec<DecisionRef>,
}

/// One line of `experiment list --format json`: the leading comparison's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub metric: String,
    pub owner: String,
    pub end: Option<NaiveDate>,
    pub status: Status,
    pub verdict: Verdict,
    pub action: Action,
    /// The variant the numbers are about (the one to ship, or the one leading).
    pub variant: Option<String>,
    pub relative_lift: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub chance_to_win: Option<f64>,
    pub progress: Progress,
    /// Share of the interval: the readout's confidence (0.95 at alpha 0.05).
    pub confidence: f64,
}

/// "+12.0%" for 0.12.
pub fn pct(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// "+12.1% relative (0.61 points of conversion)": what keeping control forgoes, in words; also
/// the risk a decision records.
pub fn risk_words(r: &Readout) -> String {
    match (r.recommendation.risk_of_doing_nothing, r.recommendation.risk_of_doing_nothing_points) {
        (Some(rel), Some(points)) => format!("{} relative ({:.2} points of conversion)", pct(rel), points * 100.0),
        (Some(rel), None) => format!("{} relative", pct(rel)),
        _ => "not known yet (no lift to read)".into(),
    }
}

/// `experiment decide` and the Learn tab's decide form: the decision logged against experiment
/// `id`, its risk the readout's risk of doing nothing as of `now`; returns the decision's id.
pub fn decide(store: &Store, id: i64, what: Decision, reason: &str, user: &str, now: NaiveDateTime) -> Result<i64> {
    store.write(|tx| {
        let risk = risk_words(&tx.experiments().get(id)?.readout(now.date()));
        tx.experiments().decide(id, what, reason, &risk, user, now)
    })
}

/// "experiment #3 decided: ship; logged as decision #41", as both faces confirm it.
pub fn decided_words(id: i64, what: Decision, decision: i64) -> String {
    format!("experiment #{id} decided: {}; logged as decision #{decision}", what.as_str())
}

/// "#3 short-form: 24238 visitors, 1139 conversions through 2026-11-19", as both faces confirm it.
pub fn recorded_words(id: i64, visitors: u64, conversions: u64, r: &Recorded) -> String {
    let replaced = r.replaced.map(|(v, c)| format!(" (replacing {v} / {c} for that day)")).unwrap_or_default();
    format!("#{id} {}: {visitors} visitors, {conversions} conversions through {}{replaced}", r.variant, r.day)
}

/// The comparison the recommendation is about.
pub fn leading(r: &Readout) -> Option<&Comparison> {
    let name = r.recommendation.variant.as_deref()?;
    r.comparisons.iter().find(|c| c.variant == name)
}

pub fn view(store: &Store, e: Experiment, today: NaiveDate) -> Result<ReadoutView> {
    let readout = e.readout(today);
    let decisions = store
        .experiments()
        .decisions(e.id)?
        .into_iter()
        .map(|(id, title, status)| DecisionRef { id, title, status })
        .collect();
    Ok(ReadoutView {
        id: e.id,
        name: e.name,
        metric: e.metric,
        hypothesis: e.hypothesis,
        owner: e.owner,
        start: e.start,
        end: e.end,
        status: e.status,
        counts_through: e.counts_through,
        readout,
        decisions,
    })
}

/// Experiment `id` read out as of `today`.
pub fn readout(store: &Store, id: i64, today: NaiveDate) -> Result<ReadoutView> {
    view(store, store.experiments().get(id)?, today)
}

pub fn row(e: &Experiment, today: NaiveDate) -> ListRow {
    let r = e.readout(today);
    let lift = leading(&r).and_then(|c| c.lift);
    ListRow {
        id: e.id,
        name: e.name.clone(),
        metric: e.metric.clone(),
        owner: e.owner.clone(),
        end: e.end,
        status: e.status,
        verdict: r.verdict,
        action: r.recommendation.action,
        variant: r.recommendation.variant.clone(),
        relative_lift: lift.map(|l| l.relative),
        ci_low: lift.map(|l| l.ci_low),
        ci_high: lift.map(|l| l.ci_high),
        chance_to_win: lift.map(|l| l.chance_to_win),
        progress: r.progress,
        confidence: 1.0 - r.settings.alpha,
    }
}

/// Every experiment, running first, each read out as of `today`.
pub fn list(store: &Store, today: NaiveDate) -> Result<Vec<ListRow>> {
    Ok(store.experiments().all()?.iter().map(|e| row(e, today)).collect())
}
