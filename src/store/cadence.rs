//! Meetings: templates with recurrence, dated instances with checklists and notes.

use chrono::{Datelike, NaiveDate, NaiveTime};

use super::{Store, fmt_day};
use crate::domain::feeds::AgendaItem;
use crate::domain::model::MeetingStatus;
use crate::error::Result;

impl Store {
    /// The meetings of `day` in time order: instances already held or opened, plus
    /// templates recurring that day. (Interim: only `daily` and `weekdays` recurrences.)
    pub fn agenda(&self, day: NaiveDate) -> Result<Vec<AgendaItem>> {
        let weekday = day.weekday().num_days_from_monday() < 5;
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, t.id, coalesce(i.name, t.name), coalesce(i.start_time, t.start_time),
                    coalesce(i.duration_min, t.duration_min), coalesce(i.status, 'scheduled'),
                    (SELECT count(*) FROM meeting_item m WHERE m.instance_id = i.id AND m.done_at IS NOT NULL),
                    coalesce((SELECT count(*) FROM meeting_item m WHERE m.instance_id = i.id), json_array_length(t.checklist))
             FROM meeting_template t
             LEFT JOIN meeting_instance i ON i.template_id = t.id AND i.day = ?1
             WHERE t.valid_from <= ?1 AND (t.valid_to IS NULL OR t.valid_to > ?1)
               AND (t.recurrence = 'daily' OR (t.recurrence = 'weekdays' AND ?2) OR i.id IS NOT NULL)
             ORDER BY 4",
        )?;
        let rows = stmt.query_map(rusqlite::params![fmt_day(day), weekday], |r| {
            Ok(AgendaItem {
                instance_id: r.get(0)?,
                template_id: r.get(1)?,
                name: r.get(2)?,
                start: NaiveTime::parse_from_str(&r.get::<_, String>(3)?, "%H:%M").unwrap_or_default(),
                minutes: r.get(4)?,
                status: r.get::<_, MeetingStatus>(5)?,
                items_done: r.get::<_, i64>(6)? as usize,
                items_total: r.get::<_, i64>(7)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
