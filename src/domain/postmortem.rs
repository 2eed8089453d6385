//! Post-mortems' follow-ups and the measure of a learning team: follow-through, the share of
//! follow-ups done by their due date.
//!
//! Pure: a follow-up is stored as a decision linked to its post-mortem; this module only parses
//! `--follow-up "TEXT=OWNER@DUE"` and scores a list of them as of a day.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::dates;

/// An owned, dated action from a post-mortem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub text: String,
    pub owner: String,
    pub due: NaiveDate,
    /// The day it was closed (`decision done`), if it was.
    pub done_on: Option<NaiveDate>,
}

impl FollowUp {
    /// Closed on or before its due day.
    pub fn on_time(&self) -> bool {
        self.done_on.is_some_and(|d| d <= self.due)
    }

    /// Still open after its due day (due today is not overdue yet).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_on.is_none() && self.due < today
    }

    /// Settled: done (on time or late) or past due. A follow-up still open before its due day
    /// has not had its chance yet and counts neither way.
    fn settled(&self, today: NaiveDate) -> bool {
        self.done_on.is_some() || self.overdue(today)
    }
}

/// A follow-up as typed, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpSpec {
    pub text: String,
    pub owner: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("--follow-up '{0}': who owns this? (write TEXT=OWNER@DUE, like \"Fix the UTM rules=ana@2026-12-04\")")]
    NoOwner(String),
    #[error("--follow-up '{0}' has no text before '='")]
    NoText(String),
    #[error("--follow-up '{0}' has no due date (write TEXT=OWNER@DUE, like ...=ana@2026-12-04 or ...=ana@fri)")]
    NoDue(String),
    #[error("--follow-up '{given}': {why}")]
    BadDue { given: String, why: String },
}

/// Parse `TEXT=OWNER@DUE`. The text may itself hold '=' or '@' ("CPL=spend/leads", "email
/// ana@x"), so the split is on the LAST '=' (text | owner@due) and then on the LAST '@' of what
/// follows (owner | due): an owner may be an e-mail address (`...=ana@acme.com@fri`), a due date
/// never holds '@' or '='. DUE is any date `dates::parse_human` reads (2026-12-04, fri, +2w).
pub fn parse_follow_up(input: &str, today: NaiveDate) -> Result<FollowUpSpec, FollowUpError> {
    let given = input.trim();
    let Some((text, rest)) = given.rsplit_once('=') else {
        return Err(FollowUpError::NoOwner(given.into()));
    };
    let (text, rest) = (text.trim(), rest.trim());
    let (owner, due) = match rest.rsplit_once('@') {
        Some((o, d)) => (o.trim(), Some(d.trim())),
        None => (rest, None),
    };
    if owner.is_empty() {
        return Err(FollowUpError::NoOwner(given.into()));
    }
    if text.is_empty() {
        return Err(FollowUpError::NoText(given.into()));
    }
    let due = due.filter(|d| !d.is_empty()).ok_or_else(|| FollowUpError::NoDue(given.into()))?;
    let due = dates::parse_human(due, today)
        .map_err(|e| FollowUpError::BadDue { given: given.into(), why: e.to_string() })?;
    Ok(FollowUpSpec { text: text.into(), owner: owner.into(), due })
}

/// Days after the post-mortem that a launch's follow-up is due when none was given: the launch
/// face asked only `TEXT=OWNER` before due dates were needed, so `@DUE` stays optional there.
pub const DEFAULT_DUE_DAYS: i64 = 14;

/// `TEXT=OWNER[@DUE]` as `launch stage ID post-mortem --follow-up` takes it: like
/// [`parse_follow_up`], but without `@DUE` it is due [`DEFAULT_DUE_DAYS`] from `today`. The flag
/// says the due was defaulted, so the face can say so. An owner that holds '@' (an e-mail) still
/// needs its `@DUE`: "ana@acme.com" is read as owner "ana" due "acme.com" and refused, not guessed.
pub fn parse_follow_up_or_default(input: &str, today: NaiveDate) -> Result<(FollowUpSpec, bool), FollowUpError> {
    let given = input.trim();
    let has_due = given.rsplit_once('=').is_some_and(|(_, rest)| rest.contains('@'));
    if has_due {
        return parse_follow_up(given, today).map(|f| (f, false));
    }
    let due = today + chrono::Duration::days(DEFAULT_DUE_DAYS);
    let spec = parse_follow_up(&format!("{given}@{due}"), today).map_err(|e| match e {
        // The message must quote what was typed, not the due added to it.
        FollowUpError::NoOwner(_) => FollowUpError::NoOwner(given.into()),
        FollowUpError::NoText(_) => FollowUpError::NoText(given.into()),
        other => other,
    })?;
    Ok((spec, true))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowThrough {
    /// Follow-ups whose outcome is known: done, or open past their due day.
    pub settled: usize,
    pub done_on_time: usize,
    /// Open and not yet due: not counted either way.
    pub pending: usize,
    /// done_on_time / settled; `None` while nothing is settled (no 0% for a team with nothing due).
    pub share: Option<f64>,
    /// Open past their due day, oldest due first: the attention items.
    pub overdue: Vec<FollowUp>,
}

/// Score `follow_ups` as of `today`; `due_within` keeps only those due in [from, to] (a period).
pub fn follow_through(
    follow_ups: &[FollowUp],
    today: NaiveDate,
    due_within: Option<(NaiveDate, NaiveDate)>,
) -> FollowThrough {
    let mine: Vec<&FollowUp> =
        follow_ups.iter().filter(|f| due_within.is_none_or(|(from, to)| f.due >= from && f.due <= to)).collect();
    let settled = mine.iter().filter(|f| f.settled(today)).count();
    let done_on_time = mine.iter().filter(|f| f.on_time()).count();
    let mut overdue: Vec<FollowUp> = mine.iter().filter(|f| f.overdue(today)).map(|f| (*f).clone()).collect();
    overdue.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.owner.cmp(&b.owner)));
    FollowThrough {
        settled,
        done_on_time,
        pending: mine.len() - settled,
        share: (settled > 0).then(|| done_on_time as f64 / settled as f64),
        overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn f(text: &str, due: &str, done: Option<&str>) -> FollowUp {
        FollowUp { text: text.into(), owner: "ana".into(), due: d(due), done_on: done.map(d) }
    }

    #[test]
    fn four_follow_ups_three_on_time_is_75_percent_and_the_fourth_is_overdue() {
        let list = [
            f("UTM rules", "2026-11-10", Some("2026-11-09")),
            f("Landing page copy", "2026-11-12", Some("2026-11-12")),
            f("SDR follow-up SLA", "2026-11-14", Some("2026-11-13")),
            f("Attribution review", "2026-11-16", None),
        ];
        let ft = follow_through(&list, d("2026-11-20"), None);
        assert_eq!((ft.settled, ft.done_on_time, ft.pending, ft.share), (4, 3, 0, Some(0.75)));
        assert_eq!(ft.overdue.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(), ["Attribution review"]);
        // Before its due day the fourth is pending, not a miss; on its due day it is not overdue yet.
        let early = follow_through(&list, d("2026-11-15"), None);
        assert_eq!((early.settled, early.pending, early.share, early.overdue.len()), (3, 1, Some(1.0), 0));
        assert!(!list[3].overdue(d("2026-11-16")) && list[3].overdue(d("2026-11-17")));
    }

    #[test]
    fn done_late_is_settled_but_not_on_time() {
        let list = [f("late", "2026-11-10", Some("2026-11-11")), f("ok", "2026-11-10", Some("2026-11-01"))];
        let ft = follow_through(&list, d("2026-11-20"), None);
        assert_eq!((ft.settled, ft.done_on_time, ft.share), (2, 1, Some(0.5)));
        assert!(ft.overdue.is_empty());
    }

    #[test]
    fn a_period_keeps_the_follow_ups_due_in_it_and_nothing_due_is_no_score() {
        let list = [f("oct", "2026-10-30", None), f("nov", "2026-11-03", Some("2026-11-02"))];
        let nov = follow_through(&list, d("2026-11-20"), Some((d("2026-11-01"), d("2026-11-30"))));
        assert_eq!((nov.settled, nov.share, nov.overdue.len()), (1, Some(1.0), 0));
        let none = follow_through(&[f("later", "2026-12-01", None)], d("2026-11-20"), None);
        assert_eq!((none.share, none.pending), (None, 1));
    }

    #[test]
    fn text_owner_and_due_split_on_the_last_equals_and_the_last_at() {
        let today = d("2026-11-20"); // a Friday
        let p = |s: &str| parse_follow_up(s, today).unwrap();
        assert_eq!(
            p("Fix UTM rules=ana@2026-12-04"),
            FollowUpSpec { text: "Fix UTM rules".into(), owner: "ana".into(), due: d("2026-12-04") }
        );
        let odd = p("Check CPL=spend/leads with ops@acme = ana@acme.com @ fri");
        assert_eq!((odd.text.as_str(), odd.owner.as_str()), ("Check CPL=spend/leads with ops@acme", "ana@acme.com"));
        assert_eq!(odd.due, d("2026-11-27"));
        assert_eq!(p("Retro=Bo@+2w").due, d("2026-12-04"));
    }

    #[test]
    fn the_launch_face_defaults_a_missing_due_to_two_weeks_and_says_so() {
        let today = d("2026-11-20");
        let (f, defaulted) = parse_follow_up_or_default("Refresh battlecard=Jordan", today).unwrap();
        assert_eq!((f.owner.as_str(), f.due, defaulted), ("Jordan", d("2026-12-04"), true));
        let (f, defaulted) = parse_follow_up_or_default("Refresh battlecard=Jordan@fri", today).unwrap();
        assert_eq!((f.due, defaulted), (d("2026-11-27"), false));
        assert_eq!(
            parse_follow_up_or_default("Refresh battlecard", today).unwrap_err().to_string(),
            "--follow-up 'Refresh battlecard': who owns this? (write TEXT=OWNER@DUE, like \"Fix the UTM rules=ana@2026-12-04\")"
        );
    }

    #[test]
    fn a_follow_up_without_owner_text_or_due_is_refused_in_one_line() {
        let err = |s: &str| parse_follow_up(s, d("2026-11-20")).unwrap_err().to_string();
        assert_eq!(
            err("Fix UTM rules"),
            "--follow-up 'Fix UTM rules': who owns this? (write TEXT=OWNER@DUE, like \"Fix the UTM rules=ana@2026-12-04\")"
        );
        assert!(err("Fix UTM rules=@2026-12-04").contains("who owns this?"));
        assert!(err("Fix UTM rules= ").contains("who owns this?"));
        assert_eq!(err("=ana@fri"), "--follow-up '=ana@fri' has no text before '='");
        assert!(err("Fix=ana").starts_with("--follow-up 'Fix=ana' has no due date"));
        // An e-mail owner without a due date: the domain is read as the date and refused.
        assert_eq!(
            err("Fix=ana@acme.com"),
            "--follow-up 'Fix=ana@acme.com': 'acme.com' is not a date (try 2026-11-27, today, tomorrow, fri, +3d, +2w)"
        );
    }
}
