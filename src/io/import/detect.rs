//! Recognising which tool wrote a file from its first lines, and explaining when none did.

use super::decode::{lines, sniff_separator, split_cells};
use super::text::shorten;
use super::{ImportError, Preset};

/// Every export we know names itself or its header within this many lines.
const DETECT_LINES: usize = 20;

pub(super) fn detect_text(text: &str) -> Option<Preset> {
    let head: Vec<&str> = lines(text).take(DETECT_LINES).map(|l| l.text).filter(|t| !t.trim().is_empty()).collect();
    let first = *head.first()?;
    // Title lines are sometimes quoted or padded with separators by the exporting tool.
    let title = |t: &str| t.trim().trim_matches(|c| c == '"' || c == ',' || c == '\t').to_ascii_lowercase();
    let rows: Vec<Vec<String>> = head
        .iter()
        .map(|t| split_cells(t, sniff_separator(t)).iter().map(|c| c.to_ascii_lowercase()).collect())
        .collect();
    let any_row = |want: &[&str]| rows.iter().any(|r| want.iter().all(|w| r.iter().any(|c| c == w)));

    if title(first).starts_with("campaign report") {
        return Some(Preset::GoogleAds);
    }
    if head.iter().any(|t| title(t).starts_with("campaign performance report"))
        || any_row(&["campaign name", "total spent"])
    {
        return Some(Preset::LinkedinAds);
    }
    // GA4's header is the first line after its `#` preamble; looking only there keeps a kpi-csv
    // row whose metric is "sessions" from passing for a GA4 header.
    let ga4_header = head
        .iter()
        .zip(&rows)
        .find(|(t, _)| !t.trim_start().starts_with('#'))
        .is_some_and(|(_, r)| r.iter().any(|c| c.contains("(default channel group)") || c == "sessions"));
    if ga4_header {
        return Some(Preset::Ga4);
    }
    if any_row(&["deal stage"]) {
        return Some(Preset::HubspotDeals);
    }
    if any_row(&["lifecycle stage"]) {
        return Some(Preset::HubspotContacts);
    }
    if any_row(&["experiment", "variant", "visitors", "conversions"]) {
        return Some(Preset::ExperimentCsv);
    }
    if any_row(&["deal", "closed_on", "outcome"]) {
        return Some(Preset::WinlossCsv);
    }
    if any_row(&["date", "metric", "value"]) {
        return Some(Preset::KpiCsv);
    }
    if any_row(&["date", "campaign", "amount"]) {
        return Some(Preset::SpendCsv);
    }
    // A Google Ads table whose title lines were deleted by hand.
    if any_row(&["campaign", "cost", "clicks"]) {
        return Some(Preset::GoogleAds);
    }
    // A `#` preamble alone is the weakest hint, so explicit headers above win over it.
    if first.trim_start().starts_with('#') {
        return Some(Preset::Ga4);
    }
    None
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
