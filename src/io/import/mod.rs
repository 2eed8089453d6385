//! Public face of the importer (pure parsing, bytes in, facts out): its types, `detect` and `parse`.
//!
//! A preset is a module with `fn parse(text, &mut Sink)`, one line in [`PARSERS`] and one in
//! `detect::DETECTORS` (and its name in `domain::import::Preset`). It declares what a fact of it
//! is through the sink: its source identity (`sink.source(dimension, columns)`), a period when the
//! file has no day column (`sink.period`), channels through the alias table (`sink.channel`),
//! money through `sink.money` (checked against the store's currency), the columns it does not
//! read (`sink.not_read`) and why rows sharing a key may be summed (`sink.merge_reason`).

mod ads;
mod date;
mod decode;
mod detect;
mod experiment_csv;
mod fingerprint;
mod ga4;
mod ga4_columns;
mod google_ads;
mod hubspot_contacts;
mod hubspot_deals;
mod keys;
mod kpi_csv;
mod linkedin;
mod number;
mod sink;
mod spend_csv;
mod table;
mod text;
mod touches_csv;
mod winloss_csv;

use std::sync::OnceLock;
use std::sync::mpsc::SyncSender;

pub use crate::domain::import::{
    DealColumns, Doubt, Fact, ImportError, ImportSettings, KpiBatch, KpiRow, ParsedFile, Preset, Skipped, StageOutcome,
};
pub use date::DayOrder;
pub use fingerprint::fingerprint;
use sink::Sink;

/// What the caller knows that the file does not say.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// `None`: detected from the file.
    pub preset: Option<Preset>,
    /// `--date-order`: for a file whose slash dates could be read both ways.
    pub date_order: Option<DayOrder>,
    /// The store's currency (ISO code): every money cell is checked against it.
    pub currency: &'a str,
    /// The config's channel aliases, campaign types, deal stages and HubSpot deal columns.
    pub settings: &'a ImportSettings,
}

impl ParseOptions<'static> {
    /// Defaults: detect the preset, a USD store, no config.
    pub fn new(preset: Option<Preset>) -> ParseOptions<'static> {
        static DEFAULT: OnceLock<ImportSettings> = OnceLock::new();
        ParseOptions { preset, date_order: None, currency: "USD", settings: DEFAULT.get_or_init(Default::default) }
    }
}

/// Each preset's reader.
type Parser = for<'o> fn(&str, &mut Sink<'o>);

const PARSERS: &[(Preset, Parser)] = &[
    (Preset::Ga4, ga4::parse),
    (Preset::HubspotDeals, hubspot_deals::parse),
    (Preset::HubspotContacts, hubspot_contacts::parse),
    (Preset::LinkedinAds, linkedin::parse),
    (Preset::GoogleAds, google_ads::parse),
    (Preset::KpiCsv, kpi_csv::parse),
    (Preset::SpendCsv, spend_csv::parse),
    (Preset::ExperimentCsv, experiment_csv::parse),
    (Preset::WinlossCsv, winloss_csv::parse),
    (Preset::TouchesCsv, touches_csv::parse),
];

/// Guesses the preset from the first lines of the file; `None` when nothing matches.
pub fn detect(bytes: &[u8]) -> Option<Preset> {
    let text = decode::decode(bytes).ok()?;
    detect::detect_text(&text)
}

/// Parses a whole file with default options (see `ParseOptions::new`).
pub fn parse(bytes: &[u8], preset: Option<Preset>) -> Result<ParsedFile, Vec<ImportError>> {
    parse_with(bytes, &ParseOptions::new(preset))
}

/// Parses a whole file. With no preset the format is detected first.
///
/// Every error in the file is returned (sorted by line), and then no facts at all: a half-imported
/// file is worse than none.
pub fn parse_with(bytes: &[u8], opts: &ParseOptions<'_>) -> Result<ParsedFile, Vec<ImportError>> {
    parse_into(bytes, opts, None)
}

/// Like `parse_with`, and sends the facts down `to` in batches while the file is still being
/// read, so that another thread can write them meanwhile. Batches stop at the first error, and
/// the result is the same as `parse_with`'s: a batch received is never a promise that the file
/// is good.
///
/// kpi-csv streams (its facts are final when read) and GA4 with a Date column (its facts are
/// final unless a later row is summed into one: then a revoking batch is sent and nothing
/// more). The other presets sum rows sharing a key until the end, or hold campaigns: for them
/// nothing is sent and `to` hangs up when parsing ends.
pub fn parse_streaming(
    bytes: &[u8],
    opts: &ParseOptions<'_>,
    to: SyncSender<KpiBatch>,
) -> Result<ParsedFile, Vec<ImportError>> {
    parse_into(bytes, opts, Some(to))
}

fn parse_into(
    bytes: &[u8],
    opts: &ParseOptions<'_>,
    to: Option<SyncSender<KpiBatch>>,
) -> Result<ParsedFile, Vec<ImportError>> {
    let text = decode::decode(bytes).map_err(|e| vec![e])?;
    let preset = match opts.preset {
        Some(p) => p,
        None => detect::detect_text(&text).ok_or_else(|| vec![detect::failure(&text)])?,
    };
    let order = match date::settle(&text, opts.date_order) {
        date::Settled::Order(o) => o,
        date::Settled::Refused(e) => return Err(vec![e]),
    };
    let mut sink = Sink::new(preset, opts);
    // A line is a row, and a row at least one fact (a streamed kpi-csv reserves its own facts
    // and keeps no key index).
    if preset != Preset::KpiCsv || to.is_none() {
        sink.expect_rows(text.bytes().filter(|&b| b == b'\n').count().min(1 << 22));
    }
    if let Some(to) = to {
        sink = sink.streaming(to);
    }
    sink.dates.order = order;
    match PARSERS.iter().find(|(p, _)| *p == preset) {
        Some((_, parse)) => parse(&text, &mut sink),
        None => sink.error(1, "-", format!("no reader for preset {preset}")),
    }
    sink.finish()
}
