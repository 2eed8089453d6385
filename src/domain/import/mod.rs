//! What an import carries, defined below both the parser (`io::import`, bytes in, facts out)
//! and the writer (`store::imports`, facts in, rows out), so neither imports the other.

mod batch;
mod options;

use std::fmt;

use chrono::NaiveDate;

use crate::domain::number::Reading;
use crate::domain::winloss::DealOutcome;

pub use batch::{KpiBatch, KpiRow};
pub use options::{DealColumns, ParseOptions};

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
    ExperimentCsv,
    WinlossCsv,
}

impl Preset {
    pub const ALL: [Preset; 9] = [
        Preset::Ga4,
        Preset::HubspotDeals,
        Preset::HubspotContacts,
        Preset::LinkedinAds,
        Preset::GoogleAds,
        Preset::KpiCsv,
        Preset::SpendCsv,
        Preset::ExperimentCsv,
        Preset::WinlossCsv,
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
            Preset::ExperimentCsv => "experiment-csv",
            Preset::WinlossCsv => "winloss-csv",
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
    /// kpi-csv values written with a sign, a currency or percent mark, or an ambiguous dot, in
    /// line order: the metric's unit judges them when the store checks the file, with the same
    /// words as `kpi record` (`kpi::check_reading`). Usually empty.
    pub doubts: Vec<Doubt>,
}

/// A value as written, kept for its metric's unit to judge.
#[derive(Debug, Clone, PartialEq)]
pub struct Doubt {
    pub line: usize,
    pub raw: String,
    pub reading: Reading,
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
    /// An experiment variant's cumulative counts (experiment-csv). Without a day, the counts are
    /// as of the day of the import.
    Experiment {
        line: usize,
        key: String,
        /// The experiment's id or name and the variant's name, as written.
        experiment: String,
        variant: String,
        day: Option<NaiveDate>,
        visitors: u64,
        conversions: u64,
    },
    /// One deal's outcome (winloss-csv, HubSpot deals): what win/loss and the positioning
    /// triggers read. Its key is `deal|` and the deal's id, one per deal in a file.
    Outcome { line: usize, key: String, outcome: DealOutcome },
}

impl Fact {
    pub fn line(&self) -> usize {
        match self {
            Fact::Kpi { line, .. }
            | Fact::Spend { line, .. }
            | Fact::Experiment { line, .. }
            | Fact::Outcome { line, .. } => *line,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Fact::Kpi { key, .. }
            | Fact::Spend { key, .. }
            | Fact::Experiment { key, .. }
            | Fact::Outcome { key, .. } => key,
        }
    }

    /// The day it is for; `None` for experiment counts written without one, and for an open deal
    /// with no expected close.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            Fact::Kpi { day, .. } | Fact::Spend { day, .. } => Some(*day),
            Fact::Experiment { day, .. } => *day,
            Fact::Outcome { outcome, .. } => outcome.closed_on,
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
