//! Importing one file, start to end: read, parse (streamed for kpi-csv and daily GA4), write in one
//! transaction, and the report. `mktg import` and the cockpit's `:import` both call [`import`],
//! so a file reads the same from either face; each face only draws the progress its own way.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDateTime;

use super::error::{Error, Result};
use super::import::{DayOrder, ImportError, ParseOptions, ParsedFile, Preset, Skipped, fingerprint, parse_streaming};
use crate::config::Config;
use crate::domain::import::source::describe;
use crate::store::Store;
use crate::store::imports::{ImportOutcome, ImportRequest, ImportSummary, StreamRequest, Streamed};

/// What to import and how: the command's flags.
#[derive(Debug, Clone, Default)]
pub struct ImportFile {
    pub preset: Option<Preset>,
    pub date_order: Option<DayOrder>,
    pub dry_run: bool,
}

impl ImportFile {
    /// `--preset` and `--date-order` as typed; each refusal is the one line the user reads.
    pub fn parse(preset: Option<&str>, date_order: Option<&str>, dry_run: bool) -> Result<ImportFile> {
        let preset = match preset {
            None => None,
            Some(p) => Some(Preset::parse(p).ok_or_else(|| {
                let names: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
                Error::input(format!("unknown preset '{}' (one of: {})", p.trim(), names.join(", ")))
            })?),
        };
        let date_order = match date_order {
            None => None,
            Some(o) => Some(DayOrder::parse(o).ok_or_else(|| {
                Error::input(format!("--date-order '{}': dmy (03/11/2026 is 3 November) or mdy (11 March)", o.trim()))
            })?),
        };
        Ok(ImportFile { preset, date_order, dry_run })
    }
}

/// A refused file: the one line (its first problem and how many there are) and, when there are
/// several, every problem (at most [`MAX_PROBLEMS`]) one per line, for the command to list.
#[derive(Debug)]
pub struct Refused {
    /// The first problem, `file:line: column: what is wrong`.
    pub first: String,
    /// How many problems there are in all.
    pub count: usize,
    pub list: Option<String>,
}

impl Refused {
    /// The one line: the first problem, and where the others are listed (`stdout`, `below`).
    pub fn line(&self, listed: &str) -> String {
        match self.count {
            0 | 1 => format!("{}; nothing was imported", self.first),
            n => format!("{} (and {} more problems, listed {listed}); nothing was imported", self.first, n - 1),
        }
    }
}

/// Parsed batches waiting for the writer; bounds the memory the parser may run ahead by.
const STREAM_DEPTH: usize = 4;

/// Shown on a refused file: at most this many problems, then a count of the rest.
pub const MAX_PROBLEMS: usize = 20;

/// Read, parse and check the whole file before the store sees a single fact, then write it (or,
/// on a dry run, work out exactly what would change). `progress(done, total)` is called freely.
/// Returns the report the user reads; a refused file is `Err(Refused)` inside `Ok`.
pub fn import(
    store: &Store,
    config: &Config,
    now: NaiveDateTime,
    path: &Path,
    req: &ImportFile,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<std::result::Result<String, Refused>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::input(format!("{shown}: no such file")),
        std::io::ErrorKind::IsADirectory => Error::input(format!("{shown} is a directory, not an export file")),
        _ => Error::input(format!("{shown}: {e}")),
    })?;
    let file_name = path.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    // Every money cell of the file is checked against the store's currency while it is read.
    let currency = store.meta().currency();
    let opts =
        ParseOptions { preset: req.preset, date_order: req.date_order, currency: &currency, settings: &config.import };
    // The file is parsed on a second thread while this one writes what it has parsed so far
    // (kpi-csv and daily GA4; see `Imports::import_streamed`); the store still sees one transaction.
    let (to_store, batches) = std::sync::mpsc::sync_channel(STREAM_DEPTH);
    type Parsed = std::result::Result<(ImportOutcome, ParsedFile), Vec<ImportError>>;
    let done = std::thread::scope(|s| -> Result<Parsed> {
        let parser = s.spawn(|| parse_streaming(&bytes, &opts, to_store));
        let finish = || parser.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // Worked out while the first batch is being parsed.
        let print = fingerprint(&bytes);
        let estimated_facts = bytes.iter().filter(|&&b| b == b'\n').count();
        let Ok(first) = batches.recv() else {
            // Nothing streamed (another preset, or a problem early on): parsed, then written.
            let parsed = match finish() {
                Ok(p) => p,
                Err(errs) => return Ok(Err(errs)),
            };
            let req = ImportRequest {
                file_name: &file_name,
                fingerprint: &print,
                parsed: &parsed,
                now,
                dry_run: req.dry_run,
                user: &config.user,
            };
            let outcome = store.imports().import(&req, progress)?;
            return Ok(Ok((outcome, parsed)));
        };
        let req = StreamRequest {
            file_name: &file_name,
            fingerprint: &print,
            now,
            dry_run: req.dry_run,
            estimated_facts,
            user: &config.user,
        };
        match store.imports().import_streamed(&req, first, batches, finish, progress)? {
            Streamed::ParseFailed(errs) => Ok(Err(errs)),
            Streamed::Done(outcome, parsed) => Ok(Ok((outcome, *parsed))),
        }
    })?;
    drop(bytes);
    let (outcome, parsed) = match done {
        Ok(d) => d,
        Err(errs) => return Ok(Err(problems(&shown, &errs))),
    };
    Ok(match outcome {
        ImportOutcome::AlreadyImported { id, replaced_by } => {
            let since = replaced_by.map(|by| format!(" (since replaced by import #{by})")).unwrap_or_default();
            Ok(format!("{shown}: already imported as #{id}{since}, nothing changed\n"))
        }
        ImportOutcome::Refused(errs) => Err(problems(&shown, &errs)),
        ImportOutcome::Imported(s) => {
            let sources = store.imports().log()?.into_iter().map(|e| (e.id, e.source)).collect();
            Ok(summary(&shown, &s, &parsed.skipped, &sources))
        }
    })
}

/// A refused file: the one line names the first problem and how many there are; when there are
/// more, the list has each, `file:line: column: what is wrong` (at most [`MAX_PROBLEMS`], then a
/// count of the rest), so that every problem can be fixed in one pass.
fn problems(file: &str, errs: &[ImportError]) -> Refused {
    let line = |e: &ImportError| format!("{file}:{}: {}: {}", e.line, e.column, e.message.replace(['\n', '\r'], " "));
    let n = errs.len();
    let list = (n > 1).then(|| {
        let mut list = String::new();
        for e in errs.iter().take(MAX_PROBLEMS) {
            list.push_str(&line(e));
            list.push('\n');
        }
        if n > MAX_PROBLEMS {
            list.push_str(&format!("... and {} more\n", n - MAX_PROBLEMS));
        }
        list
    });
    let first = errs.first().map(line).unwrap_or_else(|| format!("{file}: unreadable"));
    Refused { first, count: n, list }
}

/// The report after an import: what changed, what was skipped and why, which campaigns are new,
/// what is counted from another source instead, and what the file said beside its numbers.
fn summary(file: &str, s: &ImportSummary, skipped: &[Skipped], sources: &HashMap<i64, String>) -> String {
    let range = s.range.map(|(a, b)| format!(", {a} to {b}")).unwrap_or_default();
    let mut out = if s.dry_run {
        format!("{file}: dry run, nothing written ({}{range}); it would be import #{}\n", s.preset, s.id)
    } else {
        format!("{file}: imported as #{} ({}{range})\n", s.id, s.preset)
    };
    let named = |id: &i64| match sources.get(id) {
        Some(src) => format!("#{id} ({})", describe(src)),
        None => format!("#{id}"),
    };
    out.push_str(&format!("  source             {}\n", describe(&s.source)));
    for old in &s.replaced {
        out.push_str(&format!("  replaces import #{old} (an earlier export of the same report)\n"));
    }
    out.push_str(&format!("  rows read          {}\n", s.rows_read));
    out.push_str(&format!("  facts created      {}\n", s.created));
    out.push_str(&format!("  facts updated      {}\n", s.updated));
    out.push_str(&format!("  facts unchanged    {}\n", s.unchanged));
    if !s.replaced.is_empty() {
        let why = if s.removed > 0 { " (no longer in the updated export of the same report)" } else { "" };
        out.push_str(&format!("  facts removed      {}{why}\n", s.removed));
    }
    let kept: usize = s.standing.kept_for.iter().map(|(_, n)| n).sum();
    if kept > 0 {
        let by: Vec<String> = s.standing.kept_for.iter().map(|(id, n)| format!("{n} by {}", named(id))).collect();
        out.push_str(&format!(
            "  kept apart         {kept}: also stated by another source, which ranks first and is counted ({}); \
             kept, not summed\n",
            by.join(", ")
        ));
    }
    if s.standing.periods_under_daily > 0 {
        out.push_str(&format!(
            "  period totals      {} not counted: the store has daily values of the same metric and channel in \
             their period (the daily series is counted)\n",
            s.standing.periods_under_daily
        ));
    }
    for (id, n) in &s.standing.periods_outranked {
        out.push_str(&format!("  period totals      {n} not counted where {} is: it ranks first\n", named(id)));
    }
    for d in &s.standing.displaced {
        out.push_str(&format!(
            "  no longer counted  {} {} facts of {}: this report ranks first for them; kept, not deleted\n",
            d.facts,
            d.metrics.join(", "),
            named(&d.import)
        ));
    }
    out.push_str(&format!("  rows skipped       {}\n", s.skipped));
    for (reason, lines) in skip_reasons(skipped) {
        let shown: Vec<String> = lines.iter().take(5).map(ToString::to_string).collect();
        let more = if lines.len() > 5 { format!(" and {} more", lines.len() - 5) } else { String::new() };
        let which = if lines.len() == 1 { "line" } else { "lines" };
        out.push_str(&format!("    {}x {reason} ({which} {}{more})\n", lines.len(), shown.join(", ")));
    }
    out.push_str(&format!("  campaigns created  {}\n", s.campaigns_created.len()));
    for c in &s.campaigns_created {
        let channel = if c.channel.is_empty() { "no channel" } else { c.channel.as_str() };
        out.push_str(&format!("    {} ({channel}, {})\n", c.name, c.period));
    }
    for note in &s.notes {
        out.push_str(&format!("  {note}\n"));
    }
    if !s.triggers.is_empty() {
        let verb = if s.dry_run { "would be raised" } else { "raised" };
        out.push_str(&format!(
            "  positioning triggers {} {verb} (proposed, for the director to decide)\n",
            s.triggers.len()
        ));
        for t in &s.triggers {
            let on = t
                .review_on
                .map(|d| format!(", on the positioning review {}", d.format("%a %d %b")))
                .unwrap_or_default();
            let id = t.decision_id.map(|d| format!("decision #{d}")).unwrap_or_default();
            out.push_str(&format!("    {}: {id} owned by {}{on}\n", t.title, t.owner));
        }
    }
    out
}

/// Skip reasons in first-seen order, each with the lines it covers.
fn skip_reasons(skipped: &[Skipped]) -> Vec<(&str, Vec<usize>)> {
    let mut out: Vec<(&str, Vec<usize>)> = Vec::new();
    for s in skipped {
        match out.iter_mut().find(|(r, _)| *r == s.reason) {
            Some((_, lines)) => lines.push(s.line),
            None => out.push((&s.reason, vec![s.line])),
        }
    }
    out
}
