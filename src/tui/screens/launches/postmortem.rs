//! Entering post-mortem: the short structured record (what worked, what did not, the outcome
//! metric against its goal, follow-ups each with an owner and a due day), saved with the stage
//! move as the launch's post-mortem (the Learn tab lists it with the others).

use crate::domain::dates::parse_human;
use crate::domain::launch::{Launch, PostMortem};
use crate::domain::postmortem::{DEFAULT_DUE_DAYS, FollowUpSpec};
use crate::error::Result;
use crate::tui::screen::{Ctx, Effect};
use crate::tui::widgets::form::{Field, Form};

use super::forms::FormPopup;

const FOLLOW_UPS: usize = 3;

pub fn postmortem_form(l: &Launch, cx: &Ctx) -> FormPopup {
    let owners = crate::tui::widgets::owner::choices(cx);
    let mut fields = vec![
        Field::new("What worked"),
        Field::new("What did not"),
        Field::new("Outcome metric").hint("pipeline from launch, win rate vs X"),
        Field::new("Actual"),
        Field::new("Goal"),
    ];
    for n in 1..=FOLLOW_UPS {
        fields.push(Field::new(&format!("Follow-up {n}")));
        fields.push(Field::new(&format!("Owner {n}")).choices(owners.clone()));
        fields.push(Field::new(&format!("Due {n}")).hint("fri, +3w, 2026-12-04; empty: in two weeks"));
    }
    let mut form = Form::new(&format!("Post-mortem: {}", l.name), fields);
    form.notes = vec!["each follow-up becomes a decision with its owner and due day".into()];
    let (id, name) = (l.id, l.name.clone());
    FormPopup::new(form, 86, move |f, cx| save(f, cx, id, &name))
}

fn save(f: &Form, cx: &Ctx, id: i64, name: &str) -> Result<Effect> {
    let pm = PostMortem {
        worked: f.get(0).into(),
        didnt: f.get(1).into(),
        outcome_metric: f.get(2).into(),
        outcome_actual: f.get(3).into(),
        outcome_goal: f.get(4).into(),
    };
    let today = cx.now.date();
    let mut follow_ups: Vec<FollowUpSpec> = Vec::new();
    for n in 0..FOLLOW_UPS {
        let (text, owner, due) = (f.get(5 + 3 * n), f.get(6 + 3 * n), f.get(7 + 3 * n));
        if text.is_empty() {
            continue;
        }
        // The same default as `launch stage ID post-mortem --follow-up TEXT=OWNER`.
        let due = if due.is_empty() {
            today + chrono::Duration::days(DEFAULT_DUE_DAYS)
        } else {
            parse_human(due, today).map_err(|e| e.at(format!("Due {}", n + 1)))?
        };
        follow_ups.push(FollowUpSpec { text: text.into(), owner: owner.into(), due });
    }
    cx.store.write(|tx| tx.launches().postmortem(id, &pm, &follow_ups, &cx.config.user, &cx.config.tiers, cx.now))?;
    let n = follow_ups.len();
    let saved = Effect::Saved(format!("'{name}' is in post-mortem; {n} follow-up decision(s) logged"));
    // Offered for the first owner not on the team; the others are kept as written too.
    let people = cx.store.team().people().unwrap_or_default();
    Ok(match follow_ups.iter().find(|f| crate::domain::team::off_team_note(&f.owner, &people).is_some()) {
        Some(f) => crate::tui::widgets::owner::offer_after(saved, &f.owner, cx),
        None => saved,
    })
}
