//! Resources: documents an agent can attach, each the same JSON as the tool or command that
//! shows it (`mktg://brief` is `get_brief`'s answer for the month).

use rmcp::model::{JsonObject, Resource, ResourceTemplate};

use super::tools::{self, Answer, Call};
use crate::error::{Error, Result};
use crate::views::launches::LaunchRecord;

const JSON: &str = "application/json";

pub(super) fn list() -> Vec<Resource> {
    vec![
        Resource::new("mktg://brief", "brief")
            .with_title("Morning brief")
            .with_description(
                "The month-to-date brief: KPIs vs target and pace, attention list, agenda, decisions due (get_brief).",
            )
            .with_mime_type(JSON),
        Resource::new("mktg://decisions/open", "open decisions")
            .with_title("Open decisions")
            .with_description("Decisions proposed or decided but not done, newest first (list_decisions, status open).")
            .with_mime_type(JSON),
        Resource::new("mktg://budget/current", "current budget")
            .with_title("This quarter's budget")
            .with_description("The current quarter's campaigns with plan, spend, pacing and returns (get_budget).")
            .with_mime_type(JSON),
        Resource::new("mktg://launches", "launches")
            .with_title("Launches")
            .with_description("Every launch with tier, stage and readiness (list_launches).")
            .with_mime_type(JSON),
    ]
}

pub(super) fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new("mktg://launch/{id}", "launch")
            .with_title("One launch")
            .with_description("One launch's record, as an element of list_launches.")
            .with_mime_type(JSON),
    ]
}

/// The document at `uri`; `None` when no resource has that address.
pub(super) fn read(c: &Call<'_>, uri: &str) -> Result<Option<Answer>> {
    let by_tool = |name: &str, args: JsonObject| -> Result<Answer> {
        let spec = tools::find(name).ok_or_else(|| Error::system(format!("no tool {name}")))?;
        (spec.run)(c, args)
    };
    match uri {
        "mktg://brief" => by_tool("get_brief", JsonObject::new()).map(Some),
        "mktg://launches" => by_tool("list_launches", JsonObject::new()).map(Some),
        "mktg://budget/current" => by_tool("get_budget", JsonObject::new()).map(Some),
        "mktg://decisions/open" => {
            let mut open = JsonObject::new();
            open.insert("status".into(), "open".into());
            by_tool("list_decisions", open).map(Some)
        }
        _ => match uri.strip_prefix("mktg://launch/") {
            Some(id) => {
                let id: i64 = id
                    .trim()
                    .parse()
                    .map_err(|_| Error::input(format!("'{id}' is not a launch id (a number, from list_launches)")))?;
                let launch = c.store.launches().get(id)?;
                Answer::of(&LaunchRecord::from_launch(&launch, c.now.date(), &c.config.tiers)).map(Some)
            }
            None => Ok(None),
        },
    }
}
