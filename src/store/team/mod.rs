//! The team: people (matched case- and dash-insensitively), competencies (seeded, editable),
//! ratings with evidence (append-only), weekly time (one row per person and week), and who the
//! director is. `facts` reads what `team load` and mentor mode look at.
//!
//! Every write runs the domain's own check first (`domain::team`, `domain::allocation`), so the
//! command line and the cockpit refuse the same inputs with the same words; a refusal names the
//! field a form should focus.

mod facts;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

pub use self::facts::FactSet;
use super::tx::{Db, Read, Write};
use super::{fmt_day, fmt_instant, parse_day};
use crate::domain::allocation::{TimeEntry, WeekHours, parse_hours, parse_week};
use crate::domain::period::Period;
use crate::domain::team::{
    Competency, Level, Mark, Person, Rating, person_key, resolve_competency, resolve_person, validate_evidence,
    validate_person,
};
use crate::store::error::{Error, Result};

/// The `meta` key naming the director (whose launches do not count as the team's).
pub const DIRECTOR_KEY: &str = "director";

/// A domain refusal, marked with the form field it is about.
pub(in crate::store) fn refuse(e: impl std::fmt::Display, field: &'static str) -> Error {
    Error::Domain(crate::domain::error::Error::input(e.to_string()).in_field(field))
}

/// A new member as typed: the level and manager still text, checked by [`Team::add_person`].
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub key: String,
    pub name: String,
    pub level: String,
    pub manager: Option<String>,
}

/// A rating as typed: who, in what, at which level, and the evidence.
#[derive(Debug, Clone, Default)]
pub struct RatingInput {
    pub person: String,
    pub competency: String,
    pub level: String,
    pub evidence: String,
}

/// What a rating recorded, in the words a face confirms it with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rated {
    pub person: Person,
    pub competency: Competency,
    pub level: Level,
    pub mark: Mark,
    pub day: NaiveDate,
}

/// One week logged for one person; `replaced` when that week had been logged before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logged {
    pub person: Person,
    #[serde(serialize_with = "as_name")]
    pub week: Period,
    pub hours: WeekHours,
    pub replaced: bool,
}

fn as_name<S: serde::Serializer>(p: &Period, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(p)
}

fn level_of(s: &str) -> rusqlite::Result<Level> {
    Level::parse(s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// `store.team()` reads people, competencies, ratings and time; `tx.team()` also writes them.
pub struct Team<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Team<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Team { db }
    }

    /// Everyone on the team, in the order they were added.
    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT p.key, p.name, p.level, m.key FROM person p LEFT JOIN person m ON m.id = p.manager_id ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Person {
                key: r.get(0)?,
                name: r.get(1)?,
                level: level_of(&r.get::<_, String>(2)?)?,
                manager: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The competencies in use (retired ones stay in the store, out of the matrix), in order.
    pub fn competencies(&self) -> Result<Vec<Competency>> {
        let mut stmt = self
            .db
            .conn()
            .prepare_cached("SELECT slug, label FROM competency WHERE retired_at IS NULL ORDER BY position, id")?;
        let rows = stmt.query_map([], |r| Ok(Competency { slug: r.get(0)?, label: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every rating in the order written (the matrix takes the latest per day, then per entry).
    pub fn ratings(&self) -> Result<Vec<Rating>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT p.key, c.slug, r.level, r.evidence, r.day FROM rating r
             JOIN person p ON p.id = r.person_id JOIN competency c ON c.id = r.competency_id ORDER BY r.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Rating {
                person: r.get(0)?,
                competency: r.get(1)?,
                level: level_of(&r.get::<_, String>(2)?)?,
                evidence: r.get(3)?,
                date: parse_day(&r.get::<_, String>(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every logged week, oldest first.
    pub fn time_entries(&self) -> Result<Vec<TimeEntry>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT p.key, t.week, t.core_h, t.systems_h, t.exploration_h FROM time_entry t
             JOIN person p ON p.id = t.person_id ORDER BY t.week, p.id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (person, week, core, systems, exploration) = row?;
            // Written through `parse_week`, so always a week; a row edited by hand is skipped, not guessed.
            let Ok(week) = parse_week(&week) else { continue };
            out.push(TimeEntry { person, week, hours: WeekHours { core, systems, exploration } });
        }
        Ok(out)
    }

    /// Who the director is, when the store names them (`mktg team director NAME`; the demo sets it).
    pub fn director(&self) -> Result<Option<String>> {
        Ok(self
            .db
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [DIRECTOR_KEY], |r| r.get::<_, String>(0))
            .optional()?
            .filter(|s| !s.trim().is_empty()))
    }

    fn person_id(&self, key: &str) -> Result<Option<i64>> {
        Ok(self
            .db
            .conn()
            .query_row("SELECT id FROM person WHERE key_norm = ?1", [person_key(key)], |r| r.get(0))
            .optional()?)
    }

    fn competency_id(&self, slug: &str) -> Result<i64> {
        self.db
            .conn()
            .query_row("SELECT id FROM competency WHERE slug = ?1", [slug], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::input(format!("no competency '{slug}'")))
    }

    /// The member `given` names (key or name, any case or dash), or the refusal naming the field.
    pub fn resolve(&self, given: &str, field: &'static str) -> Result<Person> {
        let people = self.people()?;
        resolve_person(given, &people).cloned().map_err(|e| refuse(e, field))
    }
}

impl Team<'_, Write> {
    /// Add a member: key and name required, the level one of four, the manager on the team already.
    pub fn add_person(&self, p: &PersonInput, now: NaiveDateTime) -> Result<Person> {
        let key = p.key.trim();
        let name = p.name.trim();
        let manager = p.manager.as_deref().map(str::trim).filter(|m| !m.is_empty());
        // validate_person checks the key, then the name, then the manager: the first that fails is the field.
        let field = if key.is_empty() {
            "key"
        } else if name.is_empty() {
            "name"
        } else {
            "manager"
        };
        validate_person(key, name, manager).map_err(|e| refuse(e, field))?;
        let level = Level::parse(&p.level).map_err(|e| refuse(e, "level"))?;
        if let Some(existing) = self.people()?.into_iter().find(|x| person_key(&x.key) == person_key(key)) {
            return Err(refuse(format!("'{}' is already on the team ({})", existing.key, existing.name), "key"));
        }
        let manager_id = match manager {
            Some(m) => {
                let person = self.resolve(m, "manager")?;
                self.person_id(&person.key)?
            }
            None => None,
        };
        self.db.conn().execute(
            "INSERT INTO person(key, key_norm, name, level, manager_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key, person_key(key), name, level.slug(), manager_id, fmt_instant(now)],
        )?;
        let manager = match manager_id {
            Some(id) => Some(self.db.conn().query_row("SELECT key FROM person WHERE id = ?1", [id], |r| r.get(0))?),
            None => None,
        };
        Ok(Person { key: key.to_string(), name: name.to_string(), level, manager })
    }

    /// Rate a member in a competency on `day`, with the evidence that shows it.
    pub fn rate(&self, r: &RatingInput, day: NaiveDate, now: NaiveDateTime) -> Result<Rated> {
        let person = self.resolve(&r.person, "person")?;
        let competencies = self.competencies()?;
        let competency = resolve_competency(&r.competency, &competencies).map_err(|e| refuse(e, "competency"))?.clone();
        let level = Level::parse(&r.level).map_err(|e| refuse(e, "level"))?;
        let evidence = validate_evidence(&r.evidence).map_err(|e| refuse(e, "evidence"))?;
        let person_id = self.person_id(&person.key)?.ok_or_else(|| Error::input("that person is gone"))?;
        self.db.conn().execute(
            "INSERT INTO rating(person_id, competency_id, level, evidence, day, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![person_id, self.competency_id(&competency.slug)?, level.slug(), evidence, fmt_day(day), fmt_instant(now)],
        )?;
        let mark = Mark::of(level, person.level);
        Ok(Rated { person, competency, level, mark, day })
    }

    /// Log a week: `core=H systems=H exploration=H`, all three. Logging the same week again replaces it.
    pub fn log_time<S: AsRef<str>>(&self, person: &str, week: &str, hours: &[S], now: NaiveDateTime) -> Result<Logged> {
        let person = self.resolve(person, "person")?;
        let week = parse_week(week).map_err(|e| refuse(e, "week"))?;
        let parsed = parse_hours(hours).map_err(|e| refuse(e, "hours"))?;
        let id = self.person_id(&person.key)?.ok_or_else(|| Error::input("that person is gone"))?;
        let tx = self.db.conn();
        let replaced: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM time_entry WHERE person_id = ?1 AND week = ?2)",
            params![id, week.to_string()],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO time_entry(person_id, week, core_h, systems_h, exploration_h, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(person_id, week) DO UPDATE SET core_h = excluded.core_h, systems_h = excluded.systems_h,
                 exploration_h = excluded.exploration_h, updated_at = excluded.updated_at",
            params![id, week.to_string(), parsed.core, parsed.systems, parsed.exploration, fmt_instant(now)],
        )?;
        Ok(Logged { person, week, hours: parsed, replaced })
    }

    /// A new competency, after the seeded seven.
    pub fn add_competency(&self, label: &str) -> Result<Competency> {
        let c = Competency::from_label(label).map_err(|e| refuse(e, "competency"))?;
        let tx = self.db.conn();
        let retired: Option<Option<String>> =
            tx.query_row("SELECT retired_at FROM competency WHERE slug = ?1", [&c.slug], |r| r.get(0)).optional()?;
        match retired {
            Some(None) => return Err(refuse(format!("'{}' is already a competency", c.slug), "competency")),
            // Bringing a retired one back keeps its ratings.
            Some(Some(_)) => {
                tx.execute(
                    "UPDATE competency SET retired_at = NULL, label = ?2 WHERE slug = ?1",
                    params![c.slug, c.label],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO competency(slug, label, position)
                     VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM competency))",
                    params![c.slug, c.label],
                )?;
            }
        }
        Ok(c)
    }

    /// Rename a competency's label; its slug (what ratings point at) stays.
    pub fn rename_competency(&self, given: &str, label: &str) -> Result<Competency> {
        let list = self.competencies()?;
        let c = resolve_competency(given, &list).map_err(|e| refuse(e, "competency"))?.clone();
        let label = label.trim();
        if label.is_empty() {
            return Err(refuse("the new label is empty", "label"));
        }
        self.db.conn().execute("UPDATE competency SET label = ?2 WHERE slug = ?1", params![c.slug, label])?;
        Ok(Competency { slug: c.slug, label: label.to_string() })
    }

    /// Take a competency out of the matrix; its ratings stay in the store.
    pub fn retire_competency(&self, given: &str, now: NaiveDateTime) -> Result<Competency> {
        let list = self.competencies()?;
        let c = resolve_competency(given, &list).map_err(|e| refuse(e, "competency"))?.clone();
        self.db
            .conn()
            .execute("UPDATE competency SET retired_at = ?2 WHERE slug = ?1", params![c.slug, fmt_instant(now)])?;
        Ok(c)
    }

    /// Name the director: launches they own do not count as run by the team.
    pub fn set_director(&self, name: &str) -> Result<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(refuse("the director's name is empty", "director"));
        }
        self.db.conn().execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![DIRECTOR_KEY, name],
        )?;
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests;
