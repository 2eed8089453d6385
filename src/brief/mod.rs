//! The morning brief: the ONE computation behind the dashboard screen, `mktg brief` (text,
//! Markdown, JSON) and the executive report's KPI headline. Every number on those comes from
//! [`Brief::build`], so the screen, the brief and the report never disagree.

mod attention;
mod compete;
pub mod drill;
mod json;
pub mod learn;
pub mod render;
pub mod report;
pub mod scan;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

pub use attention::{Attention, AttentionKind, Link};
pub use json::to_json;
pub use render::{kpi_headline_markdown, to_markdown, to_text};

use crate::config::Config;
use crate::domain::anomaly::{self, Anomaly};
use crate::domain::feeds::{
    AgendaFocus, AgendaItem, BudgetBurn, CampaignAlert, DecisionDue, LaunchAlert, agenda_focus,
};
use crate::domain::funnel::{self, STAGES};
use crate::domain::kpi::{self, Cube, Frame, Metric, TargetSource};
use crate::domain::pacing::{Pace, PaceStatus, pace};
use crate::domain::period::{Grain, Period};
use crate::store::Store;
use crate::store::error::Result;
use crate::store::notes::Note;
use crate::store::postmortems::FollowUpRow;

/// A metric off pace by more than this (on its bad side) goes on the attention list.
pub const PACE_TOLERANCE: f64 = 0.10;
/// Days of history in a tile's sparkline.
pub const SPARK_DAYS: i64 = 28;
/// Anomalies are looked for in this many latest complete days (a Monday still sees Friday).
pub const ANOMALY_DAYS: i64 = 7;

/// One headline KPI for the current period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tile {
    pub metric: Metric,
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// Whether the target was set by the user or is still the role template's default.
    pub target_source: Option<TargetSource>,
    /// Today's value so far: shown beside the tile, counted in pacing from tomorrow.
    pub today: Option<f64>,
    /// Where the value should be by now: the target x complete share (sums) or the target (levels).
    pub expected: Option<f64>,
    pub pace: Option<Pace>,
    /// The same metric over the previous comparable span.
    pub previous: Option<f64>,
    /// value / previous - 1.
    pub change: Option<f64>,
    /// Daily values over the last [`SPARK_DAYS`] complete days (0 where nothing was observed).
    pub spark: Vec<f64>,
    /// For a win rate read from deal outcomes: the closed deals it is over (its n).
    pub deals: Option<u64>,
}

impl Tile {
    /// Off pace on the metric's bad side (leads under, spend over) beyond the tolerance.
    pub fn behind(&self) -> bool {
        match self.pace {
            Some(p) if self.metric.good_when_up() => p.status == PaceStatus::Under,
            Some(p) => p.status == PaceStatus::Over,
            None => false,
        }
    }

    /// The target in force is the role template's, not one the user set.
    pub fn template_target(&self) -> bool {
        self.target_source == Some(TargetSource::Template)
    }

    /// Pace verdict in the metric's own terms: good, bad, or on track.
    pub fn pace_good(&self) -> Option<bool> {
        let p = self.pace?;
        match p.status {
            PaceStatus::OnTrack | PaceStatus::NotYet => None,
            _ => kpi::is_good(&self.metric, p.deviation),
        }
    }
}

/// Everything the morning needs, computed once.
#[derive(Debug, Clone)]
pub struct Brief {
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    /// Data is complete through this day (yesterday).
    pub data_through: NaiveDate,
    pub grain: Grain,
    pub frame: Frame,
    pub currency: String,
    pub tiles: Vec<Tile>,
    pub funnel: Vec<funnel::Stage>,
    pub burn: BudgetBurn,
    pub agenda: Vec<AgendaItem>,
    pub focus: AgendaFocus,
    pub decisions_due: Vec<DecisionDue>,
    pub anomalies: Vec<Anomaly>,
    pub campaign_alerts: Vec<CampaignAlert>,
    pub launch_alerts: Vec<LaunchAlert>,
    /// Battlecards due for their owner's refresh (`compete`).
    pub stale_cards: Vec<compete::StaleCard>,
    /// Ranked: the first line is the first thing to look at.
    pub attention: Vec<Attention>,
    /// Every metric (for the entry form's completion).
    pub metrics: Vec<Metric>,
    /// Channels the headline metrics have facts in (for the entry form's completion).
    pub channels: Vec<String>,
    /// Notes on the days the brief reads (those explaining an anomaly: `learn::explaining`).
    pub notes: Vec<Note>,
    /// Every alert rule read against these tiles and its stored state (`alert check` stores them).
    pub alerts: Vec<learn::AlertCheck>,
    /// Post-mortem follow-ups open past their due day.
    pub follow_ups_overdue: Vec<FollowUpRow>,
}

impl Brief {
    /// The brief for the month to date: the default view.
    pub fn build(store: &Store, config: &Config, now: NaiveDateTime) -> Result<Brief> {
        Brief::build_for(store, config, now, Grain::Month)
    }

    /// The brief with KPIs for the `grain` (day / week / month / quarter) containing `now`.
    pub fn build_for(store: &Store, config: &Config, now: NaiveDateTime, grain: Grain) -> Result<Brief> {
        let today = now.date();
        let yesterday = today - Duration::days(1);
        let frame = Frame::at(grain, today);
        let metrics = store.kpis().metrics()?;
        let headline = headline(&metrics);
        let funnel_metrics: Vec<&Metric> = STAGES.iter().filter_map(|k| metrics.iter().find(|m| m.key == *k)).collect();
        let from = window_start(&frame, yesterday);
        let rules = store.alerts().all()?;
        let watched: Vec<&Metric> =
            rules.iter().filter_map(|r| metrics.iter().find(|m| m.key == r.rule.metric)).collect();
        let read = headline.iter().chain(funnel_metrics.iter()).chain(watched.iter()).copied();
        // Daily totals from the rollups: a row per metric and day, whatever the density.
        let cube = store.kpis().daily_totals(&inputs(read), from, yesterday)?;
        let targets = store.kpis().targets()?;
        let mut tiles: Vec<Tile> = headline.iter().map(|m| tile(m, &cube, &frame, &targets, yesterday)).collect();
        // Today is not complete: what is recorded for it is shown apart, never paced.
        let today_cube = store.kpis().cube(&inputs(headline.iter().copied()), today, today)?;
        for t in &mut tiles {
            t.today = kpi::value(&t.metric, &today_cube, None, today, today);
        }
        let alerts = rules
            .into_iter()
            .filter_map(|r| {
                let m = metrics.iter().find(|m| m.key == r.rule.metric)?;
                let t = tiles.iter().find(|t| t.metric.key == m.key).cloned();
                let t = t.unwrap_or_else(|| tile(m, &cube, &frame, &targets, yesterday));
                Some(learn::check(r.rule.clone(), r.state, learn::observe(&r.rule, m, &t, &cube, &frame)))
            })
            .collect();
        let notes = store.notes().between(Some(from), Some(yesterday))?;
        let follow_ups_overdue = store.postmortems().overdue(today)?;
        let funnel = funnel_stages(&funnel_metrics, &cube, &frame);
        let anomalies = scan::anomalies(store, &headline, &cube, yesterday)?;
        let agenda = store.cadence().agenda(today)?;
        let focus = agenda_focus(&agenda, now);
        let decisions_due = store.decisions().due(today)?;
        let campaign_alerts = store.budget().alerts(today)?;
        let launch_alerts = store.launches().alerts(today, &config.tiers)?;
        let stale_cards = compete::stale_cards(store, today, &config.compete)?;
        let burn = store.budget().burn(today)?;
        let currency = store.meta().currency();
        let firsts: Vec<String> = headline.iter().filter_map(|m| m.inputs().into_iter().next()).collect();
        let channels = store.kpis().channels_of(&firsts)?;
        let mut brief = Brief {
            now,
            today,
            data_through: yesterday,
            grain,
            frame,
            currency,
            tiles,
            funnel,
            burn,
            agenda,
            focus,
            decisions_due,
            anomalies,
            campaign_alerts,
            launch_alerts,
            stale_cards,
            attention: Vec::new(),
            metrics,
            channels,
            notes,
            alerts,
            follow_ups_overdue,
        };
        brief.attention = attention::rank(&brief);
        Ok(brief)
    }

    /// The period being shown, e.g. "Nov 2026 to date (19 of 30 days)".
    pub fn period_label(&self) -> String {
        let p: &Period = &self.frame.period;
        match (self.grain, self.frame.current) {
            (Grain::Day, _) => format!("{} (latest complete day)", p.label()),
            (_, Some(span)) => format!("{} to date ({} of {} days)", p.label(), span.days(), p.days()),
            (_, None) => format!("{} (first day: nothing complete yet)", p.label()),
        }
    }

    /// A value in the metric's unit, as people read it.
    pub fn fmt(&self, m: &Metric, v: f64, short: bool) -> String {
        kpi::format_value(m.unit, v, &self.currency, short)
    }
}

/// The dashboard's tiles, in their order.
pub fn headline(metrics: &[Metric]) -> Vec<&Metric> {
    let mut h: Vec<&Metric> = metrics.iter().filter(|m| m.headline > 0).collect();
    h.sort_by_key(|m| m.headline);
    h
}

/// The first day any part of the brief needs: the previous comparable span, the sparkline,
/// and the anomaly baselines. Everything before it is never read.
pub fn window_start(frame: &Frame, yesterday: NaiveDate) -> NaiveDate {
    let anomaly_from = yesterday - Duration::days(ANOMALY_DAYS - 1 + 7 * anomaly::MAX_WEEKS as i64);
    let spark_from = yesterday - Duration::days(SPARK_DAYS - 1);
    let prev_from = frame.previous.map(|s| s.from).unwrap_or(yesterday);
    anomaly_from.min(spark_from).min(prev_from)
}

/// The base metrics to fetch for `metrics` (ratios bring their parts), without repeats.
pub fn inputs<'a>(metrics: impl Iterator<Item = &'a Metric>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in metrics {
        for k in m.inputs() {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

fn tile(m: &Metric, cube: &Cube, frame: &Frame, targets: &[(String, String, f64)], yesterday: NaiveDate) -> Tile {
    let mine: Vec<(String, f64)> =
        targets.iter().filter(|(k, _, _)| *k == m.key).map(|(_, p, v)| (p.clone(), *v)).collect();
    let value = frame.current.and_then(|s| kpi::value(m, cube, None, s.from, s.to));
    let previous = frame.previous.and_then(|s| kpi::value(m, cube, None, s.from, s.to));
    let (target, target_source) = kpi::target_with_source(m, &frame.period, &mine).unzip();
    let share = if m.is_additive() { frame.share } else { 1.0 };
    let pace = match (value, target) {
        (Some(v), Some(t)) => Some(pace(v, t, share, PACE_TOLERANCE)),
        _ => None,
    };
    let expected = target.map(|t| t * share);
    let spark = (0..SPARK_DAYS)
        .rev()
        .map(|back| {
            let d = yesterday - Duration::days(back);
            kpi::value(m, cube, None, d, d).unwrap_or(0.0)
        })
        .collect();
    // A win rate from deal outcomes is never shown without its n: won + lost, the denominator.
    let deals = frame.current.filter(|_| m.from_deals()).map(|s| kpi::volume(m, cube, None, s.from, s.to) as u64);
    Tile {
        metric: m.clone(),
        value,
        target,
        target_source,
        today: None,
        expected,
        pace,
        previous,
        change: kpi::change(value, previous),
        spark,
        deals,
    }
}

fn funnel_stages(stages: &[&Metric], cube: &Cube, frame: &Frame) -> Vec<funnel::Stage> {
    let counts: Vec<(String, String, f64, Option<f64>)> = stages
        .iter()
        .map(|m| {
            let now = frame.current.and_then(|s| kpi::value(m, cube, None, s.from, s.to)).unwrap_or(0.0);
            let prev = frame.previous.and_then(|s| kpi::value(m, cube, None, s.from, s.to));
            (m.key.clone(), m.label.clone(), now, prev)
        })
        .collect();
    funnel::build(&counts)
}
