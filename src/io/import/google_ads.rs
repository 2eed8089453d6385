//! Google Ads "Campaign report" downloads: title, date-range line (en-US `November 1, 2026 -
//! November 30, 2026`, en-GB and en-IN `1 November 2026 - 30 November 2026`, or `All time`), then
//! one row per campaign (per day with the Day segment), per-type `Total:` footers.

use super::ads::{self, AdsColumns, AdsSource, ChannelRule, SEGMENTS};
use super::sink::Sink;
use super::table::Table;

const CAMPAIGN: &[&str] = &["Campaign"];
const COST: &[&str] = &["Cost"];
const DAY: &[&str] = &["Day", "Date"];

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let anchors: &[&[&str]] = &[CAMPAIGN, COST, DAY, &["Impr.", "Impressions"], &["Clicks"], &["Campaign status"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let range = table.preamble.iter().find_map(|l| sink.dates.range(l.text));
    let all_time = table.preamble.iter().find(|l| l.text.trim().trim_matches('"').eq_ignore_ascii_case("all time"));
    let h = &table.header;
    let required = (h.require(sink, CAMPAIGN), h.require(sink, COST));
    let (Some(campaign), Some(cost)) = required else {
        return;
    };
    let day = h.find(DAY);
    if let (None, None, Some(line)) = (day, range, all_time) {
        let msg = "the report covers \"All time\" and has no Day column, so its rows cannot be dated; download it \
                   for a date range, or add the Day segment";
        return sink.error(line.number, "-", msg);
    }
    let counts = [
        ("impressions", &["Impr.", "Impressions"][..]),
        ("clicks", &["Clicks"]),
        ("conversions", &["Conversions", "Conv."]),
    ];
    let cols = AdsColumns {
        day,
        campaign,
        cost,
        currency: h.find(&["Currency code", "Currency"]),
        kind: h.find(&["Campaign type"]),
        subtype: h.find(&["Campaign subtype"]),
        counts: counts.iter().filter_map(|(m, names)| h.find(names).map(|c| (*m, c))).collect(),
        segments: SEGMENTS.iter().filter_map(|s| h.find(&[s])).collect(),
    };
    let src = AdsSource { note: "google-ads import", channel: ChannelRule::CampaignType };
    let no_range = "no Day column and no date-range line above the header (line 2 of a Google Ads download), so the \
                    rows cannot be dated";
    ads::read(&mut table, sink, &cols, &src, range, no_range);
}
