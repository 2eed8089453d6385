//! `T` on a KPI (a tile, or its drill-down): its targets for this and next month and quarter,
//! each marked "template" while the role template's default is in force, "set" once the user
//! chose it. Saved with the same check and write as `kpi target`, all in one transaction.

use chrono::NaiveDate;

use crate::domain::kpi::{Metric, TargetSource, format_value};
use crate::domain::period::{Grain, Period};
use crate::error::{Context, Result};
use crate::tui::screen::{Ctx, Effect};
use crate::tui::widgets::form::{Field, Form, Kind};
use crate::tui::widgets::form_popup::FormPopup;

/// The periods the form offers, labelled as the field names them.
fn periods(today: NaiveDate) -> Vec<Period> {
    let month = Period::containing(Grain::Month, today);
    let quarter = Period::containing(Grain::Quarter, today);
    vec![month, month.next(), quarter, quarter.next()]
}

fn tag(source: Option<TargetSource>) -> &'static str {
    match source {
        Some(TargetSource::Template) => "template",
        Some(TargetSource::Set) => "set",
        None => "none yet",
    }
}

pub fn target_form(metric: &Metric, cx: &Ctx) -> Result<FormPopup> {
    let currency = cx.store.meta().currency();
    let periods = periods(cx.now.date());
    let mut fields = Vec::new();
    let mut before = Vec::new();
    for p in &periods {
        let current = cx.store.kpis().target(metric, p)?;
        // As the value reads elsewhere (`4,200`, `$2,400,000`): typed back, it reads the same.
        let shown = current.map(|(v, _)| format_value(metric.unit, v, &currency, false)).unwrap_or_default();
        let kind = Kind::Value { metric: Box::new(metric.clone()), currency: currency.clone() };
        fields.push(Field::new(&p.label()).kind(kind).value(&shown).tag(tag(current.map(|(_, s)| s))));
        before.push((shown, tag(current.map(|(_, s)| s))));
    }
    let mut form = Form::new(&format!("Targets for {}", metric.label), fields);
    form.notes = vec![
        "A template target is the role's default: type over it to set your own.".into(),
        "A quarter without its own target adds up its months.".into(),
    ];
    // The current period's month first: the one the dashboard paces against.
    form.focus_at(0);
    let key = metric.key.clone();
    let unchanged = before.clone();
    Ok(FormPopup::new(form, 78, move |f, cx| save(f, cx, &key, &periods, &before))
        .on_change(move |f, _| {
            for (field, (was, tag)) in f.fields.iter_mut().zip(&unchanged) {
                field.tag = if field.value.trim() == was { tag.to_string() } else { "yours once saved".into() };
            }
        })
        .cancelled("targets unchanged"))
}

fn save(f: &Form, cx: &Ctx, metric: &str, periods: &[Period], before: &[(String, &str)]) -> Result<Effect> {
    let mut set = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        let typed = f.get(i);
        // An untouched field keeps what it had: a template value is not made the user's by Enter.
        if typed.is_empty() || typed == before[i].0 {
            continue;
        }
        let checked = cx.store.kpis().check_target(metric, typed, &p.to_string()).context(p.label())?;
        set.push(checked);
    }
    if set.is_empty() {
        return Ok(Effect::Status("targets unchanged".into()));
    }
    cx.store.write(|tx| -> crate::store::error::Result<()> {
        for (m, p, v) in &set {
            tx.kpis().set_target(&m.key, &p.to_string(), *v)?;
        }
        Ok(())
    })?;
    let currency = cx.store.meta().currency();
    let said: Vec<String> = set
        .iter()
        .map(|(m, p, v)| format!("{} {}", p.label(), crate::domain::kpi::format_value(m.unit, *v, &currency, false)))
        .collect();
    Ok(Effect::Saved(format!("targets for {metric} set: {}", said.join(", "))))
}
