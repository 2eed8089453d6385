//! Output schemas kept by hand, for answers built as JSON values rather than typed structs
//! (the brief). They say what every field is and which may be null; a test holds the brief's
//! real output to this schema's required fields and types, so the two cannot drift apart.

use std::sync::Arc;

use rmcp::model::JsonObject;
use serde_json::{Value, json};

fn nullable(t: &str) -> Value {
    json!([t, "null"])
}

/// `mktg brief --format json` (brief/json.rs): money is integer cents for currency metrics.
pub(super) fn brief_output() -> Arc<JsonObject> {
    let span =
        json!({"type": ["object", "null"], "properties": {"from": {"type": "string"}, "to": {"type": "string"}}});
    let schema = json!({
        "type": "object",
        "required": ["schema", "generated_at", "today", "data_through", "currency", "period", "kpis", "funnel",
                     "attention", "attention_groups", "stale_feeds", "over_plan", "next_meeting", "anomalies",
                     "alerts", "agenda", "decisions_due", "budget"],
        "properties": {
            "schema": {"type": "integer", "description": "Bumped when a field changes meaning or goes away."},
            "generated_at": {"type": "string", "description": "The instant of the brief, YYYY-MM-DDTHH:MM:SS local."},
            "today": {"type": "string", "description": "ISO date."},
            "data_through": {"type": "string", "description": "The last day that truly has data (at most yesterday)."},
            "currency": {"type": "string", "description": "The store's ISO 4217 currency."},
            "alerts": {
                "type": "array",
                "description": "Alert rules in breach now (`mktg alert list`), read against these tiles.",
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": "string"},
                        "metric": {"type": "string"},
                        "channel": {"type": ["string", "null"]},
                        "when": {"type": "string", "description": "The rule, as `alert add --when` takes it."},
                        "owner": {"type": "string"},
                        "value": {"type": ["number", "null"]},
                        "threshold": {"type": ["number", "null"]}
                    }
                }
            },
            "period": {
                "type": "object",
                "properties": {
                    "grain": {"type": "string", "description": "day, week, month or quarter."},
                    "name": {"type": "string", "description": "2026-11, 2026-Q4, 2026-W47, 2026-11-19."},
                    "start": {"type": "string"},
                    "end": {"type": "string"},
                    "choice": {"type": "string", "description": "As asked: month, last-quarter, 2026-11."},
                    "label": {"type": "string", "description": "\"Nov 2026 to date (19 of 30 days)\", \"November 2026, closed\"."},
                    "closed": {"type": "boolean", "description": "The period is over: its figures are its result."},
                    "fell_back": {"type": "boolean", "description": "The period to date had no complete day, so the last one holding data is shown."},
                    "complete_share": {"type": "number", "description": "Share of the period's volume expected by now (weekday profile and holidays)."},
                    "min_share": {"type": "number", "description": "No pacing verdict before this share."},
                    "current": span.clone(),
                    "previous": {"type": ["object", "null"], "description": "The previous period's days compared, weekdays aligned, holidays left out."},
                    "compared": {"type": ["object", "null"], "description": "This period's days compared."},
                }
            },
            "kpis": {
                "type": "array",
                "description": "Headline KPIs in dashboard order.",
                "items": {
                    "type": "object",
                    "properties": {
                        "metric": {"type": "string"},
                        "label": {"type": "string"},
                        "unit": {"type": "string", "description": "count, currency (integer cents), percent (0-100), score, ratio."},
                        "direction": {"type": "string", "description": "higher or lower is better."},
                        "value": {"type": nullable("number")},
                        "target": {"type": nullable("number")},
                        "target_source": {"type": ["string", "null"], "description": "set (by the user) or template (the role template's default, until the user sets one)."},
                        "today_so_far": {"type": nullable("number"), "description": "What is recorded for today: not complete, so not in value or pace until tomorrow."},
                        "expected": {"type": nullable("number"), "description": "Where the value should be by now."},
                        "previous": {"type": nullable("number"), "description": "The same span of the previous period."},
                        "change": {"type": nullable("number"), "description": "value / previous - 1."},
                        "pace": {"type": ["object", "null"], "properties": {"status": {"type": "string"}, "deviation": {"type": nullable("number")}}},
                        "verdict": {"type": "string", "description": "on track, behind, ahead, too early to call, stale, on target, missed, over target."},
                        "expected_share": {"type": "number", "description": "Share of the target expected by now."},
                        "over_target": {"type": nullable("number"), "description": "A cost past its whole target, by how much."},
                        "behind": {"type": "boolean", "description": "Off pace on the metric's bad side."},
                    }
                }
            },
            "funnel": {"type": "array", "items": {"type": "object"}, "description": "Stages with counts and conversion to the next."},
            "attention": {
                "type": "array",
                "description": "What to look at first, ranked.",
                "items": {
                    "type": "object",
                    "properties": {
                        "rank": {"type": "integer"},
                        "group": {"type": "string", "description": "off-track, due, at-risk or good-news."},
                        "kind": {"type": "string", "description": "stale, anomaly, over-plan, pace, campaign, decision, launch, ..."},
                        "owner": {"type": nullable("string")},
                        "folded": {"type": "array", "items": {"type": "string"}, "description": "Items of the same cause folded into this line."},
                        "what": {"type": "string"},
                        "how_far": {"type": "string"},
                        "bad": {"type": "boolean"},
                        "link": {"type": "object", "description": "What it points at: a kpi, decision, launch or campaign."},
                    }
                }
            },
            "attention_groups": {"type": "array", "items": {"type": "object"}, "description": "Each group in reading order with its count."},
            "stale_feeds": {"type": "array", "items": {"type": "object"}, "description": "Sources gone quiet for longer than their own rhythm."},
            "over_plan": {"type": "array", "items": {"type": "object"}, "description": "Campaigns spent past their plan (integer cents)."},
            "next_meeting": {"type": ["object", "null"], "description": "The next meeting, today or on a later day: day, start, name, label."},
            "anomalies": {"type": "array", "items": {"type": "object"}, "description": "Days far from the same-weekday usual (robust z)."},
            "alerts": {"type": "array", "items": {"type": "object"}, "description": "Alert rules in breach now, read against these tiles (values as stored)."},
            "agenda": {"type": "array", "items": {"type": "object"}, "description": "Today's meetings, current and next marked."},
            "decisions_due": {
                "type": "array",
                "description": "Open decisions due today or overdue, most overdue first.",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "owner": {"type": "string"},
                        "due": {"type": "string"},
                        "overdue_days": {"type": "integer"},
                        "status": {"type": "string"},
                    }
                }
            },
            "budget": {
                "type": "object",
                "description": "The quarter's burn, in integer cents.",
                "properties": {
                    "period": {"type": "string"},
                    "planned_cents": {"type": "integer"},
                    "spent_cents": {"type": "integer"},
                    "elapsed_share": {"type": "number"},
                    "forecast_cents": {"type": nullable("integer")},
                }
            },
        }
    });
    match schema {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}
