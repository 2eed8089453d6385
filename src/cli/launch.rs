//! `launch add | list | score | tier | check | stage`.

use clap::Subcommand;

use super::output::Format;
use super::{Env, not_yet};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum LaunchCmd {
    /// Add a launch; prints its id
    Add {
        name: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        product: Option<String>,
        #[arg(long)]
        owner: Option<String>,
    },
    /// List launches
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Score the three criteria (1-5 each); prints the computed tier
    Score {
        id: i64,
        #[arg(long)]
        revenue: i64,
        #[arg(long)]
        urgency: i64,
        #[arg(long)]
        demand: i64,
    },
    /// Override the computed tier, with a reason
    Tier {
        id: i64,
        tier: String,
        #[arg(long)]
        reason: String,
    },
    /// Tick readiness items by key or number
    Check {
        id: i64,
        #[arg(required = true)]
        items: Vec<String>,
    },
    /// Move to a stage: intake|build|qa|launch|measure|post-mortem
    Stage {
        id: i64,
        stage: String,
        #[arg(long)]
        override_reason: Option<String>,
    },
}

pub fn run(_env: &Env, cmd: LaunchCmd) -> Result<()> {
    let name = match cmd {
        LaunchCmd::Add { .. } => "launch add",
        LaunchCmd::List { .. } => "launch list",
        LaunchCmd::Score { .. } => "launch score",
        LaunchCmd::Tier { .. } => "launch tier",
        LaunchCmd::Check { .. } => "launch check",
        LaunchCmd::Stage { .. } => "launch stage",
    };
    not_yet(name)
}
