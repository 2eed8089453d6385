//! The launches table: name, product, date, days to go, tier (computed or overridden), stage,
//! readiness, owner, the lead-time flag; past launches folded under the current ones;
//! under it, what the selected launch needs next.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row as TableRow, Table, TableState, Wrap};

use super::{Launches, Row};
use crate::domain::launch::{Launch, tier_label};
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, num, num_in, panel, text};

/// Days to go: up to 9999 days either way; beyond that the cell says it does not fit.
const DAYS_WIDTH: u16 = 5;

pub fn draw(frame: &mut Frame, area: Rect, s: &Launches, cx: &Ctx) {
    let th = cx.theme;
    let [top, bottom] = Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    let title = format!(
        "Launches · {} · sorted by {} · filter {}",
        s.rows.iter().filter(|r| matches!(r, Row::Launch(_))).count(),
        s.sort.label(),
        s.filter.label()
    );
    // Narrow terminals drop the product and flag columns; a flagged launch keeps a ! before its name.
    let wide = area.width >= 110;
    let mut header = vec!["Launch", "Product", "Date", "Days", "Tier", "Stage", "Ready", "Owner", "Flag"];
    let mut widths = vec![
        Constraint::Min(20),
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(DAYS_WIDTH),
        Constraint::Length(6),
        Constraint::Length(11),
        Constraint::Length(6),
        Constraint::Length(9),
        Constraint::Length(10),
    ];
    if !wide {
        for i in [8, 1] {
            header.remove(i);
            widths.remove(i);
        }
    }
    let header = TableRow::new(header).style(th.header());
    let rows: Vec<TableRow> = s
        .rows
        .iter()
        .map(|r| match r {
            Row::PastFold(n) => {
                let (mark, hint) = if s.past_open { ("-", "Enter folds them") } else { ("+", "Enter shows them") };
                TableRow::new([cell(&format!("{mark} {n} past launches · {hint}"))]).style(th.dim())
            }
            Row::Launch(i) => launch_row(&s.launches[*i], s, wide, cx),
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(panel(&title, true, th))
        .row_highlight_style(th.selected())
        .highlight_symbol("> ")
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always)
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(s.selected));
    if s.rows.is_empty() {
        let msg = if s.launches.is_empty() {
            "No launches yet. n adds one: name, product, date, owner."
        } else {
            "No launch matches this filter. f changes it."
        };
        frame.render_widget(Paragraph::new(msg).style(th.dim()).block(panel(&title, true, th)), top);
    } else {
        frame.render_stateful_widget(table, top, &mut state);
    }
    draw_summary(frame, bottom, s.selected_launch(), cx);
}

fn launch_row<'a>(l: &Launch, s: &Launches, wide: bool, cx: &Ctx) -> TableRow<'a> {
    let th = cx.theme;
    let days = l.days_to_go(s.today);
    let flag = match (l.lead_flag(s.today, &cx.config.tiers), l.tier()) {
        (Some(f), _) => format!("! lead {}w", f.lead_weeks),
        (None, None) if !l.is_past() => "unscored".into(),
        _ => String::new(),
    };
    let ready = format!("{}/{}", l.done, l.required);
    let name = if !wide && flag.starts_with('!') { format!("! {}", l.name) } else { l.name.clone() };
    let mut cells = vec![
        cell(&name),
        cell(&l.product),
        cell(&l.date.format("%Y-%m-%d").to_string()),
        num_in(days.to_string(), DAYS_WIDTH),
        cell(&tier_label(l.tier(), l.tier_source())),
        cell(l.stage.label()),
        num(ready),
        cell(&l.owner),
        cell(&flag),
    ];
    if !wide {
        // The same columns the header dropped: flag (kept as a mark on the name) and product.
        cells.remove(8);
        cells.remove(1);
    }
    let row = TableRow::new(cells);
    if l.is_past() {
        row.style(th.dim())
    } else if l.lead_flag(s.today, &cx.config.tiers).is_some() {
        row.style(th.warn())
    } else {
        row
    }
}

/// What the selected launch needs next: its tier and why, the flag, what blocks going live.
fn draw_summary(frame: &mut Frame, area: Rect, l: Option<&Launch>, cx: &Ctx) {
    let th = cx.theme;
    let Some(l) = l else {
        frame.render_widget(Paragraph::new("").block(panel("Selected", false, th)), area);
        return;
    };
    let today = cx.now.date();
    let mut lines = Vec::new();
    let tier = match (l.tier(), l.overridden, l.scores) {
        (Some(t), Some(_), _) => {
            format!("{t} (override): {}", l.override_reason.as_deref().unwrap_or(""))
        }
        (Some(t), None, Some(sc)) => {
            format!("{t} (computed): {}", crate::domain::tiering::compute(sc, &cx.config.tiers).reason())
        }
        (Some(t), None, None) => t.to_string(),
        _ => "not scored yet: t scores it in five keys".into(),
    };
    lines.push(Line::from(text(&tier)));
    if let Some((t, f)) = l.tier().zip(l.lead_flag(today, &cx.config.tiers)) {
        lines.push(Line::from(Span::styled(format!("! {}", f.message(t)), th.warn())));
    }
    if l.open_baseline.is_empty() && l.required > 0 {
        lines.push(Line::from(Span::styled("Baseline standard met: may go live", th.good())));
    } else if !l.open_baseline.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Go-live blocked by  ", th.dim()),
            Span::styled(crate::domain::text::safe(&l.open_baseline.join("; ")).into_owned(), th.bad()),
        ]));
    }
    let title = format!("{} · {}", l.name, l.stage.label());
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(panel(&crate::domain::text::safe(&title), false, th)),
        area,
    );
}
