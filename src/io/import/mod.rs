//! Public face of the importer (pure parsing, bytes in, facts out): its types, `detect` and `parse`.

mod ads;
mod date;
mod decode;
mod detect;
mod experiment_csv;
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
mod winloss_csv;

use std::sync::mpsc::SyncSender;

pub use crate::domain::import::{
    DealColumns, Doubt, Fact, ImportError, KpiBatch, KpiRow, ParseOptions, ParsedFile, Preset, Skipped,
};
pub use fingerprint::fingerprint;
use sink::Sink;

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
    parse_into(bytes, preset, &ParseOptions::default(), Sink::new)
}

/// Like `parse`, with the user's settings for reading columns (`ParseOptions`).
pub fn parse_with(bytes: &[u8], preset: Option<Preset>, opts: &ParseOptions) -> Result<ParsedFile, Vec<ImportError>> {
    parse_into(bytes, preset, opts, Sink::new)
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
    opts: &ParseOptions,
    to: SyncSender<KpiBatch>,
) -> Result<ParsedFile, Vec<ImportError>> {
    parse_into(bytes, preset, opts, |p| Sink::new(p).streaming(to))
}

fn parse_into(
    bytes: &[u8],
    preset: Option<Preset>,
    opts: &ParseOptions,
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
        Preset::HubspotDeals => hubspot_deals::parse(&text, &mut sink, &opts.hubspot_deals),
        Preset::HubspotContacts => hubspot_contacts::parse(&text, &mut sink),
        Preset::LinkedinAds => linkedin::parse(&text, &mut sink),
        Preset::GoogleAds => google_ads::parse(&text, &mut sink),
        Preset::KpiCsv => kpi_csv::parse(&text, &mut sink),
        Preset::SpendCsv => spend_csv::parse(&text, &mut sink),
        Preset::ExperimentCsv => experiment_csv::parse(&text, &mut sink),
        Preset::WinlossCsv => winloss_csv::parse(&text, &mut sink),
    }
    sink.finish()
}
