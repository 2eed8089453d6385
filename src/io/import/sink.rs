//! Collecting one file's facts, skipped rows, errors and summary, and summing facts that share a key.

use std::collections::HashMap;
use std::sync::mpsc::SyncSender;

use chrono::NaiveDate;

use super::KpiBatch;
use super::number::MAX_CENTS;
use super::{Doubt, Fact, ImportError, ParsedFile, Preset, Skipped};
use crate::domain::number::Reading;

pub(super) struct Sink {
    preset: Preset,
    pub rows_read: usize,
    pub facts: Vec<Fact>,
    skipped: Vec<Skipped>,
    pub errors: Vec<ImportError>,
    campaigns: Vec<(String, String)>,
    /// name => channels already listed; looked up by `&str` so repeat campaigns cost no allocation.
    campaign_index: HashMap<String, Vec<String>>,
    /// key => index in `facts`, only for presets that sum rows sharing a key.
    by_key: HashMap<String, usize>,
    pub range: Option<(NaiveDate, NaiveDate)>,
    currency: Option<(String, usize)>,
    doubts: Vec<Doubt>,
    /// Where finished facts go while the file is still being read (see `parse_streaming`).
    stream: Option<SyncSender<KpiBatch>>,
    /// How many of `facts` have been sent down `stream`.
    streamed: usize,
}

/// Facts per streamed batch: large enough that each metric's rows of a batch land on the store's
/// covering index as one sequential run, small enough that writing starts early.
const STREAM_BATCH: usize = 32_768;
/// The first batch is smaller: the writer waits for it with nothing else to do.
const STREAM_FIRST_BATCH: usize = 4_096;

impl Sink {
    pub fn new(preset: Preset) -> Self {
        Sink {
            preset,
            rows_read: 0,
            facts: Vec::new(),
            skipped: Vec::new(),
            errors: Vec::new(),
            campaigns: Vec::new(),
            campaign_index: HashMap::new(),
            by_key: HashMap::new(),
            range: None,
            currency: None,
            doubts: Vec::new(),
            stream: None,
            streamed: 0,
        }
    }

    pub fn streaming(mut self, to: SyncSender<KpiBatch>) -> Self {
        self.stream = Some(to);
        self
    }

    /// Sends the facts pushed since the last batch once there are enough of them, packed, in
    /// the store's index order; with `rest`, whatever is left (at the end of the file).
    ///
    /// Only for presets whose facts are final when pushed (never summed later). Stops for good at
    /// the first error, since nothing of the file will be kept, or when the receiver hung up.
    pub fn stream_batch(&mut self, rest: bool) {
        let Some(to) = &self.stream else { return };
        let ready = self.facts.len() - self.streamed;
        let enough = if self.streamed == 0 { STREAM_FIRST_BATCH } else { STREAM_BATCH };
        if ready == 0 || (ready < enough && !rest) {
            return;
        }
        if !self.errors.is_empty() {
            self.stream = None;
            return;
        }
        let batch = KpiBatch::sorted(&self.facts[self.streamed..]);
        self.streamed = self.facts.len();
        if to.send(batch).is_err() {
            self.stream = None;
        }
    }

    pub fn error(&mut self, line: usize, column: &str, message: impl Into<String>) {
        self.errors.push(ImportError::new(line, column, message));
    }

    pub fn skip(&mut self, line: usize, reason: impl Into<String>) {
        self.skipped.push(Skipped { line, reason: reason.into() });
    }

    pub fn campaign(&mut self, name: &str, channel: &str) {
        let channels = match self.campaign_index.get_mut(name) {
            Some(c) => c,
            None => self.campaign_index.entry(name.to_string()).or_default(),
        };
        if !channels.iter().any(|c| c == channel) {
            channels.push(channel.to_string());
            self.campaigns.push((name.to_string(), channel.to_string()));
        }
    }

    /// One currency per file: the caller's store holds a single currency, so mixing is refused here.
    pub fn currency(&mut self, line: usize, column: &str, raw: &str) {
        let code = raw.trim();
        if code.is_empty() || code == "--" {
            return;
        }
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            self.error(line, column, format!("{} is not an ISO currency code", crate::domain::text::quote(code)));
            return;
        }
        match &self.currency {
            Some((known, _)) if known.eq_ignore_ascii_case(code) => {}
            Some((known, first)) => {
                let msg = format!("currency {code} differs from {known} on line {first}; import one currency per file");
                self.error(line, column, msg);
            }
            None => self.currency = Some((code.to_ascii_uppercase(), line)),
        }
    }

    /// A value whose writing its metric's unit must judge (see `ParsedFile::doubts`).
    pub fn doubt(&mut self, line: usize, raw: &str, reading: Reading) {
        self.doubts.push(Doubt { line, raw: raw.to_string(), reading });
    }

    pub fn push(&mut self, fact: Fact) {
        self.facts.push(fact);
    }

    /// Adds a KPI fact, or adds `value` to the one already holding `key` (first line wins).
    #[allow(clippy::too_many_arguments)]
    pub fn add_kpi(
        &mut self,
        line: usize,
        key: String,
        metric: &str,
        day: NaiveDate,
        channel: &str,
        campaign: Option<&str>,
        value: f64,
    ) {
        if let Some(&i) = self.by_key.get(&key) {
            if let Some(Fact::Kpi { value: v, .. }) = self.facts.get_mut(i) {
                *v += value;
            }
            return;
        }
        self.by_key.insert(key.clone(), self.facts.len());
        self.facts.push(Fact::Kpi {
            line,
            key,
            metric: metric.to_string(),
            day,
            channel: channel.to_string(),
            campaign: campaign.map(str::to_string),
            value,
        });
    }

    /// Adds a spend fact, or adds `cents` to the one already holding `key`, keeping the sum in range.
    #[allow(clippy::too_many_arguments)]
    pub fn add_spend(
        &mut self,
        line: usize,
        column: &str,
        key: String,
        campaign: &str,
        channel: &str,
        day: NaiveDate,
        cents: i64,
        note: &str,
    ) {
        if let Some(&i) = self.by_key.get(&key) {
            let mut overflow = false;
            if let Some(Fact::Spend { amount_cents, .. }) = self.facts.get_mut(i) {
                let sum = i128::from(*amount_cents) + i128::from(cents);
                match i64::try_from(sum) {
                    Ok(s) if sum.abs() <= MAX_CENTS => *amount_cents = s,
                    _ => overflow = true,
                }
            }
            if overflow {
                self.error(
                    line,
                    column,
                    format!("total spend for {} is out of range", crate::domain::text::quote(&key)),
                );
            }
            return;
        }
        self.by_key.insert(key.clone(), self.facts.len());
        self.facts.push(Fact::Spend {
            line,
            key,
            campaign: campaign.to_string(),
            channel: channel.to_string(),
            day,
            amount_cents: cents,
            note: note.to_string(),
        });
    }

    pub fn finish(mut self) -> Result<ParsedFile, Vec<ImportError>> {
        if !self.errors.is_empty() {
            // Stable, so errors on one line keep column order; the caller shows the first 20.
            self.errors.sort_by_key(|e| e.line);
            return Err(self.errors);
        }
        let range = self.range.or_else(|| {
            let mut days = self.facts.iter().filter_map(Fact::day);
            let first = days.next()?;
            Some(days.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))))
        });
        Ok(ParsedFile {
            preset: self.preset,
            rows_read: self.rows_read,
            facts: self.facts,
            skipped: self.skipped,
            campaigns: self.campaigns,
            range,
            currency: self.currency.map(|(code, _)| code),
            doubts: self.doubts,
        })
    }
}
