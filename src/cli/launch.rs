//! `launch add | list | score | tier | check | stage | assign | metric | pivot`.

use chrono::NaiveDate;
use clap::Subcommand;

use super::formats;
use crate::context::Context;
use crate::domain::dates::parse_human;
use crate::domain::launch::{PostMortem, ReadinessItem};
use crate::domain::model::{Stage, Tier};
use crate::domain::postmortem::{DEFAULT_DUE_DAYS, FollowUpSpec, parse_follow_up_or_default};
use crate::domain::tiering::Scores;
use crate::error::{Context as _, Error, Result};
use crate::io::export::compete::raised_lines;
use crate::io::export::launches::render;
use crate::output::{Format, print_raw, print_text};
use crate::store::launch_changes::NewLaunch;
use crate::store::launch_pivot::Pivoted;
use crate::views::launches::records;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum LaunchCmd {
    /// Add a launch; prints its id
    Add {
        name: String,
        /// The launch date: 2026-12-15, +6w, fri
        #[arg(long, allow_hyphen_values = true)]
        date: String,
        #[arg(long)]
        product: Option<String>,
        #[arg(long)]
        owner: Option<String>,
    },
    /// List launches
    List {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Csv, Format::Json, Format::Markdown]))]
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
        #[command(flatten)]
        record: PostMortemArgs,
    },
    /// Give a checklist item its own owner (and due day); without them it is the launch's
    Assign {
        id: i64,
        /// The item's key or number, as `launch check` takes it
        item: String,
        #[arg(long)]
        owner: String,
        /// fri, +3d, 2026-11-27
        #[arg(long)]
        due: Option<String>,
    },
    /// Set how the launch will be judged (its success metric; "" clears it)
    Metric { id: i64, metric: String },
    /// Mark the launch as a product pivot / repositioning: battlecards refreshed before its day
    /// go stale, and a Tier 1 pivot proposes a positioning review
    Pivot {
        id: i64,
        /// The day the pivot takes effect (default: the launch date): 2026-12-15, +6w, fri
        #[arg(long, allow_hyphen_values = true, conflicts_with = "clear")]
        date: Option<String>,
        /// Take the mark off (a review already proposed stays in the decision log)
        #[arg(long)]
        clear: bool,
    },
}

// The short structured record that entering post-mortem asks for. A plain comment, not a doc
// comment: flattened into `launch stage`, whose arguments are built when entered (`defer`), a
// doc comment here would replace that command's own about line in its --help.
#[derive(Debug, clap::Args)]
pub struct PostMortemArgs {
    /// Post-mortem: what worked
    #[arg(long)]
    worked: Option<String>,
    /// Post-mortem: what did not
    #[arg(long)]
    didnt: Option<String>,
    /// Post-mortem: the outcome metric
    #[arg(long)]
    metric: Option<String>,
    /// Post-mortem: the outcome's actual value
    #[arg(long)]
    actual: Option<String>,
    /// Post-mortem: the outcome's goal
    #[arg(long)]
    goal: Option<String>,
    /// Post-mortem: a follow-up as "TEXT=OWNER[@DUE]", logged as a decision (repeatable); due in two weeks without @DUE
    #[arg(long = "follow-up", value_name = "TEXT=OWNER[@DUE]")]
    follow_ups: Vec<String>,
}

pub fn run(env: &Context, cmd: LaunchCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let rules = &env.config.tiers;
    let user = env.config.user.as_str();
    match cmd {
        LaunchCmd::Add { name, date, product, owner } => {
            let date = parse_human(&date, now.date()).context("--date")?;
            let l = NewLaunch {
                name,
                product: product.unwrap_or_default(),
                owner: owner.clone().unwrap_or_else(|| user.to_string()),
                date: Some(date),
            };
            let id = store.write(|tx| tx.launches().add(&l, rules, now))?;
            if let Some(o) = owner {
                super::team::note_owner(env, &store, &o)?;
            }
            print_text(&format!("{id}\n"))
        }
        LaunchCmd::Assign { id, item, owner, due } => {
            let due = due.map(|d| parse_human(&d, now.date())).transpose().context("--due")?;
            let label = store.write(|tx| tx.launches().assign_item(id, &item, &owner, due))?;
            super::team::note_owner(env, &store, &owner)?;
            let by = due.map(|d| format!(", due {d}")).unwrap_or_default();
            print_text(&format!("#{id} {label}: owned by {}{by}\n", owner.trim()))
        }
        LaunchCmd::Metric { id, metric } => {
            store.write(|tx| tx.launches().set_success_metric(id, &metric))?;
            let name = store.launches().get(id)?.name;
            let msg = if metric.trim().is_empty() {
                format!("#{id} {name}: no success metric (how will we know it worked?)\n")
            } else {
                format!("#{id} {name}: judged by {}\n", metric.trim())
            };
            print_text(&msg)
        }
        LaunchCmd::Pivot { id, date, clear } => {
            let on = date.map(|d| parse_human(&d, now.date())).transpose().context("--date")?;
            if clear {
                let p = store.write(|tx| tx.launches().clear_pivot(id, now))?;
                return print_text(&format!("#{id} {}: no longer marked as a product pivot\n", p.launch.name));
            }
            let p = store.write(|tx| tx.launches().mark_pivot(id, on, user, now))?;
            print_text(&pivot_text(&p, now.date()))
        }
        LaunchCmd::List { format } => {
            let out = render(&records(&store, now.date(), rules)?, format)?;
            if format == Format::Text { print_text(&out) } else { print_raw(&out) }
        }
        LaunchCmd::Score { id, revenue, urgency, demand } => {
            let scores = Scores::new(revenue, urgency, demand)?;
            let scored = store.write(|tx| tx.launches().score(id, scores, rules, user, now))?;
            let l = store.launches().get(id)?;
            let mut out = format!("#{id} {}: {} ({})\n", l.name, scored.verdict.tier, scored.verdict.reason());
            if let Some(t) = scored.override_kept {
                out.push_str(&format!(
                    "the override to {t} stays in force; `mktg launch tier {id} {}` clears it\n",
                    scored.verdict.tier.0
                ));
            }
            if let Some((t, f)) = l.tier().zip(l.lead_flag(now.date(), rules)) {
                out.push_str(&format!("flag: {}\n", f.message(t)));
            }
            out.push_str(&raised_lines(&scored.raised));
            print_text(&out)
        }
        LaunchCmd::Tier { id, tier, reason } => {
            let tier = Tier::parse(&tier)?;
            let decision = store.write(|tx| tx.launches().set_tier(id, tier, &reason, user, rules, now))?;
            let l = store.launches().get(id)?;
            let how = match decision {
                Some(d) => format!("override, logged as decision #{d}"),
                None => "the computed tier".into(),
            };
            print_text(&format!("#{id} {}: {tier} ({how})\n", l.name))
        }
        LaunchCmd::Check { id, items } => {
            let all = store.launches().items(id)?;
            let name = store.launches().get(id)?.name;
            let ids = items.iter().map(|w| resolve_item(&all, w, &name)).collect::<Result<Vec<i64>>>()?;
            let n = store.write(|tx| tx.launches().tick(id, &ids, user, now))?;
            let mut out = format!("#{id} {name}: ticked {n} item(s)\n");
            out.push_str(&checklist_text(&store.launches().items(id)?));
            print_text(&out)
        }
        LaunchCmd::Stage { id, stage, override_reason, record } => {
            let to = Stage::parse(&stage)?;
            let mut follow_up_lines = String::new();
            let moved = if to == Stage::PostMortem {
                let (pm, follow_ups, defaulted) = postmortem_record(record, now.date())?;
                let (moved, added) =
                    store.write(|tx| tx.launches().postmortem(id, &pm, &follow_ups, user, rules, now))?;
                follow_up_lines.push_str(&format!("post-mortem #{}\n", added.id));
                for ((d, f), dflt) in added.follow_ups.iter().zip(&follow_ups).zip(&defaulted) {
                    super::team::note_owner(env, &store, &f.owner)?;
                    let why =
                        if *dflt { format!(" (in {DEFAULT_DUE_DAYS} days: no @DUE given)") } else { String::new() };
                    follow_up_lines.push_str(&format!(
                        "follow-up decision #{d}: {} (owner {}, due {}{why})\n",
                        f.text, f.owner, f.due
                    ));
                }
                moved
            } else {
                store.write(|tx| tx.launches().stage(id, to, override_reason.as_deref(), user, rules, now))?
            };
            let name = store.launches().get(id)?.name;
            let mut out = format!("#{id} {name}: {} -> {}\n", moved.from.label(), moved.to.label());
            if let Some(d) = moved.decision_id {
                out.push_str(&format!("the go-live gate was overridden; logged as decision #{d}\n"));
            }
            out.push_str(&follow_up_lines);
            print_text(&out)
        }
    }
}

/// What marking a pivot did: the day, what it stales, and the review it proposed (or why none).
fn pivot_text(p: &Pivoted, today: NaiveDate) -> String {
    let l = &p.launch;
    let on = l.pivot_on.unwrap_or(l.date);
    let when = if on > today { format!("from {on}") } else { "now".into() };
    let mut out = format!(
        "#{} {}: a product pivot on {on}; battlecards last refreshed before it are stale {when}\n",
        l.id, l.name
    );
    if !p.raised.is_empty() {
        out.push_str("positioning review proposed (for the director to decide):\n");
        out.push_str(&raised_lines(&p.raised));
    } else if l.tier() != Some(Tier(1)) {
        let tier = l.tier().map_or("not tiered yet".to_string(), |t| t.to_string());
        out.push_str(&format!("no positioning review proposed: only a Tier 1 pivot proposes one ({tier})\n"));
    }
    out
}

/// The post-mortem record from its flags: at least what worked or what did not, and every
/// follow-up with an owner (`TEXT=OWNER[@DUE]`, due in two weeks without `@DUE`; the flags
/// returned say which were defaulted, so the output can say so).
fn postmortem_record(a: PostMortemArgs, today: NaiveDate) -> Result<(PostMortem, Vec<FollowUpSpec>, Vec<bool>)> {
    let text = |o: Option<String>| o.unwrap_or_default().trim().to_string();
    let pm = PostMortem {
        worked: text(a.worked),
        didnt: text(a.didnt),
        outcome_metric: text(a.metric),
        outcome_actual: text(a.actual),
        outcome_goal: text(a.goal),
    };
    if pm.worked.is_empty() && pm.didnt.is_empty() {
        return Err(Error::input(
            "entering post-mortem needs its record: --worked, --didnt, and optionally --metric --actual --goal --follow-up TEXT=OWNER[@DUE]",
        ));
    }
    let (follow_ups, defaulted) = a
        .follow_ups
        .iter()
        .map(|f| parse_follow_up_or_default(f, today))
        .collect::<std::result::Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    Ok((pm, follow_ups, defaulted))
}

/// An item named by its key or its 1-based number on the checklist; unknown ones list the valid ones.
fn resolve_item(items: &[ReadinessItem], word: &str, launch: &str) -> Result<i64> {
    let w = word.trim();
    let by_number = w.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| items.get(i));
    let by_key = items.iter().find(|i| i.key.eq_ignore_ascii_case(w));
    by_number.or(by_key).map(|i| i.id).ok_or_else(|| {
        let valid: Vec<String> = items.iter().enumerate().map(|(n, i)| format!("{} {}", n + 1, i.key)).collect();
        let valid = if valid.is_empty() { "none: score the launch first".into() } else { valid.join(", ") };
        Error::input(format!("'{launch}' has no readiness item '{w}' (valid: {valid})"))
    })
}

/// The checklist as numbered lines, the numbers `launch check` accepts.
fn checklist_text(items: &[ReadinessItem]) -> String {
    let mut out = String::new();
    for (n, i) in items.iter().enumerate() {
        let mark = if i.is_done() { "[x]" } else { "[ ]" };
        let tag = match (i.baseline, i.required) {
            (_, false) => "  (no longer required)",
            (true, true) => "  (baseline)",
            _ => "",
        };
        let who = match (&i.done_by, i.done_at) {
            (Some(by), Some(at)) => format!("  {by} {}", at.format("%Y-%m-%d %H:%M")),
            _ => String::new(),
        };
        out.push_str(&format!("{:>3} {mark} {} ({}){tag}{who}\n", n + 1, i.label, i.key));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_named_by_key_or_number_and_unknown_ones_list_the_valid() {
        let item = |id, key: &str| ReadinessItem {
            id,
            key: key.into(),
            label: key.into(),
            baseline: true,
            required: true,
            done_at: None,
            done_by: None,
            note: None,
        };
        let items = [item(10, "tracking"), item(11, "compliance")];
        assert_eq!(resolve_item(&items, "2", "P").unwrap(), 11);
        assert_eq!(resolve_item(&items, "Compliance", "P").unwrap(), 11);
        let e = resolve_item(&items, "legal", "P").unwrap_err();
        assert_eq!(e.to_string(), "'P' has no readiness item 'legal' (valid: 1 tracking, 2 compliance)");
        assert!(resolve_item(&items, "0", "P").is_err() && resolve_item(&items, "3", "P").is_err());
    }
}
