//! What an import carries, defined below both the parser (`io::import`, bytes in, facts out)
//! and the writer (`store::imports`, facts in, rows out), so neither imports the other.

mod batch;
mod options;
pub mod source;

use std::collections::HashMap;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::attribution::TouchKind;
use crate::domain::channel::Aliases;
use crate::domain::number::Reading;
use crate::domain::winloss::DealOutcome;

pub use batch::{KpiBatch, KpiRow};
pub use options::DealColumns;

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
    TouchesCsv,
}

impl Preset {
    pub const ALL: [Preset; 10] = [
        Preset::Ga4,
        Preset::HubspotDeals,
        Preset::HubspotContacts,
        Preset::LinkedinAds,
        Preset::GoogleAds,
        Preset::KpiCsv,
        Preset::SpendCsv,
        Preset::ExperimentCsv,
        Preset::WinlossCsv,
        Preset::TouchesCsv,
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
            Preset::TouchesCsv => "touches-csv",
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
    /// Set when the file has no day column: every fact is a total over this period (its `day`
    /// is the period's last), stored as a period total, never as a day.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Which report the file is: `preset|dimension|signature` (see `source`). An updated export
    /// replaces an earlier import of the same source only.
    pub source: String,
    /// What the summary says beside its counts: period totals, columns not read, channels mapped,
    /// campaigns without activity. One line each.
    pub notes: Vec<String>,
    /// ISO 4217 code, uppercased, when the file states one.
    pub currency: Option<String>,
    /// kpi-csv values written with a sign, a currency or percent mark, or an ambiguous dot, in
    /// line order: the metric's unit judges them when the store checks the file, with the same
    /// words as `kpi record` (`kpi::check_reading`). Usually empty.
    pub doubts: Vec<Doubt>,
    /// HubSpot contacts and deals carrying ids, kept for milestone paths (not facts: never counted).
    pub hubspot: Vec<crate::domain::attribution::HubspotRecord>,
}

/// What the user's config adds to the importer, the one settings value every parse is given
/// (through `io::import::ParseOptions`): channel aliases and campaign types
/// (`[channels.aliases]`, `[channels.campaign_types]`), HubSpot deal stages
/// (`[import.hubspot_stages]`) and the HubSpot deals export's own column names for win/loss
/// (`[import.hubspot-deals]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSettings {
    pub aliases: Aliases,
    /// Squashed stage label (`closedabandoned`) => outcome.
    pub stages: HashMap<String, StageOutcome>,
    pub hubspot_deals: DealColumns,
}

/// What a deal stage means for the funnel. (A deal's outcome for win/loss, with its competitor
/// and reason, is `winloss::DealOutcome`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageOutcome {
    Open,
    Won,
    Lost,
}

impl StageOutcome {
    pub fn parse(s: &str) -> Option<StageOutcome> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Some(StageOutcome::Open),
            "won" => Some(StageOutcome::Won),
            "lost" => Some(StageOutcome::Lost),
            _ => None,
        }
    }
}

/// Lowercase alphanumerics only, so `"Closed Won"`, `"closedwon"` and `"CLOSED_WON"` compare equal.
pub fn squash(raw: &str) -> String {
    raw.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
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
    /// One row of a deal's history (touches-csv): a touch or a milestone, for attribution.
    Touch {
        line: usize,
        key: String,
        deal: String,
        at: NaiveDateTime,
        /// A channel slug; `None` only on a milestone row that names none.
        channel: Option<String>,
        campaign: Option<String>,
        kind: TouchKind,
        /// On deal-created and closed-won rows only.
        amount_cents: Option<i64>,
    },
}

impl Fact {
    pub fn line(&self) -> usize {
        match self {
            Fact::Kpi { line, .. }
            | Fact::Spend { line, .. }
            | Fact::Experiment { line, .. }
            | Fact::Outcome { line, .. }
            | Fact::Touch { line, .. } => *line,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Fact::Kpi { key, .. }
            | Fact::Spend { key, .. }
            | Fact::Experiment { key, .. }
            | Fact::Outcome { key, .. }
            | Fact::Touch { key, .. } => key,
        }
    }

    /// The day it is for; `None` for experiment counts written without one, and for an open deal
    /// with no expected close.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            Fact::Kpi { day, .. } | Fact::Spend { day, .. } => Some(*day),
            Fact::Experiment { day, .. } => *day,
            Fact::Outcome { outcome, .. } => outcome.closed_on,
            Fact::Touch { at, .. } => Some(at.date()),
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
