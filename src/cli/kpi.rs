//! `kpi record | list | target` and `brief`.

use clap::{Args, Subcommand};

use super::formats;
use crate::brief::Brief;
use crate::context::Context;
use crate::domain::dates::parse_human;
use crate::domain::kpi::{EntryInput, format_value, today_note};
use crate::domain::period_choice::PeriodChoice;
use crate::error::{Context as _, Error, Result};
use crate::io::export::kpis as export_kpis;
use crate::output::{Format, print_json, print_raw, print_text};
use crate::store::kpis::NewObservation;
use crate::views::{self, kpis::KpiQuery};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum KpiCmd {
    /// Record one observation: `mktg kpi record leads 1,234 --date yesterday --channel email`
    Record {
        metric: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
        /// The day it is for (default today): 2026-11-19, yesterday, -2d
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        /// text | json (the observation as `kpi list --format json` shows it, with its notes)
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
    /// List observations
    List {
        #[arg(long)]
        metric: Option<String>,
        /// First day: 2026-11-01, -7d, yesterday
        #[arg(long, allow_hyphen_values = true)]
        from: Option<String>,
        /// Last day: 2026-11-19, yesterday, -1d
        #[arg(long, allow_hyphen_values = true)]
        to: Option<String>,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Csv, Format::Json]))]
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
    /// text | markdown | json
    #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Json]))]
    pub format: Format,
    /// The KPIs' period: day | week | month | quarter (to date), last-week | last-month |
    /// last-quarter, or a name: 2026-11, 2026-Q4, 2026-W47
    #[arg(long, default_value = "month")]
    pub period: String,
}

pub fn run(env: &Context, cmd: KpiCmd) -> Result<()> {
    match cmd {
        KpiCmd::Record { metric, value, date, channel, format } => record(env, &metric, &value, date, channel, format),
        KpiCmd::List { metric, from, to, format } => list(env, metric, from, to, format),
        KpiCmd::Target { metric, value, period } => target(env, &metric, &value, &period),
    }
}

fn record(
    env: &Context,
    metric: &str,
    value: &str,
    date: Option<String>,
    channel: Option<String>,
    format: Format,
) -> Result<()> {
    let store = env.open_store()?;
    let input = EntryInput { metric, value, day: date.as_deref(), channel: channel.as_deref() };
    let (entry, notice) = store.kpis().check_entry(&input, env.clock.today())?;
    let id = store.write(|tx| tx.kpis().record(&NewObservation::from(&entry), env.clock.now()))?;
    if format == Format::Json {
        return print_json(&views::kpis::recorded(&store, id, notice.as_ref(), env.clock.today())?);
    }
    let shown = format_value(entry.metric.unit, entry.value, &store.meta().currency(), false);
    let on = if entry.channel.is_empty() { String::new() } else { format!(" in {}", entry.channel) };
    // A channel this metric has never seen is most often a typo: recorded, but said.
    let mut notice = notice.map(|n| format!("{n}\n")).unwrap_or_default();
    if let Some(n) = today_note(entry.day, env.clock.today()) {
        notice.push_str(&format!("note: {n}\n"));
    }
    print_text(&format!("recorded {} {shown} for {}{on} (#{id})\n{notice}", entry.metric.key, entry.day))
}

fn list(env: &Context, metric: Option<String>, from: Option<String>, to: Option<String>, format: Format) -> Result<()> {
    let store = env.open_store()?;
    let today = env.clock.today();
    let from = from.map(|d| parse_human(&d, today)).transpose()?;
    let to = to.map(|d| parse_human(&d, today)).transpose()?;
    let rows = views::kpis::list(&store, &KpiQuery { metric, from, to })?;
    match format {
        Format::Json => print_json(&rows),
        Format::Csv => print_raw(&export_kpis::list_csv(&rows)?),
        Format::Text => print_text(&export_kpis::list_text(&rows, &store.kpis().metrics()?, &store.meta().currency())),
        other => Err(Error::input(format!("kpi list prints text, csv or json, not {other:?}").to_lowercase())),
    }
}

fn target(env: &Context, metric: &str, value: &str, period: &str) -> Result<()> {
    let store = env.open_store()?;
    let (m, p, v) = store.kpis().check_target(metric, value, period)?;
    store.write(|tx| tx.kpis().set_target(&m.key, &p.to_string(), v))?;
    let shown = format_value(m.unit, v, &store.meta().currency(), false);
    print_text(&format!("target for {} in {p}: {shown}\n", m.key))
}

pub fn brief(env: &Context, a: BriefArgs) -> Result<()> {
    let choice = PeriodChoice::parse(&a.period).context("--period")?;
    let store = env.open_store()?;
    let b = Brief::build_at(&store, &env.config, env.clock.now(), choice)?;
    match a.format {
        Format::Text => print_text(&crate::brief::to_text(&b)),
        Format::Markdown => print_raw(&crate::brief::to_markdown(&b)),
        Format::Json => print_json(&crate::brief::to_json(&b)),
        other => Err(Error::input(format!("brief prints text, markdown or json, not {other:?}").to_lowercase())),
    }
}
