//! Owner fields, in every form: the completion source (the team first), and after a save with an
//! owner who is not on the team, the offer to add them. The owner is kept as written either way
//! (Sales and Product own things too); the offer is a question, never a change made for the user.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::team::{OwnerMatch, match_owner, off_team_note};
use crate::domain::text::name_key;
use crate::error::Result;
use crate::store::team::PersonInput;
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal};

/// What an owner field completes from, best first: the team's keys and names (in team order),
/// then everyone else who owns something in the store, then the director (`[ui] user`).
pub fn choices(cx: &Ctx) -> Vec<String> {
    let people = cx.store.team().people().unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        if !s.trim().is_empty() && !out.iter().any(|o| name_key(o) == name_key(s)) {
            out.push(s.to_string());
        }
    };
    for p in &people {
        push(&p.key);
    }
    for p in &people {
        push(&p.name);
    }
    for o in cx.store.decisions().known_owners().unwrap_or_default() {
        // A spelling of a member ("priya" for "Priya") completes to the member, not to itself.
        if matches!(match_owner(&o, &people), OwnerMatch::NotOnTeam(_)) {
            push(&o);
        }
    }
    push(&cx.config.user);
    out
}

/// An owner field: required or not, completing from the team.
pub fn field(label: &str, cx: &Ctx) -> Field {
    Field::new(label).hint("who owns this? (Tab completes from the team)").choices(choices(cx))
}

/// `saved`, then, when `owner` is not on the team (and there is a team), the offer to add them.
pub fn offer_after(saved: Effect, owner: &str, cx: &Ctx) -> Effect {
    let people = cx.store.team().people().unwrap_or_default();
    let director = crate::views::team::director(cx.store, cx.config).unwrap_or_else(|_| cx.config.user.clone());
    if off_team_note(owner, &people).is_none() || crate::views::team::is_director(owner, &director) {
        return saved;
    }
    Effect::Then(Box::new(saved), Box::new(Effect::Popup(Box::new(AddToTeam::new(owner.trim(), &people)))))
}

/// "Dana is not on the team: add them?" A small form with the level to give them; Esc keeps the
/// owner as written.
pub struct AddToTeam {
    form: Form,
    name: String,
}

impl AddToTeam {
    fn new(name: &str, people: &[crate::domain::team::Person]) -> AddToTeam {
        let levels = ["junior", "pmm", "senior", "staff"].map(String::from).to_vec();
        let managers = people.iter().map(|p| p.key.clone()).collect();
        let mut form = Form::new(
            &format!("'{name}' is not on the team: add them?"),
            vec![
                Field::new("Key").required().value(&key_for(name)).hint("what owner fields hold"),
                Field::new("Name").required().value(name),
                Field::new("Level").required().hint("junior, pmm, senior, staff").choices(levels),
                Field::new("Manager").hint("a member's key").choices(managers),
            ],
        );
        form.focus = 2;
        form.notes = vec![format!("Enter adds them · Esc keeps '{name}' as written, off the team")];
        AddToTeam { form, name: name.to_string() }
    }
}

/// A key to offer for a new member: letters and digits of the name, dashes between
/// ("Dana (Sales)" => "dana-sales").
fn key_for(name: &str) -> String {
    let words: Vec<String> =
        name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.join("-")
}

/// The label of the form field a store refusal names (`key`, `name`, `level`, `manager`).
fn label_of(field: &str) -> &'static str {
    match field {
        "name" => "Name",
        "level" => "Level",
        "manager" => "Manager",
        _ => "Key",
    }
}

impl Popup for AddToTeam {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => Ok(PopupOutcome::Continue),
            FormEvent::Cancel => {
                Ok(PopupOutcome::Close(Effect::Status(format!("'{}' kept as written, not on the team", self.name))))
            }
            FormEvent::Submit => {
                let f = &self.form;
                let input = PersonInput {
                    key: f.get(0).into(),
                    name: f.get(1).into(),
                    level: f.get(2).into(),
                    manager: Some(f.get(3).to_string()),
                };
                match cx.store.write(|tx| tx.team().add_person(&input, cx.now)) {
                    Ok(p) => Ok(PopupOutcome::Close(Effect::Saved(format!(
                        "added {} ({}, {}) to the team",
                        p.key,
                        p.name,
                        p.level.label()
                    )))),
                    Err(e) if e.kind() == crate::domain::error::Kind::Input => {
                        self.form.focus_label(label_of(e.field().unwrap_or("key")));
                        self.form.error = Some(e.to_string());
                        Ok(PopupOutcome::Continue)
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = area.width.saturating_sub(4).min(76);
        let inner = modal(frame, centered(area, w, self.form.height() + 3), &self.form.title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }
}
