//! The launches screen's dialogs: new / edit launch, tier override, gate override, item note.
//! Each is a `FormPopup` (the one form dialog): a form plus what Enter does.

use crate::domain::dates::parse_human;
use crate::domain::launch::Launch;
use crate::domain::launch::gate_refusal;
use crate::domain::model::{Stage, Tier};
use crate::error::Context;
use crate::store::launch_changes::NewLaunch;
use crate::tui::screen::{Ctx, Effect};
use crate::tui::widgets::form::{Field, Form};
pub use crate::tui::widgets::form_popup::FormPopup;

const DATE_HINT: &str = "2027-01-15, +8w, fri";

/// New launch (`existing` None) or edit one: name, product, date as people type it, owner.
pub fn launch_form(existing: Option<&Launch>, cx: &Ctx) -> FormPopup {
    let (title, name, product, date, owner) = match existing {
        Some(l) => ("Edit launch", l.name.clone(), l.product.clone(), l.date.to_string(), l.owner.clone()),
        None => ("New launch", String::new(), String::new(), String::new(), cx.config.user.clone()),
    };
    let form = Form::new(
        title,
        vec![
            Field::new("Name").required().value(&name),
            Field::new("Product").value(&product),
            Field::new("Launch date").required().hint(DATE_HINT).date(cx.now.date()).value(&date),
            crate::tui::widgets::owner::field("Owner", cx).value(&owner),
        ],
    );
    let id = existing.map(|l| l.id);
    FormPopup::new(form, 70, move |f, cx| {
        let date = parse_human(f.get(2), cx.now.date()).context("Launch date")?;
        let l = NewLaunch {
            name: f.get(0).to_string(),
            product: f.get(1).to_string(),
            owner: f.get(3).to_string(),
            date: Some(date),
        };
        let saved = match id {
            Some(id) => {
                cx.store.write(|tx| tx.launches().edit(id, &l, cx.now))?;
                Effect::Saved(format!("saved '{}'", l.name))
            }
            None => {
                let id = cx.store.write(|tx| tx.launches().add(&l, &cx.config.tiers, cx.now))?;
                Effect::Saved(format!("added launch #{id} '{}': press t to tier it", l.name))
            }
        };
        Ok(crate::tui::widgets::owner::offer_after(saved, &l.owner, cx))
    })
}

/// Override the tier: a tier other than the computed one, and the reason (logged as a decision).
pub fn override_form(l: &Launch) -> FormPopup {
    let computed = l.computed.map_or("not scored yet".to_string(), |t| format!("computed {t}"));
    let suggestion = match l.computed {
        Some(Tier(1)) => "2",
        _ => "1",
    };
    let mut form = Form::new(
        &format!("Override the tier of {}", l.name),
        vec![
            Field::new("Tier").required().hint("1, 2 or 3").value(suggestion),
            Field::new("Reason").required().hint("why this launch deserves another tier"),
        ],
    );
    form.notes = vec![format!("{computed}; the override is logged as a decision linked to the launch")];
    form.focus = 1;
    let (id, name) = (l.id, l.name.clone());
    FormPopup::new(form, 76, move |f, cx| {
        let tier = Tier::parse(f.get(0))?;
        // The store decides, as for `launch tier`: another tier is an override and needs its
        // reason; the computed one clears an override in force; the tier it already has is refused.
        let d = cx
            .store
            .write(|tx| tx.launches().set_tier(id, tier, f.get(1), &cx.config.user, &cx.config.tiers, cx.now))?;
        let how = match d {
            Some(d) => format!("(override); logged as decision #{d}"),
            None => "(the computed tier)".to_string(),
        };
        Ok(Effect::Saved(format!("'{name}' is now {tier} {how}")))
    })
}

/// Mark the launch as a product pivot from a day (its launch day by default), or, emptied, take
/// the mark off: the same store calls as `launch pivot` and `launch pivot --clear`.
pub fn pivot_form(l: &Launch, cx: &Ctx) -> FormPopup {
    let day = l.pivot_on.unwrap_or(l.date);
    let mut form = Form::new(
        &format!("Product pivot: {}", l.name),
        vec![Field::new("Pivot from").hint(DATE_HINT).date(cx.now.date()).value(&day.to_string()).key("date")],
    );
    form.notes = vec![
        "battlecards last refreshed before this day go stale on it; a Tier 1 pivot proposes a positioning review"
            .into(),
        if l.pivot_on.is_some() { "empty: no longer a pivot".into() } else { "Esc: not a pivot".into() },
    ];
    let (id, name, marked) = (l.id, l.name.clone(), l.pivot_on.is_some());
    FormPopup::new(form, 90, move |f, cx| {
        if f.get(0).trim().is_empty() && marked {
            cx.store.write(|tx| tx.launches().clear_pivot(id, cx.now))?;
            return Ok(Effect::Saved(format!("'{name}' is no longer marked as a product pivot")));
        }
        let on = parse_human(f.get(0), cx.now.date()).context("Pivot from")?;
        let p = cx.store.write(|tx| tx.launches().mark_pivot(id, Some(on), &cx.config.user, cx.now))?;
        let raised = crate::io::export::compete::raised_status(&p.raised);
        Ok(Effect::Saved(format!("'{name}' is a product pivot from {on}{raised}")))
    })
    .cancelled("nothing changed")
}

/// Go live although baseline items are open: only with a reason, logged as a decision.
pub fn gate_override_form(l: &Launch, to: Stage, blockers: &[String]) -> FormPopup {
    let mut form = Form::new(
        &format!("Override the go-live gate for {}", l.name),
        vec![Field::new("Reason").required().hint("why it goes live with the baseline open")],
    );
    form.notes = vec![gate_refusal(&l.name, blockers), "the override is logged as a decision".into()];
    let (id, name) = (l.id, l.name.clone());
    FormPopup::new(form, 90, move |f, cx| {
        let moved = cx
            .store
            .write(|tx| tx.launches().stage(id, to, Some(f.get(0)), &cx.config.user, &cx.config.tiers, cx.now))?;
        let logged = moved.decision_id.map(|d| format!("; gate override logged as decision #{d}")).unwrap_or_default();
        Ok(Effect::Saved(format!("'{name}' moved to {}{logged}", to.label())))
    })
}

/// Add or change the note on a checklist item.
pub fn note_form(launch_id: i64, item_id: i64, label: &str, note: &str) -> FormPopup {
    let form = Form::new(&format!("Note on {label}"), vec![Field::new("Note").value(note)]);
    FormPopup::new(form, 80, move |f, cx| {
        cx.store.write(|tx| tx.launches().item_note(launch_id, item_id, f.get(0)))?;
        Ok(Effect::Saved("note saved".into()))
    })
}
