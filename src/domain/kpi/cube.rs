//! The cube: daily sums and counts of metrics by channel over a window, and the period totals
//! an import stated without days, read back the way every KPI value is computed from.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
/// Sum and number of observations of one metric on one day (in one channel or all).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    pub sum: f64,
    pub count: u32,
}

/// One metric's daily cells inside a window, in total and per channel, and its period totals.
#[derive(Debug, Clone, Default)]
struct Series {
    total: Vec<Cell>,
    by_channel: BTreeMap<String, Vec<Cell>>,
    periods: Vec<PeriodCell>,
}

/// A total over several days with no day of its own (a month of Google Ads without a Day
/// column): it counts in a range it falls wholly inside, never in a single day's cell.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodCell {
    pub channel: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: f64,
    /// Where two period totals of one channel overlap inside a range, the lowest counts: the
    /// source's rank (`import::source::rank`), then the longer period, then the import's id.
    pub rank: (u8, u8, i64),
}

impl PeriodCell {
    fn beats(&self, other: &PeriodCell) -> bool {
        let span = |p: &PeriodCell| -(p.to - p.from).num_days();
        (self.rank.0, self.rank.1, span(self), self.rank.2) < (other.rank.0, other.rank.1, span(other), other.rank.2)
    }

    fn overlaps(&self, other: &PeriodCell) -> bool {
        self.channel == other.channel && self.from <= other.to && other.from <= self.to
    }
}

/// Daily totals of some metrics over a window of days: what one indexed, windowed query
/// returns, and everything the dashboard computes from. Channel '' is "not split".
#[derive(Debug, Clone)]
pub struct Cube {
    pub from: NaiveDate,
    pub to: NaiveDate,
    series: HashMap<String, Series>,
}

impl Cube {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Cube {
        Cube { from, to, series: HashMap::new() }
    }

    fn len(&self) -> usize {
        ((self.to - self.from).num_days() + 1).max(0) as usize
    }

    fn index(&self, day: NaiveDate) -> Option<usize> {
        (day >= self.from && day <= self.to).then(|| (day - self.from).num_days() as usize)
    }

    /// Add one aggregated row (days outside the window are ignored).
    pub fn add(&mut self, metric: &str, day: NaiveDate, channel: &str, sum: f64, count: u32) {
        let Some(i) = self.index(day) else { return };
        let n = self.len();
        let s = self.series_mut(metric);
        s.total[i].sum += sum;
        s.total[i].count += count;
        // Looked up before inserting: a window of a thousand channels adds a row per channel
        // and day, and allocating a key for each would cost more than the rest.
        let c = match s.by_channel.get_mut(channel) {
            Some(c) => c,
            None => s.by_channel.entry(channel.to_string()).or_insert_with(|| vec![Cell::default(); n]),
        };
        c[i].sum += sum;
        c[i].count += count;
    }

    /// Add a day's total with no channel split (daily rollups): `channels` stays empty.
    pub fn add_total(&mut self, metric: &str, day: NaiveDate, sum: f64, count: u32) {
        let Some(i) = self.index(day) else { return };
        let s = self.series_mut(metric);
        s.total[i].sum += sum;
        s.total[i].count += count;
    }

    fn series_mut(&mut self, metric: &str) -> &mut Series {
        let n = self.len();
        if !self.series.contains_key(metric) {
            self.series.insert(metric.to_string(), Series::default());
        }
        let s = self.series.get_mut(metric).expect("inserted above");
        if s.total.is_empty() {
            s.total = vec![Cell::default(); n];
        }
        s
    }

    /// Add a period total; one outside the window is ignored (it can never fall inside a range).
    pub fn add_period(&mut self, metric: &str, cell: PeriodCell) {
        if cell.from < self.from || cell.to > self.to || cell.from >= cell.to {
            return;
        }
        let n = self.len();
        let s = self.series.entry(metric.to_string()).or_default();
        if s.total.is_empty() {
            s.total = vec![Cell::default(); n];
        }
        s.periods.push(cell);
    }

    /// The period totals of `metric` that count in `from..=to`: wholly inside it, and not
    /// overlapped there by one that ranks first (two reports of one month, or a month inside a
    /// quarter: never summed twice).
    fn periods_in(&self, metric: &str, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> Cell {
        let Some(s) = self.series.get(metric).filter(|s| !s.periods.is_empty() && from < to) else {
            return Cell::default();
        };
        let inside: Vec<&PeriodCell> = s
            .periods
            .iter()
            .filter(|p| p.from >= from && p.to <= to && channel.is_none_or(|c| p.channel == c))
            .collect();
        inside
            .iter()
            .filter(|p| !inside.iter().any(|q| !std::ptr::eq(*q, **p) && q.overlaps(p) && q.beats(p)))
            .fold(Cell::default(), |acc, p| Cell { sum: acc.sum + p.value, count: acc.count + 1 })
    }

    /// The daily cells of `metric` (in `channel`, or in total) over the window, oldest first.
    /// Period totals are not days: never among these (see `range`).
    pub fn cells(&self, metric: &str, channel: Option<&str>) -> Option<&[Cell]> {
        let s = self.series.get(metric)?;
        match channel {
            None => Some(&s.total),
            Some(c) => s.by_channel.get(c).map(|v| v.as_slice()),
        }
    }

    /// The cell of `metric` on `day`.
    pub fn cell(&self, metric: &str, channel: Option<&str>, day: NaiveDate) -> Cell {
        match (self.cells(metric, channel), self.index(day)) {
            (Some(c), Some(i)) => c[i],
            _ => Cell::default(),
        }
    }

    /// Sum and count over `from..=to` (clipped to the window).
    pub fn range(&self, metric: &str, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> Cell {
        let from = from.max(self.from);
        let to = to.min(self.to);
        if from > to {
            return Cell::default();
        }
        let (a, b) = ((from - self.from).num_days() as usize, (to - self.from).num_days() as usize);
        let days = self.cells(metric, channel).map_or(Cell::default(), |cells| {
            cells[a..=b]
                .iter()
                .fold(Cell::default(), |acc, c| Cell { sum: acc.sum + c.sum, count: acc.count + c.count })
        });
        let periods = self.periods_in(metric, channel, from, to);
        Cell { sum: days.sum + periods.sum, count: days.count + periods.count }
    }

    /// The latest day in `from..=to` with an observation, and that day's cell.
    pub(super) fn last(&self, metric: &str, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> Option<Cell> {
        let mut d = to.min(self.to);
        while d >= from.max(self.from) {
            let c = self.cell(metric, channel, d);
            if c.count > 0 {
                return Some(c);
            }
            d -= Duration::days(1);
        }
        None
    }

    /// Daily totals of `metric` over `from..=to` (clipped to the window), every day present.
    pub fn daily(&self, metric: &str, channel: Option<&str>, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, f64)> {
        let mut out = Vec::new();
        let mut d = from.max(self.from);
        while d <= to.min(self.to) {
            out.push((d, self.cell(metric, channel, d).sum));
            d += Duration::days(1);
        }
        out
    }

    /// The days in the window `metric` was observed on in `channel`, oldest first.
    pub fn observed_days(&self, metric: &str, channel: &str) -> Vec<NaiveDate> {
        let Some(cells) = self.cells(metric, Some(channel)) else { return Vec::new() };
        cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.count > 0)
            .map(|(i, _)| self.from + Duration::days(i as i64))
            .collect()
    }

    /// Channels seen for `metric`, by name (in daily cells or period totals).
    pub fn channels(&self, metric: &str) -> Vec<String> {
        let Some(s) = self.series.get(metric) else { return Vec::new() };
        let mut out: Vec<String> = s.by_channel.keys().cloned().collect();
        for p in &s.periods {
            if !out.contains(&p.channel) {
                out.push(p.channel.clone());
            }
        }
        out.sort();
        out
    }
}
