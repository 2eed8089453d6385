//! HubSpot deal exports: pipeline on creation, revenue/won/lost on close, summed per day and source.

use chrono::NaiveDate;

use super::date::{parse_date, push_iso};
use super::number::cents;
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};
use super::text::{slug, squash};

pub(super) const SOURCE_COLUMNS: &[&str] = &["Original Source", "Original Traffic Source", "Original Source Type"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Open,
    Won,
    Lost,
}

/// Labels and internal ids squash to the same word; custom pipeline stages are unknown and count as open.
fn stage(raw: &str) -> Stage {
    match squash(raw).as_str() {
        "closedwon" => Stage::Won,
        "closedlost" => Stage::Lost,
        _ => Stage::Open,
    }
}

pub(super) fn parse(text: &str, sink: &mut Sink) {
    let anchors: &[&[&str]] =
        &[&["Deal Stage"], &["Amount"], &["Close Date"], &["Create Date"], &["Record ID"], &["Deal Name"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    let cols = (
        h.require(sink, &["Deal Stage"]),
        h.require(sink, &["Amount"]),
        h.require(sink, &["Close Date"]),
        h.require(sink, &["Create Date"]),
    );
    let (Some(stage_col), Some(amount_col), Some(close_col), Some(create_col)) = cols else {
        return;
    };
    let source_col = h.find(SOURCE_COLUMNS);

    table.rows(sink, |sink, h, line, rec| {
        // Every bad cell in the row is reported, so no early returns until all three are read.
        let mut ok = true;
        let mut fail = |sink: &mut Sink, col: usize, msg: String| {
            sink.error(line, h.name(col), msg);
            ok = false;
        };
        let created = match parse_date(cell(rec, create_col)) {
            Ok(d) => Some(d),
            Err(e) => {
                fail(sink, create_col, e);
                None
            }
        };
        let amount = match cents(cell(rec, amount_col), h.sep) {
            Ok(Some(c)) if c < 0 => {
                fail(
                    sink,
                    amount_col,
                    format!("negative deal amount {}", crate::domain::text::quote(cell(rec, amount_col))),
                );
                None
            }
            Ok(a) => a,
            Err(e) => {
                fail(sink, amount_col, e);
                None
            }
        };
        let stage = stage(cell(rec, stage_col));
        let closed = match (stage, cell(rec, close_col)) {
            (Stage::Open, "") => None,
            (_, "") => {
                fail(sink, close_col, "closed deal has no Close Date".to_string());
                None
            }
            // Open deals' expected close dates are not used, but a bad one still means a broken file.
            (_, raw) => parse_date(raw).map_err(|e| fail(sink, close_col, e)).ok(),
        };
        let Some(created) = created.filter(|_| ok) else {
            return;
        };
        let channel = slug(opt_cell(rec, source_col));
        if let Some(c) = amount {
            add(sink, line, "pipeline", created, &channel, major(c));
        }
        match (stage, closed) {
            (Stage::Won, Some(day)) => {
                // A won deal without an amount still counts as a win; its revenue is just unknown (0).
                add(sink, line, "revenue", day, &channel, major(amount.unwrap_or(0)));
                add(sink, line, "won", day, &channel, 1.0);
            }
            (Stage::Lost, Some(day)) => add(sink, line, "lost", day, &channel, 1.0),
            _ => {}
        }
    });
}

/// Currency metrics are stored in major units; cents are exact so this division is the only rounding.
fn major(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Aggregated per (metric, day, channel); shared with the contacts preset, which keys the same way.
pub(super) fn add(sink: &mut Sink, line: usize, metric: &str, day: NaiveDate, channel: &str, value: f64) {
    let mut key = String::with_capacity(metric.len() + channel.len() + 12);
    key.push_str(metric);
    key.push('|');
    push_iso(&mut key, day);
    key.push('|');
    key.push_str(channel);
    sink.add_kpi(line, key, metric, day, channel, None, value);
}
