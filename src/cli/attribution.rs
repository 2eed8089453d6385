//! `attribution`: credits by channel or campaign under one model, or several side by side.

use super::formats;
use crate::context::Context;
use crate::error::Result;
use crate::io::export::attribution::render;
use crate::output::{Format, print_raw, print_text};
use crate::views::attribution::{Options, Query, readout};

#[derive(Debug, clap::Args)]
pub struct AttributionArgs {
    /// first, last, linear, u-shaped, w-shaped (default), full-path or time-decay
    #[arg(long)]
    model: Option<String>,
    /// Time decay's half-life in days (default 7)
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true)]
    half_life_days: Option<f64>,
    /// Add the credits up by channel (default) or campaign
    #[arg(long)]
    by: Option<String>,
    /// The deals converting in this period: 2026-Q4 (default: this quarter), 2026-11, 2026-W47
    #[arg(long)]
    period: Option<String>,
    /// Several models side by side: --compare first w-shaped time-decay
    #[arg(long, num_args = 1.., value_name = "MODEL")]
    compare: Vec<String>,
    /// Credit closed-won revenue (default, at the close) or pipeline (at the deal's creation)
    #[arg(long)]
    goal: Option<String>,
    #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Csv, Format::Json]))]
    format: Format,
}

pub fn run(env: &Context, a: AttributionArgs) -> Result<()> {
    let options = Options {
        model: a.model.as_deref(),
        compare: &a.compare,
        by: a.by.as_deref(),
        goal: a.goal.as_deref(),
        period: a.period.as_deref(),
        half_life_days: a.half_life_days,
    };
    let query = Query::parse(&options, env.clock.now().date())?;
    let store = env.open_store()?;
    let out = render(&readout(&store, &query)?, a.format)?;
    match a.format {
        Format::Text => print_text(&out),
        _ => print_raw(&out),
    }
}
