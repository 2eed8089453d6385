//! The import transaction: one file's facts written all-or-nothing, idempotent re-import,
//! replace-on-update, undo, and the import log the cockpit shows.

mod apply;
mod batch;
mod campaigns;
mod log;
mod milestones;
mod replace;
mod sources;
mod spend_rows;
mod stream;
mod touches;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

pub(super) use log::kpi_export_rows;
pub use log::{ImportEntry, KpiExportRow, UndoSummary};
pub use sources::Standing;
pub use stream::{StreamRequest, Streamed};

use super::Store;
use super::tx::Tx;
use crate::domain::import::{Fact, ImportError, ParsedFile};
use crate::domain::kpi::Metric;
use crate::store::error::{Error, Result};

/// One parsed file on its way into the store.
pub struct ImportRequest<'a> {
    /// Shown in the log: the file's name, not its directory.
    pub file_name: &'a str,
    /// `io::import::fingerprint` of the file's bytes.
    pub fingerprint: &'a str,
    pub parsed: &'a ParsedFile,
    pub now: NaiveDateTime,
    /// Work out exactly what would change, then roll it all back.
    pub dry_run: bool,
    /// Who is importing (config `[ui] user`): owns a positioning proposal no PMM owns.
    pub user: &'a str,
}

pub enum ImportOutcome {
    /// The same bytes were imported before and still count: nothing changed.
    AlreadyImported {
        id: i64,
        replaced_by: Option<i64>,
    },
    /// The file disagrees with the store (unknown metrics): nothing was written.
    Refused(Vec<ImportError>),
    Imported(Box<ImportSummary>),
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportSummary {
    /// The import's number in the log (in a dry run, the number it would have had).
    pub id: i64,
    pub dry_run: bool,
    pub preset: String,
    /// Which report it is (`preset|dimension|signature`): an updated export replaces an earlier
    /// import of the same source only.
    pub source: String,
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// Set when the file had no day column: its facts are totals over this period.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub rows_read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Facts of the replaced imports that the updated export no longer has.
    pub removed: usize,
    pub skipped: usize,
    pub campaigns_created: Vec<CreatedCampaign>,
    /// Earlier imports of the same export that this one replaced.
    pub replaced: Vec<i64>,
    /// Positioning triggers the deal outcomes raised (each a proposed decision).
    pub triggers: Vec<crate::store::compete::RaisedTrigger>,
    /// The summary's lines beside the counts (period total, channels, columns not read, ...).
    pub notes: Vec<String>,
    /// Which of its facts another source is counted instead of.
    pub standing: Standing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedCampaign {
    pub name: String,
    pub channel: String,
    /// The fiscal quarter it was created in: the quarter of its first fact's day.
    pub period: String,
}

/// `store.imports()`: writing a parsed file, undoing one, and the log. An import opens its own
/// transaction (through the store's one write path) because it needs what a closure cannot
/// give: per-row foreign-key checks off around it, a rollback for a dry run, and for a streamed
/// file, writes that start while the file is still being parsed.
pub struct Imports<'a> {
    store: &'a Store,
}

impl<'a> Imports<'a> {
    pub(super) fn new(store: &'a Store) -> Self {
        Imports { store }
    }

    /// Writes a parsed file in one transaction, or nothing at all.
    ///
    /// The same file again (same fingerprint) changes nothing. An updated export of the same
    /// period replaces the earlier import's facts; see `apply` for the exact rule. `progress`
    /// is called with (facts done, facts total) now and then.
    pub fn import(&self, req: &ImportRequest<'_>, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportOutcome> {
        self.check_currency(req)?;
        let run = |tx: &Tx<'_>| {
            // Checked inside the write lock: no other writer can remove a metric until commit,
            // which is what makes switching the per-row foreign-key checks off safe.
            let problems = self.check_metrics(req.parsed, req.now.date())?;
            if !problems.is_empty() {
                return Ok(ImportOutcome::Refused(problems));
            }
            apply::apply(tx, req, progress)
        };
        let _checks = ForeignKeysOff::new(self.store)?;
        if req.dry_run { self.store.rehearse(run) } else { self.store.write(run) }
    }

    /// Removes exactly import `id`'s facts (and the campaigns it created that nothing else uses)
    /// and marks it undone. With `dry_run`, reports the same and keeps everything.
    pub fn undo(&self, id: i64, now: NaiveDateTime, dry_run: bool) -> Result<UndoSummary> {
        let run = |tx: &Tx<'_>| log::undo(tx, id, now);
        if dry_run { self.store.rehearse(run) } else { self.store.write(run) }
    }

    /// One currency per store: a file priced in another would silently mix them.
    fn check_currency(&self, req: &ImportRequest<'_>) -> Result<()> {
        let Some(file) = &req.parsed.currency else { return Ok(()) };
        let store = self.store.meta().currency();
        if file.eq_ignore_ascii_case(&store) {
            return Ok(());
        }
        Err(Error::input(format!(
            "{}: the file's currency {file} differs from the store's {store}; nothing was imported",
            req.file_name
        )))
    }

    /// Every KPI fact must name a metric the store defines; one problem per row otherwise.
    fn check_metrics(&self, parsed: &ParsedFile, today: NaiveDate) -> Result<Vec<ImportError>> {
        let has_kpis = parsed.facts.iter().any(|f| matches!(f, Fact::Kpi { .. }));
        let mut check = MetricCheck::new(self.store, has_kpis, today)?;
        // A value's writing (a sign, a mark) is said before what it adds up to: first per line wins.
        let mut problems = doubt_problems(&check.metrics, parsed, &check.currency);
        for fact in &parsed.facts {
            match fact {
                Fact::Kpi { line, metric, day, value, .. } => {
                    problems.extend(check.fact_problem(*line, metric, *day, *value))
                }
                // A deal closed after today is a wrong date, as a KPI for a day to come is.
                Fact::Outcome { line, outcome, .. } => {
                    if let Err(e) = outcome.check(today) {
                        let column = if parsed.preset == crate::domain::import::Preset::WinlossCsv {
                            "closed_on"
                        } else {
                            "Close Date"
                        };
                        problems.push(ImportError::new(*line, column, e.to_string()));
                    }
                }
                // A touch after today has not happened: most often a day-first date read
                // month-first, or a clock that is off. The history stays as it was.
                Fact::Touch { line, at, .. } => {
                    if at.date() > today {
                        let shown = match at.time() == chrono::NaiveTime::MIN {
                            true => at.format("%Y-%m-%d").to_string(),
                            false => at.format("%Y-%m-%d %H:%M").to_string(),
                        };
                        let message = format!("{shown} is after today ({today}, from --now or the clock)");
                        problems.push(ImportError::new(*line, "touched_at", message));
                    }
                }
                Fact::Spend { .. } | Fact::Experiment { .. } => {}
            }
        }
        if parsed.facts.iter().any(|f| matches!(f, Fact::Experiment { .. })) {
            let conn = self.store.kpis().db.conn();
            problems.extend(super::experiments::import_problems(conn, &parsed.facts, today)?);
        }
        Ok(one_per_line(problems))
    }

    /// The import log, newest first.
    pub fn log(&self) -> Result<Vec<ImportEntry>> {
        log::list(self.store.kpis().db.conn())
    }

    /// Which of import `id`'s facts another source is counted instead of (for the import log).
    pub fn standing(&self, id: i64) -> Result<Standing> {
        sources::standing(self.store.kpis().db.conn(), id)
    }

    /// How many facts import `id` holds now (for the undo confirmation).
    pub fn fact_count(&self, id: i64) -> Result<i64> {
        log::fact_count(self.store.kpis().db.conn(), id)
    }
}

/// Problems in line order, the first of each line only: a value refused by its writing (a sign)
/// is not refused again for what it adds up to.
pub(super) fn one_per_line(mut problems: Vec<ImportError>) -> Vec<ImportError> {
    problems.sort_by_key(|p| p.line);
    problems.dedup_by_key(|p| p.line);
    problems
}

/// The store's metrics, for checking a million facts against them.
struct MetricCheck {
    metrics: Vec<Metric>,
    /// key -> index in `metrics`
    known: std::collections::HashMap<String, usize, std::hash::BuildHasherDefault<batch::Fnv>>,
    /// The store's currency: money facts have at most its minor unit's decimals.
    currency: String,
    /// The hint (close matches) is worked out once per unknown name, not once per row.
    hints: std::collections::HashMap<String, String>,
    /// Observations are for days that have happened.
    today: NaiveDate,
}

impl MetricCheck {
    /// Refuses outright a store without metrics when there are KPI facts to check.
    fn new(store: &Store, has_kpis: bool, today: NaiveDate) -> Result<Self> {
        let metrics = store.kpis().metrics()?;
        if metrics.is_empty() && has_kpis {
            return Err(Error::input("the store has no metrics yet: run `mktg init` first; nothing was imported"));
        }
        let known = metrics.iter().enumerate().map(|(i, m)| (m.key.clone(), i)).collect();
        let currency = store.meta().currency();
        Ok(MetricCheck { metrics, known, currency, hints: Default::default(), today })
    }

    /// What is wrong with one KPI fact, as `kpi record` would say it: an unknown or computed
    /// metric, a day still to come, a value its metric does not take (a fraction of a lead, a
    /// third decimal of money, beyond the bound). (Its sign and marks: `doubt_problems`.)
    fn fact_problem(&mut self, line: usize, metric: &str, day: NaiveDate, value: f64) -> Option<ImportError> {
        if let Some(p) = self.problem(line, metric) {
            return Some(p);
        }
        let m = &self.metrics[*self.known.get(metric)?];
        if let Some(f) = &m.formula {
            let f = if f.starts_with("outcomes.") {
                "deal outcomes (a winloss-csv or HubSpot deals export)"
            } else {
                f.as_str()
            };
            return Some(ImportError::new(
                line,
                "metric",
                format!("{metric} is computed from {f}; import those metrics instead"),
            ));
        }
        self.value_problem(line, day, metric, value)
    }

    /// The per-row part of [`MetricCheck::fact_problem`], for rows of a metric already found sound.
    fn value_problem(&self, line: usize, day: NaiveDate, metric: &str, value: f64) -> Option<ImportError> {
        if day > self.today {
            return Some(ImportError::new(
                line,
                "date",
                format!("{day} is in the future: an observation is for a day that has happened"),
            ));
        }
        // Plain whole values (every count of every export) pass without a lookup.
        if value.fract() == 0.0 && (0.0..=crate::domain::number::MAX_VALUE).contains(&value) {
            return None;
        }
        let m = &self.metrics[*self.known.get(metric)?];
        crate::domain::kpi::check_fact(m, value, &self.currency)
            .err()
            .map(|e| ImportError::new(line, "value", e.to_string()))
    }

    fn problem(&mut self, line: usize, metric: &str) -> Option<ImportError> {
        if self.known.contains_key(metric) {
            return None;
        }
        if !self.hints.contains_key(metric) {
            let hint = match crate::domain::kpi::find_metric(&self.metrics, metric) {
                Err(e) => e.to_string(),
                Ok(_) => format!("unknown metric '{metric}'"),
            };
            self.hints.insert(metric.to_string(), hint);
        }
        Some(ImportError::new(line, "metric", self.hints.get(metric).cloned().unwrap_or_default()))
    }
}

/// The file's values written with a sign, a mark or an ambiguous dot, judged by their metric's unit
/// with the words `kpi record` uses (`kpi::check_reading`). Facts of unknown or computed metrics
/// have their own problem already.
pub(super) fn doubt_problems(metrics: &[Metric], parsed: &ParsedFile, currency: &str) -> Vec<ImportError> {
    let mut problems = Vec::new();
    for d in &parsed.doubts {
        // kpi-csv facts are in file order: the fact of a line is found by halving.
        let Ok(i) = parsed.facts.binary_search_by_key(&d.line, Fact::line) else { continue };
        let Some(Fact::Kpi { metric, .. }) = parsed.facts.get(i) else { continue };
        let Some(m) = metrics.iter().find(|m| m.key == *metric).filter(|m| m.formula.is_none()) else { continue };
        if let Err(e) = crate::domain::kpi::check_reading(m, &d.raw, &d.reading, currency) {
            problems.push(ImportError::new(d.line, "value", e.to_string()));
        }
    }
    problems
}

/// Foreign-key enforcement off for the length of one import, back on when dropped (even on error).
///
/// Every reference an import writes is correct by construction: metrics are checked under the
/// write lock, the import id is the log row just inserted, campaign ids come from rows read or
/// inserted in the same transaction. Checking them again per row costs a third of the insert
/// time of a million-row file. The pragma only works outside a transaction, hence the guard.
///
/// The guard also gives the import a larger page cache ([`IMPORT_CACHE_KIB`]): with SQLite's
/// default 2 MB, a file of a few hundred thousand facts fills the cache long before it commits, and
/// SQLite then spills dirty pages into the WAL mid-transaction and writes many of them again
/// later (a tenth of a Google Ads import went to the spills). The cache only grows as pages are
/// touched, and is given back when the guard drops.
struct ForeignKeysOff<'a>(&'a Store, i64);

/// The page cache an import may grow to: 128 MiB, about the size of a million facts' pages.
const IMPORT_CACHE_KIB: i64 = 128 * 1024;

impl<'a> ForeignKeysOff<'a> {
    fn new(store: &'a Store) -> Result<Self> {
        store.foreign_keys(false)?;
        let guard = ForeignKeysOff(store, store.cache_size()?);
        store.set_cache_size(-IMPORT_CACHE_KIB)?;
        Ok(guard)
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        // Cannot fail outside a transaction; if it ever did, the next open turns it on again.
        let _ = self.0.foreign_keys(true);
        let _ = self.0.set_cache_size(self.1);
    }
}

/// `YYYY-MM-DD` into a stack buffer: the million-row path formats a day per fact.
pub(in crate::store) fn iso_day(day: NaiveDate, buf: &mut [u8; 10]) -> &str {
    use chrono::Datelike;
    let (y, m, d) = (day.year(), day.month(), day.day());
    if !(0..=9999).contains(&y) {
        // Out of the 4-digit range no export goes; keep it correct rather than fast.
        let s = super::fmt_day(day);
        let n = s.len().min(10);
        buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        return std::str::from_utf8(&buf[..n]).unwrap_or("");
    }
    let y = y as u32;
    let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, 10, m / 10, m % 10, 10, d / 10, d % 10];
    for (b, v) in buf.iter_mut().zip(digits) {
        *b = if v == 10 { b'-' } else { b'0' + v as u8 };
    }
    std::str::from_utf8(buf).unwrap_or("")
}

#[cfg(test)]
mod tests;
