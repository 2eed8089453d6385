//! The command line: parse arguments, open the store, run one command, print, map errors to exit codes.

mod attribution;
mod budget;
mod cadence;
mod data;
mod decision;
mod kpi;
mod launch;
mod setup;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::{self, Clock};
use crate::config::Config;
use crate::context::{Context, Faces};
use crate::domain::text::safe;
use crate::error::{Error, Result};

#[derive(Debug, Parser)]
#[command(name = "mktg", version, about = "A terminal cockpit for a Director of Marketing", long_about = None)]
pub struct Cli {
    /// The store file [default: mktg.db in the platform data dir]
    #[arg(long, env = "MKTG_DB", global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// The config file [default: config.toml in the platform config dir]
    #[arg(long, env = "MKTG_CONFIG", global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Pretend the local clock reads this: YYYY-MM-DDTHH:MM, or YYYY-MM-DD meaning 08:00
    #[arg(long, env = "MKTG_NOW", global = true, value_name = "DATETIME")]
    now: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the store and seed the role's template; safe to run twice
    Init(setup::InitArgs),
    /// Fill the store with realistic synthetic data ending at "now"
    Demo(setup::DemoArgs),
    /// Draw one screen exactly as the cockpit would, as plain text
    Render(setup::RenderArgs),
    /// The morning brief: KPIs vs target, alerts, agenda, decisions due
    Brief(kpi::BriefArgs),
    /// Record, list and target KPIs
    #[command(subcommand)]
    Kpi(kpi::KpiCmd),
    /// Launches: add, list, score, tier, check, stage
    #[command(subcommand)]
    Launch(launch::LaunchCmd),
    /// Campaign budgets: plan, spend, move, list
    #[command(subcommand)]
    Budget(budget::BudgetCmd),
    /// Today's meetings, the current one marked, checklist progress
    Today(cadence::TodayArgs),
    /// The decision log: add, list, done
    #[command(subcommand)]
    Decision(decision::DecisionCmd),
    /// Import an export file from HubSpot, GA4, LinkedIn, Google Ads or a plain CSV
    Import(data::ImportArgs),
    /// Export kpis, launches, budget, decisions or the cadence
    Export(data::ExportArgs),
    /// Reports for others: `report exec` is the executive update
    #[command(subcommand)]
    Report(decision::ReportCmd),
    /// A consistent copy of the store, safe while the cockpit is open
    Backup(setup::BackupArgs),
    /// Integrity check of the store; exit 0 only when sound
    Check,
    /// Who gets the credit for revenue or pipeline, under one attribution model or several
    Attribution(attribution::AttributionArgs),
    /// An MCP server on stdin/stdout for the director's AI agent; read-only unless --allow-writes
    Mcp(McpArgs),
}

#[derive(Debug, clap::Args)]
struct McpArgs {
    /// Let the agent write (log decisions); without it every write tool is refused
    #[arg(long)]
    allow_writes: bool,
}

/// The command line's entry: parse, build the context, run the command (or hand over to the
/// face it names, from `faces`), and turn the result into an exit status.
pub fn main(faces: Faces) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version: clap's own output, exit 0.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line, like every other error: clap's first line, without its usage block.
            let text = e.render().to_string();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
            let first = first.trim_start_matches("error: ");
            eprintln!("error: {} (see mktg --help)", safe(first));
            return ExitCode::from(2);
        }
    };
    match run(cli, faces) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, and never terminal control characters from stored or typed text.
            let msg = safe(&e.to_string()).replace('\n', " ");
            eprintln!("error: {msg}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli, faces: Faces) -> Result<()> {
    let mut env = build_env(&cli)?;
    let Some(command) = cli.command else {
        // The cockpit's clock runs on from --now, so the day can be rehearsed as it passes.
        return (faces.cockpit)(&env);
    };
    if let Command::Mcp(a) = command {
        // A server outlives one instant: it reads the clock on every call (unless --now pinned it).
        return (faces.mcp)(&env, a.allow_writes);
    }
    // A command is one instant: everything it writes carries the same, reproducible time.
    env.clock = env.clock.freeze();
    match command {
        Command::Init(a) => setup::init(&env, a),
        Command::Demo(a) => setup::demo(&env, a),
        Command::Render(a) => setup::render(&env, a, faces),
        Command::Backup(a) => setup::backup(&env, a),
        Command::Check => setup::check(&env),
        Command::Brief(a) => kpi::brief(&env, a),
        Command::Kpi(c) => kpi::run(&env, c),
        Command::Launch(c) => launch::run(&env, c),
        Command::Budget(c) => budget::run(&env, c),
        Command::Today(a) => cadence::today(&env, a),
        Command::Decision(c) => decision::run(&env, c),
        Command::Report(c) => decision::report(&env, c),
        Command::Import(a) => data::import(&env, a),
        Command::Export(a) => data::export(&env, a),
        Command::Attribution(a) => attribution::run(&env, a),
        Command::Mcp(_) => Ok(()), // served above
    }
}

fn build_env(cli: &Cli) -> Result<Context> {
    let dirs = directories::ProjectDirs::from("", "", "mktg");
    let db = match &cli.db {
        Some(p) => p.clone(),
        None => dirs
            .as_ref()
            .map(|d| d.data_dir().join("mktg.db"))
            .ok_or_else(|| Error::system("cannot find a home directory for the store; pass --db PATH"))?,
    };
    let config_path = cli.config.clone().or_else(|| dirs.as_ref().map(|d| d.config_dir().join("config.toml")));
    let config = match config_path {
        Some(p) => Config::load(&p)?,
        None => Config::default(),
    };
    let (clock, fixed_now) = match &cli.now {
        Some(s) => (Clock::running_from(clock::parse_now(s)?), true),
        None => (Clock::system(), false),
    };
    Ok(Context { db, config, clock, fixed_now })
}
