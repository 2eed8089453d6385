//! Recognising which tool wrote a file from its first lines, and explaining when none did.

use super::decode::{lines, sniff_separator, split_cells};
use super::text::shorten;
use super::{ImportError, Preset};

/// Every export we know names itself or its header within this many lines.
const DETECT_LINES: usize = 20;

/// The first lines of a file, as the detectors look at them.
pub(super) struct Head<'t> {
    lines: Vec<&'t str>,
    rows: Vec<Vec<String>>,
}

impl Head<'_> {
    /// Title lines are sometimes quoted or padded with separators by the exporting tool.
    fn title(t: &str) -> String {
        t.trim().trim_matches(|c| c == '"' || c == ',' || c == '\t').to_ascii_lowercase()
    }

    fn first_title(&self) -> String {
        self.lines.first().map(|t| Head::title(t)).unwrap_or_default()
    }

    fn any_title(&self, prefix: &str) -> bool {
        self.lines.iter().any(|t| Head::title(t).starts_with(prefix))
    }

    /// A line holding every one of `want` as a cell (lowercase).
    fn any_row(&self, want: &[&str]) -> bool {
        self.rows.iter().any(|r| want.iter().all(|w| r.iter().any(|c| c == w)))
    }

    /// The cells of the first line that is not a `#` comment.
    fn header(&self) -> &[String] {
        self.lines.iter().zip(&self.rows).find(|(t, _)| !t.trim_start().starts_with('#')).map_or(&[], |(_, r)| r)
    }

    fn starts_with_comment(&self) -> bool {
        self.lines.first().is_some_and(|t| t.trim_start().starts_with('#'))
    }
}

/// Each preset's test, in the order they are tried: the most specific first. A new preset adds
/// one line here (and one in `PARSERS`).
/// A preset's test on the first lines of a file.
type Detector = fn(&Head<'_>) -> bool;

const DETECTORS: &[(Preset, Detector)] = &[
    (Preset::GoogleAds, |h| h.first_title().starts_with("campaign report")),
    (Preset::LinkedinAds, |h| {
        h.any_title("campaign performance report") || h.any_row(&["campaign name", "total spent"])
    }),
    (Preset::Ga4, ga4_header),
    (Preset::HubspotDeals, |h| h.any_row(&["deal stage"]) || h.any_row(&["deal name", "create date"])),
    (Preset::HubspotContacts, |h| {
        h.any_row(&["lifecycle stage"]) || (h.any_row(&["record id", "email"]) && h.any_row(&["create date"]))
    }),
    (Preset::ExperimentCsv, |h| h.any_row(&["experiment", "variant", "visitors", "conversions"])),
    (Preset::WinlossCsv, |h| h.any_row(&["deal", "closed_on", "outcome"])),
    (Preset::TouchesCsv, |h| h.any_row(&["deal_id", "touched_at", "channel"])),
    (Preset::KpiCsv, |h| h.any_row(&["date", "metric", "value"])),
    (Preset::SpendCsv, |h| h.any_row(&["date", "campaign", "amount"])),
    // A Google Ads table whose title lines were deleted by hand.
    (Preset::GoogleAds, |h| h.any_row(&["campaign", "cost", "clicks"])),
    // A `#` preamble alone is the weakest hint, so explicit headers above win over it.
    (Preset::Ga4, |h| h.starts_with_comment()),
];

/// GA4's header is the first line after its `#` preamble; looking only there keeps a kpi-csv
/// row whose metric is "sessions" from passing for a GA4 header. The UI's names, the API's
/// camelCase and the warehouse's snake_case all count.
fn ga4_header(h: &Head<'_>) -> bool {
    h.header().iter().any(|c| {
        let n = super::ga4_columns::normalise(c);
        c.contains("(default channel group)")
            || n.ends_with("defaultchannelgroup")
            || n.ends_with("primarychannelgroup")
            || matches!(n.as_str(), "sessions" | "engagedsessions" | "keyevents" | "newusers" | "newleads")
    }) && !h.any_row(&["date", "metric", "value"])
}

pub(super) fn detect_text(text: &str) -> Option<Preset> {
    let lines: Vec<&str> = lines(text).take(DETECT_LINES).map(|l| l.text).filter(|t| !t.trim().is_empty()).collect();
    lines.first()?;
    let rows = lines
        .iter()
        .map(|t| split_cells(t, sniff_separator(t)).iter().map(|c| c.to_ascii_lowercase()).collect())
        .collect();
    let head = Head { lines, rows };
    DETECTORS.iter().find(|(_, test)| test(&head)).map(|(p, _)| *p)
}

/// The single error `parse` returns when detection fails: what was tried and what the header looked like.
pub(super) fn failure(text: &str) -> ImportError {
    let tried: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
    let header = lines(text).map(|l| l.text.trim()).find(|t| !t.is_empty() && !t.starts_with('#'));
    let seen = match header {
        Some(h) => format!("the header looked like '{}'", shorten(h, 200)),
        None => "the file has no header line".to_string(),
    };
    let msg = format!("unrecognised file format (tried {}); {seen}; pass a preset explicitly", tried.join(", "));
    ImportError::new(1, "-", msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_headers() {
        let cases = [
            ("Campaign report\nSeptember 1, 2026 - September 30, 2026\nDay\tCampaign\tCost\n", Preset::GoogleAds),
            ("Start Date (in UTC),Campaign Name,Total Spent\n", Preset::LinkedinAds),
            ("\"Campaign Performance Report (in UTC)\"\n", Preset::LinkedinAds),
            ("Session primary channel group (Default Channel Group),Sessions\n", Preset::Ga4),
            ("# Account: Acme\n\nDate,Sessions\n", Preset::Ga4),
            ("Record ID,Deal Name,Deal Stage\n", Preset::HubspotDeals),
            ("Record ID,Lifecycle Stage\n", Preset::HubspotContacts),
            ("Value;Metric;Date\n", Preset::KpiCsv),
            ("date,campaign,amount,note\n", Preset::SpendCsv),
            ("deal,closed_on,outcome,competitor,reason\n", Preset::WinlossCsv),
            ("deal_id,touched_at,channel,campaign,kind,amount\n", Preset::TouchesCsv),
            ("# notes\ndate,metric,value\n", Preset::KpiCsv),
            ("date,metric,value\n2026-09-01,sessions,5\n", Preset::KpiCsv),
            ("experiment,variant,visitors,conversions,date\n", Preset::ExperimentCsv),
        ];
        for (text, want) in cases {
            assert_eq!(detect_text(text), Some(want), "{text}");
        }
        assert_eq!(detect_text("a,b,c\n1,2,3\n"), None);
        assert_eq!(detect_text(""), None);
    }

    #[test]
    fn failure_names_presets_and_header() {
        let e = failure("\n# x\nfoo,bar\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("ga4, hubspot-deals"), "{}", e.message);
        assert!(e.message.contains("'foo,bar'"), "{}", e.message);
    }
}
