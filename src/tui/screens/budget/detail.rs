//! One campaign's detail: its figures, spend entries by date, cumulative spend against the
//! ideal line, its plan history and the pipeline attributed to it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState};

use crate::domain::budget::{CampaignRow, format_multiple, format_percent, pace_label};
use crate::domain::money;
use crate::domain::period::Period;
use crate::error::Result;
use crate::keymap::Action;
use crate::store::budget::{Attribution, PlanChange, SpendEntry};
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, clamp_selection, num, panel, text};

pub struct Detail {
    pub id: i64,
    pub entries: Vec<SpendEntry>,
    pub history: Vec<PlanChange>,
    pub attribution: Vec<Attribution>,
    pub selected: usize,
}

impl Detail {
    pub fn load(cx: &Ctx, id: i64) -> Result<Detail> {
        let entries = cx.store.budget().spend_entries(id)?;
        let selected = entries.len().saturating_sub(1);
        Ok(Detail {
            id,
            history: cx.store.budget().plan_history(id)?,
            attribution: cx.store.budget().attribution(id)?,
            entries,
            selected,
        })
    }

    pub fn with_selection(mut self, sel: usize) -> Detail {
        self.selected = clamp_selection(sel, self.entries.len());
        self
    }

    pub fn selected_entry(&self) -> Option<&SpendEntry> {
        self.entries.get(self.selected)
    }

    pub fn move_selection(&mut self, a: Action) {
        let last = self.entries.len().saturating_sub(1);
        self.selected = match a {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(10),
            Action::PageDown => (self.selected + 10).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => self.selected,
        };
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx, r: &CampaignRow, p: &Period, cur: &str) {
        let m = |c: i64| money::format(c, cur);
        let f = &r.facts;
        let title = format!(
            "{} · {} · {} · {} · Esc back",
            f.name,
            f.channel,
            f.bucket.map(|b| b.as_str()).unwrap_or(""),
            p.label()
        );
        let block = panel(&crate::domain::text::safe(&title), true, cx.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [summary, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(4)]).areas(inner);
        let lines = vec![
            Line::from(format!(
                "planned {} · spent {} · remaining {} · pacing {} (expected {} by now) · forecast {}",
                m(f.planned_cents),
                m(f.spent_cents),
                m(r.remaining_cents),
                pace_label(&r.pace),
                m((r.pace.expected / 100.0).round() as i64 * 100),
                r.forecast_cents.map(|c| m((c as f64 / 100.0).round() as i64 * 100)).unwrap_or_else(|| "n/a".into())
            )),
            Line::from(format!(
                "leads {:.0} · CPL {} · pipeline {} · closed-won {} · ROI {} · ROAS {} · pipeline per $ {}",
                f.leads,
                r.cpl_cents.map(m).unwrap_or_else(|| "n/a".into()),
                m(f.pipeline_cents),
                m(f.won_cents),
                format_percent(r.roi),
                format_multiple(r.roas),
                format_multiple(r.pipeline_per_spend)
            )),
        ];
        frame.render_widget(Paragraph::new(lines), summary);
        let [left, right] = Layout::horizontal([Constraint::Length(44), Constraint::Min(20)]).areas(body);
        self.draw_entries(frame, left, cx, cur);
        let [chart, below] = Layout::vertical([Constraint::Percentage(55), Constraint::Min(4)]).areas(right);
        self.draw_chart(frame, chart, cx, r, p, cur);
        let [hist, attr] = Layout::horizontal([Constraint::Percentage(55), Constraint::Min(20)]).areas(below);
        self.draw_history(frame, hist, cx, f.planned_cents, cur);
        self.draw_attribution(frame, attr, cx, cur);
    }

    fn draw_entries(&self, frame: &mut Frame, area: Rect, cx: &Ctx, cur: &str) {
        let block = panel(&format!("Spend entries ({})", self.entries.len()), true, cx.theme);
        let rows: Vec<Row> = self
            .entries
            .iter()
            .map(|e| {
                Row::new(vec![
                    cell(&e.day.format("%a %d %b").to_string()),
                    num(money::format_plain(e.amount_cents)),
                    cell(if e.import_id.is_some() { "imported" } else { &e.note }),
                ])
            })
            .collect();
        let table = Table::new(rows, [Constraint::Length(10), Constraint::Length(12), Constraint::Min(6)])
            .header(Row::new(vec![cell("Date"), num(format!("Amount {cur}")), cell("Note")]).style(cx.theme.header()))
            .block(block)
            .row_highlight_style(cx.theme.selected());
        let mut state = TableState::default().with_selected((!self.entries.is_empty()).then_some(self.selected));
        frame.render_stateful_widget(table, area, &mut state);
    }

    fn draw_chart(&self, frame: &mut Frame, area: Rect, cx: &Ctx, r: &CampaignRow, p: &Period, cur: &str) {
        let block = panel("Cumulative spend vs ideal line", false, cx.theme);
        let days = p.days() as f64;
        let mut cum = 0i64;
        let mut points = vec![(0.0, 0.0)];
        for e in &self.entries {
            cum += e.amount_cents;
            points.push(((e.day - p.start).num_days() as f64 + 1.0, cum as f64 / 100.0));
        }
        let planned = r.facts.planned_cents as f64 / 100.0;
        let ideal = [(0.0, 0.0), (days, planned)];
        let top = planned.max(cum as f64 / 100.0).max(1.0);
        let datasets = vec![
            Dataset::default()
                .name("ideal")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(cx.theme.dim())
                .data(&ideal),
            Dataset::default()
                .name("spent")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(cx.theme.accent())
                .data(&points),
        ];
        let chart = Chart::new(datasets)
            .block(block)
            .x_axis(Axis::default().bounds([0.0, days]).labels(vec![
                Line::from(p.start.format("%d %b").to_string()),
                Line::from(p.end().format("%d %b").to_string()),
            ]))
            .y_axis(
                Axis::default()
                    .bounds([0.0, top])
                    .labels(vec![Line::from("0"), Line::from(money::format_short((top * 100.0).round() as i64, cur))]),
            );
        frame.render_widget(chart, area);
    }

    fn draw_history(&self, frame: &mut Frame, area: Rect, cx: &Ctx, planned: i64, cur: &str) {
        let block = panel("Plan history", false, cx.theme);
        let mut lines: Vec<Line> = self
            .history
            .iter()
            .rev()
            .map(|h| {
                let at = h.at.get(..10).unwrap_or(&h.at).to_string();
                let link = h.decision_id.map(|d| format!(" (decision #{d})")).unwrap_or_default();
                Line::from(vec![
                    Span::styled(format!("{at} "), cx.theme.dim()),
                    Span::raw(format!("{} → {} ", money::format(h.from_cents, cur), money::format(h.to_cents, cur))),
                    text(&h.reason),
                    Span::styled(link, cx.theme.dim()),
                ])
            })
            .collect();
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("planned {} from the start; no changes", money::format(planned, cur)),
                cx.theme.dim(),
            )));
        }
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }

    fn draw_attribution(&self, frame: &mut Frame, area: Rect, cx: &Ctx, cur: &str) {
        let block = panel("Attributed pipeline · closed-won", false, cx.theme);
        let rows: Vec<Row> = self
            .attribution
            .iter()
            .rev()
            .map(|a| {
                Row::new(vec![
                    cell(&a.day.format("%d %b").to_string()),
                    num(money::format_plain(a.pipeline_cents)),
                    num(money::format_plain(a.revenue_cents)),
                ])
            })
            .collect();
        let table = Table::new(rows, [Constraint::Length(7), Constraint::Length(13), Constraint::Length(11)])
            .header(Row::new(vec![cell("Day"), num(format!("Pipeline {cur}")), num("Won")]).style(cx.theme.header()))
            .block(block);
        frame.render_widget(table, area);
    }
}
