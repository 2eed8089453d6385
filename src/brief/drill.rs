//! One KPI in depth: its history this period against the target line and the previous period,
//! and the channel breakdown (share and change). Computed from the same domain functions as
//! the brief, over a window no longer than the two periods shown.

use chrono::{Duration, NaiveDate};

use crate::domain::kpi::{self, Cube, Frame, Metric, Span};
use crate::domain::model::Rollup;
use crate::domain::period::Grain;
use crate::domain::period_choice::Shown;
use crate::store::Store;
use crate::store::error::Result;
use crate::store::kpis::Observation;

/// Days shown when the grain is a single day.
const DAY_VIEW: i64 = 28;

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelRow {
    pub channel: String,
    pub value: Option<f64>,
    /// Share of the total (of the denominator for a ratio: a channel's share of the leads behind CPL).
    pub share: Option<f64>,
    pub change: Option<f64>,
    /// The latest complete day alone (where yesterday's jump shows).
    pub latest: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Drill {
    pub metric: Metric,
    pub frame: Frame,
    /// Sums are charted as running totals (so the target is a rising line); levels day by day.
    pub cumulative: bool,
    /// Number of x positions (days) on the chart.
    pub days: usize,
    /// (day index, value) of the current span.
    pub current: Vec<(f64, f64)>,
    pub previous: Vec<(f64, f64)>,
    pub target_line: Vec<(f64, f64)>,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub channels: Vec<ChannelRow>,
    /// The latest observations, newest first, for edit and delete.
    pub recent: Vec<Observation>,
    /// The metric those observations belong to (a ratio's entries are its parts').
    pub entries_of: String,
    pub first_day: NaiveDate,
    /// The notes on this metric (or on every metric) over the chart's days, earliest first.
    pub notes: Vec<crate::store::notes::Note>,
}

impl Drill {
    /// The drill-down of `metric` over the period the brief shows (`shown`).
    pub fn build(store: &Store, metric: &str, shown: &Shown, today: NaiveDate) -> Result<Drill> {
        let m = store.kpis().metric(metric)?;
        let frame = Frame::of(shown);
        let grain = shown.period.grain;
        // The last day shown: yesterday for a period to date, the period's end once it closed.
        let yesterday = shown.through.unwrap_or(today - Duration::days(1));
        let (first_day, days, prev_first) = if grain == Grain::Day {
            let first = yesterday - Duration::days(DAY_VIEW - 1);
            (first, DAY_VIEW as usize, first - Duration::days(DAY_VIEW))
        } else {
            (frame.period.start, frame.period.days() as usize, frame.period.prev().start)
        };
        // The chart is daily totals (the rollups); only the channel breakdown reads facts by
        // channel, over the two spans it compares.
        let cube = store.kpis().daily_totals(&m.inputs(), prev_first, yesterday)?;
        let cumulative = m.is_additive() && grain != Grain::Day;
        let series = |start: NaiveDate, last: NaiveDate| -> Vec<(f64, f64)> {
            let mut out = Vec::new();
            let mut run = 0.0;
            for i in 0..days {
                let d = start + Duration::days(i as i64);
                if d > last || d > yesterday {
                    break;
                }
                let v = kpi::value(&m, &cube, None, d, d);
                if cumulative {
                    run += v.unwrap_or(0.0);
                    out.push((i as f64, run));
                } else if let Some(v) = v {
                    out.push((i as f64, v));
                }
            }
            out
        };
        let current = series(first_day, yesterday);
        let prev_last = if grain == Grain::Day { first_day - Duration::days(1) } else { frame.period.prev().end() };
        let previous = series(prev_first, prev_last);
        let targets: Vec<(String, f64)> =
            store.kpis().targets()?.into_iter().filter(|(k, _, _)| *k == m.key).map(|(_, p, v)| (p, v)).collect();
        let target = kpi::target_for(&m, &frame.period, &targets);
        let target_line = match target {
            Some(t) if cumulative => vec![(0.0, t / days as f64), (days as f64 - 1.0, t)],
            Some(t) => vec![(0.0, t), (days as f64 - 1.0, t)],
            None => Vec::new(),
        };
        let value = frame.current.and_then(|s| kpi::value(&m, &cube, None, s.from, s.to));
        let by_channel = match (frame.current, frame.previous) {
            // A metric read as its latest day needs each channel's days; any other adds up
            // spans, which the monthly rollup answers with a few days of facts at its edges.
            (Some(cur), prev) if m.ratio().is_none() && m.rollup == Rollup::Last => {
                let from = prev.map_or(cur.from, |p| p.from.min(cur.from));
                Some(store.kpis().cube(&m.inputs(), from, yesterday)?)
            }
            // Kept until the facts change: reading the spans' edge days by channel was most of
            // opening a drill-down on a store of a hundred channels (see store::kept_drill).
            (Some(cur), prev) => {
                let mut kept = store.kpis().drill_spans(yesterday)?;
                let cube = store.kpis().drill_span_cube(&mut kept, &m.inputs(), &spans(cur, prev, yesterday))?;
                if kept.added() && store.keeps_derived() {
                    // Best effort: a busy or read-only store computes it again next time.
                    let _ = store.write_if_free(|tx| tx.kpis().keep_drill_spans(yesterday, &kept));
                }
                Some(cube)
            }
            (None, _) => None,
        };
        let channels = by_channel.map(|c| breakdown(&m, &c, &frame, yesterday)).unwrap_or_default();
        let entries_of = m.inputs().first().cloned().unwrap_or_else(|| m.key.clone());
        let recent = store.kpis().recent(&entries_of, 12)?;
        let last_day = first_day + Duration::days(days as i64 - 1);
        let notes = store
            .notes()
            .between(Some(first_day), Some(last_day))?
            .into_iter()
            .filter(|n| n.note.speaks_about(&m.key, None))
            .collect();
        Ok(Drill {
            metric: m,
            frame,
            cumulative,
            days,
            current,
            previous,
            target_line,
            value,
            target,
            channels,
            recent,
            entries_of,
            first_day,
            notes,
        })
    }
}

/// The spans the channel breakdown reads, disjoint: the previous span, the current one up to the
/// day before the latest, and the latest day (whose value is shown on its own); nothing after
/// the latest day, as the chart.
fn spans(cur: Span, prev: Option<Span>, latest: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = prev.map(|p| (p.from, p.to.min(latest))).into_iter().collect();
    if cur.from < latest {
        out.push((cur.from, cur.to.min(latest - Duration::days(1))));
    }
    if latest >= cur.from {
        out.push((latest, latest));
    }
    out.retain(|(a, b)| a <= b);
    out
}

fn breakdown(m: &Metric, cube: &Cube, frame: &Frame, latest: NaiveDate) -> Vec<ChannelRow> {
    let Some(cur) = frame.current else { return Vec::new() };
    let share_of = m.ratio().and_then(|f| f.den.first().cloned()).unwrap_or_else(|| m.key.clone());
    let total = cube.range(&share_of, None, cur.from, cur.to).sum;
    let shares = m.is_additive() || m.ratio().is_some();
    let mut rows: Vec<ChannelRow> = cube
        .channels(&share_of)
        .into_iter()
        .map(|c| {
            let ch = Some(c.as_str());
            let value = kpi::value(m, cube, ch, cur.from, cur.to);
            let prev = frame.previous.and_then(|p| kpi::value(m, cube, ch, p.from, p.to));
            let part = cube.range(&share_of, ch, cur.from, cur.to).sum;
            let latest = kpi::value(m, cube, ch, latest, latest);
            ChannelRow {
                channel: if c.is_empty() { "(none)".into() } else { c },
                value,
                share: (shares && total > 0.0).then(|| part / total),
                change: kpi::change(value, prev),
                latest,
            }
        })
        .filter(|r| r.value.is_some() || r.share.is_some_and(|s| s > 0.0))
        .collect();
    rows.sort_by(|a, b| b.share.unwrap_or(0.0).total_cmp(&a.share.unwrap_or(0.0)).then(a.channel.cmp(&b.channel)));
    rows
}
