//! `mktg brief --format json`: a stable shape for scripts (documented in the README).
//! Dates are ISO, ids are the store's, and every money amount is integer cents (for
//! `unit: "currency"` metrics, `value`, `target`, `expected`, `previous`, `usual` too).

use serde::Serialize;
use serde_json::{Value, json};

use super::Brief;
use crate::domain::kpi::Metric;
use crate::domain::model::Unit;

/// Bump when a field changes meaning or goes away (adding fields does not).
pub const SCHEMA: u32 = 1;

fn num(m: &Metric, v: Option<f64>) -> Value {
    match v {
        None => Value::Null,
        Some(v) if m.unit == Unit::Currency => json!((v * 100.0).round() as i64),
        Some(v) => json!((v * 10_000.0).round() / 10_000.0),
    }
}

fn rate(v: Option<f64>) -> Value {
    v.map(|v| json!((v * 10_000.0).round() / 10_000.0)).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct Span {
    from: String,
    to: String,
}

pub fn to_json(b: &Brief) -> Value {
    let span = |s: Option<crate::domain::kpi::Span>| {
        s.map(|s| json!(Span { from: s.from.to_string(), to: s.to.to_string() })).unwrap_or(Value::Null)
    };
    let kpis: Vec<Value> = b
        .tiles
        .iter()
        .map(|t| {
            let mut v = json!({
                "metric": t.metric.key,
                "label": t.metric.label,
                "unit": t.metric.unit,
                "direction": t.metric.direction,
                "value": num(&t.metric, t.value),
                "target": num(&t.metric, t.target),
                "target_source": t.target_source,
                "today_so_far": num(&t.metric, t.today),
                "expected": num(&t.metric, t.expected),
                "previous": num(&t.metric, t.previous),
                "change": rate(t.change),
                "pace": t.pace.map(|p| json!({"status": p.status, "deviation": rate(Some(p.deviation))})),
                "verdict": super::render::pace_words(t),
                "expected_share": rate(Some(t.share)),
                "over_target": num(&t.metric, t.over_target),
                "behind": t.behind(),
            });
            // A win rate from deal outcomes carries its n (closed deals).
            if let (Some(n), Some(o)) = (t.deals, v.as_object_mut()) {
                o.insert("n".into(), json!(n));
            }
            v
        })
        .collect();
    let funnel: Vec<Value> = b
        .funnel
        .iter()
        .map(|s| {
            json!({
                "metric": s.metric, "label": s.label, "count": s.count, "previous": s.previous,
                "conversion": rate(s.conversion), "previous_conversion": rate(s.previous_conversion),
            })
        })
        .collect();
    let anomalies: Vec<Value> = b
        .anomalies
        .iter()
        .filter_map(|a| {
            let m = b.metrics.iter().find(|m| m.key == a.metric)?;
            let notes: Vec<Value> = super::learn::explaining(&b.notes, a).into_iter().map(|n| json!(n)).collect();
            Some(json!({
                "metric": a.metric, "channel": a.channel, "day": a.day.to_string(),
                "value": num(m, Some(a.value)), "usual": num(m, Some(a.usual)),
                "z": (a.z * 100.0).round() / 100.0, "direction": if a.up { "up" } else { "down" }, "good": a.good,
                "notes": notes,
            }))
        })
        .collect();
    let attention: Vec<Value> = b
        .attention
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "rank": i + 1, "group": a.group, "kind": a.kind, "what": a.what, "how_far": a.how_far,
                "bad": a.bad, "link": a.link, "owner": a.owner, "folded": a.folded,
            })
        })
        .collect();
    let agenda: Vec<Value> = b
        .agenda
        .iter()
        .enumerate()
        .map(|(i, m)| {
            json!({
                "instance_id": m.instance_id, "name": m.name,
                "start": m.start.format("%H:%M").to_string(), "end": m.end().format("%H:%M").to_string(),
                "status": m.status, "items_done": m.items_done, "items_total": m.items_total,
                "current": b.focus.current == Some(i), "next": b.focus.next == Some(i),
            })
        })
        .collect();
    let decisions: Vec<Value> = b
        .decisions_due
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "title": d.title, "owner": d.owner, "due": d.due.to_string(),
                "overdue_days": (b.today - d.due).num_days(), "status": d.status,
            })
        })
        .collect();
    // Alert rules in breach now, read against these tiles (values as stored: plain numbers).
    let alerts: Vec<Value> = b
        .alerts
        .iter()
        .filter(|a| a.in_breach())
        .map(|a| {
            json!({
                "key": a.rule.key, "metric": a.rule.metric, "channel": a.rule.channel, "when": a.rule.when.spec(),
                "owner": a.rule.owner, "value": a.evaluation.value, "threshold": a.evaluation.threshold,
            })
        })
        .collect();
    let groups: Vec<Value> = crate::domain::attention::counts(&b.attention)
        .into_iter()
        .map(|(g, n)| json!({"group": g, "label": g.label(), "count": n}))
        .collect();
    let stale: Vec<Value> = b
        .stale
        .iter()
        .map(|g| {
            json!({
                "source": g.source, "metrics": g.metrics, "campaigns": g.campaigns, "since": g.since.to_string(),
                "usual_gap_days": g.usual_gap, "quiet_days": g.quiet_days, "owner": g.owner,
            })
        })
        .collect();
    let over_plan: Vec<Value> = b
        .over_plan
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "name": o.name, "period": o.period, "channel": o.channel,
                "planned_cents": o.planned_cents, "spent_cents": o.spent_cents, "over_cents": o.over_cents,
                "ended": o.ended, "acknowledged_cents": o.acknowledged_cents,
            })
        })
        .collect();
    let next = b.next_meeting.as_ref().map(|n| {
        json!({
            "day": n.day.to_string(), "start": n.item.start.format("%H:%M").to_string(), "name": n.item.name,
            "label": n.label(b.today),
        })
    });
    let (cur, old) = &b.compared;
    let days = |d: &[chrono::NaiveDate]| match (d.first(), d.last()) {
        (Some(a), Some(z)) => json!({"from": a.to_string(), "to": z.to_string(), "days": d.len()}),
        _ => Value::Null,
    };
    json!({
        "schema": SCHEMA,
        "generated_at": b.now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "today": b.today.to_string(),
        "data_through": b.data_through.to_string(),
        "currency": b.currency,
        "period": {
            "grain": b.grain.label(),
            "name": b.frame.period.to_string(),
            "start": b.frame.period.start.to_string(),
            "end": b.frame.period.end().to_string(),
            "choice": b.choice.name(),
            "label": b.period_label(),
            "closed": b.shown.closed,
            "fell_back": b.shown.fell_back,
            "complete_share": rate(Some(b.frame.share)),
            "min_share": rate(Some(b.min_share)),
            "current": span(b.frame.current),
            "previous": days(old),
            "compared": days(cur),
        },
        "kpis": kpis,
        "funnel": funnel,
        "attention": attention,
        "attention_groups": groups,
        "stale_feeds": stale,
        "over_plan": over_plan,
        "next_meeting": next,
        "anomalies": anomalies,
        "alerts": alerts,
        "agenda": agenda,
        "decisions_due": decisions,
        "budget": {
            "period": b.burn.period,
            "planned_cents": b.burn.planned_cents,
            "spent_cents": b.burn.spent_cents,
            "elapsed_share": rate(Some(b.burn.elapsed_share)),
            "forecast_cents": b.burn.forecast_cents,
        },
    })
}
