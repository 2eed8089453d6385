//! `demo --kpi-rows N` past what two years of the base demo hold: more facts a day, the way a
//! real team's data grows (a Google Ads account exports a hundred campaigns; four tools give a
//! thousand campaign-level rows a day), never days before the store's plausible history.
//!
//! The extra rows are campaign-level facts: many small campaigns under the demo's channels,
//! each reporting its leads, clicks, sessions and key events for the day (zeros included, as
//! exports do). They are not budget campaigns (no plan, no spend entries), and together they add
//! a tenth to each channel's leads, so the dashboard's story reads the same at any density.

use chrono::{Datelike, NaiveDate};

use super::{CHANNELS, Rng, WEEKDAY, anomaly};
use crate::store::error::Result;

/// The days `--kpi-rows` may fill, back from yesterday: two years.
pub(super) const HISTORY_DAYS: u32 = 730;
/// What one campaign reports each day.
const METRICS: [&str; 4] = ["leads", "clicks", "sessions", "key_events"];
/// What all of a channel's campaigns add to its day, as a share of its own leads.
const CAMPAIGN_SHARE: f64 = 0.10;

/// The rows each day should hold: N spread evenly over the history, the remainder on the latest
/// days. Without N (the plain demo) no day asks for more than its channels give.
pub(super) struct Quota {
    per_day: u64,
    remainder: u64,
}

impl Quota {
    pub(super) fn new(rows: Option<u64>) -> Quota {
        let days = u64::from(HISTORY_DAYS);
        rows.map_or(Quota { per_day: 0, remainder: 0 }, |n| Quota { per_day: n / days, remainder: n % days })
    }

    /// The rows wanted on the day `back` days before today (1 = yesterday).
    pub(super) fn day(&self, back: i64) -> u64 {
        self.per_day + u64::from(back >= 1 && (back as u64) <= self.remainder)
    }
}

/// Write `wanted` campaign-level facts for `day` through `put` (metric, channel, value), which
/// returns false once the store has all the rows asked for.
pub(super) fn campaign_facts(
    wanted: u64,
    day: NaiveDate,
    today: NaiveDate,
    lift: f64,
    rng: &mut Rng,
    put: &mut dyn FnMut(&str, &str, f64) -> Result<bool>,
) -> Result<()> {
    let campaigns = wanted.div_ceil(METRICS.len() as u64);
    let n = CHANNELS.len() as u64;
    let wd = WEEKDAY[day.weekday().num_days_from_monday() as usize];
    let mut written = 0u64;
    for k in 0..campaigns {
        let i = (k % n) as usize;
        let ch = &CHANNELS[i];
        // This channel's share of the day's campaigns.
        let of_channel = (campaigns / n + u64::from((i as u64) < campaigns % n)).max(1);
        // The planted anomalies (yesterday's paid-social CPL jump) hold in its campaigns too.
        let (_, lead_f) = anomaly(ch.name, day, today);
        let expected = ch.base_leads * wd * lift * lead_f * CAMPAIGN_SHARE / of_channel as f64;
        let (a, b, c) = (rng.noise(0.3), rng.noise(0.2), rng.noise(0.2));
        let leads = rng.round(expected * a);
        let clicks = rng.round(expected * 30.0 * b);
        let sessions = rng.round(expected * 25.0 * c);
        let values = [leads, clicks, sessions, rng.round(sessions * 0.03)];
        for (metric, value) in METRICS.into_iter().zip(values) {
            if written == wanted || !put(metric, ch.name, value)? {
                return Ok(());
            }
            written += 1;
        }
    }
    Ok(())
}
