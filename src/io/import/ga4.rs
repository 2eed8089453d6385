//! GA4 report exports: a `#` preamble with the date range, then a channel table (optionally per day).

use chrono::NaiveDate;

use super::date::{parse_date, push_iso};
use super::decode::Line;
use super::sink::Sink;
use super::table::{Table, cell, read_counts};
use super::text::slug;

/// Metric key and the GA4 column names that feed it (older properties say "Conversions").
const METRICS: [(&str, &[&str]); 5] = [
    ("sessions", &["Sessions"]),
    ("engaged_sessions", &["Engaged sessions"]),
    ("key_events", &["Key events", "Conversions"]),
    ("new_users", &["New users"]),
    ("active_users", &["Active users"]),
];

pub(super) fn parse(text: &str, sink: &mut Sink) {
    let mut table = match Table::after_comments(text) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    table.stop_at_comment = true;
    let (start, end) = preamble_dates(&table.preamble, sink);
    let h = &table.header;
    let date_col = h.find(&["Date"]);
    let channel_col = h.columns.iter().position(|c| c.to_ascii_lowercase().contains("channel group"));
    let metrics: Vec<(&str, usize)> = METRICS
        .iter()
        .filter_map(|(metric, names)| {
            // A key-event column can be scoped to one event: "Key events (purchase)".
            let col = h.find(names).or_else(|| {
                (*metric == "key_events")
                    .then(|| h.columns.iter().position(|c| c.to_ascii_lowercase().starts_with("key events")))
                    .flatten()
            });
            col.map(|c| (*metric, c))
        })
        .collect();
    if metrics.is_empty() {
        let msg =
            "no importable metric column (expected Sessions, Engaged sessions, Key events, New users or Active users)";
        return sink.error(h.line, "-", msg);
    }
    // Without a Date column each row is a total over the report's range. It is dated on the End date:
    // the figure is only complete at the end of the period, a monthly report then lands in its own
    // month, and re-importing the same range gives the same keys.
    let fixed_day = match (date_col, end) {
        (Some(_), _) => None,
        (None, Some(end)) => Some(end),
        (None, None) => {
            let msg = "no Date column and no '# End date:' line in the preamble, so the rows cannot be dated";
            return sink.error(h.line, "-", msg);
        }
    };
    match (start, end) {
        (Some(s), Some(e)) if s <= e => sink.range = Some((s, e)),
        (Some(_), Some(_)) => sink.error(h.line, "-", "the preamble's Start date is after its End date"),
        _ => {}
    }

    let mut values: Vec<Option<f64>> = vec![None; metrics.len()];
    let mut key = String::new();
    table.rows(sink, |sink, h, line, rec| {
        let first = cell(rec, 0);
        if first.eq_ignore_ascii_case("grand total") || first.eq_ignore_ascii_case("total") {
            return sink.skip(line, format!("totals row ({})", crate::domain::text::quote(first)));
        }
        if first.is_empty() {
            return sink.skip(line, "totals row (empty first cell)");
        }
        let day = match (fixed_day, date_col) {
            (Some(d), _) => Some(d),
            (None, Some(i)) => parse_date(cell(rec, i)).map_err(|e| sink.error(line, h.name(i), e)).ok(),
            (None, None) => None,
        };
        let ok = read_counts(sink, h, line, rec, &metrics, &mut values) && day.is_some();
        let Some(day) = day.filter(|_| ok) else {
            return;
        };
        let channel = channel_col.map(|i| slug(cell(rec, i))).unwrap_or_default();
        for (value, &(metric, _)) in values.iter().zip(&metrics) {
            let Some(value) = *value else { continue };
            key.clear();
            push_iso(&mut key, day);
            key.push('|');
            key.push_str(metric);
            key.push('|');
            key.push_str(&channel);
            // Summed, not rejected: a secondary dimension (source, device) splits a channel-day over rows.
            sink.add_kpi(line, key.clone(), metric, day, &channel, None, value);
        }
    });
}

/// Reads `# Start date: 20260501` and `# End date: 20260531`; a malformed date there is an error.
fn preamble_dates(preamble: &[Line<'_>], sink: &mut Sink) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let (mut start, mut end) = (None, None);
    for line in preamble {
        let Some((name, value)) = line.text.trim().trim_start_matches('#').split_once(':') else {
            continue;
        };
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "start date" => &mut start,
            "end date" => &mut end,
            _ => continue,
        };
        match parse_date(value.trim().trim_matches(',')) {
            Ok(d) => *slot = Some(d),
            Err(e) => sink.error(line.number, name.trim(), e),
        }
    }
    (start, end)
}
