//! Writing a kpi-csv or a daily GA4 export while another thread is still parsing it: the same
//! single transaction and the same outcome as `Imports::import`, with the parse overlapping the
//! writes.

use std::sync::mpsc::Receiver;

use chrono::NaiveDateTime;
use rusqlite::{Connection, params};

use super::apply::{needs_careful_path, same_file};
use super::batch::KpiInserter;
use super::{
    ForeignKeysOff, ImportOutcome, ImportRequest, ImportSummary, Imports, MetricCheck, Standing, doubt_problems,
    one_per_line,
};
use crate::domain::import::{ImportError, KpiBatch, ParsedFile, Preset};
use crate::store::error::Result;
use crate::store::rollups::Delta;
use crate::store::{fmt_day, fmt_instant};

/// A file on its way into the store while it is being parsed.
pub struct StreamRequest<'a> {
    pub file_name: &'a str,
    pub fingerprint: &'a str,
    pub now: NaiveDateTime,
    pub dry_run: bool,
    /// For the progress bar: the file's line count is close enough to its fact count.
    pub estimated_facts: usize,
    /// Who is importing (see `ImportRequest::user`).
    pub user: &'a str,
}

pub enum Streamed {
    /// The file itself is wrong: nothing was written.
    ParseFailed(Vec<ImportError>),
    /// What `Imports::import` would have said for the parsed file, and that file (its `facts`
    /// emptied when they were streamed into the store: the caller reads what the file said beside
    /// them).
    Done(ImportOutcome, Box<ParsedFile>),
}

/// What the transaction did with the batches while they came in.
enum Plan {
    /// The same bytes were imported before: nothing to write.
    AlreadyImported(i64, Option<i64>),
    /// An active import of the same preset may be an earlier version of this export, and
    /// whether it is depends on the whole file: written after parsing, by `Imports::import`.
    AfterParse,
    /// Written as they came under import `id`; `problems` are unknown metrics (then nothing more
    /// was written), `refusal` a store without metrics; with `verify`, the store holds imports
    /// of the preset that the whole file may turn out to replace.
    Written {
        id: i64,
        created: usize,
        problems: Vec<ImportError>,
        refusal: Option<crate::store::error::Error>,
        verify: bool,
    },
}

impl Imports<'_> {
    /// Imports a kpi-csv (or a daily GA4 export) whose facts arrive in batches from
    /// `parse_streaming` on another thread, starting with `first`; `finish` joins the parser for
    /// the whole parsed file.
    ///
    /// Batches are written as they arrive, in one transaction that is committed only once the
    /// whole file has parsed without a problem and every metric is known, so the store ends up
    /// exactly as `Imports::import` of the parsed file would leave it. An updated export can only
    /// replace an earlier import of its preset, and which one depends on the whole file, so when
    /// the store holds an active import of the preset the batches are only drained, and the file
    /// is written by `Imports::import` once parsed.
    pub fn import_streamed(
        &self,
        req: &StreamRequest<'_>,
        first: KpiBatch,
        batches: Receiver<KpiBatch>,
        finish: impl FnOnce() -> Result<ParsedFile, Vec<ImportError>>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Streamed> {
        let checks = ForeignKeysOff::new(self.store)?;
        let tx = self.store.begin()?;
        let plan = self.write_batches(tx.conn(), req, first, &batches, progress);
        // The parser sends nothing more once no one listens; it still reads the file to its end.
        drop(batches);
        let mut parsed = match finish() {
            Err(errors) => return Ok(Streamed::ParseFailed(errors)),
            Ok(parsed) => parsed,
        };
        let mut plan = plan?;
        // Values whose sign or marks only their metric's unit can judge: known once parsed.
        if let Plan::Written { problems, refusal: None, .. } = &mut plan
            && !parsed.doubts.is_empty()
        {
            let mut first = doubt_problems(&self.store.kpis().metrics()?, &parsed, &self.store.meta().currency());
            first.append(problems);
            *problems = first;
        }
        let (id, created) = match plan {
            Plan::AlreadyImported(id, replaced_by) => {
                return Ok(Streamed::Done(ImportOutcome::AlreadyImported { id, replaced_by }, Box::new(parsed)));
            }
            Plan::Written { refusal: Some(e), .. } => return Err(e),
            // A GA4 file's refusal is worded by the careful path (the streamed check is
            // kpi-csv's own).
            Plan::Written { problems, .. } if !problems.is_empty() && parsed.preset == Preset::KpiCsv => {
                // Found in index order; reported in file order, as `Imports::import` does.
                let problems = one_per_line(problems);
                return Ok(Streamed::Done(ImportOutcome::Refused(problems), Box::new(parsed)));
            }
            // Every fact is written exactly once as it was parsed; anything else would be a bug
            // in the streaming, and the careful path below is then the safe one.
            Plan::Written { id, created, verify, ref problems, .. }
                if problems.is_empty()
                    && created == parsed.facts.len()
                    && streams(&parsed)
                    && !(verify && replaces_earlier(tx.conn(), req, &parsed, id)?) =>
            {
                (id, created)
            }
            Plan::Written { .. } | Plan::AfterParse => {
                tx.rollback()?;
                drop(checks);
                let req = ImportRequest {
                    file_name: req.file_name,
                    fingerprint: req.fingerprint,
                    parsed: &parsed,
                    now: req.now,
                    dry_run: req.dry_run,
                    user: req.user,
                };
                let outcome = self.import(&req, progress)?;
                return Ok(Streamed::Done(outcome, Box::new(parsed)));
            }
        };
        // Every fact is in the store now: a million of them are freed on another thread (the
        // parser's core is idle by now) while this one commits, instead of after it.
        let facts = std::mem::take(&mut parsed.facts);
        let freeing = std::thread::spawn(move || drop(facts));
        let range = parsed.range.map(|(a, b)| (fmt_day(a), fmt_day(b)));
        tx.conn().execute(
            "UPDATE import_log SET range_start = ?1, range_end = ?2, rows_read = ?3, skipped = ?4, created = ?5,
                    source = ?7, notes = ?8
             WHERE id = ?6",
            params![
                range.as_ref().map(|r| &r.0),
                range.as_ref().map(|r| &r.1),
                parsed.rows_read as i64,
                parsed.skipped.len() as i64,
                created as i64,
                id,
                parsed.source,
                parsed.notes.join("\n"),
            ],
        )?;
        progress(created, created);
        if req.dry_run {
            tx.rollback()?
        } else {
            tx.commit()?
        }
        // Long done by now; a panic there could only be the allocator's.
        let _ = freeing.join();
        let summary = ImportSummary {
            id,
            dry_run: req.dry_run,
            preset: parsed.preset.name().to_string(),
            source: parsed.source.clone(),
            range: parsed.range,
            period: parsed.period,
            rows_read: parsed.rows_read,
            created,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: parsed.skipped.len(),
            campaigns_created: Vec::new(),
            replaced: Vec::new(),
            triggers: Vec::new(),
            notes: parsed.notes.clone(),
            standing: Standing::default(),
        };
        Ok(Streamed::Done(ImportOutcome::Imported(Box::new(summary)), Box::new(parsed)))
    }

    /// Receives every batch; writes them unless the plan says otherwise. Only kpi-csv and GA4
    /// stream, and their facts carry no campaign, so each batch is plain KPI rows. A revoking
    /// batch (a GA4 row summed into a fact already written) sends the file the careful way.
    fn write_batches(
        &self,
        tx: &Connection,
        req: &StreamRequest<'_>,
        first: KpiBatch,
        batches: &Receiver<KpiBatch>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Plan> {
        if let Some((id, replaced_by)) = same_file(tx, req.fingerprint)? {
            return Ok(Plan::AlreadyImported(id, replaced_by));
        }
        let preset = first.preset().unwrap_or(Preset::KpiCsv).name();
        if first.is_revoked() {
            return Ok(Plan::AfterParse);
        }
        // An earlier import this file may replace, or whose facts it may state too (another
        // source), is one whose range overlaps the file's. The file's range is known only at the
        // end; the first batch's days are known now. Overlapping those, write after parsing.
        // Otherwise write now, and `import_streamed` checks once the whole file is known.
        let days = || first.iter().map(|row| row.day);
        let (lo, hi) = (days().min().map(fmt_day), days().max().map(fmt_day));
        let (any, overlapping): (bool, bool) = tx.query_row(
            "SELECT count(*) > 0, coalesce(sum(range_start <= ?2 AND range_end >= ?1), 0) > 0 FROM import_log
             WHERE undone_at IS NULL AND replaced_by IS NULL",
            params![lo, hi],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if overlapping {
            return Ok(Plan::AfterParse);
        }
        let (mut check, refusal) = match MetricCheck::new(self.store, true, req.now.date()) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e)),
        };
        let at = fmt_instant(req.now);
        // Range and counts are known once the file is parsed; `import_streamed` fills them in.
        tx.execute(
            "INSERT INTO import_log(at, file_name, fingerprint, preset, rows_read, skipped) VALUES (?1, ?2, ?3, ?4, 0, 0)",
            params![at, req.file_name, req.fingerprint, preset],
        )?;
        let id = tx.last_insert_rowid();
        let (mut created, mut problems) = (0, Vec::new());
        // The rollups take the whole file at the end: one row per metric and day, not per fact.
        let mut delta = Delta::default();
        let mut revoked = false;
        for batch in std::iter::once(first).chain(batches.iter()) {
            revoked |= batch.is_revoked();
            // After the first unknown metric nothing more is written, but every problem is listed.
            let Some(check) = check.as_mut().filter(|_| !revoked) else { continue };
            let mut kpis = KpiInserter::new(id);
            let before = created;
            // Batches come sorted by metric: the metric is checked once per run, the value and
            // day on every row (this loop is the import's critical path).
            let mut run: Option<&str> = None;
            for row in batch.iter() {
                let problem = match run {
                    Some(m) if m == row.metric => check.value_problem(row.line, row.day, row.metric, row.value),
                    _ => {
                        let p = check.fact_problem(row.line, row.metric, row.day, row.value);
                        if p.is_none() {
                            run = Some(row.metric);
                        }
                        p
                    }
                };
                if let Some(p) = problem {
                    problems.push(p);
                }
                if problems.is_empty() {
                    kpis.push(tx, row.metric, row.day, row.channel, None, row.value, row.key)?;
                    created += 1;
                }
            }
            kpis.flush(tx)?;
            // Rows written so far, in the batch's (index) order: a problem stops the writing.
            let written = batch.iter().take(created - before).map(|r| (r.metric, r.day, r.channel, r.value));
            delta.add_sorted(preset, written);
            progress(created, req.estimated_facts.max(created));
        }
        if revoked {
            return Ok(Plan::AfterParse);
        }
        delta.apply(tx)?;
        Ok(Plan::Written { id, created, problems, refusal, verify: any })
    }
}

/// Whether what was streamed is the whole file as `Imports::import` would write it: kpi-csv, and
/// GA4 daily facts in the store's currency (a period total, or a currency to refuse, is not).
fn streams(parsed: &ParsedFile) -> bool {
    match parsed.preset {
        Preset::KpiCsv => true,
        Preset::Ga4 => parsed.period.is_none() && parsed.currency.is_none(),
        _ => false,
    }
}

/// Whether the whole file turns out to update an earlier import, or to overlap another source's:
/// then what was written is rolled back and `Imports::import` writes the file the careful way.
fn replaces_earlier(tx: &Connection, req: &StreamRequest<'_>, parsed: &ParsedFile, id: i64) -> Result<bool> {
    let Some((start, end)) = parsed.range.map(|(a, b)| (fmt_day(a), fmt_day(b))) else { return Ok(false) };
    let req = ImportRequest {
        file_name: req.file_name,
        fingerprint: req.fingerprint,
        parsed,
        now: req.now,
        dry_run: req.dry_run,
        user: req.user,
    };
    needs_careful_path(tx, &req, id, &start, &end)
}
