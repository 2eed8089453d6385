//! Drawing the decision log: the search / filter line, the table, the selected decision's detail.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::Decisions;
use crate::domain::dates::relative;
use crate::domain::text::safe;
use crate::io::export::decisions::links;
use crate::store::decisions::Decision;
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, centered, modal, panel, text};

pub fn draw(s: &mut Decisions, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let today = cx.now.date();
    let detail_h = if area.height >= 24 { 9 } else { 6 };
    let [top, body, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(detail_h)]).areas(area);

    let mut spans = vec![Span::styled(" / ", cx.theme.key())];
    if s.query.is_empty() && !s.searching {
        spans.push(Span::styled("search", cx.theme.dim()));
    } else {
        spans.push(text(&s.query));
        if s.searching {
            spans.push(Span::styled(" ", cx.theme.selected()));
        }
    }
    spans.push(Span::styled("   f ", cx.theme.key()));
    let described = s.filter.describe();
    if described.is_empty() {
        spans.push(Span::styled("filter: all decisions", cx.theme.dim()));
    } else {
        spans.push(Span::styled(format!("filter: {described}"), cx.theme.accent()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), top);

    // Below 100 columns the made day and the meeting give way to the decision itself.
    let wide = area.width >= 100;
    let keep = |cells: Vec<ratatui::widgets::Cell<'static>>| -> Vec<ratatui::widgets::Cell<'static>> {
        cells.into_iter().enumerate().filter(|(i, _)| wide || (*i != 1 && *i != 6)).map(|(_, c)| c).collect()
    };
    let header = Row::new(keep(["#", "Made", "Decision", "Owner", "Due", "Status", "Meeting"].map(cell).to_vec()))
        .style(cx.theme.header());
    let rows: Vec<Row> = s
        .shown
        .iter()
        .filter_map(|&i| s.all.get(i))
        .map(|d| {
            let due = d.due.map(|x| format!("{} {}", x.format("%d %b"), relative(x, today))).unwrap_or_default();
            let style = if d.is_overdue(today) {
                cx.theme.bad()
            } else if d.status.is_open() && d.due == Some(today) {
                cx.theme.warn()
            } else if !d.status.is_open() {
                cx.theme.dim()
            } else {
                cx.theme.base()
            };
            Row::new(keep(vec![
                cell(&format!("{}", d.id)),
                cell(&d.made_at.format("%d %b").to_string()),
                cell(&d.title),
                cell(&d.owner),
                cell(&due),
                cell(d.status.as_str()),
                cell(d.meeting.as_deref().unwrap_or("")),
            ]))
            .style(style)
        })
        .collect();
    let title = format!("Decisions ({} of {}) newest first", s.shown.len(), s.all.len());
    let widths = [
        Constraint::Length(4),
        Constraint::Length(6),
        Constraint::Min(24),
        Constraint::Length(14),
        Constraint::Length(16),
        Constraint::Length(10),
        Constraint::Length(22),
    ];
    let widths: Vec<Constraint> =
        widths.into_iter().enumerate().filter(|(i, _)| wide || (*i != 1 && *i != 6)).map(|(_, c)| c).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(panel(&title, s.filter_form.is_none(), cx.theme))
        .row_highlight_style(cx.theme.selected());
    s.page = body.height.saturating_sub(3) as usize;
    let mut state = TableState::default().with_selected((!s.shown.is_empty()).then_some(s.sel));
    frame.render_stateful_widget(table, body, &mut state);
    if s.shown.is_empty() {
        let msg = if s.all.is_empty() { "No decisions yet: press d to log one." } else { "Nothing matches." };
        let inner = Rect { x: body.x + 2, y: body.y + 2, width: body.width.saturating_sub(4), height: 1 };
        frame.render_widget(Paragraph::new(Span::styled(msg, cx.theme.dim())), inner);
    }

    let block = panel("Detail", false, cx.theme);
    let lines = match s.selected() {
        Some(d) => {
            let mut lines = detail_lines(d, cx);
            // Its edits, newest first: what it said before is part of the record.
            let history = cx.store.decisions().history(d.id).unwrap_or_default();
            for c in history.iter().rev() {
                let label = Span::styled(format!("{:>15} ", "Edited"), cx.theme.dim());
                let what = format!("{} {}", c.at.format("%a %d %b %H:%M"), c.describe());
                lines.push(Line::from(vec![label, Span::raw(safe(&what).into_owned())]));
            }
            lines
        }
        None => vec![],
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), detail);

    if let Some(form) = &s.filter_form {
        let w = area.width.saturating_sub(4).min(80);
        let inner = modal(frame, centered(area, w, form.height() + 2), &form.title, cx.theme);
        form.draw(frame, inner, cx.theme);
    }
}

fn detail_lines<'a>(d: &Decision, cx: &Ctx) -> Vec<Line<'a>> {
    let label = |l: &str| Span::styled(format!("{l:>15} "), cx.theme.dim());
    let dash = |s: &str| if s.trim().is_empty() { "-".to_string() } else { safe(s).into_owned() };
    let mut made = format!("{} by {}", d.made_at.format("%a %d %b %H:%M"), safe(&d.owner));
    if let (Some(m), Some(day)) = (&d.meeting, d.meeting_day) {
        made.push_str(&format!(", in {} {}", safe(m), day.format("%a %d %b")));
    }
    if let Some(c) = d.closed_at {
        made.push_str(&format!("; {} {}", d.status, c.format("%a %d %b")));
    }
    let mut lines = vec![
        Line::from(vec![label("Decision"), Span::styled(format!("#{} {}", d.id, safe(&d.title)), cx.theme.title())]),
        Line::from(vec![label("Recommendation"), Span::raw(dash(&d.recommendation))]),
        Line::from(vec![label("Risk if nothing"), Span::raw(dash(&d.risk))]),
        Line::from(vec![label("Logged"), Span::raw(made)]),
    ];
    let linked = links(d);
    if !linked.is_empty() {
        lines.push(Line::from(vec![label("Links"), Span::raw(safe(&linked).into_owned())]));
    }
    lines
}
