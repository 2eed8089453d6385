//! `compete add | card | edit | launched | list` and `winloss`.

use clap::{Args, Subcommand};

use super::formats;
use crate::context::Context;
use crate::domain::battlecard::Section;
use crate::domain::compete::NewCompetitor;
use crate::domain::dates::parse_human;
use crate::error::{Context as _, Error, Result};
use crate::io::export::compete::{card_markdown, card_text, list_text, raised_lines, winloss_csv, winloss_text};
use crate::output::{Format, print_json, print_raw, print_text};
use crate::views::compete as view;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum CompeteCmd {
    /// Add a competitor; its card's owner is required (who keeps it fresh?)
    Add {
        key: String,
        #[arg(long)]
        name: Option<String>,
        /// The PMM who keeps the card
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        segment: Option<String>,
    },
    /// The battlecard: markdown is what Sales reads (text, markdown or json)
    Card {
        key: String,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Json]))]
        format: Format,
    },
    /// Edit one section: why-we-win | why-we-lose | objections | landmines | pricing | proof;
    /// without --text, $EDITOR opens on it
    Edit {
        key: String,
        section: String,
        #[arg(long, allow_hyphen_values = true)]
        text: Option<String>,
    },
    /// Record a competitor launch: the card is stale until refreshed after it
    Launched {
        key: String,
        /// 2026-11-02, today, +3d
        #[arg(long)]
        date: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Competitors with win rate, trend, n, card age and owner (text or json)
    List {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct WinlossArgs {
    /// 2026-Q4 (default: this quarter), 2026-11, 2026-W47; compared with the period before
    #[arg(long)]
    period: Option<String>,
    /// competitor | reason | segment
    #[arg(long)]
    by: Option<String>,
    #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Csv, Format::Json]))]
    format: Format,
}

pub fn run(env: &Context, cmd: CompeteCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let settings = env.config.compete;
    match cmd {
        CompeteCmd::Add { key, name, owner, segment } => {
            let new = NewCompetitor { key, name: name.unwrap_or_default(), owner: owner.unwrap_or_default(), segment };
            let c = store.write(|tx| tx.compete().add(&new, now))?;
            let seg = c.segment.as_deref().map(|s| format!(", segment {s}")).unwrap_or_default();
            print_text(&format!("added competitor {} ({}), card owned by {}{seg}\n", c.key, c.name, c.owner))
        }
        CompeteCmd::Card { key, format } => {
            let card = view::card(&store, &key, now.date(), &settings)?;
            match format {
                Format::Json => print_json(&card),
                Format::Markdown => print_raw(&card_markdown(&card)),
                Format::Text => print_text(&card_text(&card)),
                _ => Err(Error::input("compete card prints text, markdown or json")),
            }
        }
        CompeteCmd::Edit { key, section, text } => {
            let section = Section::parse(&section).context("SECTION")?;
            let card = store.compete().card(&key)?;
            let text = match text {
                Some(t) => t,
                None => {
                    let before = crate::domain::battlecard::current(&card.history)
                        .into_iter()
                        .find(|v| v.section == section)
                        .map(|v| v.text.clone())
                        .unwrap_or_else(|| starter(section));
                    let after = crate::io::editor::edit(&before)?;
                    if after.trim_end() == before.trim_end() {
                        return print_text(&format!(
                            "{} of {}: unchanged, nothing saved (--text confirms a section as it is)\n",
                            section, card.competitor.key
                        ));
                    }
                    after
                }
            };
            let v = store.write(|tx| tx.compete().edit_section(&key, section, &text, &env.config.user, now))?;
            print_text(&format!(
                "{} of {}: saved by {} at {} ({} characters)\n",
                v.section,
                card.competitor.key,
                v.by,
                v.at.format("%Y-%m-%d %H:%M"),
                v.text.chars().count()
            ))
        }
        CompeteCmd::Launched { key, date, note } => {
            let on = parse_human(&date, now.date()).context("--date")?;
            let (c, raised) =
                store.write(|tx| tx.compete().launched(&key, on, note.as_deref(), &env.config.user, now))?;
            let card = view::card(&store, &c.key, now.date(), &settings)?;
            let state = if card.stale {
                format!("its card is stale: refresh it ({} owns it)", c.owner)
            } else {
                format!("its card is stale from {on} unless refreshed after it")
            };
            print_text(&format!("{} launched on {on}; {state}\n{}", c.name, raised_lines(&raised)))
        }
        CompeteCmd::List { format } => {
            let list = view::list(&store, now.date(), &settings)?;
            match format {
                Format::Json => print_json(&list),
                Format::Text => print_text(&list_text(&list)),
                _ => Err(Error::input("compete list prints text or json")),
            }
        }
    }
}

/// What `$EDITOR` opens on for a section never written: for objections, the shape it must have.
fn starter(section: Section) -> String {
    match section {
        Section::Objections => "Objection: \nAnswer: \nProof: \n".into(),
        _ => String::new(),
    }
}

pub fn winloss(env: &Context, a: WinlossArgs) -> Result<()> {
    let store = env.open_store()?;
    let period = view::period_or_quarter(a.period.as_deref(), env.clock.now().date())?;
    let by = view::parse_by(a.by.as_deref())?;
    let w = view::winloss(&store, period, by)?;
    match a.format {
        Format::Json => print_json(&w),
        Format::Csv => print_raw(&winloss_csv(&w)?),
        Format::Text => print_text(&winloss_text(&w)),
        _ => Err(Error::input("winloss prints text, csv or json")),
    }
}
