//! Positioning triggers: detected from deal outcomes and launches, proposed to the director as a
//! positioning review, never decided here.
//!
//! Four triggers (DOMAIN.md, "Positioning and competition"):
//! - **failed-deal pattern**: at least 4 of the last 6 closed deals of a segment lost for the same
//!   reason (reasons fold like campaign names; a lost deal with no reason counts for none);
//! - **win-rate drop**: the win rate against a competitor down 10 points or more this quarter
//!   against last, with at least 10 closed deals in *each* quarter (a rate over fewer is noise);
//! - **new competitor**: a competitor first seen in dated deal outcomes within the last 90 days;
//! - **product pivot**: a Tier 1 launch marked as a pivot.
//!
//! Each trigger has a stable key, so the store raises a key once and detecting again over the
//! same data (a re-import) raises nothing ([`unraised`]). The failed-deal key names the deal at
//! which the current run of the pattern began: more losses of the same run keep the key, and a
//! pattern that ends and comes back later is a new trigger. Only the pattern as it stands today
//! is detected; runs that ended in the past are history, not news.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::model::Tier;
use crate::domain::period::{Grain, Period};
use crate::domain::winloss::{self, By, DealOutcome, Outcome, WinRate};

/// The thresholds of the four triggers (the defaults are the protocol's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// How many of a segment's latest closed deals the failed-deal pattern looks at.
    pub window: usize,
    /// How many of them lost for one reason make a pattern.
    pub lost_same_reason: usize,
    pub drop_points: u64,
    /// Closed deals needed in each of the two quarters before a drop counts.
    pub drop_min_deals: u64,
    pub new_within_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { window: 6, lost_same_reason: 4, drop_points: 10, drop_min_deals: 10, new_within_days: 90 }
    }
}

/// A launch as the pivot trigger needs it; `pivot` is the director's flag on the launch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchFact {
    pub id: i64,
    pub name: String,
    pub tier: Tier,
    pub date: NaiveDate,
    pub pivot: bool,
}

/// One closed deal of a failed-deal window, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowDeal {
    pub deal: String,
    pub closed_on: NaiveDate,
    pub outcome: Outcome,
    pub reason: Option<String>,
}

/// What a trigger saw, as data: kept with the proposed decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "trigger", rename_all = "kebab-case")]
pub enum Evidence {
    FailedDeals { segment: Option<String>, reason: String, lost: usize, of: usize, window: Vec<WindowDeal> },
    WinRateDrop { competitor: String, period: String, previous: String, this: WinRate, prev: WinRate, points: f64 },
    NewCompetitor { competitor: String, first_seen: NaiveDate, deals: u64 },
    ProductPivot { launch: i64, name: String, date: NaiveDate },
}

/// A detected trigger: a proposal for a positioning review, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trigger {
    /// Stable identity: the store keeps the keys it has raised.
    pub key: String,
    /// The folded segment, when the trigger is about one (its PMM owns the proposal).
    pub segment: Option<String>,
    /// The folded competitor, when the trigger is about one (its card's owner owns the proposal).
    pub competitor: Option<String>,
    pub evidence: Evidence,
}

impl Trigger {
    /// One line for the proposed decision: what was seen, not what to do about it.
    pub fn title(&self) -> String {
        match &self.evidence {
            Evidence::FailedDeals { segment, reason, lost, of, .. } => {
                let segment = segment.as_deref().map_or("deals without a segment".into(), |s| format!("{s} deals"));
                format!("Positioning review: lost {lost} of the last {of} {segment} to \"{reason}\"")
            }
            Evidence::WinRateDrop { competitor, this, prev, points, .. } => format!(
                "Positioning review: win rate against {competitor} down {:.1} points ({} to {})",
                -points,
                prev.label(),
                this.label()
            ),
            Evidence::NewCompetitor { competitor, first_seen, deals } => {
                let s = if *deals == 1 { "" } else { "s" };
                format!("Positioning review: new competitor {competitor}, first seen {first_seen} ({deals} deal{s})")
            }
            Evidence::ProductPivot { name, date, .. } => {
                format!("Positioning review: product pivot \"{name}\" from {date} (a Tier 1 launch)")
            }
        }
    }
}

/// Unambiguous keys whatever the names hold: `failed-deal:["enterprise","security review","D-17"]`.
fn key(kind: &str, parts: &[&str]) -> String {
    format!("{kind}:{}", serde_json::to_string(parts).unwrap_or_default())
}

/// Every trigger that holds on `today`, pivots first, then failed deals, drops and new competitors.
pub fn detect(outcomes: &[DealOutcome], launches: &[LaunchFact], today: NaiveDate, rules: &Rules) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = launches
        .iter()
        .filter(|l| l.pivot && l.tier == Tier(1))
        .map(|l| Trigger {
            key: key("product-pivot", &[&l.id.to_string()]),
            segment: None,
            competitor: None,
            evidence: Evidence::ProductPivot { launch: l.id, name: l.name.clone(), date: l.date },
        })
        .collect();
    let closed: Vec<&DealOutcome> =
        outcomes.iter().filter(|o| o.is_closed() && o.closed_on.is_some_and(|d| d <= today)).collect();
    out.extend(failed_deals(&closed, rules));
    out.extend(win_rate_drops(&closed, today, rules));
    out.extend(new_competitors(outcomes, today, rules));
    out
}

/// The triggers whose key the store has not raised yet.
pub fn unraised(triggers: Vec<Trigger>, raised: &HashSet<String>) -> Vec<Trigger> {
    triggers.into_iter().filter(|t| !raised.contains(&t.key)).collect()
}

fn failed_deals(closed: &[&DealOutcome], rules: &Rules) -> Vec<Trigger> {
    let mut names = winloss::Names::default();
    let mut segments: Vec<Vec<&DealOutcome>> = Vec::new();
    for &o in closed {
        let g = names.slot(o.segment.as_deref());
        if g == segments.len() {
            segments.push(Vec::new());
        }
        segments[g].push(o);
    }
    // Reasons fold once per spelling, not once per deal.
    let mut reason_names = winloss::Names::default();
    let mut out = Vec::new();
    for ((segment_key, segment), mut deals) in names.into_groups().into_iter().zip(segments) {
        let Some(run) = current_run(&mut deals, &mut reason_names, rules) else { continue };
        let from = run.deals.len().saturating_sub(rules.window);
        let window: Vec<WindowDeal> = run.deals[from..]
            .iter()
            .map(|o| WindowDeal {
                deal: o.deal.clone(),
                closed_on: o.closed_on.unwrap_or_default(),
                outcome: o.outcome,
                reason: o.reason.clone(),
            })
            .collect();
        let lost = run.reasons[from..].iter().filter(|r| **r == Some(run.reason)).count();
        let (reason_key, reason_name) = reason_names.group(run.reason);
        let reason_key = reason_key.clone().unwrap_or_default();
        out.push(Trigger {
            key: key("failed-deal", &[segment_key.as_deref().unwrap_or(""), &reason_key, &run.began.deal]),
            segment: segment_key,
            competitor: None,
            evidence: Evidence::FailedDeals {
                segment,
                reason: reason_name.clone().unwrap_or(reason_key),
                lost,
                of: window.len(),
                window,
            },
        });
    }
    out
}

/// The failed-deal pattern as it stands in one segment.
struct Run<'a, 'd> {
    /// The latest closed deals in order (at least a window's worth, when there are that many).
    deals: &'a [&'d DealOutcome],
    /// Each one's lost-for reason (a reason group), `None` for a win or a loss without reason.
    reasons: Vec<Option<usize>>,
    reason: usize,
    /// The deal at which the current run of the pattern began.
    began: &'d DealOutcome,
}

/// Whether the latest closed deals of a segment hold the pattern, and since which deal. Only the
/// latest few windows are put in order (a full sort of years of history costs more than all the
/// rest); the tail grows only while the run reaches back to its start.
fn current_run<'a, 'd>(
    deals: &'a mut [&'d DealOutcome],
    reason_names: &mut winloss::Names<'d>,
    rules: &Rules,
) -> Option<Run<'a, 'd>> {
    let order = |a: &&DealOutcome, b: &&DealOutcome| a.closed_on.cmp(&b.closed_on).then_with(|| a.deal.cmp(&b.deal));
    let n = deals.len();
    let window = rules.window.max(1);
    let mut m = (4 * window).min(n);
    loop {
        let tail_start = n - m;
        if tail_start > 0 {
            deals.select_nth_unstable_by(tail_start, order);
        }
        deals[tail_start..].sort_unstable_by(order);
        let tail = &deals[tail_start..];
        let reasons: Vec<Option<usize>> = tail
            .iter()
            .map(|o| {
                let reason = o.reason.as_deref().filter(|r| o.outcome == Outcome::Lost && !r.trim().is_empty());
                reason.map(|r| reason_names.slot(Some(r)))
            })
            .collect();
        let last = m.checked_sub(1)?;
        let reason = pattern_at(&reasons, last, rules)?;
        // Windows that would reach before the tail are cut short: only true at the history's start.
        let floor = if tail_start == 0 { 0 } else { window - 1 };
        let mut start = last;
        while start > floor && pattern_at(&reasons, start - 1, rules) == Some(reason) {
            start -= 1;
        }
        if start == floor && tail_start > 0 {
            m = (m * 4).min(n);
            continue;
        }
        let began = tail[start];
        return Some(Run { deals: &deals[tail_start..], reasons, reason, began });
    }
}

/// The reason that at least `lost_same_reason` deals of the window ending at `end` lost for
/// (the most frequent if a loose rule lets two qualify, then the first met).
fn pattern_at(reasons: &[Option<usize>], end: usize, rules: &Rules) -> Option<usize> {
    let window = reasons.get((end + 1).saturating_sub(rules.window)..=end)?;
    let mut counts: Vec<(usize, usize)> = Vec::with_capacity(window.len());
    for &r in window.iter().flatten() {
        match counts.iter_mut().find(|(x, _)| *x == r) {
            Some((_, n)) => *n += 1,
            None => counts.push((r, 1)),
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= rules.lost_same_reason)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(r, _)| r)
}

fn win_rate_drops(closed: &[&DealOutcome], today: NaiveDate, rules: &Rules) -> Vec<Trigger> {
    let quarter = Period::containing(Grain::Quarter, today);
    let c = winloss::compare(closed.iter().copied(), By::Competitor, quarter);
    c.groups
        .into_iter()
        .filter_map(|t| {
            let competitor = t.key.clone()?;
            let enough = t.this.n() >= rules.drop_min_deals && t.prev.n() >= rules.drop_min_deals;
            if !enough || !t.this.fell_by_at_least(&t.prev, rules.drop_points) {
                return None;
            }
            Some(Trigger {
                key: key("win-rate-drop", &[&competitor, &quarter.to_string()]),
                segment: None,
                competitor: Some(competitor),
                evidence: Evidence::WinRateDrop {
                    competitor: t.name.clone().unwrap_or_default(),
                    period: quarter.to_string(),
                    previous: c.previous.to_string(),
                    this: t.this,
                    prev: t.prev,
                    points: t.change_points().unwrap_or_default(),
                },
            })
        })
        .collect()
}

fn new_competitors(outcomes: &[DealOutcome], today: NaiveDate, rules: &Rules) -> Vec<Trigger> {
    let mut names = winloss::Names::default();
    // Per competitor: the earliest dated outcome naming it, and how many outcomes do.
    let mut seen: Vec<(Option<NaiveDate>, u64)> = Vec::new();
    for o in outcomes {
        let Some(competitor) = o.competitor.as_deref() else { continue };
        let g = names.slot(Some(competitor));
        if g == seen.len() {
            seen.push((None, 0));
        }
        let (first, n) = &mut seen[g];
        *n += 1;
        if let Some(d) = o.closed_on.filter(|d| *d <= today) {
            *first = Some(first.map_or(d, |f| f.min(d)));
        }
    }
    let since = today - Duration::days(rules.new_within_days);
    names
        .into_groups()
        .into_iter()
        .zip(seen)
        .filter_map(|((key_, name), (first, deals))| {
            let (competitor, first_seen) = (key_?, first?);
            (first_seen >= since).then(|| Trigger {
                key: key("new-competitor", &[&competitor]),
                segment: None,
                competitor: Some(competitor),
                evidence: Evidence::NewCompetitor { competitor: name.unwrap_or_default(), first_seen, deals },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn closed(deal: &str, day: &str, outcome: Outcome, segment: &str, reason: &str) -> DealOutcome {
        DealOutcome {
            deal: deal.into(),
            closed_on: Some(d(day)),
            outcome,
            competitor: None,
            reason: (!reason.is_empty()).then(|| reason.into()),
            segment: Some(segment.into()),
            amount_cents: None,
        }
    }

    /// Enterprise: two old wins, then 4 of the last 6 lost to the security review (spelt three
    /// ways); mid-market lost 3 for the same reason, which is no pattern.
    fn security_review_file() -> Vec<DealOutcome> {
        use Outcome::{Lost, Won};
        vec![
            closed("E-01", "2026-08-01", Won, "Enterprise", ""),
            closed("E-02", "2026-08-20", Won, "enterprise", ""),
            closed("E-03", "2026-09-01", Lost, "Enterprise", "Security review"),
            closed("E-04", "2026-09-15", Won, "Enterprise", ""),
            closed("E-05", "2026-10-01", Lost, "Enterprise", "security review"),
            closed("E-06", "2026-10-10", Lost, "Enterprise", "Price"),
            closed("E-07", "2026-10-20", Lost, "Enterprise", "SECURITY REVIEW"),
            closed("E-08", "2026-11-02", Lost, "Enterprise", "security  review"),
            closed("M-01", "2026-10-01", Lost, "Mid-market", "security review"),
            closed("M-02", "2026-10-02", Lost, "Mid-market", "security review"),
            closed("M-03", "2026-10-03", Lost, "Mid-market", "security review"),
            closed("M-04", "2026-10-04", Won, "Mid-market", ""),
        ]
    }

    #[test]
    fn four_of_six_enterprise_losses_to_the_security_review_raise_one_trigger_once() {
        let today = d("2026-11-20");
        let found = detect(&security_review_file(), &[], today, &Rules::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        let t = &found[0];
        assert_eq!(t.segment.as_deref(), Some("enterprise"));
        assert_eq!(t.title(), "Positioning review: lost 4 of the last 6 Enterprise deals to \"Security review\"");
        let Evidence::FailedDeals { lost, of, window, .. } = &t.evidence else { panic!("{t:?}") };
        assert_eq!((*lost, *of), (4, 6));
        assert_eq!(window.first().map(|w| w.deal.as_str()), Some("E-03"));
        assert_eq!(t.key, r#"failed-deal:["enterprise","security review","E-08"]"#);

        // The same file again: the store holds the key, nothing new is raised.
        let raised: HashSet<String> = found.iter().map(|t| t.key.clone()).collect();
        assert!(unraised(detect(&security_review_file(), &[], today, &Rules::default()), &raised).is_empty());

        // One more loss of the same run keeps the key; a fresh run after a break is new.
        let mut more = security_review_file();
        more.push(closed("E-09", "2026-11-10", Outcome::Lost, "Enterprise", "Security review"));
        assert!(unraised(detect(&more, &[], today, &Rules::default()), &raised).is_empty());
        for (i, day) in ["2026-11-11", "2026-11-12", "2026-11-13"].into_iter().enumerate() {
            more.push(closed(&format!("E-1{i}"), day, Outcome::Won, "Enterprise", ""));
        }
        assert!(detect(&more, &[], today, &Rules::default()).is_empty());
        for (i, day) in ["2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17"].into_iter().enumerate() {
            more.push(closed(&format!("E-2{i}"), day, Outcome::Lost, "Enterprise", "security review"));
        }
        let again = unraised(detect(&more, &[], today, &Rules::default()), &raised);
        assert_eq!(again.len(), 1);
        assert!(again[0].key.ends_with(r#""E-23"]"#), "{}", again[0].key);
    }

    #[test]
    fn a_long_run_of_losses_is_keyed_by_the_deal_where_it_began_however_far_back() {
        // 30 wins, then 60 losses to price: the pattern holds from the 4th loss on, 57 deals
        // back from today, far beyond the few windows looked at first.
        let day = |i: i64| (d("2026-01-01") + Duration::days(i)).to_string();
        let mut rows: Vec<DealOutcome> =
            (0..30).map(|i| closed(&format!("W{i:02}"), &day(i), Outcome::Won, "smb", "")).collect();
        rows.extend((30..90).map(|i| closed(&format!("L{i:02}"), &day(i), Outcome::Lost, "smb", "Price")));
        rows.reverse();
        let found = detect(&rows, &[], d("2026-11-20"), &Rules::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, r#"failed-deal:["smb","price","L33"]"#);
        let Evidence::FailedDeals { lost, of, .. } = found[0].evidence else { panic!() };
        assert_eq!((lost, of), (6, 6));
    }

    fn against(competitor: &str, won: usize, lost: usize, day: &str) -> Vec<DealOutcome> {
        (0..won + lost)
            .map(|i| DealOutcome {
                competitor: Some(competitor.into()),
                ..closed(
                    &format!("{competitor}-{day}-{i}"),
                    day,
                    if i < won { Outcome::Won } else { Outcome::Lost },
                    "smb",
                    "",
                )
            })
            .collect()
    }

    #[test]
    fn a_ten_point_drop_over_ten_deals_each_quarter_raises_once_per_quarter() {
        let today = d("2026-11-20");
        let mut rows = against("Acme", 6, 4, "2026-08-10"); // Q3: 60% of 10
        rows.extend(against("acme", 5, 5, "2026-10-10")); // Q4: 50% of 10, exactly 10 points down
        rows.extend(against("Globex", 6, 4, "2026-08-10"));
        rows.extend(against("Globex", 4, 5, "2026-10-10")); // 44.4% but only 9 deals
        let rules = Rules { new_within_days: 0, ..Rules::default() };
        let found = detect(&rows, &[], today, &rules);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].key, r#"win-rate-drop:["acme","2026-Q4"]"#);
        assert_eq!(
            found[0].title(),
            "Positioning review: win rate against Acme down 10.0 points (60.0% (n = 10) to 50.0% (n = 10))"
        );
    }

    #[test]
    fn a_competitor_first_seen_within_ninety_days_is_new() {
        let today = d("2026-11-20");
        let mut rows = against("Initech", 1, 1, "2026-08-22"); // 90 days ago
        rows.extend(against("Umbrella", 1, 0, "2026-08-21")); // 91 days ago
        rows.extend(against("umbrella", 0, 1, "2026-11-01"));
        let found = detect(&rows, &[], today, &Rules::default());
        let keys: Vec<&str> = found.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, [r#"new-competitor:["initech"]"#]);
        assert_eq!(found[0].title(), "Positioning review: new competitor Initech, first seen 2026-08-22 (2 deals)");
    }

    #[test]
    fn only_a_tier_one_launch_marked_as_pivot_is_a_pivot() {
        let launch =
            |id, tier, pivot| LaunchFact { id, name: format!("L{id}"), tier: Tier(tier), date: d("2026-12-01"), pivot };
        let found = detect(
            &[],
            &[launch(1, 1, true), launch(2, 2, true), launch(3, 1, false)],
            d("2026-11-20"),
            &Rules::default(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, r#"product-pivot:["1"]"#);
        assert_eq!(found[0].title(), "Positioning review: product pivot \"L1\" from 2026-12-01 (a Tier 1 launch)");
    }
}
