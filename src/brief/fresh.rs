//! Freshness of every feed the brief reads: each metric per source (channel), judged from the
//! days it reported on (kept with the rollups), and each campaign's spend, from the budget's
//! paced rows. No scan of the facts, so its cost stays flat however dense they grow.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::keeps::Keeps;
use crate::domain::freshness::{Freshness, judge, judge_allowing};
use crate::domain::kpi::{Cube, Metric};
use crate::store::Store;
use crate::store::budget::PacedRows;
use crate::store::error::Result;
use crate::store::kept_spans::{JudgedFeed, feeds_body};

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

/// Which feeds [`kpi_feeds_kept`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Every observed feed.
    All,
    /// The stale ones alone, in the same order: what the brief reads. Nothing reads a current
    /// feed's volume (a tile's verdict, the quiet sources and attention look at quiet feeds
    /// alone), and at a thousand channels making each was a range of the cube.
    Quiet,
}

/// [`kpi_feeds`] over `from..=through` from the rollups instead of the facts: each channel's
/// reporting days from the monthly rollup's day bits, its four weeks' volume from span totals
/// (whole months and a few edge days of facts), the metric's from `totals` (the daily rollup).
/// The judged feeds are kept until the facts change, and after a write only the series it
/// touched are re-read ([`judged`]): a brief reads no channel's days when nothing moved, one
/// channel's after a one-channel write. Period totals come from `totals`, which holds the
/// window's (a span is inside it). Deal outcomes (`won`, `lost` counted from the deals) are few:
/// read as before.
pub fn kpi_feeds_kept(
    store: &Store,
    totals: &Cube,
    base: &[String],
    window: (NaiveDate, NaiveDate, NaiveDate),
    which: Which,
) -> Result<Vec<Feed>> {
    Keeps::at_once(store, |keeps| kpi_feeds_keeping(store, totals, base, window, which, keeps))
}

/// [`kpi_feeds_kept`] with the judged feeds to keep left in `keeps` (the brief keeps all it
/// computed in one transaction).
pub(crate) fn kpi_feeds_keeping(
    store: &Store,
    totals: &Cube,
    base: &[String],
    (from, through, data_through): (NaiveDate, NaiveDate, NaiveDate),
    which: Which,
    keeps: &mut Keeps,
) -> Result<Vec<Feed>> {
    let quiet_only = which == Which::Quiet;
    let judged = judged_keeping(store, base, from, through, keeps)?;
    let mut out = Vec::new();
    for metric in base {
        if crate::domain::compete::kpi_input(metric).is_some() {
            let cube = store.kpis().cube(std::slice::from_ref(metric), from, through)?;
            let feeds = kpi_feeds(&cube, std::slice::from_ref(metric), through, data_through);
            out.extend(feeds.into_iter().filter(|f| f.fresh.stale || !quiet_only));
            continue;
        }
        for j in judged.iter().filter(|j| j.metric == *metric && (j.fresh.stale || !quiet_only)) {
            let (span, fresh) = (j.span, j.fresh);
            // The channel's period totals inside the span: `totals` has no daily cells by channel.
            let mine = j.days_sum + totals.range(metric, Some(&j.channel), span.0, span.1).sum;
            let all = totals.range(metric, None, span.0, fresh.last.max(data_through).min(through)).sum;
            out.push(feed(metric, j.channel.clone(), fresh, mine, all));
        }
    }
    Ok(out)
}

/// What kept judged feeds are filed under in `kpi_scan` (bumped when their meaning changes).
const FEEDS_KIND: &str = "feeds-3";

/// Every observed feed of `base` judged over `from..=through`, by metric (in `base` order) then
/// channel: kept when the facts have not moved; brought up to date when few series moved;
/// otherwise read in full. Kept for the next brief.
pub fn judged(store: &Store, base: &[String], from: NaiveDate, through: NaiveDate) -> Result<Vec<JudgedFeed>> {
    Keeps::at_once(store, |keeps| judged_keeping(store, base, from, through, keeps))
}

/// [`judged`] with the list to keep left in `keeps`.
fn judged_keeping(
    store: &Store,
    base: &[String],
    from: NaiveDate,
    through: NaiveDate,
    keeps: &mut Keeps,
) -> Result<Vec<JudgedFeed>> {
    let kpis = store.kpis();
    let observed: Vec<&String> = base.iter().filter(|m| crate::domain::compete::kpi_input(m).is_none()).collect();
    let params = format!("{FEEDS_KIND}:{from}:{}", observed.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(","));
    // Read before the facts: if it has not moved when the feeds are kept, no write came between.
    let version = kpis.version()?;
    let list = match kpis.kept_feeds(through, &params)? {
        Some((v, list)) if v == version => return Ok(list),
        Some((v, list)) => match kpis.dirty_since(v)? {
            Some(moved) => match brought_up(store, &observed, list, &moved, from, through)? {
                Some(list) => list,
                None => read_all(store, &observed, from, through)?,
            },
            None => read_all(store, &observed, from, through)?,
        },
        None => match carried(store, &observed, &params, from, through)? {
            // No write since the earlier day's were kept, and no facts on the days between: they
            // are what the next reader carries too (only the quiet days are counted again, from
            // what each feed allows), so keeping the same list again under this day would write
            // every feed for nothing (at a thousand channels, most of a new day's first brief).
            Some(Carried { list, version: v, moved: false }) if v == version => return Ok(list),
            Some(Carried { list, .. }) => list,
            None => read_all(store, &observed, from, through)?,
        },
    };
    // A cache: failing to keep it costs the next brief the reads, never a wrong number.
    if store.keeps_derived()
        && let Some(body) = feeds_body(&list)
    {
        keeps.feeds(through, &params, version, body);
    }
    Ok(list)
}

/// [`judged`] read in full, nothing kept: what feeds brought up to date must equal.
pub fn judged_afresh(store: &Store, base: &[String], from: NaiveDate, through: NaiveDate) -> Result<Vec<JudgedFeed>> {
    let observed: Vec<&String> = base.iter().filter(|m| crate::domain::compete::kpi_input(m).is_none()).collect();
    read_all(store, &observed, from, through)
}

/// A feed judged from its days, its volume counted over the four weeks to its last day (clipped
/// to the window, as a cube of it would be).
fn judge_feed(days: &[NaiveDate], from: NaiveDate, through: NaiveDate) -> Option<(Freshness, Span, i64)> {
    let (fresh, allowed) = judge_allowing(days, through)?;
    Some((fresh, ((fresh.last - Duration::days(RATE_DAYS - 1)).max(from), fresh.last), allowed))
}

type Span = (NaiveDate, NaiveDate);

/// The feeds judged for an earlier day over the same window (`params` holds its first day),
/// carried to `through` (a new day's first brief): a feed whose days did not move keeps its
/// rhythm, last day and volume, and only its quiet days are counted again. Re-read like a
/// write's: the series a write touched since, and those with facts on the days in between.
/// `None` (a full read instead) when nothing is kept, the log does not reach back, or too many
/// series moved.
fn carried(
    store: &Store,
    observed: &[&String],
    params: &str,
    from: NaiveDate,
    through: NaiveDate,
) -> Result<Option<Carried>> {
    let kpis = store.kpis();
    let Some((then, version, mut list)) = kpis.kept_feeds_before(through, params)? else { return Ok(None) };
    let Some(mut moved) = kpis.dirty_since(version)? else { return Ok(None) };
    for (m, channels) in kpis.series_between(observed, then, through)? {
        moved.entry(m).or_default().extend(channels);
    }
    for j in &mut list {
        j.fresh = j.fresh.as_of(j.allowed, through);
    }
    let moved_any = observed.iter().any(|m| moved.get(*m).is_some_and(|c| !c.is_empty()));
    Ok(brought_up(store, observed, list, &moved, from, through)?.map(|list| Carried {
        list,
        version,
        moved: moved_any,
    }))
}

/// Feeds carried from an earlier day: the version they were kept at, and whether any of their
/// series moved since (a write, or facts on the days in between).
struct Carried {
    list: Vec<JudgedFeed>,
    version: i64,
    moved: bool,
}

/// `list` with the feeds of the `moved` series re-read and re-judged; `None` (a full read
/// instead) when too many moved.
fn brought_up(
    store: &Store,
    observed: &[&String],
    list: Vec<JudgedFeed>,
    moved: &crate::store::dirty_series::Series,
    from: NaiveDate,
    through: NaiveDate,
) -> Result<Option<Vec<JudgedFeed>>> {
    let stale: Vec<(&String, &String)> = observed
        .iter()
        .filter_map(|m| moved.get(*m).map(|c| (*m, c)))
        .flat_map(|(m, cs)| cs.iter().map(move |c| (m, c)))
        .collect();
    if !super::scan::few_of(stale.len(), list.len()) {
        return Ok(None);
    }
    Ok(Some(update(store, observed, list, &stale, from, through)?))
}

fn read_all(store: &Store, observed: &[&String], from: NaiveDate, through: NaiveDate) -> Result<Vec<JudgedFeed>> {
    let kpis = store.kpis();
    let mut out = Vec::new();
    for metric in observed {
        // Most feeds share a last day, so a span: its totals are read once for every channel.
        let mut spans: HashMap<(NaiveDate, NaiveDate), HashMap<String, f64>> = HashMap::new();
        for (channel, days) in kpis.channel_days(metric, from, through)? {
            let Some((fresh, span, allowed)) = judge_feed(&days, from, through) else { continue };
            let sums = match spans.entry(span) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(kpis.span_totals(metric, span.0, span.1, None)?)
                }
            };
            let days_sum = sums.get(&channel).copied().unwrap_or(0.0);
            out.push(JudgedFeed { metric: metric.to_string(), channel, fresh, span, days_sum, allowed });
        }
    }
    Ok(out)
}

/// `list` with the `stale` series re-read: a series with no days left is gone, a new one joins.
fn update(
    store: &Store,
    observed: &[&String],
    mut list: Vec<JudgedFeed>,
    stale: &[(&String, &String)],
    from: NaiveDate,
    through: NaiveDate,
) -> Result<Vec<JudgedFeed>> {
    let kpis = store.kpis();
    list.retain(|j| !stale.iter().any(|(m, c)| **m == j.metric && **c == j.channel));
    for &(metric, channel) in stale {
        let days = kpis.channel_days_of(metric, channel, from, through)?;
        let Some((fresh, span, allowed)) = judge_feed(&days, from, through) else { continue };
        let days_sum = kpis.span_totals(metric, span.0, span.1, Some(channel))?.get(channel).copied().unwrap_or(0.0);
        list.push(JudgedFeed { metric: metric.clone(), channel: channel.clone(), fresh, span, days_sum, allowed });
    }
    let order = |m: &str| observed.iter().position(|o| *o == m).unwrap_or(usize::MAX);
    list.sort_by(|a, b| (order(&a.metric), &a.channel).cmp(&(order(&b.metric), &b.channel)));
    Ok(list)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::kpis::NewObservation;
    use crate::store::parse_day;

    fn d(s: &str) -> NaiveDate {
        parse_day(s)
    }

    fn record(s: &Store, day: &str, channel: &str) {
        // Recorded late in the year: a day judged earlier can have facts ahead of it.
        let now = crate::clock::parse_now("2026-12-31T08:45").unwrap();
        let o = NewObservation { metric: "leads".into(), day: d(day), channel: channel.into(), value: 3.0 };
        s.write(|tx| tx.kpis().record(&o, now)).unwrap();
    }

    /// The day the judged feeds are kept under (the latest before `before`).
    fn kept_day(s: &Store, params: &str, before: &str) -> Option<NaiveDate> {
        s.kpis().kept_scan_before(d(before), params).unwrap().map(|(day, _, _)| day)
    }

    #[test]
    fn a_new_day_with_nothing_moved_carries_the_kept_feeds_without_keeping_them_again() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for n in 0..30 {
            let day = (d("2026-10-20") + Duration::days(n)).to_string();
            record(&s, &day, "email");
            record(&s, &day, "seo");
        }
        let (base, from) = (vec!["leads".to_string()], d("2026-09-01"));
        let params = format!("{FEEDS_KIND}:{from}:leads");
        let judged_on = |through: &str| {
            let list = judged(&s, &base, from, d(through)).unwrap();
            assert_eq!(list, judged_afresh(&s, &base, from, d(through)).unwrap(), "{through}");
            list
        };
        judged_on("2026-11-19");
        assert_eq!(kept_day(&s, &params, "2026-12-31"), Some(d("2026-11-19")));
        // Days with no write and no facts: carried, quiet days counted again, nothing written.
        let later = judged_on("2026-11-25");
        assert!(later.iter().all(|f| f.fresh.quiet_days == 7 && f.fresh.stale), "{later:?}");
        judged_on("2026-11-26");
        assert_eq!(kept_day(&s, &params, "2026-12-31"), Some(d("2026-11-19")));
        // A write moves a series: brought up to date and kept under its day.
        record(&s, "2026-11-26", "seo");
        judged_on("2026-11-27");
        assert_eq!(kept_day(&s, &params, "2026-12-31"), Some(d("2026-11-27")));
        // Facts recorded ahead, for a day not judged yet: they move their series on that day.
        record(&s, "2026-11-29", "email");
        judged_on("2026-11-28");
        judged_on("2026-11-30");
        assert_eq!(kept_day(&s, &params, "2026-12-31"), Some(d("2026-11-30")));
    }
}
