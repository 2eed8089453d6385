//! Competitors as the battlecard protocol keeps them, and the rules that join win/loss,
//! battlecards and positioning triggers: who owns a proposal, what a proposal says, and the
//! names under which deal outcomes reach the KPI engine.
//!
//! The computations themselves live in `winloss` (win rates), `battlecard` (sections,
//! staleness, refreshes) and `positioning` (triggers); this module only decides between them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::error::{Error, Result};
use crate::domain::positioning::{Evidence, Trigger};
use crate::domain::text::name_key;
use crate::domain::winloss::Outcome;

/// Ready for `name_key` lookups: the key as stored is folded this way.
pub fn competitor_key(raw: &str) -> String {
    name_key(raw)
}

/// A competitor and the PMM who keeps its card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Competitor {
    pub id: i64,
    /// As first typed: `acme`.
    pub key: String,
    pub name: String,
    pub owner: String,
    pub segment: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Competitor {
    /// The folded key, as deal outcomes name competitors (`ACME – Corp` is `acme - corp`).
    pub fn key_norm(&self) -> String {
        name_key(&self.key)
    }

    /// True when `name` (a competitor as a deal names it) is this competitor: its key or its name.
    pub fn is_named(&self, folded: &str) -> bool {
        name_key(&self.key) == folded || name_key(&self.name) == folded
    }
}

/// A competitor about to be added: the one check behind `compete add` and the cockpit's form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCompetitor {
    pub key: String,
    pub name: String,
    pub owner: String,
    pub segment: Option<String>,
}

impl NewCompetitor {
    /// Key, name and owner are required (the protocol: every card has an owner).
    pub fn validate(&self) -> Result<()> {
        if self.key.trim().is_empty() {
            return Err(Error::input("a competitor needs a key (acme)").in_field("key"));
        }
        if self.key.chars().any(char::is_control) {
            return Err(Error::input("a competitor's key is one line of text").in_field("key"));
        }
        if self.name.trim().is_empty() {
            return Err(Error::input("a competitor needs a name (--name \"Acme Corp\")").in_field("name"));
        }
        if self.owner.trim().is_empty() {
            return Err(Error::input("an owner is required: who owns this? (--owner maya)").in_field("owner"));
        }
        Ok(())
    }
}

/// Settings of the protocol (config `[compete]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// A card whose newest section is older than this many days is stale.
    pub stale_after_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { stale_after_days: crate::domain::battlecard::STALE_AFTER_DAYS }
    }
}

/// The KPI engine's names for deal outcomes: a metric whose formula is
/// `outcomes.won/outcomes.won+outcomes.lost` is won / (won + lost) of the deals closed in the
/// period, from the same current outcomes `winloss` reads.
pub const KPI_WON: &str = "outcomes.won";
pub const KPI_LOST: &str = "outcomes.lost";

/// The outcome a KPI input name stands for, when it names deal outcomes.
pub fn kpi_input(name: &str) -> Option<Outcome> {
    match name {
        KPI_WON => Some(Outcome::Won),
        KPI_LOST => Some(Outcome::Lost),
        _ => None,
    }
}

/// Who owns the proposal a trigger opens (documented in `docs/compete.md`):
/// - a trigger about a competitor (a win-rate drop, a new competitor): the owner of that
///   competitor's card;
/// - a trigger about a segment (a failed-deal pattern), or about a competitor without a card:
///   the segment's PMM, that is the person who owns the most battlecards in that segment (ties:
///   the first in alphabetical order); for a new competitor, its deals' most common segment;
/// - otherwise (a product pivot, or no card anywhere near): `fallback`, the person importing.
pub fn proposal_owner(
    trigger: &Trigger,
    competitors: &[Competitor],
    deal_segment: Option<&str>,
    fallback: &str,
) -> String {
    if let Some(c) = trigger.competitor.as_deref().and_then(|k| competitors.iter().find(|c| c.is_named(k))) {
        return c.owner.clone();
    }
    let segment = trigger.segment.clone().or_else(|| deal_segment.map(name_key));
    if let Some(owner) = segment.and_then(|s| segment_pmm(competitors, &s)) {
        return owner;
    }
    fallback.trim().to_string()
}

/// The owner of the most cards in `segment` (folded), ties to the first name alphabetically.
pub fn segment_pmm(competitors: &[Competitor], segment: &str) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for c in competitors.iter().filter(|c| c.segment.as_deref().map(name_key).as_deref() == Some(segment)) {
        match counts.iter_mut().find(|(o, _)| *o == c.owner) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.owner.clone(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.into_iter().next().map(|(o, _)| o)
}

/// The proposed decision a trigger opens: what was seen, what is proposed, and the risk of
/// doing nothing. Never a decision made for the director.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub title: String,
    pub recommendation: String,
    pub risk: String,
}

/// The words of the proposal for `trigger`, to be reviewed at the meeting on `review` (if any).
pub fn proposal(trigger: &Trigger, review: Option<NaiveDate>) -> Proposal {
    let when = review.map_or_else(
        || "at the next positioning review".to_string(),
        |d| format!("at the quarterly positioning review on {}", d.format("%a %d %b %Y")),
    );
    let (seen, risk) = match &trigger.evidence {
        Evidence::FailedDeals { segment, reason, lost, of, window } => {
            let deals: Vec<String> = window
                .iter()
                .map(|w| match (&w.outcome, &w.reason) {
                    (Outcome::Lost, Some(r)) => format!("{} lost {} ({r})", w.deal, w.closed_on),
                    (o, _) => format!("{} {o} {}", w.deal, w.closed_on),
                })
                .collect();
            let seg = segment.as_deref().unwrap_or("deals without a segment");
            (
                format!("{lost} of the last {of} closed {seg} deals were lost to \"{reason}\": {}", deals.join("; ")),
                format!("more {seg} deals lost to the same objection while the message stays as it is"),
            )
        }
        Evidence::WinRateDrop { competitor, period, previous, this, prev, .. } => (
            format!("win rate against {competitor}: {} in {previous}, {} in {period}", prev.label(), this.label()),
            format!("the slide against {competitor} continues into next quarter"),
        ),
        Evidence::NewCompetitor { competitor, first_seen, deals } => (
            format!("{competitor} first appeared in a deal on {first_seen}; {deals} deals name it so far"),
            format!("Sales meets {competitor} without a battlecard"),
        ),
        Evidence::ProductPivot { name, date, .. } => (
            format!("the Tier 1 launch \"{name}\" is marked as a product pivot from {date}"),
            "the positioning describes a product that no longer exists".to_string(),
        ),
    };
    Proposal {
        title: trigger.title(),
        recommendation: format!("Review the positioning {when}. Evidence: {seen}."),
        risk: format!("If nothing is done: {risk}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::positioning::WindowDeal;

    fn competitor(key: &str, owner: &str, segment: Option<&str>) -> Competitor {
        Competitor {
            id: 1,
            key: key.into(),
            name: key.to_uppercase(),
            owner: owner.into(),
            segment: segment.map(Into::into),
            created_at: NaiveDateTime::default(),
        }
    }

    fn failed(segment: &str) -> Trigger {
        Trigger {
            key: "k".into(),
            segment: Some(segment.into()),
            competitor: None,
            evidence: Evidence::FailedDeals {
                segment: Some("Enterprise".into()),
                reason: "Security review".into(),
                lost: 4,
                of: 6,
                window: vec![WindowDeal {
                    deal: "E-03".into(),
                    closed_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                    outcome: Outcome::Lost,
                    reason: Some("Security review".into()),
                }],
            },
        }
    }

    #[test]
    fn an_owner_is_required() {
        let mut c = NewCompetitor { key: "x".into(), name: "X".into(), ..NewCompetitor::default() };
        let e = c.validate().unwrap_err();
        assert_eq!(e.field(), Some("owner"));
        assert!(e.to_string().contains("who owns this?"), "{e}");
        c.owner = "maya".into();
        assert!(c.validate().is_ok());
    }

    #[test]
    fn a_segment_trigger_goes_to_the_pmm_with_the_most_cards_in_it() {
        let cards = [
            competitor("acme", "maya", Some("Enterprise")),
            competitor("globex", "li", Some("enterprise")),
            competitor("initech", "li", Some("Enterprise")),
            competitor("hooli", "sam", Some("Mid-market")),
        ];
        assert_eq!(proposal_owner(&failed("enterprise"), &cards, None, "dana"), "li");
        assert_eq!(proposal_owner(&failed("smb"), &cards, None, "dana"), "dana");
        let mut drop = failed("enterprise");
        drop.segment = None;
        drop.competitor = Some("hooli".into());
        assert_eq!(proposal_owner(&drop, &cards, None, "dana"), "sam");
        drop.competitor = Some("umbrella".into());
        assert_eq!(proposal_owner(&drop, &cards, Some("Mid-Market"), "dana"), "sam");
    }

    #[test]
    fn a_proposal_says_what_was_seen_and_when_it_is_reviewed() {
        let p = proposal(&failed("enterprise"), NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(p.title, "Positioning review: lost 4 of the last 6 Enterprise deals to \"Security review\"");
        assert!(
            p.recommendation
                .starts_with("Review the positioning at the quarterly positioning review on Thu 01 Jan 2026.")
        );
        assert!(p.recommendation.contains("E-03 lost 2026-09-01 (Security review)"), "{}", p.recommendation);
        assert!(p.risk.starts_with("If nothing is done: more Enterprise deals"));
    }

    #[test]
    fn outcome_inputs_are_named_for_the_kpi_engine() {
        assert_eq!(kpi_input("outcomes.won"), Some(Outcome::Won));
        assert_eq!(kpi_input("outcomes.lost"), Some(Outcome::Lost));
        assert_eq!(kpi_input("won"), None);
    }
}
