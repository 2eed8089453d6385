//! The KPI drill-down: the history chart (this period, the previous one, the target line),
//! the channel breakdown (share and change), and the latest entries to edit or delete.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Cell, Chart, Dataset, GraphType, LegendPosition, Paragraph, Row, Table};

use super::entry::entry_form;
use super::tiles::verdict;
use crate::brief::Brief;
use crate::brief::drill::Drill;
use crate::domain::kpi::{format_change, format_value, is_good};
use crate::domain::period_choice::Shown;
use crate::domain::text::truncate;
use crate::error::Result;
use crate::keymap::Action;
use crate::store::Store;
use crate::tui::popups::confirm::Confirm;
use crate::tui::screen::{Ctx, Effect};
use crate::tui::widgets::{cell, clamp_selection, num, panel};

pub struct DrillView {
    metric: String,
    drill: Drill,
    sel: usize,
}

impl DrillView {
    pub fn open(store: &Store, metric: &str, shown: &Shown, today: chrono::NaiveDate) -> Result<DrillView> {
        let drill = Drill::build(store, metric, shown, today)?;
        Ok(DrillView { metric: drill.metric.key.clone(), drill, sel: 0 })
    }

    pub fn reload(&mut self, store: &Store, shown: &Shown, today: chrono::NaiveDate) -> Result<()> {
        self.drill = Drill::build(store, &self.metric, shown, today)?;
        self.sel = clamp_selection(self.sel, self.drill.recent.len());
        Ok(())
    }

    /// Show a drill-down computed elsewhere (a background job) for the same metric.
    pub fn replace(&mut self, drill: Drill) {
        self.drill = drill;
        self.sel = clamp_selection(self.sel, self.drill.recent.len());
    }

    /// The metric shown.
    /// The metric shown (its targets are the ones `T` sets).
    pub fn metric(&self) -> &str {
        &self.metric
    }

    /// The metric new entries from here are for (a ratio's first part).
    pub fn entries_of(&self) -> &str {
        &self.drill.entries_of
    }

    pub fn handle(&mut self, action: Action, brief: Option<&Brief>, cx: &Ctx) -> Result<Effect> {
        let n = self.drill.recent.len();
        match action {
            Action::Up => self.sel = self.sel.saturating_sub(1),
            Action::Down => self.sel = clamp_selection(self.sel + 1, n),
            Action::Top => self.sel = 0,
            Action::Bottom => self.sel = n.saturating_sub(1),
            Action::Edit => {
                let Some(o) = self.drill.recent.get(self.sel) else {
                    return Ok(Effect::Status("no entry to edit".into()));
                };
                let (metrics, channels) = match brief {
                    Some(b) => (b.metrics.clone(), b.channels.clone()),
                    None => (cx.store.kpis().metrics()?, Vec::new()),
                };
                return Ok(Effect::Popup(Box::new(entry_form(metrics, channels, None, Some(o), cx))));
            }
            Action::Note => {
                // For the selected entry's day (and channel), else yesterday, the chart's last day.
                let o = self.drill.recent.get(self.sel);
                let day = o.map(|o| o.day).unwrap_or(cx.now.date() - Duration::days(1));
                let channel = o.map(|o| o.channel.as_str()).unwrap_or("");
                return Ok(Effect::Popup(crate::tui::popups::note_form::open(day, &self.drill.metric.key, channel)));
            }
            Action::Delete => {
                let Some(o) = self.drill.recent.get(self.sel).cloned() else {
                    return Ok(Effect::Status("no entry to delete".into()));
                };
                let what = format!(
                    "Delete #{} {} {} on {}{}?",
                    o.id,
                    o.metric,
                    trim(o.value),
                    o.day,
                    if o.channel.is_empty() { String::new() } else { format!(" ({})", o.channel) }
                );
                let popup = Confirm::new("Delete a KPI value", &what, move |cx: &Ctx| {
                    let old = cx.store.write(|tx| tx.kpis().delete(o.id))?;
                    Ok(Effect::Saved(format!("deleted #{} {} {} on {}", old.id, old.metric, trim(old.value), old.day)))
                });
                return Ok(Effect::Popup(Box::new(popup)));
            }
            _ => return Ok(Effect::Unhandled),
        }
        Ok(Effect::None)
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, b: &Brief, cx: &Ctx) {
        let d = &self.drill;
        let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
        frame.render_widget(Paragraph::new(header(d, b, cx)), head);
        if area.width >= 100 {
            let [chart, side] = Layout::horizontal([Constraint::Min(50), Constraint::Length(46)]).areas(body);
            draw_chart(frame, chart, d, b, cx);
            let [table, entries] = Layout::vertical([Constraint::Percentage(55), Constraint::Min(4)]).areas(side);
            draw_channels(frame, table, d, b, cx);
            self.draw_entries(frame, entries, b, cx);
        } else {
            let [chart, lower] = Layout::vertical([Constraint::Percentage(50), Constraint::Min(4)]).areas(body);
            draw_chart(frame, chart, d, b, cx);
            let [table, entries] = Layout::horizontal([Constraint::Percentage(55), Constraint::Min(20)]).areas(lower);
            draw_channels(frame, table, d, b, cx);
            self.draw_entries(frame, entries, b, cx);
        }
    }

    fn draw_entries(&self, frame: &mut Frame, area: Rect, b: &Brief, cx: &Ctx) {
        let d = &self.drill;
        let title = format!("Latest {} entries · e edit · x delete · n note", d.entries_of);
        let block = panel(&truncate(&title, area.width.saturating_sub(4) as usize), true, cx.theme);
        let unit = b.metrics.iter().find(|m| m.key == d.entries_of).map(|m| m.unit).unwrap_or(d.metric.unit);
        let rows: Vec<Row> = d
            .recent
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let style = if i == self.sel { cx.theme.selected() } else { cx.theme.base() };
                Row::new(vec![
                    Cell::from(o.day.format("%d %b").to_string()),
                    cell(if o.channel.is_empty() { "-" } else { &o.channel }),
                    num(format_value(unit, o.value, &b.currency, true)),
                ])
                .style(style)
            })
            .collect();
        let widths = [Constraint::Length(6), Constraint::Min(8), Constraint::Length(9)];
        frame.render_widget(Table::new(rows, widths).block(block), area);
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn header<'a>(d: &Drill, b: &Brief, cx: &Ctx) -> Line<'a> {
    let m = &d.metric;
    let f = |v: f64| format_value(m.unit, v, &b.currency, true);
    let value = d.value.map(f).unwrap_or_else(|| "-".into());
    let tile = b.tiles.iter().find(|t| t.metric.key == m.key);
    let template = tile.is_some_and(|t| t.template_target());
    let target = match d.target {
        Some(t) if template => format!(" vs template target {} (T sets yours)", f(t)),
        Some(t) => format!(" vs target {}", f(t)),
        None => " (no target: T sets one)".into(),
    };
    let pace = tile.map(|t| format!(" · pace {}", crate::brief::render::pace_words(t))).unwrap_or_default();
    Line::from(vec![
        Span::styled(format!(" {} ", crate::domain::text::safe(&m.label)), cx.theme.title()),
        Span::styled(format!("{} · ", d.frame.period.label()), cx.theme.dim()),
        Span::styled(value, verdict(cx.theme, tile.and_then(|t| t.pace_good()))),
        Span::raw(format!("{target}{pace}")),
        Span::styled("   Esc back", cx.theme.dim()),
    ])
}

/// The chart with its notes listed under it (one line each, numbered as the markers are).
fn draw_chart(frame: &mut Frame, area: Rect, d: &Drill, b: &Brief, cx: &Ctx) {
    if d.notes.is_empty() {
        return draw_plot(frame, area, d, b, cx);
    }
    let room = (d.notes.len() as u16).min(area.height.saturating_sub(6) / 2).max(1);
    let [plot, list] = Layout::vertical([Constraint::Min(4), Constraint::Length(room)]).areas(area);
    draw_plot(frame, plot, d, b, cx);
    let lines: Vec<Line> = d
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let a = &n.note;
            let when = if a.from == a.to {
                a.from.format("%d %b").to_string()
            } else {
                format!("{}-{}", a.from.format("%d %b"), a.to.format("%d %b"))
            };
            let channel = a.channel.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
            Line::from(vec![
                Span::styled(format!(" ▼{} {when}{} ", i + 1, crate::domain::text::safe(&channel)), cx.theme.warn()),
                Span::raw(crate::domain::text::safe(&a.text).into_owned()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

fn draw_plot(frame: &mut Frame, area: Rect, d: &Drill, b: &Brief, cx: &Ctx) {
    let what = if d.cumulative { "running total" } else { "by day" };
    let block = panel(&format!("{} {what}", d.metric.label), false, cx.theme);
    let max = d
        .current
        .iter()
        .chain(d.previous.iter())
        .chain(d.target_line.iter())
        .map(|p| p.1)
        .fold(0.0_f64, f64::max)
        .max(1e-9)
        * 1.1;
    let line = |name: &'static str, style, data| {
        Dataset::default().name(name).marker(Marker::Braille).graph_type(GraphType::Line).style(style).data(data)
    };
    let mut sets = vec![line("previous", cx.theme.dim(), &d.previous)];
    if !d.target_line.is_empty() {
        sets.push(line("target", cx.theme.warn(), &d.target_line));
    }
    sets.push(line("this period", cx.theme.accent(), &d.current));
    // A note is a marker at the top of the chart over each day it covers.
    let marks: Vec<(f64, f64)> = d
        .notes
        .iter()
        .flat_map(|n| {
            let from = (n.note.from - d.first_day).num_days().max(0);
            let to = (n.note.to - d.first_day).num_days().min(d.days as i64 - 1);
            (from..=to).map(|i| (i as f64, max))
        })
        .collect();
    if !marks.is_empty() {
        sets.push(
            Dataset::default()
                .name("notes")
                .marker(Marker::Dot)
                .graph_type(GraphType::Scatter)
                .style(cx.theme.warn())
                .data(&marks),
        );
    }
    let last = d.first_day + Duration::days(d.days as i64 - 1);
    let x_labels =
        vec![Span::raw(d.first_day.format("%d %b").to_string()), Span::raw(last.format("%d %b").to_string())];
    let f = |v: f64| format_value(d.metric.unit, v, &b.currency, true);
    let y_labels = vec![Span::raw(f(0.0)), Span::raw(f(max / 2.0)), Span::raw(f(max))];
    let chart = Chart::new(sets)
        .block(block)
        .legend_position(Some(LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)))
        .x_axis(Axis::default().bounds([0.0, (d.days as f64 - 1.0).max(1.0)]).labels(x_labels).style(cx.theme.dim()))
        .y_axis(Axis::default().bounds([0.0, max]).labels(y_labels).style(cx.theme.dim()));
    frame.render_widget(chart, area);
}

fn draw_channels(frame: &mut Frame, area: Rect, d: &Drill, b: &Brief, cx: &Ctx) {
    let block = panel("By channel · share · vs prev · yesterday", false, cx.theme);
    let m = &d.metric;
    let header = Row::new(vec![Cell::from("channel"), num("value"), num("share"), num("change"), num("yday")])
        .style(cx.theme.header());
    // Channels with a bad anomaly on this metric are marked: that is where a jump came from.
    let flagged = |c: &str| b.anomalies.iter().any(|a| a.metric == m.key && !a.good && a.channel.as_deref() == Some(c));
    // Only the rows that fit (inside the borders, under the header): a store of a thousand
    // channels formats a thousand rows otherwise, to show twenty.
    let fit = area.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = d
        .channels
        .iter()
        .take(fit)
        .map(|r| {
            let good = r.change.and_then(|c| is_good(m, c));
            let mark = if flagged(&r.channel) { "!" } else { " " };
            let latest = r.latest.map(|v| format_value(m.unit, v, &b.currency, true)).unwrap_or_else(|| "-".into());
            let latest_style = if flagged(&r.channel) { cx.theme.bad() } else { cx.theme.base() };
            Row::new(vec![
                cell(&format!("{mark}{}", r.channel)),
                num(r.value.map(|v| format_value(m.unit, v, &b.currency, true)).unwrap_or_else(|| "-".into())),
                num(r.share.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_else(|| "-".into())),
                num(r.change.map(format_change).unwrap_or_else(|| "-".into())).style(verdict(cx.theme, good)),
                num(latest).style(latest_style),
            ])
        })
        .collect();
    let widths = [
        Constraint::Min(10),
        Constraint::Length(7),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(7),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).block(block), area);
}
