//! What each area feeds the dashboard and the brief: plain rows, computed by the area's own
//! store module, so the dashboard, the brief and each screen agree on every number.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::domain::model::{DecisionStatus, MeetingStatus, Tier};

/// One meeting on a day's agenda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    /// The dated instance, once one exists (it is created when first opened or ticked).
    pub instance_id: Option<i64>,
    pub template_id: Option<i64>,
    pub name: String,
    pub start: NaiveTime,
    pub minutes: u32,
    pub status: MeetingStatus,
    pub items_done: usize,
    pub items_total: usize,
}

impl AgendaItem {
    pub fn end(&self) -> NaiveTime {
        self.start + chrono::Duration::minutes(i64::from(self.minutes))
    }
}

/// Which meeting is on now and which comes next, from the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgendaFocus {
    pub current: Option<usize>,
    pub next: Option<usize>,
}

/// `items` in time order; skipped meetings are never current or next.
/// A meeting is current from its start until its end (09:00 is inside 09:00-09:30).
pub fn agenda_focus(items: &[AgendaItem], now: NaiveDateTime) -> AgendaFocus {
    let t = now.time();
    let live = |i: &&AgendaItem| i.status != MeetingStatus::Skipped;
    let current =
        items.iter().enumerate().filter(|(_, i)| live(i)).find(|(_, i)| i.start <= t && t < i.end()).map(|(n, _)| n);
    let next = items.iter().enumerate().filter(|(_, i)| live(i)).find(|(_, i)| i.start > t).map(|(n, _)| n);
    AgendaFocus { current, next }
}

/// The next meeting from a moment: later today, or on a following day when today's are over
/// (after the last one, at weekends, on holidays).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextMeeting {
    pub day: NaiveDate,
    pub item: AgendaItem,
}

impl NextMeeting {
    /// "09:00 Ad performance review" today, "Mon 10:00 Weekly performance review" within the
    /// week, "Mon 11 Jan 10:00 ..." beyond it.
    pub fn label(&self, today: NaiveDate) -> String {
        let days = (self.day - today).num_days();
        let when = match days {
            0 => String::new(),
            1..=6 => format!("{} ", self.day.format("%a")),
            _ => format!("{} ", self.day.format("%a %d %b")),
        };
        format!("{when}{} {}", self.item.start.format("%H:%M"), self.item.name)
    }
}

/// An open decision due today or overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionDue {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub due: NaiveDate,
    pub status: DecisionStatus,
    pub risk: String,
    pub recommendation: String,
}

/// A launch inside its tier's lead time with readiness items open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchAlert {
    pub id: i64,
    pub name: String,
    pub tier: Tier,
    pub launch_date: NaiveDate,
    pub lead_weeks: u32,
    pub open_items: usize,
    /// Labels of open baseline-standard items: these block going live.
    pub open_baseline: Vec<String>,
}

/// A campaign pacing outside the +/-5% band this quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignAlert {
    pub id: i64,
    pub name: String,
    pub channel: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
    pub expected_cents: i64,
    /// spent / expected - 1: +0.12 is 12% over.
    pub deviation: f64,
}

/// Total burn for a quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetBurn {
    pub period: String,
    pub planned_cents: i64,
    pub spent_cents: i64,
    /// Share of the quarter's complete days.
    pub elapsed_share: f64,
    /// Run-rate forecast to the quarter's end; `None` on its first day.
    pub forecast_cents: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(h: u32, m: u32, minutes: u32) -> AgendaItem {
        AgendaItem {
            instance_id: None,
            template_id: None,
            name: format!("{h}:{m}"),
            start: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
            minutes,
            status: MeetingStatus::Scheduled,
            items_done: 0,
            items_total: 0,
        }
    }

    fn at(t: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("2026-11-20T{t}"), "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn the_next_meeting_is_named_with_its_day() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let n = NextMeeting {
            day: d("2026-11-23"),
            item: AgendaItem { name: "Weekly performance review".into(), ..item(10, 0, 60) },
        };
        assert_eq!(n.label(d("2026-11-20")), "Mon 10:00 Weekly performance review");
        assert_eq!(n.label(d("2026-11-23")), "10:00 Weekly performance review");
        assert_eq!(n.label(d("2026-11-13")), "Mon 23 Nov 10:00 Weekly performance review");
    }

    #[test]
    fn the_current_and_next_meeting_follow_the_clock() {
        let day = [item(9, 0, 30), item(11, 0, 45), item(13, 0, 30), item(15, 0, 45)];
        assert_eq!(agenda_focus(&day, at("08:59")), AgendaFocus { current: None, next: Some(0) });
        assert_eq!(agenda_focus(&day, at("09:00")), AgendaFocus { current: Some(0), next: Some(1) });
        assert_eq!(agenda_focus(&day, at("12:59")), AgendaFocus { current: None, next: Some(2) });
        assert_eq!(agenda_focus(&day, at("13:00")), AgendaFocus { current: Some(2), next: Some(3) });
        assert_eq!(agenda_focus(&day, at("17:00")), AgendaFocus { current: None, next: None });
    }
}
