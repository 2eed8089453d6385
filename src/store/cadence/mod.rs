//! Meetings: the day's agenda from the templates' recurrence, dated instances with checklists
//! and notes, skip / move / one-off. Templates and their edits live in `templates`, the small
//! KPI read a meeting shows in `kpis`.

mod kpis;
mod next;
mod templates;

pub use kpis::MeetingKpi;
pub use next::NEXT_HORIZON_DAYS;
pub use templates::{Template, TemplateEdit};

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::tx::{Db, Read, Write};
use super::{fmt_day, fmt_instant, parse_day};
use crate::domain::feeds::{AgendaItem, agenda_focus};
use crate::domain::model::MeetingStatus;
use crate::store::error::{Error, Result};

/// One checklist line of a meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistItem {
    pub position: i64,
    pub label: String,
    pub done: bool,
    /// Set when the item was left open in an earlier session: the day it was first due.
    pub carried_from: Option<NaiveDate>,
}

/// A dated meeting as the meeting view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub instance_id: i64,
    pub template_id: Option<i64>,
    /// The template's stable key; `None` for a one-off.
    pub key: Option<String>,
    pub day: NaiveDate,
    pub name: String,
    pub start: NaiveTime,
    pub minutes: u32,
    pub status: MeetingStatus,
    pub notes: String,
    pub items: Vec<ChecklistItem>,
    /// Metric keys shown beside the meeting.
    pub kpis: Vec<String>,
}

pub use crate::domain::dates::parse_time;

fn fmt_hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// `store.cadence()` reads the agenda, meetings and templates; `tx.cadence()` also opens, ticks,
/// moves and edits them.
pub struct Cadence<'a, M = Read> {
    pub(super) db: Db<'a, M>,
}

impl<'a, M> Cadence<'a, M> {
    pub(super) fn new(db: Db<'a, M>) -> Self {
        Cadence { db }
    }

    /// The meetings of `day` in time order: instances already held, opened, moved, skipped
    /// or added as one-offs, plus the templates recurring that day that have no instance yet.
    pub fn agenda(&self, day: NaiveDate) -> Result<Vec<AgendaItem>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT i.id, i.template_id, t.key, i.name, i.start_time, i.duration_min, i.status,
                    (SELECT count(*) FROM meeting_item m WHERE m.instance_id = i.id AND m.done_at IS NOT NULL),
                    (SELECT count(*) FROM meeting_item m WHERE m.instance_id = i.id)
             FROM meeting_instance i LEFT JOIN meeting_template t ON t.id = i.template_id
             WHERE i.day = ?1",
        )?;
        let mut keys = HashSet::new();
        let mut items = Vec::new();
        let rows = stmt.query_map([fmt_day(day)], |r| {
            Ok((
                r.get::<_, Option<String>>(2)?,
                AgendaItem {
                    instance_id: r.get(0)?,
                    template_id: r.get(1)?,
                    name: r.get(3)?,
                    start: parse_time(&r.get::<_, String>(4)?).unwrap_or_default(),
                    minutes: r.get(5)?,
                    status: r.get(6)?,
                    items_done: r.get::<_, i64>(7)? as usize,
                    items_total: r.get::<_, i64>(8)? as usize,
                },
            ))
        })?;
        for row in rows {
            let (key, item) = row?;
            keys.extend(key);
            items.push(item);
        }
        // A template edited today has a closed row and a new one: the instance (of either) wins.
        for t in self.templates_on(day)? {
            if keys.contains(&t.key) || !t.rule().is_some_and(|r| r.occurs_on(day)) {
                continue;
            }
            let planned = merge_items(&t.checklist, carried_items(self.db.conn(), &t.key, day)?);
            items.push(AgendaItem {
                instance_id: None,
                template_id: Some(t.id),
                name: t.name.clone(),
                start: t.start,
                minutes: t.minutes,
                status: MeetingStatus::Scheduled,
                items_done: 0,
                items_total: planned.len(),
            });
        }
        items.sort_by(|a, b| (a.start, &a.name).cmp(&(b.start, &b.name)));
        Ok(items)
    }

    pub fn meeting(&self, instance_id: i64) -> Result<Meeting> {
        let row = self
            .db
            .conn()
            .query_row(
                "SELECT i.template_id, t.key, i.day, i.name, i.start_time, i.duration_min, i.status, i.notes, i.kpis
                 FROM meeting_instance i LEFT JOIN meeting_template t ON t.id = i.template_id WHERE i.id = ?1",
                [instance_id],
                |r| {
                    Ok(Meeting {
                        instance_id,
                        template_id: r.get(0)?,
                        key: r.get(1)?,
                        day: parse_day(&r.get::<_, String>(2)?),
                        name: r.get(3)?,
                        start: parse_time(&r.get::<_, String>(4)?).unwrap_or_default(),
                        minutes: r.get(5)?,
                        status: r.get(6)?,
                        notes: r.get(7)?,
                        items: Vec::new(),
                        kpis: json_list(&r.get::<_, String>(8)?),
                    })
                },
            )
            .optional()?;
        let mut m = row.ok_or_else(|| Error::input(format!("no meeting #{instance_id}")))?;
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT position, label, done_at IS NOT NULL, carried_from FROM meeting_item
             WHERE instance_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([instance_id], |r| {
            Ok(ChecklistItem {
                position: r.get(0)?,
                label: r.get(1)?,
                done: r.get(2)?,
                carried_from: r.get::<_, Option<String>>(3)?.map(|s| parse_day(&s)),
            })
        })?;
        m.items = rows.collect::<rusqlite::Result<_>>()?;
        Ok(m)
    }

    /// The checklist a template's session on `day` will have when opened (nothing is written).
    pub fn planned_items(&self, template_id: i64, day: NaiveDate) -> Result<Vec<ChecklistItem>> {
        let t: Option<(String, String)> = self
            .db
            .conn()
            .query_row("SELECT key, checklist FROM meeting_template WHERE id = ?1", [template_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((key, checklist)) = t else { return Ok(Vec::new()) };
        let planned = merge_items(&json_list(&checklist), carried_items(self.db.conn(), &key, day)?);
        Ok(planned
            .into_iter()
            .enumerate()
            .map(|(i, (label, carried_from))| ChecklistItem { position: i as i64, label, done: false, carried_from })
            .collect())
    }

    /// How many of a meeting's items are still open from an earlier session.
    pub fn carried_open(&self, item: &AgendaItem, day: NaiveDate) -> Result<usize> {
        if let Some(id) = item.instance_id {
            let n: i64 = self.db.conn().query_row(
                "SELECT count(*) FROM meeting_item WHERE instance_id = ?1 AND carried_from IS NOT NULL AND done_at IS NULL",
                [id],
                |r| r.get(0),
            )?;
            return Ok(n as usize);
        }
        let Some(tid) = item.template_id else { return Ok(0) };
        let key: Option<String> = self
            .db
            .conn()
            .query_row("SELECT key FROM meeting_template WHERE id = ?1", [tid], |r| r.get(0))
            .optional()?;
        match key {
            Some(k) => Ok(carried_items(self.db.conn(), &k, day)?.len()),
            None => Ok(0),
        }
    }
}

impl Cadence<'_, Write> {
    /// The meeting under way at `now` by the clock (skipped ones are not), its instance created
    /// if it has none yet. The one rule behind every decision made while a meeting is on: a
    /// decision logged with `d`, a budget move, a tier override and a gate override are all
    /// linked to the meeting this returns.
    pub fn meeting_under_way(&self, now: NaiveDateTime) -> Result<Option<i64>> {
        let day = now.date();
        let items = self.agenda(day)?;
        match agenda_focus(&items, now).current.and_then(|i| items.get(i)) {
            Some(item) => Ok(Some(self.open_meeting(item, day, now)?)),
            None => Ok(None),
        }
    }

    /// The instance for an agenda row, created (copying its template) if it has none yet.
    pub fn open_meeting(&self, item: &AgendaItem, day: NaiveDate, now: NaiveDateTime) -> Result<i64> {
        if let Some(id) = item.instance_id {
            return Ok(id);
        }
        let tid = item.template_id.ok_or_else(|| Error::input("that meeting has neither instance nor template"))?;
        ensure_instance(self.db.conn(), tid, day, now)
    }

    /// The meeting a decision is linked to, as `decision add --meeting` and the MCP tool
    /// `add_decision` name it: an instance id, or a template key or name meaning today's instance
    /// of it (created if needed). The one check behind both.
    pub fn resolve_meeting(&self, m: &str, now: NaiveDateTime) -> Result<i64> {
        if let Ok(id) = m.trim().parse::<i64>() {
            return Ok(self.meeting(id)?.instance_id);
        }
        self.meeting_for_today(m, now)
    }

    /// Today's instance of the template `key` (or whose name matches), created if needed.
    pub fn meeting_for_today(&self, key_or_name: &str, now: NaiveDateTime) -> Result<i64> {
        let day = now.date();
        let wanted = key_or_name.trim().to_lowercase();
        let agenda = self.agenda(day)?;
        let templates = self.templates_on(day)?;
        let key_of = |a: &AgendaItem| {
            a.template_id.and_then(|id| templates.iter().find(|t| t.id == id)).map(|t| t.key.to_lowercase())
        };
        let found = agenda.iter().find(|a| key_of(a).as_deref() == Some(wanted.as_str())).or_else(|| {
            agenda.iter().find(|a| a.name.to_lowercase() == wanted || a.name.to_lowercase().starts_with(&wanted))
        });
        match found {
            Some(a) => self.open_meeting(a, day, now),
            None => {
                let names: Vec<String> = agenda.iter().map(|a| a.name.clone()).collect();
                Err(Error::input(format!(
                    "no meeting '{}' today (today: {})",
                    key_or_name.trim(),
                    if names.is_empty() { "none".into() } else { names.join(", ") }
                )))
            }
        }
    }

    /// Tick or untick one checklist item; returns whether it is now done.
    pub fn toggle_item(&self, instance_id: i64, position: i64, now: NaiveDateTime) -> Result<bool> {
        let tx = self.db.conn();
        let n = tx.execute(
            "UPDATE meeting_item SET done_at = CASE WHEN done_at IS NULL THEN ?3 END
             WHERE instance_id = ?1 AND position = ?2",
            params![instance_id, position, fmt_instant(now)],
        )?;
        if n == 0 {
            return Err(Error::input(format!("meeting #{instance_id} has no item {position}")));
        }
        Ok(tx.query_row(
            "SELECT done_at IS NOT NULL FROM meeting_item WHERE instance_id = ?1 AND position = ?2",
            params![instance_id, position],
            |r| r.get(0),
        )?)
    }

    pub fn set_notes(&self, instance_id: i64, notes: &str) -> Result<()> {
        let tx = self.db.conn();
        tx.execute("UPDATE meeting_instance SET notes = ?2 WHERE id = ?1", params![instance_id, notes])?;
        Ok(())
    }

    /// Skip the meeting on its day, or bring a skipped one back; returns the new status.
    pub fn toggle_skip(&self, item: &AgendaItem, day: NaiveDate, now: NaiveDateTime) -> Result<MeetingStatus> {
        let id = self.open_meeting(item, day, now)?;
        let tx = self.db.conn();
        tx.execute(
            "UPDATE meeting_instance SET status = CASE status WHEN 'skipped' THEN 'scheduled' ELSE 'skipped' END
             WHERE id = ?1",
            [id],
        )?;
        Ok(tx.query_row("SELECT status FROM meeting_instance WHERE id = ?1", [id], |r| r.get(0))?)
    }

    /// Move the meeting to another time on its day (this day only; the template is unchanged).
    pub fn move_meeting(&self, item: &AgendaItem, day: NaiveDate, to: NaiveTime, now: NaiveDateTime) -> Result<i64> {
        let id = self.open_meeting(item, day, now)?;
        let tx = self.db.conn();
        tx.execute("UPDATE meeting_instance SET start_time = ?2 WHERE id = ?1", params![id, fmt_hhmm(to)])?;
        Ok(id)
    }

    /// A meeting on `day` only, with no template.
    pub fn add_one_off(
        &self,
        day: NaiveDate,
        name: &str,
        start: NaiveTime,
        minutes: u32,
        now: NaiveDateTime,
    ) -> Result<i64> {
        if name.trim().is_empty() {
            return Err(Error::input("a meeting needs a name"));
        }
        if minutes == 0 {
            return Err(Error::input("a meeting lasts at least one minute"));
        }
        let tx = self.db.conn();
        tx.execute(
            "INSERT INTO meeting_instance(template_id, day, name, start_time, duration_min, created_at)
             VALUES (NULL, ?1, ?2, ?3, ?4, ?5)",
            params![fmt_day(day), name.trim(), fmt_hhmm(start), minutes, fmt_instant(now)],
        )?;
        Ok(tx.last_insert_rowid())
    }
}

/// The items left open in the last session of `key` before `day` (carried ones keep their first day).
fn carried_items(conn: &Connection, key: &str, day: NaiveDate) -> Result<Vec<(String, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.label, coalesce(m.carried_from, i.day) FROM meeting_item m
         JOIN meeting_instance i ON i.id = m.instance_id
         WHERE m.done_at IS NULL AND i.id = (
            SELECT i2.id FROM meeting_instance i2 JOIN meeting_template t2 ON t2.id = i2.template_id
            WHERE t2.key = ?1 AND i2.day < ?2 AND i2.status <> 'skipped'
            ORDER BY i2.day DESC LIMIT 1)
         ORDER BY m.position",
    )?;
    let rows = stmt
        .query_map(params![key, fmt_day(day)], |r| Ok((r.get::<_, String>(0)?, parse_day(&r.get::<_, String>(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The instance of template `template_id` on `day`, created from the template (its name, time,
/// checklist and KPIs copied, so later template edits never change it) plus the items carried
/// over from the previous session.
pub(in crate::store) fn ensure_instance(
    conn: &Connection,
    template_id: i64,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    let existing = conn
        .query_row(
            "SELECT id FROM meeting_instance WHERE template_id = ?1 AND day = ?2",
            params![template_id, fmt_day(day)],
            |r| r.get::<_, i64>(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let (key, name, start, minutes, checklist, kpis): (String, String, String, u32, String, String) = conn
        .query_row(
            "SELECT key, name, start_time, duration_min, checklist, kpis FROM meeting_template WHERE id = ?1",
            [template_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?
        .ok_or_else(|| Error::input(format!("no meeting template #{template_id}")))?;
    let planned = merge_items(&json_list(&checklist), carried_items(conn, &key, day)?);
    conn.execute(
        "INSERT INTO meeting_instance(template_id, day, name, start_time, duration_min, kpis, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![template_id, fmt_day(day), name, start, minutes, kpis, fmt_instant(now)],
    )?;
    let id = conn.last_insert_rowid();
    let mut put = conn.prepare_cached(
        "INSERT INTO meeting_item(instance_id, position, label, carried_from) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (pos, (label, from)) in planned.iter().enumerate() {
        put.execute(params![id, pos as i64, label, from.map(fmt_day)])?;
    }
    Ok(id)
}

/// A session's checklist: the template's items, those left open last time marked with the day
/// they were first due, then any other open items carried over. Labels stay unique, so an item
/// left open for days is one line "open since Tue", not a growing pile of copies.
fn merge_items(checklist: &[String], carried: Vec<(String, NaiveDate)>) -> Vec<(String, Option<NaiveDate>)> {
    let mut out: Vec<(String, Option<NaiveDate>)> = Vec::new();
    for label in checklist {
        if out.iter().any(|(l, _)| l == label) {
            continue;
        }
        let from = carried.iter().filter(|(l, _)| l == label).map(|(_, d)| *d).min();
        out.push((label.clone(), from));
    }
    for (label, from) in carried {
        match out.iter_mut().find(|(l, _)| *l == label) {
            Some((_, d)) => *d = Some(d.map_or(from, |x| x.min(from))),
            None => out.push((label, Some(from))),
        }
    }
    out
}

#[cfg(test)]
mod tests;
