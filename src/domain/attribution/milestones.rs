//! Milestone paths derived from HubSpot's contacts and deals exports, when both carry ids.
//!
//! HubSpot exports hold no per-interaction history, only a few dated properties per record, so a
//! derived path is short: per deal, from its earliest-created associated contact,
//! - a `touch` at the contact's Create Date on its Original Traffic Source (the first touch);
//! - `contact-created` (lead creation) at the First Conversion Date, else Became a Lead Date, else
//!   the Create Date, naming no channel: it marks the last touch at or before it (HubSpot's own
//!   definition), so it is missing only when no touch precedes it;
//! - `deal-created` at the deal's Create Date on the deal's Original Traffic Source, with the amount;
//! - `closed-won` at the Close Date on the Latest Traffic Source, with the amount (0 when the
//!   export has none: the win still counts, its revenue is unknown), or `closed-lost` there.
//!
//! A source that is empty gives a milestone without a channel (it marks the touch before it).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::{Deal, Touch, TouchKind, path};

/// Where a deal stands, as the deals export says (stage or `Is Closed Won` / `Is closed lost`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealStatus {
    Open,
    Won,
    Lost,
}

impl DealStatus {
    pub fn slug(self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won => "won",
            DealStatus::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<DealStatus> {
        [DealStatus::Open, DealStatus::Won, DealStatus::Lost].into_iter().find(|d| d.slug() == s)
    }
}

/// A contact of a HubSpot contacts export that carries `Record ID`.
#[derive(Debug, Clone, PartialEq)]
pub struct HubspotContact {
    pub id: String,
    pub created_at: NaiveDateTime,
    /// Original Traffic Source as a channel slug; `None` when empty.
    pub channel: Option<String>,
    /// First Conversion Date, else Became a Lead Date, when the export has one.
    pub converted_at: Option<NaiveDateTime>,
}

/// A deal of a HubSpot deals export that carries `Record ID` and `Associated Contact IDs`.
#[derive(Debug, Clone, PartialEq)]
pub struct HubspotDeal {
    pub id: String,
    pub created_at: NaiveDateTime,
    pub channel: Option<String>,
    pub contacts: Vec<String>,
    pub outcome: DealStatus,
    /// Set on won and lost deals only.
    pub closed_at: Option<NaiveDateTime>,
    pub latest_channel: Option<String>,
    pub amount_cents: Option<i64>,
}

/// What an export brings towards milestone paths.
#[derive(Debug, Clone, PartialEq)]
pub enum HubspotRecord {
    Contact(HubspotContact),
    Deal(HubspotDeal),
}

/// One derived row: the touch and, on deal-created and closed-won rows, the amount.
pub type DerivedRow = (Touch, Option<i64>);

/// The milestone paths of the deals whose associated contacts are known, and what is missing.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Derived {
    /// (deal id, its rows), in the order of `deals`.
    pub paths: Vec<(String, Vec<DerivedRow>)>,
    /// Deals with associated contact ids none of which is in a contacts import yet.
    pub without_contact: usize,
    /// Derived paths with no touch at or before the lead creation.
    pub without_lead_creation: usize,
    /// Deals whose derived rows contradict each other (a milestone that could mark two touches): left out.
    pub refused: usize,
}

/// The rows of every deal that has a known associated contact. Deals in `skip` (a touches file
/// gives their history) are left out.
pub fn derive(contacts: &[HubspotContact], deals: &[HubspotDeal], skip: &dyn Fn(&str) -> bool) -> Derived {
    let by_id: HashMap<&str, &HubspotContact> = contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut out = Derived::default();
    for d in deals {
        if skip(&d.id) {
            continue;
        }
        // The earliest-created associated contact is the one whose journey led to the deal; ties
        // go to the smaller id so the choice never depends on the files' order.
        let contact = d
            .contacts
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .min_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
        let Some(c) = contact else {
            out.without_contact += 1;
            continue;
        };
        let rows = rows(c, d);
        let touches: Vec<Touch> = rows.iter().map(|(t, _)| t.clone()).collect();
        let Some(last) = touches.iter().map(|t| t.at).max() else { continue };
        let deal = Deal { id: d.id.clone(), amount_cents: 0, converted_at: last, touches };
        match path(&deal) {
            Ok(p) => {
                if !p.steps.iter().any(|s| s.is_lead_creation()) {
                    out.without_lead_creation += 1;
                }
            }
            Err(_) => {
                out.refused += 1;
                continue;
            }
        }
        out.paths.push((d.id.clone(), rows));
    }
    out
}

fn rows(c: &HubspotContact, d: &HubspotDeal) -> Vec<DerivedRow> {
    let row = |at, channel: &Option<String>, kind| Touch { at, channel: channel.clone(), campaign: None, kind };
    let mut out = Vec::with_capacity(4);
    if c.channel.is_some() {
        out.push((row(c.created_at, &c.channel, TouchKind::Touch), None));
    }
    let lead = c.converted_at.unwrap_or(c.created_at);
    out.push((row(lead, &None, TouchKind::ContactCreated), None));
    out.push((row(d.created_at, &d.channel, TouchKind::DealCreated), d.amount_cents));
    match (d.outcome, d.closed_at) {
        (DealStatus::Won, Some(at)) => {
            out.push((row(at, &d.latest_channel, TouchKind::ClosedWon), Some(d.amount_cents.unwrap_or(0))))
        }
        (DealStatus::Lost, Some(at)) => out.push((row(at, &None, TouchKind::ClosedLost), None)),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 10, d).and_then(|x| x.and_hms_opt(h, 0, 0)).unwrap()
    }

    #[test]
    fn a_won_deal_gets_first_lead_deal_and_won_rows_from_its_earliest_contact() {
        let contact = |id: &str, day, ch: Option<&str>| HubspotContact {
            id: id.into(),
            created_at: at(day, 9),
            channel: ch.map(Into::into),
            converted_at: Some(at(day, 10)),
        };
        let contacts = [contact("c2", 3, Some("email")), contact("c1", 2, Some("linkedin")), contact("c3", 1, None)];
        let deal = HubspotDeal {
            id: "d".into(),
            created_at: at(12, 9),
            channel: Some("events".into()),
            contacts: vec!["c2".into(), "c1".into(), "missing".into()],
            outcome: DealStatus::Won,
            closed_at: Some(at(31, 9)),
            latest_channel: Some("direct".into()),
            amount_cents: Some(1_200_000),
        };
        let lonely = HubspotDeal { id: "e".into(), contacts: vec!["nobody".into()], ..deal.clone() };
        let skipped = HubspotDeal { id: "f".into(), ..deal.clone() };
        let got = derive(&contacts, &[deal, lonely, skipped], &|id| id == "f");
        assert_eq!((got.without_contact, got.without_lead_creation, got.refused), (1, 0, 0));
        let (id, rows) = &got.paths[0];
        assert_eq!(id, "d");
        let kinds: Vec<(TouchKind, Option<&str>, Option<i64>)> =
            rows.iter().map(|(t, a)| (t.kind, t.channel.as_deref(), *a)).collect();
        assert_eq!(
            kinds,
            [
                (TouchKind::Touch, Some("linkedin"), None),
                (TouchKind::ContactCreated, None, None),
                (TouchKind::DealCreated, Some("events"), Some(1_200_000)),
                (TouchKind::ClosedWon, Some("direct"), Some(1_200_000)),
            ]
        );
        // A contact with no source has no first touch: its lead creation has nothing to mark.
        let deal = HubspotDeal { id: "g".into(), contacts: vec!["c3".into()], ..got_deal() };
        let got = derive(&contacts, &[deal], &|_| false);
        assert_eq!(got.without_lead_creation, 1);
    }

    fn got_deal() -> HubspotDeal {
        HubspotDeal {
            id: "x".into(),
            created_at: at(12, 9),
            channel: Some("events".into()),
            contacts: Vec::new(),
            outcome: DealStatus::Open,
            closed_at: None,
            latest_channel: None,
            amount_cents: None,
        }
    }
}
