//! `today`: the day's meetings.

use clap::Args;

use super::output::Format;
use super::{Env, not_yet};
use crate::error::Result;

#[derive(Debug, Args)]
pub struct TodayArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn today(_env: &Env, _a: TodayArgs) -> Result<()> {
    not_yet("today")
}
