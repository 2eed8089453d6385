//! Drawing the day: meetings in time order, the current one marked NOW, the next counted down,
//! and the selected meeting's checklist (with items carried over) beside the list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::Today;
use super::meeting::{checklist_line, progress_bar};
use crate::domain::feeds::agenda_focus;
use crate::domain::model::MeetingStatus;
use crate::domain::recurrence::{countdown, minutes_until};
use crate::domain::text::safe;
use crate::tui::screen::Ctx;
use crate::tui::widgets::{cell, centered, modal, panel};

pub fn draw(s: &mut Today, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let today = s.is_today(cx.now);
    let focus = if today { agenda_focus(&s.items, cx.now) } else { Default::default() };
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);

    let when = match s.offset {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", s.day.format("%A %d %B %Y")), th.title()),
        Span::styled(format!(" {when}"), th.dim()),
    ];
    if let Some(i) = focus.current {
        spans.push(Span::styled(format!("   now: {}", safe(&s.items[i].name)), th.current()));
    }
    if s.holiday {
        spans.push(Span::styled("   holiday: no recurring meetings", th.dim()));
    }
    if let Some(i) = focus.next {
        let n = &s.items[i];
        spans.push(Span::styled(format!("   next: {} {}", safe(&n.name), countdown(n.start, cx.now)), th.accent()));
    } else if let (true, Some(n)) = (today, &s.next) {
        // Today's meetings are over (or there are none): the next one, with its day.
        spans.push(Span::styled(format!("   next: {}", safe(&n.label(cx.now.date()))), th.accent()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), head);

    // Narrow terminals get the list alone: the times and states matter more than the preview.
    let side_pct = if area.width >= 100 { 38 } else { 0 };
    let [list_area, side] =
        Layout::horizontal([Constraint::Percentage(100 - side_pct), Constraint::Percentage(side_pct)]).areas(body);
    let rows: Vec<Row> = s
        .items
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let carried = s.previews.get(i).map(|p| p.carried_open).unwrap_or(0);
            let state = if focus.current == Some(i) {
                let left = minutes_until(cx.now.date().and_time(m.end()), cx.now);
                format!("NOW · {left} min left")
            } else if focus.next == Some(i) {
                format!("next · {}", countdown(m.start, cx.now))
            } else if m.status == MeetingStatus::Skipped {
                "skipped".into()
            } else if today && m.end() <= cx.now.time() {
                "past".into()
            } else {
                String::new()
            };
            let progress = if m.items_total == 0 {
                String::new()
            } else {
                format!("{} {}/{}", progress_bar(m.items_done, m.items_total, 6), m.items_done, m.items_total)
            };
            let style = if focus.current == Some(i) {
                th.current()
            } else if m.status == MeetingStatus::Skipped || state == "past" {
                th.dim()
            } else {
                th.base()
            };
            let mark = if focus.current == Some(i) { "▶" } else { " " };
            let name = if m.template_id.is_none() { format!("{} (one-off)", m.name) } else { m.name.clone() };
            Row::new(vec![
                cell(mark),
                cell(&format!("{}–{}", m.start.format("%H:%M"), m.end().format("%H:%M"))),
                cell(&name),
                cell(&progress),
                cell(&if carried > 0 { format!("↻{carried}") } else { String::new() }),
                cell(&state),
            ])
            .style(style)
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(11),
            Constraint::Min(18),
            Constraint::Length(10),
            Constraint::Length(3),
            Constraint::Length(17),
        ],
    )
    .block(panel(&format!("Meetings ({})", s.items.len()), s.form.is_none(), th))
    .row_highlight_style(th.selected())
    .highlight_symbol("›");
    let mut state = TableState::default().with_selected((!s.items.is_empty()).then_some(s.sel));
    frame.render_stateful_widget(table, list_area, &mut state);
    if s.items.is_empty() {
        let inner =
            Rect { x: list_area.x + 2, y: list_area.y + 1, width: list_area.width.saturating_sub(4), height: 1 };
        frame.render_widget(Paragraph::new(Span::styled("No meetings. n adds a one-off.", th.dim())), inner);
    }

    if side.width > 0 {
        draw_preview(s, frame, side, cx);
    }

    if let Some((_, form)) = &s.form {
        let w = area.width.saturating_sub(4).min(70);
        let inner = modal(frame, centered(area, w, form.height() + 2), &form.title, th);
        form.draw(frame, inner, th);
    }
}

fn draw_preview(s: &Today, frame: &mut Frame, area: Rect, cx: &Ctx) {
    let th = cx.theme;
    let (Some(item), Some(p)) = (s.items.get(s.sel), s.previews.get(s.sel)) else {
        frame.render_widget(Paragraph::new("").block(panel("Meeting", false, th)), area);
        return;
    };
    let mut lines = Vec::new();
    if let Some(rule) = &p.rule {
        lines.push(Line::from(Span::styled(format!("{rule}, {} min", item.minutes), th.dim())));
    }
    if !p.kpis.is_empty() {
        lines.push(Line::from(Span::styled(format!("KPIs: {}", p.kpis.join(", ")), th.dim())));
    }
    if !p.workflows.is_empty() {
        let runs = safe(&p.workflows.join(", ")).into_owned();
        lines.push(Line::from(Span::styled(format!("Runs: {runs}"), th.accent())));
    }
    lines.push(Line::default());
    lines.extend(p.items.iter().map(|i| checklist_line(i, th)));
    if p.items.is_empty() {
        lines.push(Line::from(Span::styled("no checklist", th.dim())));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("Enter", th.key()),
        Span::styled(" open · ", th.dim()),
        Span::styled("s", th.key()),
        Span::styled(" skip · ", th.dim()),
        Span::styled("m", th.key()),
        Span::styled(" move · ", th.dim()),
        Span::styled(",", th.key()),
        Span::styled(" templates", th.dim()),
    ]));
    let title = safe(&item.name).into_owned();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(panel(&title, false, th)), area);
}
