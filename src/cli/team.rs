//! `team add | rate | matrix | time | allocation | load | competency | director` and `mentor`.

use clap::{Args, Subcommand};

use super::formats;
use crate::context::Context;
use crate::domain::period::Period;
use crate::domain::team::off_team_note;
use crate::domain::text::safe;
use crate::error::{Context as _, Result};
use crate::io::export::mentor::{load_text, mentor_text};
use crate::io::export::team::{allocation_text, csv_matrix, markdown, text};
use crate::output::{Format, print_json, print_raw, print_text};
use crate::store::Store;
use crate::store::team::{PersonInput, RatingInput};
use crate::views::team as view;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum TeamCmd {
    /// Add a member of the team (their key is what owner fields hold)
    Add {
        key: String,
        #[arg(long)]
        name: String,
        /// junior | pmm | senior | staff
        #[arg(long)]
        level: String,
        /// The manager's key (on the team already)
        #[arg(long)]
        manager: Option<String>,
    },
    /// Rate a member in a competency, with the evidence that shows it
    Rate {
        person: String,
        competency: String,
        /// junior | pmm | senior | staff
        level: String,
        #[arg(long)]
        evidence: String,
    },
    /// The skills matrix: people × competencies, marked above (▲) or below (▼) their level
    Matrix {
        /// One person's row only (for a 1:1)
        #[arg(long)]
        person: Option<String>,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Markdown, Format::Csv, Format::Json]))]
        format: Format,
    },
    /// Log a week: core=H systems=H exploration=H (logging it again replaces it)
    Time {
        person: String,
        /// 2026-W47
        week: String,
        #[arg(required = true, num_args = 1.., value_name = "BUCKET=HOURS")]
        hours: Vec<String>,
    },
    /// Time per person and for the team against 70/20/10
    Allocation {
        /// 2026-11, 2026-Q4, 2026-W47, or all (every week logged); default: this month, as the Team tab
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
    /// Open items per owner, overdue among them, and the director's autonomy
    Load {
        #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
        format: Format,
    },
    /// The competencies of the matrix: add, rename, retire
    #[command(subcommand)]
    Competency(CompetencyCmd),
    /// Who the director is (their launches do not count as run by the team); no NAME prints it
    Director { name: Option<String> },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum CompetencyCmd {
    /// Add a competency after the seeded seven
    Add { label: String },
    /// Rename a competency's label (its ratings stay)
    Rename { competency: String, label: String },
    /// Take a competency out of the matrix (its ratings stay in the store)
    Retire { competency: String },
}

#[derive(Debug, Args)]
pub struct MentorArgs {
    #[arg(long, default_value = "text", value_parser = formats::of(&[Format::Text, Format::Json]))]
    format: Format,
}

/// Say, on stderr, that `owner` is not on the team (accepted as written). Every owner flag of
/// every command goes through this, so the note reads the same everywhere.
pub(super) fn note_owner(env: &Context, store: &Store, owner: &str) -> Result<()> {
    if view::is_director(owner, &view::director(store, &env.config)?) {
        return Ok(());
    }
    if let Some(note) = off_team_note(owner, &store.team().people()?) {
        eprintln!("{}", safe(&note));
    }
    Ok(())
}

pub fn run(env: &Context, cmd: TeamCmd) -> Result<()> {
    let store = env.open_store()?;
    let now = env.clock.now();
    let today = now.date();
    match cmd {
        TeamCmd::Add { key, name, level, manager } => {
            let input = PersonInput { key, name, level, manager };
            let p = store.write(|tx| tx.team().add_person(&input, now))?;
            let manager = p.manager.as_deref().map(|m| format!(", reports to {m}")).unwrap_or_default();
            print_text(&format!("added {} ({}, {}){manager}\n", p.key, p.name, p.level.label()))
        }
        TeamCmd::Rate { person, competency, level, evidence } => {
            let input = RatingInput { person, competency, level, evidence };
            let r = store.write(|tx| tx.team().rate(&input, today, now))?;
            let mark = match r.mark {
                crate::domain::team::Mark::PromotionEvidence => ": above their level, promotion evidence ▲",
                crate::domain::team::Mark::CoachingFocus => ": below their level, coaching focus ▼",
                crate::domain::team::Mark::AtLevel => ": at their level",
            };
            print_text(&format!(
                "rated {} {} in {} on {}{mark}\n",
                r.person.name,
                r.level.slug(),
                r.competency.label,
                r.day
            ))
        }
        TeamCmd::Matrix { person, format } => {
            let mut m = view::matrix(&store)?;
            if let Some(p) = person {
                let key = store.team().resolve(&p, "person").context("--person")?.key;
                m = m.for_person(&key).unwrap_or(m);
            }
            match format {
                Format::Json => print_json(&m),
                Format::Markdown => print_raw(&markdown(&m, today)),
                Format::Csv => print_raw(&csv_matrix(&m)?),
                _ => print_text(&text(&m, today)),
            }
        }
        TeamCmd::Time { person, week, hours } => {
            let logged = store.write(|tx| tx.team().log_time(&person, &week, &hours, now))?;
            let h = logged.hours;
            let again = if logged.replaced { " (replaced what was logged)" } else { "" };
            print_text(&format!(
                "logged {} for {}: core {}, systems {}, exploration {}{again}\n",
                logged.week,
                logged.person.name,
                crate::domain::allocation::format_hours(h.core),
                crate::domain::allocation::format_hours(h.systems),
                crate::domain::allocation::format_hours(h.exploration)
            ))
        }
        TeamCmd::Allocation { period, format } => {
            let v = match period.as_deref().map(str::trim) {
                None => view::allocation_this_month(&store, today)?,
                Some(p) if p.eq_ignore_ascii_case("all") => view::allocation(&store, None)?,
                Some(p) => view::allocation(&store, Some(&Period::parse(p).context("--period")?))?,
            };
            if format == Format::Json { print_json(&v) } else { print_text(&allocation_text(&v)) }
        }
        TeamCmd::Load { format } => {
            let v = view::load(&store, &env.config, today)?;
            if format == Format::Json { print_json(&v) } else { print_text(&load_text(&v)) }
        }
        TeamCmd::Competency(c) => {
            let msg = match c {
                CompetencyCmd::Add { label } => {
                    let c = store.write(|tx| tx.team().add_competency(&label))?;
                    format!("added competency {} ({})\n", c.label, c.slug)
                }
                CompetencyCmd::Rename { competency, label } => {
                    let c = store.write(|tx| tx.team().rename_competency(&competency, &label))?;
                    format!("renamed {} to {}\n", c.slug, c.label)
                }
                CompetencyCmd::Retire { competency } => {
                    let c = store.write(|tx| tx.team().retire_competency(&competency, now))?;
                    format!("retired {} from the matrix; its ratings stay in the store\n", c.label)
                }
            };
            print_text(&msg)
        }
        TeamCmd::Director { name } => match name {
            Some(n) => {
                let n = store.write(|tx| tx.team().set_director(&n))?;
                print_text(&format!("the director is {n}: launches they own do not count as run by the team\n"))
            }
            None => print_text(&format!("{}\n", view::director(&store, &env.config)?)),
        },
    }
}

pub fn mentor(env: &Context, a: MentorArgs) -> Result<()> {
    let store = env.open_store()?;
    let list = view::mentor(&store, &env.config, env.clock.now().date())?;
    if a.format == Format::Json { print_json(&list) } else { print_text(&mentor_text(&list)) }
}
