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
                     "attention", "anomalies", "alerts", "agenda", "decisions_due", "budget"],
        "properties": {
            "schema": {"type": "integer", "description": "Bumped when a field changes meaning or goes away."},
            "generated_at": {"type": "string", "description": "The instant of the brief, YYYY-MM-DDTHH:MM:SS local."},
            "today": {"type": "string", "description": "ISO date."},
            "data_through": {"type": "string", "description": "Data is complete through this day (yesterday)."},
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
                    "complete_share": {"type": "number", "description": "Share of the period's days complete."},
                    "current": span.clone(),
                    "previous": span,
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
                        "kind": {"type": "string"},
                        "what": {"type": "string"},
                        "how_far": {"type": "string"},
                        "bad": {"type": "boolean"},
                        "link": {"type": "object", "description": "What it points at: a kpi, decision, launch or campaign."},
                    }
                }
            },
            "anomalies": {"type": "array", "items": {"type": "object"}, "description": "Days far from the same-weekday usual (robust z)."},
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
