//! The brief as plain text (cron, email) and Markdown; the KPI headline for the exec report.

use std::fmt::Write;

use super::{Brief, Tile};
use crate::domain::kpi::format_change;
use crate::domain::money;
use crate::domain::pacing::PaceStatus;
use crate::domain::text::{fit, fit_right};
use crate::output::md;

/// "-3% on track", "-21% behind", "+15% over", "too early to call", "stale": pace in the
/// metric's own terms; once the period is closed, its result ("-17% missed", "+4% on target").
pub fn pace_words(t: &Tile) -> String {
    let Some(p) = t.pace else {
        // Pace needs both a target and something observed; say which one is missing.
        return if t.target.is_none() { "no target".into() } else { "no data yet".into() };
    };
    let d = format_change(p.deviation);
    // A cost runs over or under its budget; an outcome runs ahead of or behind its target.
    let cost = t.metric.direction == crate::domain::model::Direction::Lower;
    match (p.status, cost, t.closed) {
        (PaceStatus::NotYet, _, _) => "n/a".into(),
        (PaceStatus::TooEarly, _, _) => "too early to call".into(),
        (PaceStatus::Stale, _, _) => "stale".into(),
        (PaceStatus::Over, true, _) if t.over_target.is_some() => "over target".into(),
        (PaceStatus::OnTrack, _, false) => format!("{d} on track"),
        (PaceStatus::OnTrack, _, true) => format!("{d} on target"),
        (PaceStatus::Over, true, _) => format!("{d} over"),
        (PaceStatus::Under, true, _) => format!("{d} under"),
        (PaceStatus::Over, false, false) => format!("{d} ahead"),
        (PaceStatus::Under, false, false) => format!("{d} behind"),
        (PaceStatus::Over, false, true) => format!("{d} beat"),
        (PaceStatus::Under, false, true) => format!("{d} missed"),
    }
}

/// The attention list as numbered lines under their group headings.
fn attention_lines(b: &Brief, markdown: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0;
    for (group, count) in crate::domain::attention::counts(&b.attention) {
        if markdown {
            out.push(format!("\n### {} ({count})\n", capitalised(group.label())));
        } else {
            out.push(format!("  {} ({count})", group.label().to_uppercase()));
        }
        for a in b.attention.iter().filter(|a| a.group == group) {
            n += 1;
            let link = a.link.label();
            let link = if link.is_empty() { String::new() } else { format!(" ({link})") };
            if markdown {
                let mark = if a.mark() == "!" { "**!**" } else { a.mark() };
                out.push(format!("{n}. {mark} {}{link}", md(&a.line())));
            } else {
                let mark = a.mark();
                out.push(format!("{n:>3}. {mark} {}{link}", a.line()));
            }
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// "Next: Mon 10:00 Weekly performance review", or nothing within the horizon.
pub fn next_line(b: &Brief) -> String {
    match &b.next_meeting {
        Some(n) => format!("Next: {}", n.label(b.today)),
        None => "Next: no meeting in the coming weeks".into(),
    }
}

/// `now` for the meeting on now, `next` for the one after, nothing for the rest.
fn focus_tag<'a>(b: &Brief, i: usize, now: &'a str, next: &'a str) -> &'a str {
    if b.focus.current == Some(i) {
        now
    } else if b.focus.next == Some(i) {
        next
    } else {
        ""
    }
}

fn cell(b: &Brief, t: &Tile, v: Option<f64>) -> String {
    v.map(|v| b.fmt(&t.metric, v, true)).unwrap_or_else(|| "-".into())
}

/// The target as the brief shows it: a template default marked `*`, explained by [`template_note`].
fn target_cell(b: &Brief, t: &Tile) -> String {
    let mark = if t.template_target() { "*" } else { "" };
    format!("{}{mark}", cell(b, t, t.target))
}

/// The footnote under a KPI table where a template target is still in force.
pub fn template_note(b: &Brief) -> Option<&'static str> {
    b.tiles.iter().any(Tile::template_target).then_some(
        "* template target: the role template's default, until you set yours (`mktg kpi target`, or T on a KPI in the cockpit)",
    )
}

pub fn to_text(b: &Brief) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Morning brief, {} (data through {}; amounts in {})",
        b.now.format("%a %d %b %Y %H:%M"),
        b.data_through.format("%a %d %b"),
        b.currency
    );
    let _ = writeln!(s, "{}\n", b.period_label());
    let _ = writeln!(
        s,
        "{}{}{}{}{}",
        fit("KPI", 20),
        fit_right("value", 10),
        fit_right("target", 10),
        fit_right("pace", 19),
        fit_right("vs prev", 9)
    );
    for t in &b.tiles {
        let _ = writeln!(
            s,
            "{}{}{}{}{}",
            fit(&t.metric.label, 20),
            fit_right(&cell(b, t, t.value), 10),
            fit_right(&target_cell(b, t), 10),
            fit_right(&pace_words(t), 19),
            fit_right(&t.change.map(format_change).unwrap_or_else(|| "-".into()), 9)
        );
    }
    if let Some(note) = template_note(b) {
        let _ = writeln!(s, "{note}");
    }
    let _ = writeln!(s, "\nAttention");
    if b.attention.is_empty() {
        let _ = writeln!(s, "  nothing off track");
    }
    for line in attention_lines(b, false) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "\nToday");
    if b.agenda.is_empty() {
        let _ = writeln!(s, "  no meetings");
    }
    for (i, m) in b.agenda.iter().enumerate() {
        let tag = focus_tag(b, i, " <- now", " <- next");
        let items = if m.items_total > 0 { format!(" ({}/{})", m.items_done, m.items_total) } else { String::new() };
        let _ = writeln!(s, "  {}-{} {}{items}{tag}", m.start.format("%H:%M"), m.end().format("%H:%M"), m.name);
    }
    if b.focus.next.is_none() {
        let _ = writeln!(s, "  {}", next_line(b));
    }
    let _ = writeln!(s, "\nDecisions due");
    if b.decisions_due.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for d in &b.decisions_due {
        let _ = writeln!(s, "  #{} {} (owner {}, due {})", d.id, d.title, d.owner, d.due);
    }
    let _ = writeln!(s, "\n{}", burn_line(b));
    s
}

fn burn_line(b: &Brief) -> String {
    let burn = &b.burn;
    let c = |v: i64| money::format_short(v, &b.currency);
    let pct = crate::domain::budget::percent_of(burn.spent_cents, burn.planned_cents);
    let over = burn.spent_cents - burn.planned_cents;
    let over = if over > 0 && burn.planned_cents > 0 {
        format!(", over plan by {}", money::format_amount3(over, &b.currency))
    } else {
        String::new()
    };
    let forecast = burn.forecast_cents.map(|f| format!(", forecast {}", c(f))).unwrap_or_default();
    format!(
        "Budget {}: spent {} of {} ({pct}){over} with {:.0}% of the quarter gone{forecast}",
        burn.period,
        c(burn.spent_cents),
        c(burn.planned_cents),
        burn.elapsed_share * 100.0
    )
}

/// The KPI table alone, in Markdown: what the executive report leads its KPI section with.
pub fn kpi_headline_markdown(b: &Brief) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "_{}; data through {}._\n", md(&b.period_label()), b.data_through);
    let _ = writeln!(s, "| KPI | Value | Target | Pace | vs previous |");
    let _ = writeln!(s, "|---|---:|---:|---|---:|");
    for t in &b.tiles {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            md(&t.metric.label),
            md(&cell(b, t, t.value)),
            md(&target_cell(b, t)).replace('*', "\\*"),
            pace_words(t),
            t.change.map(format_change).unwrap_or_else(|| "-".into())
        );
    }
    if let Some(note) = template_note(b) {
        let _ = writeln!(s, "\n{}", md(note).replacen('*', "\\*", 1));
    }
    s
}

pub fn to_markdown(b: &Brief) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Morning brief, {}\n\nAmounts in {}.\n", b.now.format("%a %d %b %Y %H:%M"), b.currency);
    let _ = writeln!(s, "## KPIs\n");
    s.push_str(&kpi_headline_markdown(b));
    let _ = writeln!(s, "\n## Attention");
    if b.attention.is_empty() {
        let _ = writeln!(s, "\nNothing off track.");
    }
    for line in attention_lines(b, true) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "\n## Today\n");
    for (i, m) in b.agenda.iter().enumerate() {
        let tag = focus_tag(b, i, " **(now)**", " **(next)**");
        let _ = writeln!(s, "- {} {}{tag}", m.start.format("%H:%M"), md(&m.name));
    }
    if b.focus.next.is_none() {
        let _ = writeln!(s, "\n{}", md(&next_line(b)));
    }
    let _ = writeln!(s, "\n## Decisions due\n");
    if b.decisions_due.is_empty() {
        let _ = writeln!(s, "None.");
    }
    for d in &b.decisions_due {
        let _ = writeln!(s, "- #{} {} (owner {}, due {})", d.id, md(&d.title), md(&d.owner), d.due);
    }
    let _ = writeln!(s, "\n## Budget\n\n{}", md(&burn_line(b)));
    s
}
