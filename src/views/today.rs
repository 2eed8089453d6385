//! `today`: the day's meetings, the current one and the next marked, checklist progress.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::domain::feeds::{AgendaFocus, AgendaItem, agenda_focus};
use crate::domain::model::MeetingStatus;
use crate::store::Store;
use crate::store::error::Result;

/// The day as `today` shows it, computed once for its text and its JSON.
#[derive(Debug, Clone)]
pub struct Day {
    pub now: NaiveDateTime,
    pub agenda: Vec<AgendaItem>,
    pub focus: AgendaFocus,
}

impl Day {
    pub fn load(store: &Store, now: NaiveDateTime) -> Result<Day> {
        let agenda = store.cadence().agenda(now.date())?;
        let focus = agenda_focus(&agenda, now);
        Ok(Day { now, agenda, focus })
    }

    /// The stable JSON shape (`today --format json`).
    pub fn json(&self) -> DayJson<'_> {
        let meetings = self
            .agenda
            .iter()
            .enumerate()
            .map(|(i, m)| MeetingJson {
                instance_id: m.instance_id,
                template_id: m.template_id,
                name: &m.name,
                start: m.start.format("%H:%M").to_string(),
                end: m.end().format("%H:%M").to_string(),
                minutes: m.minutes,
                status: m.status,
                items_done: m.items_done,
                items_total: m.items_total,
                current: self.focus.current == Some(i),
                next: self.focus.next == Some(i),
            })
            .collect();
        DayJson { day: self.now.date().to_string(), now: self.now.format("%Y-%m-%dT%H:%M").to_string(), meetings }
    }
}

/// The JSON shape of one meeting (documented in docs/).
#[derive(Debug, Serialize)]
pub struct MeetingJson<'a> {
    pub instance_id: Option<i64>,
    pub template_id: Option<i64>,
    pub name: &'a str,
    pub start: String,
    pub end: String,
    pub minutes: u32,
    pub status: MeetingStatus,
    pub items_done: usize,
    pub items_total: usize,
    pub current: bool,
    pub next: bool,
}

#[derive(Debug, Serialize)]
pub struct DayJson<'a> {
    pub day: String,
    pub now: String,
    pub meetings: Vec<MeetingJson<'a>>,
}
