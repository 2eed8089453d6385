//! `budget plan | spend | move | list`.

use clap::Subcommand;

use super::formats;
use crate::context::Context;
use crate::domain::budget::{acknowledged_words, move_preview_line};
use crate::domain::dates;
use crate::domain::model::Bucket;
use crate::domain::money;
use crate::domain::period::{Grain, Period};
use crate::error::{Context as _, Error, Result};
use crate::io::export::budget as export_budget;
use crate::output::{Format, print_raw, print_text};
use crate::store::budget::{MoveRequest, NewPlan};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum BudgetCmd {
    /// Plan a campaign's budget for a quarter
    Plan {
        campaign: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        period: String,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        bucket: Option<String>,
        /// Who owns the campaign (a campaign an import creates has none until given one)
        #[arg(long)]
        owner: Option<String>,
    },
    /// Record spend against a campaign
    Spend {
        campaign: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// The day it was spent (default today): 2026-11-19, yesterday, -2d
        #[arg(long, allow_hyphen_values = true)]
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
    /// Acknowledge a campaign spent past its plan: it leaves the attention list until more is spent
    Ack {
        campaign: String,
        /// The campaign's quarter (default: the campaigns over plan, unacknowledged first)
        #[arg(long)]
        period: Option<String>,
    },
    /// List campaigns with plan, spend, pacing and ROI
    List {
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Csv, Format::Json, Format::Markdown]))]
        format: Format,
    },
}

pub fn run(env: &Context, cmd: BudgetCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let today = now.date();
    let currency = store.meta().currency();
    let m = |c: i64| money::format(c, &currency);
    match cmd {
        BudgetCmd::Plan { campaign, amount, period, channel, bucket, owner } => {
            let period = quarter(&period).context("--period")?;
            let planned_cents = money::parse_positive(&amount, &currency, true).context("AMOUNT")?;
            let bucket = bucket.map(|b| Bucket::parse(&b)).transpose().context("--bucket")?;
            let plan = NewPlan { name: campaign, period, planned_cents, channel, bucket, reason: String::new() };
            let out = store.write(|tx| {
                let out = tx.budget().plan(&plan, now)?;
                if let Some(o) = &owner {
                    tx.budget().set_owner(out.id, o)?;
                }
                Ok::<_, Error>(out)
            })?;
            if let Some(o) = &owner {
                super::team::note_owner(env, &store, o)?;
            }
            let msg = if out.created {
                format!("planned '{}' for {}: {} (id {})\n", plan.name.trim(), plan.period, m(planned_cents), out.id)
            } else {
                format!(
                    "re-planned '{}' for {}: {} → {} (id {})\n",
                    plan.name.trim(),
                    plan.period,
                    m(out.from_cents),
                    m(planned_cents),
                    out.id
                )
            };
            print_text(&msg)
        }
        BudgetCmd::Spend { campaign, amount, date, note } => {
            let cents = money::parse_positive(&amount, &currency, false).context("AMOUNT")?;
            let day = match date {
                Some(d) => dates::parse_human(&d, today).context("--date")?,
                None => today,
            };
            let period = Period::containing(Grain::Quarter, day);
            let c = store.budget().find_campaign(&campaign, &period)?;
            let id = store.write(|tx| tx.budget().spend_add(c.id, day, cents, note.as_deref().unwrap_or(""), now))?;
            let row = store.budget().campaign(c.id, today)?;
            let left = row.map(|r| format!("; {} of {} remaining", m(r.remaining_cents), m(r.facts.planned_cents)));
            print_text(&format!(
                "recorded {} on {day} for '{}' (entry {id}){}\n",
                m(cents),
                c.name,
                left.unwrap_or_default()
            ))
        }
        BudgetCmd::Move { from, to, amount, reason } => {
            let cents = money::parse_positive(&amount, &currency, false).context("AMOUNT")?;
            let period = Period::containing(Grain::Quarter, today);
            let a = store.budget().find_campaign(&from, &period).context("FROM")?;
            let b = store.budget().find_campaign(&to, &period).context("TO")?;
            let req =
                MoveRequest { from_id: a.id, to_id: b.id, amount_cents: cents, reason, owner: env.config.user.clone() };
            let out = store.write(|tx| tx.budget().move_money(&req, now))?;
            print_text(&format!(
                "moved {} (decision {})\n  {}\n  {}\n",
                m(cents),
                out.decision_id,
                move_preview_line(&out.from, &currency),
                move_preview_line(&out.to, &currency)
            ))
        }
        BudgetCmd::Ack { campaign, period } => {
            let period = period.map(|p| quarter(&p)).transpose().context("--period")?;
            let c = store.budget().find_over_plan(&campaign, period.as_ref(), today)?;
            let o = store.write(|tx| tx.budget().acknowledge(c.id, &env.config.user, now))?;
            let words = acknowledged_words(&o.name, &o.period, o.spent_cents, o.planned_cents, &currency);
            print_text(&format!("{words}\n"))
        }
        BudgetCmd::List { period, format } => {
            let period = match period {
                Some(p) => quarter(&p).context("--period")?,
                None => Period::containing(Grain::Quarter, today),
            };
            let out = export_budget::list(&store, &period, today, &env.config.pacing, format)?;
            if format == Format::Text { print_text(&out) } else { print_raw(&out) }
        }
    }
}

/// A quarter such as 2026-Q4.
pub(super) fn quarter(s: &str) -> Result<Period> {
    let p = Period::parse(s)?;
    if p.grain != Grain::Quarter {
        return Err(Error::input(format!("'{}' is not a quarter (expected e.g. 2026-Q4)", s.trim())));
    }
    Ok(p)
}
