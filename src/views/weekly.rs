//! `report weekly`: the weekly performance review pack, the ONE computation behind the command
//! (markdown, html, json) and the review meeting's screen. Decisions due first; then the KPIs
//! against target with the week's anomalies and the notes that explain them; the running
//! experiments read out; post-mortem follow-ups due and overdue; the alerts fired.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::{Value, json};

use crate::brief::drill::Drill;
use crate::brief::learn::explaining;
use crate::brief::{Brief, Tile};
use crate::config::Config;
use crate::domain::anomaly::Anomaly;
use crate::domain::period_choice::Shown;
use crate::domain::postmortem::follow_through;
use crate::store::Store;
use crate::store::alerts::Firing;
use crate::store::decisions::Decision;
use crate::store::error::Result;
use crate::store::experiments::Status;
use crate::store::notes::Note;
use crate::store::postmortems::FollowUpRow;
use crate::views::experiments::{ReadoutView, view};

/// Bump when a field changes meaning or goes away (adding fields does not).
pub const SCHEMA: u32 = 1;

/// How far ahead decisions and follow-ups count as due: the week until the next review.
pub const AHEAD_DAYS: i64 = 7;

/// A headline KPI's month to date, day by day, for its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub metric: String,
    pub start: NaiveDate,
    pub days: u32,
    /// One value per day from `start` through the last complete day; NaN where a level has none.
    pub actual: Vec<f64>,
    pub target: Option<f64>,
    /// A running total (sums) or the level each day (ratios, averages).
    pub cumulative: bool,
    /// The notes on this chart, numbered in this order.
    pub notes: Vec<Note>,
}

/// One anomaly of the week with the notes that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekAnomaly {
    pub anomaly: Anomaly,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone)]
pub struct Weekly {
    pub now: NaiveDateTime,
    /// The week under review: the seven complete days through yesterday.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Open decisions due by a week from today (overdue first), undated ones left out.
    pub decisions_due: Vec<Decision>,
    /// The brief behind the KPIs (the month to date, as on the dashboard).
    pub brief: Brief,
    pub anomalies: Vec<WeekAnomaly>,
    /// Every note on the week's days (some explain no anomaly: still worth saying).
    pub notes: Vec<Note>,
    pub series: Vec<Series>,
    /// Running experiments, read out as of today.
    pub experiments: Vec<ReadoutView>,
    /// Open follow-ups due by a week from today, overdue first.
    pub follow_ups_due: Vec<FollowUpRow>,
    /// Share of follow-ups done by their due day, over all settled ones.
    pub follow_through: Option<f64>,
    /// Alert firings during the week (and today), oldest first.
    pub alerts_fired: Vec<Firing>,
}

/// The meeting template whose screen shows this pack: the weekly performance review.
pub const REVIEW_MEETING: &str = "performance-review";

/// The instant a meeting's pack is read as of: now, or the meeting's start once it has passed,
/// so a past meeting shows what it saw then and an upcoming one what it will be handed.
pub fn as_of(meeting_start: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
    meeting_start.min(now)
}

impl Weekly {
    pub fn build(store: &Store, config: &Config, now: NaiveDateTime) -> Result<Weekly> {
        let today = now.date();
        let to = today - Duration::days(1);
        let from = to - Duration::days(6);
        let ahead = today + Duration::days(AHEAD_DAYS);
        let brief = Brief::build(store, config, now)?;
        let decisions_due = store.decisions().needed(ahead)?.into_iter().filter(|d| d.due.is_some()).collect();
        let notes = store.notes().between(Some(from), Some(to))?;
        let mut anomalies: Vec<WeekAnomaly> = brief
            .anomalies
            .iter()
            .filter(|a| a.day >= from && a.day <= to)
            .map(|a| WeekAnomaly {
                anomaly: a.clone(),
                notes: explaining(&brief.notes, a).into_iter().cloned().collect(),
            })
            .collect();
        // The bad news first, the strongest first: what the meeting must explain.
        anomalies.sort_by(|a, b| a.anomaly.good.cmp(&b.anomaly.good).then(b.anomaly.z.total_cmp(&a.anomaly.z)));
        let series = brief.tiles.iter().map(|t| series(store, t, &brief.shown, today)).collect::<Result<_>>()?;
        let experiments = store
            .experiments()
            .all()?
            .into_iter()
            .filter(|e| e.status == Status::Running)
            .map(|e| view(store, e, today))
            .collect::<Result<_>>()?;
        let all_follow_ups = store.postmortems().follow_ups()?;
        let scored: Vec<_> = all_follow_ups.iter().filter_map(FollowUpRow::scored).collect();
        let follow_through = follow_through(&scored, today, None).share;
        let follow_ups_due =
            all_follow_ups.into_iter().filter(|f| f.status.is_open() && f.due.is_some_and(|d| d <= ahead)).collect();
        let alerts_fired = store.alerts().fired_between(from, today)?;
        Ok(Weekly {
            now,
            from,
            to,
            decisions_due,
            brief,
            anomalies,
            notes,
            series,
            experiments,
            follow_ups_due,
            follow_through,
            alerts_fired,
        })
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// The stable JSON shape (`report weekly --format json`). KPIs are the brief's own (money in
    /// integer cents), so the pack, the brief and the dashboard never disagree.
    pub fn json(&self) -> Value {
        let brief = crate::brief::to_json(&self.brief);
        let today = self.today();
        let decisions: Vec<Value> = self
            .decisions_due
            .iter()
            .map(|d| {
                json!({
                    "id": d.id, "title": d.title, "owner": d.owner, "due": d.due,
                    "overdue_days": d.due.map(|x| (today - x).num_days().max(0)),
                    "status": d.status, "recommendation": d.recommendation, "risk": d.risk,
                })
            })
            .collect();
        let anomalies: Vec<Value> = brief["anomalies"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|x| {
                        x["day"]
                            .as_str()
                            .is_some_and(|d| d >= self.from.to_string().as_str() && d <= self.to.to_string().as_str())
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        json!({
            "schema": SCHEMA,
            "generated_at": self.now.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "week": { "from": self.from, "to": self.to },
            "decisions_due": decisions,
            "kpis": { "period": brief["period"], "currency": brief["currency"], "kpis": brief["kpis"] },
            "anomalies": anomalies,
            "notes": self.notes,
            "experiments": self.experiments,
            "follow_ups": { "due": self.follow_ups_due, "follow_through": self.follow_through },
            "alerts_fired": self.alerts_fired,
            "alerts_in_breach": brief["alerts"],
        })
    }
}

/// A headline KPI over the period the brief shows (the month to date, or the month just closed
/// on the 1st), day by day, with the notes that speak about it.
fn series(store: &Store, t: &Tile, shown: &Shown, today: NaiveDate) -> Result<Series> {
    let d = Drill::build(store, &t.metric.key, shown, today)?;
    let n = d.current.iter().map(|(i, _)| *i as usize + 1).max().unwrap_or(0);
    let mut actual = vec![f64::NAN; n];
    for (i, v) in &d.current {
        actual[*i as usize] = *v;
    }
    let last = d.first_day + Duration::days(d.days as i64 - 1);
    let notes = store
        .notes()
        .between(Some(d.first_day), Some(last))?
        .into_iter()
        .filter(|n| n.note.speaks_about(&t.metric.key, None))
        .collect();
    Ok(Series {
        metric: t.metric.key.clone(),
        start: d.first_day,
        days: d.days as u32,
        actual,
        target: d.target,
        cumulative: d.cumulative,
        notes,
    })
}

/// Serialised as the JSON above (for `print_json`).
impl Serialize for Weekly {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}
