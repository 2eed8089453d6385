//! `decision add | list | done` and `report exec`.

use chrono::NaiveDateTime;
use clap::Subcommand;

use crate::context::Context;
use crate::domain::dates::parse_human;
use crate::domain::model::DecisionStatus;
use crate::domain::period_choice::PeriodChoice;
use crate::error::{Context as _, Error, Result};
use crate::io::export::decisions::{exec_report, render};
use crate::output::{Format, print_json, print_raw, print_text};
use crate::store::Store;
use crate::store::decisions::NewDecision;
use crate::views::decisions::{self, DecisionQuery, StatusFilter};
use crate::views::exec::ExecReport;

#[derive(Debug, Subcommand)]
pub enum DecisionCmd {
    /// Log a decision; prints its id
    Add {
        text: String,
        #[arg(long)]
        owner: String,
        /// fri, +3d, tomorrow, 2026-11-27
        #[arg(long, allow_hyphen_values = true)]
        due: Option<String>,
        #[arg(long)]
        risk: Option<String>,
        #[arg(long)]
        recommendation: Option<String>,
        /// A meeting instance id, or a template key or name for today's meeting (`sales-sync`)
        #[arg(long)]
        meeting: Option<String>,
    },
    /// List decisions, newest first
    List {
        /// proposed | decided | done | reversed | superseded | open
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// Only open decisions past their due day
        #[arg(long)]
        overdue: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Mark a decision done
    Done { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// The executive update: decisions needed first, then the KPI headline (markdown, text or json)
    Exec {
        #[arg(long, value_enum, default_value = "markdown")]
        format: Format,
        /// The period it covers: month (the default: to date, or the month just closed),
        /// quarter, last-month, last-quarter, or a name like 2026-11, 2026-Q4, 2026-W47
        #[arg(long, default_value = "month")]
        period: String,
    },
}

pub fn run(env: &Context, cmd: DecisionCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    match cmd {
        DecisionCmd::Add { text, owner, due, risk, recommendation, meeting } => {
            let due = due.map(|d| parse_human(&d, now.date())).transpose()?;
            let meeting_id = match meeting {
                Some(m) => Some(resolve_meeting(&store, &m, now)?),
                None => None,
            };
            let d = NewDecision {
                title: text,
                owner,
                due,
                risk: risk.unwrap_or_default(),
                recommendation: recommendation.unwrap_or_default(),
                meeting_id,
                ..NewDecision::default()
            };
            let id = store.write(|tx| tx.decisions().add(&d, now))?;
            print_text(&format!("{id}\n"))
        }
        DecisionCmd::List { status, owner, overdue, format } => {
            let today = now.date();
            let status = StatusFilter::parse(status.as_deref().unwrap_or(""))?;
            let list = decisions::list(&store, &DecisionQuery { status, owner, overdue }, today)?;
            if format == Format::Ics {
                return Err(Error::input("decision list prints text, csv, json or markdown"));
            }
            let out = render(&list, format, today)?;
            if format == Format::Text { print_text(&out) } else { print_raw(&out) }
        }
        DecisionCmd::Done { id } => {
            let d = store.write(|tx| tx.decisions().set_status(id, DecisionStatus::Done, now))?;
            print_text(&format!("decision #{} done: {}\n", d.id, d.title))
        }
    }
}

/// `--meeting`: an instance id, or a template key / name meaning today's instance of it.
fn resolve_meeting(store: &Store, m: &str, now: NaiveDateTime) -> Result<i64> {
    if let Ok(id) = m.trim().parse::<i64>() {
        return Ok(store.cadence().meeting(id)?.instance_id);
    }
    Ok(store.write(|tx| tx.cadence().meeting_for_today(m, now))?)
}

pub fn report(env: &Context, cmd: ReportCmd) -> Result<()> {
    let ReportCmd::Exec { format, period } = cmd;
    if !matches!(format, Format::Markdown | Format::Text | Format::Json) {
        return Err(Error::input("report exec prints markdown, text or json"));
    }
    let choice = PeriodChoice::parse(&period).context("--period")?;
    let store = env.open_store()?;
    let report = ExecReport::build_at(&store, &env.config, env.clock.now(), choice)?;
    match format {
        Format::Json => print_json(&report.json()),
        Format::Text => print_text(&exec_report(&report, format)),
        _ => print_raw(&exec_report(&report, format)),
    }
}
