//! Stale battlecards on the attention list: the protocol's refresh (a quarter, or a competitor
//! launch since the last refresh), each line naming the card's owner and why it is stale.
//! One registration line in `attention::SOURCES` adds them (at risk: the card is not wrong yet,
//! but Sales is reading an old one); staleness is `domain::battlecard`'s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::attention::Input;
use crate::domain::attention::{Attention, Group, Link, kind};
use crate::domain::battlecard::{self, StaleReason};
use crate::domain::compete::Settings;
use crate::store::Store;
use crate::store::error::Result;

/// A card that needs its owner's refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaleCard {
    pub key: String,
    pub name: String,
    pub owner: String,
    pub reasons: Vec<StaleReason>,
}

/// Every stale card on `today`, in the order the Compete tab lists competitors.
pub fn stale_cards(store: &Store, today: NaiveDate, settings: &Settings) -> Result<Vec<StaleCard>> {
    Ok(store
        .compete()
        .cards()?
        .into_iter()
        .filter_map(|card| {
            let fresh = battlecard::freshness(
                battlecard::last_refreshed(&card.history),
                &card.launches,
                &card.pivots,
                today,
                settings.stale_after_days,
            );
            if !fresh.is_stale() {
                return None;
            }
            Some(StaleCard {
                key: card.competitor.key,
                name: card.competitor.name,
                owner: card.competitor.owner,
                reasons: fresh.reasons,
            })
        })
        .collect())
}

/// The attention lines: at risk after the launches, the longest overdue first.
pub fn attention(i: &Input<'_>) -> Result<Vec<Attention>> {
    Ok(i.brief
        .stale_cards
        .iter()
        .map(|c| {
            let why: Vec<String> = c.reasons.iter().map(ToString::to_string).collect();
            let overdue = c
                .reasons
                .iter()
                .map(|r| match r {
                    StaleReason::Old { age_days, limit_days, .. } => (age_days - limit_days) as f64,
                    _ => 0.0,
                })
                .fold(0.0, f64::max);
            Attention::new(
                Group::AtRisk,
                kind::BATTLECARD,
                format!("battlecard {} stale:", c.name),
                format!("{}; owner {}", why.join("; "), c.owner),
                90.0 + (overdue / 10.0).clamp(0.0, 9.9),
                Link::Competitor { key: c.key.clone() },
            )
        })
        .collect())
}
