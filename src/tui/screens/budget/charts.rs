//! The burn gauge (spent against the elapsed share of the quarter) and the 70/20/10 view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

use crate::domain::budget::{CampaignRow, Elapsed, bucket_split};
use crate::domain::money;
use crate::domain::period::Period;
use crate::tui::screen::Ctx;
use crate::tui::widgets::panel;

/// One line: a bar of spent / planned with a marker where the elapsed share of the quarter is.
pub fn draw_gauge(frame: &mut Frame, area: Rect, cx: &Ctx, t: &CampaignRow, e: Elapsed, p: &Period, cur: &str) {
    let title = format!("Burn {}", p.label());
    let inner = if area.height >= 3 {
        let block = panel(&title, false, cx.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        inner
    } else {
        let [head, rest] =
            Layout::horizontal([Constraint::Length(title.len() as u16 + 1), Constraint::Min(1)]).areas(area);
        frame.render_widget(Paragraph::new(Span::styled(title, cx.theme.title())), head);
        rest
    };
    let planned = t.facts.planned_cents;
    let burn = if planned > 0 { t.facts.spent_cents as f64 / planned as f64 } else { 0.0 };
    // Exact amounts when there is room, compact ones on a narrow terminal.
    let wide = inner.width >= 110;
    let fmt = if wide { money::format } else { money::format_short };
    let forecast = t.forecast_cents.map(|f| fmt(f, cur)).unwrap_or_else(|| "n/a".into());
    let (spent, plan) = (fmt(t.facts.spent_cents, cur), fmt(planned, cur));
    let (burn_pct, elapsed_pct) = (burn * 100.0, e.share() * 100.0);
    let label = if wide {
        format!(
            " {burn_pct:.0}% spent · {elapsed_pct:.0}% of the quarter elapsed · {spent} of {plan} · forecast {forecast}"
        )
    } else {
        format!(" {burn_pct:.0}% spent · {elapsed_pct:.0}% elapsed · {spent}/{plan} · forecast {forecast}")
    };
    let bar_w = (inner.width as usize).saturating_sub(label.chars().count()).clamp(10, 60);
    let filled = ((burn.min(1.0) * bar_w as f64).round() as usize).min(bar_w);
    let marker = ((e.share() * bar_w as f64).round() as usize).min(bar_w.saturating_sub(1));
    let mut spans = Vec::new();
    for i in 0..bar_w {
        let (ch, style) = match (i == marker, i < filled) {
            (true, _) => ("│", cx.theme.accent()),
            (false, true) => ("█", if burn > e.share() * 1.05 { cx.theme.bad() } else { cx.theme.good() }),
            (false, false) => ("░", cx.theme.dim()),
        };
        spans.push(Span::styled(ch, style));
    }
    spans.push(Span::raw(label));
    frame.render_widget(Paragraph::new(Line::from(spans)), inner);
}

/// Planned, spent and the 70/20/10 target per bucket, as bars, with the gap in money.
pub fn draw_buckets(frame: &mut Frame, area: Rect, cx: &Ctx, rows: &[CampaignRow], cur: &str) {
    let block = panel("70/20/10: target · planned · spent per bucket", false, cx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let split = bucket_split(rows);
    let [chart, text] = Layout::horizontal([Constraint::Length(59), Constraint::Min(20)]).areas(inner);
    let bar = |label: &str, cents: i64, style| {
        Bar::default()
            .label(Line::from(label.to_string()))
            .value(u64::try_from(cents / 100).unwrap_or(0))
            .text_value(money::format_short(cents, cur))
            .style(style)
    };
    let groups: Vec<BarGroup> = split
        .iter()
        .map(|s| {
            BarGroup::default().label(Line::from(format!("{} {}%", s.bucket, s.bucket.target_share()))).bars(&[
                bar("tgt", s.target_cents, cx.theme.dim()),
                bar("plan", s.planned_cents, cx.theme.accent()),
                bar("spent", s.spent_cents, cx.theme.good()),
            ])
        })
        .collect();
    let mut chart_w = BarChart::default().bar_width(5).bar_gap(1).group_gap(3);
    for g in groups {
        chart_w = chart_w.data(g);
    }
    frame.render_widget(chart_w, chart);
    let lines = bucket_lines(rows, cx, cur);
    frame.render_widget(Paragraph::new(lines), text);
}

/// The 70/20/10 table in words: per bucket its rule, target, plan, gap and spend.
pub fn bucket_lines(rows: &[CampaignRow], cx: &Ctx, cur: &str) -> Vec<Line<'static>> {
    let split = bucket_split(rows);
    let m = |c: i64| money::format(c, cur);
    let mut lines = vec![Line::from(Span::styled(
        format!("{:<11}{:>5}{:>10}{:>10}{:>10}{:>9}", "bucket", "rule", "target", "planned", "gap", "spent"),
        cx.theme.header(),
    ))];
    for s in &split {
        let gap = if s.gap_cents > 0 { format!("+{}", m(s.gap_cents)) } else { m(s.gap_cents) };
        let style = if s.gap_cents == 0 { cx.theme.good() } else { cx.theme.warn() };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<11}{:>4}%", s.bucket.as_str(), s.bucket.target_share())),
            Span::raw(format!("{:>10}{:>10}", m(s.target_cents), m(s.planned_cents))),
            Span::styled(format!("{gap:>10}"), style),
            Span::raw(format!("{:>9}", money::format_short(s.spent_cents, cur))),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("gap = planned - target · targets split the plan 70/20/10", cx.theme.dim())));
    lines
}

/// The compact layout's 70/20/10: the table in words, no bars.
pub fn draw_bucket_lines(frame: &mut Frame, area: Rect, cx: &Ctx, rows: &[CampaignRow], cur: &str) {
    let block = panel("70/20/10", false, cx.theme);
    let mut lines = bucket_lines(rows, cx, cur);
    lines.truncate(4);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
