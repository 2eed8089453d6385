//! `today`: the day's meetings, the current one and the next marked, checklist progress.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::config::Config;
use crate::domain::feeds::{AgendaFocus, AgendaItem, NextMeeting, agenda_focus};
use crate::domain::model::MeetingStatus;
use crate::store::Store;
use crate::store::error::Result;

/// The day as `today` shows it, computed once for its text and its JSON.
#[derive(Debug, Clone)]
pub struct Day {
    pub now: NaiveDateTime,
    pub agenda: Vec<AgendaItem>,
    pub focus: AgendaFocus,
    /// The next meeting from now, today or on a later day (holidays skipped).
    pub next: Option<NextMeeting>,
    /// Today is a configured holiday: recurring meetings are off.
    pub holiday: bool,
}

impl Day {
    /// The day at `now`, with the config's holidays (the same for `today` and the MCP tool).
    pub fn load(store: &Store, config: &Config, now: NaiveDateTime) -> Result<Day> {
        let cal = &config.pacing.calendar;
        let agenda = store.cadence().agenda_on(now.date(), cal)?;
        let focus = agenda_focus(&agenda, now);
        let next = store.cadence().next_meeting(now, cal)?;
        Ok(Day { now, agenda, focus, next, holiday: cal.is_holiday(now.date()) })
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
        let next = self.next.as_ref().map(|n| NextJson {
            day: n.day.to_string(),
            start: n.item.start.format("%H:%M").to_string(),
            name: &n.item.name,
            label: n.label(self.now.date()),
        });
        DayJson {
            day: self.now.date().to_string(),
            now: self.now.format("%Y-%m-%dT%H:%M").to_string(),
            holiday: self.holiday,
            meetings,
            next,
        }
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

/// The next meeting across days: "Mon 10:00 Weekly performance review".
#[derive(Debug, Serialize)]
pub struct NextJson<'a> {
    pub day: String,
    pub start: String,
    pub name: &'a str,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct DayJson<'a> {
    pub day: String,
    pub now: String,
    pub holiday: bool,
    pub meetings: Vec<MeetingJson<'a>>,
    /// The next meeting from now, today or later; `null` when none is within a month.
    pub next: Option<NextJson<'a>>,
}
