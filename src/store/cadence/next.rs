//! The agenda as the calendar has it (no recurring meetings on holidays) and the next meeting
//! across days: after the day's last meeting, at weekends and on holidays the cockpit still says
//! which meeting comes next.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::Cadence;
use crate::domain::calendar::Calendar;
use crate::domain::feeds::{AgendaItem, NextMeeting};
use crate::domain::model::MeetingStatus;
use crate::store::error::Result;

/// How far ahead the next meeting is looked for (a quarterly review is further, and not "next").
pub const NEXT_HORIZON_DAYS: i64 = 31;

impl<M> Cadence<'_, M> {
    /// The meetings of `day`; on a holiday of `cal`, the recurring ones that were not opened are
    /// left out (a meeting someone opened, moved or added that day still shows).
    pub fn agenda_on(&self, day: NaiveDate, cal: &Calendar) -> Result<Vec<AgendaItem>> {
        let mut items = self.agenda(day)?;
        if cal.is_holiday(day) {
            items.retain(|i| i.instance_id.is_some());
        }
        Ok(items)
    }

    /// The first meeting after `now` (a skipped one never is): later today, else on the next day
    /// that has one, within [`NEXT_HORIZON_DAYS`].
    pub fn next_meeting(&self, now: NaiveDateTime, cal: &Calendar) -> Result<Option<NextMeeting>> {
        let agenda = self.agenda_on(now.date(), cal)?;
        self.next_meeting_after(now, cal, agenda)
    }

    /// [`Cadence::next_meeting`] when today's agenda (`agenda_on(now.date())`) is already read:
    /// the brief shows it too, so it is not read twice.
    pub fn next_meeting_after(
        &self,
        now: NaiveDateTime,
        cal: &Calendar,
        today_agenda: Vec<AgendaItem>,
    ) -> Result<Option<NextMeeting>> {
        let today = now.date();
        let mut agenda = Some(today_agenda);
        for ahead in 0..=NEXT_HORIZON_DAYS {
            let day = today + Duration::days(ahead);
            let items = match agenda.take() {
                Some(items) => items,
                None => self.agenda_on(day, cal)?,
            };
            let found = items
                .into_iter()
                .filter(|i| i.status != MeetingStatus::Skipped)
                .find(|i| ahead > 0 || i.start > now.time());
            if let Some(item) = found {
                return Ok(Some(NextMeeting { day, item }));
            }
        }
        Ok(None)
    }
}
