//! The plain `date,metric,value[,channel]` format: one KPI fact per row, duplicates refused.

use std::hash::Hasher;

use super::date::push_iso;
use super::sink::Sink;
use super::table::{Header, Table, cell, opt_cell};
use super::text::shorten;
use super::{Fact, ImportError};

/// Checks a header that must consist of exactly `allowed` columns (any order, any case).
///
/// Extra columns are errors rather than ignored: in a hand-made file they are usually a typo,
/// and ignoring them would silently drop data.
pub(super) fn check_exact_header(h: &Header, sink: &mut Sink<'_>, allowed: &[&str], preset: &str) {
    for (i, c) in h.columns.iter().enumerate() {
        if !allowed.iter().any(|a| c.eq_ignore_ascii_case(a)) {
            let msg = format!("unexpected column ({preset} takes {})", allowed.join(", "));
            sink.error(h.line, c, msg);
        } else if h.columns[..i].iter().any(|p| p.eq_ignore_ascii_case(c)) {
            sink.error(h.line, c, "column appears twice");
        }
    }
}

fn is_metric_key(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: &[&[&str]] = &[&["date"], &["metric"], &["value"], &["channel"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    check_exact_header(h, sink, &["date", "metric", "value", "channel"], "kpi-csv");
    let cols = (h.require(sink, &["date"]), h.require(sink, &["metric"]), h.require(sink, &["value"]));
    let (Some(date_col), Some(metric_col), Some(value_col)) = cols else {
        return;
    };
    if !sink.errors.is_empty() {
        return;
    }
    let channel_col = h.find(&["channel"]);
    let mut signature = vec!["date", "metric", "value"];
    signature.extend(channel_col.map(|_| "channel"));
    sink.source(if channel_col.is_some() { "channel" } else { "total" }, &signature);
    // One fact per line: reserving up front spares a million-row file repeated copies of the vector.
    sink.facts.reserve(text.bytes().filter(|&b| b == b'\n').count());

    table.rows(sink, |sink, h, line, rec| {
        let day = sink.dates.parse(cell(rec, date_col)).map_err(|e| sink.error(line, h.name(date_col), e));
        let metric = cell(rec, metric_col);
        let metric_ok = is_metric_key(metric);
        if !metric_ok {
            let msg = format!("bad metric key '{}' (use lowercase a-z, 0-9 and _)", shorten(metric, 60));
            sink.error(line, h.name(metric_col), msg);
        }
        let raw = cell(rec, value_col);
        let value = sink.numbers.read(raw, line).map_err(|e| sink.error(line, h.name(value_col), e));
        let (Ok(day), true, Ok(value)) = (day, metric_ok, value) else {
            return;
        };
        let Some(reading) = value else {
            return sink.skip(line, "no value");
        };
        // A sign, a mark or an ambiguous dot is for the metric's unit to judge, once it is known.
        if !reading.is_plain() {
            sink.doubt(line, raw, reading);
        }
        let value = reading.value;
        // The user's own vocabulary: the alias table maps what it knows; the rest is kept and named.
        let Some(channel) = sink.channel(line, "channel", opt_cell(rec, channel_col), false) else { return };
        let mut key = String::with_capacity(12 + metric.len() + channel.len());
        push_iso(&mut key, day);
        key.push('|');
        key.push_str(metric);
        key.push('|');
        key.push_str(&channel);
        sink.push(Fact::Kpi { line, key, metric: metric.to_string(), day, channel, campaign: None, value });
        sink.stream_batch(false);
    });
    // The rest goes before the duplicate check: a duplicate fails the whole import anyway.
    sink.stream_batch(true);
    report_duplicates(sink);
}

/// Done after the loop so the hot path never clones a key. Sorting (hash, index) pairs takes a
/// third of the memory of a map over a million keys and walks it in order; equal hashes are then
/// confirmed on the keys themselves.
fn report_duplicates(sink: &mut Sink<'_>) {
    let facts = &sink.facts;
    let mut order: Vec<(u64, usize)> = facts.iter().enumerate().map(|(i, f)| (fx_hash(f.key()), i)).collect();
    order.sort_unstable();
    let mut dups = Vec::new();
    for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // Same hash: order by key, then by position, so each duplicate meets its first occurrence.
        run.sort_unstable_by(|a, b| facts[a.1].key().cmp(facts[b.1].key()).then(a.1.cmp(&b.1)));
        for same in run.chunk_by(|a, b| facts[a.1].key() == facts[b.1].key()) {
            let Some(((_, first), rest)) = same.split_first() else {
                continue;
            };
            for &(_, i) in rest {
                let msg = format!(
                    "duplicate of line {}: same date, metric and channel ('{}')",
                    facts[*first].line(),
                    facts[i].key()
                );
                dups.push(ImportError::new(facts[i].line(), "-", msg));
            }
        }
    }
    sink.errors.extend(dups);
}

fn fx_hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.finish()
}

/// The rustc "Fx" hash: fast on short keys. Collisions only cost a key comparison, never correctness.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
