//! `import` (with its summary, problem list, progress bar and undo) and `export`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::formats;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::io::import_file::{self, ImportFile};
use crate::output::{Format, print_text};

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

/// What to export, each with the formats it writes (its `--help` lists only those).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ExportCmd {
    /// Every observation: csv (the kpi-csv shape, which imports back; the default) or json
    Kpis {
        #[arg(long, value_parser = formats::of(&[Format::Csv, Format::Json]))]
        format: Option<Format>,
        #[command(flatten)]
        to: Out,
    },
    /// Every launch: json (the default), csv, markdown or text
    Launches {
        #[arg(long, value_parser = formats::of(&[Format::Json, Format::Csv, Format::Markdown, Format::Text]))]
        format: Option<Format>,
        #[command(flatten)]
        to: Out,
    },
    /// The quarter's campaign budgets: csv (the default), json, markdown or text
    Budget {
        #[arg(long, value_parser = formats::of(&[Format::Csv, Format::Json, Format::Markdown, Format::Text]))]
        format: Option<Format>,
        /// The quarter to export: 2026-Q4; the current one when omitted
        #[arg(long)]
        period: Option<String>,
        #[command(flatten)]
        to: Out,
    },
    /// The decision log: markdown (the default), csv or json
    Decisions {
        #[arg(long, value_parser = formats::of(&[Format::Markdown, Format::Csv, Format::Json]))]
        format: Option<Format>,
        #[command(flatten)]
        to: Out,
    },
    /// The meeting cadence: ics (the default, for a calendar), markdown or json
    Cadence {
        #[arg(long, value_parser = formats::of(&[Format::Ics, Format::Markdown, Format::Json]))]
        format: Option<Format>,
        #[command(flatten)]
        to: Out,
    },
}

#[derive(Debug, Args)]
pub struct Out {
    /// Write to this file instead of stdout
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn import(env: &Context, a: ImportArgs) -> Result<()> {
    import_file(env, a)
}

pub fn export(env: &Context, cmd: ExportCmd) -> Result<()> {
    let (what, format, period, out) = match cmd {
        ExportCmd::Kpis { format, to } => ("kpis", format, None, to.out),
        ExportCmd::Launches { format, to } => ("launches", format, None, to.out),
        ExportCmd::Budget { format, period, to } => ("budget", format, period, to.out),
        ExportCmd::Decisions { format, to } => ("decisions", format, None, to.out),
        ExportCmd::Cadence { format, to } => ("cadence", format, None, to.out),
    };
    let store = env.open_store()?;
    // The same function the cockpit's `:export` calls.
    let (text, format) =
        crate::io::export::export(&store, &env.config, env.clock.now(), what, format, period.as_deref())?;
    match out {
        // Whole or not at all, owner-only, through the same sink as stdout (see `files`).
        Some(path) => Ok(crate::io::export::write_file(&path, format, &text)?),
        None => crate::output::print(format, &text),
    }
}

/// Reads, parses and checks the whole file before the store sees a single fact (`io::import_file`,
/// which the cockpit's `:import` calls too); here with a progress bar on a terminal.
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
    let req = ImportFile::parse(a.preset.as_deref(), a.date_order.as_deref(), a.dry_run)?;
    let store = env.open_store()?;
    // Sized once the store knows how many facts it expects; drawn only for large files on a terminal.
    let mut bar: Option<Progress> = None;
    let done = import_file::import(&store, &env.config, env.clock.now(), &path, &req, &mut |done, total| {
        bar.get_or_insert_with(|| Progress::new(total)).show(done, total)
    });
    if let Some(mut bar) = bar {
        bar.clear();
    }
    match done? {
        Ok(report) => print_text(&report),
        Err(refused) => {
            if let Some(list) = &refused.list {
                // Stdout gone (a closed pipe) is no reason to hide the error line itself.
                let _ = print_text::<Error>(list);
            }
            Err(Error::input(refused.line("on stdout")))
        }
    }
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
    for t in &u.triggers_cleared {
        let decision =
            t.decision_id.map(|d| format!(": decision #{d} stays in the log for the director")).unwrap_or_default();
        out.push_str(&format!(
            "  positioning trigger cleared, its evidence went with the import: {}{decision}\n",
            t.title
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
