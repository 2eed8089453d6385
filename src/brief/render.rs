//! The brief as plain text (cron, email) and Markdown; the KPI headline for the exec report.

use std::fmt::Write;

use super::{Brief, Tile};
use crate::domain::kpi::format_change;
use crate::domain::money;
use crate::domain::pacing::PaceStatus;
use crate::domain::text::{fit, fit_right};
use crate::output::md;

/// "-3% on track", "-21% behind", "+15% over": pace in the metric's own terms.
pub fn pace_words(t: &Tile) -> String {
    let Some(p) = t.pace else {
        // Pace needs both a target and something observed; say which one is missing.
        return if t.target.is_none() { "no target".into() } else { "no data yet".into() };
    };
    let d = format_change(p.deviation);
    // A cost runs over or under its budget; an outcome runs ahead of or behind its target.
    let cost = t.metric.direction == crate::domain::model::Direction::Lower;
    match (p.status, cost) {
        (PaceStatus::NotYet, _) => "n/a".into(),
        (PaceStatus::OnTrack, _) => format!("{d} on track"),
        (PaceStatus::Over, true) => format!("{d} over"),
        (PaceStatus::Under, true) => format!("{d} under"),
        (PaceStatus::Over, false) => format!("{d} ahead"),
        (PaceStatus::Under, false) => format!("{d} behind"),
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
        fit_right("pace", 16),
        fit_right("vs prev", 9)
    );
    for t in &b.tiles {
        let _ = writeln!(
            s,
            "{}{}{}{}{}",
            fit(&t.metric.label, 20),
            fit_right(&cell(b, t, t.value), 10),
            fit_right(&target_cell(b, t), 10),
            fit_right(&pace_words(t), 16),
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
    for (i, a) in b.attention.iter().enumerate() {
        let mark = if a.bad { "!" } else { "+" };
        let _ = writeln!(s, "{:>3}. {mark} {} ({})", i + 1, a.line(), a.link.label());
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
    let pct = if burn.planned_cents > 0 { burn.spent_cents as f64 / burn.planned_cents as f64 * 100.0 } else { 0.0 };
    let forecast = burn.forecast_cents.map(|f| format!(", forecast {}", c(f))).unwrap_or_default();
    format!(
        "Budget {}: spent {} of {} ({pct:.0}%) with {:.0}% of the quarter gone{forecast}",
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
    let _ = writeln!(s, "\n## Attention\n");
    if b.attention.is_empty() {
        let _ = writeln!(s, "Nothing off track.");
    }
    for (i, a) in b.attention.iter().enumerate() {
        let mark = if a.bad { "**!**" } else { "+" };
        let _ = writeln!(s, "{}. {mark} {} ({})", i + 1, md(&a.line()), a.link.label());
    }
    let _ = writeln!(s, "\n## Today\n");
    for (i, m) in b.agenda.iter().enumerate() {
        let tag = focus_tag(b, i, " **(now)**", " **(next)**");
        let _ = writeln!(s, "- {} {}{tag}", m.start.format("%H:%M"), md(&m.name));
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
