//! `team matrix`, `team allocation`, `team load` and `mentor`: the readouts the command line
//! prints with `--format json`, the MCP tools `team_load` and `mentor` return, and the Team tab
//! and the attention list draw. Each is the domain's computation over the store's facts.

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::domain::allocation::{AllocationReport, allocation as split_time};
use crate::domain::mentor::autonomy::{Autonomy, autonomy};
use crate::domain::mentor::{Challenge, LoadReport, challenges_for, team_load};
use crate::domain::period::{Grain, Period};
use crate::domain::team::{Matrix, matrix as build_matrix, person_key};
use crate::store::Store;
use crate::store::error::Result;
use crate::store::team::FactSet;

/// People × competencies with the latest demonstrated level and its mark.
pub fn matrix(store: &Store) -> Result<Matrix> {
    let t = store.team();
    Ok(build_matrix(&t.people()?, &t.competencies()?, &t.ratings()?))
}

/// `team allocation`: per person and for the team, against 70/20/10.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllocationView {
    /// The period asked for (`2026-11`, `2026-Q4`, `2026-W47`); `null` means every week logged.
    pub period: Option<String>,
    #[serde(flatten)]
    pub report: AllocationReport,
}

/// `team allocation` and the Team tab's time panel unless told otherwise: this month's weeks (a
/// week counts in the month holding its Thursday), so both show the same split on the same day.
pub fn allocation_this_month(store: &Store, today: NaiveDate) -> Result<AllocationView> {
    allocation(store, Some(&Period::containing(Grain::Month, today)))
}

/// Over the weeks of `period`, or every week logged (`None`, `team allocation --period all`).
pub fn allocation(store: &Store, period: Option<&Period>) -> Result<AllocationView> {
    let t = store.team();
    let report = split_time(&t.people()?, &t.time_entries()?, period);
    Ok(AllocationView { period: period.map(|p| p.to_string()), report })
}

/// The director's autonomy measure, with whose launches do not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutonomyView {
    /// The director as owner fields name them (see [`director`]).
    pub director: String,
    #[serde(flatten)]
    pub autonomy: Autonomy,
}

/// `team load`: per owner (team first, in team order; then owners not on the team; then what
/// nobody owns), the team's median, and the director's autonomy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadView {
    #[serde(flatten)]
    pub load: LoadReport,
    /// The median of the members' open items; `null` without a team.
    pub team_median: Option<f64>,
    pub autonomy: AutonomyView,
}

/// Who the director is: the store's `team director` when set (the demo names Sam), else the
/// config's `[ui] user` (who ticks items and owns their own decisions).
pub fn director(store: &Store, config: &Config) -> Result<String> {
    Ok(store.team().director()?.unwrap_or_else(|| config.user.clone()))
}

pub fn load(store: &Store, config: &Config, today: NaiveDate) -> Result<LoadView> {
    Ok(load_from(&store.team().facts(today)?, &director(store, config)?))
}

/// The same readout from facts already read (the Team tab reads them once for load and mentor).
pub fn load_from(facts: &FactSet, director: &str) -> LoadView {
    let load = team_load(&facts.facts());
    let team_median = load.team_median();
    let autonomy = autonomy(&facts.launches, director, facts.today);
    LoadView { load, team_median, autonomy: AutonomyView { director: director.to_string(), autonomy } }
}

/// `mentor`: the questions a senior operator would raise today, each with its evidence and link.
pub fn mentor(store: &Store, config: &Config, today: NaiveDate) -> Result<Vec<Challenge>> {
    Ok(mentor_from(&store.team().facts(today)?, config, &director(store, config)?))
}

/// The director is not asked "who on the team answers for this?" about themselves
/// (`domain::mentor::challenges_for`).
pub fn mentor_from(facts: &FactSet, config: &Config, director: &str) -> Vec<Challenge> {
    challenges_for(&facts.facts(), &config.mentor.rules, director)
}

/// Whether `owner` is the director: never "not on the team" (see [`mentor_from`]).
pub fn is_director(owner: &str, director: &str) -> bool {
    !owner.trim().is_empty() && person_key(owner) == person_key(director)
}
