//! KPI quick entry (`r`) and edit (`e`): metric with completion, a human date defaulting to
//! today, the value as people type it (checked against the metric's unit), an optional channel.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::kpi::{EntryField, EntryInput, Metric, format_value};
use crate::error::Result;
use crate::store::kpis::{NewObservation, Observation};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal};

const METRIC: &str = "Metric";
const DATE: &str = "Date";
const VALUE: &str = "Value";
const CHANNEL: &str = "Channel";

pub struct EntryPopup {
    form: Form,
    /// The observation being edited, if this is an edit.
    editing: Option<i64>,
}

impl EntryPopup {
    /// A new entry (optionally for `metric`), or an edit of `existing`.
    pub fn new(
        metrics: Vec<Metric>,
        channels: Vec<String>,
        metric: Option<&str>,
        existing: Option<&Observation>,
    ) -> Self {
        // Ratios are computed from their parts: only base metrics are typed in.
        let keys: Vec<String> = metrics.iter().filter(|m| m.formula.is_none()).map(|m| m.key.clone()).collect();
        let metric = existing.map(|o| o.metric.as_str()).or(metric).filter(|k| keys.iter().any(|x| x == k));
        let mut fields = vec![
            Field::new(METRIC).required().choices(keys).value(metric.unwrap_or("")),
            Field::new(DATE).required().hint("today, yesterday, -2d, 2026-11-19").value("today"),
            Field::new(VALUE).required().hint("1,234  $1,234.50  12.5%"),
            Field::new(CHANNEL).choices(channels).hint("optional: paid-search, email..."),
        ];
        if let Some(o) = existing {
            fields[1] = fields[1].clone().value(&o.day.to_string());
            fields[2] = fields[2].clone().value(&trim_number(o.value));
            fields[3] = fields[3].clone().value(&o.channel);
        }
        let title = if existing.is_some() { "Edit KPI value" } else { "Record a KPI value" };
        let mut form = Form::new(title, fields);
        form.focus = if metric.is_some() { 2 } else { 0 };
        EntryPopup { form, editing: existing.map(|o| o.id) }
    }

    fn save(&mut self, cx: &Ctx) -> Result<std::result::Result<Effect, (String, &'static str)>> {
        if let Some(e) = self.form.missing() {
            let label =
                self.form.fields.iter().find(|f| f.required && f.value.trim().is_empty()).map(|f| f.label.clone());
            return Ok(Err((e, if label.as_deref() == Some(METRIC) { METRIC } else { VALUE })));
        }
        // The same check, words and notice as `kpi record`.
        let input = EntryInput {
            metric: self.form.by_label(METRIC),
            value: self.form.by_label(VALUE),
            day: Some(self.form.by_label(DATE)),
            channel: Some(self.form.by_label(CHANNEL)),
        };
        let (entry, notice) = match cx.store.kpis().check_entry(&input, cx.now.date()) {
            Ok(checked) => checked,
            Err(e) if e.field().is_some() => {
                let field = match e.field() {
                    Some(EntryField::METRIC) => METRIC,
                    Some(EntryField::DATE) => DATE,
                    _ => VALUE,
                };
                return Ok(Err((e.to_string(), field)));
            }
            Err(e) => return Err(e.into()),
        };
        let obs = NewObservation::from(&entry);
        let (key, day) = (&entry.metric.key, entry.day);
        let shown = format_value(entry.metric.unit, entry.value, &cx.store.meta().currency(), false);
        let mut msg = match self.editing {
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
        Ok(Ok(Effect::Saved(msg)))
    }
}

/// 1234.0 -> "1234", 12.5 -> "12.5", 1.234 -> "1.234": how a person would have typed it, and
/// exactly the stored value (the shortest text that reads back as it), so saving an edit without
/// touching the value never changes it.
fn trim_number(v: f64) -> String {
    format!("{v}")
}

impl Popup for EntryPopup {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => Ok(PopupOutcome::Continue),
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("nothing recorded".into()))),
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
        let inner = modal(frame, centered(area, 64, h), &self.form.title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }
}
