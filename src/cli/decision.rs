//! `decision add | list | done` and `report exec`.

use clap::Subcommand;

use super::output::Format;
use super::{Env, not_yet};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum DecisionCmd {
    /// Log a decision; prints its id
    Add {
        text: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        risk: Option<String>,
        #[arg(long)]
        recommendation: Option<String>,
        #[arg(long)]
        meeting: Option<String>,
    },
    /// List decisions
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        owner: Option<String>,
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
    /// The executive update: decisions needed first, then the KPI headline
    Exec {
        #[arg(long, value_enum, default_value = "markdown")]
        format: Format,
    },
}

pub fn run(_env: &Env, cmd: DecisionCmd) -> Result<()> {
    let name = match cmd {
        DecisionCmd::Add { .. } => "decision add",
        DecisionCmd::List { .. } => "decision list",
        DecisionCmd::Done { .. } => "decision done",
    };
    not_yet(name)
}

pub fn report(_env: &Env, _cmd: ReportCmd) -> Result<()> {
    not_yet("report exec")
}
