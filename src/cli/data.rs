//! `import` (with its summary, problem list, progress bar and undo) and `export`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::context::Context;
use crate::domain::import::source::describe;
use crate::error::{Context as _, Error, Result};
use crate::files::Existing;
use crate::io::import::{
    DayOrder, ImportError, ParseOptions, ParsedFile, Preset, Skipped, fingerprint, parse_streaming,
};
use crate::output::{Format, print_text};
use crate::store::imports::{ImportOutcome, ImportRequest, ImportSummary, StreamRequest, Streamed};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export file
    pub file: Option<PathBuf>,
    /// ga4 | hubspot-deals | hubspot-contacts | linkedin-ads | google-ads | kpi-csv | spend-csv | experiment-csv
    /// | winloss-csv | touches-csv (detected when omitted)
    #[arg(long)]
    pub preset: Option<String>,
    /// dmy | mdy: how to read a file whose dates (03/11/2026) could be either, when it does not say
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<String>,
    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove exactly the facts of import ID
    #[arg(long, value_name = "ID")]
    pub undo: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// kpis | launches | budget | decisions | cadence
    pub what: String,
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of stdout
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The quarter to export (budget): 2026-Q4; the current one when omitted
    #[arg(long)]
    pub period: Option<String>,
}

pub fn import(env: &Context, a: ImportArgs) -> Result<()> {
    import_file(env, a)
}

pub fn export(env: &Context, a: ExportArgs) -> Result<()> {
    use crate::io::export;
    let store = env.open_store()?;
    let now = env.clock.now();
    let what = a.what.trim().to_ascii_lowercase();
    let period = match (&a.period, what.as_str()) {
        (None, _) => None,
        (Some(p), "budget") => Some(super::budget::quarter(p).context("--period")?),
        (Some(p), _) => {
            return Err(Error::input(format!("--period {p}: only `export budget` is exported by period")));
        }
    };
    let text = match what.as_str() {
        "kpis" => export::kpis::export(&store, a.format, now)?,
        "launches" => export::launches::export(&store, a.format, now)?,
        "budget" => export::budget::export(&store, a.format, now, period.as_ref(), &env.config.pacing)?,
        "decisions" => export::decisions::export(&store, a.format, now)?,
        "cadence" => export::cadence::export_with_zone(
            &store,
            a.format,
            now,
            env.config.timezone.as_deref(),
            &env.config.pacing.calendar,
        )?,
        other => {
            return Err(Error::input(format!(
                "cannot export '{other}' (one of: kpis, launches, budget, decisions, cadence)"
            )));
        }
    };
    let format = a.format.unwrap_or(default_format(&a.what));
    match a.out {
        // Whole or not at all, owner-only, through the same sink as stdout (see `files`).
        Some(path) => {
            Ok(crate::files::write(&path, crate::output::for_file(format, &text).as_bytes(), Existing::Replace)?)
        }
        None => crate::output::print(format, &text),
    }
}

/// The format each export writes when `--format` is not given (as `io::export` decides it).
fn default_format(what: &str) -> Format {
    match what.trim().to_ascii_lowercase().as_str() {
        "launches" => Format::Json,
        "decisions" => Format::Markdown,
        "cadence" => Format::Ics,
        _ => Format::Csv,
    }
}

/// Reads, parses and checks the whole file before the store sees a single fact.
fn import_file(env: &Context, a: ImportArgs) -> Result<()> {
    if let Some(id) = a.undo {
        if let Some(f) = &a.file {
            return Err(Error::input(format!(
                "give either a FILE or --undo ID, not both (got {} and --undo {id})",
                f.display()
            )));
        }
        return undo(env, id, a.dry_run);
    }
    let Some(path) = a.file else {
        return Err(Error::input("import needs a FILE to read (or --undo ID to take an import back)"));
    };
    let preset = match a.preset.as_deref() {
        None => None,
        Some(p) => Some(Preset::parse(p).ok_or_else(|| {
            let names: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
            Error::input(format!("unknown preset '{}' (one of: {})", p.trim(), names.join(", ")))
        })?),
    };
    let date_order = match a.date_order.as_deref() {
        None => None,
        Some(o) => Some(DayOrder::parse(o).ok_or_else(|| {
            Error::input(format!("--date-order '{}': dmy (03/11/2026 is 3 November) or mdy (11 March)", o.trim()))
        })?),
    };
    let shown = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::input(format!("{shown}: no such file")),
        std::io::ErrorKind::IsADirectory => Error::input(format!("{shown} is a directory, not an export file")),
        _ => Error::input(format!("{shown}: {e}")),
    })?;
    let file_name = path.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    // Every money cell of the file is checked against the store's currency while it is read.
    let store = env.open_store()?;
    let currency = store.meta().currency();
    let opts = ParseOptions { preset, date_order, currency: &currency, settings: &env.config.import };
    // The file is parsed on a second thread while this one writes what it has parsed so far
    // (kpi-csv only; see `Imports::import_streamed`); the store still sees one transaction.
    let (to_store, batches) = std::sync::mpsc::sync_channel(STREAM_DEPTH);
    let (outcome, parsed) = std::thread::scope(|s| -> Result<(Result<ImportOutcome>, ParsedFile)> {
        let parser = s.spawn(|| parse_streaming(&bytes, &opts, to_store));
        let finish = || parser.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // Worked out while the first batch is being parsed.
        let print = fingerprint(&bytes);
        let estimated_facts = bytes.iter().filter(|&&b| b == b'\n').count();
        let Ok(first) = batches.recv() else {
            // Nothing streamed (another preset, or a problem early on): parsed, then written.
            let parsed = finish().map_err(|errs| problems(&shown, &errs))?;
            let req = ImportRequest {
                file_name: &file_name,
                fingerprint: &print,
                parsed: &parsed,
                now: env.clock.now(),
                dry_run: a.dry_run,
                user: &env.config.user,
            };
            let mut bar = Progress::new(parsed.facts.len());
            let outcome = store.imports().import(&req, &mut |done, total| bar.show(done, total)).map_err(Into::into);
            bar.clear();
            return Ok((outcome, parsed));
        };
        let req = StreamRequest {
            file_name: &file_name,
            fingerprint: &print,
            now: env.clock.now(),
            dry_run: a.dry_run,
            estimated_facts,
            user: &env.config.user,
        };
        let mut bar = Progress::new(estimated_facts);
        let streamed =
            store.imports().import_streamed(&req, first, batches, finish, &mut |done, total| bar.show(done, total));
        bar.clear();
        match streamed? {
            Streamed::ParseFailed(errs) => Err(problems(&shown, &errs)),
            Streamed::Done(outcome, parsed) => Ok((Ok(outcome), *parsed)),
        }
    })?;
    drop(bytes);
    match outcome? {
        ImportOutcome::AlreadyImported { id, replaced_by } => {
            let since = replaced_by.map(|by| format!(" (since replaced by import #{by})")).unwrap_or_default();
            print_text(&format!("{shown}: already imported as #{id}{since}, nothing changed\n"))
        }
        ImportOutcome::Refused(errs) => Err(problems(&shown, &errs)),
        ImportOutcome::Imported(s) => {
            let sources = store.imports().log()?.into_iter().map(|e| (e.id, e.source)).collect();
            print_text(&summary(&shown, &s, &parsed.skipped, &sources))
        }
    }
}

/// Parsed batches waiting for the writer; bounds the memory the parser may run ahead by.
const STREAM_DEPTH: usize = 4;

/// Shown on a refused file: at most this many problems, then a count of the rest.
const MAX_PROBLEMS: usize = 20;

/// A refused file: the one error line (stderr) names the first problem and how many there are;
/// when there are more, stdout lists them, `file:line: column: what is wrong` each (at most
/// [`MAX_PROBLEMS`], then a count of the rest), so that every problem can be fixed in one pass.
fn problems(file: &str, errs: &[ImportError]) -> Error {
    let line = |e: &ImportError| format!("{file}:{}: {}: {}", e.line, e.column, e.message.replace(['\n', '\r'], " "));
    let n = errs.len();
    if n > 1 {
        let mut list = String::new();
        for e in errs.iter().take(MAX_PROBLEMS) {
            list.push_str(&line(e));
            list.push('\n');
        }
        if n > MAX_PROBLEMS {
            list.push_str(&format!("... and {} more\n", n - MAX_PROBLEMS));
        }
        // Stdout gone (a closed pipe) is no reason to hide the error line itself.
        let _ = print_text::<Error>(&list);
    }
    let first = errs.first().map(line).unwrap_or_else(|| format!("{file}: unreadable"));
    match n {
        0 | 1 => Error::input(format!("{first}; nothing was imported")),
        _ => Error::input(format!("{first} (and {} more problems, listed on stdout); nothing was imported", n - 1)),
    }
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

fn undo(env: &Context, id: i64, dry_run: bool) -> Result<()> {
    let store = env.open_store()?;
    let u = store.imports().undo(id, env.clock.now(), dry_run)?;
    let verb = if dry_run { "dry run, nothing written: undoing" } else { "undid" };
    let mut out = format!("{verb} import #{} ({}): {} facts removed\n", u.id, u.file_name, u.facts_removed);
    if !u.campaigns_removed.is_empty() {
        out.push_str(&format!("  campaigns it created, removed: {}\n", u.campaigns_removed.join(", ")));
    }
    for old in &u.also_undone {
        out.push_str(&format!(
            "  import #{old}, which it had replaced, is undone too: import that file again to restore it\n"
        ));
    }
    print_text(&out)
}

/// Files with fewer facts finish before a bar would be worth drawing.
const PROGRESS_MIN_FACTS: usize = 100_000;

/// A one-line progress bar on stderr (rate and time left), drawn only for large files and only
/// when stderr is a terminal: piped or redirected output stays clean. `indicatif` does the
/// drawing, the rate and the ETA, and rate-limits redraws, so the import loop may report freely.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(total: usize) -> Progress {
        if total < PROGRESS_MIN_FACTS || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let style = ProgressStyle::with_template(
            "importing [{bar:30}] {percent:>3}% {human_pos}/{human_len} facts, {rate} facts/s, {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        // Whole facts per second: indicatif's own {per_sec} shows four decimals.
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", HumanCount(s.per_sec() as u64));
        })
        .progress_chars("#>-");
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr()).with_style(style);
        Progress { bar: Some(bar) }
    }

    fn show(&mut self, done: usize, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    /// The bar leaves no trace: the summary printed next is the record.
    fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
