//! Public face of the importer (pure parsing, bytes in, facts out): its types, `detect` and `parse`.

mod ads;
mod batch;
mod date;
mod decode;
mod detect;
mod fingerprint;
mod ga4;
mod google_ads;
mod hubspot_contacts;
mod hubspot_deals;
mod kpi_csv;
mod linkedin;
mod number;
mod sink;
mod spend_csv;
mod table;
mod text;

use std::fmt;
use std::sync::mpsc::SyncSender;

use chrono::NaiveDate;

pub use batch::{KpiBatch, KpiRow};
pub use fingerprint::fingerprint;
use sink::Sink;

/// The export formats understood by `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    Ga4,
    HubspotDeals,
    HubspotContacts,
    LinkedinAds,
    GoogleAds,
    KpiCsv,
    SpendCsv,
}

impl Preset {
    pub const ALL: [Preset; 7] = [
        Preset::Ga4,
        Preset::HubspotDeals,
        Preset::HubspotContacts,
        Preset::LinkedinAds,
        Preset::GoogleAds,
        Preset::KpiCsv,
        Preset::SpendCsv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Ga4 => "ga4",
            Preset::HubspotDeals => "hubspot-deals",
            Preset::HubspotContacts => "hubspot-contacts",
            Preset::LinkedinAds => "linkedin-ads",
            Preset::GoogleAds => "google-ads",
            Preset::KpiCsv => "kpi-csv",
            Preset::SpendCsv => "spend-csv",
        }
    }

    /// Inverse of `name`; case and surrounding whitespace are forgiven because this comes from a flag.
    pub fn parse(s: &str) -> Option<Preset> {
        let s = s.trim();
        Preset::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything one file yields. Nothing here has been written anywhere yet.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub preset: Preset,
    /// Records after the header that were read, including the ones in `skipped`.
    pub rows_read: usize,
    pub facts: Vec<Fact>,
    pub skipped: Vec<Skipped>,
    /// (campaign name, channel slug), deduplicated, in first-seen order.
    pub campaigns: Vec<(String, String)>,
    /// From the file's own preamble when it states one, else the min/max day of the facts.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// ISO 4217 code, uppercased, when the file states one.
    pub currency: Option<String>,
}

/// A row read but deliberately not imported (totals, empty rows, stages outside the funnel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub reason: String,
}

/// One observation to store. `key` is unique among all facts of one file and stable across
/// re-imports of the same file, so the caller can upsert on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Kpi {
        line: usize,
        key: String,
        metric: String,
        day: NaiveDate,
        channel: String,
        campaign: Option<String>,
        value: f64,
    },
    Spend {
        line: usize,
        key: String,
        campaign: String,
        channel: String,
        day: NaiveDate,
        amount_cents: i64,
        note: String,
    },
}

impl Fact {
    pub fn line(&self) -> usize {
        match self {
            Fact::Kpi { line, .. } | Fact::Spend { line, .. } => *line,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Fact::Kpi { key, .. } | Fact::Spend { key, .. } => key,
        }
    }

    pub fn day(&self) -> NaiveDate {
        match self {
            Fact::Kpi { day, .. } | Fact::Spend { day, .. } => *day,
        }
    }
}

/// A problem at a place in the file. `column` is the header name as written, or `-`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {column}: {message}")]
pub struct ImportError {
    pub line: usize,
    pub column: String,
    pub message: String,
}

impl ImportError {
    pub fn new(line: usize, column: &str, message: impl Into<String>) -> Self {
        let column = if column.is_empty() { "-" } else { column };
        ImportError { line, column: column.to_string(), message: message.into() }
    }
}

/// Guesses the preset from the first lines of the file; `None` when nothing matches.
pub fn detect(bytes: &[u8]) -> Option<Preset> {
    let text = decode::decode(bytes).ok()?;
    detect::detect_text(&text)
}

/// Parses a whole file. With `preset` `None` the format is detected first.
///
/// Every error in the file is returned (sorted by line), and then no facts at all: a half-imported
/// file is worse than none.
pub fn parse(bytes: &[u8], preset: Option<Preset>) -> Result<ParsedFile, Vec<ImportError>> {
    parse_into(bytes, preset, Sink::new)
}

/// Like `parse`, and sends the facts down `to` in batches while the file is still being read, so
/// that another thread can write them meanwhile. Batches stop at the first error, and the result
/// is the same as `parse`'s: a batch received is never a promise that the file is good.
///
/// Only kpi-csv streams (its facts are final when read; the other presets sum rows sharing a
/// key until the end). For the others nothing is sent and `to` hangs up when parsing ends.
pub fn parse_streaming(
    bytes: &[u8],
    preset: Option<Preset>,
    to: SyncSender<KpiBatch>,
) -> Result<ParsedFile, Vec<ImportError>> {
    parse_into(bytes, preset, |p| Sink::new(p).streaming(to))
}

fn parse_into(
    bytes: &[u8],
    preset: Option<Preset>,
    sink: impl FnOnce(Preset) -> Sink,
) -> Result<ParsedFile, Vec<ImportError>> {
    let text = decode::decode(bytes).map_err(|e| vec![e])?;
    let preset = match preset {
        Some(p) => p,
        None => detect::detect_text(&text).ok_or_else(|| vec![detect::failure(&text)])?,
    };
    let mut sink = sink(preset);
    match preset {
        Preset::Ga4 => ga4::parse(&text, &mut sink),
        Preset::HubspotDeals => hubspot_deals::parse(&text, &mut sink),
        Preset::HubspotContacts => hubspot_contacts::parse(&text, &mut sink),
        Preset::LinkedinAds => linkedin::parse(&text, &mut sink),
        Preset::GoogleAds => google_ads::parse(&text, &mut sink),
        Preset::KpiCsv => kpi_csv::parse(&text, &mut sink),
        Preset::SpendCsv => spend_csv::parse(&text, &mut sink),
    }
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_names_round_trip() {
        for p in Preset::ALL {
            assert_eq!(Preset::parse(p.name()), Some(p));
            assert_eq!(p.to_string(), p.name());
        }
        assert_eq!(Preset::parse(" GA4 "), Some(Preset::Ga4));
        assert_eq!(Preset::parse("excel"), None);
    }

    #[test]
    fn error_display() {
        let e = ImportError::new(3, "", "bad");
        assert_eq!(e.to_string(), "3: -: bad");
        assert_eq!(ImportError::new(4, "Amount", "x").to_string(), "4: Amount: x");
    }
}
