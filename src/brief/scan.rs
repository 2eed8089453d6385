//! The brief's anomalies: totals from the daily rollups on every build, and channels from one
//! pass over the baseline window of raw facts, kept in the store (`kpi_scan`) and brought up to
//! date after a write by re-reading only the series it touched (the dirty-series log). With a
//! thousand channels that pass reads half a million facts: too slow for a frame, and a write
//! that touched one channel needs one channel's nine weeks.
//!
//! What is kept is each channel's candidate days: anomalous on its own facts, before the volume
//! floor. The floor is a share of the metric's total ([`anomaly::SERIES_SHARE_FLOOR`]), so it
//! moves with any channel's write; it is applied on every build from the rollups' totals, so a
//! channel whose facts did not move is never re-read, and the list is the one a full pass makes.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ANOMALY_DAYS;
use super::keeps::Keeps;
use crate::domain::anomaly::{self, Anomaly, Candidate};
use crate::domain::kpi::{Cube, Metric};
use crate::store::Store;
use crate::store::dirty_series::Series;
use crate::store::error::Result;

/// Bumped when what a kept scan means changes, so that scans kept by an older build are not read.
const SCAN_FORMAT: &str = "channel-scan-2";
/// A kept scan is brought up to date from the series dirtied since when they are at most this
/// share of the series it judged (or [`DIRTY_FEW`]); past it, one pass over the window costs less
/// than a seek per dirty series and day.
const DIRTY_SHARE: f64 = 0.05;
/// So few dirty series are always cheaper to re-read than a pass, however small the store.
const DIRTY_FEW: usize = 16;

/// The first day a scan of `as_of` reads: the oldest baseline day of the oldest day judged.
pub fn window_start(as_of: NaiveDate) -> NaiveDate {
    as_of - Duration::days(ANOMALY_DAYS - 1 + 7 * anomaly::MAX_WEEKS as i64)
}

/// Every anomaly of the latest [`ANOMALY_DAYS`] days up to `as_of`: per metric, its total
/// (judged on `totals`, the rollups) then its channels (their candidates kept per version of
/// the facts, held against floors from `totals`).
/// The scan to keep is left in `keeps` (the brief keeps all it computed in one transaction).
pub fn anomalies(
    store: &Store,
    headline: &[&Metric],
    totals: &Cube,
    as_of: NaiveDate,
    keeps: &mut Keeps,
) -> Result<Vec<Anomaly>> {
    let by_total = anomaly::scan_by_metric(headline, totals, as_of, ANOMALY_DAYS);
    let by_channel = channel_anomalies_keeping(store, headline, totals, as_of, keeps)?;
    let mut out = Vec::new();
    for (m, found) in headline.iter().zip(by_total) {
        out.extend(found.total);
        out.extend(by_channel.iter().filter(|a| a.metric == m.key).cloned());
    }
    Ok(out)
}

/// Channel anomalies of `as_of`: the kept candidates when the facts have not moved since they
/// were kept; brought up to date when few series moved; otherwise one pass over the window's
/// facts by channel. Kept for the next reader (unless another process is writing at that
/// moment: then the next reader does it again). `totals` holds the metrics' daily totals over
/// the window (the rollups): the floors.
pub fn channel_anomalies(store: &Store, headline: &[&Metric], totals: &Cube, as_of: NaiveDate) -> Result<Vec<Anomaly>> {
    Keeps::at_once(store, |keeps| channel_anomalies_keeping(store, headline, totals, as_of, keeps))
}

/// [`channel_anomalies`] with the scan to keep left in `keeps`.
fn channel_anomalies_keeping(
    store: &Store,
    headline: &[&Metric],
    totals: &Cube,
    as_of: NaiveDate,
    keeps: &mut Keeps,
) -> Result<Vec<Anomaly>> {
    let params = params(headline);
    let kpis = store.kpis();
    // Read before the facts: if it has not moved when the scan is kept, no write came between.
    let version = kpis.version()?;
    let kept = kpis.kept_scan_at(as_of, &params)?.and_then(|(v, body)| Some((v, serde_json::from_str(&body).ok()?)));
    let scan = match kept {
        Some((v, kept)) if v == version => return Ok(judge(headline, &unpack(headline, kept).0, totals, as_of)),
        Some((v, kept)) => match dirty(store, headline, v)? {
            Some(stale) if few(&stale, kept.series) => update(store, headline, as_of, unpack(headline, kept), &stale)?,
            _ => pass(store, headline, as_of)?,
        },
        None => match carried(store, headline, as_of, &params)? {
            // Nothing moved since it was kept (no write, no facts on the days between) and kept
            // recently: the next reader carries the same candidates from it, so it is not kept
            // again under this day (a write for nothing on a quiet day's first open). Kept again
            // before it is too old to carry, so a quiet week never costs a pass.
            Some(Carried { scan, version: v, moved: false, age }) if v == version && age < ANOMALY_DAYS - 1 => {
                return Ok(judge(headline, &scan.0, totals, as_of));
            }
            Some(Carried { scan, .. }) => scan,
            None => pass(store, headline, as_of)?,
        },
    };
    if store.keeps_derived()
        && let Ok(body) = serde_json::to_string(&pack(headline, &scan))
    {
        // A cache: failing to keep it costs the next reader a pass, never a wrong number.
        keeps.scan(as_of, &params, version, body);
    }
    Ok(judge(headline, &scan.0, totals, as_of))
}

/// Whether the channel scan for the brief of `today` is kept and current, or a few series from
/// it: then a brief is a few rollup reads, quick enough to compute between two keys.
pub fn at_hand(store: &Store, today: NaiveDate) -> Result<bool> {
    let metrics = store.kpis().metrics()?;
    let headline = super::headline(&metrics);
    let kpis = store.kpis();
    let version = kpis.version()?;
    let as_of = today - Duration::days(1);
    let Some((v, body)) = kpis.kept_scan_at(as_of, &params(&headline))? else {
        // Kept for an earlier day: carried forward, as cheap when few series moved since.
        return Ok(carried_moves(store, &headline, as_of, &params(&headline))?.is_some_and(|m| m.few));
    };
    if v == version {
        return Ok(true);
    }
    let Ok(kept) = serde_json::from_str::<KeptScan>(&body) else { return Ok(false) };
    Ok(dirty(store, &headline, v)?.is_some_and(|stale| few(&stale, kept.series)))
}

/// The full pass, judged as the brief judges it: what a kept scan brought up to date must equal.
pub fn compute(store: &Store, headline: &[&Metric], totals: &Cube, as_of: NaiveDate) -> Result<Vec<Anomaly>> {
    Ok(judge(headline, &pass(store, headline, as_of)?.0, totals, as_of))
}

/// Each headline metric's candidates (by channel, latest day first), and how many series judged.
type Scan = (Vec<Vec<Candidate>>, usize);

/// The pass itself: the headline metrics' inputs by day and channel over the window.
fn pass(store: &Store, headline: &[&Metric], as_of: NaiveDate) -> Result<Scan> {
    let cube = store.kpis().cube(&super::inputs(headline.iter().copied()), window_start(as_of), as_of)?;
    let series = headline.iter().map(|m| anomaly::channels_judged(m, &cube).len()).sum();
    let found = headline.iter().map(|m| anomaly::channel_candidates(m, &cube, as_of, ANOMALY_DAYS, None)).collect();
    Ok((found, series))
}

/// The scan kept for an earlier day, carried to `as_of` (a new day's first brief): a day's
/// candidates depend only on its own facts and the same weekday of the weeks before it, never on
/// the day the scan is made, so the kept candidates of days still recent stand, counted back
/// from `as_of`. Re-read like a write's: every series a write touched since, and every series
/// with facts on the days in between (recorded before the scan was kept, for days it did not
/// judge yet). `None` (a pass instead) when nothing is kept within the recent days, the log does
/// not reach back, or too many series moved.
fn carried(store: &Store, headline: &[&Metric], as_of: NaiveDate, params: &str) -> Result<Option<Carried>> {
    let Some(Moves { then, version, kept, stale, few }) = carried_moves(store, headline, as_of, params)? else {
        return Ok(None);
    };
    if !few {
        return Ok(None);
    }
    let age = (as_of - then).num_days();
    let moved = !stale.iter().all(BTreeSet::is_empty);
    let (mut found, series) = unpack(headline, kept);
    let oldest = as_of - Duration::days(ANOMALY_DAYS - 1);
    for list in &mut found {
        list.retain(|c| c.anomaly.day >= oldest);
        for c in list.iter_mut() {
            c.back = (as_of - c.anomaly.day).num_days() as usize;
        }
    }
    if !moved {
        return Ok(Some(Carried { scan: (found, series), version, moved, age }));
    }
    Ok(Some(Carried { scan: update(store, headline, as_of, (found, series), &stale)?, version, moved, age }))
}

/// A scan carried from an earlier day: the version it was kept at, whether any series moved
/// since (a write, or facts on the days between), and how many days it was carried.
struct Carried {
    scan: Scan,
    version: i64,
    moved: bool,
    age: i64,
}

/// What carrying the scan kept for the latest day before `as_of` takes: that day, its version,
/// the scan, the channels of each headline metric to re-read (those a write touched since, and
/// those with facts on the days between), and whether they are few. `None` when nothing is kept
/// within the recent days or the log does not reach back.
fn carried_moves(store: &Store, headline: &[&Metric], as_of: NaiveDate, params: &str) -> Result<Option<Moves>> {
    let kpis = store.kpis();
    let Some((then, version, body)) = kpis.kept_scan_before(as_of, params)? else { return Ok(None) };
    if (as_of - then).num_days() >= ANOMALY_DAYS {
        return Ok(None);
    }
    let Ok(kept) = serde_json::from_str::<KeptScan>(&body) else { return Ok(None) };
    let Some(mut stale) = dirty(store, headline, version)? else { return Ok(None) };
    let inputs = super::inputs(headline.iter().copied());
    let new_days = kpis.series_between(&inputs.iter().collect::<Vec<_>>(), then, as_of)?;
    for (m, channels) in headline.iter().zip(&mut stale) {
        let touched = m.inputs().into_iter().filter_map(|k| new_days.get(&k)).flatten();
        channels.extend(touched.filter(|c| !c.is_empty()).cloned());
    }
    let few = few(&stale, kept.series);
    Ok(Some(Moves { then, version, kept, stale, few }))
}

struct Moves {
    then: NaiveDate,
    version: i64,
    kept: KeptScan,
    stale: Vec<BTreeSet<String>>,
    few: bool,
}

/// The channels of each headline metric whose series a write touched since `version` (any of
/// the metric's inputs in that channel); `None` when the log does not reach back that far.
fn dirty(store: &Store, headline: &[&Metric], version: i64) -> Result<Option<Vec<BTreeSet<String>>>> {
    let Some(dirty) = store.kpis().dirty_since(version)? else { return Ok(None) };
    Ok(Some(
        headline
            .iter()
            .map(|m| {
                m.inputs().iter().filter_map(|k| dirty.get(k)).flatten().filter(|c| !c.is_empty()).cloned().collect()
            })
            .collect(),
    ))
}

fn few(stale: &[BTreeSet<String>], series: usize) -> bool {
    few_of(stale.iter().map(BTreeSet::len).sum(), series)
}

/// Whether `moved` series of the `judged` a kept result covers are few enough to re-read alone
/// (the same rule for the scan and the judged feeds).
pub(crate) fn few_of(moved: usize, judged: usize) -> bool {
    moved <= DIRTY_FEW.max((judged as f64 * DIRTY_SHARE) as usize)
}

/// `kept` with the `stale` channels of each metric re-read and re-judged.
fn update(
    store: &Store,
    headline: &[&Metric],
    as_of: NaiveDate,
    kept: Scan,
    stale: &[BTreeSet<String>],
) -> Result<Scan> {
    let mut read = Series::new();
    for (m, channels) in headline.iter().zip(stale) {
        for k in m.inputs() {
            read.entry(k).or_default().extend(channels.iter().cloned());
        }
    }
    let inputs = super::inputs(headline.iter().copied());
    let cube = store.kpis().series_cube(&inputs, &read, window_start(as_of), as_of)?;
    let (mut found, series) = kept;
    for ((m, channels), list) in headline.iter().zip(stale).zip(&mut found) {
        if channels.is_empty() {
            continue;
        }
        list.retain(|c| !c.anomaly.channel.as_ref().is_some_and(|ch| channels.contains(ch)));
        list.extend(anomaly::channel_candidates(m, &cube, as_of, ANOMALY_DAYS, Some(channels)));
        list.sort_by(|a, b| (&a.anomaly.channel, a.back).cmp(&(&b.anomaly.channel, b.back)));
    }
    Ok((found, series))
}

/// The channel anomalies: each metric's candidates under its floors of the day.
fn judge(headline: &[&Metric], found: &[Vec<Candidate>], totals: &Cube, as_of: NaiveDate) -> Vec<Anomaly> {
    headline
        .iter()
        .zip(found)
        .flat_map(|(m, list)| anomaly::select(list, &anomaly::channel_floors(m, totals, as_of, ANOMALY_DAYS)))
        .collect()
}

/// A kept scan: numbers as their bits, so a kept one is exactly the one computed.
#[derive(Serialize, Deserialize)]
struct KeptScan {
    series: usize,
    candidates: Vec<KeptCandidate>,
}

#[derive(Serialize, Deserialize)]
struct KeptCandidate {
    metric: String,
    channel: String,
    day: NaiveDate,
    back: usize,
    /// value, usual, z, volume
    bits: [u64; 4],
    up: bool,
    good: bool,
}

fn pack(headline: &[&Metric], (found, series): &Scan) -> KeptScan {
    let candidates = headline
        .iter()
        .zip(found)
        .flat_map(|(m, list)| {
            list.iter().map(|c| KeptCandidate {
                metric: m.key.clone(),
                channel: c.anomaly.channel.clone().unwrap_or_default(),
                day: c.anomaly.day,
                back: c.back,
                bits: [c.anomaly.value.to_bits(), c.anomaly.usual.to_bits(), c.anomaly.z.to_bits(), c.volume.to_bits()],
                up: c.anomaly.up,
                good: c.anomaly.good,
            })
        })
        .collect();
    KeptScan { series: *series, candidates }
}

fn unpack(headline: &[&Metric], kept: KeptScan) -> Scan {
    let mut found: Vec<Vec<Candidate>> = vec![Vec::new(); headline.len()];
    for k in kept.candidates {
        let Some(i) = headline.iter().position(|m| m.key == k.metric) else { continue };
        let anomaly = Anomaly {
            metric: k.metric,
            label: headline[i].label.clone(),
            channel: Some(k.channel),
            day: k.day,
            value: f64::from_bits(k.bits[0]),
            usual: f64::from_bits(k.bits[1]),
            z: f64::from_bits(k.bits[2]),
            up: k.up,
            good: k.good,
        };
        found[i].push(Candidate { anomaly, back: k.back, volume: f64::from_bits(k.bits[3]) });
    }
    (found, kept.series)
}

/// What a scan depends on besides the facts: the metrics as judged (keys, labels, formulas,
/// directions, minimum volumes) and the thresholds. Hashed, so the key stays short.
fn params(headline: &[&Metric]) -> String {
    let metrics: Vec<_> = headline
        .iter()
        .map(|m| (&m.key, &m.label, &m.formula, m.direction.as_str(), m.rollup.as_str(), m.unit.as_str(), m.min_volume))
        .collect();
    let text = format!(
        "{SCAN_FORMAT} {ANOMALY_DAYS} {} {} {} {} {}",
        anomaly::MAX_WEEKS,
        anomaly::Z_THRESHOLD,
        anomaly::MAD_FLOOR_SHARE,
        anomaly::SERIES_SHARE_FLOOR,
        serde_json::to_string(&metrics).unwrap_or_default()
    );
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{SCAN_FORMAT}:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::kpis::NewObservation;
    use crate::store::parse_day;

    fn d(s: &str) -> NaiveDate {
        parse_day(s)
    }

    #[test]
    fn a_quiet_new_day_carries_the_kept_scan_and_keeps_it_again_before_it_is_too_old() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-12-31T08:45").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for n in 0..70 {
            for (channel, v) in [("email", 40.0), ("seo", 25.0 + f64::from(n % 3))] {
                let day = d("2026-09-10") + Duration::days(i64::from(n));
                let o = NewObservation { metric: "leads".into(), day, channel: channel.into(), value: v };
                s.write(|tx| tx.kpis().record(&o, now)).unwrap();
            }
        }
        let metrics = s.kpis().metrics().unwrap();
        let headline = super::super::headline(&metrics);
        let inputs = super::super::inputs(headline.iter().copied());
        let params = params(&headline);
        let kept_day = || s.kpis().kept_scan_before(d("2027-12-31"), &params).unwrap().map(|(day, _, _)| day);
        let scan_on = |as_of: NaiveDate| {
            let totals = s.kpis().daily_totals(&inputs, window_start(as_of), as_of).unwrap();
            let list = channel_anomalies(&s, &headline, &totals, as_of).unwrap();
            assert_eq!(list, compute(&s, &headline, &totals, as_of).unwrap(), "{as_of}");
        };
        let last = d("2026-11-18");
        scan_on(last);
        assert_eq!(kept_day(), Some(last));
        // Quiet days after the data: carried, not kept again, still at hand for the next day...
        for k in 1..ANOMALY_DAYS - 1 {
            scan_on(last + Duration::days(k));
            assert_eq!(kept_day(), Some(last), "day {k}");
            assert!(at_hand(&s, last + Duration::days(k + 1)).unwrap(), "day {k}");
        }
        // ...until it would be too old to carry: kept again under that day.
        scan_on(last + Duration::days(ANOMALY_DAYS - 1));
        assert_eq!(kept_day(), Some(last + Duration::days(ANOMALY_DAYS - 1)));
    }
}
