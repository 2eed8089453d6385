//! `I`: the import log, newest first, with its counts; `u` undoes the selected import after a yes.
//! Keys come from the `[imports]` section (then `[global]`), the question's from `[confirm]`.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use crate::error::Result;
use crate::keymap::Action;
use crate::store::imports::ImportEntry;
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::{cell, centered, clamp_selection, modal, num, text};

pub struct Imports {
    entries: Vec<ImportEntry>,
    selected: usize,
    /// The import waiting for y/n, with how many facts it holds now.
    confirming: Option<(i64, String, i64)>,
    /// Last outcome shown inside the popup.
    note: Option<(String, bool)>,
    /// Set once something was undone: the screens behind must reload when the popup closes.
    changed: Option<String>,
}

impl Imports {
    pub fn open(cx: &Ctx) -> Result<Imports> {
        Ok(Imports { entries: cx.store.imports().log()?, selected: 0, confirming: None, note: None, changed: None })
    }

    fn close(&mut self) -> PopupOutcome {
        match self.changed.take() {
            Some(msg) => PopupOutcome::Close(Effect::Saved(msg)),
            None => PopupOutcome::Close(Effect::None),
        }
    }

    fn ask(&mut self, cx: &Ctx) -> Result<()> {
        let Some(e) = self.entries.get(self.selected) else { return Ok(()) };
        if let Some(at) = e.undone_at {
            self.note = Some((format!("import #{} was already undone at {}", e.id, at.format("%Y-%m-%d %H:%M")), true));
        } else if let Some(by) = e.replaced_by {
            self.note = Some((format!("import #{} was replaced by #{by}: undo #{by} instead", e.id), true));
        } else {
            let facts = cx.store.imports().fact_count(e.id)?;
            self.confirming = Some((e.id, e.file_name.clone(), facts));
            self.note = None;
        }
        Ok(())
    }

    fn undo(&mut self, id: i64, cx: &Ctx) -> Result<()> {
        let u = cx.store.imports().undo(id, cx.now, false)?;
        let mut msg = format!("undid import #{} ({}): {} facts removed", u.id, u.file_name, u.facts_removed);
        if !u.campaigns_removed.is_empty() {
            msg.push_str(&format!(", {} campaigns it created", u.campaigns_removed.len()));
        }
        self.entries = cx.store.imports().log()?;
        self.selected = clamp_selection(self.selected, self.entries.len());
        self.note = Some((msg.clone(), false));
        self.changed = Some(msg);
        Ok(())
    }
}

impl Popup for Imports {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        let keymap = &cx.config.keymap;
        if let Some((id, _, _)) = self.confirming {
            match keymap.action("confirm", &key) {
                Some(Action::Yes) => {
                    self.confirming = None;
                    if let Err(e) = self.undo(id, cx) {
                        self.note = Some((e.to_string(), true));
                    }
                }
                Some(Action::No) => {
                    self.confirming = None;
                    self.note = Some(("cancelled; nothing changed".into(), false));
                }
                _ => {}
            }
            return Ok(PopupOutcome::Continue);
        }
        match keymap.action("imports", &key) {
            Some(Action::Down) => self.selected = clamp_selection(self.selected + 1, self.entries.len()),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Top) => self.selected = 0,
            Some(Action::Bottom) => self.selected = self.entries.len().saturating_sub(1),
            Some(Action::UndoImport) => self.ask(cx)?,
            // Quit and Imports too: q and I close the log, they do not leave mktg or reopen it.
            Some(Action::Back | Action::Quit | Action::Imports) => return Ok(self.close()),
            _ => {}
        }
        Ok(PopupOutcome::Continue)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = area.width.saturating_sub(4).max(20);
        let h = (self.entries.len() as u16 + 6).clamp(8, area.height.saturating_sub(2).max(8));
        let inner = modal(frame, centered(area, w, h), "Imports (newest first)", cx.theme);
        let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
        if self.entries.is_empty() {
            let msg = "Nothing imported yet. `mktg import FILE` reads HubSpot, GA4, LinkedIn, Google Ads and plain CSV exports.";
            frame
                .render_widget(Paragraph::new(Line::from(text(msg))).wrap(ratatui::widgets::Wrap { trim: true }), body);
        } else {
            self.draw_table(frame, body, cx);
        }
        frame.render_widget(Paragraph::new(self.footer(cx)), foot);
    }
}

/// One column of the log table; columns are dropped in order of `keep` (lowest first) until the table fits.
struct Column {
    title: &'static str,
    width: u16,
    keep: u8,
    value: fn(&ImportEntry) -> String,
    numeric: bool,
}

const COLUMNS: [Column; 12] = [
    Column { title: "#", width: 4, keep: 9, value: |e| e.id.to_string(), numeric: true },
    Column { title: "when", width: 12, keep: 9, value: |e| e.at.format("%b %d %H:%M").to_string(), numeric: false },
    Column { title: "file", width: 24, keep: 9, value: |e| e.file_name.clone(), numeric: false },
    Column { title: "preset", width: 16, keep: 5, value: |e| e.preset.clone(), numeric: false },
    Column { title: "range", width: 12, keep: 4, value: range, numeric: false },
    Column { title: "rows", width: 7, keep: 2, value: |e| e.rows_read.to_string(), numeric: true },
    Column { title: "new", width: 7, keep: 9, value: |e| e.created.to_string(), numeric: true },
    Column { title: "upd", width: 6, keep: 9, value: |e| e.updated.to_string(), numeric: true },
    Column { title: "same", width: 6, keep: 9, value: |e| e.unchanged.to_string(), numeric: true },
    Column { title: "skip", width: 5, keep: 3, value: |e| e.skipped.to_string(), numeric: true },
    Column { title: "camp", width: 5, keep: 1, value: |e| e.campaigns_created.to_string(), numeric: true },
    Column { title: "status", width: 15, keep: 9, value: status, numeric: false },
];

fn range(e: &ImportEntry) -> String {
    match (e.range_start, e.range_end) {
        (Some(a), Some(b)) => format!("{}..{}", a.format("%m-%d"), b.format("%m-%d")),
        _ => "-".into(),
    }
}

fn status(e: &ImportEntry) -> String {
    match (e.undone_at, e.replaced_by) {
        (Some(at), _) => format!("undone {}", at.format("%b %d")),
        (None, Some(by)) => format!("replaced by #{by}"),
        (None, None) => "in the store".into(),
    }
}

/// The columns that fit `width` (with the highlight mark and one space between columns).
fn fitting(width: u16) -> Vec<&'static Column> {
    let mut keep = 0u8;
    loop {
        let cols: Vec<&Column> = COLUMNS.iter().filter(|c| c.keep > keep).collect();
        let need: u16 = cols.iter().map(|c| c.width + 1).sum::<u16>() + 2;
        if need <= width || keep >= 8 {
            return cols;
        }
        keep += 1;
    }
}

impl Imports {
    fn draw_table(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let cols = fitting(area.width);
        let rows: Vec<Row> = self
            .entries
            .iter()
            .map(|e| {
                let cells: Vec<_> =
                    cols.iter().map(|c| if c.numeric { num((c.value)(e)) } else { cell(&(c.value)(e)) }).collect();
                let row = Row::new(cells);
                if e.is_active() { row } else { row.style(cx.theme.dim()) }
            })
            .collect();
        // The file name takes whatever width the other columns leave.
        let others: u16 = cols.iter().filter(|c| c.title != "file").map(|c| c.width + 1).sum();
        let file_w = area.width.saturating_sub(others + 3);
        let widths: Vec<Constraint> =
            cols.iter().map(|c| Constraint::Length(if c.title == "file" { file_w.max(10) } else { c.width })).collect();
        let header: Vec<&str> = cols.iter().map(|c| c.title).collect();
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(cx.theme.header()))
            .row_highlight_style(cx.theme.selected())
            .highlight_symbol("> ");
        let mut state = TableState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(table, area, &mut state);
    }

    /// Two lines: the question or the last outcome, then the keys that apply now (as the keymap has them).
    fn footer(&self, cx: &Ctx) -> Vec<Line<'static>> {
        let keymap = &cx.config.keymap;
        let key = |a: Action, what: &str| {
            let k = keymap.key_for("imports", a).unwrap_or_else(|| "?".into());
            vec![Span::styled(k, cx.theme.key()), Span::styled(format!(" {what}  "), cx.theme.dim())]
        };
        if let Some((id, file, facts)) = &self.confirming {
            return vec![
                Line::from(text(&format!("Undo import #{id} ({file})? It removes its {facts} facts."))),
                Line::from(crate::tui::popups::confirm::answer_keys(keymap, cx.theme)),
            ];
        }
        let note = match &self.note {
            Some((msg, bad)) => Line::from(Span::styled(
                crate::domain::text::safe(msg).into_owned(),
                if *bad { cx.theme.bad() } else { cx.theme.good() },
            )),
            None => Line::default(),
        };
        let select = format!(
            "{}/{}",
            keymap.key_for("imports", Action::Down).unwrap_or_default(),
            keymap.key_for("imports", Action::Up).unwrap_or_default()
        );
        let select = vec![Span::styled(select, cx.theme.key()), Span::styled(" select  ".to_string(), cx.theme.dim())];
        vec![note, Line::from([select, key(Action::UndoImport, "undo"), key(Action::Back, "close")].concat())]
    }
}
