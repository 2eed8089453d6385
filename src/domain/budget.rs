//! Campaign budget figures: remaining, pacing, run-rate, CPL, ROI, ROAS, the 70/20/10 split,
//! display rounding that keeps totals equal to their rows, and the rules of a budget move.

use std::cmp::Ordering;

use serde::Serialize;

use crate::domain::calendar::{Pacing, WeekdayProfile};
use crate::domain::error::{Error, Result};
use crate::domain::model::Bucket;
use crate::domain::money;
use crate::domain::pacing::{self, Pace};
use crate::domain::period::Period;
use crate::domain::text::{channel_slug, close_matches, levenshtein, name_key};

/// On track within +/-5% of the elapsed share.
pub const PACING_TOLERANCE: f64 = 0.05;

/// What the store knows about one campaign: plain sums, no judgement.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CampaignFacts {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub channel: String,
    pub bucket: Option<Bucket>,
    pub planned_cents: i64,
    /// Every spend entry recorded against the campaign.
    pub spent_cents: i64,
    /// Spend on complete days (before today): what pacing compares with the elapsed share.
    pub paced_cents: i64,
    pub leads: f64,
    pub pipeline_cents: i64,
    pub won_cents: i64,
}

/// Where in its quarter a figure is read: complete days elapsed out of the quarter's days, and
/// the share of the plan expected spent by now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Elapsed {
    pub days: i64,
    pub period_days: i64,
    /// The share of the plan expected spent by now: linear in days ([`Elapsed::at`]), or weighted
    /// by the calendar and the spend's own weekday profile ([`Elapsed::paced`]).
    pub expected: f64,
    /// No pacing verdict while `expected` is below this ("too early to call"); 0 for none.
    pub min_share: f64,
}

impl Elapsed {
    /// Complete days of `period` before `today` (spend lands through yesterday), paced linearly.
    pub fn at(period: &Period, today: chrono::NaiveDate) -> Elapsed {
        let days = (today - period.start).num_days().clamp(0, period.days());
        let period_days = period.days();
        let expected = if period_days <= 0 { 0.0 } else { days as f64 / period_days as f64 };
        Elapsed { days, period_days, expected, min_share: 0.0 }
    }

    /// As [`Elapsed::at`], each complete day weighted by the spend's weekday profile and the
    /// calendar's holidays, with no verdict before the pacing's minimum share.
    pub fn paced(period: &Period, today: chrono::NaiveDate, profile: &WeekdayProfile, pacing: &Pacing) -> Elapsed {
        let e = Elapsed::at(period, today);
        let through = today - chrono::Duration::days(1);
        let expected = if e.days == 0 { 0.0 } else { profile.expected_share(period, through, &pacing.calendar) };
        Elapsed { expected, min_share: pacing.min_share, ..e }
    }

    pub fn share(&self) -> f64 {
        self.expected
    }
}

/// A campaign with every figure the budget screen, the CLI and the dashboard show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignRow {
    #[serde(flatten)]
    pub facts: CampaignFacts,
    pub remaining_cents: i64,
    /// Spent beyond the plan (0 within it): said as "over plan by $11.7k", never as pacing.
    pub over_plan_cents: i64,
    pub pace: Pace,
    /// Run-rate forecast to the quarter's end, in cents; `None` before a full day has passed.
    pub forecast_cents: Option<i64>,
    pub cpl_cents: Option<i64>,
    pub roi: Option<f64>,
    pub roas: Option<f64>,
    /// Pipeline per unit of spend.
    pub pipeline_per_spend: Option<f64>,
}

/// `num / den`, or `None` when there is nothing to divide by.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0 && num.is_finite() && den.is_finite()).then(|| num / den)
}

/// ROI = (return - cost) / cost; `None` with no cost.
pub fn roi(return_cents: i64, cost_cents: i64) -> Option<f64> {
    ratio((return_cents - cost_cents) as f64, cost_cents as f64)
}

/// ROAS = revenue / ad spend; `None` with no spend.
pub fn roas(revenue_cents: i64, spend_cents: i64) -> Option<f64> {
    ratio(revenue_cents as f64, spend_cents as f64)
}

/// Cost per lead in cents; `None` without leads.
pub fn cpl(spend_cents: i64, leads: f64) -> Option<i64> {
    ratio(spend_cents as f64, leads).map(|v| v.round() as i64)
}

/// Forecast in cents at the current rate of complete days: spend so far over the share of the
/// plan expected by now (the linear run-rate when that share is linear). None while it is too
/// early to call: three days into a quarter, a holiday weekend would forecast double the plan.
pub fn forecast(paced_cents: i64, elapsed: Elapsed) -> Option<i64> {
    let early = elapsed.expected <= 0.0 || elapsed.expected < elapsed.min_share;
    (elapsed.days > 0 && !early).then(|| (paced_cents as f64 / elapsed.expected).round() as i64)
}

impl CampaignRow {
    pub fn new(facts: CampaignFacts, elapsed: Elapsed) -> CampaignRow {
        let pace = pacing::pace_from(
            facts.paced_cents as f64,
            facts.planned_cents as f64,
            elapsed.share(),
            PACING_TOLERANCE,
            elapsed.min_share,
        );
        CampaignRow {
            remaining_cents: facts.planned_cents - facts.spent_cents,
            over_plan_cents: (facts.spent_cents - facts.planned_cents).max(0),
            pace,
            forecast_cents: forecast(facts.paced_cents, elapsed),
            cpl_cents: cpl(facts.spent_cents, facts.leads),
            roi: roi(facts.won_cents, facts.spent_cents),
            roas: roas(facts.won_cents, facts.spent_cents),
            pipeline_per_spend: ratio(facts.pipeline_cents as f64, facts.spent_cents as f64),
            facts,
        }
    }
}

/// The totals row: sums of the rows (so it adds up exactly), ratios from those sums.
pub fn totals(rows: &[CampaignRow], elapsed: Elapsed) -> CampaignRow {
    let mut f = CampaignFacts { name: "Total".into(), ..CampaignFacts::default() };
    for r in rows {
        f.planned_cents += r.facts.planned_cents;
        f.spent_cents += r.facts.spent_cents;
        f.paced_cents += r.facts.paced_cents;
        f.leads += r.facts.leads;
        f.pipeline_cents += r.facts.pipeline_cents;
        f.won_cents += r.facts.won_cents;
    }
    let mut t = CampaignRow::new(f, elapsed);
    // The forecast total is the sum of the rows' rounded forecasts, not a recomputation.
    t.forecast_cents = rows.iter().map(|r| r.forecast_cents).sum();
    t
}

/// "pacing" words and figure: "on track +1%", "over +12%", "under -16%", "not yet".
pub fn pace_label(p: &Pace) -> String {
    match p.status {
        pacing::PaceStatus::NotYet => "not yet".into(),
        pacing::PaceStatus::TooEarly => "too early to call".into(),
        pacing::PaceStatus::Stale => "stale: no recent spend".into(),
        pacing::PaceStatus::OnTrack => format!("on track {}", pacing::format_deviation(p)),
        pacing::PaceStatus::Over => format!("over {}", pacing::format_deviation(p)),
        pacing::PaceStatus::Under => format!("under {}", pacing::format_deviation(p)),
    }
}

/// The pacing column: "over plan by $11.7k" once the plan is spent past, else [`pace_label`].
pub fn pacing_label(r: &CampaignRow, currency: &str) -> String {
    if r.over_plan_cents > 0 {
        return format!("over plan by {}", money::format_amount3(r.over_plan_cents, currency));
    }
    pace_label(&r.pace)
}

/// What acknowledging a campaign over plan says, in the cockpit's status line and from `budget
/// ack` alike (short enough for a status line): "acknowledged: 'LinkedIn ABM' (2026-Q4) over plan
/// by $11.7k; it leaves the attention list until more is spent".
pub fn acknowledged_words(name: &str, period: &str, spent_cents: i64, planned_cents: i64, currency: &str) -> String {
    format!(
        "acknowledged: '{name}' ({period}) over plan by {}; it leaves the attention list until more is spent",
        money::format_amount3(spent_cents - planned_cents, currency),
    )
}

/// `part` of `whole` as a whole percent that never rounds an overspend down to 100% (nor a
/// shortfall up to it): "100.4%", "99.7%", and ">100%" / "<100%" past one decimal.
pub fn percent_of(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "n/a".into();
    }
    let pct = part as f64 / whole as f64 * 100.0;
    let whole_pct = pct.round();
    if whole_pct != 100.0 || part == whole {
        return format!("{whole_pct:.0}%");
    }
    let one = (pct * 10.0).round() / 10.0;
    match (part > whole, one == 100.0) {
        (true, true) => ">100%".into(),
        (false, true) => "<100%".into(),
        _ => format!("{one:.1}%"),
    }
}

/// "+25%" or "n/a".
pub fn format_percent(v: Option<f64>) -> String {
    v.map(|x| format!("{:+.0}%", x * 100.0)).unwrap_or_else(|| "n/a".into())
}

/// "2.45x" or "n/a".
pub fn format_multiple(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}x")).unwrap_or_else(|| "n/a".into())
}

/// Whole currency units per cent amount, rounded so that the rounded parts add up to
/// the rounded total (largest remainder): a table of whole amounts whose totals row adds up.
pub fn round_units(cents: &[i64]) -> (Vec<i64>, i64) {
    let total: i64 = cents.iter().sum();
    let total_units = div_round(total, 100);
    let base: Vec<i64> = cents.iter().map(|c| c.div_euclid(100)).collect();
    let remainders: Vec<i64> = cents.iter().map(|c| c.rem_euclid(100)).collect();
    let left = total_units - base.iter().sum::<i64>();
    (crate::domain::money::largest_remainder(base, &remainders, left), total_units)
}

/// `n / d` rounded half away from zero.
fn div_round(n: i64, d: i64) -> i64 {
    let q = n.div_euclid(d);
    if n.rem_euclid(d) * 2 >= d { q + 1 } else { q }
}

/// Planned and spent against the 70/20/10 target for one bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketShare {
    pub bucket: Bucket,
    pub planned_cents: i64,
    pub spent_cents: i64,
    /// The bucket's share of the total plan under the 70/20/10 rule.
    pub target_cents: i64,
    /// planned - target: positive means more than the rule gives it.
    pub gap_cents: i64,
}

/// The 70/20/10 view of `rows`: targets split from the total plan so the three add up to it.
pub fn bucket_split(rows: &[CampaignRow]) -> Vec<BucketShare> {
    let total: i64 = rows.iter().map(|r| r.facts.planned_cents).sum();
    let weights: Vec<u32> = Bucket::ALL.iter().map(|b| b.target_share()).collect();
    let targets = money::split_by_weights(total, &weights);
    Bucket::ALL
        .iter()
        .zip(targets)
        .map(|(b, target)| {
            let of =
                |f: fn(&CampaignRow) -> i64| rows.iter().filter(|r| r.facts.bucket == Some(*b)).map(f).sum::<i64>();
            let planned = of(|r| r.facts.planned_cents);
            BucketShare {
                bucket: *b,
                planned_cents: planned,
                spent_cents: of(|r| r.facts.spent_cents),
                target_cents: target,
                gap_cents: planned - target,
            }
        })
        .collect()
}

/// A campaign before and after a move.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveSide {
    pub name: String,
    pub before: CampaignRow,
    pub after: CampaignRow,
}

/// Check a move of `amount` from `from` to `to` and compute its effect on both.
/// The amount is positive and at most the source's unspent plan.
pub fn plan_move(
    from: &CampaignRow,
    to: &CampaignRow,
    amount: i64,
    elapsed: Elapsed,
    currency: &str,
) -> Result<(MoveSide, MoveSide)> {
    if from.facts.id == to.facts.id {
        return Err(Error::input("the source and the target are the same campaign"));
    }
    if amount <= 0 {
        return Err(Error::input(format!("the amount must be positive, got {}", money::format(amount, currency))));
    }
    let available = from.remaining_cents.max(0);
    if amount > available {
        return Err(Error::input(format!(
            "{} exceeds the unspent plan of '{}': {} available",
            money::format(amount, currency),
            from.facts.name,
            money::format(available, currency)
        )));
    }
    let side = |r: &CampaignRow, delta: i64| {
        let mut f = r.facts.clone();
        f.planned_cents += delta;
        MoveSide { name: r.facts.name.clone(), before: r.clone(), after: CampaignRow::new(f, elapsed) }
    };
    Ok((side(from, -amount), side(to, amount)))
}

/// A move's effect on one side: "planned $45,000 → $40,000 · remaining ... · pacing ... → ...".
pub fn move_effect(s: &MoveSide, currency: &str) -> String {
    let m = |c| money::format(c, currency);
    format!(
        "planned {} → {} · remaining {} → {} · pacing {} → {}",
        m(s.before.facts.planned_cents),
        m(s.after.facts.planned_cents),
        m(s.before.remaining_cents),
        m(s.after.remaining_cents),
        pace_label(&s.before.pace),
        pace_label(&s.after.pace)
    )
}

/// One line of a move's preview: "Display retargeting: planned $45,000 → $40,000 · ...".
pub fn move_preview_line(s: &MoveSide, currency: &str) -> String {
    format!("{}: {}", s.name, move_effect(s, currency))
}

/// Campaign names close to a mistyped one: the whole name, its start, or one of its words
/// within a couple of typos ("dispaly" finds "Display retargeting"). Best first.
pub fn near_names<'a>(wanted: &str, names: &[&'a str]) -> Vec<&'a str> {
    let w = wanted.trim().to_lowercase();
    let n = w.chars().count();
    let typos = 2.min(n / 3).max(1);
    let mut out = close_matches(&w, names.iter().copied());
    for name in names {
        let lower = name.to_lowercase();
        let start: String = lower.chars().take(n).collect();
        let near =
            levenshtein(&w, &start) <= typos || lower.split_whitespace().any(|word| levenshtein(&w, word) <= typos);
        if near && !out.contains(name) {
            out.push(name);
        }
    }
    out
}

impl AsRef<CampaignFacts> for CampaignFacts {
    fn as_ref(&self) -> &CampaignFacts {
        self
    }
}

impl AsRef<CampaignFacts> for CampaignRow {
    fn as_ref(&self) -> &CampaignFacts {
        &self.facts
    }
}

/// The campaign among `all` (one quarter's, `period`) that a person means by `wanted`: its name
/// in any case, spacing or dash; a unique part of a name ("series"); or its id (`12`, `#12`).
/// Refused otherwise, naming the campaigns it could be: the ones sharing that part, close names,
/// or the campaigns of the channel the words name ("paid search"). The command line and the
/// cockpit's forms resolve campaigns through this one function.
pub fn resolve_campaign<'c, C: AsRef<CampaignFacts>>(all: &'c [C], wanted: &str, period: &Period) -> Result<&'c C> {
    let facts = |c: &'c C| c.as_ref();
    let w = name_key(wanted);
    if let Some(c) = all.iter().find(|c| name_key(&facts(c).name) == w) {
        return Ok(c);
    }
    let partial: Vec<&C> = all.iter().filter(|c| !w.is_empty() && name_key(&facts(c).name).contains(&w)).collect();
    if let [one] = partial.as_slice() {
        return Ok(one);
    }
    if let Ok(id) = wanted.trim().trim_start_matches('#').parse::<i64>()
        && let Some(c) = all.iter().find(|c| facts(c).id == id)
    {
        return Ok(c);
    }
    let names: Vec<&str> = all.iter().map(|c| facts(c).name.as_str()).collect();
    let mut near: Vec<&str> = partial.iter().map(|c| facts(c).name.as_str()).collect();
    if near.is_empty() {
        near = near_names(wanted, &names);
    }
    if near.is_empty() {
        let slug = channel_slug(wanted);
        near = all.iter().filter(|c| facts(c).channel == slug).map(|c| facts(c).name.as_str()).collect();
    }
    let hint = if near.is_empty() {
        let some: Vec<&str> = names.iter().copied().take(8).collect();
        if some.is_empty() { String::new() } else { format!("; campaigns: {}", some.join(", ")) }
    } else {
        format!("; did you mean: {}?", near.join(", "))
    };
    let what = if partial.len() > 1 { "more than one campaign matches" } else { "no campaign" };
    Err(Error::input(format!("{what} '{}' in {period}{hint}", wanted.trim())))
}

/// The columns of the campaigns table, in order; each is also a sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Campaign,
    Channel,
    Bucket,
    Planned,
    Spent,
    Remaining,
    Pacing,
    Forecast,
    Leads,
    Cpl,
    Pipeline,
    Won,
    Roi,
    Roas,
    PipelinePerSpend,
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::Campaign,
        Column::Channel,
        Column::Bucket,
        Column::Planned,
        Column::Spent,
        Column::Remaining,
        Column::Pacing,
        Column::Forecast,
        Column::Leads,
        Column::Cpl,
        Column::Pipeline,
        Column::Won,
        Column::Roi,
        Column::Roas,
        Column::PipelinePerSpend,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Campaign => "Campaign",
            Column::Channel => "Channel",
            Column::Bucket => "Bucket",
            Column::Planned => "Planned",
            Column::Spent => "Spent",
            Column::Remaining => "Remaining",
            Column::Pacing => "Pacing",
            Column::Forecast => "Forecast",
            Column::Leads => "Leads",
            // The campaign's own spend over its own leads: not the dashboard's blended cost per lead.
            Column::Cpl => "Paid CPL",
            Column::Pipeline => "Pipeline",
            Column::Won => "Won",
            Column::Roi => "ROI",
            Column::Roas => "ROAS",
            Column::PipelinePerSpend => "Pipe/$",
        }
    }

    /// Text columns sort A-Z; figures sort largest first (CPL cheapest first).
    pub fn compare(self, a: &CampaignRow, b: &CampaignRow) -> Ordering {
        let opt = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let (fa, fb) = (&a.facts, &b.facts);
        let by = match self {
            Column::Campaign => fa.name.to_lowercase().cmp(&fb.name.to_lowercase()),
            Column::Channel => fa.channel.cmp(&fb.channel),
            Column::Bucket => fa.bucket.cmp(&fb.bucket),
            Column::Planned => fb.planned_cents.cmp(&fa.planned_cents),
            Column::Spent => fb.spent_cents.cmp(&fa.spent_cents),
            Column::Remaining => b.remaining_cents.cmp(&a.remaining_cents),
            Column::Pacing => b.pace.deviation.total_cmp(&a.pace.deviation),
            Column::Forecast => b.forecast_cents.cmp(&a.forecast_cents),
            Column::Leads => fb.leads.total_cmp(&fa.leads),
            Column::Cpl => match (a.cpl_cents, b.cpl_cents) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            Column::Pipeline => fb.pipeline_cents.cmp(&fa.pipeline_cents),
            Column::Won => fb.won_cents.cmp(&fa.won_cents),
            Column::Roi => opt(a.roi, b.roi),
            Column::Roas => opt(a.roas, b.roas),
            Column::PipelinePerSpend => opt(a.pipeline_per_spend, b.pipeline_per_spend),
        };
        by.then(fa.id.cmp(&fb.id))
    }

    /// The direction word shown beside the sorted column's title.
    pub fn arrow(self) -> &'static str {
        match self {
            Column::Campaign | Column::Channel | Column::Bucket | Column::Cpl => "↑",
            _ => "↓",
        }
    }
}

#[cfg(test)]
mod tests;
