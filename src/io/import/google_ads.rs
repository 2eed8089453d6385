//! Google Ads "Campaign report" exports: title, date-range line, then one row per campaign(-day).

use super::ads::{self, AdsColumns, AdsSource, Scratch};
use super::date::parse_range;
use super::sink::Sink;
use super::table::Table;
use super::text::squash;

const CAMPAIGN: &[&str] = &["Campaign"];
const COST: &[&str] = &["Cost"];
const DAY: &[&str] = &["Day", "Date"];

/// Performance Max and unknown types (App, Smart, Local, Hotel) are search-led, so they default to search.
fn channel(campaign_type: &str) -> &'static str {
    match squash(campaign_type).as_str() {
        "display" => "display",
        "video" => "video",
        "shopping" => "shopping",
        "demandgen" | "discovery" => "paid-social",
        _ => "paid-search",
    }
}

pub(super) fn parse(text: &str, sink: &mut Sink) {
    let anchors: &[&[&str]] = &[CAMPAIGN, COST, DAY, &["Impr.", "Impressions"], &["Clicks"], &["Campaign status"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let range = table.preamble.iter().find_map(|l| parse_range(l.text));
    sink.range = range;
    let h = &table.header;
    let required = (h.require(sink, CAMPAIGN), h.require(sink, COST));
    let (Some(campaign), Some(cost)) = required else {
        return;
    };
    let day = h.find(DAY);
    // Without a Day column each row covers the whole report; like GA4 it is dated on the last day.
    let fixed_day = match (day, range) {
        (Some(_), _) => None,
        (None, Some((_, end))) => Some(end),
        (None, None) => {
            let msg = "no Day column and no date-range line above the header, so the rows cannot be dated";
            return sink.error(h.line, "-", msg);
        }
    };
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
        counts: counts.iter().filter_map(|(m, names)| h.find(names).map(|c| (*m, c))).collect(),
    };
    let src = AdsSource { note: "google-ads import", fixed_day, channel };
    let mut scratch = Scratch::new(&cols);
    table.rows(sink, |sink, h, line, rec| ads::row(sink, h, line, rec, &cols, &src, &mut scratch));
}

#[cfg(test)]
mod tests {
    use super::channel;

    #[test]
    fn campaign_types_map_to_channels() {
        assert_eq!(channel("Search"), "paid-search");
        assert_eq!(channel("Performance Max"), "paid-search");
        assert_eq!(channel("PERFORMANCE_MAX"), "paid-search");
        assert_eq!(channel("Display"), "display");
        assert_eq!(channel("Video"), "video");
        assert_eq!(channel("Shopping"), "shopping");
        assert_eq!(channel("Demand Gen"), "paid-social");
        assert_eq!(channel(""), "paid-search");
    }
}
