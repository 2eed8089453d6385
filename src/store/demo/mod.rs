//! `mktg demo`: believable synthetic data ending at "now", deterministic per seed.
//!
//! Daily KPIs per channel with weekly seasonality, a trend, noise and planted
//! anomalies; campaigns this quarter and last whose spend feeds the channel KPIs;
//! launches in every stage and tier; past meetings and decisions, two overdue.

mod close;
mod compete;
mod deals;
mod dense;
mod learn;
mod team;
mod work;

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};

use super::tx::Tx;
use super::{fmt_day, fmt_instant};
use crate::assets::Role;
use crate::domain::model::Bucket;
use crate::domain::period::{Grain, Period};
use crate::store::error::{Error, Result};
use crate::store::rollups::{Delta, MANUAL};

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub days: u32,
    pub kpi_rows: Option<u64>,
    pub seed: u64,
    pub force: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { days: 400, kpi_rows: None, seed: 1, force: false }
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub kpi_rows: u64,
    pub days: u32,
    pub campaigns: usize,
    pub spend_entries: usize,
    pub launches: usize,
    pub meetings: usize,
    pub decisions: usize,
    /// Deals with touch histories (attribution).
    pub deals: usize,
}

/// SplitMix64: tiny, fast, and the same sequence on every platform.
pub(super) struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Multiplicative noise around 1 with the given spread (never below 0.2).
    fn noise(&mut self, spread: f64) -> f64 {
        let (u1, u2) = (self.unit().max(1e-12), self.unit());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        (1.0 + spread * z).max(0.2)
    }
    /// A noisy count around `x`.
    fn count(&mut self, x: f64, spread: f64) -> f64 {
        let n = self.noise(spread);
        self.round(x * n)
    }
    /// Round so that the expected value is kept (3.3 -> 3 or 4).
    fn round(&mut self, x: f64) -> f64 {
        let f = x.floor();
        if self.unit() < x - f { f + 1.0 } else { f }
    }
}

/// A paid or owned channel's economics.
struct Channel {
    name: &'static str,
    cpl: f64,        // spend per lead
    base_leads: f64, // weekday leads at today's level, used before campaigns existed
    cpc: f64,
    ctr: f64,
}

const CHANNELS: &[Channel] = &[
    Channel { name: "paid-search", cpl: 55.0, base_leads: 36.0, cpc: 3.2, ctr: 0.04 },
    Channel { name: "paid-social", cpl: 48.0, base_leads: 19.0, cpc: 1.4, ctr: 0.009 },
    Channel { name: "linkedin", cpl: 85.0, base_leads: 15.0, cpc: 6.5, ctr: 0.005 },
    Channel { name: "display", cpl: 70.0, base_leads: 7.0, cpc: 0.9, ctr: 0.0015 },
    Channel { name: "events", cpl: 60.0, base_leads: 5.0, cpc: 0.0, ctr: 0.0 },
    Channel { name: "email", cpl: 4.0, base_leads: 13.0, cpc: 0.0, ctr: 0.0 },
    Channel { name: "podcast", cpl: 90.0, base_leads: 2.0, cpc: 0.0, ctr: 0.0 },
    Channel { name: "review-sites", cpl: 70.0, base_leads: 1.5, cpc: 0.0, ctr: 0.0 },
    Channel { name: "organic", cpl: 0.0, base_leads: 33.0, cpc: 0.0, ctr: 0.0 },
];

/// Campaigns planned each quarter: name, channel, bucket, planned major units, pace factor this quarter.
const CAMPAIGNS: &[(&str, &str, Bucket, i64, f64)] = &[
    ("Search – Core terms", "paid-search", Bucket::Core, 150_000, 1.01),
    ("LinkedIn ABM", "linkedin", Bucket::Core, 110_000, 1.12),
    ("Paid social prospecting", "paid-social", Bucket::Core, 85_000, 0.98),
    ("Nurture email", "email", Bucket::Core, 5_000, 1.0),
    ("Search – Competitor terms", "paid-search", Bucket::Growth, 30_000, 1.02),
    ("Display retargeting", "display", Bucket::Growth, 45_000, 0.84),
    ("Webinar series", "events", Bucket::Growth, 30_000, 0.97),
    ("ROI calculator test", "paid-search", Bucket::Experiment, 12_000, 0.99),
    ("Podcast sponsorship", "podcast", Bucket::Experiment, 20_000, 1.03),
    ("Review sites pilot", "review-sites", Bucket::Experiment, 10_000, 0.96),
];

/// Monday..Sunday demand, averaging 1 over a week.
const WEEKDAY: [f64; 7] = [1.33, 1.40, 1.37, 1.27, 1.07, 0.30, 0.26];

/// Fill the store with demo data inside `tx`, setting it up as demand-gen first when it is new.
/// Refuses a store holding the user's own data unless `opts.force`.
pub fn fill(tx: &Tx<'_>, now: NaiveDateTime, opts: &DemoOptions) -> Result<DemoReport> {
    if tx.meta().holds_user_data()? && !opts.force {
        return Err(Error::input(
            "this store already holds data; demo refuses to mix into it (use --force to add demo data anyway)",
        ));
    }
    if let Some(n) = opts.kpi_rows
        && n > 10_000_000
    {
        return Err(Error::input(format!("--kpi-rows {n} is beyond the 10,000,000 limit")));
    }
    if tx.meta().role()?.is_none() {
        tx.meta().init_role(Role::DemandGen, now)?;
    }
    let role = tx.meta().role()?.unwrap_or_default();
    let metrics: HashSet<String> = tx.kpis().metrics()?.into_iter().map(|m| m.key).collect();
    let mut rng = Rng(opts.seed ^ 0x6D6B_7467_0000_0000);
    let handles = tx;
    let tx = tx.conn();
    let mut report = DemoReport::default();
    let campaigns = demo_campaigns(tx, now.date(), &mut rng, &mut report)?;
    // Every fact goes through the KPI rollups, applied once at the end of the fill.
    let mut delta = demo_kpis(tx, now, opts, &metrics, &campaigns, &mut rng, &mut report)?;
    // Each campaign-day's spend KPI is the twin of its spend entry, as for entries
    // recorded by hand (see budget::writes::sync_spend_kpi): editing one keeps both in step.
    tx.execute(
        "UPDATE kpi_obs SET source_key = 'spend:' || (SELECT s.id FROM spend s
             WHERE s.campaign_id = kpi_obs.campaign_id AND s.day = kpi_obs.day)
         WHERE metric = 'spend' AND campaign_id IS NOT NULL AND import_id IS NULL",
        [],
    )?;
    if role == Role::ProductMarketing.as_str() {
        demo_pmm_kpis(tx, now, &metrics, &mut rng, &mut report, &mut delta)?;
    }
    delta.apply(tx)?;
    let launches = work::demo_launches(tx, now, &mut report)?;
    let meetings = work::demo_meetings(tx, now, &mut rng, &mut report)?;
    work::demo_decisions(tx, now, &launches, &campaigns, &meetings, &mut report)?;
    team::demo_team(tx, now)?;
    learn::demo_learn(handles, now, &mut report)?;
    compete::fill(handles, now, opts.seed)?;
    let deals = deals::demo_deals(tx, now, opts.seed)?;
    report.deals = deals.won + deals.open;
    close::acknowledge_last_quarter(tx, now)?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('demo_seed', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [opts.seed.to_string()],
    )?;
    Ok(report)
}

/// A campaign as generated: its id, channel, quarter and daily spend plan.
pub(super) struct DemoCampaign {
    pub(super) id: i64,
    channel: &'static str,
    pub(super) period: Period,
    /// What was spent each day, so the spend KPI and the spend entries agree to the cent.
    spent: std::collections::HashMap<NaiveDate, i64>,
}

fn demo_campaigns(
    tx: &Connection,
    today: NaiveDate,
    rng: &mut Rng,
    report: &mut DemoReport,
) -> Result<Vec<DemoCampaign>> {
    let this_q = Period::containing(Grain::Quarter, today);
    let mut side = Rng(rng.0 ^ 0xE3A1_1000);
    let mut out = Vec::new();
    let mut insert = tx.prepare(
        "INSERT INTO campaign(name, period, channel, bucket, planned_cents, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(name, period) DO UPDATE SET name = name RETURNING id",
    )?;
    let mut spend =
        tx.prepare("INSERT INTO spend(campaign_id, day, amount_cents, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut attribution =
        tx.prepare("INSERT INTO attribution(campaign_id, day, pipeline_cents, revenue_cents) VALUES (?1, ?2, ?3, ?4)")?;
    for (quarter, scale) in [(this_q.prev(), 0.95), (this_q, 1.0)] {
        let created = fmt_instant(quarter.start.and_hms_opt(9, 0, 0).unwrap_or_default());
        for (name, channel, bucket, planned, pace) in CAMPAIGNS {
            let planned_cents = ((*planned as f64) * scale).round() as i64 * 100;
            let id: i64 = insert
                .query_row(params![name, quarter.to_string(), channel, bucket, planned_cents, created], |r| r.get(0))?;
            report.campaigns += 1;
            // Last quarter landed close to plan; this one paces as the table says.
            let pace = if quarter == this_q { *pace } else { 0.97 + 0.06 * rng.unit() };
            let daily_cents = planned_cents as f64 / quarter.days() as f64;
            let mut c = DemoCampaign { id, channel, period: quarter, spent: Default::default() };
            let last = quarter.end().min(today - Duration::days(1));
            let mut day = quarter.start;
            while day <= last {
                let cents = (daily_cents
                    * pace
                    * WEEKDAY[day.weekday().num_days_from_monday() as usize]
                    * rng.noise(0.06)
                    * anomaly(channel, day, today).0)
                    .round() as i64;
                if cents > 0 {
                    c.spent.insert(day, cents);
                    spend.execute(params![id, fmt_day(day), cents, "", created])?;
                    report.spend_entries += 1;
                }
                if day.weekday().num_days_from_monday() == 4 {
                    // A week's spend is about 6.5 Fridays; pipeline is a channel-typical multiple of it.
                    // Email's attribution draws from its own stream, so that adding it left every
                    // other seeded figure (spend, pacing) exactly as it was.
                    let r = if *channel == "email" { &mut side } else { &mut *rng };
                    let (n1, n2) = (r.noise(0.3), r.noise(0.3));
                    let pipeline = (cents as f64 * 6.5 * pipeline_multiple(channel) * n1).round() as i64;
                    let revenue = (pipeline as f64 * 0.25 * n2).round() as i64;
                    attribution.execute(params![id, fmt_day(day), pipeline, revenue])?;
                }
                day += Duration::days(1);
            }
            out.push(c);
        }
    }
    Ok(out)
}

/// Pipeline created per unit of spend, by channel: search and email pull their weight,
/// display and the podcast experiment do not.
fn pipeline_multiple(channel: &str) -> f64 {
    match channel {
        "paid-search" => 9.0,
        "linkedin" => 8.0,
        "events" => 7.0,
        "paid-social" | "review-sites" => 6.0,
        "display" => 3.5,
        "podcast" => 2.5,
        "email" => 25.0,
        _ => 5.0,
    }
}

/// (spend factor, lead factor) planted on a channel-day: yesterday paid social
/// spent far more for far fewer leads, so its CPL jumped.
fn anomaly(channel: &str, day: NaiveDate, today: NaiveDate) -> (f64, f64) {
    if channel == "paid-social" && day == today - Duration::days(1) {
        (1.9, 0.45)
    } else if channel == "organic" && day == today - Duration::days(3) {
        (1.0, 2.6)
    } else {
        (1.0, 1.0)
    }
}

/// The lift from a year-long upward trend: 0.8 a year ago, 1.0 today.
fn trend(days_ago: i64) -> f64 {
    (1.0 - 0.2 * days_ago as f64 / 365.0).max(0.8)
}

fn demo_kpis(
    tx: &Connection,
    now: NaiveDateTime,
    opts: &DemoOptions,
    metrics: &HashSet<String>,
    campaigns: &[DemoCampaign],
    rng: &mut Rng,
    report: &mut DemoReport,
) -> Result<Delta> {
    let today = now.date();
    let mut delta = Delta::default();
    let created = fmt_instant(now);
    let mut insert = tx.prepare(
        "INSERT INTO kpi_obs(metric, day, channel, campaign_id, value, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let limit = opts.kpi_rows.unwrap_or(u64::MAX);
    // --kpi-rows stays inside the store's plausible history (two years): past what those days
    // hold, it adds density (campaign-level facts), never older days. See dense.rs.
    let max_days = if opts.kpi_rows.is_some() { dense::HISTORY_DAYS } else { opts.days };
    let quota = dense::Quota::new(opts.kpi_rows);
    // The campaigns draw from their own stream, so the channel-level facts of a day are the same
    // whatever the density.
    let mut campaign_rng = Rng(rng.0 ^ 0xDE45_E000_0000_0001);
    let rows = std::cell::Cell::new(0u64);
    let current = std::cell::Cell::new(today);
    // Channel-level facts skip zeros (nothing happened); a campaign's row reports them.
    let keep_zero = std::cell::Cell::new(false);
    let mut put = |metric: &str, day: &str, channel: &str, campaign: Option<i64>, value: f64| -> Result<bool> {
        if rows.get() >= limit {
            return Ok(false);
        }
        if metrics.contains(metric) && (value > 0.0 || keep_zero.get()) {
            insert.execute(params![metric, day, channel, campaign, value, created])?;
            delta.add(MANUAL, metric, current.get(), channel, value);
            rows.set(rows.get() + 1);
        }
        Ok(true)
    };
    // Walk back from yesterday (today's numbers are not in yet), newest first,
    // so that --kpi-rows cuts the oldest history.
    let mut day_count = 0u32;
    'days: for back in 1..=i64::from(max_days) {
        let day = today - Duration::days(back);
        current.set(day);
        let at_start = rows.get();
        let dname = fmt_day(day);
        let wd = WEEKDAY[day.weekday().num_days_from_monday() as usize];
        let lift = trend(back);
        day_count += 1;
        for ch in CHANNELS {
            let (spend_f, lead_f) = anomaly(ch.name, day, today);
            // Spend and leads per campaign while campaigns run; per channel before.
            let running: Vec<&DemoCampaign> =
                campaigns.iter().filter(|c| c.channel == ch.name && c.period.contains(day)).collect();
            let mut parts: Vec<(Option<i64>, f64, f64)> = Vec::new(); // (campaign, spend, leads)
            if running.is_empty() {
                let leads = ch.base_leads * wd * lift * rng.noise(0.12) * lead_f;
                parts.push((None, leads * ch.cpl * spend_f, leads));
            } else {
                for c in running {
                    let spend = c.spent.get(&day).copied().unwrap_or(0) as f64 / 100.0;
                    let leads = spend / spend_f / ch.cpl * rng.noise(0.12) * lead_f;
                    parts.push((Some(c.id), spend, leads));
                }
            }
            let mut channel_leads = 0.0;
            let mut channel_spend = 0.0;
            for (campaign, spend, leads) in parts {
                let leads = rng.round(leads);
                channel_leads += leads;
                channel_spend += spend;
                if !put("leads", &dname, ch.name, campaign, leads)? {
                    break 'days;
                }
                put("spend", &dname, ch.name, campaign, (spend * 100.0).round() / 100.0)?;
                if ch.cpc > 0.0 {
                    let clicks = rng.count(spend / ch.cpc, 0.08);
                    put("clicks", &dname, ch.name, campaign, clicks)?;
                    put("impressions", &dname, ch.name, campaign, rng.count(clicks / ch.ctr, 0.1))?;
                }
            }
            // The funnel, at channel level: realistic stage conversion with noise.
            let mqls = rng.count(channel_leads * 0.31, 0.1);
            let sqls = rng.count(mqls * 0.30, 0.15);
            let opps = rng.count(sqls * 0.68, 0.15);
            let won = rng.round(opps * 0.26);
            let lost = rng.round(opps * 0.62);
            put("mqls", &dname, ch.name, None, mqls)?;
            put("sqls", &dname, ch.name, None, sqls)?;
            put("opps", &dname, ch.name, None, opps)?;
            put("won", &dname, ch.name, None, won)?;
            put("lost", &dname, ch.name, None, lost)?;
            put("pipeline", &dname, ch.name, None, (opps * 7_500.0 * rng.noise(0.25)).round())?;
            put("revenue", &dname, ch.name, None, (won * 7_300.0 * rng.noise(0.25)).round())?;
            let sessions = if ch.name == "organic" {
                rng.count(900.0 * wd * lift * lead_f, 0.1)
            } else if ch.cpc > 0.0 {
                rng.count(channel_spend / ch.cpc * 0.85, 0.08)
            } else {
                rng.count(channel_leads * 12.0, 0.1)
            };
            put("sessions", &dname, ch.name, None, sessions)?;
            put("key_events", &dname, ch.name, None, rng.round(sessions * 0.03))?;
        }
        let wanted = quota.day(back).saturating_sub(rows.get() - at_start);
        keep_zero.set(true);
        let mut campaign_fact = |metric: &str, channel: &str, value: f64| put(metric, &dname, channel, None, value);
        dense::campaign_facts(wanted, day, today, lift, &mut campaign_rng, &mut campaign_fact)?;
        keep_zero.set(false);
        if rows.get() >= limit {
            break;
        }
    }
    report.kpi_rows += rows.get();
    report.days = day_count;
    Ok(delta)
}

/// Product-marketing headline metrics, daily over the last year.
fn demo_pmm_kpis(
    tx: &Connection,
    now: NaiveDateTime,
    metrics: &HashSet<String>,
    rng: &mut Rng,
    report: &mut DemoReport,
    delta: &mut Delta,
) -> Result<()> {
    let created = fmt_instant(now);
    let mut insert =
        tx.prepare("INSERT INTO kpi_obs(metric, day, channel, value, created_at) VALUES (?1, ?2, '', ?3, ?4)")?;
    for back in 1..=365i64 {
        let day = fmt_day(now.date() - Duration::days(back));
        let lift = trend(back);
        for (metric, value) in [
            ("launches_on_track", (4.0 + rng.unit() * 2.0).round()),
            ("enablement_adoption", (62.0 + 12.0 * lift * rng.noise(0.05)).min(100.0)),
            ("brand_sentiment", 28.0 * lift * rng.noise(0.15)),
            ("pipeline_launches", (30_000.0 * lift * rng.noise(0.3)).round()),
        ] {
            if metrics.contains(metric) {
                let value = (value * 10.0).round() / 10.0;
                insert.execute(params![metric, day, value, created])?;
                delta.add(MANUAL, metric, now.date() - Duration::days(back), "", value);
                report.kpi_rows += 1;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn dump(s: &Store) -> Vec<String> {
        let mut stmt = s.conn.prepare("SELECT metric || day || channel || value FROM kpi_obs ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_store() {
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        let opts = DemoOptions { days: 30, ..DemoOptions::default() };
        let (a, b) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
        let ra = a.write(|tx| crate::store::demo::fill(tx, now, &opts)).unwrap();
        b.write(|tx| crate::store::demo::fill(tx, now, &opts)).unwrap();
        assert_eq!(dump(&a), dump(&b));
        assert!(ra.kpi_rows > 1000 && ra.launches == 9 && ra.decisions >= 8);
        let c = Store::open_in_memory().unwrap();
        c.write(|tx| crate::store::demo::fill(tx, now, &DemoOptions { seed: 2, ..opts.clone() })).unwrap();
        assert_ne!(dump(&a), dump(&c));
    }

    #[test]
    fn kpi_rows_past_two_years_of_channels_adds_campaigns_not_older_days() {
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        let s = Store::open_in_memory().unwrap();
        let opts = DemoOptions { kpi_rows: Some(120_003), ..DemoOptions::default() };
        let r = s.write(|tx| crate::store::demo::fill(tx, now, &opts)).unwrap();
        assert_eq!((r.kpi_rows, r.days), (120_003, 730));
        let (first, per_day): (String, f64) = s
            .conn
            .query_row("SELECT min(day), count(*) * 1.0 / count(DISTINCT day) FROM kpi_obs", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(first, "2024-11-20", "two years up to yesterday, no further back");
        assert!((164.0..165.0).contains(&per_day), "{per_day} facts a day");
        assert!(s.kpis().rollup_mismatches().unwrap().is_empty());
    }

    #[test]
    fn kpi_rows_scales_the_history_exactly() {
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        let s = Store::open_in_memory().unwrap();
        let r = s
            .write(|tx| {
                crate::store::demo::fill(tx, now, &DemoOptions { kpi_rows: Some(5_000), ..DemoOptions::default() })
            })
            .unwrap();
        assert_eq!(r.kpi_rows, 5_000);
        assert!(
            s.write(|tx| crate::store::demo::fill(tx, now, &DemoOptions::default())).is_err(),
            "refuses to mix without --force"
        );
    }
}
