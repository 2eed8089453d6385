//! The brief's anomalies: totals from the daily rollups on every build, and channels from one
//! pass over the baseline window of raw facts, kept in the store (`kpi_scan`) until a KPI write
//! moves the facts' version. With a thousand channels that pass reads half a million facts:
//! too slow for a frame, cheap once per change of the facts.

use chrono::{Duration, NaiveDate};

use super::ANOMALY_DAYS;
use crate::domain::anomaly::{self, Anomaly, Findings};
use crate::domain::kpi::{Cube, Metric};
use crate::store::Store;
use crate::store::error::Result;

/// Bumped when what a kept scan means changes, so that scans kept by an older build are not read.
const SCAN_FORMAT: &str = "channel-scan-1";

/// The first day a scan of `as_of` reads: the oldest baseline day of the oldest day judged.
pub fn window_start(as_of: NaiveDate) -> NaiveDate {
    as_of - Duration::days(ANOMALY_DAYS - 1 + 7 * anomaly::MAX_WEEKS as i64)
}

/// Every anomaly of the latest [`ANOMALY_DAYS`] days up to `as_of`: per metric, its total
/// (judged on `totals`, the rollups) then its channels (judged once per version of the facts).
pub fn anomalies(store: &Store, headline: &[&Metric], totals: &Cube, as_of: NaiveDate) -> Result<Vec<Anomaly>> {
    let by_total = anomaly::scan_by_metric(headline, totals, as_of, ANOMALY_DAYS);
    let by_channel = channel_anomalies(store, headline, as_of)?;
    let mut out = Vec::new();
    for (m, found) in headline.iter().zip(by_total) {
        out.extend(found.total);
        out.extend(by_channel.iter().filter(|a| a.metric == m.key).cloned());
    }
    Ok(out)
}

/// Channel anomalies of `as_of`: the kept scan when the facts have not moved since it was made;
/// otherwise one pass over the window's facts by channel, kept for the next reader (unless
/// another process is writing at that moment: then the next reader computes it again).
pub fn channel_anomalies(store: &Store, headline: &[&Metric], as_of: NaiveDate) -> Result<Vec<Anomaly>> {
    let params = params(headline);
    let kpis = store.kpis();
    if let Some(body) = kpis.kept_scan(as_of, &params)?
        && let Ok(list) = serde_json::from_str::<Vec<Anomaly>>(&body)
    {
        return Ok(list);
    }
    // Read before the facts: if it has not moved when the scan is kept, no write came between.
    let version = kpis.version()?;
    let list = compute(store, headline, as_of)?;
    if store.keeps_derived()
        && let Ok(body) = serde_json::to_string(&list)
    {
        // A cache: failing to keep it costs the next reader a pass, never a wrong number.
        let _ = store.write_if_free(|tx| tx.kpis().keep_scan(as_of, &params, version, &body));
    }
    Ok(list)
}

/// Whether the channel scan for the brief of `today` is kept and current: then a brief is a few
/// rollup reads, quick enough to compute between two keys.
pub fn at_hand(store: &Store, today: NaiveDate) -> Result<bool> {
    let metrics = store.kpis().metrics()?;
    let headline = super::headline(&metrics);
    Ok(store.kpis().kept_scan(today - Duration::days(1), &params(&headline))?.is_some())
}

/// The pass itself: the headline metrics' inputs by day and channel over the window, judged.
pub fn compute(store: &Store, headline: &[&Metric], as_of: NaiveDate) -> Result<Vec<Anomaly>> {
    let cube = store.kpis().cube(&super::inputs(headline.iter().copied()), window_start(as_of), as_of)?;
    let found: Vec<Findings> = anomaly::scan_by_metric(headline, &cube, as_of, ANOMALY_DAYS);
    Ok(found.into_iter().flat_map(|f| f.channels).collect())
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
