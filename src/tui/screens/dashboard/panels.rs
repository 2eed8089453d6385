//! The funnel strip, the budget-burn gauge and today's agenda.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use crate::brief::Brief;
use crate::domain::money::format_short;
use crate::domain::text::{fit, truncate};
use crate::tui::screen::Ctx;
use crate::tui::widgets::panel;

/// Funnel count as a short number: 2,716 / 12.3k.
fn count(v: f64) -> String {
    if v >= 100_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v >= 10_000.0 {
        format!("{:.1}k", v / 1000.0)
    } else {
        crate::domain::money::group_thousands(v.round().max(0.0) as u64)
    }
}

/// Stage labels short enough for one line.
fn short_label(metric: &str, label: &str) -> String {
    match metric {
        "leads" => "Leads".into(),
        "mqls" => "MQL".into(),
        "sqls" => "SQL".into(),
        "opps" => "Opp".into(),
        "won" => "Won".into(),
        _ => label.to_string(),
    }
}

/// The funnel as spans: `Leads 2,716 →31% MQL 857 →29% SQL 252 ...`; the current period's
/// conversions are coloured by their change against the previous period's.
fn funnel_spans(b: &Brief, cx: &Ctx, previous: bool) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let last = b.funnel.len().saturating_sub(1);
    for (i, s) in b.funnel.iter().enumerate() {
        let n = if previous { s.previous } else { Some(s.count) };
        let conv = if previous { s.previous_conversion } else { s.conversion };
        spans.push(Span::styled(format!("{} ", short_label(&s.metric, &s.label)), cx.theme.dim()));
        spans.push(Span::styled(
            n.map(count).unwrap_or_else(|| "-".into()),
            if previous { cx.theme.dim() } else { cx.theme.base() },
        ));
        if let Some(c) = conv {
            let style = match (previous, s.conversion_change_pp()) {
                (true, _) => cx.theme.dim(),
                (false, Some(p)) if p >= 0.5 => cx.theme.good(),
                (false, Some(p)) if p <= -0.5 => cx.theme.bad(),
                _ => cx.theme.accent(),
            };
            spans.push(Span::styled(format!(" →{:.0}% ", c * 100.0), style));
        } else if i < last {
            // No conversion to show (nothing in this stage yet): still an arrow to the next stage.
            spans.push(Span::styled(" → ", cx.theme.dim()));
        }
    }
    spans
}

pub fn draw_funnel(frame: &mut Frame, area: Rect, b: &Brief, cx: &Ctx) {
    // The tiles above have no room for it: the period they show is named here, once.
    let block = panel(&format!("Funnel · {} · p: period", b.period_label()), false, cx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if b.funnel.is_empty() {
        frame.render_widget(Paragraph::new("no funnel metrics in this role"), inner);
        return;
    }
    let mut now = vec![Span::styled("now  ", cx.theme.header())];
    now.extend(funnel_spans(b, cx, false));
    let mut prev = vec![Span::styled("prev ", cx.theme.dim())];
    prev.extend(funnel_spans(b, cx, true));
    let changes: Vec<String> = b
        .funnel
        .iter()
        .filter_map(|s| Some(format!("{}→ {:+.1}pp", short_label(&s.metric, &s.label), s.conversion_change_pp()?)))
        .collect();
    let delta = Line::from(Span::styled(
        truncate(&format!("     {}", changes.join("  ")), inner.width as usize).into_owned(),
        cx.theme.accent(),
    ));
    frame.render_widget(Paragraph::new(vec![Line::from(now), Line::from(prev), delta]), inner);
}

fn burn_ratio(b: &Brief) -> f64 {
    if b.burn.planned_cents > 0 {
        (b.burn.spent_cents as f64 / b.burn.planned_cents as f64).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

pub fn draw_burn(frame: &mut Frame, area: Rect, b: &Brief, cx: &Ctx) {
    let block = panel(&format!("Budget {}", b.burn.period), false, cx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let ratio = burn_ratio(b);
    let c = |v: i64| format_short(v, &b.currency);
    let over = ratio > b.burn.elapsed_share + 0.05;
    let style = if over { cx.theme.bad() } else { cx.theme.good() };
    let [g, t1, t2] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(1)]).areas(inner);
    let pct = crate::domain::budget::percent_of(b.burn.spent_cents, b.burn.planned_cents);
    let label = format!("{} of {} ({pct})", c(b.burn.spent_cents), c(b.burn.planned_cents));
    frame.render_widget(Gauge::default().ratio(ratio).label(label).gauge_style(style), g);
    let over = b.burn.spent_cents - b.burn.planned_cents;
    let time = if over > 0 && b.burn.planned_cents > 0 {
        format!("over plan by {}", crate::domain::money::format_amount3(over, &b.currency))
    } else {
        format!("time gone {:.0}% of the quarter", b.burn.elapsed_share * 100.0)
    };
    frame.render_widget(Paragraph::new(Span::styled(time, cx.theme.dim())), t1);
    let forecast = match b.burn.forecast_cents {
        Some(f) => format!("run-rate forecast {} ({:+.0}%)", c(f), forecast_dev(b, f) * 100.0),
        None => "run-rate forecast: too early to call".into(),
    };
    frame.render_widget(Paragraph::new(forecast), t2);
}

fn forecast_dev(b: &Brief, forecast: i64) -> f64 {
    if b.burn.planned_cents > 0 { forecast as f64 / b.burn.planned_cents as f64 - 1.0 } else { 0.0 }
}

/// Compact: the funnel, the burn and the agenda on one line each, no borders.
pub fn draw_strip(frame: &mut Frame, area: Rect, b: &Brief, cx: &Ctx) {
    let [f, g, a] = Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(agenda_line(b, cx, a.width as usize)), a);
    let mut spans = vec![Span::styled(" ", cx.theme.dim())];
    spans.extend(funnel_spans(b, cx, false));
    frame.render_widget(Paragraph::new(Line::from(spans)), f);
    let c = |v: i64| format_short(v, &b.currency);
    let label = format!(
        " Budget {} {} of {} · time {:.0}%",
        b.burn.period,
        c(b.burn.spent_cents),
        c(b.burn.planned_cents),
        b.burn.elapsed_share * 100.0
    );
    let forecast =
        b.burn.forecast_cents.map_or_else(|| " · forecast too early".into(), |f| format!(" · forecast {}", c(f)));
    let text = format!("{label}{forecast}");
    let [lbl, gauge] =
        Layout::horizontal([Constraint::Length(text.chars().count() as u16 + 1), Constraint::Min(0)]).areas(g);
    frame.render_widget(Paragraph::new(text), lbl);
    let ratio = burn_ratio(b);
    let style = if ratio > b.burn.elapsed_share + 0.05 { cx.theme.bad() } else { cx.theme.good() };
    frame.render_widget(
        ratatui::widgets::LineGauge::default()
            .ratio(ratio)
            .filled_style(style)
            .label(crate::domain::budget::percent_of(b.burn.spent_cents, b.burn.planned_cents)),
        gauge,
    );
}

/// Today's meetings on one line, from the current or next one: `09:00 Ad performance review (next) · 11:00 ...`.
fn agenda_line(b: &Brief, cx: &Ctx, w: usize) -> Line<'static> {
    let from = b.focus.current.or(b.focus.next);
    let Some(from) = from else {
        let next = b.next_meeting.as_ref().map(|n| format!(" · next {}", n.label(b.today))).unwrap_or_default();
        let text = crate::domain::text::safe(&format!(" Today: no more meetings{next}")).into_owned();
        return Line::from(Span::styled(truncate(&text, w).into_owned(), cx.theme.dim()));
    };
    let mut spans = vec![Span::styled(" Today ", cx.theme.header())];
    let mut used = 7;
    for (i, m) in b.agenda.iter().enumerate().skip(from) {
        let tag = if b.focus.current == Some(i) {
            " (now)"
        } else if b.focus.next == Some(i) {
            " (next)"
        } else {
            ""
        };
        let text = format!("{} {}{tag}", m.start.format("%H:%M"), crate::domain::text::safe(&m.name));
        let sep = if i == from { "" } else { " · " };
        if used + sep.len() + crate::domain::text::width(&text) > w {
            break;
        }
        used += sep.len() + crate::domain::text::width(&text);
        let style = if tag.is_empty() { cx.theme.dim() } else { cx.theme.current() };
        spans.push(Span::raw(sep));
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

pub fn draw_agenda(frame: &mut Frame, area: Rect, b: &Brief, cx: &Ctx) {
    let block = panel(&format!("Today {}", b.today.format("%a %d %b")), false, cx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if b.agenda.is_empty() {
        lines.push(Line::from(Span::styled("no meetings today", cx.theme.dim())));
    }

    for (i, m) in b.agenda.iter().enumerate() {
        let (tag, style) = if b.focus.current == Some(i) {
            ("now ", cx.theme.current())
        } else if b.focus.next == Some(i) {
            ("next", cx.theme.accent())
        } else {
            ("    ", cx.theme.base())
        };
        let items = if m.items_total > 0 { format!(" {}/{}", m.items_done, m.items_total) } else { String::new() };
        let head = format!("{} {tag} ", m.start.format("%H:%M"));
        let room = w.saturating_sub(head.chars().count() + items.chars().count());
        let name = fit(&crate::domain::text::safe(&m.name), room);
        lines.push(Line::from(vec![
            Span::styled(head, style),
            Span::styled(name, style),
            Span::styled(items, cx.theme.dim()),
        ]));
    }
    // After the day's last meeting (or on a day without any), the next one, with its day.
    let more_today = b.focus.current.is_some() || b.focus.next.is_some();
    if let (false, Some(n)) = (more_today, &b.next_meeting) {
        lines.push(Line::from(vec![
            Span::styled("next ", cx.theme.accent()),
            Span::styled(fit(&crate::domain::text::safe(&n.label(b.today)), w.saturating_sub(5)), cx.theme.accent()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
