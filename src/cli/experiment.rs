//! `experiment add | result | readout | plan | decide | list`.

use clap::Subcommand;

use super::formats;
use crate::context::Context;
use crate::domain::dates::parse_human;
use crate::domain::experiment::{PlanInput, parse_count, parse_share, parse_variants, plan};
use crate::error::{Context as _, Error, Result};
use crate::io::export::experiments as words;
use crate::output::{Format, print_json, print_text};
use crate::store::experiments::{Decision, NewExperiment};
use crate::views::experiments as view;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ExperimentCmd {
    /// Add an experiment; prints its id
    Add {
        name: String,
        /// What converts: signup-rate, demo-requests
        #[arg(long)]
        metric: String,
        #[arg(long)]
        hypothesis: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// 2026-11-06, today, -2w
        #[arg(long)]
        start: Option<String>,
        /// The planned end: the readout's "decision needed by"
        #[arg(long)]
        end: Option<String>,
        /// The variants, control first [default: control,treatment]
        #[arg(long)]
        variants: Option<String>,
        /// Traffic weights, one per variant [default: an even split]
        #[arg(long)]
        weights: Option<String>,
    },
    /// Record a variant's cumulative counts to date
    Result {
        /// The experiment's id or name
        id: String,
        variant: String,
        #[arg(long)]
        visitors: String,
        #[arg(long)]
        conversions: String,
        /// The day the counts run through [default: today]
        #[arg(long)]
        date: Option<String>,
    },
    /// Read an experiment out: lift, interval, both engines, the recommendation
    Readout {
        id: String,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Json]))]
        format: Format,
    },
    /// How many visitors a test needs: --baseline 5% --mde 10%
    Plan {
        /// Control's conversion rate: 5% or 0.05
        #[arg(long)]
        baseline: String,
        /// The smallest relative lift worth detecting: 10% or 0.1
        #[arg(long)]
        mde: String,
        #[arg(long, default_value = "0.05")]
        alpha: String,
        #[arg(long, default_value = "0.8")]
        power: String,
        /// Visitors entering the test per day, all variants together
        #[arg(long)]
        daily_visitors: Option<String>,
        /// How many variants share the traffic (control included)
        #[arg(long, default_value_t = 2)]
        variants: usize,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
    /// Decide: ship, rollback or iterate; logged as a decision linked to the experiment
    Decide {
        id: String,
        decision: String,
        #[arg(long)]
        reason: String,
    },
    /// Every experiment, running first
    List {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
}

pub fn run(env: &Context, cmd: ExperimentCmd) -> Result<()> {
    let now = env.clock.now();
    let today = now.date();
    if let ExperimentCmd::Plan { baseline, mde, alpha, power, daily_visitors, variants, format } = cmd {
        let input = PlanInput {
            baseline: parse_share(&baseline, "baseline").context("--baseline")?,
            mde: parse_share(&mde, "minimum detectable effect").context("--mde")?,
            alpha: parse_share(&alpha, "alpha").context("--alpha")?,
            power: parse_share(&power, "power").context("--power")?,
            daily_visitors: daily_visitors.map(|d| parse_count(&d, "--daily-visitors")).transpose()?,
            variants,
        };
        let p = plan(&input)?;
        if format == Format::Json {
            return print_json(&p);
        }
        let mut out = format!(
            "{} visitors per variant ({} in all) to detect {} -> {:.2}% (a {} relative lift) at alpha {} with {:.0}% power\n",
            crate::domain::money::group_thousands(p.visitors_per_variant),
            crate::domain::money::group_thousands(p.visitors_total),
            format_args!("{:.2}%", p.baseline * 100.0),
            p.target_rate * 100.0,
            words::pct(input.mde),
            input.alpha,
            input.power * 100.0
        );
        if let Some(d) = p.days {
            out.push_str(&format!("{d} days at {} visitors a day\n", input.daily_visitors.unwrap_or(0)));
        }
        return print_text(&out);
    }
    let store = env.open_store()?;
    match cmd {
        ExperimentCmd::Add { name, metric, hypothesis, owner, start, end, variants, weights } => {
            let start = start.map(|d| parse_human(&d, today).context("--start")).transpose()?;
            let end = end.map(|d| parse_human(&d, today).context("--end")).transpose()?;
            let e = NewExperiment {
                name,
                metric,
                hypothesis: hypothesis.unwrap_or_default(),
                owner: owner.unwrap_or_else(|| env.config.user.clone()),
                start: start.or(Some(today)),
                end,
                variants: parse_variants(variants.as_deref(), weights.as_deref())?,
            };
            let id = store.write(|tx| tx.experiments().add(&e, now))?;
            print_text(&format!("{id}\n"))
        }
        ExperimentCmd::Result { id, variant, visitors, conversions, date } => {
            let id = store.experiments().resolve(&id)?;
            let visitors = parse_count(&visitors, "--visitors")?;
            let conversions = parse_count(&conversions, "--conversions")?;
            let day = date.map(|d| parse_human(&d, today).context("--date")).transpose()?.unwrap_or(today);
            let r = store.write(|tx| tx.experiments().record(id, &variant, visitors, conversions, day, now))?;
            print_text(&format!("{}\n", view::recorded_words(id, visitors, conversions, &r)))
        }
        ExperimentCmd::Readout { id, format } => {
            let id = store.experiments().resolve(&id)?;
            let v = view::readout(&store, id, today)?;
            match format {
                Format::Json => print_json(&v),
                Format::Text | Format::Markdown => print_text(&words::readout(&v, format)),
                _ => Err(Error::input("experiment readout prints text, markdown or json")),
            }
        }
        ExperimentCmd::Decide { id, decision, reason } => {
            let id = store.experiments().resolve(&id)?;
            let what = Decision::parse(&decision)?;
            let d = view::decide(&store, id, what, &reason, &env.config.user, now)?;
            print_text(&format!("{}\n", view::decided_words(id, what, d)))
        }
        ExperimentCmd::List { format } => {
            let rows = view::list(&store, today)?;
            if format == Format::Json { print_json(&rows) } else { print_text(&words::list(&rows, today)) }
        }
        ExperimentCmd::Plan { .. } => Ok(()),
    }
}
