//! The drill-down's channel breakdown, kept until a KPI write moves the facts' version.
//!
//! The breakdown adds up each channel over the spans it compares (the previous span, this one
//! to the day before the latest, the latest day): whole months from `kpi_channel_month`, the
//! edge days from the facts by channel ([`Kpis::channel_totals`]). At a hundred channels those
//! edge days were most of opening a drill-down, for the same answer every time until the facts
//! change. The totals read are kept in `kpi_scan` (as the brief keeps its feed spans, see
//! `kept_spans`), every metric drilled into at that version in one body, and read back
//! instead of the facts.
//!
//! Only the facts' days are kept: period totals and deal outcomes are not counted by the
//! version, so [`Kpis::drill_span_cube`] reads them fresh as every cube does. Sums are kept as
//! their bits, so a kept total is exactly the one computed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::Result;
use super::kpis::Kpis;
use super::tx::Write;
use super::{fmt_day, parse_day};
use crate::domain::kpi::{Cell, Cube};

/// What the kept breakdowns are filed under in `kpi_scan` (bumped when their meaning changes).
const KIND: &str = "drill-spans-1";

/// One metric's per-channel totals over one span, as kept.
#[derive(Serialize, Deserialize)]
struct KeptSpan {
    metric: String,
    from: String,
    to: String,
    /// (channel, the sum's bits, the number of facts)
    cells: Vec<(String, u64, u32)>,
}

type SpanKey = (String, NaiveDate, NaiveDate);

/// Channel totals by span at one version of the facts: those kept, and those read since.
#[derive(Debug, Default)]
pub struct DrillSpans {
    version: i64,
    /// Each span's channels in name order (so the cube's totals are added in one order).
    spans: BTreeMap<SpanKey, Vec<(String, Cell)>>,
    /// Spans read from the facts since they were loaded: worth keeping.
    added: bool,
}

impl DrillSpans {
    /// Whether spans were read that the store does not keep yet.
    pub fn added(&self) -> bool {
        self.added
    }
}

impl<M> Kpis<'_, M> {
    /// The breakdown totals kept for `as_of` at the facts' current version (none when they moved).
    pub fn drill_spans(&self, as_of: NaiveDate) -> Result<DrillSpans> {
        let version = self.version()?;
        let mut out = DrillSpans { version, ..DrillSpans::default() };
        let Some(body) = self.kept_scan(as_of, KIND)? else { return Ok(out) };
        // A body this build cannot read is a cache miss, never an error.
        let Ok(kept) = serde_json::from_str::<Vec<KeptSpan>>(&body) else { return Ok(out) };
        for k in kept {
            let cells =
                k.cells.into_iter().map(|(c, bits, count)| (c, Cell { sum: f64::from_bits(bits), count })).collect();
            out.spans.insert((k.metric, parse_day(&k.from), parse_day(&k.to)), cells);
        }
        Ok(out)
    }

    /// [`Kpis::span_cube`] with each span's channel totals taken from `kept` when it holds them,
    /// else read from the facts once and added to it.
    pub fn drill_span_cube(
        &self,
        kept: &mut DrillSpans,
        metrics: &[String],
        spans: &[(NaiveDate, NaiveDate)],
    ) -> Result<Cube> {
        let from = spans.iter().map(|s| s.0).min().unwrap_or_default();
        let to = spans.iter().map(|s| s.1).max().unwrap_or_default();
        self.filled_cube(metrics, from, to, |cube, m| {
            for &(a, b) in spans {
                let key = (m.to_string(), a, b);
                if !kept.spans.contains_key(&key) {
                    let mut read: Vec<(String, Cell)> = self.channel_totals(m, a, b)?.into_iter().collect();
                    read.sort_by(|x, y| x.0.cmp(&y.0));
                    kept.spans.insert(key.clone(), read);
                    kept.added = true;
                }
                for (channel, cell) in &kept.spans[&key] {
                    cube.add(m, a, channel, cell.sum, cell.count);
                }
            }
            Ok(())
        })
    }
}

impl Kpis<'_, Write> {
    /// Keep `spans` for `as_of`, if the facts are still at the version they were read at.
    pub fn keep_drill_spans(&self, as_of: NaiveDate, spans: &DrillSpans) -> Result<bool> {
        let kept: Vec<KeptSpan> = spans
            .spans
            .iter()
            .map(|((metric, from, to), cells)| {
                let cells = cells.iter().map(|(c, cell)| (c.clone(), cell.sum.to_bits(), cell.count)).collect();
                KeptSpan { metric: metric.clone(), from: fmt_day(*from), to: fmt_day(*to), cells }
            })
            .collect();
        let body = serde_json::to_string(&kept).map_err(|e| super::error::Error::system(e.to_string()))?;
        self.keep_scan(as_of, KIND, spans.version, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::kept_spans::tests::record;

    fn d(s: &str) -> NaiveDate {
        parse_day(s)
    }

    fn cells(c: &Cube, day: &str) -> Vec<(String, u64, u32)> {
        let mut out: Vec<(String, u64, u32)> = c
            .channels("leads")
            .into_iter()
            .map(|ch| {
                let r = c.range("leads", Some(&ch), d(day), d(day));
                (ch, r.sum.to_bits(), r.count)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn kept_breakdown_totals_are_the_ones_read_until_a_write() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for (day, ch, v) in [("2026-10-20", "email", 0.1), ("2026-10-28", "email", 0.2), ("2026-11-03", "seo", 7.0)] {
            record(&s, day, ch, v);
        }
        let as_of = d("2026-11-19");
        let metrics = vec!["leads".to_string()];
        let spans = [(d("2026-10-01"), d("2026-10-19")), (d("2026-10-20"), d("2026-11-18")), (as_of, as_of)];
        let fresh = s.kpis().span_cube(&metrics, &spans).unwrap();

        let mut kept = s.kpis().drill_spans(as_of).unwrap();
        let read = s.kpis().drill_span_cube(&mut kept, &metrics, &spans).unwrap();
        assert!(kept.added());
        assert_eq!(cells(&read, "2026-10-20"), cells(&fresh, "2026-10-20"));
        assert!(s.write(|tx| tx.kpis().keep_drill_spans(as_of, &kept)).unwrap());

        let mut again = s.kpis().drill_spans(as_of).unwrap();
        let back = s.kpis().drill_span_cube(&mut again, &metrics, &spans).unwrap();
        assert!(!again.added(), "read from the kept totals, not the facts");
        for day in ["2026-10-01", "2026-10-20", "2026-11-19"] {
            assert_eq!(cells(&back, day), cells(&fresh, day), "{day}");
        }
        let counts: Vec<u32> = cells(&back, "2026-10-20").into_iter().map(|c| c.2).collect();
        assert_eq!(counts, vec![2, 1], "email twice, seo once");

        // A write moves the version: nothing kept is read, and the new totals are the facts'.
        record(&s, "2026-10-25", "seo", 1.0);
        let mut after = s.kpis().drill_spans(as_of).unwrap();
        let fresh = s.kpis().drill_span_cube(&mut after, &metrics, &spans).unwrap();
        assert!(after.added());
        assert_eq!(cells(&fresh, "2026-10-20")[1], ("seo".into(), 8.0f64.to_bits(), 2));
    }
}
