//! One meeting opened: its checklist (Space ticks), notes (`e`, Esc saves), the KPIs that matter
//! to it and the decisions logged in it (`d` logs one linked to this meeting).

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use crate::domain::model::Unit;
use crate::domain::money::{format_short, group_thousands};
use crate::domain::text::{safe, truncate};
use crate::error::Result;
use crate::keymap::Action;
use crate::store::cadence::{ChecklistItem, Meeting, MeetingKpi};
use crate::store::decisions::Decision;
use crate::tui::screen::{Ctx, Effect, Input};
use crate::tui::theme::Theme;
use crate::tui::widgets::panel;

use super::move_selection;

/// Rows PageDown / PageUp move the weekly pack by.
const PACK_PAGE: usize = 10;

pub enum Outcome {
    Close,
    Effect(Effect),
}

pub struct MeetingView {
    m: Meeting,
    kpis: Vec<MeetingKpi>,
    decisions: Vec<Decision>,
    /// For the quarterly positioning review: win/loss, cards and open triggers.
    review: Option<crate::views::compete::ListJson>,
    currency: String,
    sel: usize,
    /// The notes being edited; `None` when not editing.
    notes: Option<String>,
    /// The weekly performance review's pack (`report weekly`), as text lines.
    pack: Option<Vec<String>>,
    /// Rows of the pack scrolled past (PageDown / PageUp), and the most there is to scroll.
    pack_scroll: usize,
    pack_max: usize,
    /// Lines of the KPI panel scrolled past (PgDn / PgUp), kept within the panel at draw time.
    kpi_scroll: usize,
    /// Rows the KPI panel showed last frame: a page.
    kpi_rows: usize,
    /// The KPI panel was cut off (or scrolled) last frame: the footer offers the page keys.
    kpi_cut: bool,
}

/// A KPI value as people read it: `$12.3k`, `31.4%`, `1,234`, `3.20x`.
pub(super) fn show_value(v: f64, unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Currency => format_short((v * 100.0).round() as i64, currency),
        Unit::Percent => format!("{v:.1}%"),
        Unit::Count => {
            let sign = if v < 0.0 { "-" } else { "" };
            format!("{sign}{}", group_thousands(v.abs().round() as u64))
        }
        Unit::Ratio => format!("{v:.2}x"),
        Unit::Score => format!("{v:.1}"),
    }
}

/// `[x] Pacing checked`, or `[ ] Promotion scheduled  ↻ open since Thu 19 Nov` for an item
/// left open in an earlier session.
pub(super) fn checklist_line(i: &ChecklistItem, th: &Theme) -> Line<'static> {
    let mark = if i.done { "[x] " } else { "[ ] " };
    let mut spans =
        vec![Span::styled(mark, if i.done { th.good() } else { th.base() }), Span::raw(safe(&i.label).into_owned())];
    if let Some(from) = i.carried_from.filter(|_| !i.done) {
        spans.push(Span::styled(format!("  ↻ open since {}", from.format("%a %d %b")), th.warn()));
    }
    Line::from(spans)
}

impl MeetingView {
    pub fn load(instance_id: i64, cx: &Ctx) -> Result<MeetingView> {
        let m = cx.store.cadence().meeting(instance_id)?;
        let mut v = MeetingView {
            kpis: Vec::new(),
            decisions: Vec::new(),
            review: None,
            currency: cx.store.meta().currency(),
            sel: 0,
            notes: None,
            pack: None,
            pack_scroll: 0,
            pack_max: 0,
            kpi_scroll: 0,
            kpi_rows: 0,
            kpi_cut: false,
            m,
        };
        v.reload(cx)?;
        Ok(v)
    }

    pub fn reload(&mut self, cx: &Ctx) -> Result<()> {
        self.m = cx.store.cadence().meeting(self.m.instance_id)?;
        // The figures for the meeting's own day: a past meeting shows what it saw then.
        self.kpis = cx.store.cadence().meeting_kpis(&self.m.kpis, self.m.day)?;
        self.decisions = cx.store.decisions().in_meeting(self.m.instance_id)?;
        self.review = match self.m.key.as_deref() {
            Some(crate::store::compete::REVIEW_TEMPLATE) => {
                Some(crate::views::compete::review(cx.store, self.m.day, &cx.config.compete)?)
            }
            _ => None,
        };
        self.pack = match self.m.key.as_deref() {
            Some(crate::views::weekly::REVIEW_MEETING) => {
                let at = crate::views::weekly::as_of(self.m.day.and_time(self.m.start), cx.now);
                let w = crate::views::weekly::Weekly::build(cx.store, cx.config, at)?;
                Some(crate::io::export::weekly::text(&w))
            }
            _ => None,
        };
        self.sel = self.sel.min(self.m.items.len().saturating_sub(1));
        Ok(())
    }

    /// Whether the KPI panel is cut off: the page keys scroll it.
    pub fn kpi_cut(&self) -> bool {
        self.kpi_cut
    }

    pub fn instance_id(&self) -> i64 {
        self.m.instance_id
    }

    pub fn day(&self) -> NaiveDate {
        self.m.day
    }

    pub fn captures_text(&self) -> bool {
        self.notes.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(n) = self.notes.as_mut() {
            n.push_str(text);
        }
    }

    pub fn handle(&mut self, input: &Input, cx: &Ctx) -> Result<Outcome> {
        if let Some(notes) = self.notes.as_mut() {
            match input.key.code {
                KeyCode::Esc => {
                    let text = std::mem::take(notes);
                    self.notes = None;
                    cx.store.write(|tx| tx.cadence().set_notes(self.m.instance_id, &text))?;
                    return Ok(Outcome::Effect(Effect::Saved("notes saved".into())));
                }
                KeyCode::Enter => notes.push('\n'),
                KeyCode::Backspace => {
                    notes.pop();
                }
                KeyCode::Tab => notes.push_str("  "),
                KeyCode::Char(c) if !input.key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) => {
                    notes.push(c)
                }
                _ => {}
            }
            return Ok(Outcome::Effect(Effect::None));
        }
        let last = self.m.items.len().saturating_sub(1);
        if let Some(a) = input.action
            && move_selection(&mut self.sel, self.m.items.len(), a)
        {
            return Ok(Outcome::Effect(Effect::None));
        }
        let effect = match input.action {
            Some(Action::Toggle) => match self.m.items.get(self.sel) {
                Some(item) => {
                    let done =
                        cx.store.write(|tx| tx.cadence().toggle_item(self.m.instance_id, item.position, cx.now))?;
                    // Move on after a tick, as a checklist is read top to bottom.
                    if done {
                        self.sel = (self.sel + 1).min(last);
                    }
                    let n = self.m.items.iter().filter(|i| i.done).count() as i64 + if done { 1 } else { -1 };
                    Effect::Saved(format!("{}/{} done", n.max(0), self.m.items.len()))
                }
                None => Effect::Status("this meeting has no checklist".into()),
            },
            Some(Action::Edit) => {
                self.notes = Some(self.m.notes.clone());
                Effect::None
            }
            Some(Action::PageDown) if self.pack.is_some() => {
                self.pack_scroll = (self.pack_scroll + PACK_PAGE).min(self.pack_max);
                Effect::None
            }
            Some(Action::PageUp) if self.pack.is_some() => {
                self.pack_scroll = self.pack_scroll.saturating_sub(PACK_PAGE);
                Effect::None
            }
            Some(Action::Back) => return Ok(Outcome::Close),
            // The KPI panel is cut on a small terminal: the page keys scroll it.
            Some(Action::PageDown) => {
                self.kpi_scroll += self.kpi_rows.saturating_sub(1).max(1);
                Effect::None
            }
            Some(Action::PageUp) => {
                self.kpi_scroll = self.kpi_scroll.saturating_sub(self.kpi_rows.saturating_sub(1).max(1));
                Effect::None
            }
            _ => Effect::Unhandled,
        };
        Ok(Outcome::Effect(effect))
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let th = cx.theme;
        let m = &self.m;
        let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
        let end = m.start + chrono::Duration::minutes(i64::from(m.minutes));
        let mut spans = vec![
            Span::styled(format!(" {} ", safe(&m.name)), th.title()),
            Span::raw(format!(
                " {} {}–{}  ({} min)",
                m.day.format("%a %d %b"),
                m.start.format("%H:%M"),
                end.format("%H:%M"),
                m.minutes
            )),
        ];
        if m.status != crate::domain::model::MeetingStatus::Scheduled {
            spans.push(Span::styled(format!("  {}", m.status), th.warn()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), head);

        // The weekly review's pack is the meeting: it takes the wider side.
        let split = if self.pack.is_some() { 40 } else { 55 };
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(split), Constraint::Percentage(100 - split)]).areas(body);
        let notes_h = (left.height / 3).clamp(4, 10);
        let [check, notes] = Layout::vertical([Constraint::Min(3), Constraint::Length(notes_h)]).areas(left);
        let done = m.items.iter().filter(|i| i.done).count();
        let title = format!("Checklist {done}/{} {}", m.items.len(), progress_bar(done, m.items.len(), 10));
        let items: Vec<ListItem> = m.items.iter().map(|i| ListItem::new(checklist_line(i, th))).collect();
        let list = List::new(items)
            .block(panel(&title, self.notes.is_none(), th))
            .highlight_style(th.selected())
            .highlight_symbol("› ");
        let mut state = ListState::default().with_selected((!m.items.is_empty()).then_some(self.sel));
        frame.render_stateful_widget(list, check, &mut state);

        let (notes_text, notes_title) = match &self.notes {
            Some(n) => (format!("{n}▏"), "Notes (editing: Esc saves)"),
            None if m.notes.is_empty() => ("e to write notes".to_string(), "Notes"),
            None => (m.notes.clone(), "Notes"),
        };
        let lines: Vec<Line> = notes_text.lines().map(|l| Line::from(safe(l).into_owned())).collect();
        let style = if self.notes.is_none() && m.notes.is_empty() { th.dim() } else { th.base() };
        frame.render_widget(
            Paragraph::new(lines).style(style).wrap(Wrap { trim: false }).block(panel(
                notes_title,
                self.notes.is_some(),
                th,
            )),
            notes,
        );

        let right = match &self.review {
            Some(review) => {
                let lines = crate::tui::screens::compete::review_lines(review, cx);
                // Lines wrap: count the rows they take at this width.
                let w = right.width.saturating_sub(2).max(1) as usize;
                let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(w)).sum();
                let h = (rows as u16 + 2).min(right.height / 2).max(3);
                let [area, rest] = Layout::vertical([Constraint::Length(h), Constraint::Min(3)]).areas(right);
                let title = format!("Win/loss {} vs {} · battlecards", review.period, review.previous);
                frame.render_widget(
                    Paragraph::new(lines).wrap(Wrap { trim: false }).block(panel(&title, false, th)),
                    area,
                );
                rest
            }
            None => right,
        };
        let dec_area = if self.pack.is_some() {
            let dec_h = (self.decisions.len() as u16 * 2 + 2).clamp(3, (right.height / 4).max(3));
            let [pack_area, dec_area] = Layout::vertical([Constraint::Min(4), Constraint::Length(dec_h)]).areas(right);
            self.draw_pack(frame, pack_area, cx);
            dec_area
        } else {
            let kpi_lines = self.kpi_lines(cx, right.width);
            let kpi_h = (kpi_lines.len() as u16 + 2).min(right.height.saturating_sub(5)).max(3);
            let [kpi_area, dec_area] = Layout::vertical([Constraint::Length(kpi_h), Constraint::Min(3)]).areas(right);
            let period = self
                .kpis
                .first()
                .map(|k| format!("KPIs {}–{}", k.from.format("%d %b"), k.to.format("%d %b")))
                .unwrap_or_else(|| "KPIs".into());
            // Cut off: it scrolls, and the border says there is more and which way.
            self.kpi_rows = kpi_area.height.saturating_sub(2) as usize;
            self.kpi_scroll = self.kpi_scroll.min(kpi_lines.len().saturating_sub(self.kpi_rows));
            let below = kpi_lines.len() > self.kpi_scroll + self.kpi_rows;
            self.kpi_cut = below || self.kpi_scroll > 0;
            let mut block = panel(&period, false, th);
            let key = |a: Action| cx.config.keymap.key_for("today", a).unwrap_or_default();
            match (self.kpi_scroll > 0, below) {
                (_, true) => {
                    block = block.title_bottom(
                        Line::from(Span::styled(format!(" ▼ more: {} ", key(Action::PageDown)), th.accent()))
                            .right_aligned(),
                    )
                }
                (true, false) => {
                    block = block.title_bottom(
                        Line::from(Span::styled(format!(" ▲ {} ", key(Action::PageUp)), th.dim())).right_aligned(),
                    )
                }
                _ => {}
            }
            frame.render_widget(Paragraph::new(kpi_lines).scroll((self.kpi_scroll as u16, 0)).block(block), kpi_area);
            dec_area
        };

        let mut lines: Vec<Line> = Vec::new();
        for d in &self.decisions {
            let due = d.due.map(|x| format!(" · due {}", x.format("%d %b"))).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("#{} ", d.id), th.dim()),
                Span::raw(safe(&d.title).into_owned()),
            ]));
            lines.push(Line::from(Span::styled(format!("   {} · {}{due}", safe(&d.owner), d.status), th.dim())));
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled("none yet: d logs one linked to this meeting", th.dim())));
        }
        let title = format!("Decisions in this meeting ({})", self.decisions.len());
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(panel(&title, false, th)), dec_area);
    }

    /// The pack as `report weekly` words it, wrapped, scrolled by PageDown / PageUp; the title
    /// says how much more there is below.
    fn draw_pack(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let Some(pack) = &self.pack else { return };
        let th = cx.theme;
        let w = area.width.saturating_sub(2).max(1) as usize;
        let visible = area.height.saturating_sub(2) as usize;
        let rows: usize = pack.iter().map(|l| wrapped_rows(l, w)).sum();
        self.pack_max = rows.saturating_sub(visible);
        self.pack_scroll = self.pack_scroll.min(self.pack_max);
        let below = rows.saturating_sub(self.pack_scroll + visible);
        let title = if below > 0 {
            format!("Weekly review pack · {below} more rows: PgDn")
        } else if self.pack_scroll > 0 {
            "Weekly review pack · PgUp back".to_string()
        } else {
            "Weekly review pack".to_string()
        };
        let lines: Vec<Line> = pack
            .iter()
            .map(|l| {
                let heading = !l.starts_with(' ') && !l.is_empty();
                Line::styled(safe(l).into_owned(), if heading { th.header() } else { th.base() })
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.pack_scroll.min(u16::MAX as usize) as u16, 0))
                .block(panel(&title, false, th)),
            area,
        );
    }

    fn kpi_lines(&self, cx: &Ctx, width: u16) -> Vec<Line<'static>> {
        let th = cx.theme;
        let w = width.saturating_sub(4) as usize;
        let mut lines = Vec::new();
        for k in &self.kpis {
            let value = k.value.map(|v| show_value(v, k.unit, &self.currency)).unwrap_or_else(|| "no data".into());
            lines.push(Line::from(vec![
                Span::styled(format!("{:<18}", truncate(&safe(&k.label), 18)), th.header()),
                Span::styled(format!("{value:>10}"), th.accent()),
            ]));
            // By channel, as many columns as fit: the breakdown is the point of the meeting.
            let cols = (w.saturating_sub(2) / 23).max(1);
            for chunk in k.by_channel.chunks(cols) {
                let row: String = chunk
                    .iter()
                    .map(|(ch, v)| {
                        format!("{:<13}{:>8}  ", truncate(&safe(ch), 12), show_value(*v, k.unit, &self.currency))
                    })
                    .collect();
                lines.push(Line::from(Span::styled(
                    truncate(&format!("  {}", row.trim_end()), w).into_owned(),
                    th.dim(),
                )));
            }
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled("no KPIs set for this meeting (, to edit)", th.dim())));
        }
        lines
    }
}

/// The rows `line` takes when word-wrapped at `w` cells, as the paragraph wraps it (a word too
/// long for a row is cut), so the pack knows how much is below the fold.
fn wrapped_rows(line: &str, w: usize) -> usize {
    let (mut rows, mut at) = (1, 0);
    for (i, word) in line.split(' ').enumerate() {
        let len = crate::domain::text::width(word) + usize::from(i > 0);
        if at > 0 && at + len > w {
            rows += 1;
            at = crate::domain::text::width(word);
        } else {
            at += len;
        }
        while at > w {
            rows += 1;
            at -= w;
        }
    }
    rows
}

/// `███░░░░` for `done` of `total`.
pub(super) fn progress_bar(done: usize, total: usize, width: usize) -> String {
    if total == 0 {
        return String::new();
    }
    let filled = (done * width).div_ceil(total).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::wrapped_rows;

    #[test]
    fn rows_are_counted_as_the_paragraph_wraps_words() {
        assert_eq!(wrapped_rows("", 10), 1);
        assert_eq!(wrapped_rows("one two", 10), 1);
        assert_eq!(wrapped_rows("one two three", 10), 2, "'three' goes to the next row");
        assert_eq!(wrapped_rows("abcdefghijklmnopqrstuvwxy", 10), 3, "a word too long is cut");
    }
}
