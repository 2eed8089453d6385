//! Which decisions the log shows: a search over every text field and the filters
//! (status, owner, meeting, overdue / due this week). Pure, so it is tested without a terminal.

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::model::DecisionStatus;
use crate::domain::text::fuzzy_match;
use crate::error::{Error, Result};
use crate::io::export::decisions::links;
use crate::store::decisions::Decision;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Is(DecisionStatus),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Overdue,
    ThisWeek,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub status: Option<StatusFilter>,
    pub owner: Option<String>,
    /// Part of the meeting's name: `sales` matches every Sales sync.
    pub meeting: Option<String>,
    pub when: Option<When>,
}

impl Filter {
    /// Build from the filter form's typed values; empty means "any".
    pub fn parse(status: &str, owner: &str, meeting: &str, when: &str) -> Result<Filter> {
        // A typed prefix is enough: `ov` is overdue, `dec` is decided.
        let status = status.trim().to_ascii_lowercase();
        let status = match status.as_str() {
            "" | "any" | "all" => None,
            s if "open".starts_with(s) => Some(StatusFilter::Open),
            s => {
                let found = DecisionStatus::ALL.iter().find(|st| st.as_str().starts_with(s));
                Some(StatusFilter::Is(match found {
                    Some(st) => *st,
                    None => DecisionStatus::parse(s)?,
                }))
            }
        };
        let when = match when.trim().to_ascii_lowercase().as_str() {
            "" | "any" => None,
            w if "overdue".starts_with(w) => Some(When::Overdue),
            w if "this week".starts_with(w) || w == "week" || w == "due this week" => Some(When::ThisWeek),
            other => return Err(Error::input(format!("'{other}' is not a due filter (overdue, this week)"))),
        };
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        Ok(Filter { status, owner: some(owner), meeting: some(meeting), when })
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// "open · owner Sam · overdue": what is applied, for the screen's title line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.status {
            Some(StatusFilter::Open) => parts.push("open".to_string()),
            Some(StatusFilter::Is(s)) => parts.push(s.to_string()),
            None => {}
        }
        if let Some(o) = &self.owner {
            parts.push(format!("owner {o}"));
        }
        if let Some(m) = &self.meeting {
            parts.push(format!("meeting {m}"));
        }
        match self.when {
            Some(When::Overdue) => parts.push("overdue".into()),
            Some(When::ThisWeek) => parts.push("due this week".into()),
            None => {}
        }
        parts.join(" · ")
    }

    pub fn matches(&self, d: &Decision, today: NaiveDate) -> bool {
        let status_ok = match self.status {
            None => true,
            Some(StatusFilter::Open) => d.status.is_open(),
            Some(StatusFilter::Is(s)) => d.status == s,
        };
        let owner_ok = self.owner.as_ref().is_none_or(|o| d.owner.to_lowercase().contains(&o.to_lowercase()));
        let meeting_ok = self
            .meeting
            .as_ref()
            .is_none_or(|m| d.meeting.as_ref().is_some_and(|name| name.to_lowercase().contains(&m.to_lowercase())));
        let when_ok = match self.when {
            None => true,
            Some(When::Overdue) => d.is_overdue(today),
            Some(When::ThisWeek) => {
                let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
                let sunday = monday + Duration::days(6);
                d.status.is_open() && d.due.is_some_and(|x| x >= monday && x <= sunday)
            }
        };
        status_ok && owner_ok && meeting_ok && when_ok
    }
}

/// Every word of `query` fuzzy-matches one of the decision's text fields.
pub fn search_matches(query: &str, d: &Decision) -> bool {
    let meeting = d.meeting.clone().unwrap_or_default();
    let linked = links(d);
    let fields = [
        d.title.as_str(),
        d.owner.as_str(),
        d.recommendation.as_str(),
        d.risk.as_str(),
        meeting.as_str(),
        linked.as_str(),
        d.status.as_str(),
    ];
    query.split_whitespace().all(|w| fields.iter().any(|f| fuzzy_match(w, f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(title: &str, owner: &str, due: Option<&str>, status: DecisionStatus) -> Decision {
        Decision {
            id: 1,
            title: title.into(),
            recommendation: "Two-month trial".into(),
            risk: "Creative fatigue".into(),
            owner: owner.into(),
            due: due.map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()),
            status,
            made_at: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            closed_at: None,
            meeting_id: Some(3),
            meeting: Some("Sales sync".into()),
            meeting_day: None,
            launch_id: None,
            launch: None,
            campaign_id: None,
            campaign: None,
            campaign2_id: None,
            campaign2: None,
            superseded_by: None,
            supersedes: None,
        }
    }

    #[test]
    fn search_looks_at_every_text_field() {
        let d = decision("Hire a contractor", "Alex", None, DecisionStatus::Proposed);
        assert!(search_matches("contractor", &d));
        assert!(search_matches("fatigue alex", &d), "risk and owner");
        assert!(search_matches("sales", &d), "the meeting");
        assert!(!search_matches("webinar", &d));
    }

    #[test]
    fn filters_combine_status_owner_meeting_and_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(); // a Friday
        let late = decision("A", "Sam", Some("2026-11-17"), DecisionStatus::Decided);
        let sunday = decision("B", "Sam", Some("2026-11-22"), DecisionStatus::Proposed);
        let done = decision("C", "Alex", Some("2026-11-17"), DecisionStatus::Done);
        let overdue = Filter::parse("", "", "", "overdue").unwrap();
        assert!(overdue.matches(&late, today) && !overdue.matches(&sunday, today) && !overdue.matches(&done, today));
        let week = Filter::parse("open", "sam", "sales", "this week").unwrap();
        assert!(week.matches(&late, today) && week.matches(&sunday, today) && !week.matches(&done, today));
        assert_eq!(week.describe(), "open · owner sam · meeting sales · due this week");
        assert!(Filter::parse("maybe", "", "", "").is_err());
        assert_eq!(Filter::parse("dec", "", "", "ov").unwrap().when, Some(When::Overdue));
        assert!(Filter::parse("", "", "", "").unwrap().is_empty());
    }
}
