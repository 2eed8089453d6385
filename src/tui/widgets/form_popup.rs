//! A form in a modal: the dialog every "new / edit" key opens. Enter runs the caller's save;
//! a refusal the user can fix keeps the dialog open with its one line, the cursor on the field
//! it names (`Error::field()`); Esc leaves everything as it was. An optional `on_change` runs
//! after every key, for live previews ("before → after") under the fields.
//!
//! ```ignore
//! let form = Form::new("Plan a campaign", vec![Field::new("Campaign").required(), ...]);
//! FormPopup::new(form, 76, move |f, cx| {
//!     let plan = check(f.get(0), ...)?;               // the same check the command line calls
//!     cx.store.write(|tx| tx.budget().plan(&plan, cx.now))?;
//!     Ok(Effect::Saved("planned".into()))
//! })
//! ```

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::form::{Form, FormEvent};
use super::{centered, modal};
use crate::error::{Error, Result};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};

type Submit = Box<dyn FnMut(&Form, &Ctx) -> Result<Effect>>;
type Change = Box<dyn FnMut(&mut Form, &Ctx)>;

pub struct FormPopup {
    pub form: Form,
    width: u16,
    on_submit: Submit,
    on_change: Option<Change>,
    /// What Esc says in the footer.
    cancelled: String,
    /// Empty required fields are refused here, before the save runs; off when the save's own
    /// check says it in its words (a decision's "an owner is required: who owns this?").
    require: bool,
    /// Text came in outside a key (a paste, `$EDITOR`): run `on_change` before the next frame.
    stale: bool,
}

impl FormPopup {
    pub fn new(form: Form, width: u16, on_submit: impl FnMut(&Form, &Ctx) -> Result<Effect> + 'static) -> FormPopup {
        FormPopup {
            form,
            width,
            on_submit: Box::new(on_submit),
            on_change: None,
            cancelled: "cancelled; nothing changed".into(),
            require: true,
            stale: true,
        }
    }

    /// Run `f` after every key (and before the first frame): live notes under the fields.
    pub fn on_change(mut self, f: impl FnMut(&mut Form, &Ctx) + 'static) -> FormPopup {
        self.on_change = Some(Box::new(f));
        self
    }

    /// The footer's words when the form is closed with Esc.
    pub fn cancelled(mut self, msg: &str) -> FormPopup {
        self.cancelled = msg.into();
        self
    }

    /// Leave empty required fields to the save's check, which names them in its own words.
    pub fn required_checked_by_save(mut self) -> FormPopup {
        self.require = false;
        self
    }

    fn changed(&mut self, cx: &Ctx) {
        self.stale = false;
        if let Some(f) = self.on_change.as_mut() {
            f(&mut self.form, cx);
        }
    }
}

impl Popup for FormPopup {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => {
                self.changed(cx);
                Ok(PopupOutcome::Continue)
            }
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status(self.cancelled.clone()))),
            FormEvent::Submit => {
                self.changed(cx);
                if let Some(missing) = self.form.missing().filter(|_| self.require) {
                    if let Some(i) = self.form.missing_at() {
                        self.form.focus_at(i);
                    }
                    self.form.error = Some(missing);
                    return Ok(PopupOutcome::Continue);
                }
                match (self.on_submit)(&self.form, cx) {
                    Ok(effect) => Ok(PopupOutcome::Close(effect)),
                    // The user can fix what they typed: keep the form open, say why, point at it.
                    Err(e) if e.is_input() => {
                        // A refusal names its field (`Error::field()`), or says where it is
                        // (`.context("Due")`, which also prefixes its message).
                        match (&e, e.field()) {
                            (_, Some(field)) => self.form.focus_named(field),
                            (Error::At { at, .. }, None) => self.form.focus_named(at),
                            _ => false,
                        };
                        self.form.error = Some(e.to_string());
                        Ok(PopupOutcome::Continue)
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        if self.stale {
            // The first frame shows the live notes too, before any key; so does one after a paste.
            self.changed(cx);
        }
        let h = self.form.height() + 2;
        let w = self.width.min(area.width.saturating_sub(2));
        let title = self.form.title.clone();
        let inner = modal(frame, centered(area, w, h), &title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
        self.stale = true;
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.stale = true;
        self.form.long_text.then_some(&mut self.form)
    }
}
