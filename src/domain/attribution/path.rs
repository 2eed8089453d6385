//! A deal's path: the touches at or before its conversion, in time order, each with the milestone
//! roles it holds. Every model reads the same path, so the rules live here once:
//!
//! 1. Only rows at or before the conversion count (`at <= converted_at`); later rows are ignored.
//! 2. Touches are ordered by time; rows at the same instant keep their order in the input.
//! 3. The *first* touch is the earliest touch of the path.
//! 4. A milestone row (contact-created is the lead creation; deal-created; closed-won) *marks* a
//!    touch instead of adding one when it matches it: same instant, same channel when the
//!    milestone names one, same campaign when both name one. So `09-20 email touch` and
//!    `09-20 email contact-created` are one touch there, the lead-creation touch, and a
//!    milestone row without a channel marks "the touch at this time".
//!    - matching touches that differ in channel or campaign: refused as ambiguous; when they
//!      agree, the first in order is marked (the credit lands in the same row either way);
//!    - no match but the milestone names a channel: the milestone row is a touch itself (the form
//!      fill that created the contact was an interaction through that channel);
//!    - no match and no channel: the milestone marks the *last touch before it*, HubSpot's
//!      definition ("lead creation: the customer's last interaction before they were converted
//!      to a contact"); the touches at that earlier instant are matched as above;
//!    - no touch at or before it at all: the milestone is missing from the path; the model's
//!      present weights are renormalised and the report counts the deal as missing a milestone.
//!
//!    Milestones are placed in the order contact-created, deal-created, closed-won, so a later
//!    one can mark the touch an earlier one added: coinciding milestones on one touch add up.
//! 5. Closed-lost rows are never touches: they record the outcome, nothing is credited to them.
//! 6. A deal has at most one row of each milestone kind in all its history; more are refused.
//! 7. Instants compare exactly: a milestone at `2026-09-20 00:00` does not mark a touch at
//!    `2026-09-20 10:15`. The importers write milestone rows with the touch's own timestamp.

use chrono::NaiveDateTime;

use super::{AttributionError, Deal, TouchKind};

/// Role bits a step can hold.
pub(super) const FIRST: u8 = 1;
pub(super) const LEAD: u8 = 2;
pub(super) const DEAL: u8 = 4;
pub(super) const WON: u8 = 8;
const ALL_ROLES: u8 = FIRST | LEAD | DEAL | WON;

/// One touch of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    pub at: NaiveDateTime,
    pub channel: &'a str,
    pub campaign: Option<&'a str>,
    /// The deal's row this step came from (its index in `Deal::touches`).
    pub row: usize,
    roles: u8,
}

impl Step<'_> {
    pub fn is_first(&self) -> bool {
        self.roles & FIRST != 0
    }
    pub fn is_lead_creation(&self) -> bool {
        self.roles & LEAD != 0
    }
    pub fn is_deal_creation(&self) -> bool {
        self.roles & DEAL != 0
    }
    pub fn is_closed_won(&self) -> bool {
        self.roles & WON != 0
    }
    pub(super) fn roles(&self) -> u8 {
        self.roles
    }
}

/// The touches that share a deal's credit, in order, with their roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path<'a> {
    pub steps: Vec<Step<'a>>,
    /// Role bits no step holds.
    missing: u8,
}

impl Path<'_> {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
    /// True when one of these roles (bits) is held by no touch of the path.
    pub(super) fn lacks(&self, roles: u8) -> bool {
        self.missing & roles != 0
    }
}

/// Build a deal's path by the rules above.
pub fn path(deal: &Deal) -> Result<Path<'_>, AttributionError> {
    if deal.amount_cents < 0 {
        return Err(AttributionError::NegativeAmount { deal: deal.id.clone(), cents: deal.amount_cents });
    }
    let milestones = milestone_rows(deal)?;
    let mut steps: Vec<Step<'_>> = Vec::with_capacity(deal.touches.len());
    for (row, t) in deal.touches.iter().enumerate() {
        if t.kind != TouchKind::Touch || t.at > deal.converted_at {
            continue;
        }
        let channel =
            t.channel.as_deref().ok_or_else(|| AttributionError::NoChannel { deal: deal.id.clone(), at: t.at })?;
        steps.push(Step { at: t.at, channel, campaign: t.campaign.as_deref(), row, roles: 0 });
    }
    // Stable: rows at the same instant keep their input order.
    steps.sort_by_key(|s| s.at);
    for (role, row) in milestones {
        let Some(row) = row else { continue };
        let m = &deal.touches[row];
        if m.at > deal.converted_at {
            continue;
        }
        place(deal, &mut steps, role, row)?;
    }
    if let Some(s) = steps.first_mut() {
        s.roles |= FIRST;
    }
    let held = steps.iter().fold(0, |acc, s| acc | s.roles);
    Ok(Path { steps, missing: ALL_ROLES & !held })
}

/// The row of each milestone kind, in placing order; a kind given twice is refused.
fn milestone_rows(deal: &Deal) -> Result<[(u8, Option<usize>); 3], AttributionError> {
    let mut out = [(LEAD, None), (DEAL, None), (WON, None)];
    let mut counts = [0usize; 3];
    for (row, t) in deal.touches.iter().enumerate() {
        let slot = match t.kind {
            TouchKind::ContactCreated => 0,
            TouchKind::DealCreated => 1,
            TouchKind::ClosedWon => 2,
            TouchKind::Touch | TouchKind::ClosedLost => continue,
        };
        counts[slot] += 1;
        out[slot].1.get_or_insert(row);
    }
    for (slot, kind) in
        [TouchKind::ContactCreated, TouchKind::DealCreated, TouchKind::ClosedWon].into_iter().enumerate()
    {
        if counts[slot] > 1 {
            return Err(AttributionError::DuplicateMilestone { deal: deal.id.clone(), kind, count: counts[slot] });
        }
    }
    Ok(out)
}

/// Mark the touch a milestone row matches, or add the row as a touch, or leave the role missing.
fn place<'a>(deal: &'a Deal, steps: &mut Vec<Step<'a>>, role: u8, row: usize) -> Result<(), AttributionError> {
    let m = &deal.touches[row];
    let (channel, campaign) = (m.channel.as_deref(), m.campaign.as_deref());
    let matches = |s: &Step<'_>| {
        channel.is_none_or(|c| c == s.channel) && !matches!((campaign, s.campaign), (Some(a), Some(b)) if a != b)
    };
    let (mut lo, mut hi) = instant(steps, m.at);
    if channel.is_none() && !steps[lo..hi].iter().any(matches) && lo > 0 {
        // No touch at its instant: the last interaction before it (every touch at that instant).
        (lo, hi) = instant(steps, steps[lo - 1].at);
    }
    let mut found = steps[lo..hi].iter().enumerate().filter(|(_, s)| matches(s));
    if let Some((first, s)) = found.next() {
        let key = (s.channel, s.campaign);
        if found.clone().any(|(_, o)| (o.channel, o.campaign) != key) {
            let candidates = steps[lo..hi]
                .iter()
                .filter(|s| matches(s))
                .map(|s| match s.campaign {
                    Some(c) => format!("{}/{c}", s.channel),
                    None => s.channel.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Err(AttributionError::AmbiguousMilestone {
                deal: deal.id.clone(),
                kind: m.kind,
                at: m.at,
                candidates,
            });
        }
        let s = &mut steps[lo + first];
        s.roles |= role;
        if s.campaign.is_none() {
            s.campaign = campaign;
        }
        return Ok(());
    }
    if let Some(channel) = channel {
        // After the same-instant touches that come before it in the input, before the others.
        let at = lo + steps[lo..hi].iter().take_while(|s| s.row < row).count();
        steps.insert(at, Step { at: m.at, channel, campaign, row, roles: role });
    }
    Ok(())
}

/// The range of `steps` (sorted by time) at exactly `at`.
fn instant(steps: &[Step<'_>], at: NaiveDateTime) -> (usize, usize) {
    (steps.partition_point(|s| s.at < at), steps.partition_point(|s| s.at <= at))
}

#[cfg(test)]
mod tests {
    use super::super::Touch;
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap().and_hms_opt(0, 0, 0).unwrap()
    }
    fn row(day: &str, channel: Option<&str>, kind: TouchKind) -> Touch {
        Touch { at: at(day), channel: channel.map(Into::into), campaign: None, kind }
    }
    fn deal(touches: Vec<Touch>) -> Deal {
        Deal { id: "d1".into(), amount_cents: 100, converted_at: at("2026-10-31"), touches }
    }

    #[test]
    fn a_milestone_row_of_the_same_channel_marks_the_touch_instead_of_adding_one() {
        let d = deal(vec![
            row("2026-09-20", Some("email"), TouchKind::ContactCreated),
            row("2026-09-01", Some("linkedin"), TouchKind::Touch),
            row("2026-09-20", Some("email"), TouchKind::Touch),
        ]);
        let p = path(&d).unwrap();
        assert_eq!(p.steps.len(), 2);
        assert!(p.steps[0].is_first() && p.steps[0].channel == "linkedin");
        assert!(p.steps[1].is_lead_creation() && p.steps[1].row == 2);
        assert!(p.lacks(DEAL) && !p.lacks(LEAD));
    }

    #[test]
    fn a_milestone_through_another_channel_is_a_touch_of_its_own() {
        let d = deal(vec![
            row("2026-09-20", Some("organic-search"), TouchKind::Touch),
            row("2026-09-20", Some("email"), TouchKind::ContactCreated),
        ]);
        let p = path(&d).unwrap();
        assert_eq!(p.steps.iter().map(|s| s.channel).collect::<Vec<_>>(), ["organic-search", "email"]);
        assert!(p.steps[1].is_lead_creation() && !p.steps[0].is_lead_creation());
    }

    #[test]
    fn coinciding_milestones_land_on_one_touch() {
        // The contact and the deal were created by the same demo request, the only touch.
        let d = deal(vec![
            row("2026-10-12", Some("events"), TouchKind::DealCreated),
            row("2026-10-12", Some("events"), TouchKind::ContactCreated),
        ]);
        let p = path(&d).unwrap();
        assert_eq!(p.steps.len(), 1);
        let s = p.steps[0];
        assert!(s.is_first() && s.is_lead_creation() && s.is_deal_creation() && !s.is_closed_won());
    }

    #[test]
    fn a_channelless_milestone_marks_the_touch_at_its_time_or_the_last_one_before_it() {
        let d = deal(vec![
            row("2026-09-01", Some("linkedin"), TouchKind::Touch),
            row("2026-09-20", Some("email"), TouchKind::Touch),
            row("2026-09-20", None, TouchKind::ContactCreated),
            row("2026-10-12", None, TouchKind::DealCreated),
        ]);
        let p = path(&d).unwrap();
        assert_eq!(p.steps.len(), 2);
        assert!(p.steps[1].is_lead_creation() && p.steps[1].is_deal_creation());
        assert!(!p.lacks(LEAD | DEAL));
    }

    #[test]
    fn a_channelless_milestone_before_every_touch_is_missing() {
        let d = deal(vec![
            row("2026-09-01", None, TouchKind::ContactCreated),
            row("2026-09-20", Some("email"), TouchKind::Touch),
        ]);
        let p = path(&d).unwrap();
        assert_eq!(p.steps.len(), 1);
        assert!(p.lacks(LEAD) && !p.steps[0].is_lead_creation());
    }

    #[test]
    fn ambiguous_and_duplicate_milestones_are_refused_naming_the_deal() {
        let two_channels = deal(vec![
            row("2026-09-20", Some("email"), TouchKind::Touch),
            row("2026-09-20", Some("events"), TouchKind::Touch),
            row("2026-09-20", None, TouchKind::ContactCreated),
        ]);
        let e = path(&two_channels).unwrap_err().to_string();
        assert!(e.contains("deal d1") && e.contains("email, events"), "{e}");

        let twice = deal(vec![
            row("2026-09-20", Some("email"), TouchKind::DealCreated),
            row("2026-09-21", Some("email"), TouchKind::DealCreated),
        ]);
        assert!(matches!(path(&twice), Err(AttributionError::DuplicateMilestone { count: 2, .. })));
    }

    #[test]
    fn rows_after_the_conversion_and_closed_lost_rows_are_not_touches() {
        let d = deal(vec![
            row("2026-11-02", Some("email"), TouchKind::Touch),
            row("2026-11-01", Some("email"), TouchKind::ContactCreated),
            row("2026-10-30", Some("sales"), TouchKind::ClosedLost),
        ]);
        let p = path(&d).unwrap();
        assert!(p.is_empty());
        assert!(p.lacks(FIRST | LEAD));
    }

    #[test]
    fn a_touch_without_a_channel_or_a_negative_amount_is_refused() {
        let d = deal(vec![row("2026-10-01", None, TouchKind::Touch)]);
        assert!(matches!(path(&d), Err(AttributionError::NoChannel { .. })));
        let mut d = deal(vec![]);
        d.amount_cents = -1;
        assert!(matches!(path(&d), Err(AttributionError::NegativeAmount { .. })));
    }
}
