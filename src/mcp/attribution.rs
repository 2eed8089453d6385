//! The `attribution` tool: `mktg attribution --format json`, through the same options check.

use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde::Deserialize;

use super::tools::{Answer, Call, args};
use crate::error::Result;
use crate::views::attribution::{Options, Query, readout};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AttributionArgs {
    /// One model: first, last, linear, u-shaped, w-shaped (default), full-path, time-decay.
    #[serde(default)]
    model: Option<String>,
    /// Several models side by side, e.g. ["first", "w-shaped", "time-decay"]; not with `model`.
    #[serde(default)]
    compare: Vec<String>,
    /// Add the credits up by "channel" (default) or "campaign".
    #[serde(default)]
    by: Option<String>,
    /// "revenue" (closed-won, default) or "pipeline" (at the deal's creation).
    #[serde(default)]
    goal: Option<String>,
    /// Deals converting in this period: 2026-Q4 (default: the current quarter), 2026-11, 2026-W47.
    #[serde(default)]
    period: Option<String>,
    /// Time decay's half-life in days (default 7).
    #[serde(default)]
    half_life_days: Option<f64>,
}

pub(super) fn attribution(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: AttributionArgs = args("attribution", a)?;
    let options = Options {
        model: a.model.as_deref(),
        compare: &a.compare,
        by: a.by.as_deref(),
        goal: a.goal.as_deref(),
        period: a.period.as_deref(),
        half_life_days: a.half_life_days,
    };
    let query = Query::parse(&options, c.now.date())?;
    Answer::of(&readout(c.store, &query)?.json())
}
