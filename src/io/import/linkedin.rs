//! LinkedIn Campaign Manager "Campaign Performance Report" exports: title block (`Report Start:`
//! and `Report End:` on one line or two), then one row per campaign-day. LinkedIn ads are paid
//! social, so its spend and leads meet HubSpot's `Paid Social`.

use chrono::NaiveDate;

use super::ads::{self, AdsColumns, AdsSource, ChannelRule, SEGMENTS};
use super::sink::Sink;
use super::table::Table;

const DAY: &[&str] = &["Start Date (in UTC)", "Start Date"];
const CAMPAIGN: &[&str] = &["Campaign Name"];
/// The account's own currency first; `Total Spent (USD)` is LinkedIn's converted copy.
const COST: &[&str] = &["Total Spent", "Amount Spent", "Total Spent (USD)", "Total Spent(USD)"];

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: &[&[&str]] = &[DAY, CAMPAIGN, COST, &["Impressions"], &["Clicks"], &["Campaign ID"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let range = read_title_block(&table, sink);
    let h = &table.header;
    let required = (h.require(sink, CAMPAIGN), h.require(sink, COST));
    let (Some(campaign), Some(cost)) = required else {
        return;
    };
    let converted = h.name(cost).contains("(USD)") || h.name(cost).contains("(usd)");
    let counts = [
        ("impressions", &["Impressions"][..]),
        ("clicks", &["Clicks"]),
        ("leads", &["Leads"]),
        ("conversions", &["Conversions", "Total Conversions"]),
    ];
    let cols = AdsColumns {
        day: h.find(DAY),
        campaign,
        cost,
        // A converted cost column is in USD whatever the account's Currency column says.
        currency: if converted { None } else { h.find(&["Currency"]) },
        kind: None,
        subtype: None,
        counts: counts.iter().filter_map(|(m, names)| h.find(names).map(|c| (*m, c))).collect(),
        segments: SEGMENTS.iter().filter_map(|s| h.find(&[s])).collect(),
    };
    if converted {
        let (line, name) = (h.line, h.name(cost).to_string());
        sink.currency(line, &name, "USD");
    }
    let src = AdsSource { note: "linkedin-ads import", channel: ChannelRule::Fixed("paid-social") };
    let no_range = "no Start Date column and no 'Report Start:'/'Report End:' lines, so the rows cannot be dated";
    ads::read(&mut table, sink, &cols, &src, range, no_range);
}

/// `Report Start: 9/1/2026` / `Report End: 9/30/2026`, on two lines or one
/// (`Report Start: 9/1/2026, Report End: 9/30/2026`); the rest of the block is ignored.
fn read_title_block(table: &Table<'_>, sink: &mut Sink<'_>) -> Option<(NaiveDate, NaiveDate)> {
    let (mut start, mut end) = (None, None);
    for line in &table.preamble {
        let t = line.text.trim().trim_matches('"');
        for (label, slot) in [("report start:", &mut start), ("report end:", &mut end)] {
            let lower = t.to_ascii_lowercase();
            let Some(at) = lower.find(label) else { continue };
            let rest = &t[at + label.len()..];
            let value = rest.split([',', '\t', '"']).next().unwrap_or("").trim();
            match sink.dates.parse(value) {
                Ok(d) => *slot = Some(d),
                Err(e) => sink.error(line.number, &t[at..at + label.len() - 1], e),
            }
        }
    }
    match (start, end) {
        (Some(s), Some(e)) if s <= e => Some((s, e)),
        (Some(_), Some(_)) => {
            sink.error(table.header.line, "-", "Report Start is after Report End");
            None
        }
        _ => None,
    }
}
