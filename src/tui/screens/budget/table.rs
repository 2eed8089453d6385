//! The campaigns table: the name stays put, the figures scroll sideways (h/l) when the
//! terminal is narrower than all fifteen columns; money in whole units that add up to the totals row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::Budget;
use crate::domain::budget::{CampaignRow, Column, format_multiple, format_percent, round_units};
use crate::domain::money;
use crate::domain::pacing::{PaceStatus, format_deviation};
use crate::domain::text::{safe, truncate, width};
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, num, panel};

/// Every column after the campaign's name, in the order they scroll in.
pub const SCROLLABLE: [Column; 14] = [
    Column::Planned,
    Column::Spent,
    Column::Remaining,
    Column::Pacing,
    Column::Forecast,
    Column::Roi,
    Column::Roas,
    Column::PipelinePerSpend,
    Column::Cpl,
    Column::Leads,
    Column::Pipeline,
    Column::Won,
    Column::Channel,
    Column::Bucket,
];

/// Money columns, rounded to whole units together with their total so the column adds up.
fn whole_units(rows: &[&CampaignRow], f: fn(&CampaignRow) -> i64, currency: &str) -> Vec<String> {
    let cents: Vec<i64> = rows.iter().map(|r| f(r)).collect();
    let (parts, sum) = round_units(&cents);
    parts.into_iter().chain([sum]).map(|u| money::format(u * 100, currency)).collect()
}

/// "ok +2%", "over +12%", "under -16%", "—" before a day is complete; "plan +$11.7k" once
/// spent past the plan (said in money, never as pacing).
fn pacing(r: &CampaignRow) -> String {
    if r.over_plan_cents > 0 {
        // The column holds no currency symbol room to spare: whole units, as the money columns.
        return format!("plan +{}", money::format_amount3(r.over_plan_cents, "").trim());
    }
    match r.pace.status {
        PaceStatus::NotYet => "—".into(),
        PaceStatus::TooEarly => "too early".into(),
        PaceStatus::Stale => "stale".into(),
        PaceStatus::OnTrack => format!("ok {}", format_deviation(&r.pace)),
        PaceStatus::Over => format!("over {}", format_deviation(&r.pace)),
        PaceStatus::Under => format!("under {}", format_deviation(&r.pace)),
    }
}

fn bucket_short(r: &CampaignRow) -> String {
    r.facts
        .bucket
        .map(|b| if b.as_str() == "experiment" { "exp".into() } else { b.as_str().to_string() })
        .unwrap_or_default()
}

/// The text of every cell of `col`, rows then the totals row.
fn column_cells(col: Column, rows: &[&CampaignRow], total: &CampaignRow, currency: &str) -> Vec<String> {
    let all: Vec<&CampaignRow> = rows.iter().copied().chain([total]).collect();
    let each = |f: &dyn Fn(&CampaignRow) -> String| all.iter().map(|r| f(r)).collect::<Vec<_>>();
    match col {
        Column::Campaign => each(&|r| r.facts.name.clone()),
        Column::Channel => {
            let mut v = each(&|r| r.facts.channel.clone());
            if let Some(last) = v.last_mut() {
                last.clear();
            }
            v
        }
        Column::Bucket => each(&bucket_short),
        Column::Planned => whole_units(rows, |r| r.facts.planned_cents, currency),
        Column::Spent => whole_units(rows, |r| r.facts.spent_cents, currency),
        Column::Remaining => whole_units(rows, |r| r.remaining_cents, currency),
        Column::Forecast => {
            let mut v = whole_units(rows, |r| r.forecast_cents.unwrap_or(0), currency);
            if total.forecast_cents.is_none() {
                v.iter_mut().for_each(|c| *c = "n/a".into());
            }
            v
        }
        Column::Pipeline => whole_units(rows, |r| r.facts.pipeline_cents, currency),
        Column::Won => whole_units(rows, |r| r.facts.won_cents, currency),
        Column::Pacing => each(&pacing),
        Column::Leads => each(&|r| money::group_thousands(r.facts.leads.max(0.0).round() as u64)),
        Column::Cpl => each(&|r| r.cpl_cents.map(|c| money::format(c, currency)).unwrap_or_else(|| "n/a".into())),
        Column::Roi => each(&|r| format_percent(r.roi)),
        Column::Roas => each(&|r| format_multiple(r.roas)),
        Column::PipelinePerSpend => each(&|r| format_multiple(r.pipeline_per_spend)),
    }
}

fn is_text(col: Column) -> bool {
    matches!(col, Column::Campaign | Column::Channel | Column::Bucket | Column::Pacing)
}

fn pace_style(r: &CampaignRow, cx: &Ctx) -> Style {
    if r.over_plan_cents > 0 {
        return cx.theme.bad();
    }
    match r.pace.status {
        PaceStatus::Over => cx.theme.bad(),
        PaceStatus::Under => cx.theme.warn(),
        PaceStatus::OnTrack => cx.theme.good(),
        PaceStatus::NotYet | PaceStatus::TooEarly => cx.theme.dim(),
        PaceStatus::Stale => cx.theme.warn(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, cx: &Ctx, b: &Budget) {
    let period = b.period(cx);
    let rows = b.shown();
    let total = b.shown_totals();
    let sort = b.sort.map(|c| format!(" · sort {} {}", c.title(), c.arrow())).unwrap_or_default();
    let title = format!(
        "[ {} ] · {} · day {} of {}{sort}",
        period.label(),
        b.filter.label(),
        b.elapsed().days,
        b.elapsed().period_days
    );
    let block = panel(&title, true, cx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if b.rows.is_empty() {
        let msg = format!("No campaigns planned for {}. n plans one; [ and ] change the quarter.", period.label());
        frame.render_widget(Paragraph::new(msg).style(cx.theme.dim()), inner);
        return;
    }
    // Widths from the content, so every figure shows whole.
    let cols: Vec<(Column, Vec<String>)> = std::iter::once(Column::Campaign)
        .chain(SCROLLABLE)
        .map(|c| (c, column_cells(c, &rows, &total, &b.currency)))
        .collect();
    let col_width = |c: &(Column, Vec<String>)| {
        let head = width(c.0.title()) + 1;
        c.1.iter().map(|s| width(s)).max().unwrap_or(0).max(head)
    };
    // The name gets up to 24 cells; the figures share the rest, scrolling sideways.
    let name_w = col_width(&cols[0]).min(24);
    let mut budget = (inner.width as usize).saturating_sub(name_w);
    let mut shown: Vec<usize> = Vec::new();
    for (i, col) in cols.iter().enumerate().skip(1 + b.col_offset.min(SCROLLABLE.len() - 1)) {
        let w = col_width(col) + 1;
        if w > budget {
            break;
        }
        budget -= w;
        shown.push(i);
    }
    let name_w = name_w + budget.min(6);
    let more_left = b.col_offset > 0;
    let more_right = shown.last().is_none_or(|l| *l + 1 < cols.len());
    let mut widths = vec![Constraint::Length(name_w as u16)];
    widths.extend(shown.iter().map(|i| Constraint::Length(col_width(&cols[*i]) as u16)));
    let head = |i: usize| {
        let c = cols[i].0;
        let mark = if b.sort == Some(c) { c.arrow() } else { "" };
        let t = format!("{}{mark}", c.title());
        if is_text(c) { cell(&t) } else { num(t) }
    };
    let mut header_cells = vec![cell(if more_left { "◀ Campaign" } else { "Campaign" })];
    header_cells.extend(shown.iter().map(|i| head(*i)));
    let n = rows.len();
    let mut table_rows: Vec<Row> = Vec::new();
    for r in 0..=n {
        let mut cells = vec![cell(&truncate(&safe(&cols[0].1[r]), name_w))];
        for i in &shown {
            let (c, texts) = &cols[*i];
            let t = texts[r].clone();
            let item = if is_text(*c) { cell(&t) } else { num(t) };
            let item = if *c == Column::Pacing {
                let src = if r < n { rows[r] } else { &total };
                item.style(pace_style(src, cx))
            } else {
                item
            };
            cells.push(item);
        }
        let row = Row::new(cells);
        table_rows.push(if r == n { row.style(cx.theme.header()) } else { row });
    }
    let table = Table::new(table_rows, widths)
        .header(Row::new(header_cells).style(cx.theme.header()))
        .column_spacing(1)
        .row_highlight_style(cx.theme.selected());
    let mut state = TableState::default().with_selected(Some(b.selected));
    frame.render_stateful_widget(table, inner, &mut state);
    if more_right || more_left {
        let hint = Line::from(Span::styled(" h/l more columns ", cx.theme.dim())).right_aligned();
        let y = area.y + area.height.saturating_sub(1);
        frame.render_widget(
            Paragraph::new(hint),
            Rect { x: area.x + 1, y, width: area.width.saturating_sub(2), height: 1 },
        );
    }
}
