//! The learning loop's tools: `experiment_readout` and `list_experiments`, each the JSON its
//! command prints with `--format json` (`views::experiments`).

use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde::Deserialize;

use super::tools::{Answer, Call, args};
use crate::error::Result;
use crate::views::experiments as view;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ReadoutArgs {
    /// The experiment: its id (from list_experiments) or its name, in any case.
    experiment: String,
}

pub(super) fn experiment_readout(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: ReadoutArgs = args("experiment_readout", a)?;
    let id = c.store.experiments().resolve(&a.experiment)?;
    Answer::of(&view::readout(c.store, id, c.now.date())?)
}

pub(super) fn list_experiments(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let _: super::tools::NoArgs = args("list_experiments", a)?;
    Answer::of(&view::list(c.store, c.now.date())?)
}
