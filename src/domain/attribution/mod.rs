//! Attribution: who gets the credit for a deal's pipeline or revenue, over the touches before it.
//!
//! HubSpot's seven models, computed offline and exactly: a deal's credits are integer cents that
//! sum to its amount to the cent. The pieces, in the order a computation runs them:
//! - [`path`]: a deal's rows (plain touches and milestone rows) become its *path*, the touches at
//!   or before the conversion with the milestone roles they hold. The rules that decide which
//!   touch is the lead creation, the deal creation or the closed-won one are written there.
//! - [`split`]: a model's weights over a path, and the exact split of an amount by them.
//! - [`report`]: credits added up by channel or campaign for one or several models side by side,
//!   with the deals that have no touches reported as unattributed, never dropped.

mod milestones;
mod path;
mod report;
mod split;

use chrono::NaiveDateTime;
use serde::Serialize;
use std::fmt;

pub use milestones::{DealStatus, Derived, DerivedRow, HubspotContact, HubspotDeal, HubspotRecord, derive};
pub use path::{Path, Step, path};
pub use report::{By, Report, Row, Unattributed, report};
pub use split::{Credit, credit};

/// The seven models, in the order HubSpot lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// 100% to the earliest touch.
    First,
    /// 100% to the last touch at or before the conversion.
    Last,
    /// Equal shares.
    Linear,
    /// 40% first, 40% lead creation, 20% shared by the rest.
    UShaped,
    /// 30% each to first, lead creation and deal creation, 10% shared by the rest.
    WShaped,
    /// 22.5% each to first, lead creation, deal creation and closed-won, 10% shared by the rest.
    FullPath,
    /// Weight 2^(-days before the conversion / half-life).
    TimeDecay,
}

impl Model {
    pub const ALL: [Model; 7] =
        [Model::First, Model::Last, Model::Linear, Model::UShaped, Model::WShaped, Model::FullPath, Model::TimeDecay];

    /// The name on the command line and in JSON: `u-shaped`.
    pub fn slug(self) -> &'static str {
        match self {
            Model::First => "first",
            Model::Last => "last",
            Model::Linear => "linear",
            Model::UShaped => "u-shaped",
            Model::WShaped => "w-shaped",
            Model::FullPath => "full-path",
            Model::TimeDecay => "time-decay",
        }
    }

    /// Parse a model name; case, spaces and underscores are forgiven (`W_shaped`, `time decay`).
    pub fn parse(s: &str) -> Result<Model, AttributionError> {
        let slug = crate::domain::text::channel_slug(s);
        Model::ALL.into_iter().find(|m| m.slug() == slug).ok_or_else(|| AttributionError::UnknownModel(s.trim().into()))
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// What a row of a deal's history records: an interaction, or one of the deal's milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TouchKind {
    /// A marketing interaction (a visit, an email click, an event).
    Touch,
    /// The moment the contact (lead) was created.
    ContactCreated,
    /// The moment the deal was created.
    DealCreated,
    /// The deal was won: the revenue conversion.
    ClosedWon,
    /// The deal was lost: never a touch and never credited, it only records the outcome.
    ClosedLost,
}

impl TouchKind {
    pub const ALL: [TouchKind; 5] = [
        TouchKind::Touch,
        TouchKind::ContactCreated,
        TouchKind::DealCreated,
        TouchKind::ClosedWon,
        TouchKind::ClosedLost,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            TouchKind::Touch => "touch",
            TouchKind::ContactCreated => "contact-created",
            TouchKind::DealCreated => "deal-created",
            TouchKind::ClosedWon => "closed-won",
            TouchKind::ClosedLost => "closed-lost",
        }
    }

    /// Parse the `kind` column of `touches-csv`; an empty cell is a plain touch.
    pub fn parse(s: &str) -> Result<TouchKind, AttributionError> {
        let slug = crate::domain::text::channel_slug(s);
        if slug.is_empty() {
            return Ok(TouchKind::Touch);
        }
        TouchKind::ALL
            .into_iter()
            .find(|k| k.slug() == slug)
            .ok_or_else(|| AttributionError::UnknownKind(s.trim().into()))
    }
}

impl fmt::Display for TouchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// One row of a deal's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub at: NaiveDateTime,
    /// A channel slug (`domain::text::channel_slug`). Required on a plain touch; optional on a
    /// milestone row, where `None` means "marks the touch at this time" (see [`path`]).
    pub channel: Option<String>,
    pub campaign: Option<String>,
    pub kind: TouchKind,
}

/// A deal to attribute: its amount is credited over the touches at or before `converted_at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub id: String,
    /// Integer cents; never negative.
    pub amount_cents: i64,
    /// The conversion being credited: the deal's creation for pipeline, its close for revenue
    /// (see [`Goal::conversion`]).
    pub converted_at: NaiveDateTime,
    /// In any order; the path sorts them.
    pub touches: Vec<Touch>,
}

/// What is being attributed: the pipeline a deal opened, or the revenue it closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    Pipeline,
    Revenue,
}

impl Goal {
    /// The conversion time for this goal in a deal's rows: its deal-created row for pipeline, its
    /// closed-won row for revenue; `None` when the deal has not got there (not attributed yet).
    pub fn conversion(self, touches: &[Touch]) -> Option<NaiveDateTime> {
        let kind = match self {
            Goal::Pipeline => TouchKind::DealCreated,
            Goal::Revenue => TouchKind::ClosedWon,
        };
        touches.iter().find(|t| t.kind == kind).map(|t| t.at)
    }
}

/// The model settings that are not the model's name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Time decay's half-life in days (HubSpot's default: 7).
    pub half_life_days: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { half_life_days: 7.0 }
    }
}

impl Settings {
    /// Settings with a half-life as typed (`--half-life-days`), refused unless positive and finite.
    pub fn with_half_life(days: f64) -> Result<Settings, AttributionError> {
        if days.is_finite() && days > 0.0 {
            Ok(Settings { half_life_days: days })
        } else {
            Err(AttributionError::HalfLife(days.to_string()))
        }
    }
}

/// Why a deal cannot be attributed as given. Every variant is bad input (exit 2 at the faces).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributionError {
    #[error(
        "'{0}' is not an attribution model (one of: first, last, linear, u-shaped, w-shaped, full-path, time-decay)"
    )]
    UnknownModel(String),
    #[error("'{0}' is not a touch kind (one of: touch, contact-created, deal-created, closed-won, closed-lost)")]
    UnknownKind(String),
    #[error("the half-life must be a positive number of days, not {0}")]
    HalfLife(String),
    #[error("deal {deal}: the amount is negative ({cents} cents)")]
    NegativeAmount { deal: String, cents: i64 },
    #[error("deal {deal}: the touch at {at} has no channel")]
    NoChannel { deal: String, at: NaiveDateTime },
    #[error("deal {deal}: {count} {kind} rows; a deal has one, keep the right one")]
    DuplicateMilestone { deal: String, kind: TouchKind, count: usize },
    #[error(
        "deal {deal}: the {kind} row at {at} could mark any of the touches {candidates} at that time; give it a channel and campaign"
    )]
    AmbiguousMilestone { deal: String, kind: TouchKind, at: NaiveDateTime, candidates: String },
    #[error("the credited total is too large to add up (over {} cents)", i64::MAX)]
    Overflow,
}

#[cfg(test)]
mod tests;
