//! KPI quick entry (`r`) and edit (`e`): metric with completion, a human date defaulting to
//! today, the value as people type it (checked against the metric's unit), an optional channel.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::dates::parse_human;
use crate::domain::kpi::{Metric, format_value, parse_value};
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
    metrics: Vec<Metric>,
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
        EntryPopup { form, metrics, editing: existing.map(|o| o.id) }
    }

    fn save(&mut self, cx: &Ctx) -> Result<std::result::Result<Effect, (String, &'static str)>> {
        if let Some(e) = self.form.missing() {
            let label =
                self.form.fields.iter().find(|f| f.required && f.value.trim().is_empty()).map(|f| f.label.clone());
            return Ok(Err((e, if label.as_deref() == Some(METRIC) { METRIC } else { VALUE })));
        }
        let key = self.form.by_label(METRIC).to_string();
        let Some(m) = self.metrics.iter().find(|m| m.key.eq_ignore_ascii_case(&key)).cloned() else {
            // The store's own error lists the close matches.
            let msg = cx
                .store
                .kpis()
                .metric(&key)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_else(|| format!("unknown metric '{key}'"));
            return Ok(Err((msg, METRIC)));
        };
        if let Some(f) = &m.formula {
            return Ok(Err((format!("{} is computed from {f}; record those instead", m.key), METRIC)));
        }
        let day = match parse_human(self.form.by_label(DATE), cx.now.date()) {
            Ok(d) => d,
            Err(e) => return Ok(Err((e.to_string(), DATE))),
        };
        let typed = self.form.by_label(VALUE);
        let value = match crate::domain::money::check_currency(typed, &cx.store.meta().currency())
            .and_then(|()| parse_value(m.unit, typed))
        {
            Ok(v) => v,
            Err(e) => return Ok(Err((e.to_string(), VALUE))),
        };
        let obs =
            NewObservation { metric: m.key.clone(), day, channel: self.form.by_label(CHANNEL).to_string(), value };
        let shown = format_value(m.unit, value, &cx.store.meta().currency(), false);
        let msg = match self.editing {
            Some(id) => {
                cx.store.write(|tx| tx.kpis().update(id, &obs))?;
                format!("updated #{id}: {} {shown} for {day}", m.key)
            }
            None => {
                let id = cx.store.write(|tx| tx.kpis().record(&obs, cx.now))?;
                format!("recorded {} {shown} for {day} (#{id})", m.key)
            }
        };
        Ok(Ok(Effect::Saved(msg)))
    }
}

/// 1234.0 -> "1234", 12.5 -> "12.5": how a person would have typed it.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
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
