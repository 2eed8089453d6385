//! `postmortem list | followthrough`, `alert list | check` and `note list`: the learning loop's
//! readouts other than experiments (`views::experiments`) and the weekly pack (`views::weekly`).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::brief::Brief;
use crate::brief::learn::AlertCheck;
use crate::domain::alert::{Missing, Reading};
use crate::domain::period::{Grain, Period};
use crate::domain::postmortem::{FollowThrough, follow_through};
use crate::store::Store;
use crate::store::error::Result;
use crate::store::notes::Note;
use crate::store::postmortems::{About, FollowUpRow, Postmortem};

/// A post-mortem with how its own follow-ups are going.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostmortemView {
    #[serde(flatten)]
    pub postmortem: Postmortem,
    /// Done by their due day / settled; `null` while none is settled.
    pub follow_through: Option<f64>,
}

pub fn postmortems(store: &Store, today: NaiveDate) -> Result<Vec<PostmortemView>> {
    Ok(store
        .postmortems()
        .all()?
        .into_iter()
        .map(|p| {
            let scored: Vec<_> = p.follow_ups.iter().filter_map(FollowUpRow::scored).collect();
            let follow_through = follow_through(&scored, today, None).share;
            PostmortemView { postmortem: p, follow_through }
        })
        .collect())
}

/// `postmortem followthrough [--period P]`: follow-ups done by their due day, over those due in
/// the period (all when none), with the overdue ones to chase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowThroughView {
    /// The period's name (`2026-11`), or `null` for all follow-ups.
    pub period: Option<String>,
    pub settled: usize,
    pub done_on_time: usize,
    pub pending: usize,
    pub share: Option<f64>,
    /// Open past their due day, most overdue first.
    pub overdue: Vec<FollowUpRow>,
    /// Follow-ups without a due day (launch follow-ups from before due days were asked): not scored.
    pub undated: usize,
}

pub fn follow_through_view(store: &Store, today: NaiveDate, period: Option<&Period>) -> Result<FollowThroughView> {
    let rows = store.postmortems().follow_ups()?;
    let scored: Vec<_> = rows.iter().filter_map(FollowUpRow::scored).collect();
    let FollowThrough { settled, done_on_time, pending, share, .. } =
        follow_through(&scored, today, period.map(|p| (p.start, p.end())));
    let within = |d: NaiveDate| period.is_none_or(|p| p.contains(d));
    let overdue = rows.iter().filter(|f| f.is_overdue(today) && f.due.is_some_and(within)).cloned().collect();
    let undated = rows.iter().filter(|f| f.due.is_none() && f.status.is_open()).count();
    Ok(FollowThroughView {
        period: period.map(|p| p.to_string()),
        settled,
        done_on_time,
        pending,
        share,
        overdue,
        undated,
    })
}

/// `alert list`: each rule with its state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleView {
    pub key: String,
    pub metric: String,
    pub channel: Option<String>,
    pub when: String,
    pub owner: Option<String>,
    /// `breached`, `clear`, or `unchecked` before the first `alert check`.
    pub state: &'static str,
    pub checked_at: Option<NaiveDateTime>,
    pub last_value: Option<f64>,
    pub last_fired: Option<NaiveDateTime>,
}

pub fn rules(store: &Store) -> Result<Vec<RuleView>> {
    Ok(store
        .alerts()
        .all()?
        .into_iter()
        .map(|r| RuleView {
            state: match (r.checked_at, r.state.breached) {
                (None, _) => "unchecked",
                (Some(_), true) => "breached",
                (Some(_), false) => "clear",
            },
            key: r.rule.key,
            metric: r.rule.metric,
            channel: r.rule.channel,
            when: r.rule.when.spec(),
            owner: r.rule.owner,
            checked_at: r.checked_at,
            last_value: r.last_value,
            last_fired: r.last_fired,
        })
        .collect())
}

/// One rule that fired in this check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredView {
    pub key: String,
    pub metric: String,
    pub channel: Option<String>,
    pub owner: Option<String>,
    pub when: String,
    pub value: Option<f64>,
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownView {
    pub key: String,
    pub missing: Missing,
}

/// `alert check --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckView {
    pub fired: Vec<FiredView>,
    pub checked: usize,
    /// Rules that could not tell (no value, target or pace yet): their state is kept as it was.
    pub unknown: Vec<UnknownView>,
}

/// What `alert check` found in `brief` (the states are stored by the caller, in one transaction).
pub fn check(brief: &Brief) -> CheckView {
    let fired = brief
        .alerts
        .iter()
        .filter(|a| a.evaluation.fired)
        .map(|a: &AlertCheck| FiredView {
            key: a.rule.key.clone(),
            metric: a.rule.metric.clone(),
            channel: a.rule.channel.clone(),
            owner: a.rule.owner.clone(),
            when: a.rule.when.spec(),
            value: a.evaluation.value,
            threshold: a.evaluation.threshold,
        })
        .collect();
    let unknown = brief
        .alerts
        .iter()
        .filter_map(|a| match a.evaluation.reading {
            Reading::Unknown(missing) => Some(UnknownView { key: a.rule.key.clone(), missing }),
            _ => None,
        })
        .collect();
    CheckView { fired, checked: brief.alerts.len(), unknown }
}

/// `note list [--from D] [--to D]`.
pub fn notes(store: &Store, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<Note>> {
    store.notes().between(from, to)
}

/// What a post-mortem is about, as a face names it: a launch by its id, a campaign or an
/// experiment by its name (or id), or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Standalone,
    Launch(i64),
    Campaign(&'a str),
    Experiment(&'a str),
}

impl<'a> Subject<'a> {
    /// The form's one field: `launch 3`, `campaign Q4 webinar`, `experiment headline-test`;
    /// empty or `standalone` for none.
    pub fn parse(typed: &'a str) -> std::result::Result<Subject<'a>, crate::domain::error::Error> {
        let typed = typed.trim();
        if typed.is_empty() || typed.eq_ignore_ascii_case("standalone") {
            return Ok(Subject::Standalone);
        }
        let (kind, rest) = typed.split_once(char::is_whitespace).unwrap_or((typed, ""));
        let rest = rest.trim();
        let refuse = || {
            crate::domain::error::Error::input(format!(
                "'{typed}': write launch ID, campaign NAME or experiment NAME (empty: standalone)"
            ))
            .in_field("about")
        };
        if rest.is_empty() {
            return Err(refuse());
        }
        match kind.to_ascii_lowercase().as_str() {
            "launch" => rest.trim_start_matches('#').parse().map(Subject::Launch).map_err(|_| refuse()),
            "campaign" => Ok(Subject::Campaign(rest)),
            "experiment" => Ok(Subject::Experiment(rest)),
            _ => Err(refuse()),
        }
    }
}

/// `postmortem add --launch | --campaign | --experiment` and the Learn tab's post-mortem form:
/// a campaign of this quarter, else of the last one; an experiment by its id or name.
pub fn resolve_subject(store: &Store, s: Subject<'_>, today: NaiveDate) -> Result<About> {
    Ok(match s {
        Subject::Standalone => About::Standalone,
        Subject::Launch(id) => About::Launch(id),
        Subject::Experiment(e) => About::Experiment(store.experiments().resolve(e)?),
        Subject::Campaign(wanted) => {
            let this = Period::containing(Grain::Quarter, today);
            match store.budget().find_campaign(wanted, &this) {
                Ok(c) => About::Campaign(c.id),
                Err(first) => match store.budget().find_campaign(wanted, &this.prev()) {
                    Ok(c) => About::Campaign(c.id),
                    Err(_) => return Err(first),
                },
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::Subject;

    #[test]
    fn a_subject_is_typed_as_a_kind_and_a_name_or_left_empty() {
        assert_eq!(Subject::parse(""), Ok(Subject::Standalone));
        assert_eq!(Subject::parse("Standalone"), Ok(Subject::Standalone));
        assert_eq!(Subject::parse("launch #3"), Ok(Subject::Launch(3)));
        assert_eq!(
            Subject::parse("Experiment Demo form: fewer fields"),
            Ok(Subject::Experiment("Demo form: fewer fields"))
        );
        assert_eq!(Subject::parse("campaign Q4 webinar"), Ok(Subject::Campaign("Q4 webinar")));
        for bad in ["launch three", "webinar", "campaign"] {
            let e = Subject::parse(bad).unwrap_err();
            assert_eq!(e.field(), Some("about"), "{bad}");
            assert!(e.to_string().contains("write launch ID, campaign NAME or experiment NAME"), "{e}");
        }
    }
}
