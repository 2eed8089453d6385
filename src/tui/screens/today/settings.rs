//! The settings view (`,` on Today): the meeting templates, edited with a form. An edit applies
//! from today on; meetings already held keep the name, time and checklist they had.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use crate::error::Result;
use crate::keymap::Action;
use crate::store::cadence::{Template, TemplateEdit};
use crate::tui::screen::{Ctx, Effect, Input};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{cell, centered, modal, panel};

pub enum Outcome {
    Close,
    Effect(Effect),
}

pub struct Settings {
    templates: Vec<Template>,
    sel: usize,
    /// The template key being edited, and its form.
    editing: Option<(String, Form)>,
}

const LABELS: [&str; 6] = ["Name", "Time", "Minutes", "Recurrence", "Checklist", "KPIs"];

impl Settings {
    pub fn load(cx: &Ctx) -> Result<Settings> {
        Ok(Settings { templates: cx.store.cadence().templates_current()?, sel: 0, editing: None })
    }

    pub fn reload(&mut self, cx: &Ctx) -> Result<()> {
        self.templates = cx.store.cadence().templates_current()?;
        self.sel = self.sel.min(self.templates.len().saturating_sub(1));
        Ok(())
    }

    pub fn captures_text(&self) -> bool {
        self.editing.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        if let Some((_, f)) = self.editing.as_mut() {
            f.paste(text);
        }
    }

    fn open_form(&mut self, cx: &Ctx) {
        let Some(t) = self.templates.get(self.sel) else { return };
        let e = TemplateEdit::from_template(t);
        let metrics: Vec<String> =
            cx.store.kpis().metrics().map(|m| m.into_iter().map(|m| m.key).collect()).unwrap_or_default();
        let fields = vec![
            Field::new(LABELS[0]).required().value(&e.name),
            Field::new(LABELS[1]).required().hint("HH:MM").value(&e.start),
            Field::new(LABELS[2]).required().value(&e.minutes),
            Field::new(LABELS[3])
                .required()
                .hint("weekdays, weekly:fri, biweekly:2026-01-06, monthly:nth:1:tue, quarterly:day:1")
                .value(&e.recurrence),
            Field::new(LABELS[4]).hint("items separated by ;").value(&e.checklist),
            Field::new(LABELS[5]).hint(&format!("metric keys: {}", metrics.join(", "))).value(&e.kpis),
        ];
        let mut form = Form::new(&format!("Edit '{}' (applies from today on)", t.name), fields);
        form.notes.push("Meetings already held keep what they had.".into());
        self.editing = Some((t.key.clone(), form));
    }

    pub fn handle(&mut self, input: &Input, cx: &Ctx) -> Result<Outcome> {
        if let Some((key, form)) = self.editing.as_mut() {
            return Ok(Outcome::Effect(match form.handle(input.key) {
                FormEvent::Editing => Effect::None,
                FormEvent::Cancel => {
                    self.editing = None;
                    Effect::Status("template unchanged".into())
                }
                FormEvent::Submit => {
                    let edit = TemplateEdit {
                        name: form.get(0).into(),
                        start: form.get(1).into(),
                        minutes: form.get(2).into(),
                        recurrence: form.get(3).into(),
                        checklist: form.get(4).into(),
                        kpis: form.get(5).into(),
                    };
                    match cx.store.write(|tx| tx.cadence().edit_template(key, &edit, cx.now.date())) {
                        Ok(t) => {
                            self.editing = None;
                            Effect::Saved(format!("'{}' saved; applies from {} on", t.name, t.valid_from))
                        }
                        Err(e) => {
                            form.error = Some(e.to_string());
                            Effect::None
                        }
                    }
                }
            }));
        }
        if let Some(a) = input.action
            && super::move_selection(&mut self.sel, self.templates.len(), a)
        {
            return Ok(Outcome::Effect(Effect::None));
        }
        let effect = match input.action {
            Some(Action::Edit) | Some(Action::Select) => {
                self.open_form(cx);
                Effect::None
            }
            Some(Action::Back) | Some(Action::Settings) => return Ok(Outcome::Close),
            _ => Effect::Unhandled,
        };
        Ok(Outcome::Effect(effect))
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let th = cx.theme;
        let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(" Meeting templates ", th.title()),
                Span::styled("  Enter/e edit · Esc back · edits apply from today on", th.dim()),
            ])),
            head,
        );
        let rows: Vec<Row> = self
            .templates
            .iter()
            .map(|t| {
                let when = t.rule().map(|r| r.describe()).unwrap_or_else(|| format!("? {}", t.recurrence));
                Row::new(vec![
                    cell(&t.name),
                    cell(&t.start.format("%H:%M").to_string()),
                    cell(&format!("{} min", t.minutes)),
                    cell(&when),
                    cell(&format!("{} items", t.checklist.len())),
                    cell(&t.kpis.join(", ")),
                    cell(&t.valid_from.to_string()),
                ])
            })
            .collect();
        let header = Row::new(["Meeting", "Time", "Length", "Recurs", "Checklist", "KPIs", "Since"]).style(th.header());
        let table = Table::new(
            rows,
            [
                Constraint::Min(24),
                Constraint::Length(5),
                Constraint::Length(7),
                Constraint::Length(24),
                Constraint::Length(9),
                Constraint::Length(24),
                Constraint::Length(10),
            ],
        )
        .header(header)
        .block(panel("Templates", self.editing.is_none(), th))
        .row_highlight_style(th.selected());
        let mut state = TableState::default().with_selected((!self.templates.is_empty()).then_some(self.sel));
        frame.render_stateful_widget(table, body, &mut state);
        if let Some((_, form)) = &self.editing {
            let w = area.width.saturating_sub(4).min(110);
            let inner = modal(frame, centered(area, w, form.height() + 2), &form.title, th);
            form.draw(frame, inner, th);
        }
    }
}
