//! The weekly review pack in words: Markdown, plain text (the meeting's screen) and one
//! self-contained HTML file with its charts as inline SVG (no scripts, no links, no external
//! assets; black and grey, so it prints). Every section is built once as plain lines and only
//! dressed differently per format.

use std::fmt::Write;

use chrono::Datelike;

use super::experiments::{deadline_line, pct, recommendation_line, risk_words, verdict_sentence, verdict_word};
use super::learn::follow_up_line;
use crate::brief::render::pace_words;
use crate::domain::text::safe;
use crate::io::charts::{KpiChart, LiftRow, kpi_chart, lift_chart};
use crate::io::error::Result;
use crate::output::md;
use crate::store::notes::Note;
use crate::views::experiments::{ReadoutView, leading};
use crate::views::weekly::{Series, WeekAnomaly, Weekly};

/// "Thu 19 Nov".
fn day(d: chrono::NaiveDate) -> String {
    d.format("%a %d %b").to_string()
}

pub fn title(w: &Weekly) -> String {
    format!("Weekly performance review, {} to {}", day(w.from), day(w.to))
}

fn decision_lines(w: &Weekly) -> Vec<String> {
    let today = w.today();
    w.decisions_due
        .iter()
        .map(|d| {
            let when = match d.due {
                Some(x) if x < today => {
                    let n = (today - x).num_days();
                    format!("overdue {n} day{} (due {x})", if n == 1 { "" } else { "s" })
                }
                Some(x) if x == today => "due today".into(),
                Some(x) => format!("due {}", day(x)),
                None => String::new(),
            };
            let risk = if d.risk.is_empty() { String::new() } else { format!("; risk if nothing: {}", d.risk) };
            format!("#{} {}, owner {}, {when}{risk}", d.id, d.title, d.owner)
        })
        .collect()
}

/// Label, value, target, pace: one row per headline KPI.
fn kpi_rows(w: &Weekly) -> Vec<[String; 4]> {
    let b = &w.brief;
    b.tiles
        .iter()
        .map(|t| {
            let f = |v: Option<f64>| v.map(|v| b.fmt(&t.metric, v, true)).unwrap_or_else(|| "-".into());
            [t.metric.label.clone(), f(t.value), f(t.target), pace_words(t)]
        })
        .collect()
}

fn anomaly_line(w: &Weekly, a: &WeekAnomaly) -> String {
    let b = &w.brief;
    let x = &a.anomaly;
    // A channel's figure is its own, not blended ("paid-social CPL").
    let metric = b.metrics.iter().find(|m| m.key == x.metric);
    let label = metric.map(|m| if x.channel.is_some() { m.channel_label() } else { m.short_label() });
    let label = label.unwrap_or(x.label.clone());
    let f = |v: f64| b.metrics.iter().find(|m| m.key == x.metric).map(|m| b.fmt(m, v, true)).unwrap_or_default();
    format!(
        "{} {label} {}: {} vs {} usual (z {:.1}), {}",
        x.channel.as_deref().unwrap_or("all channels"),
        day(x.day),
        f(x.value),
        f(x.usual),
        x.z,
        match (x.up, x.good) {
            (true, false) => "up, bad",
            (true, true) => "up, good",
            (false, false) => "down, bad",
            (false, true) => "down, good",
        }
    )
}

fn note_line(n: &Note) -> String {
    let a = &n.note;
    let days = if a.from == a.to { day(a.from) } else { format!("{} to {}", day(a.from), day(a.to)) };
    let on = match (&a.metric, &a.channel) {
        (Some(m), Some(c)) => format!(" ({m}, {c})"),
        (Some(m), None) => format!(" ({m})"),
        (None, Some(c)) => format!(" ({c})"),
        (None, None) => String::new(),
    };
    format!("{days}{on}: {}", a.text)
}

fn experiment_lines(v: &ReadoutView) -> (String, Vec<String>) {
    let r = &v.readout;
    let head =
        format!("#{} {} ({}, owner {})", v.id, v.name, v.metric, if v.owner.is_empty() { "-" } else { &v.owner });
    let mut lines = Vec::new();
    if let Some(l) = leading(r).and_then(|c| c.lift.map(|l| (c.variant.clone(), l))) {
        let (name, l) = l;
        lines.push(format!(
            "{name} vs control: {} [{}, {}], {:.0}% chance to win; verdict: {}",
            pct(l.relative),
            pct(l.ci_low),
            pct(l.ci_high),
            l.chance_to_win * 100.0,
            verdict_word(&r.verdict)
        ));
    } else {
        lines.push(format!("verdict: {}", verdict_word(&r.verdict)));
    }
    lines.push(verdict_sentence(r));
    lines.push(recommendation_line(r));
    lines.push(format!("Risk of doing nothing: {}", risk_words(r)));
    lines.push(deadline_line(r));
    (head, lines)
}

fn alert_lines(w: &Weekly) -> Vec<String> {
    let plain = |v: Option<f64>| v.map(crate::io::charts::plain).unwrap_or_else(|| "-".into());
    let mut out: Vec<String> = w
        .alerts_fired
        .iter()
        .map(|f| {
            let channel = f.channel.as_deref().map(|c| format!(" in {c}")).unwrap_or_default();
            let owner = f.owner.as_deref().map(|o| format!(", owner {o}")).unwrap_or_default();
            format!(
                "{} {}: {}{channel} {}, {}{owner}",
                f.at.format("%a %d %b %H:%M"),
                f.key,
                f.metric,
                f.when,
                plain(f.value)
            )
        })
        .collect();
    for a in w.brief.alerts.iter().filter(|a| a.in_breach()) {
        if !w.alerts_fired.iter().any(|f| f.key == a.rule.key) {
            out.push(format!(
                "{}: {} {} (in breach now; not fired this week)",
                a.rule.key,
                a.rule.metric,
                a.rule.when.spec()
            ));
        }
    }
    out
}

/// Plain text, for the review meeting's screen: one section after another.
pub fn text(w: &Weekly) -> Vec<String> {
    let mut out = vec![title(w)];
    let section = |out: &mut Vec<String>, h: &str, items: Vec<String>, empty: &str| {
        out.push(String::new());
        out.push(h.to_string());
        if items.is_empty() {
            out.push(format!("  {empty}"));
        }
        out.extend(items.into_iter().map(|i| format!("  {i}")));
    };
    section(&mut out, "Decisions due", decision_lines(w), "none due this week");
    let mut kpis: Vec<String> =
        kpi_rows(w).into_iter().map(|[l, v, t, p]| format!("{l}: {v} vs target {t}, {p}")).collect();
    for a in &w.anomalies {
        kpis.push(format!("! {}", anomaly_line(w, a)));
        kpis.extend(a.notes.iter().map(|n| format!("    note: {}", n.note.text)));
    }
    section(&mut out, &format!("KPIs against target ({})", w.brief.period_label()), kpis, "no headline KPIs");
    let mut exp = Vec::new();
    for v in &w.experiments {
        let (head, lines) = experiment_lines(v);
        exp.push(head);
        exp.extend(lines.into_iter().map(|l| format!("  {l}")));
    }
    section(&mut out, "Experiment readouts", exp, "no experiment running");
    let today = w.today();
    let mut fu: Vec<String> = w.follow_ups_due.iter().map(|f| follow_up_line(f, today)).collect();
    if let Some(s) = w.follow_through {
        fu.push(format!("follow-through so far: {:.0}%", s * 100.0));
    }
    section(&mut out, "Post-mortem follow-ups due", fu, "none due");
    section(&mut out, "Alerts fired", alert_lines(w), "none this week");
    out
}

pub fn markdown(w: &Weekly) -> String {
    let mut s = format!("# {}\n\n", md(&title(w)));
    let _ = writeln!(s, "Data through {}; generated {}.\n", day(w.to), w.now.format("%a %d %b %Y %H:%M"));
    let list = |s: &mut String, items: Vec<String>, empty: &str| {
        if items.is_empty() {
            let _ = writeln!(s, "_{empty}_");
        }
        for i in items {
            let _ = writeln!(s, "- {}", md(&i));
        }
        s.push('\n');
    };
    s.push_str("## Decisions due\n\n");
    list(&mut s, decision_lines(w), "none due this week");
    let _ = writeln!(s, "## KPIs against target ({})\n", md(&w.brief.period_label()));
    s.push_str("| KPI | value | target | pace |\n|---|---:|---:|---|\n");
    for [l, v, t, p] in kpi_rows(w) {
        let _ = writeln!(s, "| {} | {} | {} | {} |", md(&l), md(&v), md(&t), md(&p));
    }
    s.push('\n');
    if !w.anomalies.is_empty() {
        s.push_str("### Anomalies this week\n\n");
        for a in &w.anomalies {
            let _ = writeln!(s, "- {}", md(&anomaly_line(w, a)));
            for n in &a.notes {
                let _ = writeln!(s, "  - note: {}", md(&n.note.text));
            }
        }
        s.push('\n');
    }
    if !w.notes.is_empty() {
        s.push_str("### Notes this week\n\n");
        list(&mut s, w.notes.iter().map(note_line).collect(), "");
    }
    s.push_str("## Experiment readouts\n\n");
    if w.experiments.is_empty() {
        s.push_str("_no experiment running_\n\n");
    }
    for v in &w.experiments {
        let (head, lines) = experiment_lines(v);
        let _ = writeln!(s, "### {}\n", md(&head));
        for l in lines {
            let _ = writeln!(s, "{}  ", md(&l));
        }
        s.push('\n');
    }
    s.push_str("## Post-mortem follow-ups due\n\n");
    let today = w.today();
    list(&mut s, w.follow_ups_due.iter().map(|f| follow_up_line(f, today)).collect(), "none due");
    if let Some(x) = w.follow_through {
        let _ = writeln!(s, "Follow-through so far: {:.0}%.\n", x * 100.0);
    }
    s.push_str("## Alerts fired\n\n");
    list(&mut s, alert_lines(w), "none this week");
    s
}

/// Text for HTML: control characters dropped (XML forbids them), markup escaped.
fn esc(s: &str) -> String {
    safe(s)
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// plotters writes a complete SVG document; inline, only the `<svg>` element is wanted.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map(|i| &svg[i..]).unwrap_or(svg)
}

const STYLE: &str = "body{font-family:sans-serif;color:#111;max-width:960px;margin:2em auto;padding:0 1em;line-height:1.4}
h1{font-size:1.6em;border-bottom:2px solid #111}h2{font-size:1.25em;border-bottom:1px solid #999;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}th,td{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left}
td.n,th.n{text-align:right}.meta,.note{color:#555}figure{margin:1em 0;page-break-inside:avoid;break-inside:avoid}
figcaption{font-size:.9em;color:#333}svg{max-width:100%;height:auto}section{page-break-inside:avoid;break-inside:avoid}
.closing{border-left:3px solid #111;padding-left:.6em}@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}";

/// One self-contained page: inline style, inline SVG, nothing fetched, nothing run.
pub fn html(w: &Weekly) -> Result<String> {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title(w))
    );
    let _ = writeln!(s, "<h1>{}</h1>", esc(&title(w)));
    let _ = writeln!(
        s,
        "<p class=\"meta\">Data through {}; generated {}.</p>",
        esc(&day(w.to)),
        esc(&w.now.format("%a %d %b %Y %H:%M").to_string())
    );
    let list = |s: &mut String, items: &[String], empty: &str| {
        if items.is_empty() {
            let _ = writeln!(s, "<p class=\"meta\">{}</p>", esc(empty));
            return;
        }
        s.push_str("<ul>\n");
        for i in items {
            let _ = writeln!(s, "<li>{}</li>", esc(i));
        }
        s.push_str("</ul>\n");
    };
    s.push_str("<h2>Decisions due</h2>\n");
    list(&mut s, &decision_lines(w), "None due this week.");
    let _ = writeln!(s, "<h2>KPIs against target <span class=\"meta\">({})</span></h2>", esc(&w.brief.period_label()));
    s.push_str("<table>\n<tr><th>KPI</th><th class=\"n\">value</th><th class=\"n\">target</th><th>pace</th></tr>\n");
    for [l, v, t, p] in kpi_rows(w) {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&l),
            esc(&v),
            esc(&t),
            esc(&p)
        );
    }
    s.push_str("</table>\n");
    if !w.anomalies.is_empty() {
        s.push_str("<h3>Anomalies this week</h3>\n<ul>\n");
        for a in &w.anomalies {
            let _ = write!(s, "<li>{}", esc(&anomaly_line(w, a)));
            if !a.notes.is_empty() {
                s.push_str("<ul>");
                for n in &a.notes {
                    let _ = write!(s, "<li class=\"note\">note: {}</li>", esc(&n.note.text));
                }
                s.push_str("</ul>");
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul>\n");
    }
    for (t, series) in w.brief.tiles.iter().zip(&w.series) {
        s.push_str(&kpi_figure(w, t, series)?);
    }
    s.push_str("<h2>Experiment readouts</h2>\n");
    if w.experiments.is_empty() {
        s.push_str("<p class=\"meta\">No experiment running.</p>\n");
    }
    for v in &w.experiments {
        s.push_str(&experiment_section(v)?);
    }
    s.push_str("<h2>Post-mortem follow-ups due</h2>\n");
    let today = w.today();
    list(&mut s, &w.follow_ups_due.iter().map(|f| follow_up_line(f, today)).collect::<Vec<_>>(), "None due.");
    if let Some(x) = w.follow_through {
        let _ = writeln!(s, "<p>Follow-through so far: {:.0}%.</p>", x * 100.0);
    }
    s.push_str("<h2>Alerts fired</h2>\n");
    list(&mut s, &alert_lines(w), "None this week.");
    s.push_str("</body>\n</html>\n");
    Ok(s)
}

fn kpi_figure(w: &Weekly, t: &crate::brief::Tile, series: &Series) -> Result<String> {
    let b = &w.brief;
    let m = &t.metric;
    let fmt = |v: f64| b.fmt(m, v, true);
    let days: Vec<chrono::NaiveDate> = series.notes.iter().map(|n| n.note.from.max(series.start)).collect();
    let title = format!("{}, {} {}", m.label, series.start.format("%B"), series.start.year());
    let svg = kpi_chart(&KpiChart {
        title: &title,
        start: series.start,
        days: series.days,
        actual: &series.actual,
        target: series.target,
        cumulative: series.cumulative,
        notes: &days,
        format: &fmt,
    })?;
    let mut s = format!("<figure class=\"kpi\">\n{}\n", inline_svg(&svg));
    s.push_str("<figcaption>");
    let _ = write!(s, "{}: {}", esc(&m.label), esc(&pace_words(t)));
    if !series.notes.is_empty() {
        s.push_str("<ol>");
        for n in &series.notes {
            let _ = write!(s, "<li>{}</li>", esc(&note_line(n)));
        }
        s.push_str("</ol>");
    }
    s.push_str("</figcaption>\n</figure>\n");
    Ok(s)
}

fn experiment_section(v: &ReadoutView) -> Result<String> {
    let r = &v.readout;
    let (head, lines) = experiment_lines(v);
    let mut s = format!("<section>\n<h3>{}</h3>\n", esc(&head));
    if !v.hypothesis.is_empty() {
        let _ = writeln!(s, "<p>Hypothesis: {}</p>", esc(&v.hypothesis));
    }
    s.push_str("<table>\n<tr><th>variant</th><th class=\"n\">visitors</th><th class=\"n\">conversions</th><th class=\"n\">rate</th></tr>\n");
    for x in &r.variants {
        let rate = x.rate().map(|r| format!("{:.2}%", r * 100.0)).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{rate}</td></tr>",
            esc(&x.name),
            x.visitors,
            x.conversions
        );
    }
    s.push_str("</table>\n");
    let rows: Vec<LiftRow> = r
        .comparisons
        .iter()
        .filter_map(|c| c.lift.map(|l| LiftRow { label: &c.variant, lift: l.relative, low: l.ci_low, high: l.ci_high }))
        .collect();
    if !rows.is_empty() {
        let svg = lift_chart(&format!("{}: lift vs control", v.name), &rows, 1.0 - r.settings.alpha)?;
        let _ = writeln!(s, "<figure class=\"lift\">\n{}\n</figure>", inline_svg(&svg));
    }
    let mut lines = lines.into_iter().skip(1);
    if let Some(sentence) = lines.next() {
        let _ = writeln!(s, "<p>{}</p>", esc(&sentence));
    }
    s.push_str("<p class=\"closing\">");
    let rest: Vec<String> = lines.map(|l| esc(&l)).collect();
    s.push_str(&rest.join("<br/>"));
    s.push_str("</p>\n</section>\n");
    Ok(s)
}
