//! `n` in the drill-down: a note (annotation) for the selected day, checked and stored exactly
//! as `mktg note add DAYS TEXT --metric M --channel C` does it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::annotation::Annotation;
use crate::error::Result;
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal};

const DAYS: &str = "Day(s)";
const TEXT: &str = "Note";
const METRIC: &str = "Metric";
const CHANNEL: &str = "Channel";

pub struct NotePopup {
    form: Form,
}

impl NotePopup {
    pub fn new(day: chrono::NaiveDate, metric: &str, channel: &str) -> NotePopup {
        let mut form = Form::new(
            "Add a note",
            vec![
                Field::new(DAYS)
                    .required()
                    .value(&day.to_string())
                    .hint("2026-11-19, or a range 2026-11-09..2026-11-10"),
                Field::new(TEXT).required().hint("what happened: site outage, price change..."),
                Field::new(METRIC).value(metric).hint("empty: every metric"),
                Field::new(CHANNEL).value(channel).hint("empty: every channel"),
            ],
        );
        form.focus = 1;
        NotePopup { form }
    }

    fn save(&self, cx: &Ctx) -> Result<std::result::Result<Effect, (String, &'static str)>> {
        if let Some(e) = self.form.missing() {
            return Ok(Err((e, if self.form.by_label(DAYS).trim().is_empty() { DAYS } else { TEXT })));
        }
        let note = match Annotation::new(
            self.form.by_label(DAYS),
            self.form.by_label(TEXT),
            Some(self.form.by_label(METRIC)),
            Some(self.form.by_label(CHANNEL)),
            cx.now.date(),
        ) {
            Ok(n) => n,
            Err(e) => return Ok(Err((e.to_string(), DAYS))),
        };
        match cx.store.write(|tx| tx.notes().add(&note, cx.now)) {
            Ok(id) => Ok(Ok(Effect::Saved(format!("note #{id} added for {}", note.from)))),
            Err(e) if e.kind() == crate::domain::error::Kind::Input => Ok(Err((e.to_string(), METRIC))),
            Err(e) => Err(e.into()),
        }
    }
}

impl Popup for NotePopup {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => Ok(PopupOutcome::Continue),
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("no note added".into()))),
            FormEvent::Submit => match self.save(cx)? {
                Ok(effect) => Ok(PopupOutcome::Close(effect)),
                Err((msg, field)) => {
                    self.form.error = Some(msg);
                    self.form.focus_label(field);
                    Ok(PopupOutcome::Continue)
                }
            },
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let h = self.form.height() + 2;
        let inner = modal(frame, centered(area, 72, h), &self.form.title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
}
