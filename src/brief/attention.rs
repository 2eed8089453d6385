//! The attention list: every registered source's items, folded by cause and ranked in four
//! groups (off track, due, at risk, good news).
//!
//! Adding a source is one line in [`SOURCES`]: write `pub fn attention(at: &Input<'_>) ->
//! Result<Vec<Attention>>` in your own module under `brief/` (it may read the store, the config
//! and the brief computed so far), give each item its group, kind, words, severity (higher first
//! within its group) and link, and a `cause` when it can repeat another item's news. See
//! `docs/architecture.md`.

use chrono::Datelike;

use super::{ANOMALY_DAYS, Brief, PACE_TOLERANCE};
use crate::config::Config;
use crate::domain::attention::{Attention, Group, Link, Moment, arrange, kind};
use crate::domain::freshness::{short_day, usually};
use crate::domain::kpi::format_change;
use crate::domain::money;
use crate::store::Store;
use crate::store::budget::PACING_TOLERANCE as CAMPAIGN_TOLERANCE;
use crate::store::error::Result;

/// At most this many pieces of good news make the list (the strongest).
const MAX_GOOD_NEWS: usize = 3;

/// What a source is given: the store, the config, the moment, and the brief computed so far.
pub struct Input<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub at: &'a Moment,
    pub brief: &'a Brief,
}

/// A source of attention items.
pub type Source = fn(&Input<'_>) -> Result<Vec<Attention>>;

/// Every source, one line each. New capabilities add theirs at the end.
pub const SOURCES: &[Source] = &[
    stale_feeds,
    anomalies,
    pace,
    over_plan,
    campaigns,
    decisions,
    launches,
    ahead_of_pace,
    super::learn::attention,
    super::compete::attention,
    super::mentor::attention,
];

/// Every source's items, folded and ranked.
pub fn gather(b: &Brief, store: &Store, config: &Config) -> Result<Vec<Attention>> {
    let at = b.moment();
    let input = Input { store, config, at: &at, brief: b };
    let mut all = Vec::new();
    for source in SOURCES {
        all.extend(source(&input)?);
    }
    let mut out = arrange(all);
    // Welcome surprises are worth a line or three, not a page.
    let mut good = 0;
    out.retain(|a| {
        if a.group == Group::GoodNews {
            good += 1;
            return good <= MAX_GOOD_NEWS;
        }
        true
    });
    Ok(out)
}

/// Feeds gone quiet, one line per source: they explain the shortfalls they cause, so they lead.
/// Sources quiet since the same day fold into one line ("9 feeds quiet since 19 Nov: paid
/// search, ..."): one cause (an export that stopped), said once.
fn stale_feeds(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    let mut days: Vec<chrono::NaiveDate> = Vec::new();
    for g in &b.stale {
        if !days.contains(&g.since) {
            days.push(g.since);
        }
    }
    Ok(days
        .into_iter()
        .map(|day| {
            let quiet: Vec<&super::fresh::StaleGroup> = b.stale.iter().filter(|g| g.since == day).collect();
            match quiet.as_slice() {
                [one] => stale_feed(b, one),
                many => stale_feeds_since(b, many),
            }
        })
        .collect())
}

/// "paid search", "LinkedIn", or "unsplit figures" for facts not split by channel.
fn source_label(g: &super::fresh::StaleGroup) -> String {
    if g.source.is_empty() { "unsplit figures".to_string() } else { crate::domain::channel::label(&g.source) }
}

/// Where Enter goes for a quiet source: the campaign whose spend stopped, else a quiet metric's chart.
fn stale_link(b: &Brief, g: &super::fresh::StaleGroup) -> Link {
    match (g.campaign_ids.first(), g.metrics.is_empty()) {
        (Some(id), true) => Link::Campaign { id: *id },
        _ => match b.feeds.iter().find(|f| f.fresh.stale && f.channel == g.source) {
            Some(f) => Link::Kpi { metric: f.metric.clone() },
            None => Link::None,
        },
    }
}

/// One source quiet on its own: "no spend for LinkedIn since 19 Nov (usually daily, quiet 45 days)".
fn stale_feed(b: &Brief, g: &super::fresh::StaleGroup) -> Attention {
    // "leads, MQLs": labels in running text, acronyms kept.
    let word = |l: &String| {
        let mut c = l.chars();
        match (c.next(), c.any(char::is_uppercase)) {
            (Some(f), false) => f.to_lowercase().chain(l.chars().skip(1)).collect(),
            _ => l.clone(),
        }
    };
    let mut what: Vec<String> = g.metrics.iter().take(3).map(word).collect();
    if g.metrics.len() > 3 {
        what.push(format!("+{} more", g.metrics.len() - 3));
    }
    let subject = match (g.metrics.as_slice(), g.campaigns.is_empty()) {
        ([], _) => "spend".to_string(),
        ([one], true) => word(one),
        _ => "data".to_string(),
    };
    let mut parts = Vec::new();
    if g.metrics.len() > 1 || (!g.metrics.is_empty() && !g.campaigns.is_empty()) {
        parts.push(what.join(", "));
    }
    match g.campaigns.as_slice() {
        [] => {}
        [one] => parts.push(format!("spend of {one}")),
        [one, rest @ ..] => parts.push(format!("spend of {one} +{} more", rest.len())),
    }
    let detail = if parts.is_empty() { String::new() } else { format!(": {}", parts.join("; ")) };
    Attention::new(
        Group::OffTrack,
        kind::STALE,
        format!("no {subject} for {} since {}", source_label(g), short_day(g.since, b.today)),
        format!("({}, quiet {} days){detail}", usually(g.usual_gap), g.quiet_days),
        700.0 + (g.quiet_days as f64).min(99.0),
        stale_link(b, g),
    )
    .with_owner(g.owner.clone())
}

/// Sources that all went quiet on one day: one line naming them by label.
fn stale_feeds_since(b: &Brief, many: &[&super::fresh::StaleGroup]) -> Attention {
    const NAMED: usize = 6;
    let mut names: Vec<String> = many.iter().take(NAMED).map(|g| source_label(g)).collect();
    if many.len() > NAMED {
        names.push(format!("+{} more", many.len() - NAMED));
    }
    let usual = many.iter().filter_map(|g| g.usual_gap).min();
    let quiet = many.iter().map(|g| g.quiet_days).max().unwrap_or(0);
    let owner = many.first().and_then(|g| g.owner.clone()).filter(|o| many.iter().all(|g| g.owner.as_ref() == Some(o)));
    Attention::new(
        Group::OffTrack,
        kind::STALE,
        format!("{} feeds quiet since {}:", many.len(), short_day(many[0].since, b.today)),
        format!("{} ({}, quiet {quiet} days)", names.join(", "), usually(usual)),
        700.0 + (quiet as f64).min(99.0),
        stale_link(b, many[0]),
    )
    .with_owner(owner)
}

/// Bad anomalies (the strongest per channel and day leads; its echoes fold into it) and good ones.
fn anomalies(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    let mut out = Vec::new();
    for a in &b.anomalies {
        let Some(m) = b.metrics.iter().find(|m| m.key == a.metric) else { continue };
        let back = (b.data_through - a.day).num_days().max((b.today - a.day).num_days() - 1);
        let when = match back {
            0 => ", yesterday".to_string(),
            _ => format!(", {} {}", a.day.weekday(), a.day.format("%d %b")),
        };
        let arrow = if a.up { "↑" } else { "↓" };
        let verdict = if a.good { "good" } else { "bad" };
        let recency = (ANOMALY_DAYS - back) as f64;
        let channel = a.channel.as_deref().unwrap_or("all channels");
        let (group, severity) = if a.good {
            (Group::GoodNews, 50.0 + a.z.min(49.0))
        } else if back == 0 {
            (Group::OffTrack, 500.0 + a.z.min(99.0))
        } else {
            (Group::OffTrack, 250.0 + recency * 5.0 + a.z.min(9.9))
        };
        let item = Attention::new(
            group,
            kind::ANOMALY,
            format!("{channel} {}", m.channel_label()),
            format!(
                "{} vs {} usual (z {:.1}) {arrow} {verdict}{when}",
                b.fmt(m, a.value, true),
                b.fmt(m, a.usual, true),
                a.z
            ),
            severity,
            Link::Kpi { metric: a.metric.clone() },
        );
        // One channel's bad day is one story: spend up and leads down behind a CPL jump.
        out.push(if a.good {
            item
        } else {
            item.with_cause(
                format!("anomaly {channel} {}", a.day),
                format!("{} {arrow} z {:.1}", m.channel_label(), a.z),
            )
        });
    }
    Ok(out)
}

/// KPIs behind their pace (or a cost past its whole target).
fn pace(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    let mut out = Vec::new();
    // A KPI the director's own alert already names is said once, on the alert's line.
    for t in b.tiles.iter().filter(|t| t.behind() && !super::learn::alert_covers_pace(b, &t.metric.key)) {
        let (Some(p), Some(v)) = (t.pace, t.value) else { continue };
        let how_far = match (t.over_target, t.target) {
            (Some(over), Some(target)) if !t.metric.good_when_up() => {
                format!(
                    "{} of {} target, over by {}",
                    b.fmt(&t.metric, v, true),
                    b.fmt(&t.metric, target, true),
                    b.fmt(&t.metric, over, true)
                )
            }
            _ if t.closed => format!(
                "{} vs {} target ({})",
                b.fmt(&t.metric, v, true),
                b.fmt(&t.metric, p.expected, true),
                format_change(p.deviation)
            ),
            _ => format!(
                "{} vs {} expected by now ({})",
                b.fmt(&t.metric, v, true),
                b.fmt(&t.metric, p.expected, true),
                format_change(p.deviation)
            ),
        };
        let word = match (t.metric.good_when_up(), t.closed, t.over_target.is_some()) {
            (false, _, true) => "over target",
            (true, true, _) => "missed target",
            (false, true, _) => "over target",
            (true, false, _) => "behind pace",
            (false, false, _) => "over pace",
        };
        out.push(Attention::new(
            Group::OffTrack,
            kind::PACE,
            format!("{} {word}", t.metric.short_label()),
            how_far,
            300.0 + (p.deviation.abs() - PACE_TOLERANCE).clamp(0.0, 0.99) * 100.0,
            Link::Kpi { metric: t.metric.key.clone() },
        ));
    }
    Ok(out)
}

/// KPIs ahead of their pace: good news, after the anomalies.
fn ahead_of_pace(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    Ok(b.tiles
        .iter()
        .filter(|t| t.ahead())
        .filter_map(|t| {
            let (p, v) = (t.pace?, t.value?);
            let word = if t.metric.good_when_up() { "ahead of pace" } else { "under budget pace" };
            Some(Attention::new(
                Group::GoodNews,
                kind::PACE,
                format!("{} {word}", t.metric.short_label()),
                format!(
                    "{} vs {} expected ({})",
                    b.fmt(&t.metric, v, true),
                    b.fmt(&t.metric, p.expected, true),
                    format_change(p.deviation)
                ),
                10.0 + p.deviation.abs().min(0.99) * 10.0,
                Link::Kpi { metric: t.metric.key.clone() },
            ))
        })
        .collect())
}

/// Campaigns spent past their plan, until acknowledged: said in money, never as pacing.
fn over_plan(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    let c = |v: i64| money::format_amount3(v, &b.currency);
    Ok(b.over_plan
        .iter()
        .map(|o| {
            let state = if o.ended { format!("ended {} over plan", o.period) } else { "over plan".to_string() };
            let again = match o.acknowledged_cents {
                Some(a) => format!("; {} more since acknowledged", c(o.spent_cents - a)),
                None => String::new(),
            };
            Attention::new(
                Group::OffTrack,
                kind::OVER_PLAN,
                format!("{} {state}", o.name),
                format!("by {} ({} spent of {}){again}", c(o.over_cents), c(o.spent_cents), c(o.planned_cents)),
                // Money already spent past a plan outranks yesterday's anomalies: at a close it is
                // the one fact the quarter cannot undo.
                600.0 + (o.over_cents as f64 / o.planned_cents.max(1) as f64 * 100.0).min(99.0),
                Link::Campaign { id: o.id },
            )
        })
        .collect())
}

/// Campaigns pacing outside their band this quarter.
fn campaigns(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    Ok(b.campaign_alerts
        .iter()
        .map(|c| {
            let word = if c.deviation > 0.0 { "over" } else { "under" };
            Attention::new(
                Group::OffTrack,
                kind::CAMPAIGN,
                format!("{} pacing {word}", c.name),
                format!(
                    "{} ({} spent vs {} expected)",
                    crate::domain::pacing::format_pct(c.deviation),
                    money::format_short(c.spent_cents, &b.currency),
                    money::format_short(c.expected_cents, &b.currency)
                ),
                // Money going out faster than planned comes before money not going out.
                if c.deviation > 0.0 { 340.0 } else { 300.0 }
                    + (c.deviation.abs() - CAMPAIGN_TOLERANCE).clamp(0.0, 0.99) * 100.0,
                Link::Campaign { id: c.id },
            )
        })
        .collect())
}

/// Decisions overdue, then due today.
fn decisions(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    // A post-mortem's follow-up is a decision too: it is listed once, as a follow-up.
    Ok(b.decisions_due
        .iter()
        .filter(|d| !super::learn::is_follow_up(b, d.id))
        .map(|d| {
            let late = (b.today - d.due).num_days();
            let (how, severity) = if late > 0 {
                (format!("overdue {late} day{}", if late == 1 { "" } else { "s" }), 400.0 + (late as f64).min(99.0))
            } else {
                ("due today".to_string(), 150.0)
            };
            Attention::new(
                Group::Due,
                kind::DECISION,
                format!("decision {how}:"),
                format!("{}, owner {}", d.title, d.owner),
                severity,
                Link::Decision { id: d.id },
            )
        })
        .collect())
}

/// Launches inside their lead time with items open (a missing baseline standard first).
fn launches(i: &Input<'_>) -> Result<Vec<Attention>> {
    let b = i.brief;
    Ok(b.launch_alerts
        .iter()
        .map(|l| {
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
            Attention::new(
                Group::AtRisk,
                kind::LAUNCH,
                format!("launch {} ({})", l.name, l.tier),
                format!("{when}, {} items open{baseline}", l.open_items),
                100.0 + if l.open_baseline.is_empty() { 0.0 } else { 40.0 } + (10.0 - weeks).clamp(0.0, 9.9),
                Link::Launch { id: l.id },
            )
        })
        .collect())
}
