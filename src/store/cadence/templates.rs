//! Meeting templates: which apply on a day, and edits that apply from today on. An edit closes
//! the current row and opens a new one from today, so instances already held keep what they were.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::params;
use serde::Serialize;

use super::Cadence;
use super::{fmt_hhmm, json_list, parse_time};
use crate::domain::recurrence::Recurrence;
use crate::store::error::{Error, Result};
use crate::store::kpis::Kpis;
use crate::store::tx::Write;
use crate::store::{fmt_day, parse_day};

/// One row of a meeting template's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub id: i64,
    /// Stable across edits: `ad-review`.
    pub key: String,
    pub name: String,
    pub start: NaiveTime,
    pub minutes: u32,
    /// The stored rule text: `weekdays`, `biweekly:2026-01-06`...
    pub recurrence: String,
    pub checklist: Vec<String>,
    pub kpis: Vec<String>,
    /// `daily` cadence or `rhythm` (weekly..quarterly).
    pub kind: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Template {
    pub fn rule(&self) -> Option<Recurrence> {
        Recurrence::parse(&self.recurrence).ok()
    }
}

/// The editable parts of a template, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateEdit {
    pub name: String,
    pub start: String,
    pub minutes: String,
    pub recurrence: String,
    /// Items separated by `;`.
    pub checklist: String,
    /// Metric keys separated by `,` or spaces.
    pub kpis: String,
}

impl TemplateEdit {
    pub fn from_template(t: &Template) -> TemplateEdit {
        TemplateEdit {
            name: t.name.clone(),
            start: fmt_hhmm(t.start),
            minutes: t.minutes.to_string(),
            recurrence: t.recurrence.clone(),
            checklist: t.checklist.join("; "),
            kpis: t.kpis.join(", "),
        }
    }
}

const COLUMNS: &str =
    "id, key, name, start_time, duration_min, recurrence, checklist, kpis, kind, valid_from, valid_to";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Template> {
    Ok(Template {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        start: parse_time(&r.get::<_, String>(3)?).unwrap_or_default(),
        minutes: r.get(4)?,
        recurrence: r.get(5)?,
        checklist: json_list(&r.get::<_, String>(6)?),
        kpis: json_list(&r.get::<_, String>(7)?),
        kind: r.get(8)?,
        valid_from: parse_day(&r.get::<_, String>(9)?),
        valid_to: r.get::<_, Option<String>>(10)?.map(|s| parse_day(&s)),
    })
}

impl<M> Cadence<'_, M> {
    /// The template rows in force on `day` (whether or not they recur that day).
    pub fn templates_on(&self, day: NaiveDate) -> Result<Vec<Template>> {
        let mut stmt = self.db.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM meeting_template
             WHERE valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1) ORDER BY kind, position, start_time"
        ))?;
        let rows = stmt.query_map([fmt_day(day)], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The templates as they are now (open rows), daily cadence first.
    pub fn templates_current(&self) -> Result<Vec<Template>> {
        let mut stmt = self.db.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM meeting_template WHERE valid_to IS NULL ORDER BY kind, position, start_time"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Cadence<'_, Write> {
    /// Apply `edit` to the template `key` from `today` on. Past instances are never rewritten;
    /// today's instance, if already opened, takes the new name, time and length.
    pub fn edit_template(&self, key: &str, edit: &TemplateEdit, today: NaiveDate) -> Result<Template> {
        let name = edit.name.trim();
        if name.is_empty() {
            return Err(Error::input("a meeting needs a name"));
        }
        let start = parse_time(&edit.start)?;
        let minutes: u32 =
            edit.minutes.trim().parse().ok().filter(|m| (1..=24 * 60).contains(m)).ok_or_else(|| {
                Error::input(format!("'{}' is not a length in minutes (1-1440)", edit.minutes.trim()))
            })?;
        let rule = Recurrence::parse(&edit.recurrence)?;
        let checklist: Vec<String> =
            edit.checklist.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        let mut kpis = Vec::new();
        for k in edit.kpis.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
            kpis.push(Kpis::new(self.db).metric(k)?.key);
        }
        let current = self
            .templates_current()?
            .into_iter()
            .find(|t| t.key == key)
            .ok_or_else(|| Error::input(format!("no meeting template '{key}'")))?;
        let checklist_json = serde_json::to_string(&checklist).map_err(|e| Error::system(e.to_string()))?;
        let kpis_json = serde_json::to_string(&kpis).map_err(|e| Error::system(e.to_string()))?;
        let new_id = {
            let tx = self.db.conn();
            let day = fmt_day(today);
            let id = if current.valid_from >= today {
                // Already edited today: this row has no past to protect.
                tx.execute(
                    "UPDATE meeting_template SET name = ?2, start_time = ?3, duration_min = ?4, recurrence = ?5,
                            checklist = ?6, kpis = ?7 WHERE id = ?1",
                    params![current.id, name, fmt_hhmm(start), minutes, rule.to_rule(), checklist_json, kpis_json],
                )?;
                current.id
            } else {
                tx.execute("UPDATE meeting_template SET valid_to = ?2 WHERE id = ?1", params![current.id, day])?;
                tx.execute(
                    "INSERT INTO meeting_template(key, name, start_time, duration_min, recurrence, checklist, kpis,
                                                 kind, valid_from, position)
                     SELECT key, ?2, ?3, ?4, ?5, ?6, ?7, kind, ?8, position FROM meeting_template WHERE id = ?1",
                    params![current.id, name, fmt_hhmm(start), minutes, rule.to_rule(), checklist_json, kpis_json, day],
                )?;
                tx.last_insert_rowid()
            };
            tx.execute(
                "UPDATE meeting_instance SET name = ?3, start_time = ?4, duration_min = ?5
                 WHERE day = ?2 AND template_id IN (SELECT id FROM meeting_template WHERE key = ?1)",
                params![key, day, name, fmt_hhmm(start), minutes],
            )?;
            Ok::<_, Error>(id)
        }?;
        self.templates_current()?
            .into_iter()
            .find(|t| t.id == new_id)
            .ok_or_else(|| Error::system(format!("template '{key}' vanished while editing")))
    }
}
