//! The attention list: what is off, how far, and where to go, ranked.
//!
//! Rank, first to last: yesterday's bad KPI anomalies (one per channel: the strongest),
//! overdue decisions, metrics behind pace and campaigns outside +/-5% (by how far beyond
//! their own tolerance), the rest of the bad anomalies, decisions due today, launches inside
//! their lead time with open items (a missing baseline standard first), then good anomalies
//! (worth explaining in the weekly review, not worth a morning).

use chrono::Datelike;
use serde::Serialize;

use super::{ANOMALY_DAYS, Brief, PACE_TOLERANCE};
use crate::domain::kpi::format_change;
use crate::domain::money;
use crate::store::budget::PACING_TOLERANCE as CAMPAIGN_TOLERANCE;

/// At most this many good anomalies make the list (the strongest).
const MAX_GOOD_NEWS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttentionKind {
    Anomaly,
    Pace,
    Campaign,
    Decision,
    Launch,
    Alert,
    FollowUp,
    Battlecard,
}

/// Where Enter on a line goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Link {
    Kpi { metric: String },
    Launch { id: i64 },
    Campaign { id: i64 },
    Decision { id: i64 },
    Competitor { key: String },
}

impl Link {
    /// "drill-down", "launch #3": said on the line so nobody has to guess.
    pub fn label(&self) -> String {
        match self {
            Link::Kpi { .. } => "chart".into(),
            Link::Launch { id } => format!("launch #{id}"),
            Link::Campaign { id } => format!("campaign #{id}"),
            Link::Decision { id } => format!("decision #{id}"),
            Link::Competitor { key } => format!("card {key}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    pub kind: AttentionKind,
    /// What: "paid-social CPL", "decision #4 Pause display".
    pub what: String,
    /// How far: "$220 vs $45 usual (z 6.1) ↑ bad".
    pub how_far: String,
    /// True when this is bad news (false for a welcome surprise).
    pub bad: bool,
    /// Higher first; only the order matters.
    pub severity: f64,
    pub link: Link,
}

impl Attention {
    pub fn line(&self) -> String {
        format!("{} {}", self.what, self.how_far)
    }
}

pub fn rank(b: &Brief) -> Vec<Attention> {
    let mut out = Vec::new();
    // The strongest bad anomaly per (channel, day) leads; its echoes (spend up and leads down
    // behind a CPL jump) follow the pacing lines.
    let mut leads: Vec<(Option<String>, chrono::NaiveDate, f64)> = Vec::new();
    for a in b.anomalies.iter().filter(|a| !a.good) {
        match leads.iter_mut().find(|(c, d, _)| *c == a.channel && *d == a.day) {
            Some(l) => l.2 = l.2.max(a.z),
            None => leads.push((a.channel.clone(), a.day, a.z)),
        }
    }
    for a in &b.anomalies {
        let Some(m) = b.metrics.iter().find(|m| m.key == a.metric) else { continue };
        let back = (b.data_through - a.day).num_days();
        let when = match back {
            0 => ", yesterday".to_string(),
            _ => format!(", {} {}", a.day.weekday(), a.day.format("%d %b")),
        };
        let arrow = if a.up { "↑" } else { "↓" };
        let verdict = if a.good { "good" } else { "bad" };
        let leading = leads.iter().any(|(c, d, z)| *c == a.channel && *d == a.day && *z == a.z);
        let recency = (ANOMALY_DAYS - back) as f64;
        let severity = if a.good {
            50.0 + a.z.min(49.0)
        } else if leading && back == 0 {
            500.0 + a.z.min(99.0)
        } else {
            250.0 + recency * 5.0 + a.z.min(9.9)
        };
        out.push(Attention {
            kind: AttentionKind::Anomaly,
            what: format!("{} {}", a.channel.as_deref().unwrap_or("all channels"), m.short_label()),
            how_far: format!(
                "{} vs {} usual (z {:.1}) {arrow} {verdict}{when}",
                b.fmt(m, a.value, true),
                b.fmt(m, a.usual, true),
                a.z
            ),
            bad: !a.good,
            severity,
            link: Link::Kpi { metric: a.metric.clone() },
        });
    }
    for t in b.tiles.iter().filter(|t| t.behind() && !super::learn::alert_covers_pace(b, &t.metric.key)) {
        let (Some(p), Some(v)) = (t.pace, t.value) else { continue };
        let word = if t.metric.good_when_up() { "behind pace" } else { "over pace" };
        out.push(Attention {
            kind: AttentionKind::Pace,
            what: format!("{} {word}", t.metric.short_label()),
            how_far: format!(
                "{} vs {} expected by now ({})",
                b.fmt(&t.metric, v, true),
                b.fmt(&t.metric, p.expected, true),
                format_change(p.deviation)
            ),
            bad: true,
            severity: 300.0 + (p.deviation.abs() - PACE_TOLERANCE).clamp(0.0, 0.99) * 100.0,
            link: Link::Kpi { metric: t.metric.key.clone() },
        });
    }
    for c in &b.campaign_alerts {
        let word = if c.deviation > 0.0 { "over" } else { "under" };
        out.push(Attention {
            kind: AttentionKind::Campaign,
            what: format!("{} pacing {word}", c.name),
            how_far: format!(
                "{} ({} spent vs {} expected)",
                crate::domain::pacing::format_pct(c.deviation),
                money::format_short(c.spent_cents, &b.currency),
                money::format_short(c.expected_cents, &b.currency)
            ),
            bad: true,
            severity: 300.0 + (c.deviation.abs() - CAMPAIGN_TOLERANCE).clamp(0.0, 0.99) * 100.0,
            link: Link::Campaign { id: c.id },
        });
    }
    for d in b.decisions_due.iter().filter(|d| !super::learn::is_follow_up(b, d.id)) {
        let late = (b.today - d.due).num_days();
        let (how, severity) = if late > 0 {
            (format!("overdue {late} day{}", if late == 1 { "" } else { "s" }), 400.0 + (late as f64).min(99.0))
        } else {
            ("due today".to_string(), 150.0)
        };
        out.push(Attention {
            kind: AttentionKind::Decision,
            what: format!("decision {how}:"),
            how_far: format!("{}, owner {}", d.title, d.owner),
            bad: true,
            severity,
            link: Link::Decision { id: d.id },
        });
    }
    for l in &b.launch_alerts {
        let days = (l.launch_date - b.today).num_days();
        let weeks = days as f64 / 7.0;
        let when = if days < 0 {
            format!("date passed {} days ago", -days)
        } else {
            format!("in {days} days ({} wk lead)", l.lead_weeks)
        };
        let baseline = if l.open_baseline.is_empty() {
            String::new()
        } else {
            format!("; baseline open: {}", l.open_baseline.join(", "))
        };
        out.push(Attention {
            kind: AttentionKind::Launch,
            what: format!("launch {} ({})", l.name, l.tier),
            how_far: format!("{when}, {} items open{baseline}", l.open_items),
            bad: true,
            severity: 100.0 + if l.open_baseline.is_empty() { 0.0 } else { 40.0 } + (10.0 - weeks).clamp(0.0, 9.9),
            link: Link::Launch { id: l.id },
        });
    }
    out.extend(super::learn::attention(b));
    out.extend(super::compete::attention(&b.stale_cards));
    out.sort_by(|a, b| b.severity.total_cmp(&a.severity));
    // Welcome surprises are worth a line or three, not a page.
    let mut good = 0;
    out.retain(|a| {
        if a.kind == AttentionKind::Anomaly && !a.bad {
            good += 1;
            return good <= MAX_GOOD_NEWS;
        }
        true
    });
    out
}
