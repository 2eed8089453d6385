//! `decision add | list | done` and `report exec`.

use clap::Subcommand;

use super::formats;
use crate::context::Context;
use crate::domain::dates::parse_human;
use crate::domain::model::DecisionStatus;
use crate::error::{Error, Result};
use crate::io::export::decisions::render;
use crate::output::{Format, print_raw, print_text};
use crate::store::decision_edits::{DecisionEdit, EditInput};
use crate::store::decisions::NewDecision;
use crate::views::decisions::{self, DecisionQuery, StatusFilter};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Csv, Format::Json, Format::Markdown]))]
        format: Format,
    },
    /// Mark a decision done
    Done { id: i64 },
    /// Correct a decision: its text, owner, due day, risk or recommendation (kept in its history)
    Edit {
        id: i64,
        /// The decision itself, in one line
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// fri, +3d, 2026-11-27; `none` removes the due day
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        risk: Option<String>,
        #[arg(long)]
        recommendation: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ReportCmd {
    /// The executive update: decisions needed first, then the KPI headline (markdown, text or json)
    Exec {
        #[arg(long, default_value = "markdown", value_parser = formats::of(&[Format::Markdown, Format::Text, Format::Json]))]
        format: Format,
        /// The period it covers: month (the default: to date, or the month just closed),
        /// quarter, last-month, last-quarter, or a name like 2026-11, 2026-Q4, 2026-W47
        #[arg(long, default_value = "month")]
        period: String,
    },
    /// The weekly performance review pack: decisions due, KPIs with the week's anomalies and
    /// notes, experiment readouts, follow-ups, alerts (html is one self-contained file)
    Weekly {
        #[arg(long, value_enum, default_value = "markdown")]
        format: super::learn::WeeklyFormat,
    },
}

pub fn run(env: &Context, cmd: DecisionCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    match cmd {
        DecisionCmd::Add { text, owner, due, risk, recommendation, meeting } => {
            let due = due.map(|d| parse_human(&d, now.date())).transpose()?;
            let d = NewDecision {
                title: text,
                owner,
                due,
                risk: risk.unwrap_or_default(),
                recommendation: recommendation.unwrap_or_default(),
                ..NewDecision::default()
            };
            // The meeting is found and the decision logged in one transaction.
            let id = store.write(|tx| {
                let meeting_id = meeting.as_deref().map(|m| tx.cadence().resolve_meeting(m, now)).transpose()?;
                tx.decisions().add(&NewDecision { meeting_id, ..d.clone() }, now)
            })?;
            super::team::note_owner(env, &store, &d.owner)?;
            print_text(&format!("{id}\n"))
        }
        DecisionCmd::List { status, owner, overdue, format } => {
            let today = now.date();
            let status = StatusFilter::parse(status.as_deref().unwrap_or(""))?;
            let list = decisions::list(&store, &DecisionQuery { status, owner, overdue }, today)?;
            let out = render(&list, format, today)?;
            if format == Format::Text { print_text(&out) } else { print_raw(&out) }
        }
        DecisionCmd::Edit { id, text, owner, due, risk, recommendation } => {
            let input = EditInput {
                title: text.as_deref(),
                owner: owner.as_deref(),
                due: due.as_deref(),
                risk: risk.as_deref(),
                recommendation: recommendation.as_deref(),
            };
            let edit = DecisionEdit::parse(&input, now.date())?;
            if edit.is_empty() {
                return Err(Error::input(
                    "decision edit needs what to change: --text, --owner, --due, --risk or --recommendation",
                ));
            }
            let changes = store.write(|tx| tx.decisions().edit(id, &edit, now))?;
            if changes.is_empty() {
                return print_text(&format!("decision #{id}: nothing changed (it already says that)\n"));
            }
            let said: Vec<String> = changes.iter().map(|c| c.describe()).collect();
            print_text(&format!("decision #{id} edited: {}\n", said.join("; ")))
        }
        DecisionCmd::Done { id } => {
            let d = store.write(|tx| tx.decisions().set_status(id, DecisionStatus::Done, now))?;
            print_text(&format!("decision #{} done: {}\n", d.id, d.title))
        }
    }
}

pub fn report(env: &Context, cmd: ReportCmd) -> Result<()> {
    let (format, period) = match cmd {
        ReportCmd::Exec { format, period } => (format, period),
        ReportCmd::Weekly { format } => return super::learn::weekly(env, format),
    };
    let store = env.open_store()?;
    let text = crate::io::export::decisions::exec_text(&store, &env.config, env.clock.now(), format, &period)?;
    match format {
        Format::Text => print_text(&text),
        // JSON comes out of `output::json` already safe; markdown keeps its own characters.
        _ => print_raw(&text),
    }
}
