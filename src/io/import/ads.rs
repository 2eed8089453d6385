//! Row handling shared by the paid-media presets: one spend entry plus delivery KPIs per campaign-day.

use chrono::NaiveDate;
use csv::StringRecord;

use super::date::{parse_date, push_iso};
use super::number::cents;
use super::sink::Sink;
use super::table::{Header, cell, opt_cell, read_counts};

/// Where each field lives in this file's header.
pub(super) struct AdsColumns {
    pub day: Option<usize>,
    pub campaign: usize,
    pub cost: usize,
    pub currency: Option<usize>,
    /// Campaign type, when the tool says which network a campaign runs on.
    pub kind: Option<usize>,
    /// (metric key, column) for each count column present.
    pub counts: Vec<(&'static str, usize)>,
}

/// What differs between the tools once the columns are known.
pub(super) struct AdsSource {
    pub note: &'static str,
    /// The day for every row when the table has no day column (the report's last day).
    pub fixed_day: Option<NaiveDate>,
    /// Channel slug from the campaign-type cell ("" when there is no such column).
    pub channel: fn(&str) -> &'static str,
}

/// Per-row scratch reused across rows so the hot loop does not allocate for parsed counts.
pub(super) struct Scratch {
    counts: Vec<Option<f64>>,
}

impl Scratch {
    pub fn new(cols: &AdsColumns) -> Self {
        Scratch { counts: vec![None; cols.counts.len()] }
    }
}

/// Totals rows are only recognised by an explicit label, because a campaign may itself be named "Total …".
pub(super) fn is_totals(first: &str) -> bool {
    let lower = first.to_ascii_lowercase();
    lower.starts_with("total:") || lower == "total" || lower == "grand total"
}

pub(super) fn row(
    sink: &mut Sink,
    h: &Header,
    line: usize,
    rec: &StringRecord,
    cols: &AdsColumns,
    src: &AdsSource,
    scratch: &mut Scratch,
) {
    let first = cell(rec, 0);
    if is_totals(first) {
        return sink.skip(line, format!("totals row ({})", crate::domain::text::quote(first)));
    }
    let mut ok = true;
    let day = match cols.day {
        Some(i) => parse_date(cell(rec, i)).map_err(|e| sink.error(line, h.name(i), e)).ok(),
        None => src.fixed_day,
    };
    ok &= day.is_some();
    let campaign = cell(rec, cols.campaign);
    if campaign.is_empty() {
        sink.error(line, h.name(cols.campaign), "empty campaign name");
        ok = false;
    }
    if let Some(i) = cols.currency {
        sink.currency(line, h.name(i), cell(rec, i));
    }
    let cost = match cents(cell(rec, cols.cost), h.sep) {
        Ok(Some(c)) if c < 0 => {
            sink.error(
                line,
                h.name(cols.cost),
                format!("negative cost {}", crate::domain::text::quote(cell(rec, cols.cost))),
            );
            ok = false;
            None
        }
        Ok(c) => c,
        Err(e) => {
            sink.error(line, h.name(cols.cost), e);
            ok = false;
            None
        }
    };
    ok &= read_counts(sink, h, line, rec, &cols.counts, &mut scratch.counts);
    let Some(day) = day.filter(|_| ok) else {
        return;
    };
    let channel = (src.channel)(opt_cell(rec, cols.kind));
    sink.campaign(campaign, channel);

    // Keys: the spend entry is "day|campaign|spend"; KPIs add the channel and metric, so the two
    // kinds never share a key. Rows repeating a campaign-day (extra segments such as device) are summed.
    if let Some(c) = cost {
        let key = ads_key(day, campaign, &["spend"]);
        sink.add_spend(line, h.name(cols.cost), key, campaign, channel, day, c, src.note);
        let key = ads_key(day, campaign, &[channel, "spend"]);
        sink.add_kpi(line, key, "spend", day, channel, Some(campaign), c as f64 / 100.0);
    }
    for (value, &(metric, _)) in scratch.counts.iter().zip(&cols.counts) {
        if let Some(v) = *value {
            let key = ads_key(day, campaign, &[channel, metric]);
            sink.add_kpi(line, key, metric, day, channel, Some(campaign), v);
        }
    }
}

fn ads_key(day: NaiveDate, campaign: &str, tail: &[&str]) -> String {
    let mut key = String::with_capacity(12 + campaign.len() + tail.iter().map(|t| t.len() + 1).sum::<usize>());
    push_iso(&mut key, day);
    key.push('|');
    key.push_str(campaign);
    for t in tail {
        key.push('|');
        key.push_str(t);
    }
    key
}
