//! GA4 exports: the UI's downloads (a `#` preamble with the date range, then a table cut by a
//! channel group, optionally by Date), explorations (`# 20261001-20261031`, the totals row first)
//! and the Data API's or a warehouse's CSVs (camelCase or snake_case names, `YYYYMMDD` dates).
//!
//! A report without a Date column is a total over its range: stored as a period total, never on
//! a day. A report cut by anything but a channel group (pages, landing pages, events, source /
//! medium) is refused: summed onto no channel it would be a number nobody exported.

use chrono::NaiveDate;

use super::date::push_iso;
use super::decode::Line;
use super::ga4_columns::{Column, classify};
use super::sink::Sink;
use super::table::{Table, cell};

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let mut table = match Table::after_comments(text) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    table.stop_at_comment = true;
    let h = &table.header;
    if table.preamble.iter().any(|l| l.text.trim_start_matches('#').trim().eq_ignore_ascii_case("Report CSV Export")) {
        let msg = "this is the GA4 Reports snapshot (several tables in one file); download Reports > Acquisition > \
                   Traffic acquisition (or User acquisition) instead";
        return sink.error(h.line, "-", msg);
    }
    let kinds: Vec<Column> = h.columns.iter().map(|c| classify(c)).collect();
    let find = |want: fn(&Column) -> bool| kinds.iter().position(want);
    let date_col = find(|k| *k == Column::Date);
    let channel_col = find(|k| matches!(k, Column::Channel { .. }));
    let metrics: Vec<(&'static str, usize)> = kinds
        .iter()
        .enumerate()
        .filter_map(|(i, k)| match k {
            Column::Metric(m) => Some((*m, i)),
            _ => None,
        })
        .filter(|(m, i)| !kinds[..*i].contains(&Column::Metric(m)))
        .collect();
    if let Some(i) = find(|k| *k == Column::NthDay) {
        let msg = "'Nth day' counts days from the start date, not dates: add Date as the dimension, or download \
                   Reports > Acquisition > Traffic acquisition";
        return sink.error(h.line, h.name(i), msg);
    }
    if metrics.is_empty() {
        let msg = format!(
            "the header '{}' is not a GA4 report mktg reads (it reads Sessions, Engaged sessions, Key events, New \
             users, Active users, New leads and Qualified leads, in English: switch GA4's language to English, or \
             export via the API)",
            super::text::shorten(&h.columns.join(","), 120)
        );
        return sink.error(h.line, "-", msg);
    }
    let secondary: Vec<usize> = kinds
        .iter()
        .enumerate()
        .filter(|(i, k)| matches!(k, Column::Dimension | Column::SourceMedium) && Some(*i) != channel_col)
        .map(|(i, _)| i)
        .collect();
    let Some(channel_col) = channel_col else {
        if secondary.iter().any(|&i| kinds[i] == Column::SourceMedium) {
            let cut: Vec<&str> =
                secondary.iter().filter(|&&j| kinds[j] == Column::SourceMedium).map(|&j| h.name(j)).collect();
            let msg = format!(
                "GA4 rows cut by {} but no channel group column; add sessionDefaultChannelGroup (Session default \
                 channel group) to the export",
                cut.join("/")
            );
            return sink.error(h.line, "-", msg);
        }
        if let Some(&i) = secondary.first() {
            let n = super::ga4_columns::normalise(h.name(i));
            let by = if n.contains("landing") {
                "landing page".to_string()
            } else if n.contains("page") || n.contains("screen") {
                "page".to_string()
            } else if n.contains("event") {
                "event".to_string()
            } else {
                format!("'{}'", h.name(i))
            };
            let msg = format!(
                "this GA4 report is cut by {by}, not by channel; download Reports > Acquisition > Traffic acquisition"
            );
            return sink.error(h.line, h.name(i), msg);
        }
        return read_rows(&mut table, sink, date_col, None, &metrics, &kinds);
    };
    if !secondary.is_empty() {
        let names: Vec<&str> = secondary.iter().map(|&i| h.name(i)).collect();
        sink.merge_reason(format!("rows split by {}, summed per channel", names.join(", ")));
    }
    read_rows(&mut table, sink, date_col, Some(channel_col), &metrics, &kinds);
}

fn read_rows(
    table: &mut Table<'_>,
    sink: &mut Sink<'_>,
    date_col: Option<usize>,
    channel_col: Option<usize>,
    metrics: &[(&'static str, usize)],
    kinds: &[Column],
) {
    let h = &table.header;
    let dimension = match channel_col.map(|i| &kinds[i]) {
        Some(Column::Channel { scope: "", .. }) => "channel group".to_string(),
        Some(Column::Channel { scope, custom: false }) => format!("{scope} channel group"),
        Some(Column::Channel { scope, custom: true }) => {
            format!("{scope} custom channel group {}", super::ga4_columns::normalise(h.name(channel_col.unwrap_or(0))))
        }
        _ => "total".to_string(),
    };
    let mut signature: Vec<&str> = metrics.iter().map(|(m, _)| *m).collect();
    if date_col.is_some() {
        signature.push("date");
    }
    sink.source(dimension.trim(), &signature);
    let mut read: Vec<usize> = metrics.iter().map(|(_, i)| *i).collect();
    read.extend(date_col);
    read.extend(channel_col);
    read.extend(kinds.iter().enumerate().filter(|(_, k)| matches!(k, Column::Dimension)).map(|(i, _)| i));
    sink.not_read(h.unread(&read));
    if channel_col.is_none() {
        sink.note("no channel column: the facts are not split by channel");
    }

    let (start, end) = preamble_dates(&table.preamble, sink);
    let fixed_day = match (date_col, start, end) {
        (Some(_), _, _) => None,
        (None, Some(s), Some(e)) if s <= e => {
            sink.period(s, e);
            Some(e)
        }
        (None, Some(_), Some(_)) => return sink.error(h.line, "-", "the preamble's Start date is after its End date"),
        (None, _, _) => {
            let msg = "no Date column and no date range in the preamble (GA4 writes '# Start date:' and '# End \
                       date:' lines), so the rows cannot be dated; add Date to the report";
            return sink.error(h.line, "-", msg);
        }
    };
    if date_col.is_some()
        && let (Some(s), Some(e)) = (start, end)
        && s <= e
    {
        sink.range = Some((s, e));
    }

    let mut values: Vec<Option<f64>> = vec![None; metrics.len()];
    let mut key = String::new();
    table.rows(sink, |sink, h, line, rec| {
        let first = cell(rec, 0);
        let last = rec.iter().next_back().unwrap_or("").trim();
        if first.eq_ignore_ascii_case("grand total") || first.eq_ignore_ascii_case("total") {
            return sink.skip(line, format!("totals row ({})", crate::domain::text::quote(first)));
        }
        // An exploration writes its totals first, with an empty dimension and a trailing cell.
        if last.eq_ignore_ascii_case("grand total") {
            return sink.skip(line, "totals row ('Grand total')");
        }
        let label = channel_col.map_or("", |i| cell(rec, i));
        if first.is_empty() {
            return sink.skip(line, "totals row (empty first cell)");
        }
        if channel_col.is_some() && label.is_empty() {
            return sink.skip(line, "totals row (no channel)");
        }
        let day = match (fixed_day, date_col) {
            (Some(d), _) => Some(d),
            (None, Some(i)) => sink.dates.parse(cell(rec, i)).map_err(|e| sink.error(line, h.name(i), e)).ok(),
            (None, None) => None,
        };
        let channel = match channel_col {
            Some(i) => sink.channel(line, h.name(i), label, true),
            None => Some(String::new()),
        };
        let ok = super::table::read_counts(sink, h, line, rec, metrics, &mut values);
        let (Some(day), Some(channel), true) = (day, channel, ok) else {
            return;
        };
        let shown = row_label(label, day, fixed_day.is_none());
        for (value, &(metric, _)) in values.iter().zip(metrics) {
            let Some(value) = *value else { continue };
            key.clear();
            push_iso(&mut key, day);
            key.push('|');
            key.push_str(metric);
            key.push('|');
            key.push_str(&channel);
            sink.add_kpi(line, key.clone(), metric, day, &channel, None, value, &shown);
        }
        // Daily facts go to the writer while the file is read; a period total is written whole.
        if fixed_day.is_none() {
            sink.stream_batch(false);
        }
    });
    if fixed_day.is_none() {
        sink.stream_batch(true);
    }
}

fn row_label(label: &str, day: NaiveDate, daily: bool) -> String {
    let label = if label.is_empty() { "the total" } else { label };
    if daily { format!("{label} on {day}") } else { label.to_string() }
}

/// Reads `# Start date: 20260501` and `# End date: 20260531`, or an exploration's one line
/// `# 20260501-20260531`; a malformed date there is an error.
fn preamble_dates(preamble: &[Line<'_>], sink: &mut Sink<'_>) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let (mut start, mut end) = (None, None);
    for line in preamble {
        let body = line.text.trim().trim_start_matches('#').trim();
        if let Some((a, b)) = sink.dates.range(body) {
            (start, end) = (Some(a), Some(b));
            continue;
        }
        let Some((name, value)) = body.split_once(':') else {
            continue;
        };
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "start date" => &mut start,
            "end date" => &mut end,
            _ => continue,
        };
        match sink.dates.parse(value.trim().trim_matches(',')) {
            Ok(d) => *slot = Some(d),
            Err(e) => sink.error(line.number, name.trim(), e),
        }
    }
    (start, end)
}
