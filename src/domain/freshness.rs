//! Freshness: when each feed (a metric from one source, or one campaign's spend) last reported,
//! how often it usually does, and whether it has gone quiet for longer than that.
//!
//! A feed that stops arriving looks exactly like a collapse: leads "behind", spend "pacing
//! under". Judging each feed against its own rhythm (a daily feed missing three days is news, a
//! weekly one is not) lets the brief say "no spend for linkedin since 19 Nov (usually daily)"
//! and keep its pacing verdicts out of it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A feed is never stale before it has been quiet this many days (a weekend is not an outage).
pub const FLOOR_DAYS: i64 = 2;
/// Gaps are learned from at most this many of a feed's latest observations.
pub const HISTORY_GAPS: usize = 40;
/// Fewer gaps than this and a feed's rhythm is unknown: only the floor applies, tripled.
pub const MIN_GAPS: usize = 4;

/// One feed's rhythm and state as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    pub last: NaiveDate,
    /// The usual days between two observations (the median gap); `None` when too few to tell.
    pub usual_gap: Option<i64>,
    /// Days since the last observation, counted to `through`.
    pub quiet_days: i64,
    /// Quiet for longer than its rhythm allows.
    pub stale: bool,
}

/// Judge a feed from the days it reported (ascending, distinct), as of `through` (the latest
/// complete day the feed should have reported by). Stale once quiet for more than
/// max([`FLOOR_DAYS`], 2 x its 90th-percentile gap): a daily feed after three quiet days, a
/// weekday-only one after a week, a weekly one after two; a sporadic trickle (a deal won every
/// few days) only after a silence it almost never has.
pub fn judge(days: &[NaiveDate], through: NaiveDate) -> Option<Freshness> {
    judge_allowing(days, through).map(|(f, _)| f)
}

/// [`judge`], with the quiet days the feed's rhythm allows before it is stale: what judging it
/// on a later day needs when none of its days moved ([`Freshness::as_of`]).
pub fn judge_allowing(days: &[NaiveDate], through: NaiveDate) -> Option<(Freshness, i64)> {
    let last = *days.iter().rfind(|d| **d <= through)?;
    let upto = days.iter().position(|d| *d == last).unwrap_or(0);
    let start = (upto + 1).saturating_sub(HISTORY_GAPS + 1);
    let mut gaps: Vec<i64> = days[start..=upto].windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    let quiet_days = (through - last).num_days();
    let (usual_gap, allowed) = if gaps.len() < MIN_GAPS {
        (None, FLOOR_DAYS * 3)
    } else {
        gaps.sort_unstable();
        let median = gaps[gaps.len() / 2];
        let p90 = gaps[((gaps.len() * 9).div_ceil(10)).saturating_sub(1)];
        (Some(median), FLOOR_DAYS.max(p90 * 2))
    };
    Some((Freshness { last, usual_gap, quiet_days, stale: quiet_days > allowed }, allowed))
}

impl Freshness {
    /// The same feed judged as of a later `through`, its days unchanged: the quiet days counted
    /// to it, against the quiet days its rhythm allows (`judge_allowing`).
    pub fn as_of(self, allowed: i64, through: NaiveDate) -> Freshness {
        let quiet_days = (through - self.last).num_days();
        Freshness { quiet_days, stale: quiet_days > allowed, ..self }
    }
}

/// "usually daily", "usually weekly", "usually every 3 days".
pub fn usually(gap: Option<i64>) -> String {
    match gap {
        None => "rhythm unknown".into(),
        Some(1) => "usually daily".into(),
        Some(7) => "usually weekly".into(),
        Some(n) => format!("usually every {n} days"),
    }
}

/// "19 Nov", or "19 Nov 2025" when it is not this year.
pub fn short_day(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() { d.format("%-d %b").to_string() } else { d.format("%-d %b %Y").to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn every(step: i64, from: &str, to: &str) -> Vec<NaiveDate> {
        let (mut x, to) = (d(from), d(to));
        let mut out = Vec::new();
        while x <= to {
            out.push(x);
            x += Duration::days(step);
        }
        out
    }

    #[test]
    fn a_daily_feed_is_stale_after_three_quiet_days() {
        let days = every(1, "2026-10-01", "2026-11-19");
        let f = judge(&days, d("2026-11-21")).unwrap();
        assert_eq!((f.usual_gap, f.quiet_days, f.stale), (Some(1), 2, false));
        let f = judge(&days, d("2026-11-22")).unwrap();
        assert!(f.stale);
        // Back from the holidays: quiet since 19 Nov, read on 3 Jan.
        let f = judge(&days, d("2027-01-03")).unwrap();
        assert_eq!((f.last, f.quiet_days, f.stale), (d("2026-11-19"), 45, true));
        assert_eq!(usually(f.usual_gap), "usually daily");
    }

    #[test]
    fn a_feed_judged_on_one_day_is_judged_on_a_later_one_from_its_allowance() {
        for (step, from) in [(1, "2026-10-01"), (7, "2026-08-03"), (3, "2026-10-20"), (1, "2026-11-12")] {
            let days = every(step, from, "2026-11-16");
            let (then, allowed) = judge_allowing(&days, d("2026-11-17")).unwrap();
            for later in ["2026-11-18", "2026-11-20", "2026-11-25", "2027-01-03"] {
                assert_eq!(then.as_of(allowed, d(later)), judge(&days, d(later)).unwrap(), "{step} {from} {later}");
            }
        }
    }

    #[test]
    fn a_weekly_feed_is_not_stale_after_a_week() {
        let days = every(7, "2026-08-03", "2026-11-16");
        let f = judge(&days, d("2026-11-22")).unwrap();
        assert_eq!((f.usual_gap, f.stale), (Some(7), false));
        assert!(!judge(&days, d("2026-11-30")).unwrap().stale);
        assert!(judge(&days, d("2026-12-01")).unwrap().stale);
        assert_eq!(usually(f.usual_gap), "usually weekly");
    }

    #[test]
    fn a_weekday_feed_sleeps_through_the_weekend() {
        let days: Vec<NaiveDate> = every(1, "2026-09-01", "2026-11-20")
            .into_iter()
            .filter(|x| x.weekday().num_days_from_monday() < 5)
            .collect();
        // Friday's data, read on Monday morning (through Sunday): fine, and still on Thursday.
        assert!(!judge(&days, d("2026-11-22")).unwrap().stale);
        assert!(!judge(&days, d("2026-11-26")).unwrap().stale);
        // Nothing since Friday a week later: stale.
        assert!(judge(&days, d("2026-11-27")).unwrap().stale);
    }

    #[test]
    fn a_young_feed_only_has_the_floor() {
        let days = every(1, "2026-11-17", "2026-11-19");
        let f = judge(&days, d("2026-11-22")).unwrap();
        assert_eq!((f.usual_gap, f.stale), (None, false));
        assert!(judge(&days, d("2026-11-26")).unwrap().stale);
        assert_eq!(judge(&[], d("2026-11-26")), None);
        // Observations after `through` do not count as reporting by then.
        assert_eq!(judge(&[d("2026-12-01")], d("2026-11-26")), None);
    }
}
