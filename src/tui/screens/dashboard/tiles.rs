//! KPI tiles: a row of boxes in the wide layout, a table in the compact one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Sparkline, Table};

use crate::brief::render::pace_words;
use crate::brief::{Brief, Tile};
use crate::domain::kpi::{format_change, is_good};
use crate::domain::text::{fit_right, truncate};
use crate::tui::screen::Ctx;
use crate::tui::theme::Theme;
use crate::tui::widgets::{num, panel};

/// Narrowest a tile may be (inner 12 cells: "$1.25M", "-17% behind").
const MIN_TILE: u16 = 14;

/// Style for a verdict: good, bad, or neutral.
pub fn verdict(theme: &Theme, good: Option<bool>) -> Style {
    match good {
        Some(true) => theme.good(),
        Some(false) => theme.bad(),
        None => theme.base(),
    }
}

fn value_text(b: &Brief, t: &Tile, v: Option<f64>) -> String {
    v.map(|v| b.fmt(&t.metric, v, true)).unwrap_or_else(|| "-".into())
}

fn change_text(t: &Tile) -> String {
    t.change.map(|c| format!("{} vs prev", format_change(c))).unwrap_or_else(|| "no previous".into())
}

/// The pace words, shortened to fit `w` cells ("too early to call" becomes "too early").
fn pace_text(t: &Tile, w: usize) -> String {
    let s = pace_words(t);
    if s.chars().count() > w && s == "too early to call" { "too early".into() } else { s }
}

/// Values scaled to 0..=100 for a sparkline (ratios and small counts keep their shape).
fn spark_data(values: &[f64]) -> Vec<u64> {
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    if max <= 0.0 {
        return vec![0; values.len()];
    }
    values.iter().map(|v| ((v / max) * 100.0).round().max(0.0) as u64).collect()
}

/// A sparkline as text, for table cells: the last `w` values.
pub fn spark_text(values: &[f64], w: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let data = spark_data(values);
    let tail = &data[data.len().saturating_sub(w)..];
    tail.iter().map(|v| BARS[((*v as usize) * 7 / 100).min(7)]).collect()
}

/// The tile's target line: "of 4,200", "template 4,200" while the role template's default is in
/// force (shortened to "tmpl 4,200" when the tile is narrow), or "no target".
fn target_words(b: &Brief, t: &Tile, w: usize) -> String {
    let Some(v) = t.target else { return "no target".into() };
    let v = b.fmt(&t.metric, v, true);
    if !t.template_target() {
        return format!("of {v}");
    }
    let long = format!("template {v}");
    if long.chars().count() <= w { long } else { format!("tmpl {v}") }
}

/// The wide layout: one box per headline KPI.
pub fn draw_grid(frame: &mut Frame, area: Rect, b: &Brief, selected: Option<usize>, cx: &Ctx) {
    let fit = ((area.width / MIN_TILE) as usize).max(1);
    let shown = &b.tiles[..b.tiles.len().min(fit)];
    if shown.is_empty() {
        let p = Paragraph::new("no headline KPIs: set `headline` on a metric").block(panel("KPIs", false, cx.theme));
        frame.render_widget(p, area);
        return;
    }
    let cols = even_columns(area, shown.len());
    for (i, (t, col)) in shown.iter().zip(cols.iter()).enumerate() {
        let focused = selected == Some(i);
        let room = col.width.saturating_sub(4) as usize;
        let label = if t.metric.label.chars().count() > room { t.metric.short_label() } else { t.metric.label.clone() };
        let mut block = panel(&truncate(&label, room), focused, cx.theme);
        if let Some(v) = t.today {
            // Beside the tile, never in it: today is not complete and is not paced.
            // Shortened on a narrow tile; the drill-down and the status line say the rest.
            let v = b.fmt(&t.metric, v, true);
            let today = [format!(" today so far {v} "), format!(" today {v} "), format!(" +{v} ")]
                .into_iter()
                .find(|s| s.chars().count() <= room + 2);
            if let Some(today) = today {
                block = block.title_bottom(Span::styled(today, cx.theme.dim()));
            }
        }
        let inner = block.inner(*col);
        frame.render_widget(block, *col);
        let w = inner.width as usize;
        let value_style = verdict(cx.theme, t.pace_good()).add_modifier(Modifier::BOLD);
        let mut target = target_words(b, t, w);
        if let Some(n) = t.deals {
            target = format!("n {n} · {target}");
        }
        let change_good = t.change.and_then(|c| is_good(&t.metric, c));
        let lines = vec![
            Line::from(Span::styled(fit_right(&value_text(b, t, t.value), w), value_style)),
            Line::from(Span::styled(fit_right(&target, w), cx.theme.dim())),
            Line::from(Span::styled(fit_right(&pace_text(t, w), w), verdict(cx.theme, t.pace_good()))),
            Line::from(Span::styled(fit_right(&change_text(t), w), verdict(cx.theme, change_good))),
        ];
        let [text, spark] = text_and_spark(inner);
        frame.render_widget(Paragraph::new(lines), text);
        let data = spark_data(&t.spark);
        let tail = data[data.len().saturating_sub(spark.width as usize)..].to_vec();
        frame.render_widget(Sparkline::default().data(tail).style(cx.theme.accent()), spark);
    }
}

/// `area` cut into `n` columns of equal share, as `Layout::horizontal` with `Ratio(1, n)` each
/// cuts it (each edge at the nearest cell, halves up), without the constraint solver: the grid is
/// drawn on every frame and solving it was most of the tiles' drawing.
fn even_columns(area: Rect, n: usize) -> Vec<Rect> {
    let (w, n) = (u32::from(area.width), n.max(1) as u32);
    let edge = |i: u32| ((2 * i * w + n) / (2 * n)) as u16;
    (0..n).map(|i| Rect { x: area.x + edge(i), width: edge(i + 1) - edge(i), ..area }).collect()
}

/// A tile's inside cut into its four lines of text and the sparkline row under them, as
/// `Layout::vertical([Length(4), Length(1)])` cuts it: the sparkline keeps its row once there
/// are two, the text takes up to four of the rest.
fn text_and_spark(inner: Rect) -> [Rect; 2] {
    let spark_h = u16::from(inner.height >= 2);
    let text_h = (inner.height - spark_h).min(4);
    [Rect { height: text_h, ..inner }, Rect { y: inner.y + text_h, height: spark_h, ..inner }]
}

/// The compact layout: one row per headline KPI.
pub fn draw_table(frame: &mut Frame, area: Rect, b: &Brief, selected: Option<usize>, cx: &Ctx) {
    let mut title = format!("KPIs · {}", b.period_label());
    if b.tiles.iter().any(Tile::template_target) {
        title.push_str(" · * template target: T sets yours");
    }
    let block = panel(&truncate(&title, area.width.saturating_sub(4) as usize), false, cx.theme);
    let header = Row::new(vec![
        ratatui::widgets::Cell::from("KPI"),
        num("value"),
        num("target"),
        num("pace"),
        num("vs prev"),
        ratatui::widgets::Cell::from(" daily trend"),
    ])
    .style(cx.theme.header());
    let rows: Vec<Row> = b
        .tiles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let change_good = t.change.and_then(|c| is_good(&t.metric, c));
            let style = if selected == Some(i) { cx.theme.selected() } else { cx.theme.base() };
            Row::new(vec![
                crate::tui::widgets::cell(&match (t.deals, t.metric.label.chars().count() > 15) {
                    // A win rate from deal outcomes keeps its n beside it.
                    (Some(n), _) => format!("{} (n {n})", t.metric.short_label()),
                    (None, true) => t.metric.short_label(),
                    (None, false) => t.metric.label.clone(),
                }),
                num(value_text(b, t, t.value)).style(verdict(cx.theme, t.pace_good()).add_modifier(Modifier::BOLD)),
                num(format!("{}{}", value_text(b, t, t.target), if t.template_target() { "*" } else { "" }))
                    .style(cx.theme.dim()),
                num(pace_text(t, 13)).style(verdict(cx.theme, t.pace_good())),
                num(t.change.map(format_change).unwrap_or_else(|| "-".into())).style(verdict(cx.theme, change_good)),
                ratatui::widgets::Cell::from(match t.today {
                    // Today so far, beside the row: not complete, not paced.
                    Some(v) => format!(" {} · today {}", spark_text(&t.spark, 14), value_text(b, t, Some(v))),
                    None => format!(" {}", spark_text(&t.spark, 28)),
                })
                .style(cx.theme.accent()),
            ])
            .style(style)
        })
        .collect();
    let widths = [
        Constraint::Length(15),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(13),
        Constraint::Length(7),
        Constraint::Min(0),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).block(block).column_spacing(1), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Layout;

    /// The grid's cuts are the solver's, cell for cell, at every size a terminal has.
    #[test]
    fn the_tiles_cuts_are_the_layouts() {
        // Every width up to a few tiles' worth, then a spread of wide ones (the solver is slow
        // in a debug build).
        let widths: Vec<u16> = (0..=48).chain((49..=400).step_by(13)).collect();
        for n in 1..=8usize {
            for &w in &widths {
                let area = Rect::new(3, 5, w, 9);
                let solved = Layout::horizontal(vec![Constraint::Ratio(1, n as u32); n]).split(area);
                assert_eq!(even_columns(area, n), solved.to_vec(), "{n} columns in {w}");
            }
        }
        for h in 0..=60u16 {
            let inner = Rect::new(4, 7, 17, h);
            let solved: [Rect; 2] = Layout::vertical([Constraint::Length(4), Constraint::Length(1)]).areas(inner);
            assert_eq!(text_and_spark(inner), solved, "height {h}");
        }
    }
}
