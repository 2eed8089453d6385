//! Experiments: their variants and weights, cumulative counts by day, and the decision that
//! closes one. `store.experiments()` reads; `tx.experiments()` also adds, records and decides.
//! The readout itself is the domain's (`domain::experiment::readout`), over what this returns.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::decisions::{NewDecision, insert_decision};
use super::tx::{Db, Read, Write};
use super::{fmt_day, fmt_instant, parse_day};
use crate::domain::error::Error as Refusal;
use crate::domain::experiment::{self, Counts, Settings, Variant};
use crate::domain::import::{Fact, ImportError};
use crate::domain::model::DecisionStatus;
use crate::domain::text::close_matches;
use crate::store::error::{Error, Result};

/// Where an experiment stands: still collecting, or decided (shipped, rolled back, iterated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Running,
    Decided,
}

impl Status {
    fn parse(s: &str) -> Status {
        if s == "decided" { Status::Decided } else { Status::Running }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Decided => "decided",
        }
    }
}

/// What `experiment decide` may do with an experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Ship,
    Rollback,
    Iterate,
}

impl Decision {
    pub fn parse(s: &str) -> std::result::Result<Decision, Refusal> {
        match s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
            "ship" => Ok(Decision::Ship),
            "rollback" => Ok(Decision::Rollback),
            "iterate" => Ok(Decision::Iterate),
            _ => Err(Refusal::input(format!("'{}' is not a decision (ship, rollback or iterate)", s.trim()))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Ship => "ship",
            Decision::Rollback => "rollback",
            Decision::Iterate => "iterate",
        }
    }
}

/// An experiment about to be added (variants from `experiment::parse_variants`).
#[derive(Debug, Clone, Default)]
pub struct NewExperiment {
    pub name: String,
    pub metric: String,
    pub hypothesis: String,
    pub owner: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub variants: Vec<Variant>,
}

/// A stored experiment with each variant's latest cumulative counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Experiment {
    pub id: i64,
    pub name: String,
    pub metric: String,
    pub hypothesis: String,
    pub owner: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub alpha: f64,
    pub status: Status,
    /// Control first.
    pub variants: Vec<Variant>,
    /// The latest day any count is for.
    pub counts_through: Option<NaiveDate>,
}

impl Experiment {
    pub fn settings(&self) -> Settings {
        Settings::with_alpha(self.alpha).unwrap_or_default()
    }

    /// The readout as of `today`, decided by the planned end.
    pub fn readout(&self, today: NaiveDate) -> experiment::Readout {
        experiment::readout(&self.variants, &self.settings(), self.end, today)
    }
}

/// What `experiment result` stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub variant: String,
    pub day: NaiveDate,
    /// The counts replaced for that day, if there were some.
    pub replaced: Option<(u64, u64)>,
}

/// One experiment result fact to check or write (from `experiment result` or an import).
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow<'a> {
    pub experiment: i64,
    pub position: i64,
    pub variant: &'a str,
    pub day: NaiveDate,
    pub visitors: u64,
    pub conversions: u64,
}

pub struct Experiments<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

pub use crate::domain::experiment::name_fold as fold;

fn refuse(e: impl std::fmt::Display) -> Error {
    Refusal::input(e.to_string()).into()
}

const SELECT: &str = "SELECT id, name, metric, hypothesis, owner, start_day, end_day, alpha, status FROM experiment";

fn experiment_row(r: &rusqlite::Row) -> rusqlite::Result<Experiment> {
    Ok(Experiment {
        id: r.get(0)?,
        name: r.get(1)?,
        metric: r.get(2)?,
        hypothesis: r.get(3)?,
        owner: r.get(4)?,
        start: r.get::<_, Option<String>>(5)?.map(|s| parse_day(&s)),
        end: r.get::<_, Option<String>>(6)?.map(|s| parse_day(&s)),
        alpha: r.get(7)?,
        status: Status::parse(&r.get::<_, String>(8)?),
        variants: Vec::new(),
        counts_through: None,
    })
}

/// Each variant of `id` with its latest counts (latest day, then latest written).
fn variants(conn: &Connection, id: i64) -> Result<(Vec<Variant>, Option<NaiveDate>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.name, v.weight, r.visitors, r.conversions, r.day FROM experiment_variant v
         LEFT JOIN experiment_result r ON r.id = (
             SELECT id FROM experiment_result WHERE experiment_id = v.experiment_id AND position = v.position
             ORDER BY day DESC, id DESC LIMIT 1)
         WHERE v.experiment_id = ?1 ORDER BY v.position",
    )?;
    let mut through: Option<NaiveDate> = None;
    let rows = stmt.query_map([id], |r| {
        let day: Option<String> = r.get(4)?;
        Ok((
            Variant {
                name: r.get(0)?,
                weight: r.get(1)?,
                visitors: r.get::<_, Option<i64>>(2)?.unwrap_or(0).max(0) as u64,
                conversions: r.get::<_, Option<i64>>(3)?.unwrap_or(0).max(0) as u64,
            },
            day.map(|d| parse_day(&d)),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (v, day) = row?;
        through = through.max(day);
        out.push(v);
    }
    Ok((out, through))
}

/// The counts of one variant on the nearest day before and after `day`, for the cumulative check.
fn neighbours(conn: &Connection, row: &ResultRow<'_>) -> Result<(Option<Counts>, Option<Counts>)> {
    let side = |sql: &str| -> Result<Option<Counts>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(params![row.experiment, row.position, fmt_day(row.day)], |r| {
                Ok(Counts {
                    day: parse_day(&r.get::<_, String>(0)?),
                    visitors: r.get::<_, i64>(1)?.max(0) as u64,
                    conversions: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })
            .optional()?)
    };
    let earlier = side(
        "SELECT day, visitors, conversions FROM experiment_result WHERE experiment_id = ?1 AND position = ?2
         AND day < ?3 ORDER BY day DESC, id DESC LIMIT 1",
    )?;
    let later = side(
        "SELECT day, visitors, conversions FROM experiment_result WHERE experiment_id = ?1 AND position = ?2
         AND day > ?3 ORDER BY day ASC, id DESC LIMIT 1",
    )?;
    Ok((earlier, later))
}

impl<'a, M> Experiments<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Experiments { db }
    }

    /// An experiment named by its id or its name (any case, dashes or spaces alike).
    pub fn resolve(&self, given: &str) -> Result<i64> {
        let given = given.trim().trim_start_matches('#');
        let conn = self.db.conn();
        if let Ok(id) = given.parse::<i64>() {
            let found: Option<i64> =
                conn.query_row("SELECT id FROM experiment WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            return found.ok_or_else(|| Error::input(format!("no experiment #{id} (mktg experiment list shows them)")));
        }
        let key = fold(given);
        let found: Option<i64> =
            conn.query_row("SELECT id FROM experiment WHERE name_key = ?1", [&key], |r| r.get(0)).optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
        let names: Vec<String> = conn
            .prepare_cached("SELECT name FROM experiment ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let near = close_matches(given, names.iter().map(String::as_str));
        let hint = if near.is_empty() {
            "mktg experiment list shows them".to_string()
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        Err(Error::input(format!("no experiment '{given}' ({hint})")))
    }

    pub fn get(&self, id: i64) -> Result<Experiment> {
        let conn = self.db.conn();
        let mut e = conn
            .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
            .query_row([id], experiment_row)
            .optional()?
            .ok_or_else(|| Error::input(format!("no experiment #{id}")))?;
        (e.variants, e.counts_through) = variants(conn, id)?;
        Ok(e)
    }

    /// Every experiment: running ones first, then by planned end, then newest.
    pub fn all(&self) -> Result<Vec<Experiment>> {
        let conn = self.db.conn();
        let mut list: Vec<Experiment> = conn
            .prepare_cached(&format!("{SELECT} ORDER BY status = 'decided', end_day IS NULL, end_day, id DESC"))?
            .query_map([], experiment_row)?
            .collect::<rusqlite::Result<_>>()?;
        for e in &mut list {
            (e.variants, e.counts_through) = variants(conn, e.id)?;
        }
        Ok(list)
    }

    /// The variant of experiment `id` called `name` (any case, dashes alike): its position.
    pub fn variant_position(&self, id: i64, name: &str) -> Result<(i64, String)> {
        let rows: Vec<(i64, String)> = self
            .db
            .conn()
            .prepare_cached("SELECT position, name FROM experiment_variant WHERE experiment_id = ?1 ORDER BY position")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let key = fold(name);
        if let Some(found) = rows.iter().find(|(_, n)| fold(n) == key) {
            return Ok(found.clone());
        }
        let known: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
        Err(Error::input(format!("experiment #{id} has no variant '{}' (it has {})", name.trim(), known.join(", "))))
    }

    /// Is `row` consistent with the counts already stored for its variant (cumulative)?
    pub fn check_result(&self, row: &ResultRow<'_>) -> Result<()> {
        experiment::check_counts(row.visitors, row.conversions).map_err(refuse)?;
        let (earlier, later) = neighbours(self.db.conn(), row)?;
        let new = Counts { day: row.day, visitors: row.visitors, conversions: row.conversions };
        experiment::check_cumulative(row.variant, new, earlier, later).map_err(refuse)
    }

    /// The decisions logged about experiment `id`, newest first: (id, title, status).
    pub fn decisions(&self, id: i64) -> Result<Vec<(i64, String, DecisionStatus)>> {
        Ok(self
            .db
            .conn()
            .prepare_cached("SELECT id, title, status FROM decision WHERE experiment_id = ?1 ORDER BY id DESC")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

impl Experiments<'_, Write> {
    /// Add an experiment with its variants; returns its id. Names are unique, any case.
    pub fn add(&self, e: &NewExperiment, now: NaiveDateTime) -> Result<i64> {
        let name = e.name.trim();
        if name.is_empty() {
            return Err(Refusal::input("an experiment needs a name").in_field("name").into());
        }
        if e.metric.trim().is_empty() {
            return Err(Refusal::input("an experiment needs its metric (--metric), like signup-rate")
                .in_field("metric")
                .into());
        }
        if let (Some(s), Some(end)) = (e.start, e.end)
            && end < s
        {
            return Err(Refusal::input(format!("it ends ({end}) before it starts ({s})")).in_field("end").into());
        }
        if e.variants.len() < 2 {
            return Err(refuse(experiment::ExperimentError::TooFewVariants(e.variants.len())));
        }
        // Variants are named on the command line as `new-headline`: two that fold alike are one.
        for (i, v) in e.variants.iter().enumerate() {
            if e.variants[..i].iter().any(|w| fold(&w.name) == fold(&v.name)) {
                return Err(refuse(experiment::ExperimentError::DuplicateVariant(v.name.clone())));
            }
        }
        let conn = self.db.conn();
        let key = fold(name);
        let taken: Option<i64> =
            conn.query_row("SELECT id FROM experiment WHERE name_key = ?1", [&key], |r| r.get(0)).optional()?;
        if let Some(id) = taken {
            return Err(Refusal::input(format!("an experiment named '{name}' exists already (#{id})"))
                .in_field("name")
                .into());
        }
        conn.execute(
            "INSERT INTO experiment(name, name_key, metric, hypothesis, owner, start_day, end_day, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                name,
                key,
                e.metric.trim(),
                e.hypothesis.trim(),
                e.owner.trim(),
                e.start.map(fmt_day),
                e.end.map(fmt_day),
                fmt_instant(now)
            ],
        )?;
        let id = conn.last_insert_rowid();
        let mut ins = conn.prepare_cached(
            "INSERT INTO experiment_variant(experiment_id, position, name, weight) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, v) in e.variants.iter().enumerate() {
            ins.execute(params![id, i as i64, v.name.trim(), v.weight])?;
        }
        Ok(id)
    }

    /// `experiment result ID VARIANT --visitors N --conversions K [--date D]`: cumulative counts
    /// as of `day`, checked against the days around it. A second result for the same day
    /// replaces the first.
    pub fn record(
        &self,
        id: i64,
        variant: &str,
        visitors: u64,
        conversions: u64,
        day: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Recorded> {
        let (position, name) = self.variant_position(id, variant)?;
        let row = ResultRow { experiment: id, position, variant: &name, day, visitors, conversions };
        self.check_result(&row)?;
        let conn = self.db.conn();
        let replaced: Option<(i64, i64)> = conn
            .query_row(
                "SELECT visitors, conversions FROM experiment_result WHERE experiment_id = ?1 AND position = ?2
                 AND day = ?3 ORDER BY id DESC LIMIT 1",
                params![id, position, fmt_day(day)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        self.insert_result(&row, None, None, now)?;
        Ok(Recorded { variant: name, day, replaced: replaced.map(|(v, c)| (v.max(0) as u64, c.max(0) as u64)) })
    }

    /// Write one checked result row, from a command (no import) or an import (with its key).
    pub(in crate::store) fn insert_result(
        &self,
        row: &ResultRow<'_>,
        import_id: Option<i64>,
        source_key: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<()> {
        self.db.conn().prepare_cached(
            "INSERT INTO experiment_result(experiment_id, position, day, visitors, conversions, import_id, source_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.experiment,
            row.position,
            fmt_day(row.day),
            row.visitors as i64,
            row.conversions as i64,
            import_id,
            source_key,
            fmt_instant(now)
        ])?;
        Ok(())
    }

    /// `experiment decide ID ship|rollback|iterate --reason T`: a decision linked to the
    /// experiment, decided now and owned by the experiment's owner (or `user`), whose risk is
    /// `risk` (the readout's risk of doing nothing, in words); the experiment is then decided.
    pub fn decide(
        &self,
        id: i64,
        what: Decision,
        reason: &str,
        risk: &str,
        user: &str,
        now: NaiveDateTime,
    ) -> Result<i64> {
        let e = self.get(id)?;
        if e.status == Status::Decided {
            let last = self.decisions(id)?.into_iter().next().map(|d| format!(" (decision #{})", d.0));
            return Err(Error::input(format!(
                "experiment #{id} '{}' is decided already{}; nothing changed",
                e.name,
                last.unwrap_or_default()
            )));
        }
        if reason.trim().is_empty() {
            return Err(Refusal::input("a decision needs its reason (--reason), so others can follow it")
                .in_field("reason")
                .into());
        }
        let verb = match what {
            Decision::Ship => "Ship",
            Decision::Rollback => "Roll back",
            Decision::Iterate => "Iterate on",
        };
        let owner = if e.owner.trim().is_empty() { user } else { e.owner.as_str() };
        let d = NewDecision {
            title: format!("{verb} experiment '{}'", e.name),
            owner: owner.to_string(),
            recommendation: reason.trim().to_string(),
            risk: risk.to_string(),
            status: Some(DecisionStatus::Decided),
            ..NewDecision::default()
        };
        let conn = self.db.conn();
        let decision = insert_decision(conn, &d, now)?;
        conn.execute("UPDATE decision SET experiment_id = ?1 WHERE id = ?2", [id, decision])?;
        conn.execute("UPDATE experiment SET status = 'decided' WHERE id = ?1", [id])?;
        Ok(decision)
    }
}

/// (experiment id, variant position, variant name), or the one line that says why not.
type Target = std::result::Result<(i64, i64, String), String>;
/// A variant's stored days: day => (visitors, conversions, the file line that set them, if one did).
type Days = std::collections::BTreeMap<NaiveDate, (u64, u64, Option<usize>)>;

/// The experiment and variant an imported row names, found once per spelling.
#[derive(Default)]
pub(in crate::store) struct ImportTargets {
    found: std::collections::HashMap<(String, String), Target>,
}

impl ImportTargets {
    /// (experiment id, variant position, variant name), or the one line that says why not.
    pub(in crate::store) fn resolve(&mut self, conn: &Connection, experiment: &str, variant: &str) -> Result<Target> {
        let key = (fold(experiment), fold(variant));
        if let Some(r) = self.found.get(&key) {
            return Ok(r.clone());
        }
        let handle = Experiments::new(Db::read(conn));
        let found = match handle.resolve(experiment) {
            Ok(id) => match handle.variant_position(id, variant) {
                Ok((position, name)) => Ok((id, position, name)),
                Err(e) if e.kind() == crate::domain::error::Kind::Input => Err(e.to_string()),
                Err(e) => return Err(e),
            },
            Err(e) if e.kind() == crate::domain::error::Kind::Input => Err(e.to_string()),
            Err(e) => return Err(e),
        };
        self.found.insert(key, found.clone());
        Ok(found)
    }
}

/// What is wrong with an experiment-csv's rows as the store sees them, one problem per row: an
/// experiment or variant it does not have, a day still to come, or counts that would stop being
/// cumulative (against the stored days and the file's other rows; the file's row wins its day).
pub(in crate::store) fn import_problems(
    conn: &Connection,
    facts: &[Fact],
    today: NaiveDate,
) -> Result<Vec<ImportError>> {
    let mut targets = ImportTargets::default();
    let mut problems = Vec::new();
    let mut by_variant: std::collections::HashMap<(i64, i64), (String, Days)> = std::collections::HashMap::new();
    for f in facts {
        let Fact::Experiment { line, experiment, variant, day, visitors, conversions, .. } = f else { continue };
        let day = day.unwrap_or(today);
        if day > today {
            problems.push(ImportError::new(*line, "date", format!("{day} is in the future: counts are to date")));
            continue;
        }
        let (id, position, name) = match targets.resolve(conn, experiment, variant)? {
            Ok(t) => t,
            Err(why) => {
                problems.push(ImportError::new(*line, "experiment", why));
                continue;
            }
        };
        let entry = match by_variant.entry((id, position)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert((name, stored_days(conn, id, position)?)),
        };
        entry.1.insert(day, (*visitors, *conversions, Some(*line)));
    }
    for (name, days) in by_variant.values() {
        let mut before: Option<(NaiveDate, u64, u64, Option<usize>)> = None;
        for (&day, &(v, c, line)) in days {
            if let Some((d0, v0, c0, line0)) = before
                && (v < v0 || c < c0)
                && let Some(at) = line.or(line0)
            {
                let e = experiment::check_cumulative(
                    name,
                    Counts { day, visitors: v, conversions: c },
                    Some(Counts { day: d0, visitors: v0, conversions: c0 }),
                    None,
                )
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
                problems.push(ImportError::new(at, "visitors", e));
            }
            before = Some((day, v, c, line));
        }
    }
    problems.sort_by_key(|p| p.line);
    Ok(problems)
}

/// Each stored day's latest counts of one variant.
fn stored_days(conn: &Connection, id: i64, position: i64) -> Result<Days> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, visitors, conversions FROM experiment_result WHERE experiment_id = ?1 AND position = ?2
         ORDER BY day, id",
    )?;
    let rows = stmt.query_map([id, position], |r| {
        Ok((parse_day(&r.get::<_, String>(0)?), r.get::<_, i64>(1)?.max(0) as u64, r.get::<_, i64>(2)?.max(0) as u64))
    })?;
    let mut out = std::collections::BTreeMap::new();
    for row in rows {
        let (d, v, c) = row?;
        out.insert(d, (v, c, None));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
