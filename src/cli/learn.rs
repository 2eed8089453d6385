//! `postmortem add | list | followthrough`, `alert add | list | rm | check`, `note add | list`
//! and `report weekly`.

use std::process::ExitCode;

use clap::Subcommand;

use super::formats;
use crate::brief::Brief;
use crate::context::Context;
use crate::domain::annotation::Annotation;
use crate::domain::dates::parse_human;
use crate::domain::error::Error as Refusal;
use crate::domain::period::Period;
use crate::domain::postmortem::parse_follow_up;
use crate::error::{Context as _, Error, Result};
use crate::io::export::learn as words;
use crate::output::{Format, print_json, print_raw, print_text};
use crate::store::postmortems::{NewPostmortem, Record};
use crate::views::learn as view;

// Parsed once per run: the size of the largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum PostmortemCmd {
    /// Write a post-mortem; prints its id and each follow-up's decision id
    Add {
        title: String,
        /// About a launch (its id)
        #[arg(long, conflicts_with_all = ["campaign", "experiment"])]
        launch: Option<i64>,
        /// About a campaign (its name, this quarter or last)
        #[arg(long, conflicts_with = "experiment")]
        campaign: Option<String>,
        /// About an experiment (its id or name)
        #[arg(long)]
        experiment: Option<String>,
        /// What worked
        #[arg(long)]
        worked: Option<String>,
        /// What did not
        #[arg(long)]
        didnt: Option<String>,
        /// The outcome metric, its actual and its goal
        #[arg(long)]
        metric: Option<String>,
        #[arg(long)]
        actual: Option<String>,
        #[arg(long)]
        goal: Option<String>,
        /// "TEXT=OWNER@DUE", a decision with its owner and due day (repeatable)
        #[arg(long = "follow-up", value_name = "TEXT=OWNER@DUE")]
        follow_ups: Vec<String>,
    },
    /// Every post-mortem with its follow-ups, newest first
    List {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
    /// Follow-ups done by their due day, over those due in the period (all when none)
    Followthrough {
        /// 2026-11, 2026-Q4, 2026-W47
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum AlertCmd {
    /// Add a rule: --when below-target | behind-pace | above=V | below=V | crosses=V
    Add {
        key: String,
        #[arg(long)]
        metric: String,
        #[arg(long)]
        when: String,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        owner: Option<String>,
    },
    /// The rules and their state
    List {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
    /// Remove a rule (its past firings stay in the weekly review)
    Rm { key: String },
    /// Check every rule now; one line per rule that fired, exit 3 when one did (for cron)
    Check {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum NoteCmd {
    /// Annotate a day or a range: `mktg note add 2026-11-12..2026-11-14 "site outage"`
    Add {
        days: String,
        text: String,
        #[arg(long)]
        metric: Option<String>,
        #[arg(long)]
        channel: Option<String>,
    },
    /// The notes overlapping a range of days
    List {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
}

pub fn postmortem(env: &Context, cmd: PostmortemCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let today = now.date();
    match cmd {
        PostmortemCmd::Add { title, launch, campaign, experiment, worked, didnt, metric, actual, goal, follow_ups } => {
            let (subject, flag) = match (launch, campaign.as_deref(), experiment.as_deref()) {
                (Some(l), _, _) => (view::Subject::Launch(l), "--launch"),
                (_, Some(c), _) => (view::Subject::Campaign(c), "--campaign"),
                (_, _, Some(e)) => (view::Subject::Experiment(e), "--experiment"),
                _ => (view::Subject::Standalone, ""),
            };
            let about = view::resolve_subject(&store, subject, today).context(flag)?;
            let follow_ups = follow_ups.iter().map(|f| parse_follow_up(f, today)).collect::<Result<Vec<_>, _>>()?;
            let text = |o: Option<String>| o.unwrap_or_default().trim().to_string();
            let p = NewPostmortem {
                title,
                about,
                record: Record {
                    worked: text(worked),
                    didnt: text(didnt),
                    outcome_metric: text(metric),
                    outcome_actual: text(actual),
                    outcome_goal: text(goal),
                },
                follow_ups,
            };
            let added = store.write(|tx| tx.postmortems().add(&p, now))?;
            let mut out = format!("{}\n", added.id);
            for (id, f) in added.follow_ups.iter().zip(&p.follow_ups) {
                out.push_str(&format!("{}\n", words::follow_up_logged(*id, f)));
            }
            print_text(&out)
        }
        PostmortemCmd::List { format } => {
            let list = view::postmortems(&store, today)?;
            if format == Format::Json { print_json(&list) } else { print_text(&words::postmortems(&list, today)) }
        }
        PostmortemCmd::Followthrough { period, format } => {
            let period = period.map(|p| Period::parse(&p).context("--period")).transpose()?;
            let v = view::follow_through_view(&store, today, period.as_ref())?;
            if format == Format::Json { print_json(&v) } else { print_text(&words::follow_through(&v, today)) }
        }
    }
}

/// `alert ...`; `alert check` exits 3 when a rule fired.
pub fn alert(env: &Context, cmd: AlertCmd) -> Result<ExitCode> {
    let store = env.open_store()?;
    let now = env.clock.now();
    match cmd {
        AlertCmd::Add { key, metric, when, channel, owner } => {
            let rule = store.alerts().check_rule(&key, &metric, &when, channel.as_deref(), owner.as_deref())?;
            store.write(|tx| tx.alerts().add(&rule, now))?;
            print_text::<Error>(&format!("{}\n", words::alert_added(&rule)))?;
        }
        AlertCmd::List { format } => {
            let rules = view::rules(&store)?;
            if format == Format::Json {
                print_json::<_, Error>(&rules)?
            } else {
                print_text::<Error>(&words::rules(&rules))?
            }
        }
        AlertCmd::Rm { key } => {
            let k = store.write(|tx| tx.alerts().remove(&key))?;
            print_text::<Error>(&format!("alert {k} removed\n"))?;
        }
        AlertCmd::Check { format } => {
            // One brief (one cube) for every rule; every new state lands in one transaction.
            let brief = Brief::build(&store, &env.config, now)?;
            let checked: Vec<_> = brief.alerts.iter().map(|a| (a.rule.clone(), a.evaluation)).collect();
            store.write(|tx| tx.alerts().save_check(&checked, now))?;
            let v = view::check(&brief);
            if format == Format::Json {
                print_json::<_, Error>(&v)?;
            } else {
                print_text::<Error>(&words::check(&v))?;
            }
            if !v.fired.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn note(env: &Context, cmd: NoteCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let today = now.date();
    match cmd {
        NoteCmd::Add { days, text, metric, channel } => {
            let note = Annotation::new(&days, &text, metric.as_deref(), channel.as_deref(), today)?;
            let id = store.write(|tx| tx.notes().add(&note, now))?;
            print_text(&format!("{id}\n"))
        }
        NoteCmd::List { from, to, format } => {
            let day = |d: Option<String>, flag: &str| d.map(|d| parse_human(&d, today).context(flag)).transpose();
            let (from, to) = (day(from, "--from")?, day(to, "--to")?);
            if let (Some(a), Some(b)) = (from, to)
                && b < a
            {
                return Err(Refusal::input(format!("--to {b} is before --from {a}")).into());
            }
            let list = view::notes(&store, from, to)?;
            if format == Format::Json { print_json(&list) } else { print_text(&words::notes(&list)) }
        }
    }
}

/// What `report weekly` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WeeklyFormat {
    Markdown,
    Html,
    Json,
}

/// `report weekly`: the weekly performance review pack.
pub fn weekly(env: &Context, format: WeeklyFormat) -> Result<()> {
    let store = env.open_store()?;
    let pack = crate::views::weekly::Weekly::build(&store, &env.config, env.clock.now())?;
    match format {
        WeeklyFormat::Json => print_json(&pack.json()),
        WeeklyFormat::Markdown => print_text(&crate::io::export::weekly::markdown(&pack)),
        WeeklyFormat::Html => print_raw(&crate::io::export::weekly::html(&pack)?),
    }
}
