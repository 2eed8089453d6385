//! `kpi record | list | target` and `brief`.

use clap::{Args, Subcommand};

use super::output::Format;
use super::{Env, not_yet};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum KpiCmd {
    /// Record one observation
    Record {
        metric: String,
        value: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        channel: Option<String>,
    },
    /// List observations
    List {
        #[arg(long)]
        metric: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Set a target for a period: 2026-11, 2026-Q4 or 2026-W47
    Target {
        metric: String,
        value: String,
        #[arg(long)]
        period: String,
    },
}

#[derive(Debug, Args)]
pub struct BriefArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(_env: &Env, cmd: KpiCmd) -> Result<()> {
    match cmd {
        KpiCmd::Record { .. } => not_yet("kpi record"),
        KpiCmd::List { .. } => not_yet("kpi list"),
        KpiCmd::Target { .. } => not_yet("kpi target"),
    }
}

pub fn brief(_env: &Env, _a: BriefArgs) -> Result<()> {
    not_yet("brief")
}
