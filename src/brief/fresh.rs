//! Freshness of every feed the brief reads: each metric per source (channel), judged from the
//! days it reported on (kept with the rollups), and each campaign's spend, from the budget's
//! paced rows. No scan of the facts, so its cost stays flat however dense they grow.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::domain::freshness::{Freshness, judge};
use crate::domain::kpi::{Cube, Metric};
use crate::store::Store;
use crate::store::budget::PacedRows;
use crate::store::error::Result;

/// A quiet feed carrying at least this share of its metric is worth a line of its own, and
/// explains an average's or a stock figure's odd reading.
pub const MATERIAL_SHARE: f64 = 0.05;
/// The volume behind a feed's usual daily rate: the days up to its last observation.
const RATE_DAYS: i64 = 28;

/// One metric from one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    pub metric: String,
    /// The source: a channel slug, or "" for figures not split by channel.
    pub channel: String,
    pub fresh: Freshness,
    /// What it usually brings a day (over the four weeks to its last observation).
    pub daily_rate: f64,
    /// Its share of the metric's volume over those weeks.
    pub share: f64,
}

/// One campaign's spend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignFeed {
    pub id: i64,
    pub name: String,
    pub channel: String,
    pub fresh: Freshness,
}

/// The quiet feeds of one source, said as one line: "no spend, leads for linkedin since 19 Nov".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaleGroup {
    /// The channel ("" for figures not split by channel).
    pub source: String,
    /// The quiet metrics, by label, in template order.
    pub metrics: Vec<String>,
    /// The quiet campaigns' names (their spend).
    pub campaigns: Vec<String>,
    pub campaign_ids: Vec<i64>,
    /// The latest observation among the quiet feeds.
    pub since: NaiveDate,
    /// The shortest usual gap among them.
    pub usual_gap: Option<i64>,
    /// Days from `since` to the last day the quietest of them should have reported.
    pub quiet_days: i64,
    pub owner: Option<String>,
}

/// Every (metric, channel) series in the cube, judged as of `through` (yesterday).
pub fn kpi_feeds(cube: &Cube, base: &[String], through: NaiveDate, data_through: NaiveDate) -> Vec<Feed> {
    let mut out = Vec::new();
    for metric in base {
        for channel in cube.channels(metric) {
            let days = cube.observed_days(metric, &channel);
            let Some(fresh) = judge(&days, through) else { continue };
            let from = fresh.last - Duration::days(RATE_DAYS - 1);
            let mine = cube.range(metric, Some(&channel), from, fresh.last).sum;
            let all = cube.range(metric, None, from, fresh.last.max(data_through)).sum;
            out.push(feed(metric, channel, fresh, mine, all));
        }
    }
    out
}

fn feed(metric: &str, channel: String, fresh: Freshness, mine: f64, all: f64) -> Feed {
    Feed {
        metric: metric.to_string(),
        channel,
        fresh,
        daily_rate: mine / RATE_DAYS as f64,
        share: if all > 0.0 { (mine / all).clamp(0.0, 1.0) } else { 0.0 },
    }
}

/// [`kpi_feeds`] over `from..=through` from the rollups instead of the facts: each channel's
/// reporting days from the monthly rollup's day bits, its four weeks' volume from span totals
/// (whole months and a few edge days of facts; one read per distinct last day, and most feeds
/// share one), the metric's from `totals` (the daily rollup). The same feeds and judgements at a
/// fraction of the reads: a thousand channels over nine weeks were half a million facts a brief.
/// The span totals are kept until the facts change (`store::kept_spans`), so a brief after the
/// first reads none; period totals come from `totals`, which holds the window's (a span is
/// inside it). Deal outcomes (`won`, `lost` counted from the deals) are few: read as before.
pub fn kpi_feeds_kept(
    store: &Store,
    totals: &Cube,
    base: &[String],
    from: NaiveDate,
    through: NaiveDate,
    data_through: NaiveDate,
) -> Result<Vec<Feed>> {
    let kpis = store.kpis();
    let mut sums = kpis.span_sums(through)?;
    let mut out = Vec::new();
    for metric in base {
        if crate::domain::compete::kpi_input(metric).is_some() {
            let cube = kpis.cube(std::slice::from_ref(metric), from, through)?;
            out.extend(kpi_feeds(&cube, std::slice::from_ref(metric), through, data_through));
            continue;
        }
        for (channel, days) in kpis.channel_days(metric, from, through)? {
            let Some(fresh) = judge(&days, through) else { continue };
            // Clipped to the window, as a cube of it would be.
            let span = ((fresh.last - Duration::days(RATE_DAYS - 1)).max(from), fresh.last);
            let days = kpis.span_sum(&mut sums, metric, span.0, span.1)?.get(&channel).copied().unwrap_or(0.0);
            // The channel's period totals inside the span: `totals` has no daily cells by channel.
            let mine = days + totals.range(metric, Some(&channel), span.0, span.1).sum;
            let all = totals.range(metric, None, span.0, fresh.last.max(data_through).min(through)).sum;
            out.push(feed(metric, channel, fresh, mine, all));
        }
    }
    if sums.added() && store.keeps_derived() {
        // A cache: failing to keep it costs the next brief the reads, never a wrong number.
        let _ = store.write_if_free(|tx| tx.kpis().keep_span_sums(through, &sums));
    }
    Ok(out)
}

/// The spend feeds of one quarter's campaigns.
pub fn campaign_feeds(paced: &PacedRows) -> Vec<CampaignFeed> {
    paced
        .rows
        .iter()
        .filter_map(|r| {
            let fresh = *paced.fresh.get(&r.facts.id)?;
            Some(CampaignFeed { id: r.facts.id, name: r.facts.name.clone(), channel: r.facts.channel.clone(), fresh })
        })
        .collect()
}

/// The quiet feeds grouped by source, the longest quiet first. A source counts when one of its
/// quiet feeds is material (or is a campaign's spend): a sporadic trickle that skipped a week is
/// not an outage. The owner comes from `[feeds.owners]`, by channel, else by metric.
pub fn stale_groups(
    feeds: &[Feed],
    campaigns: &[CampaignFeed],
    metrics: &[Metric],
    owners: &BTreeMap<String, String>,
) -> Vec<StaleGroup> {
    let mut by_source: BTreeMap<String, StaleGroup> = BTreeMap::new();
    let mut material: BTreeMap<String, bool> = BTreeMap::new();
    let group = |by: &mut BTreeMap<String, StaleGroup>, source: &str, f: &Freshness| {
        let g = by.entry(source.to_string()).or_insert_with(|| StaleGroup {
            source: source.to_string(),
            metrics: Vec::new(),
            campaigns: Vec::new(),
            campaign_ids: Vec::new(),
            since: f.last,
            usual_gap: f.usual_gap,
            quiet_days: f.quiet_days,
            owner: None,
        });
        if f.last > g.since {
            g.since = f.last;
            g.quiet_days = f.quiet_days;
        }
        g.usual_gap = match (g.usual_gap, f.usual_gap) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    };
    let order = |key: &str| metrics.iter().position(|m| m.key == key).unwrap_or(usize::MAX);
    let mut quiet: Vec<&Feed> = feeds.iter().filter(|f| f.fresh.stale).collect();
    quiet.sort_by_key(|f| order(&f.metric));
    for f in quiet {
        group(&mut by_source, &f.channel, &f.fresh);
        *material.entry(f.channel.clone()).or_default() |= f.share >= MATERIAL_SHARE;
        let label = metrics.iter().find(|m| m.key == f.metric).map_or_else(|| f.metric.clone(), |m| m.short_label());
        if let Some(g) = by_source.get_mut(&f.channel) {
            g.metrics.push(label);
        }
    }
    for c in campaigns.iter().filter(|c| c.fresh.stale) {
        group(&mut by_source, &c.channel, &c.fresh);
        material.insert(c.channel.clone(), true);
        if let Some(g) = by_source.get_mut(&c.channel) {
            g.campaigns.push(c.name.clone());
            g.campaign_ids.push(c.id);
        }
    }
    let mut out: Vec<StaleGroup> = by_source
        .into_values()
        .filter(|g| material.get(&g.source).copied().unwrap_or(false))
        .map(|mut g| {
            g.owner = owners.get(&g.source).cloned().or_else(|| {
                let key = metrics.iter().find(|m| g.metrics.first() == Some(&m.short_label())).map(|m| m.key.clone());
                key.and_then(|k| owners.get(&k).cloned())
            });
            g
        })
        .collect();
    out.sort_by(|a, b| b.quiet_days.cmp(&a.quiet_days).then(a.source.cmp(&b.source)));
    out
}
