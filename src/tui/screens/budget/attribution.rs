//! The Budget view's attribution panel (`t`): per channel, the quarter's plan and spend next to
//! the pipeline, closed-won revenue and ROAS one model credits it with (`M` changes the model);
//! `t` again shows every model side by side on closed-won revenue. The numbers are
//! `views::attribution`'s, the same the `attribution` command prints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Row, Table};

use crate::domain::attribution::Model;
use crate::domain::budget::{format_multiple, round_units};
use crate::domain::money;
use crate::domain::period::Period;
use crate::error::Result;
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, num, panel};
use crate::views::attribution::{AgainstPlan, DEFAULT_MODEL, Readout, against_plan, compare_all};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One model's credits against the plan.
    Plan,
    /// Every model side by side.
    Compare,
}

pub struct Panel {
    pub mode: Mode,
    pub model: Model,
    plan: Option<AgainstPlan>,
    compare: Option<Readout>,
}

impl Panel {
    pub fn new() -> Panel {
        Panel { mode: Mode::Plan, model: DEFAULT_MODEL, plan: None, compare: None }
    }

    pub fn load(&mut self, cx: &Ctx, period: &Period) -> Result<()> {
        match self.mode {
            Mode::Plan => self.plan = Some(against_plan(cx.store, period, cx.now.date(), self.model)?),
            Mode::Compare => self.compare = Some(compare_all(cx.store, period)?),
        }
        Ok(())
    }

    /// The next model in HubSpot's order, wrapping.
    pub fn next_model(&mut self) {
        let i = Model::ALL.iter().position(|m| *m == self.model).unwrap_or(0);
        self.model = Model::ALL[(i + 1) % Model::ALL.len()];
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx, period: &Period, currency: &str) {
        match self.mode {
            Mode::Plan => self.draw_plan(frame, area, cx, period, currency),
            Mode::Compare => self.draw_compare(frame, area, cx, period, currency),
        }
    }

    fn draw_plan(&self, frame: &mut Frame, area: Rect, cx: &Ctx, period: &Period, currency: &str) {
        let title = format!("Attribution · {} · {} (M: model, t: compare models)", period.label(), self.model);
        let block = panel(&title, true, cx.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(p) = &self.plan else { return };
        let [table_area, foot] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(inner);
        let all: Vec<_> = p.rows.iter().chain([&p.total]).collect();
        let units = |f: fn(&crate::views::attribution::ChannelReturn) -> i64| {
            let (parts, sum) = round_units(&p.rows.iter().map(f).collect::<Vec<_>>());
            parts.into_iter().chain([sum]).map(|u| money::format(u * 100, currency)).collect::<Vec<_>>()
        };
        let (plan, spent, pipe, won) =
            (units(|r| r.planned_cents), units(|r| r.spent_cents), units(|r| r.pipeline_cents), units(|r| r.won_cents));
        let rows: Vec<Row> = all
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let row = Row::new(vec![
                    cell(&r.channel),
                    num(plan[i].clone()),
                    num(spent[i].clone()),
                    num(pipe[i].clone()),
                    num(won[i].clone()),
                    num(format_multiple(r.roas())),
                ]);
                if i + 1 == all.len() { row.style(cx.theme.header()) } else { row }
            })
            .collect();
        let header = Row::new(vec![
            cell("Channel"),
            num("Planned"),
            num("Spent"),
            num("Pipeline"),
            num("Closed-won"),
            num("ROAS"),
        ])
        .style(cx.theme.header());
        let name_w = all.iter().map(|r| crate::domain::text::width(&r.channel)).max().unwrap_or(7).clamp(7, 24);
        let widths = [
            Constraint::Length(name_w as u16),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Length(7),
        ];
        frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), table_area);
        let u = p.unattributed;
        let note = format!(
            "credited under {}; unattributed: {} won deal{}, {}",
            self.model,
            u.deals,
            if u.deals == 1 { "" } else { "s" },
            money::format(u.cents, currency)
        );
        frame.render_widget(Paragraph::new(note).style(cx.theme.dim()), foot);
    }

    fn draw_compare(&self, frame: &mut Frame, area: Rect, cx: &Ctx, period: &Period, currency: &str) {
        let title = format!("Closed-won revenue by model · {} (t: close)", period.label());
        let block = panel(&title, true, cx.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(r) = &self.compare else { return };
        let rep = &r.report;
        if rep.rows.is_empty() {
            let msg = "No won deal with touches in this quarter: import a touches-csv to see the models.";
            frame.render_widget(Paragraph::new(msg).style(cx.theme.dim()), inner);
            return;
        }
        let short = |c: i64| money::format_short(c, currency);
        let mut rows: Vec<Row> = rep
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![cell(row.key.as_deref().unwrap_or(""))];
                cells.extend(row.cents.iter().map(|c| num(short(*c))));
                Row::new(cells)
            })
            .collect();
        let mut total = vec![cell("total")];
        total.extend(rep.models.iter().map(|_| num(short(rep.cents))));
        rows.push(Row::new(total).style(cx.theme.header()));
        let mut header = vec![cell("Channel")];
        header.extend(rep.models.iter().map(|m| num(m.slug().to_string())));
        let name_w = rep.rows.iter().filter_map(|r| r.key.as_deref()).map(crate::domain::text::width).max();
        let mut widths = vec![Constraint::Length(name_w.unwrap_or(7).clamp(7, 24) as u16)];
        widths.extend(rep.models.iter().map(|m| Constraint::Length(m.slug().len().max(7) as u16)));
        let table = Table::new(rows, widths).header(Row::new(header).style(cx.theme.header())).column_spacing(1);
        frame.render_widget(table, inner);
    }
}
