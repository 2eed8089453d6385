//! Headline tiles and the funnel for the period shown: value, target, a pace that knows the
//! calendar, a comparison with the previous period that lines weekdays up, and a sparkline.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::{PACE_TOLERANCE, SPARK_DAYS};
use crate::domain::calendar::{Pacing, WeekdayProfile};
use crate::domain::funnel;
use crate::domain::kpi::{self, Cube, Metric, TargetSource};
use crate::domain::pacing::{Pace, PaceStatus, pace};
use crate::domain::period_choice::Shown;

use super::fresh::Feed;

/// One headline KPI for the period shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tile {
    pub metric: Metric,
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// Whether the target was set by the user or is still the role template's default.
    pub target_source: Option<TargetSource>,
    /// Today's value so far: shown beside the tile, counted in pacing from tomorrow.
    pub today: Option<f64>,
    /// Where the value should be by now: the target x the expected share (sums) or the target (levels).
    pub expected: Option<f64>,
    pub pace: Option<Pace>,
    /// The share of the period's volume expected by now: elapsed days weighted by the metric's
    /// weekday profile and the holidays (1 once the period is closed).
    pub share: f64,
    /// The period is over: the value is its result.
    pub closed: bool,
    /// A sum past its whole target already: spend over its budget before the month is out.
    pub over_target: Option<f64>,
    /// The previous period over the days aligned with this one's.
    pub previous: Option<f64>,
    /// This period's aligned days against the previous period's: value / previous - 1.
    pub change: Option<f64>,
    /// Daily values over the last [`SPARK_DAYS`] days shown (0 where nothing was observed).
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

    /// Off pace on the metric's good side: worth a line of good news.
    pub fn ahead(&self) -> bool {
        match self.pace {
            Some(p) if self.metric.good_when_up() => p.status == PaceStatus::Over,
            Some(p) => p.status == PaceStatus::Under,
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
            PaceStatus::Over | PaceStatus::Under => kpi::is_good(&self.metric, p.deviation),
            _ => None,
        }
    }

    pub fn stale(&self) -> bool {
        self.pace.is_some_and(|p| p.status == PaceStatus::Stale)
    }
}

/// Everything a tile is computed from, shared by all of them.
pub(super) struct TileCtx<'a> {
    pub cube: &'a Cube,
    pub shown: &'a Shown,
    pub targets: &'a [(String, String, f64)],
    pub profiles: &'a HashMap<String, WeekdayProfile>,
    pub pacing: &'a Pacing,
    pub feeds: &'a [Feed],
    pub compared: &'a (Vec<NaiveDate>, Vec<NaiveDate>),
    pub spark_to: NaiveDate,
}

impl TileCtx<'_> {
    /// The weekday profile a metric is paced by: its own, or a ratio's denominator's.
    fn profile(&self, m: &Metric) -> WeekdayProfile {
        let key = m.ratio().and_then(|f| f.den.first().cloned()).unwrap_or_else(|| m.key.clone());
        self.profiles.get(&key).copied().unwrap_or_default()
    }

    pub fn tile(&self, m: &Metric) -> Tile {
        let period = self.shown.period;
        let mine: Vec<(String, f64)> =
            self.targets.iter().filter(|(k, _, _)| *k == m.key).map(|(_, p, v)| (p.clone(), *v)).collect();
        let value = self.shown.through.and_then(|t| kpi::value(m, self.cube, None, period.start, t));
        let (target, target_source) = kpi::target_with_source(m, &period, &mine).unzip();
        let share = match (self.shown.closed, self.shown.through) {
            (true, _) => 1.0,
            (false, Some(t)) => self.profile(m).expected_share(&period, t, &self.pacing.calendar),
            (false, None) => 0.0,
        };
        let pace_share = if m.is_additive() { share } else { 1.0 };
        let over_target = match (value, target) {
            (Some(v), Some(t)) if m.is_additive() && t > 0.0 && v > t => Some(v - t),
            _ => None,
        };
        let pace = match (value, target) {
            (Some(v), Some(t)) => Some(self.verdict(m, pace(v, t, pace_share, PACE_TOLERANCE), share, over_target)),
            _ => None,
        };
        let (cur, old) = self.compared;
        let previous = kpi::value_on(m, self.cube, None, old);
        let change = kpi::change(kpi::value_on(m, self.cube, None, cur), previous);
        let spark = (0..SPARK_DAYS)
            .rev()
            .map(|back| {
                let d = self.spark_to - Duration::days(back);
                kpi::value(m, self.cube, None, d, d).unwrap_or(0.0)
            })
            .collect();
        // A win rate from deal outcomes is never shown without its n: won + lost, the denominator.
        let deals = self
            .shown
            .through
            .filter(|_| m.from_deals())
            .map(|t| kpi::volume(m, self.cube, None, period.start, t) as u64);
        Tile {
            metric: m.clone(),
            value,
            target,
            target_source,
            today: None,
            expected: target.map(|t| t * pace_share),
            pace,
            share,
            closed: self.shown.closed,
            over_target,
            previous,
            change,
            spark,
            deals,
        }
    }

    /// The pace verdict with the calendar's rules: none before the minimum share; a cost past its
    /// whole target is over whatever the pace; a shortfall the quiet feeds explain is stale.
    fn verdict(&self, m: &Metric, mut p: Pace, share: f64, over_target: Option<f64>) -> Pace {
        if p.status == PaceStatus::NotYet {
            return p;
        }
        if !self.shown.closed && share < self.pacing.min_share {
            p.status = PaceStatus::TooEarly;
            return p;
        }
        if over_target.is_some() && !m.good_when_up() {
            p.status = PaceStatus::Over;
            return p;
        }
        if self.explained_by_quiet_feeds(m, &p) {
            p.status = PaceStatus::Stale;
        }
        p
    }

    /// True when quiet feeds, not performance, may be behind the verdict. A quiet feed carrying
    /// a material share of an input makes any shortfall of a sum (and any reading off the band
    /// of a ratio or a level) stale. Quieter trickles only explain a bad verdict when what each
    /// usually brings a day, times the days it missed, added back (to a ratio's parts for a
    /// ratio) brings the figure within the tolerance.
    fn explained_by_quiet_feeds(&self, m: &Metric, p: &Pace) -> bool {
        let inputs = m.inputs();
        let quiet: Vec<&Feed> = self.feeds.iter().filter(|f| f.fresh.stale && inputs.contains(&f.metric)).collect();
        let Some(through) = self.shown.through else { return false };
        if quiet.is_empty() || p.expected <= 0.0 {
            return false;
        }
        let shortfall = if m.is_additive() {
            p.status == PaceStatus::Under
        } else {
            p.status.is_verdict() && p.status != PaceStatus::OnTrack
        };
        if shortfall && quiet.iter().any(|f| f.share >= super::fresh::MATERIAL_SHARE) {
            return true;
        }
        let bad = if m.good_when_up() { p.status == PaceStatus::Under } else { p.status == PaceStatus::Over };
        if !bad {
            return false;
        }
        let start = self.shown.period.start;
        let missing = |keys: &[String]| -> f64 {
            quiet
                .iter()
                .filter(|f| keys.contains(&f.metric))
                .map(|f| {
                    let from = (f.fresh.last + Duration::days(1)).max(start);
                    f.daily_rate * ((through - from).num_days() + 1).max(0) as f64
                })
                .sum()
        };
        let within = |v: f64| {
            let d = v / p.expected - 1.0;
            d.abs() <= PACE_TOLERANCE || (d > 0.0) == m.good_when_up()
        };
        match m.ratio() {
            Some(f) => {
                let (num, den) = kpi::ratio_parts(&f, self.cube, None, start, through);
                let den = den.sum + missing(&f.den);
                let scale = if m.unit == crate::domain::model::Unit::Percent { 100.0 } else { 1.0 };
                den > 0.0 && within((num.sum + missing(&f.num)) / den * scale)
            }
            None if m.is_additive() => within(p.actual + missing(&inputs)),
            None => false,
        }
    }

    /// The funnel for the period shown, against the previous period's aligned days.
    pub fn funnel(&self, stages: &[&Metric]) -> Vec<funnel::Stage> {
        let old = &self.compared.1;
        let period = self.shown.period;
        let counts: Vec<(String, String, f64, Option<f64>)> = stages
            .iter()
            .map(|m| {
                let now = self.shown.through.and_then(|t| kpi::value(m, self.cube, None, period.start, t));
                let prev = kpi::value_on(m, self.cube, None, old);
                (m.key.clone(), m.label.clone(), now.unwrap_or(0.0), prev)
            })
            .collect();
        funnel::build(&counts)
    }
}
