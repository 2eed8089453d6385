//! Per-channel totals of a metric over spans of days, kept beside the anomaly scan (`kpi_scan`)
//! until a KPI write moves the facts' version: what feed freshness reads for each feed's four
//! weeks of volume. A span rarely starts on a month's first day, so each one reads a few edge
//! days of facts by channel ([`Kpis::channel_totals`]): at a hundred channels that was most of
//! a brief's time, on every brief, for the same answer until the facts change.
//!
//! Only the facts' days are kept: period totals (reports without a Day column) are not counted
//! by the version, so a reader adds them from its own fresh read. Sums are kept as their bits,
//! so a kept total is exactly the one computed.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::Result;
use super::kpis::Kpis;
use super::tx::Write;
use super::{fmt_day, parse_day};

/// What kept span totals are filed under in `kpi_scan` (bumped when their meaning changes).
const KIND: &str = "feed-spans-1";

/// One metric's per-channel totals over one span, as kept.
#[derive(Serialize, Deserialize)]
struct KeptSpan {
    metric: String,
    from: String,
    to: String,
    /// (channel, the sum's bits)
    sums: Vec<(String, u64)>,
}

/// Span totals by channel at one version of the facts: those kept, and those read since.
#[derive(Debug, Default)]
pub struct SpanSums {
    version: i64,
    spans: HashMap<(String, NaiveDate, NaiveDate), HashMap<String, f64>>,
    /// Spans read from the facts since they were loaded: worth keeping.
    added: bool,
}

impl SpanSums {
    /// Whether spans were read that the store does not keep yet.
    pub fn added(&self) -> bool {
        self.added
    }
}

impl<M> Kpis<'_, M> {
    /// The span totals kept for `as_of` at the facts' current version (none when they moved).
    pub fn span_sums(&self, as_of: NaiveDate) -> Result<SpanSums> {
        let version = self.version()?;
        let mut out = SpanSums { version, ..SpanSums::default() };
        let Some(body) = self.kept_scan(as_of, KIND)? else { return Ok(out) };
        // A body this build cannot read is a cache miss, never an error.
        let Ok(kept) = serde_json::from_str::<Vec<KeptSpan>>(&body) else { return Ok(out) };
        for k in kept {
            let sums = k.sums.into_iter().map(|(c, bits)| (c, f64::from_bits(bits))).collect();
            out.spans.insert((k.metric, parse_day(&k.from), parse_day(&k.to)), sums);
        }
        Ok(out)
    }

    /// Each channel's total of `metric`'s facts over `from..=to` (period totals not included):
    /// kept, or read once ([`Kpis::channel_totals`]) and added to `sums`.
    pub fn span_sum<'s>(
        &self,
        sums: &'s mut SpanSums,
        metric: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<&'s HashMap<String, f64>> {
        let key = (metric.to_string(), from, to);
        if !sums.spans.contains_key(&key) {
            let read = self.channel_totals(metric, from, to)?.into_iter().map(|(c, cell)| (c, cell.sum)).collect();
            sums.spans.insert(key.clone(), read);
            sums.added = true;
        }
        Ok(&sums.spans[&key])
    }
}

impl Kpis<'_, Write> {
    /// Keep `sums` for `as_of`, if the facts are still at the version they were read at.
    pub fn keep_span_sums(&self, as_of: NaiveDate, sums: &SpanSums) -> Result<bool> {
        let mut kept: Vec<KeptSpan> = sums
            .spans
            .iter()
            .map(|((metric, from, to), s)| {
                let mut sums: Vec<(String, u64)> = s.iter().map(|(c, v)| (c.clone(), v.to_bits())).collect();
                sums.sort();
                KeptSpan { metric: metric.clone(), from: fmt_day(*from), to: fmt_day(*to), sums }
            })
            .collect();
        kept.sort_by(|a, b| (&a.metric, &a.from, &a.to).cmp(&(&b.metric, &b.from, &b.to)));
        let body = serde_json::to_string(&kept).map_err(|e| super::error::Error::system(e.to_string()))?;
        self.keep_scan(as_of, KIND, sums.version, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::kpis::NewObservation;

    fn d(s: &str) -> NaiveDate {
        parse_day(s)
    }

    fn record(s: &Store, day: &str, channel: &str, value: f64) {
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        let o = NewObservation { metric: "leads".into(), day: d(day), channel: channel.into(), value };
        s.write(|tx| tx.kpis().record(&o, now)).unwrap();
    }

    #[test]
    fn kept_span_totals_are_the_ones_read_until_a_write_and_leave_the_anomaly_scan_kept() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for (day, ch, v) in [("2026-10-20", "email", 0.1), ("2026-10-28", "email", 0.2), ("2026-11-03", "seo", 7.0)] {
            record(&s, day, ch, v);
        }
        let as_of = d("2026-11-19");
        let v = s.kpis().version().unwrap();
        assert!(s.write(|tx| tx.kpis().keep_scan(as_of, "channel-scan-1:abc", v, "[]")).unwrap());

        let mut sums = s.kpis().span_sums(as_of).unwrap();
        let read = s.kpis().span_sum(&mut sums, "leads", d("2026-10-23"), as_of).unwrap().clone();
        assert_eq!(read.get("email").map(|v| v.to_bits()), Some(0.2f64.to_bits()));
        assert_eq!(read.get("seo"), Some(&7.0));
        assert!(sums.added());
        assert!(s.write(|tx| tx.kpis().keep_span_sums(as_of, &sums)).unwrap());

        let mut kept = s.kpis().span_sums(as_of).unwrap();
        assert_eq!(s.kpis().span_sum(&mut kept, "leads", d("2026-10-23"), as_of).unwrap(), &read);
        assert!(!kept.added(), "read from the kept totals, not the facts");
        assert!(s.kpis().kept_scan(as_of, "channel-scan-1:abc").unwrap().is_some(), "the other kind stays");

        // A write moves the version: nothing kept is read, the new fact counts.
        record(&s, "2026-11-10", "email", 1.0);
        let mut after = s.kpis().span_sums(as_of).unwrap();
        let fresh = s.kpis().span_sum(&mut after, "leads", d("2026-10-23"), as_of).unwrap();
        assert_eq!(fresh.get("email"), Some(&1.2));
        assert!(after.added());
    }
}
