//! KPI quick entry (`r`) and edit (`e`): metric with completion, a human date defaulting to
//! today, the value as people type it (read in the metric's unit as it is typed), an optional
//! channel. A `FormPopup`: the same check, words and notice as `kpi record`.

use crate::domain::kpi::{EntryInput, Metric, format_value, today_note};
use crate::error::Result;
use crate::store::kpis::{NewObservation, Observation};
use crate::tui::screen::{Ctx, Effect};
use crate::tui::widgets::form::{Field, Form, Kind};
use crate::tui::widgets::form_popup::FormPopup;

const METRIC: usize = 0;
const DATE: usize = 1;
const VALUE: usize = 2;
const CHANNEL: usize = 3;

/// A new entry (optionally for `metric`), or an edit of `existing`.
pub fn entry_form(
    metrics: Vec<Metric>,
    channels: Vec<String>,
    metric: Option<&str>,
    existing: Option<&Observation>,
    cx: &Ctx,
) -> FormPopup {
    // Ratios are computed from their parts: only base metrics are typed in.
    let base: Vec<Metric> = metrics.into_iter().filter(|m| m.formula.is_none()).collect();
    let keys: Vec<String> = base.iter().map(|m| m.key.clone()).collect();
    let metric = existing.map(|o| o.metric.as_str()).or(metric).filter(|k| keys.iter().any(|x| x == k));
    let mut fields = vec![
        Field::new("Metric").required().choices(keys).value(metric.unwrap_or("")),
        Field::new("Date").required().hint("today, yesterday, -2d, 2026-11-19").date(cx.now.date()).value("today"),
        Field::new("Value").required().hint("1,234  $1,234.50  12.5%"),
        Field::new("Channel").choices(channels).hint("optional: paid-search, email..."),
    ];
    if let Some(o) = existing {
        fields[DATE] = fields[DATE].clone().value(&o.day.to_string());
        fields[VALUE] = fields[VALUE].clone().value(&trim_number(o.value));
        fields[CHANNEL] = fields[CHANNEL].clone().value(&o.channel);
    }
    let title = if existing.is_some() { "Edit KPI value" } else { "Record a KPI value" };
    let mut form = Form::new(title, fields);
    form.focus_at(if metric.is_some() { VALUE } else { METRIC });
    let editing = existing.map(|o| o.id);
    let currency = cx.store.meta().currency();
    FormPopup::new(form, 72, move |f, cx| save(f, cx, editing))
        .on_change(move |f, _| {
            // The value is read in the unit of the metric typed so far.
            let typed = f.fields[METRIC].completion().map(str::to_string).unwrap_or_else(|| f.get(METRIC).to_string());
            f.fields[VALUE].kind = match base.iter().find(|m| m.key.eq_ignore_ascii_case(&typed)) {
                Some(m) => Kind::Value { metric: Box::new(m.clone()), currency: currency.clone() },
                None => Kind::Text,
            };
        })
        .cancelled("nothing recorded")
}

fn save(f: &Form, cx: &Ctx, editing: Option<i64>) -> Result<Effect> {
    // The same check, words and notice as `kpi record`; a refusal names its field.
    let input = EntryInput {
        metric: f.get(METRIC),
        value: f.get(VALUE),
        day: Some(f.get(DATE)),
        channel: Some(f.get(CHANNEL)),
    };
    let (entry, notice) = cx.store.kpis().check_entry(&input, cx.now.date())?;
    let obs = NewObservation::from(&entry);
    let (key, day) = (&entry.metric.key, entry.day);
    let shown = format_value(entry.metric.unit, entry.value, &cx.store.meta().currency(), false);
    let mut msg = match editing {
        Some(id) => {
            cx.store.write(|tx| tx.kpis().update(id, &obs))?;
            format!("updated #{id}: {key} {shown} for {day}")
        }
        None => {
            let id = cx.store.write(|tx| tx.kpis().record(&obs, cx.now))?;
            format!("recorded {key} {shown} for {day} (#{id})")
        }
    };
    if let Some(n) = notice {
        msg.push_str(&format!(" · {n}"));
    }
    if let Some(n) = today_note(day, cx.now.date()) {
        msg.push_str(&format!(" · {n}"));
    }
    Ok(Effect::Saved(msg))
}

/// 1234.0 -> "1234", 12.5 -> "12.5", 1.234 -> "1.234": how a person would have typed it, and
/// exactly the stored value (the shortest text that reads back as it), so saving an edit without
/// touching the value never changes it.
fn trim_number(v: f64) -> String {
    format!("{v}")
}
