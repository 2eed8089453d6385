//! Drawing the Learn tab: the experiments table with a lift bar per row, then post-mortems and
//! follow-through beside the alert rules and the notes; an overlay for a readout or the pack.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::Learn;
use crate::domain::experiment::{Bayesian, Frequentist, Verdict};
use crate::domain::text::safe;
use crate::io::export::experiments::{pct, verdict_word};
use crate::io::export::learn::{about_words, follow_through_words, follow_up_line};
use crate::tui::screen::Ctx;
use crate::tui::theme::Theme;
use crate::tui::widgets::{cell, num, panel};

/// Width of the lift bar, in cells (odd, so zero sits in the middle).
const BAR: usize = 21;

/// The relative lift as a bar over a scale shared by every row: `│` is zero, `├──┤` the
/// interval and `●` the lift, so a bar clear of `│` is an interval that excludes no change.
pub fn lift_bar(lift: f64, lo: f64, hi: f64, scale: f64, width: usize) -> String {
    let w = width.max(3);
    let at = |x: f64| -> usize {
        let f = ((x / scale).clamp(-1.0, 1.0) + 1.0) / 2.0;
        (f * (w - 1) as f64).round() as usize
    };
    let mut cells = vec![' '; w];
    let (mut a, mut b) = (at(lo.min(hi)), at(hi.max(lo)));
    let zero = at(0.0);
    // An interval that straddles zero must show it doing so, even when an end rounds onto zero.
    if lo.min(hi) < 0.0 && hi.max(lo) > 0.0 {
        if a == zero {
            a = zero.saturating_sub(1);
        }
        if b == zero {
            b = (zero + 1).min(w - 1);
        }
    }
    for c in cells.iter_mut().take(b + 1).skip(a) {
        *c = '─';
    }
    cells[zero] = '│';
    cells[a] = '├';
    cells[b] = '┤';
    cells[at(lift)] = '●';
    cells.into_iter().collect()
}

fn verdict_style(v: &Verdict, theme: &Theme) -> ratatui::style::Style {
    match v {
        Verdict::DoNotTrust { .. } => theme.bad(),
        Verdict::NotEnoughData { .. } | Verdict::NoLift => theme.dim(),
        Verdict::Suspicious { .. } => theme.warn(),
        Verdict::Read { frequentist: Frequentist::SignificantWin, engines_agree: true, .. } => theme.good(),
        Verdict::Read { frequentist: Frequentist::SignificantLoss, engines_agree: true, .. } => theme.bad(),
        Verdict::Read { bayesian: Bayesian::Won, .. } => theme.accent(),
        Verdict::Read { .. } => theme.warn(),
    }
}

pub fn draw(s: &mut Learn, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let exp_h = (s.experiments.len() as u16 + 3).clamp(5, area.height / 2);
    let [top, bottom] = Layout::vertical([Constraint::Length(exp_h), Constraint::Min(4)]).areas(area);
    experiments(s, frame, top, cx);
    let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    postmortems(s, frame, left, cx);
    let [alerts_area, notes_area] = Layout::vertical([Constraint::Percentage(45), Constraint::Min(3)]).areas(right);
    alerts(s, frame, alerts_area, cx);
    notes(s, frame, notes_area, cx);
    if let Some(o) = &s.overlay {
        let inner = crate::tui::widgets::modal(frame, area, &o.title, cx.theme);
        let lines: Vec<Line> = o.lines.iter().skip(o.scroll).map(|l| Line::raw(safe(l).into_owned())).collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

fn experiments(s: &Learn, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let today = cx.now.date();
    let wide = area.width >= 110;
    let scale = s
        .experiments
        .iter()
        .flat_map(|r| [r.ci_low, r.ci_high, r.relative_lift])
        .flatten()
        .map(f64::abs)
        .filter(|x| x.is_finite())
        .fold(0.05_f64, f64::max);
    let rows: Vec<Row> = s
        .experiments
        .iter()
        .map(|r| {
            let (bar, lift, interval) = match (r.relative_lift, r.ci_low, r.ci_high) {
                (Some(l), Some(lo), Some(hi)) => {
                    (lift_bar(l, lo, hi, scale, BAR), pct(l), format!("[{}, {}]", pct(lo), pct(hi)))
                }
                _ => (String::new(), "-".into(), String::new()),
            };
            let next = match r.end {
                Some(end) => format!("{} {}", end.format("%d %b"), crate::domain::dates::relative(end, today)),
                None => "no end set".into(),
            };
            let mut cells =
                vec![cell(&r.id.to_string()), cell(&r.name), Span::styled(bar, cx.theme.accent()).into(), num(lift)];
            if wide {
                cells.push(cell(&interval));
            }
            cells.push(ratatui::widgets::Cell::from(Span::styled(
                verdict_word(&r.verdict),
                verdict_style(&r.verdict, cx.theme),
            )));
            if wide {
                cells.push(cell(&next));
            }
            Row::new(cells)
        })
        .collect();
    let mut head = vec!["#", "Experiment", "Lift and 95% interval", "Lift"];
    let mut widths =
        vec![Constraint::Length(3), Constraint::Min(14), Constraint::Length(BAR as u16), Constraint::Length(7)];
    if wide {
        head.push("Interval");
        widths.push(Constraint::Length(16));
    }
    head.push("Verdict");
    widths.push(Constraint::Length(24));
    if wide {
        head.push("Decide by");
        widths.push(Constraint::Length(14));
    }
    let title =
        format!("Experiments ({}) Enter readout, n new, r result, D decide, w weekly pack", s.experiments.len());
    let table = Table::new(rows, widths)
        .header(Row::new(head.into_iter().map(cell).collect::<Vec<_>>()).style(cx.theme.header()))
        .block(panel(&title, s.overlay.is_none(), cx.theme))
        .row_highlight_style(cx.theme.selected());
    let mut state = TableState::default().with_selected((!s.experiments.is_empty()).then_some(s.sel));
    frame.render_stateful_widget(table, area, &mut state);
    if s.experiments.is_empty() {
        let inner = Rect { x: area.x + 2, y: area.y + 2, width: area.width.saturating_sub(4), height: 1 };
        let msg = "No experiments yet: n adds one (or mktg experiment add NAME --metric M --end DAY)";
        frame.render_widget(Paragraph::new(Span::styled(msg, cx.theme.dim())), inner);
    }
}

fn postmortems(s: &Learn, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let today = cx.now.date();
    let mut lines = Vec::new();
    if let Some(ft) = &s.follow_through {
        lines.push(Line::from(vec![
            Span::styled("Follow-through ", cx.theme.dim()),
            Span::styled(follow_through_words(ft.share, ft.done_on_time, ft.settled), cx.theme.title()),
        ]));
        for f in &ft.overdue {
            lines.push(Line::styled(format!("! {}", safe(&follow_up_line(f, today))), cx.theme.bad()));
        }
    }
    for v in &s.postmortems {
        let p = &v.postmortem;
        let share = v.follow_through.map(|x| format!(", {:.0}% on time", x * 100.0)).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("#{} ", p.id), cx.theme.dim()),
            Span::styled(safe(&p.title).into_owned(), cx.theme.base()),
            Span::styled(
                format!(" ({}, {}{share})", safe(&about_words(p.about, p.about_name.as_deref())), p.at.format("%d %b")),
                cx.theme.dim(),
            ),
        ]));
        let open = p.follow_ups.iter().filter(|f| f.done_on.is_none() && f.status.is_open()).count();
        lines.push(Line::styled(format!("  {} follow-up(s), {open} open", p.follow_ups.len()), cx.theme.dim()));
    }
    if s.postmortems.is_empty() {
        lines.push(Line::styled("No post-mortems yet: p writes one (or mktg postmortem add TITLE)", cx.theme.dim()));
    }
    let block = panel("Post-mortems · p new, Space done", false, cx.theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}

fn alerts(s: &Learn, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let mut lines = Vec::new();
    for r in &s.rules {
        let style = if r.state == "breached" { cx.theme.bad() } else { cx.theme.base() };
        let channel = r.channel.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
        let fired = r.last_fired.map(|t| format!(", fired {}", t.format("%d %b %H:%M"))).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", safe(&r.key)), style),
            Span::styled(
                safe(&format!("{}{channel} {} ({}{fired})", r.metric, r.when, r.state)).into_owned(),
                cx.theme.dim(),
            ),
        ]));
    }
    if s.rules.is_empty() {
        lines.push(Line::styled("No alert rules: a adds one (or mktg alert add KEY --metric M ...)", cx.theme.dim()));
    }
    let block = panel(&format!("Alerts ({}) · a add", s.rules.len()), false, cx.theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}

fn notes(s: &Learn, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let mut lines = Vec::new();
    for n in &s.notes {
        let a = &n.note;
        let when = if a.from == a.to {
            a.from.format("%d %b").to_string()
        } else {
            format!("{}-{}", a.from.format("%d %b"), a.to.format("%d %b"))
        };
        let scope: Vec<&str> = [a.metric.as_deref(), a.channel.as_deref()].into_iter().flatten().collect();
        let scope = if scope.is_empty() { "all".to_string() } else { scope.join(" ") };
        lines.push(Line::from(vec![
            Span::styled(format!("{when} "), cx.theme.dim()),
            Span::raw(safe(&a.text).into_owned()),
            Span::styled(format!(" [{}]", safe(&scope)), cx.theme.dim()),
        ]));
    }
    if s.notes.is_empty() {
        lines.push(Line::styled("No notes: N adds one (n in a KPI's drill-down, for its day)", cx.theme.dim()));
    }
    let block = panel(&format!("Notes ({}) · N add", s.notes.len()), false, cx.theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::lift_bar;

    #[test]
    fn the_bar_marks_zero_the_interval_and_the_lift_on_one_scale() {
        // +12% in [-1%, +25%] on a ±30% scale: the interval straddles zero.
        let b = lift_bar(0.12, -0.0114, 0.2514, 0.30, 21);
        let at = |c: char| b.chars().position(|x| x == c).unwrap_or(usize::MAX);
        assert!(at('├') < at('│') && at('│') < at('●') && at('●') < at('┤') && at('┤') < 21, "{b}");
        // Clear of zero: a win the interval agrees with.
        let b = lift_bar(0.175, 0.076, 0.273, 0.30, 21);
        assert!(b.find('│') < b.find('├'), "{b}");
    }
}
