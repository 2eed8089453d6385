//! The learning loop's part of the brief: each alert rule read against the same tiles the
//! dashboard shows (one cube, so `alert check` costs one brief), the notes that explain the
//! anomalies, and the attention lines for alerts in breach and overdue follow-ups.

use super::attention::Input;
use super::{Brief, Tile};
use crate::domain::alert::{AlertState, Condition, Evaluation, Observation, Reading, Rule, evaluate};
use crate::domain::anomaly::Anomaly;
use crate::domain::attention::{Attention, Group, Link, kind};
use crate::domain::kpi::{self, Cube, Frame, Metric};
use crate::store::error::Result;
use crate::store::notes::Note;
use serde::{Deserialize, Serialize};

/// One rule read now, against the state the last `alert check` stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertCheck {
    pub rule: Rule,
    pub previous: AlertState,
    pub observed: Observation,
    pub evaluation: Evaluation,
}

impl AlertCheck {
    /// In breach now (for `crosses=V`: crossed since the last check).
    pub fn in_breach(&self) -> bool {
        self.evaluation.reading == Reading::Breach
    }
}

/// What a rule sees: for the metric's total, the tile's value, target and pace (the dashboard's
/// numbers); for a channel, that channel's value over the same span (targets are the total's, so
/// a channel has none to be behind).
pub(super) fn observe(rule: &Rule, m: &Metric, tile: &Tile, cube: &Cube, frame: &Frame) -> Observation {
    match rule.channel.as_deref() {
        None => Observation { value: tile.value, target: tile.target, behind_pace: tile.pace.map(|_| tile.behind()) },
        Some(c) => Observation {
            value: frame.current.and_then(|s| kpi::value(m, cube, Some(c), s.from, s.to)),
            target: None,
            behind_pace: None,
        },
    }
}

pub(super) fn check(rule: Rule, previous: AlertState, observed: Observation) -> AlertCheck {
    let evaluation = evaluate(&rule, previous, &observed);
    AlertCheck { rule, previous, observed, evaluation }
}

/// The notes that explain `a`: its day, its metric (or every metric), its channel (or all).
pub fn explaining<'a>(notes: &'a [Note], a: &Anomaly) -> Vec<&'a Note> {
    notes.iter().filter(|n| n.note.applies_to(&a.metric, a.channel.as_deref(), a.day)).collect()
}

/// A pace line the director's own alert already says (behind-pace or below-target on the total,
/// in breach): the alert's line carries the same numbers and its owner.
pub(super) fn alert_covers_pace(b: &Brief, metric: &str) -> bool {
    b.alerts.iter().any(|a| {
        a.in_breach()
            && a.rule.channel.is_none()
            && a.rule.metric == metric
            && matches!(a.rule.when, Condition::BehindPace | Condition::BelowTarget)
    })
}

/// A follow-up's decision is listed as a follow-up, not as a plain decision.
pub(super) fn is_follow_up(b: &Brief, decision_id: i64) -> bool {
    b.follow_ups_overdue.iter().any(|f| f.decision_id == decision_id)
}

/// A behind-pace rule read on a closed period: "missed target" ("over target" for a cost), as
/// the pace lines say it.
fn closed_words(m: Option<&Metric>) -> String {
    if m.is_some_and(|m| !m.good_when_up()) { "over target".into() } else { "missed target".into() }
}

/// "above $80", "behind pace": a rule's condition in words, values in the metric's unit.
pub fn condition_words(b: &Brief, rule: &Rule) -> String {
    let m = b.metrics.iter().find(|m| m.key == rule.metric);
    let v = |x: f64| m.map(|m| b.fmt(m, x, true)).unwrap_or_else(|| format!("{x}"));
    match rule.when {
        Condition::BelowTarget => "below target".into(),
        Condition::BehindPace => {
            if m.is_some_and(|m| !m.good_when_up()) {
                "over pace".into()
            } else {
                "behind pace".into()
            }
        }
        Condition::Above(x) => format!("above {}", v(x)),
        Condition::Below(x) => format!("below {}", v(x)),
        Condition::Crosses(x) => format!("crossed {}", v(x)),
    }
}

/// The learning loop's attention lines: alerts in breach (off track, above the pace lines: the
/// director set these herself) and overdue follow-ups (due, ranked as overdue decisions are).
pub(super) fn attention(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    let mut out = Vec::new();
    for a in b.alerts.iter().filter(|a| a.in_breach()) {
        let r = &a.rule;
        let m = b.metrics.iter().find(|m| m.key == r.metric);
        // A channel's figure is its own, not blended ("paid-social CPL").
        let label = m.map(|m| if r.channel.is_some() { m.channel_label() } else { m.short_label() });
        let label = label.unwrap_or_else(|| r.metric.clone());
        let fmt = |x: f64| m.map(|m| b.fmt(m, x, true)).unwrap_or_else(|| format!("{x}"));
        let channel = r.channel.as_deref().map(|c| format!("{c} ")).unwrap_or_default();
        let tile = b.tiles.iter().find(|t| t.metric.key == r.metric);
        // A period that has closed (the 1st of a month reads the month just ended) is not "behind
        // pace ... expected by now": it ended short of its target, by how much.
        let closed = r.when == Condition::BehindPace && tile.is_some_and(|t| t.closed && t.pace.is_some());
        let versus = match (r.when, a.evaluation.value, a.evaluation.threshold) {
            (Condition::BehindPace, Some(v), _) => match tile.and_then(|t| t.pace) {
                Some(p) if closed => format!(
                    "{} vs {} target, ended {} {} ({})",
                    fmt(v),
                    fmt(p.expected),
                    fmt((p.expected - v).abs()),
                    if v < p.expected { "behind" } else { "over" },
                    kpi::format_change(p.deviation)
                ),
                Some(p) => {
                    format!("{} vs {} expected by now ({})", fmt(v), fmt(p.expected), kpi::format_change(p.deviation))
                }
                None => fmt(v),
            },
            (_, Some(v), Some(t)) => format!("{} vs {}", fmt(v), fmt(t)),
            (_, Some(v), None) => fmt(v),
            _ => String::new(),
        };
        let owner = r.owner.as_deref().map(|o| format!(", owner {o}")).unwrap_or_default();
        out.push(Attention::new(
            Group::OffTrack,
            kind::ALERT,
            format!(
                "alert {}: {channel}{label} {}",
                r.key,
                if closed { closed_words(m) } else { condition_words(b, r) }
            ),
            format!("{versus}{owner}"),
            390.0,
            Link::Kpi { metric: r.metric.clone() },
        ));
    }
    for f in &b.follow_ups_overdue {
        let late = f.due.map(|d| (b.today - d).num_days()).unwrap_or(0);
        out.push(Attention::new(
            Group::Due,
            kind::FOLLOW_UP,
            format!("follow-up overdue {late} day{}:", if late == 1 { "" } else { "s" }),
            format!("{}, owner {} (post-mortem {})", f.text, f.owner, f.postmortem),
            400.0 + (late as f64).min(99.0),
            Link::Decision { id: f.decision_id },
        ));
    }
    Ok(out)
}
