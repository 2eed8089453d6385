//! LinkedIn Campaign Manager "Campaign Performance Report" exports: title block, then one row per campaign-day.

use super::ads::{self, AdsColumns, AdsSource, Scratch};
use super::date::parse_date;
use super::sink::Sink;
use super::table::Table;

const DAY: &[&str] = &["Start Date (in UTC)", "Start Date"];
const CAMPAIGN: &[&str] = &["Campaign Name"];
const COST: &[&str] = &["Total Spent", "Amount Spent"];

pub(super) fn parse(text: &str, sink: &mut Sink) {
    let anchors: &[&[&str]] = &[DAY, CAMPAIGN, COST, &["Impressions"], &["Clicks"], &["Campaign ID"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    read_title_block(&table, sink);
    let h = &table.header;
    let required = (h.require(sink, DAY), h.require(sink, CAMPAIGN), h.require(sink, COST));
    let (Some(day), Some(campaign), Some(cost)) = required else {
        return;
    };
    let counts = [
        ("impressions", &["Impressions"][..]),
        ("clicks", &["Clicks"]),
        ("leads", &["Leads"]),
        ("conversions", &["Conversions", "Total Conversions"]),
    ];
    let cols = AdsColumns {
        day: Some(day),
        campaign,
        cost,
        currency: h.find(&["Currency"]),
        kind: None,
        counts: counts.iter().filter_map(|(m, names)| h.find(names).map(|c| (*m, c))).collect(),
    };
    let src = AdsSource { note: "linkedin-ads import", fixed_day: None, channel: |_| "linkedin" };
    let mut scratch = Scratch::new(&cols);
    table.rows(sink, |sink, h, line, rec| ads::row(sink, h, line, rec, &cols, &src, &mut scratch));
}

/// `Report Start: 9/1/2026` / `Report End: 9/30/2026` give the range; the rest of the block is ignored.
fn read_title_block(table: &Table<'_>, sink: &mut Sink) {
    let (mut start, mut end) = (None, None);
    for line in &table.preamble {
        let t = line.text.trim().trim_matches('"');
        let Some((name, value)) = t.split_once(':') else {
            continue;
        };
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "report start" => &mut start,
            "report end" => &mut end,
            _ => continue,
        };
        let value = value.trim_matches(|c: char| c == '"' || c == ',' || c.is_whitespace());
        match parse_date(value) {
            Ok(d) => *slot = Some(d),
            Err(e) => sink.error(line.number, name.trim(), e),
        }
    }
    match (start, end) {
        (Some(s), Some(e)) if s <= e => sink.range = Some((s, e)),
        (Some(_), Some(_)) => sink.error(table.header.line, "-", "Report Start is after Report End"),
        _ => {}
    }
}
