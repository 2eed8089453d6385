//! The decision forms, each a `FormPopup`: log one (a key from anywhere: decision and owner
//! required, then due, risk if nothing is done, recommendation, status), supersede one, and edit
//! one (the same fields; the change is kept in the decision's history). Enter saves from any
//! field; a refusal puts the cursor on the field it names.

use crate::domain::dates::parse_human;
use crate::domain::model::DecisionStatus;
use crate::error::{Error, Result};
use crate::store::decision_edits::{DecisionEdit, EditInput};
use crate::store::decisions::{Decision, NewDecision};
use crate::tui::screen::{Ctx, Effect, Links, Popup};
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::form_popup::FormPopup;

const DECISION: usize = 0;
const OWNER: usize = 1;
const DUE: usize = 2;
const RISK: usize = 3;
const RECOMMENDATION: usize = 4;
const STATUS: usize = 5;

fn fields(cx: &Ctx) -> Vec<Field> {
    vec![
        Field::new("Decision").required().key("decision").hint("what is decided, in one line"),
        crate::tui::widgets::owner::field("Owner", cx).required().key("owner"),
        Field::new("Due").key("due").hint("fri, +3d, 2026-11-27").date(cx.now.date()),
        Field::new("Risk if nothing").key("risk").hint("what happens if nothing is done"),
        Field::new("Recommendation").key("recommendation").hint("the recommendation and context"),
        Field::new("Status").key("status").hint("proposed (default), decided, done").choices(vec![
            "proposed".into(),
            "decided".into(),
            "done".into(),
        ]),
    ]
}

fn popup(title: &str, fields: Vec<Field>, save: impl FnMut(&Form, &Ctx) -> Result<Effect> + 'static) -> FormPopup {
    let form = Form { long_text: true, ..Form::new(title, fields) };
    FormPopup::new(form, 90, save).cancelled("decision not logged").required_checked_by_save()
}

/// The form to log a decision linked to `links` (the open meeting, launch or campaign).
pub fn open(links: Links, cx: &Ctx) -> Box<dyn Popup> {
    let mut title = "Log a decision".to_string();
    if let Some(m) = links.meeting_id.and_then(|id| cx.store.cadence().meeting(id).ok()) {
        title.push_str(&format!(" · in {} {}", m.name, m.day.format("%a %d %b")));
    }
    Box::new(popup(&title, fields(cx), move |f, cx| {
        let new = parse(f, &links, cx)?;
        let id = cx.store.write(|tx| tx.decisions().add(&new, cx.now))?;
        let saved = Effect::Saved(format!("decision #{id} logged, owner {}", new.owner));
        Ok(crate::tui::widgets::owner::offer_after(saved, &new.owner, cx))
    }))
}

/// The form that supersedes `original`: prefilled with it; the original stays, linked.
pub fn supersede(original: &Decision, cx: &Ctx) -> Box<dyn Popup> {
    let f = prefilled(original, fields(cx));
    let old = original.id;
    Box::new(popup(&format!("Supersede #{old}: the new decision"), f, move |f, cx| {
        let new = parse(f, &Links::default(), cx)?;
        let id = cx.store.write(|tx| tx.decisions().supersede(old, &new, cx.now))?;
        let saved = Effect::Saved(format!("decision #{id} logged; #{old} superseded (kept, linked)"));
        Ok(crate::tui::widgets::owner::offer_after(saved, &new.owner, cx))
    }))
}

/// The form that corrects `original` in place: its text, owner, due day, risk and
/// recommendation, as `decision edit` does; what it said before stays in its history.
pub fn edit(original: &Decision, cx: &Ctx) -> Box<dyn Popup> {
    let mut f = prefilled(original, fields(cx));
    f.truncate(STATUS);
    let id = original.id;
    let form =
        Form { long_text: true, ..Form::new(&format!("Edit decision #{id} (the change is kept in its history)"), f) };
    Box::new(
        FormPopup::new(form, 90, move |f, cx| {
            let input = EditInput {
                title: Some(f.get(DECISION)),
                owner: Some(f.get(OWNER)),
                due: Some(f.get(DUE)),
                risk: Some(f.get(RISK)),
                recommendation: Some(f.get(RECOMMENDATION)),
            };
            let edit = DecisionEdit::parse(&input, cx.now.date())?;
            let changes = cx.store.write(|tx| tx.decisions().edit(id, &edit, cx.now))?;
            if changes.is_empty() {
                return Ok(Effect::Status(format!("decision #{id}: nothing changed")));
            }
            let said: Vec<String> = changes.iter().map(|c| c.describe()).collect();
            Ok(Effect::Saved(format!("decision #{id} edited: {}", said.join("; "))))
        })
        .cancelled("decision unchanged")
        .required_checked_by_save(),
    )
}

fn prefilled(d: &Decision, mut f: Vec<Field>) -> Vec<Field> {
    f[DECISION] = f[DECISION].clone().value(&d.title);
    f[OWNER] = f[OWNER].clone().value(&d.owner);
    if let Some(due) = d.due {
        f[DUE] = f[DUE].clone().value(&due.to_string());
    }
    f[RISK] = f[RISK].clone().value(&d.risk);
    f[RECOMMENDATION] = f[RECOMMENDATION].clone().value(&d.recommendation);
    f
}

/// The decision typed, checked as `decision add` checks it; a refusal names its field.
fn parse(f: &Form, links: &Links, cx: &Ctx) -> Result<NewDecision> {
    let mut new = NewDecision {
        title: f.get(DECISION).into(),
        owner: f.get(OWNER).into(),
        risk: f.get(RISK).into(),
        recommendation: f.get(RECOMMENDATION).into(),
        meeting_id: links.meeting_id,
        launch_id: links.launch_id,
        campaign_id: links.campaign_id,
        ..NewDecision::default()
    };
    new.validate()?;
    let field = |e: crate::domain::error::Error, name| Error::from(e.in_field(name));
    new.due = match f.get(DUE) {
        "" => None,
        s => Some(parse_human(s, cx.now.date()).map_err(|e| field(e, "due"))?),
    };
    new.status = match f.get(STATUS) {
        "" => None,
        s => {
            let st = DecisionStatus::parse(s).map_err(|e| field(e, "status"))?;
            if !matches!(st, DecisionStatus::Proposed | DecisionStatus::Decided | DecisionStatus::Done) {
                let why = crate::domain::error::Error::input("a new decision is proposed, decided or done");
                return Err(field(why, "status"));
            }
            Some(st)
        }
    };
    Ok(new)
}
