//! Feed freshness's kept reads: each feed (a metric from one channel) judged over the window
//! freshness learns from, with its facts' total over its four weeks of volume, kept in
//! `kpi_scan` beside the anomaly scan. A brief reads them back when the facts have not moved, and
//! after a write re-reads only the series it touched (the dirty-series log): at a thousand
//! channels the days of every channel, read on every brief, were most of a brief's time.
//!
//! A span's total by channel: whole months from the monthly rollup, and the days of a month the
//! span cuts from the facts (the days inside it, or the month less the days outside it, whichever
//! are fewer days). The rule depends on the span alone, so a channel's total read on its own is
//! the same sum, in the same order, as read with every other channel: kept totals and re-read
//! ones agree to the bit. Only the facts' days are kept: period totals (reports without a Day
//! column) are added by the reader from its own fresh read. Sums are kept as their bits.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::channel_months::{Totals, add_to, month_end, month_key, month_start};
use super::error::Result;
use super::kpis::Kpis;
use super::tx::Write;
use crate::domain::freshness::Freshness;

/// One feed as judged from its days, with its facts' total over `span`.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgedFeed {
    pub metric: String,
    pub channel: String,
    pub fresh: Freshness,
    /// The days its usual volume is counted over.
    pub span: (NaiveDate, NaiveDate),
    /// Its facts' total over `span` (period totals not included).
    pub days_sum: f64,
    /// The quiet days its rhythm allows before it is stale: judged again on a later day from
    /// this when its days did not move.
    pub allowed: i64,
}

/// Judged feeds as kept: a line per feed, its fields between tabs: metric, channel, last day,
/// usual gap (empty when unknown), quiet days, stale (0/1), the span's first and last day, the
/// sum's bits (hex), the quiet days allowed. Days as days from the common era, numbers exact.
/// Read on every brief after a write or on a new day and written again after it: at a thousand
/// channels a JSON array of objects with days as text was most of that brief's time.
pub(crate) fn feeds_body(feeds: &[JudgedFeed]) -> Option<String> {
    use std::fmt::Write as _;
    let mut body = String::with_capacity(feeds.len() * 64);
    for f in feeds {
        // A name that would cut its line is not kept in this form: the next brief reads afresh.
        if [&f.metric, &f.channel].iter().any(|t| t.contains(['\t', '\n'])) {
            return None;
        }
        let gap = f.fresh.usual_gap.map(|g| g.to_string()).unwrap_or_default();
        let _ = writeln!(
            body,
            "{}\t{}\t{}\t{gap}\t{}\t{}\t{}\t{}\t{:x}\t{}",
            f.metric,
            f.channel,
            f.fresh.last.num_days_from_ce(),
            f.fresh.quiet_days,
            u8::from(f.fresh.stale),
            f.span.0.num_days_from_ce(),
            f.span.1.num_days_from_ce(),
            f.days_sum.to_bits(),
            f.allowed,
        );
    }
    Some(body)
}

/// Judged feeds from a kept body; `None` (a cache miss, never an error) for a body this build
/// cannot read.
fn feeds_of(body: &str) -> Option<Vec<JudgedFeed>> {
    let day = |t: &str| NaiveDate::from_num_days_from_ce_opt(t.parse().ok()?);
    body.lines()
        .map(|line| {
            // Ten fields, no more: split in place, no Vec per line (read on every new day).
            let mut f = line.split('\t');
            let mut next = || f.next();
            let (metric, channel, last, gap, quiet) = (next()?, next()?, next()?, next()?, next()?);
            let (stale, from, to, sum, allowed) = (next()?, next()?, next()?, next()?, next()?);
            if next().is_some() {
                return None;
            }
            Some(JudgedFeed {
                metric: metric.to_string(),
                channel: channel.to_string(),
                fresh: Freshness {
                    last: day(last)?,
                    usual_gap: if gap.is_empty() { None } else { Some(gap.parse().ok()?) },
                    quiet_days: quiet.parse().ok()?,
                    stale: stale == "1",
                },
                span: (day(from)?, day(to)?),
                days_sum: f64::from_bits(u64::from_str_radix(sum, 16).ok()?),
                allowed: allowed.parse().ok()?,
            })
        })
        .collect()
}

impl<M> Kpis<'_, M> {
    /// Judged feeds kept under `params` for `as_of`, with the version they were judged at.
    pub fn kept_feeds(&self, as_of: NaiveDate, params: &str) -> Result<Option<(i64, Vec<JudgedFeed>)>> {
        let Some((version, body)) = self.kept_scan_at(as_of, params)? else { return Ok(None) };
        Ok(feeds_of(&body).map(|list| (version, list)))
    }

    /// The judged feeds kept under `params` for the latest day before `as_of`, with that day and
    /// their version: a new day's brief carries them forward (`brief::fresh::judged`).
    pub fn kept_feeds_before(
        &self,
        as_of: NaiveDate,
        params: &str,
    ) -> Result<Option<(NaiveDate, i64, Vec<JudgedFeed>)>> {
        let Some((day, version, body)) = self.kept_scan_before(as_of, params)? else { return Ok(None) };
        Ok(feeds_of(&body).map(|list| (day, version, list)))
    }

    /// Each channel's total of `metric`'s facts over `from..=to` (only `channel`'s, if given),
    /// channels with none left out. See the module's comment for the rule.
    pub fn span_totals(
        &self,
        metric: &str,
        from: NaiveDate,
        to: NaiveDate,
        channel: Option<&str>,
    ) -> Result<HashMap<String, f64>> {
        let mut out = Totals::new();
        let mut key = month_key(from);
        while from <= to && key <= month_key(to) {
            let (ms, me) = (month_start(key), month_end(key));
            let (a, b) = (from.max(ms), to.min(me));
            let inside = (b - a).num_days() + 1;
            if a == ms && b == me {
                self.add_month(&mut out, metric, key, channel, 1.0)?;
            } else if inside <= (me - ms).num_days() + 1 - inside {
                self.days_into(&mut out, metric, a, b, 1.0, channel)?;
            } else {
                self.add_month(&mut out, metric, key, channel, 1.0)?;
                self.days_into(&mut out, metric, ms, a - Duration::days(1), -1.0, channel)?;
                self.days_into(&mut out, metric, b + Duration::days(1), me, -1.0, channel)?;
            }
            key += 1;
        }
        // A month less its other days leaves a rounding residue where nothing is left: none.
        Ok(out.into_iter().filter(|(_, (_, n))| *n > 0).map(|(c, (sum, _))| (c, sum)).collect())
    }

    /// The facts of `from..=to` by day then channel, as the full reads group them: one channel's
    /// by a seek per day on the same index, so each day's sum is the same bits.
    fn days_into(
        &self,
        out: &mut Totals,
        metric: &str,
        from: NaiveDate,
        to: NaiveDate,
        sign: f64,
        channel: Option<&str>,
    ) -> Result<()> {
        let Some(channel) = channel else { return self.add_facts(out, metric, from, to, sign) };
        let mut day = from;
        while day <= to {
            if let Some((sum, n)) = self.day_of_channel(metric, day, channel)? {
                add_to(out, channel, sign * sum, sign as i64 * n);
            }
            day += Duration::days(1);
        }
        Ok(())
    }
}

impl Kpis<'_, Write> {
    /// Keep the judged feeds (their body, as [`feeds_body`] writes it: a brief makes it as it
    /// judges and keeps it with its other results in one transaction, `brief::keeps`) for `as_of`
    /// under `params`, if the facts are still at `version`.
    pub fn keep_feeds(&self, as_of: NaiveDate, params: &str, version: i64, body: &str) -> Result<bool> {
        // Feeds kept by an older build under another kind are never read again, and their old
        // version would hold the dirty log back from pruning (`keep_scan` replaces only its kind).
        let kind = params.split(':').next().unwrap_or(params);
        if self.version()? == version {
            self.db.conn().execute(
                "DELETE FROM kpi_scan WHERE substr(params, 1, 6) = 'feeds-' AND substr(params, 1, length(?1) + 1) <> ?1 || ':'",
                [kind],
            )?;
        }
        self.keep_scan(as_of, params, version, body)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::kpis::NewObservation;
    use crate::store::parse_day;

    fn d(s: &str) -> NaiveDate {
        parse_day(s)
    }

    /// One `leads` value recorded as `kpi record` would (shared with the kept drill's tests).
    pub(in crate::store) fn record(s: &Store, day: &str, channel: &str, value: f64) {
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        let o = NewObservation { metric: "leads".into(), day: d(day), channel: channel.into(), value };
        s.write(|tx| tx.kpis().record(&o, now)).unwrap();
    }

    #[test]
    fn a_channels_span_total_read_alone_is_the_one_read_with_every_channel() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        for (day, ch, v) in [
            ("2026-10-20", "email", 0.1),
            ("2026-10-28", "email", 0.2),
            ("2026-10-28", "email", 0.7),
            ("2026-10-02", "email", 0.3),
            ("2026-11-03", "seo", 7.0),
            ("2026-11-18", "email", 1.1),
        ] {
            record(&s, day, ch, v);
        }
        // A span cutting two months: October less its first days, November's first days.
        for (a, b) in [("2026-10-23", "2026-11-19"), ("2026-10-01", "2026-10-31"), ("2026-10-05", "2026-10-30")] {
            let all = s.kpis().span_totals("leads", d(a), d(b), None).unwrap();
            for ch in ["email", "seo", "web"] {
                let one = s.kpis().span_totals("leads", d(a), d(b), Some(ch)).unwrap();
                assert_eq!(one.get(ch).map(|v| v.to_bits()), all.get(ch).map(|v| v.to_bits()), "{ch} {a}..{b}");
            }
        }
        let all = s.kpis().span_totals("leads", d("2026-10-23"), d("2026-11-19"), None).unwrap();
        assert_eq!(all.get("seo"), Some(&7.0));
        assert!((all["email"] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn judged_feeds_are_kept_as_judged_and_read_back_to_the_bit() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20").unwrap();
        s.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        record(&s, "2026-11-03", "seo", 7.0);
        let feed = JudgedFeed {
            metric: "leads".into(),
            channel: "seo".into(),
            fresh: Freshness { last: d("2026-11-03"), usual_gap: Some(1), quiet_days: 16, stale: true },
            span: (d("2026-10-07"), d("2026-11-03")),
            days_sum: 0.1 + 0.2,
            allowed: 2,
        };
        let body = feeds_body(std::slice::from_ref(&feed)).expect("a body");
        let v = s.kpis().version().unwrap();
        assert!(s.write(|tx| tx.kpis().keep_feeds(d("2026-11-19"), "feeds-2:x", v, &body)).unwrap());
        assert_eq!(s.kpis().kept_feeds(d("2026-11-19"), "feeds-2:x").unwrap(), Some((v, vec![feed.clone()])));
        // Feeds of another kind (an older build's) go when these are kept; other results stay.
        s.write(|tx| tx.kpis().keep_scan(d("2026-11-19"), "channel-scan-2:y", v, "scan")).unwrap();
        assert!(s.write(|tx| tx.kpis().keep_feeds(d("2026-11-19"), "feeds-9:x", v, &body)).unwrap());
        assert_eq!(s.kpis().kept_feeds(d("2026-11-19"), "feeds-2:x").unwrap(), None);
        assert!(s.kpis().kept_scan_at(d("2026-11-19"), "channel-scan-2:y").unwrap().is_some());
        assert!(s.write(|tx| tx.kpis().keep_feeds(d("2026-11-19"), "feeds-2:x", v, &body)).unwrap());
        assert_eq!(s.kpis().kept_feeds(d("2026-11-19"), "feeds-9:x").unwrap(), None);
        // Every field to the bit, an unknown rhythm too; a name that would cut its line is not kept.
        let odd = JudgedFeed {
            channel: "linked in".into(),
            fresh: Freshness { usual_gap: None, stale: false, ..feed.fresh },
            days_sum: -1e-300,
            ..feed.clone()
        };
        assert_eq!(feeds_of(&feeds_body(&[feed.clone(), odd.clone()]).unwrap()), Some(vec![feed.clone(), odd]));
        assert_eq!(feeds_body(&[JudgedFeed { channel: "a\tb".into(), ..feed.clone() }]), None);
        assert_eq!(feeds_of("leads\tseo\tnot a day\t\t1\t0\t1\t2\t0\t2\n"), None);
        // A write leaves it kept at its version: the reader brings it up to date from the log.
        record(&s, "2026-11-10", "email", 1.0);
        assert_eq!(s.kpis().kept_feeds(d("2026-11-19"), "feeds-2:x").unwrap().map(|k| k.0), Some(v));
        let dirty = s.kpis().dirty_since(v).unwrap().expect("the log reaches back");
        assert_eq!(dirty.get("leads").map(|c| c.iter().cloned().collect::<Vec<_>>()), Some(vec!["email".to_string()]));
    }
}
