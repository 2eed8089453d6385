//! `budget plan | spend | move | list`.

use clap::Subcommand;

use super::output::Format;
use super::{Env, not_yet};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum BudgetCmd {
    /// Plan a campaign's budget for a quarter
    Plan {
        campaign: String,
        amount: String,
        #[arg(long)]
        period: String,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        bucket: Option<String>,
    },
    /// Record spend against a campaign
    Spend {
        campaign: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Reallocate unspent budget; logged as a decision
    Move {
        from: String,
        to: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        reason: String,
    },
    /// List campaigns with plan, spend, pacing and ROI
    List {
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(_env: &Env, cmd: BudgetCmd) -> Result<()> {
    let name = match cmd {
        BudgetCmd::Plan { .. } => "budget plan",
        BudgetCmd::Spend { .. } => "budget spend",
        BudgetCmd::Move { .. } => "budget move",
        BudgetCmd::List { .. } => "budget list",
    };
    not_yet(name)
}
