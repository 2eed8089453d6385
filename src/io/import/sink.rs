//! Collecting one file's facts, skipped rows, errors and summary notes; summing facts that share
//! a key only for a stated reason; money in exact cents; channels through the one alias table.

// foldhash, not SipHash: these maps take a lookup per fact (a million on a big file), and their
// keys come from the user's own file, not from an adversary that could flood one bucket.
use foldhash::HashMap;
use std::sync::mpsc::SyncSender;

use chrono::NaiveDate;

use super::date::Dates;
use super::keys::{Entry, KeyIndex};
use super::number::Numbers;
use super::{Doubt, Fact, ImportError, KpiBatch, ParseOptions, ParsedFile, Preset, Skipped};
use crate::domain::channel::{Channel, SLUGS};
use crate::domain::currency::{self, Mark};
use crate::domain::import::source;
use crate::domain::number::{MAX_CENTS, Reading};
use crate::domain::text::channel_slug;

pub(super) struct Sink<'o> {
    preset: Preset,
    pub opts: &'o ParseOptions<'o>,
    pub rows_read: usize,
    pub facts: Vec<Fact>,
    skipped: Vec<Skipped>,
    pub errors: Vec<ImportError>,
    campaigns: Vec<(String, String)>,
    /// name => channels already listed; looked up by `&str` so repeat campaigns cost no allocation.
    campaign_index: HashMap<String, Vec<String>>,
    /// key => (index in `facts`, line of the first row, the row's label in `labels`), for
    /// presets that sum rows sharing a key.
    by_key: KeyIndex,
    /// Row labels ("Brand on 2026-11-01"), each kept once per row rather than once per fact.
    labels: Vec<String>,
    /// The line whose label is last in `labels`.
    label_line: usize,
    /// (campaign type, subtype) => channel, so a report's few types are resolved once each.
    campaign_types: Vec<(String, String, Channel)>,
    /// index in `facts` => exact cents, for money facts summed over rows (no float noise).
    cents: HashMap<usize, i64>,
    pub range: Option<(NaiveDate, NaiveDate)>,
    period: Option<(NaiveDate, NaiveDate)>,
    currency: Option<(String, usize)>,
    currency_refused: bool,
    doubts: Vec<Doubt>,
    pub numbers: Numbers,
    pub dates: Dates,
    dimension: String,
    signature: Vec<String>,
    notes: Vec<String>,
    /// Why rows sharing a key may be summed ("one row per deal", "rows split by Device").
    merge_reason: Option<String>,
    merged: bool,
    last_merge_error: usize,
    /// label => resolved channel (or `None`: refused), so a million rows resolve a few labels.
    channels: HashMap<String, Option<String>>,
    /// (label, slug) where a label was read as another slug, in first-seen order.
    mapped: Vec<(String, String)>,
    /// (label, slug) of labels in no alias table, kept under their own slug.
    new_channels: Vec<(String, String)>,
    /// Slugs a hand-made history wrote outside the vocabulary, kept as written (`own_channel`).
    own_channels: Vec<String>,
    inactive: Vec<String>,
    not_read: Vec<String>,
    /// Where finished facts go while the file is still being read (see `parse_streaming`).
    stream: Option<SyncSender<KpiBatch>>,
    /// How many of `facts` have been sent down `stream`.
    streamed: usize,
    /// HubSpot records with ids, for milestone paths.
    pub hubspot: Vec<crate::domain::attribution::HubspotRecord>,
}

/// Facts per streamed batch: large enough that each metric's rows of a batch land on the store's
/// covering index as one sequential run, small enough that writing starts early.
const STREAM_BATCH: usize = 32_768;
/// The first batch is smaller: the writer waits for it with nothing else to do.
const STREAM_FIRST_BATCH: usize = 4_096;

impl<'o> Sink<'o> {
    pub fn new(preset: Preset, opts: &'o ParseOptions<'o>) -> Self {
        Sink {
            preset,
            opts,
            rows_read: 0,
            facts: Vec::new(),
            skipped: Vec::new(),
            errors: Vec::new(),
            campaigns: Vec::new(),
            campaign_index: HashMap::default(),
            by_key: KeyIndex::default(),
            labels: Vec::new(),
            label_line: 0,
            campaign_types: Vec::new(),
            cents: HashMap::default(),
            range: None,
            period: None,
            currency: None,
            currency_refused: false,
            doubts: Vec::new(),
            numbers: Numbers::default(),
            dates: Dates::default(),
            dimension: String::new(),
            signature: Vec::new(),
            notes: Vec::new(),
            merge_reason: None,
            merged: false,
            last_merge_error: 0,
            channels: HashMap::default(),
            mapped: Vec::new(),
            new_channels: Vec::new(),
            own_channels: Vec::new(),
            inactive: Vec::new(),
            not_read: Vec::new(),
            stream: None,
            streamed: 0,
            hubspot: Vec::new(),
        }
    }

    /// Room for `rows` facts and keys up front, so a 100k-row export does not grow (and copy)
    /// its facts and rehash its key index a dozen times on the way.
    pub fn expect_rows(&mut self, rows: usize) {
        self.facts.reserve(rows);
        self.by_key.reserve(rows);
    }

    pub fn streaming(mut self, to: SyncSender<KpiBatch>) -> Self {
        self.stream = Some(to);
        self
    }

    /// Sends the facts pushed since the last batch once there are enough of them, packed, in
    /// the store's index order; with `rest`, whatever is left (at the end of the file).
    ///
    /// For presets whose facts are final when pushed (kpi-csv) or almost always (GA4): a row summed
    /// into a fact already sent revokes the stream ([`Sink::merge`]). Stops for good at the first
    /// error (nothing of the file will be kept) or when the receiver hung up.
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
        // A row is summed only into facts of its own day (two labels of one channel, a split by
        // another dimension): the last day is held back so a batch never ends inside a day.
        let mut end = self.facts.len();
        if !rest && self.preset != Preset::KpiCsv {
            let last = self.facts.last().and_then(Fact::day);
            while end > self.streamed && self.facts[end - 1].day() == last {
                end -= 1;
            }
            if end == self.streamed {
                return;
            }
        }
        let batch = KpiBatch::sorted(self.preset, &self.facts[self.streamed..end]);
        self.streamed = end;
        if to.send(batch).is_err() {
            self.stream = None;
        }
    }

    /// A fact already sent is about to change: the writer is told to drop what it wrote, and
    /// nothing more is sent (the file is written whole once parsed).
    fn revoke_stream(&mut self) {
        if let Some(to) = self.stream.take() {
            let _ = to.send(KpiBatch::revoke(self.preset));
        }
    }

    pub fn error(&mut self, line: usize, column: &str, message: impl Into<String>) {
        self.errors.push(ImportError::new(line, column, message));
    }

    pub fn skip(&mut self, line: usize, reason: impl Into<String>) {
        self.skipped.push(Skipped { line, reason: reason.into() });
    }

    /// What the file is cut by and the columns it reads: its source identity (see `source`).
    pub fn source(&mut self, dimension: &str, signature: &[&str]) {
        self.dimension = dimension.to_string();
        self.signature = signature.iter().map(|s| s.to_string()).collect();
    }

    /// The rows are totals over `from..=to` (no day column): facts are dated `to` and stored as
    /// a period total. A single day is just a day.
    pub fn period(&mut self, from: NaiveDate, to: NaiveDate) {
        self.range = Some((from, to));
        if from < to {
            self.period = Some((from, to));
        }
    }

    pub fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }

    /// Columns of the header no fact is read from, named in the summary.
    pub fn not_read(&mut self, columns: impl IntoIterator<Item = String>) {
        self.not_read.extend(columns);
    }

    /// Rows sharing a key are summed, and this is why (said in the summary).
    pub fn merge_reason(&mut self, reason: impl Into<String>) {
        self.merge_reason = Some(reason.into());
    }

    /// A campaign row with no spend and no activity: no campaign is created for it.
    pub fn inactive_campaign(&mut self, name: &str) {
        if !self.inactive.iter().any(|n| n == name) {
            self.inactive.push(name.to_string());
        }
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

    /// The slug of a channel label through the one alias table (with the config's rows). A label
    /// in no table is refused when `strict` (a tool's closed list: a custom grouping would never
    /// meet the other tools' channels), else kept under its own slug and named in the summary.
    pub fn channel(&mut self, line: usize, column: &str, label: &str, strict: bool) -> Option<String> {
        let label = label.trim();
        // A refused label is said once, at its first row: the file is refused anyway.
        if let Some(found) = self.channels.get(label) {
            return found.clone();
        }
        let found = if label.is_empty() {
            Some(String::new())
        } else {
            match self.opts.settings.aliases.channel(label) {
                Channel::Known(slug) => {
                    if channel_slug(label) != slug {
                        self.mapped.push((label.to_string(), slug.clone()));
                    }
                    Some(slug)
                }
                Channel::Unknown if strict => None,
                Channel::Unknown => {
                    let slug = channel_slug(label);
                    self.new_channels.push((label.to_string(), slug.clone()));
                    Some(slug)
                }
            }
        };
        if found.is_none() {
            self.refuse_channel(line, column, label);
        }
        self.channels.insert(label.to_string(), found.clone());
        found
    }

    /// A channel of a hand-made history (touches-csv), by `Aliases::own_channel`: a label written
    /// as a slug is kept as written (named in the summary when outside the vocabulary); any other
    /// label is read as `channel` reads it.
    pub fn own_channel(&mut self, line: usize, column: &str, label: &str) -> Option<String> {
        let label = label.trim();
        if let Some(found) = self.channels.get(label) {
            return found.clone();
        }
        match self.opts.settings.aliases.own_channel(label) {
            Channel::Known(slug) if slug == label => {
                if !SLUGS.contains(&label) {
                    self.own_channels.push(slug.clone());
                }
                self.channels.insert(slug.clone(), Some(slug.clone()));
                Some(slug)
            }
            _ => self.channel(line, column, label, false),
        }
    }

    fn refuse_channel(&mut self, line: usize, column: &str, label: &str) {
        self.error(
            line,
            column,
            format!(
                "unknown channel '{label}' (not in the alias table); map it in config: [channels.aliases] \"{label}\" = \"referral\" (or another channel)"
            ),
        );
    }

    /// The currency a `Currency code` column states: one per file, and the store's.
    pub fn currency(&mut self, line: usize, column: &str, raw: &str) {
        let code = raw.trim();
        if code.is_empty() || code == "--" || self.currency_refused {
            return;
        }
        if !currency::is_code(code) {
            self.error(line, column, format!("{} is not an ISO 4217 currency code", crate::domain::text::quote(code)));
            self.currency_refused = true;
            return;
        }
        let store = self.opts.currency;
        if !code.eq_ignore_ascii_case(store) {
            let code = code.to_ascii_uppercase();
            self.error(line, column, mismatch(&code, store));
            self.currency_refused = true;
            return;
        }
        if self.currency.is_none() {
            self.currency = Some((code.to_ascii_uppercase(), line));
        }
    }

    /// Money to exact cents, the cell's symbol or code checked against the store's currency.
    /// `None` (and the problem recorded) when the cell is refused; `Some(None)` when blank.
    pub fn money(&mut self, line: usize, column: &str, raw: &str) -> Option<Option<i64>> {
        match self.numbers.cents(raw, line) {
            Ok(None) => Some(None),
            Ok(Some((cents, reading))) => {
                if let Some(mark) = reading.currency
                    && !mark.fits(self.opts.currency)
                {
                    if !self.currency_refused {
                        self.error(line, column, mark_mismatch(raw, mark, self.opts.currency));
                        self.currency_refused = true;
                    }
                    return None;
                }
                let allowed = usize::from(currency::decimals(self.opts.currency));
                if reading.decimals > allowed {
                    let e = crate::domain::money::check_decimals(raw, reading.decimals, self.opts.currency);
                    self.error(line, column, e.map_or_else(|e| e.to_string(), |()| String::new()));
                    return None;
                }
                Some(Some(cents))
            }
            Err(e) => {
                self.error(line, column, e);
                None
            }
        }
    }

    /// A value whose writing its metric's unit must judge (see `ParsedFile::doubts`).
    pub fn doubt(&mut self, line: usize, raw: &str, reading: Reading) {
        self.doubts.push(Doubt { line, raw: raw.to_string(), reading });
    }

    pub fn push(&mut self, fact: Fact) {
        self.facts.push(fact);
    }

    /// Adds a KPI fact, or adds `value` to the one already holding `key` when rows may be summed
    /// (a stated reason, or two labels the alias table reads as one channel). `label` is what
    /// tells the row apart in a refusal ("Direct on 2026-11-01").
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
        label: &str,
    ) {
        let h = self.by_key.hash(&key);
        if let Some(i) = self.merge(line, &key, h, label) {
            if let Some(Fact::Kpi { value: v, .. }) = self.facts.get_mut(i) {
                *v += value;
            }
            return;
        }
        self.push_kpi(line, key, h, metric, day, channel, campaign, value, label);
    }

    /// A new KPI fact, its key (of hash `h`) known to be new.
    #[allow(clippy::too_many_arguments)]
    fn push_kpi(
        &mut self,
        line: usize,
        key: String,
        h: u64,
        metric: &str,
        day: NaiveDate,
        channel: &str,
        campaign: Option<&str>,
        value: f64,
        label: &str,
    ) {
        let label = self.label(line, label);
        self.by_key.insert(h, Entry { fact: self.facts.len(), line, label });
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

    /// `add_kpi` for money: summed in exact cents, so a month of spend is 2035.28, never
    /// 2035.2800000000002.
    #[allow(clippy::too_many_arguments)]
    pub fn add_kpi_cents(
        &mut self,
        line: usize,
        key: String,
        metric: &str,
        day: NaiveDate,
        channel: &str,
        campaign: Option<&str>,
        cents: i64,
        label: &str,
    ) {
        let h = self.by_key.hash(&key);
        if let Some(i) = self.merge(line, &key, h, label) {
            let sum = self.cents.entry(i).or_insert(0);
            *sum = sum.saturating_add(cents);
            return;
        }
        self.cents.insert(self.facts.len(), cents);
        self.push_kpi(line, key, h, metric, day, channel, campaign, 0.0, label);
    }

    /// The index in `labels` of this row's label: added once per row (a row makes several facts).
    fn label(&mut self, line: usize, label: &str) -> u32 {
        let last = self.labels.len().wrapping_sub(1);
        if self.label_line != line || self.labels.last().is_none_or(|l| l != label) {
            self.labels.push(label.to_string());
            self.label_line = line;
            return (self.labels.len() - 1) as u32;
        }
        last as u32
    }

    /// The channel of a campaign type (and subtype) through the alias table, remembered per file.
    pub fn campaign_type(&mut self, kind: &str, subtype: &str) -> Channel {
        if let Some((_, _, c)) = self.campaign_types.iter().find(|(k, s, _)| k == kind && s == subtype) {
            return c.clone();
        }
        let c = self.opts.settings.aliases.campaign_type(kind, subtype);
        self.campaign_types.push((kind.to_string(), subtype.to_string(), c.clone()));
        c
    }

    /// The fact `key` already names, when this row may be summed into it; a refusal otherwise.
    fn merge(&mut self, line: usize, key: &str, h: u64, label: &str) -> Option<usize> {
        let Entry { fact: i, line: first, label: l } = self.by_key.get(&self.facts, key, h)?;
        if i < self.streamed {
            self.revoke_stream();
        }
        let same_label = self.labels.get(l as usize).is_some_and(|l| l == label);
        if first != line && self.merge_reason.is_none() && same_label {
            if self.last_merge_error != line {
                self.last_merge_error = line;
                let msg = format!(
                    "repeats line {first} ({label}): the two rows would be summed into one fact with no column \
                     that tells them apart; remove one, or export with the dimension that splits them"
                );
                self.error(line, "-", msg);
            }
        } else if first != line {
            self.merged = true;
        }
        Some(i)
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
        let h = self.by_key.hash(&key);
        if let Some(Entry { fact: i, .. }) = self.by_key.get(&self.facts, &key, h) {
            let mut overflow = false;
            if let Some(Fact::Spend { amount_cents, .. }) = self.facts.get_mut(i) {
                let sum = i128::from(*amount_cents) + i128::from(cents);
                match i64::try_from(sum) {
                    Ok(s) if sum.abs() <= MAX_CENTS => *amount_cents = s,
                    _ => overflow = true,
                }
            }
            if overflow {
                self.error(line, column, format!("total spend for '{key}' is out of range"));
            }
            return;
        }
        let label = self.label(line, "");
        self.by_key.insert(h, Entry { fact: self.facts.len(), line, label });
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
        for (&i, &cents) in &self.cents {
            if let Some(Fact::Kpi { value, .. }) = self.facts.get_mut(i) {
                *value = cents as f64 / 100.0;
            }
        }
        let range = self.range.or_else(|| {
            let mut days = self.facts.iter().filter_map(Fact::day);
            let first = days.next()?;
            Some(days.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))))
        });
        let notes = self.summary_notes();
        let signature: Vec<&str> = self.signature.iter().map(String::as_str).collect();
        Ok(ParsedFile {
            preset: self.preset,
            rows_read: self.rows_read,
            facts: self.facts,
            skipped: self.skipped,
            campaigns: self.campaigns,
            range,
            period: self.period,
            source: source::identity(self.preset.name(), &self.dimension, &signature),
            notes,
            currency: self.currency.map(|(code, _)| code),
            doubts: self.doubts,
            hubspot: self.hubspot,
        })
    }

    fn summary_notes(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((from, to)) = self.period {
            out.push(format!("period total {from}..{to} (no Day column)"));
        }
        if self.merged
            && let Some(reason) = &self.merge_reason
        {
            out.push(format!("rows summed: {reason}"));
        }
        if !self.mapped.is_empty() {
            let shown: Vec<String> = self.mapped.iter().map(|(l, s)| format!("{l} -> {s}")).collect();
            out.push(format!("channels: {}", shown.join(", ")));
        }
        if !self.new_channels.is_empty() {
            let shown: Vec<String> = self.new_channels.iter().map(|(l, s)| format!("{s} (from '{l}')")).collect();
            out.push(format!("channels not in the alias table, kept as written: {}", shown.join(", ")));
        }
        if !self.own_channels.is_empty() {
            out.push(format!(
                "channels kept as written, outside mktg's vocabulary ([channels.aliases] merges them): {}",
                self.own_channels.join(", ")
            ));
        }
        if !self.inactive.is_empty() {
            let n = self.inactive.len();
            let what = if n == 1 { "campaign" } else { "campaigns" };
            out.push(format!("{n} {what} without spend or activity, not created: {}", self.inactive.join(", ")));
        }
        if !self.not_read.is_empty() {
            out.push(format!("not read: {}", self.not_read.join(", ")));
        }
        out.append(&mut self.notes);
        out
    }
}

/// "the file is in GBP but the store keeps USD": one line naming both.
pub(super) fn mismatch(file: &str, store: &str) -> String {
    format!(
        "the file is in {file} but the store keeps {store}; convert it, or import it into a store kept in {file} (mktg init --currency {file})"
    )
}

fn mark_mismatch(raw: &str, mark: Mark, store: &str) -> String {
    format!("'{}' is in {} but the store keeps {store}; convert the file first", raw.trim(), mark.named())
}
