//! The Compete tab's forms: edit a section (Ctrl-E hands the text to `$EDITOR`), add a
//! competitor, record a competitor launch. Each calls the check and the write its command
//! calls, and shows a refusal in the form, on the field it is about.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::battlecard::{Section, current};
use crate::domain::compete::NewCompetitor;
use crate::domain::dates::parse_human;
use crate::error::{Error, Result};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal};

const SECTION: &str = "Section";
const TEXT: &str = "Text";
const KEY: &str = "Key";
const NAME: &str = "Name";
const OWNER: &str = "Owner";
const SEGMENT: &str = "Segment";
const DATE: &str = "Date";
const NOTE: &str = "Note";

enum Kind {
    Section { key: String },
    Add,
    Launched { key: String },
}

pub struct CompeteForm {
    form: Form,
    kind: Kind,
}

/// Edit a section of `key`'s card: `section` preselected (the open card's), its current text
/// in the field.
pub fn section(key: &str, section: Option<Section>, cx: &Ctx) -> Result<Box<dyn Popup>> {
    let card = cx.store.compete().card(key)?;
    let section = section.unwrap_or(Section::WhyWeWin);
    let text = current(&card.history).into_iter().find(|v| v.section == section).map(|v| v.text.clone());
    let slugs: Vec<String> = Section::ALL.iter().map(|s| s.slug().to_string()).collect();
    let text = text.unwrap_or_default();
    let hint = if section == Section::Objections {
        "Ctrl-E: 'Objection:', 'Answer:', 'Proof:' lines, a blank line between entries"
    } else {
        "Ctrl-E writes it in $EDITOR, line breaks kept"
    };
    let mut form = Form::new(
        &format!("Edit {} · {}", card.competitor.name, card.competitor.key),
        vec![
            Field::new(SECTION)
                .required()
                .value(section.slug())
                .choices(slugs)
                .hint("why-we-win, why-we-lose, objections, landmines, pricing, proof"),
            Field::new(TEXT).value(&text).hint(hint),
        ],
    );
    form.long_text = true;
    form.focus = 1;
    form.notes = vec![format!("saved as {}, stamped now; up to 20,000 characters", cx.config.user)];
    Ok(Box::new(CompeteForm { form, kind: Kind::Section { key: card.competitor.key } }))
}

/// Add a competitor: key, name and owner required.
pub fn add(cx: &Ctx) -> Box<dyn Popup> {
    let mut owners: Vec<String> =
        cx.store.compete().competitors().unwrap_or_default().into_iter().map(|c| c.owner).collect();
    owners.push(cx.config.user.clone());
    owners.sort();
    owners.dedup();
    let form = Form::new(
        "Add a competitor",
        vec![
            Field::new(KEY).required().hint("acme: how commands name it"),
            Field::new(NAME).required().hint("Acme Corp"),
            Field::new(OWNER).required().hint("who owns this card? (Tab completes)").choices(owners),
            Field::new(SEGMENT).hint("enterprise, mid-market, ..."),
        ],
    );
    Box::new(CompeteForm { form, kind: Kind::Add })
}

/// Record that `key` launched: its card is stale until refreshed after that day.
pub fn launched(key: &str) -> Box<dyn Popup> {
    let form = Form::new(
        &format!("{key} launched"),
        vec![
            Field::new(DATE).required().value("today").hint("today, 2026-11-02, -3d"),
            Field::new(NOTE).hint("what they launched"),
        ],
    );
    Box::new(CompeteForm { form, kind: Kind::Launched { key: key.to_string() } })
}

impl CompeteForm {
    /// Save the form; a refusal of the input stays in the form on its field, anything else
    /// goes through as an error.
    fn submit(&mut self, cx: &Ctx) -> Result<Option<Effect>> {
        let f = &self.form;
        let saved: Result<String> = match &self.kind {
            Kind::Section { key } => match Section::parse(f.by_label(SECTION)) {
                Err(e) => Err(Error::from(crate::domain::error::Error::input(e.to_string()).in_field("section"))),
                Ok(section) => {
                    let text = self.form.fields.get(1).map(|f| f.value.clone()).unwrap_or_default();
                    cx.store
                        .write(|tx| tx.compete().edit_section(key, section, &text, &cx.config.user, cx.now))
                        .map(|v| format!("{} of {key} saved ({} characters)", v.section, v.text.chars().count()))
                        .map_err(Into::into)
                }
            },
            Kind::Add => {
                let segment = Some(f.by_label(SEGMENT).to_string()).filter(|s| !s.is_empty());
                let new = NewCompetitor {
                    key: f.by_label(KEY).into(),
                    name: f.by_label(NAME).into(),
                    owner: f.by_label(OWNER).into(),
                    segment,
                };
                cx.store
                    .write(|tx| tx.compete().add(&new, cx.now))
                    .map(|c| format!("added {} ({}), card owned by {}", c.key, c.name, c.owner))
                    .map_err(Into::into)
            }
            Kind::Launched { key } => match parse_human(f.by_label(DATE), cx.now.date()) {
                Err(e) => Err(Error::from(e.in_field("date"))),
                Ok(on) => {
                    let note = Some(f.by_label(NOTE)).filter(|n| !n.is_empty());
                    cx.store
                        .write(|tx| tx.compete().launched(key, on, note, &cx.config.user, cx.now))
                        .map(|(c, raised)| {
                            format!(
                                "{} launched on {on}: its card is stale until refreshed after it{}",
                                c.name,
                                crate::io::export::compete::raised_status(&raised)
                            )
                        })
                        .map_err(Into::into)
                }
            },
        };
        match saved {
            Ok(msg) => Ok(Some(Effect::Saved(msg))),
            Err(e) if e.is_input() => {
                let label = match e.field() {
                    Some("section") => SECTION,
                    Some("text") => TEXT,
                    Some("key") => KEY,
                    Some("name") => NAME,
                    Some("owner") => OWNER,
                    Some("date") => DATE,
                    _ => "",
                };
                self.form.focus_label(label);
                self.form.error = Some(e.to_string());
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

impl Popup for CompeteForm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => Ok(PopupOutcome::Continue),
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("nothing saved".into()))),
            FormEvent::Submit => Ok(match self.submit(cx)? {
                Some(effect) => PopupOutcome::Close(effect),
                None => PopupOutcome::Continue,
            }),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = area.width.saturating_sub(4).min(96);
        let inner = modal(frame, centered(area, w, self.form.height() + 3), &self.form.title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
}
