//! The morning brief: the ONE computation behind the dashboard screen, `mktg brief` (text,
//! Markdown, JSON) and the executive report's KPI headline. Every number on those comes from
//! [`Brief::build_at`], so the screen, the brief and the report never disagree.
//!
//! What it knows about the calendar: which period to show (never a blank one: on the 1st the
//! month just closed, named), each feed's freshness (a feed gone quiet is said so, and its
//! shortfall is "stale", not "behind"), pacing weighted by each metric's weekday profile and the
//! configured holidays ("too early to call" before a minimum share is in), and comparisons
//! with the previous period that line weekdays up.

pub mod attention;
mod compete;
pub mod drill;
pub mod fresh;
mod json;
mod keeps;
pub mod kept;
pub mod learn;
mod mentor;
pub mod render;
pub mod report;
pub mod scan;
mod tiles;

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use crate::domain::attention::{Attention, Group, Link, Moment};
pub use fresh::{Feed, StaleGroup};
pub use json::to_json;
use keeps::Keeps;
pub use render::{kpi_headline_markdown, to_markdown, to_text};
pub use tiles::Tile;

use crate::config::Config;
use crate::domain::anomaly::{self, Anomaly};
use crate::domain::calendar::{PROFILE_WEEKS, WeekdayProfile, aligned_days};
use crate::domain::feeds::{
    AgendaFocus, AgendaItem, BudgetBurn, CampaignAlert, DecisionDue, LaunchAlert, NextMeeting, agenda_focus,
};
use crate::domain::funnel::{self, STAGES};
use crate::domain::kpi::{self, Frame, Metric};
use crate::domain::period::{Grain, Period};
use crate::domain::period_choice::{PeriodChoice, Shown};
use crate::store::Store;
use crate::store::budget::OverPlan;
use crate::store::error::Result;
use crate::store::notes::Note;
use crate::store::postmortems::FollowUpRow;

/// A metric off pace by more than this (on its bad side) goes on the attention list.
pub const PACE_TOLERANCE: f64 = 0.10;
/// Days of history in a tile's sparkline.
pub const SPARK_DAYS: i64 = 28;
/// Anomalies are looked for in this many latest complete days (a Monday still sees Friday).
pub const ANOMALY_DAYS: i64 = 7;

/// Everything the morning needs, computed once. Kept in the store for its data generation
/// (`kept`) but for the parts that depend on the minute: `now`, the agenda, its focus and the
/// next meeting, read live (`#[serde(skip)]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Brief {
    #[serde(skip)]
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    /// The latest day any feed has data for: yesterday when everything is current.
    pub data_through: NaiveDate,
    /// What was asked for (`--period`, `p`), and the period it resolved to.
    pub choice: PeriodChoice,
    pub shown: Shown,
    pub grain: Grain,
    pub frame: Frame,
    /// The days compared with the previous period, and theirs: weekdays aligned, holidays out.
    pub compared: (Vec<NaiveDate>, Vec<NaiveDate>),
    pub currency: String,
    pub tiles: Vec<Tile>,
    pub funnel: Vec<funnel::Stage>,
    pub burn: BudgetBurn,
    #[serde(skip)]
    pub agenda: Vec<AgendaItem>,
    #[serde(skip)]
    pub focus: AgendaFocus,
    /// The next meeting from now, today or on a later day.
    #[serde(skip)]
    pub next_meeting: Option<NextMeeting>,
    pub decisions_due: Vec<DecisionDue>,
    pub anomalies: Vec<Anomaly>,
    pub campaign_alerts: Vec<CampaignAlert>,
    pub launch_alerts: Vec<LaunchAlert>,
    /// Battlecards due for their owner's refresh (`compete`).
    pub stale_cards: Vec<compete::StaleCard>,
    /// Campaigns spent past their plan and not acknowledged.
    pub over_plan: Vec<OverPlan>,
    /// Each quiet source's first stale feed (every feed is judged while the brief is computed;
    /// only these are read afterwards), and the quiet feeds grouped by source.
    pub feeds: Vec<Feed>,
    pub stale: Vec<StaleGroup>,
    /// Ranked within its groups: off track, due, at risk, good news.
    #[serde(with = "kept::attention")]
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
    /// Below this share of a period's expected volume, no pacing verdict.
    pub min_share: f64,
}

impl Brief {
    /// The brief for the month to date (or the month just closed): the default view.
    pub fn build(store: &Store, config: &Config, now: NaiveDateTime) -> Result<Brief> {
        Brief::build_at(store, config, now, PeriodChoice::default())
    }

    /// The brief with KPIs for the `grain` to date (day / week / month / quarter).
    pub fn build_for(store: &Store, config: &Config, now: NaiveDateTime, grain: Grain) -> Result<Brief> {
        Brief::build_at(store, config, now, PeriodChoice::ToDate(grain))
    }

    /// The brief with KPIs for the period `choice` resolves to at `now`: its day part as kept for
    /// the store's data generation when it is (`kept`), else computed and kept.
    pub fn build_at(store: &Store, config: &Config, now: NaiveDateTime, choice: PeriodChoice) -> Result<Brief> {
        kept::build(store, config, now, choice)
    }

    /// The brief computed afresh from the store, never read from what is kept (see `build_at`).
    pub fn compute(store: &Store, config: &Config, now: NaiveDateTime, choice: PeriodChoice) -> Result<Brief> {
        Keeps::at_once(store, |keeps| Brief::compute_keeping(store, config, now, choice, keeps))
    }

    /// [`Brief::compute`] with what it derived for the next reader (judged feeds, channel scan)
    /// left in `keeps`, to be kept with the brief itself in one transaction (`kept::build`).
    fn compute_keeping(
        store: &Store,
        config: &Config,
        now: NaiveDateTime,
        choice: PeriodChoice,
        keeps: &mut Keeps,
    ) -> Result<Brief> {
        let today = now.date();
        let yesterday = today - Duration::days(1);
        let cal = &config.pacing.calendar;
        let metrics = store.kpis().metrics()?;
        let base = inputs(metrics.iter());
        let data_through = store.kpis().last_day(&base, yesterday)?.unwrap_or(yesterday);
        let shown = choice.resolve(today, data_through)?;
        let headline = headline(&metrics);
        let funnel_metrics: Vec<&Metric> = STAGES.iter().filter_map(|k| metrics.iter().find(|m| m.key == *k)).collect();
        let from = window_start(&shown, yesterday, data_through);
        // Daily totals from the rollups: a row per metric and day, whatever the density. Tiles,
        // pacing, weekday profiles, the funnel and total anomalies read these.
        let cube = store.kpis().daily_totals(&base, from, yesterday)?;
        let profiles: HashMap<String, WeekdayProfile> = base
            .iter()
            .map(|k| {
                let from = data_through - Duration::days(7 * PROFILE_WEEKS - 1);
                (k.clone(), WeekdayProfile::learn(&cube.daily(k, None, from, data_through), cal))
            })
            .collect();
        // Freshness is per source (channel), over the weeks each feed's rhythm is learned from:
        // read from the rollups by channel, not from the facts. Only the quiet feeds are read on.
        let learn_from = learn_start(data_through).min(yesterday);
        let feeds = fresh::kpi_feeds_keeping(
            store,
            &cube,
            &base,
            (learn_from, yesterday, data_through),
            fresh::Which::Quiet,
            keeps,
        )?;
        let compare_to = shown.through.map(|t| t.min(data_through));
        let compared = match compare_to {
            Some(to) => aligned_days(&shown.period, shown.period.start, to, cal),
            None => (Vec::new(), Vec::new()),
        };
        let targets = store.kpis().targets()?;
        let ctx = tiles::TileCtx {
            cube: &cube,
            shown: &shown,
            targets: &targets,
            profiles: &profiles,
            pacing: &config.pacing,
            feeds: &feeds,
            compared: &compared,
            spark_to: shown.through.unwrap_or(yesterday),
        };
        let mut tiles: Vec<Tile> = headline.iter().map(|m| ctx.tile(m)).collect();
        // Today is not complete: what is recorded for it is shown apart, never paced.
        let today_cube = store.kpis().cube(&inputs(headline.iter().copied()), today, today)?;
        for t in &mut tiles {
            t.today = kpi::value(&t.metric, &today_cube, None, today, today);
        }
        let rules = store.alerts().all()?;
        let frame = Frame::of(&shown);
        let alerts = rules
            .into_iter()
            .filter_map(|r| {
                let m = metrics.iter().find(|m| m.key == r.rule.metric)?;
                let t = tiles.iter().find(|t| t.metric.key == m.key).cloned().unwrap_or_else(|| ctx.tile(m));
                Some(learn::check(r.rule.clone(), r.state, learn::observe(&r.rule, m, &t, &cube, &frame)))
            })
            .collect();
        let notes = store.notes().between(Some(from), Some(yesterday))?;
        let follow_ups_overdue = store.postmortems().overdue(today)?;
        let funnel = ctx.funnel(&funnel_metrics);
        let mut anomalies = scan::anomalies(store, &headline, &cube, yesterday, keeps)?;
        // A holiday is quiet by design, not an anomaly.
        anomalies.retain(|a| !cal.is_holiday(a.day));
        let (agenda, focus, next_meeting) = live(store, config, now)?;
        let decisions_due = store.decisions().due(today)?;
        let launch_alerts = store.launches().alerts(today, &config.tiers)?;
        let stale_cards = compete::stale_cards(store, today, &config.compete)?;
        let spend_profile = profiles.get("spend").copied().unwrap_or_default();
        let quarter = Period::containing(Grain::Quarter, today);
        let paced = store.budget().paced(&quarter, today, &config.pacing, &spend_profile)?;
        let mut burn = paced.burn();
        let campaign_alerts = paced.alerts();
        let mut campaign_feeds = fresh::campaign_feeds(&paced);
        // Campaigns of the quarter the data stopped in went quiet too, even if it has ended; with
        // nothing planned yet this quarter, that quarter's burn is the one worth showing.
        let data_quarter = Period::containing(Grain::Quarter, data_through);
        if data_quarter != quarter {
            let earlier = store.budget().paced(&data_quarter, today, &config.pacing, &spend_profile)?;
            campaign_feeds.extend(fresh::campaign_feeds(&earlier));
            if burn.planned_cents == 0 {
                burn = earlier.burn();
            }
        }
        let over_plan: Vec<OverPlan> = store.budget().over_plan(today)?.into_iter().filter(|o| o.open()).collect();
        let stale = fresh::stale_groups(&feeds, &campaign_feeds, &metrics, &config.feed_owners);
        let currency = store.meta().currency();
        let firsts: Vec<String> = headline.iter().filter_map(|m| m.inputs().into_iter().next()).collect();
        let channels = store.kpis().channels_of(&firsts)?;
        // From here on, only a source's first stale feed is read (attention links a quiet source
        // to it); the rest, thousands on a dense store whose data stopped, would be kept for nothing.
        let mut feeds = feeds;
        let mut sources = std::collections::HashSet::new();
        feeds.retain(|f| f.fresh.stale && sources.insert(f.channel.clone()));
        let mut brief = Brief {
            now,
            today,
            data_through,
            choice,
            shown,
            grain: shown.period.grain,
            frame: Frame::of(&shown),
            compared,
            currency,
            tiles,
            funnel,
            burn,
            agenda,
            focus,
            next_meeting,
            decisions_due,
            anomalies,
            campaign_alerts,
            launch_alerts,
            stale_cards,
            over_plan,
            feeds,
            stale,
            attention: Vec::new(),
            metrics,
            channels,
            notes,
            alerts,
            follow_ups_overdue,
            min_share: config.pacing.min_share,
        };
        brief.attention = attention::gather(&brief, store, config)?;
        Ok(brief)
    }

    /// The period being shown: "Nov 2026 to date (19 of 30 days)", "November 2026, closed".
    pub fn period_label(&self) -> String {
        self.shown.label()
    }

    /// The moment attention sources look from.
    pub fn moment(&self) -> Moment {
        Moment { now: self.now, today: self.today, data_through: self.data_through, currency: self.currency.clone() }
    }

    /// A value in the metric's unit, as people read it.
    pub fn fmt(&self, m: &Metric, v: f64, short: bool) -> String {
        kpi::format_value(m.unit, v, &self.currency, short)
    }
}

/// The parts of a brief that depend on the minute, not on the day: today's agenda, where `now`
/// falls in it, and the next meeting from `now`. Read live on every brief, kept or not.
fn live(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
) -> Result<(Vec<AgendaItem>, AgendaFocus, Option<NextMeeting>)> {
    let cal = &config.pacing.calendar;
    let agenda = store.cadence().agenda_on(now.date(), cal)?;
    let focus = agenda_focus(&agenda, now);
    let next_meeting = store.cadence().next_meeting_after(now, cal, agenda.clone())?;
    Ok((agenda, focus, next_meeting))
}

/// The dashboard's tiles, in their order.
pub fn headline(metrics: &[Metric]) -> Vec<&Metric> {
    let mut h: Vec<&Metric> = metrics.iter().filter(|m| m.headline > 0).collect();
    h.sort_by_key(|m| m.headline);
    h
}

/// The first day weekday profiles and freshness learn from: some weeks before the last data.
fn learn_start(data_through: NaiveDate) -> NaiveDate {
    data_through - Duration::days(7 * PROFILE_WEEKS + ANOMALY_DAYS)
}

/// The first day any part of the brief needs: the previous period (compared weekday by weekday),
/// the sparkline, the anomaly baselines, and the weeks before the last data that weekday profiles
/// and freshness learn from. Everything before it is never read.
pub fn window_start(shown: &Shown, yesterday: NaiveDate, data_through: NaiveDate) -> NaiveDate {
    let anomaly_from = yesterday - Duration::days(ANOMALY_DAYS - 1 + 7 * anomaly::MAX_WEEKS as i64);
    let spark_from = shown.through.unwrap_or(yesterday) - Duration::days(SPARK_DAYS - 1);
    let prev_from = shown.period.prev().start;
    let learn_from = learn_start(data_through);
    anomaly_from.min(spark_from).min(prev_from).min(learn_from)
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
