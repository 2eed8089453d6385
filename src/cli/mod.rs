//! The command line: parse arguments, open the store, run one command, print, map errors to exit codes.

mod attribution;
mod budget;
mod cadence;
mod compete;
mod data;
mod decision;
mod experiment;
mod formats;
mod kpi;
mod launch;
mod learn;
mod setup;
mod team;
mod workflow;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::{self, Clock};
use crate::config::Config;
use crate::context::{Context, Faces};
use crate::error::{Error, Result};
use crate::output;

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

// `defer`: a command's arguments are built only when the parser enters it. Building the whole
// tree (some 120 commands and their arguments) and dropping it again was most of the CPU of
// every process before its command ran. Every subcommand enum below says the same.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
    #[command(subcommand)]
    Export(data::ExportCmd),
    /// Reports: `report exec` is the executive update, `report weekly` the weekly review pack
    #[command(subcommand)]
    Report(decision::ReportCmd),
    /// Experiments: add, result, readout, plan, decide, list
    #[command(subcommand)]
    Experiment(experiment::ExperimentCmd),
    /// Post-mortems of a launch, a campaign, an experiment or standalone; follow-through
    #[command(subcommand)]
    Postmortem(learn::PostmortemCmd),
    /// Alert rules on KPIs: add, list, rm, check (exit 3 when one fired)
    #[command(subcommand)]
    Alert(learn::AlertCmd),
    /// Notes on the KPI charts ("site outage"): add, list
    #[command(subcommand)]
    Note(learn::NoteCmd),
    /// Competitors and their battlecards: add, card, edit, launched, list
    #[command(subcommand)]
    Compete(compete::CompeteCmd),
    /// Win rate = won / (won + lost) by competitor, reason or segment, this period against the last
    Winloss(compete::WinlossArgs),
    /// A consistent copy of the store, safe while the cockpit is open
    Backup(setup::BackupArgs),
    /// Integrity check of the store; exit 0 only when sound
    Check,
    /// Who gets the credit for revenue or pipeline, under one attribution model or several
    Attribution(attribution::AttributionArgs),
    /// An MCP server on stdin/stdout for the director's AI agent; read-only unless --allow-writes
    Mcp(McpArgs),
    /// The team: people, the skills matrix, time against 70/20/10, load per owner
    #[command(subcommand)]
    Team(team::TeamCmd),
    /// Workflows: the nine categories, the locked 9-point structure, the backlog
    #[command(subcommand)]
    Workflow(workflow::WorkflowCmd),
    /// The challenges a senior operator would raise today (questions, never changes)
    Mentor(team::MentorArgs),
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
            // A refused value names the ones accepted (a command's formats, from its own list).
            let accepted = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("[possible values: ")?.strip_suffix(']'))
                .map(|v| format!(": {}", one_of(v)))
                .unwrap_or_default();
            eprintln!("{}", output::error_line(&format!("{first}{accepted} (see mktg --help)")));
            return ExitCode::from(2);
        }
    };
    match run(cli, faces) {
        Ok(code) => code,
        Err(e) => {
            // One line, and never terminal control characters from stored or typed text.
            eprintln!("{}", output::error_line(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// "text, json" as "text or json"; "text, csv, json" as "one of text, csv or json".
fn one_of(list: &str) -> String {
    match list.rsplit_once(", ") {
        Some((head, last)) if head.contains(", ") => format!("one of {head} or {last}"),
        Some((head, last)) => format!("{head} or {last}"),
        None => list.to_string(),
    }
}

fn run(cli: Cli, faces: Faces) -> Result<ExitCode> {
    let mut env = build_env(&cli)?;
    let Some(command) = cli.command else {
        // The cockpit's clock runs on from --now, so the day can be rehearsed as it passes.
        return (faces.cockpit)(&env).map(|()| ExitCode::SUCCESS);
    };
    if let Command::Mcp(a) = command {
        // A server outlives one instant: it reads the clock on every call (unless --now pinned it).
        return (faces.mcp)(&env, a.allow_writes).map(|()| ExitCode::SUCCESS);
    }
    // A command is one instant: everything it writes carries the same, reproducible time.
    env.clock = env.clock.freeze();
    // One command, then the process exits: a store that closes without a checkpoint is left to
    // the exit rather than freed piece by piece (the cockpit and the server above close theirs).
    crate::store::park_on_close();
    let done = match command {
        // `alert check` has a third outcome for cron: something fired (exit 3).
        Command::Alert(c) => return learn::alert(&env, c),
        Command::Experiment(c) => experiment::run(&env, c),
        Command::Postmortem(c) => learn::postmortem(&env, c),
        Command::Note(c) => learn::note(&env, c),
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
        Command::Compete(c) => compete::run(&env, c),
        Command::Winloss(a) => compete::winloss(&env, a),
        Command::Import(a) => data::import(&env, a),
        Command::Export(a) => data::export(&env, a),
        Command::Team(c) => team::run(&env, c),
        Command::Workflow(c) => workflow::run(&env, c),
        Command::Mentor(a) => team::mentor(&env, a),
        Command::Attribution(a) => attribution::run(&env, a),
        Command::Mcp(_) => Ok(()), // served above
    };
    done.map(|()| ExitCode::SUCCESS)
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
    // A config named by --config or MKTG_CONFIG must be there: a typo would otherwise quietly
    // mean defaults. Only the default file may be missing.
    if let Some(p) = &cli.config
        && !p.exists()
    {
        return Err(Error::input(format!("config {}: no such file (named by --config or MKTG_CONFIG)", p.display())));
    }
    let config_path = cli.config.clone().or_else(|| dirs.as_ref().map(|d| d.config_dir().join("config.toml")));
    let config = match config_path {
        Some(p) => Config::load(&p)?,
        None => Config::default(),
    };
    let (clock, fixed_now) = match &cli.now {
        Some(s) => (Clock::running_from(clock::parse_now(s)?), true),
        None => (Clock::system(), false),
    };
    Ok(Context { db, config, clock, fixed_now, default_db: cli.db.is_none() })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command's arguments are built only when the parser enters it (`defer`), so clap's
    /// own checks of the whole tree (names, conflicts, groups) would otherwise run only for the
    /// commands a test happens to enter.
    #[test]
    fn the_whole_command_tree_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
