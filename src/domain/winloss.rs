//! Win/loss: deal outcomes, the win rate with its deal count, per competitor, reason or segment,
//! and one period against the one before.
//!
//! Win rate = won / (won + lost); open deals are excluded from it and counted beside it. A rate is
//! never given without its n: [`WinRate::label`] reads "35.0% (n = 20)". Competitor, reason and
//! segment names fold case, spacing and dashes as campaign names do (`domain::text::name_key`),
//! and show as first met.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use chrono::NaiveDate;
use std::fmt;

use crate::domain::period::Period;
use crate::domain::text::name_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Won,
    Lost,
    Open,
}

impl Outcome {
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::Open => "open",
        }
    }

    /// `won`, `lost` or `open`, in any case; anything else is refused naming the three.
    pub fn parse(s: &str) -> Result<Outcome, WinLossError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "won" => Ok(Outcome::Won),
            "lost" => Ok(Outcome::Lost),
            "open" => Ok(Outcome::Open),
            _ => Err(WinLossError::UnknownOutcome(s.trim().into())),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// One deal's outcome, as `winloss-csv` or the HubSpot deals export gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct DealOutcome {
    pub deal: String,
    /// The close date; for an open deal its expected close, if known.
    pub closed_on: Option<NaiveDate>,
    pub outcome: Outcome,
    pub competitor: Option<String>,
    pub reason: Option<String>,
    pub segment: Option<String>,
    pub amount_cents: Option<i64>,
}

/// Why an outcome row is refused. Every variant is bad input (exit 2 at the faces).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WinLossError {
    #[error("'{0}' is not an outcome (one of: won, lost, open)")]
    UnknownOutcome(String),
    #[error("deal {deal}: a {outcome} deal needs the date it closed")]
    NoCloseDate { deal: String, outcome: Outcome },
    #[error("deal {deal}: closed on {closed_on}, which is after today ({today})")]
    FutureClose { deal: String, closed_on: NaiveDate, today: NaiveDate },
}

impl DealOutcome {
    /// The checks an import runs on each row: a won or lost deal has a close date, not in the future.
    pub fn check(&self, today: NaiveDate) -> Result<(), WinLossError> {
        if self.outcome == Outcome::Open {
            return Ok(());
        }
        match self.closed_on {
            None => Err(WinLossError::NoCloseDate { deal: self.deal.clone(), outcome: self.outcome }),
            Some(d) if d > today => Err(WinLossError::FutureClose { deal: self.deal.clone(), closed_on: d, today }),
            Some(_) => Ok(()),
        }
    }

    pub fn is_closed(&self) -> bool {
        self.outcome != Outcome::Open
    }

    /// The name this outcome has along `by`, as typed.
    pub fn field(&self, by: By) -> Option<&str> {
        match by {
            By::Competitor => self.competitor.as_deref(),
            By::Reason => self.reason.as_deref(),
            By::Segment => self.segment.as_deref(),
        }
    }
}

/// Deal counts (and amounts, where known) behind a win rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WinRate {
    pub won: u64,
    pub lost: u64,
    pub open: u64,
    pub won_cents: i64,
    pub lost_cents: i64,
}

impl WinRate {
    /// The deals the rate is over: won + lost.
    pub fn n(&self) -> u64 {
        self.won + self.lost
    }

    /// won / (won + lost), `None` with no closed deal.
    pub fn rate(&self) -> Option<f64> {
        (self.n() > 0).then(|| self.won as f64 / self.n() as f64)
    }

    /// The rate in tenths of a percent, rounded half up in integers (7 of 20 is 350).
    pub fn tenths(&self) -> Option<u64> {
        let n = self.n();
        (n > 0).then(|| (self.won * 2000 + n) / (2 * n))
    }

    /// "35.0% (n = 20)", or "no closed deals (n = 0)".
    pub fn label(&self) -> String {
        match self.tenths() {
            Some(t) => format!("{}.{}% (n = {})", t / 10, t % 10, self.n()),
            None => "no closed deals (n = 0)".into(),
        }
    }

    /// Change from `prev` in percentage points; `None` when either side has no closed deal.
    pub fn change_points(&self, prev: &WinRate) -> Option<f64> {
        Some((self.rate()? - prev.rate()?) * 100.0)
    }

    /// True when the rate fell by `points` or more from `prev`, decided in integers so that a
    /// drop of exactly 10 points is one (won_t/n_t - won_p/n_p <= -points/100).
    pub fn fell_by_at_least(&self, prev: &WinRate, points: u64) -> bool {
        let (nt, np) = (self.n() as i128, prev.n() as i128);
        if nt == 0 || np == 0 {
            return false;
        }
        100 * (self.won as i128 * np - prev.won as i128 * nt) <= -(points as i128) * nt * np
    }

    pub fn add(&mut self, o: &DealOutcome) {
        self.add_counted(o.outcome, 1, o.amount_cents.unwrap_or(0));
    }

    /// `deals` deals of one outcome worth `cents` together.
    pub fn add_counted(&mut self, outcome: Outcome, deals: u64, cents: i64) {
        match outcome {
            Outcome::Won => {
                self.won += deals;
                self.won_cents = self.won_cents.saturating_add(cents);
            }
            Outcome::Lost => {
                self.lost += deals;
                self.lost_cents = self.lost_cents.saturating_add(cents);
            }
            Outcome::Open => self.open += deals,
        }
    }
}

/// What win rates are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    Competitor,
    Reason,
    Segment,
}

/// One competitor (reason, segment) and its win rate. `key`/`name` `None`: deals naming none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The folded name that groups spellings: "acme corp" for "ACME – Corp".
    pub key: Option<String>,
    /// The spelling first met.
    pub name: Option<String>,
    pub rate: WinRate,
}

/// Win rates over all deals and per group, groups with the most closed deals first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub total: WinRate,
    pub groups: Vec<Group>,
}

/// Win rates grouped by `by`, over the deals whose close date falls in `period` (all deals when
/// `None`; an open deal without a date counts only then).
pub fn breakdown<'a>(outcomes: impl IntoIterator<Item = &'a DealOutcome>, by: By, period: Option<Period>) -> Breakdown {
    let within = period.map(|p| (p.start, p.end()));
    let mut names = Names::default();
    let mut rates: Vec<WinRate> = Vec::new();
    let mut total = WinRate::default();
    for o in outcomes {
        if let Some((start, end)) = within
            && !o.closed_on.is_some_and(|d| d >= start && d <= end)
        {
            continue;
        }
        total.add(o);
        let g = names.slot(o.field(by));
        if g == rates.len() {
            rates.push(WinRate::default());
        }
        rates[g].add(o);
    }
    let mut groups: Vec<Group> =
        names.into_groups().into_iter().zip(rates).map(|((key, name), rate)| Group { key, name, rate }).collect();
    groups.sort_by(|a, b| b.rate.n().cmp(&a.rate.n()).then_with(|| order_keys(&a.key, &b.key)));
    Breakdown { total, groups }
}

/// One group in a period and the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trend {
    pub key: Option<String>,
    pub name: Option<String>,
    pub this: WinRate,
    pub prev: WinRate,
}

impl Trend {
    /// Change in percentage points, `None` when either period has no closed deal.
    pub fn change_points(&self) -> Option<f64> {
        self.this.change_points(&self.prev)
    }
    /// Change in closed deals (n).
    pub fn change_deals(&self) -> i64 {
        self.this.n() as i64 - self.prev.n() as i64
    }
}

/// A period against the one before it (this quarter vs last), in total and per group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub period: Period,
    pub previous: Period,
    pub total: Trend,
    /// Groups seen in either period, most closed deals this period first.
    pub groups: Vec<Trend>,
}

/// Win rates in `period` and in the period before it, grouped by `by`.
pub fn compare<'a>(outcomes: impl IntoIterator<Item = &'a DealOutcome>, by: By, period: Period) -> Comparison {
    let items = outcomes.into_iter().filter_map(|o| {
        let d = o.closed_on?;
        Some(Counted { on: d, name: o.field(by), outcome: o.outcome, deals: 1, cents: o.amount_cents.unwrap_or(0) })
    });
    compare_counted(items, period)
}

/// Deal outcomes counted together: one quarter's deals of one outcome naming the same
/// competitor, reason and segment (as written), what `deal_outcome_quarter` keeps per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The quarter's first day.
    pub quarter: NaiveDate,
    pub outcome: Outcome,
    pub competitor: Option<String>,
    pub reason: Option<String>,
    pub segment: Option<String>,
    pub deals: u64,
    pub cents: i64,
    /// The id of the first deal row counted in it: names show as first met.
    pub first_id: i64,
}

impl Cell {
    /// The name this cell has along `by`, as typed.
    pub fn field(&self, by: By) -> Option<&str> {
        match by {
            By::Competitor => self.competitor.as_deref(),
            By::Reason => self.reason.as_deref(),
            By::Segment => self.segment.as_deref(),
        }
    }
}

/// `compare` over outcomes already counted per quarter: the same comparison, from a few hundred
/// cells instead of every deal, for a quarter `period` (a cell is a whole quarter, so
/// `period` must be one). Cells are read in first-met order, so names show as `compare` shows them.
pub fn compare_cells(cells: &mut [Cell], by: By, period: Period) -> Comparison {
    cells.sort_by_key(|c| c.first_id);
    let items = cells.iter().map(|c| Counted {
        on: c.quarter,
        name: c.field(by),
        outcome: c.outcome,
        deals: c.deals,
        cents: c.cents,
    });
    compare_counted(items, period)
}

/// One dated group of deals of one outcome, named along the grouping.
struct Counted<'a> {
    on: NaiveDate,
    name: Option<&'a str>,
    outcome: Outcome,
    deals: u64,
    cents: i64,
}

/// The comparison over deals (or counts of them) in first-met order.
fn compare_counted<'a>(items: impl Iterator<Item = Counted<'a>>, period: Period) -> Comparison {
    let previous = period.prev();
    let (this_range, prev_range) = ((period.start, period.end()), (previous.start, previous.end()));
    let mut names = Names::default();
    let mut rates: Vec<(WinRate, WinRate)> = Vec::new();
    let mut total = (WinRate::default(), WinRate::default());
    for o in items {
        let d = o.on;
        let this = d >= this_range.0 && d <= this_range.1;
        let prev = d >= prev_range.0 && d <= prev_range.1;
        if !this && !prev {
            continue;
        }
        let g = names.slot(o.name);
        if g == rates.len() {
            rates.push(Default::default());
        }
        if this {
            total.0.add_counted(o.outcome, o.deals, o.cents);
            rates[g].0.add_counted(o.outcome, o.deals, o.cents);
        } else {
            total.1.add_counted(o.outcome, o.deals, o.cents);
            rates[g].1.add_counted(o.outcome, o.deals, o.cents);
        }
    }
    let mut groups: Vec<Trend> = names
        .into_groups()
        .into_iter()
        .zip(rates)
        .map(|((key, name), (this, prev))| Trend { key, name, this, prev })
        .collect();
    groups.sort_by(|a, b| b.this.n().cmp(&a.this.n()).then_with(|| order_keys(&a.key, &b.key)));
    let total = Trend { key: None, name: None, this: total.0, prev: total.1 };
    Comparison { period, previous, total, groups }
}

/// Named groups by key, "none" last.
fn order_keys(a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    a.is_none().cmp(&b.is_none()).then_with(|| a.cmp(b))
}

/// Group numbers by name, looked up by the text as given first (one hash per row), folding
/// spellings only when a text is new: 100,000 rows with a few dozen names cost one hash each.
#[derive(Default)]
pub(crate) struct Names<'a> {
    by_text: HashMap<&'a str, usize>,
    by_key: HashMap<String, usize>,
    none: Option<usize>,
    groups: Vec<(Option<String>, Option<String>)>,
}

impl<'a> Names<'a> {
    /// The group of `text` (a new one is numbered `len()` before the call).
    pub(crate) fn slot(&mut self, text: Option<&'a str>) -> usize {
        let text = text.filter(|t| !t.trim().is_empty());
        let Some(text) = text else {
            return *self.none.get_or_insert_with(|| {
                self.groups.push((None, None));
                self.groups.len() - 1
            });
        };
        if let Some(&g) = self.by_text.get(text) {
            return g;
        }
        let key = name_key(text);
        let g = match self.by_key.get(&key) {
            Some(&g) => g,
            None => {
                self.groups.push((Some(key.clone()), Some(text.trim().to_string())));
                self.by_key.insert(key, self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        self.by_text.insert(text, g);
        g
    }

    /// The (key, name) of group `g`.
    pub(crate) fn group(&self, g: usize) -> &(Option<String>, Option<String>) {
        &self.groups[g]
    }

    /// (key, name) per group, in group-number order.
    pub(crate) fn into_groups(self) -> Vec<(Option<String>, Option<String>)> {
        self.groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn outcome(deal: &str, day: &str, outcome: Outcome, competitor: &str) -> DealOutcome {
        DealOutcome {
            deal: deal.into(),
            closed_on: Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
            outcome,
            competitor: (!competitor.is_empty()).then(|| competitor.into()),
            reason: None,
            segment: None,
            amount_cents: None,
        }
    }

    fn many(won: usize, lost: usize, open: usize, day: &str, competitor: &str) -> Vec<DealOutcome> {
        let kinds = [(won, Outcome::Won), (lost, Outcome::Lost), (open, Outcome::Open)];
        kinds
            .into_iter()
            .flat_map(|(n, o)| (0..n).map(move |i| (i, o)))
            .map(|(i, o)| outcome(&format!("{o}-{i}"), day, o, competitor))
            .collect()
    }

    #[test]
    fn seven_won_thirteen_lost_five_open_is_35_percent_of_20() {
        let b = breakdown(&many(7, 13, 5, "2026-10-10", "Acme"), By::Competitor, None);
        assert_eq!(b.groups.len(), 1);
        let acme = &b.groups[0];
        assert_eq!((acme.key.as_deref(), acme.name.as_deref()), (Some("acme"), Some("Acme")));
        assert_eq!((acme.rate.n(), acme.rate.open, acme.rate.tenths()), (20, 5, Some(350)));
        assert_eq!(acme.rate.label(), "35.0% (n = 20)");
        assert_eq!(WinRate::default().label(), "no closed deals (n = 0)");
        assert_eq!(WinRate { won: 1, lost: 2, ..WinRate::default() }.label(), "33.3% (n = 3)");
        assert_eq!(WinRate { won: 2, lost: 1, ..WinRate::default() }.label(), "66.7% (n = 3)");
    }

    #[test]
    fn competitor_names_fold_case_and_dashes_like_campaigns() {
        let mut rows = many(1, 0, 0, "2026-10-10", "ACME – Corp");
        rows.extend(many(0, 1, 0, "2026-10-11", "acme - corp"));
        rows.extend(many(0, 1, 0, "2026-10-11", ""));
        let b = breakdown(&rows, By::Competitor, None);
        assert_eq!(b.groups.len(), 2);
        assert_eq!(b.groups[0].name.as_deref(), Some("ACME – Corp"));
        assert_eq!(b.groups[0].rate.label(), "50.0% (n = 2)");
        assert_eq!((b.groups[1].key.as_deref(), b.groups[1].rate.lost), (None, 1));
        assert_eq!(b.total.label(), "33.3% (n = 3)");
    }

    #[test]
    fn this_quarter_against_last_gives_the_change_in_points_and_deals() {
        let mut rows = many(6, 4, 1, "2026-10-15", "acme"); // Q4: 60% of 10
        rows.extend(many(3, 7, 0, "2026-08-01", "Acme")); // Q3: 30% of 10
        rows.extend(many(1, 0, 0, "2026-03-01", "acme")); // Q1: outside both
        let c = compare(&rows, By::Competitor, Period::parse("2026-Q4").unwrap());
        assert_eq!(c.previous.to_string(), "2026-Q3");
        let acme = &c.groups[0];
        assert_eq!((acme.this.label(), acme.prev.label()), ("60.0% (n = 10)".into(), "30.0% (n = 10)".into()));
        assert!((acme.change_points().unwrap() - 30.0).abs() < 1e-9);
        assert_eq!(acme.change_deals(), 0);
        assert_eq!(c.total.this.open, 1);
        assert!(acme.prev.fell_by_at_least(&acme.this, 30) && !acme.prev.fell_by_at_least(&acme.this, 31));
    }

    #[test]
    fn a_period_counts_the_deals_closed_in_it() {
        let mut rows = many(1, 1, 0, "2026-10-15", "acme");
        rows.extend(many(5, 0, 0, "2026-09-30", "acme"));
        let mut undated = outcome("x", "2026-10-01", Outcome::Open, "acme");
        undated.closed_on = None;
        rows.push(undated);
        let q4 = breakdown(&rows, By::Competitor, Some(Period::parse("2026-Q4").unwrap()));
        assert_eq!(q4.total.label(), "50.0% (n = 2)");
        assert_eq!(q4.total.open, 0);
        assert_eq!(breakdown(&rows, By::Competitor, None).total.open, 1);
    }

    #[test]
    fn bad_outcomes_and_future_or_missing_close_dates_are_refused() {
        let e = Outcome::parse("closed").unwrap_err().to_string();
        assert_eq!(e, "'closed' is not an outcome (one of: won, lost, open)");
        assert_eq!(Outcome::parse(" WON ").unwrap(), Outcome::Won);
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let future = outcome("d7", "2026-11-21", Outcome::Lost, "acme");
        assert!(future.check(today).unwrap_err().to_string().starts_with("deal d7: closed on 2026-11-21"));
        let mut undated = outcome("d8", "2026-11-01", Outcome::Won, "acme");
        undated.closed_on = None;
        assert!(matches!(undated.check(today), Err(WinLossError::NoCloseDate { .. })));
        assert!(outcome("d9", "2027-01-15", Outcome::Open, "acme").check(today).is_ok());
    }
}
