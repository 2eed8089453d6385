//! Editing a decision: its text, owner, due day, risk and recommendation, with every change
//! kept in the decision's history (`decision_change`). The one check and write behind
//! `decision edit` and the cockpit's edit form (`e` on the decision log).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use serde::Serialize;

use super::decisions::Decisions;
use super::tx::Write;
use super::{fmt_day, fmt_instant};
use crate::domain::dates::parse_human;
use crate::domain::error::Error as Refusal;
use crate::domain::model::DecisionStatus;
use crate::store::error::{Error, Result};

/// What to change; `None` leaves a field as it is. `due: Some(None)` removes the due day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecisionEdit {
    pub title: Option<String>,
    pub owner: Option<String>,
    pub due: Option<Option<NaiveDate>>,
    pub risk: Option<String>,
    pub recommendation: Option<String>,
}

/// The edit as typed, each part optional (a flag not given, or a form field left as it was).
#[derive(Debug, Clone, Copy, Default)]
pub struct EditInput<'a> {
    pub title: Option<&'a str>,
    pub owner: Option<&'a str>,
    /// `fri`, `+3d`, `2026-11-27`; empty or `none` removes the due day.
    pub due: Option<&'a str>,
    pub risk: Option<&'a str>,
    pub recommendation: Option<&'a str>,
}

impl DecisionEdit {
    /// Read an edit as typed: a decision keeps its text and its owner (a refusal names the field,
    /// as for a new decision); the due day is read as people type it.
    pub fn parse(input: &EditInput<'_>, today: NaiveDate) -> Result<DecisionEdit> {
        let text = |s: Option<&str>| s.map(|s| s.trim().to_string());
        let title = text(input.title);
        if title.as_deref() == Some("") {
            return Err(Refusal::input("the decision is required").in_field("decision").into());
        }
        let owner = text(input.owner);
        if owner.as_deref() == Some("") {
            return Err(Refusal::input("an owner is required: who owns this?").in_field("owner").into());
        }
        let due = match input.due.map(str::trim) {
            None => None,
            Some("") | Some("none") | Some("-") => Some(None),
            Some(s) => Some(Some(parse_human(s, today).map_err(|e| e.in_field("due"))?)),
        };
        Ok(DecisionEdit { title, owner, due, risk: text(input.risk), recommendation: text(input.recommendation) })
    }

    pub fn is_empty(&self) -> bool {
        *self == DecisionEdit::default()
    }
}

/// One change in a decision's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionChange {
    pub at: NaiveDateTime,
    /// `title`, `owner`, `due`, `risk` or `recommendation`.
    pub field: String,
    pub from: String,
    pub to: String,
}

impl DecisionChange {
    /// "owner Sam → Dana", "due 2026-11-27 → none": how the history reads.
    pub fn describe(&self) -> String {
        let shown = |s: &str| if s.is_empty() { "none".to_string() } else { s.to_string() };
        let field = if self.field == "title" { "text" } else { self.field.as_str() };
        format!("{field} {} → {}", shown(&self.from), shown(&self.to))
    }
}

impl<M> Decisions<'_, M> {
    /// Every change made to decision `id`, oldest first.
    pub fn history(&self, id: i64) -> Result<Vec<DecisionChange>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT at, field, old_value, new_value FROM decision_change WHERE decision_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(DecisionChange {
                at: super::launches::parse_instant(&r.get::<_, String>(0)?),
                field: r.get(1)?,
                from: r.get(2)?,
                to: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Decisions<'_, Write> {
    /// Apply `edit` to decision `id`, keeping each changed field's old value in its history.
    /// A reversed or superseded decision is history itself and is refused. Returns the changes
    /// made (none when every value given is the one it already has).
    pub fn edit(&self, id: i64, edit: &DecisionEdit, now: NaiveDateTime) -> Result<Vec<DecisionChange>> {
        let d = self.get(id)?;
        if matches!(d.status, DecisionStatus::Reversed | DecisionStatus::Superseded) {
            let newer = d.superseded_by.map(|n| format!("; edit #{n} instead")).unwrap_or_default();
            return Err(Error::input(format!("decision #{id} is {}: it stays as it was{newer}", d.status)));
        }
        let day = |x: Option<NaiveDate>| x.map(fmt_day).unwrap_or_default();
        let wanted: [(&str, &str, String, Option<String>); 5] = [
            ("title", "title", d.title.clone(), edit.title.clone()),
            ("owner", "owner", d.owner.clone(), edit.owner.clone()),
            ("due", "due", day(d.due), edit.due.map(day)),
            ("risk", "risk", d.risk.clone(), edit.risk.clone()),
            ("recommendation", "recommendation", d.recommendation.clone(), edit.recommendation.clone()),
        ];
        let tx = self.db.conn();
        let mut changes = Vec::new();
        for (field, column, old, new) in wanted {
            let Some(new) = new.filter(|n| *n != old) else { continue };
            let stored: Option<&str> = if field == "due" && new.is_empty() { None } else { Some(&new) };
            // `column` comes from the fixed list above, never from input.
            tx.execute(&format!("UPDATE decision SET {column} = ?2 WHERE id = ?1"), params![id, stored])?;
            tx.execute(
                "INSERT INTO decision_change(decision_id, at, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, fmt_instant(now), field, old, new],
            )?;
            changes.push(DecisionChange { at: now, field: field.into(), from: old, to: new });
        }
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::decisions::NewDecision;

    #[test]
    fn an_edit_changes_what_was_typed_and_keeps_what_it_was() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T11:10").unwrap();
        let d = NewDecision { title: "Test a gated ROI calculater".into(), owner: "Sam".into(), ..Default::default() };
        let id = s.write(|tx| tx.decisions().add(&d, now)).unwrap();
        let input = EditInput {
            title: Some("Test a gated ROI calculator"),
            owner: Some("Sam"),
            due: Some("fri"),
            ..EditInput::default()
        };
        let edit = DecisionEdit::parse(&input, now.date()).unwrap();
        let changes = s.write(|tx| tx.decisions().edit(id, &edit, now)).unwrap();
        let said: Vec<String> = changes.iter().map(DecisionChange::describe).collect();
        assert_eq!(said, ["text Test a gated ROI calculater → Test a gated ROI calculator", "due none → 2026-11-27"]);
        let got = s.decisions().get(id).unwrap();
        assert_eq!(
            (got.title.as_str(), got.due.map(fmt_day)),
            ("Test a gated ROI calculator", Some("2026-11-27".into()))
        );
        assert_eq!(s.decisions().history(id).unwrap(), changes, "kept in its history");

        let clear = DecisionEdit::parse(&EditInput { due: Some("none"), ..EditInput::default() }, now.date()).unwrap();
        s.write(|tx| tx.decisions().edit(id, &clear, now)).unwrap();
        assert_eq!(s.decisions().get(id).unwrap().due, None);

        let e = DecisionEdit::parse(&EditInput { owner: Some(" "), ..EditInput::default() }, now.date()).unwrap_err();
        assert_eq!(e.field(), Some("owner"));
        let e = DecisionEdit::parse(&EditInput { due: Some("someday"), ..EditInput::default() }, now.date());
        assert_eq!(e.unwrap_err().field(), Some("due"));
    }

    #[test]
    fn a_superseded_decision_is_not_edited() {
        let s = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T11:10").unwrap();
        let d = NewDecision { title: "A".into(), owner: "Sam".into(), ..Default::default() };
        let old = s.write(|tx| tx.decisions().add(&d, now)).unwrap();
        let new = s.write(|tx| tx.decisions().supersede(old, &d, now)).unwrap();
        let edit = DecisionEdit { owner: Some("Dana".into()), ..DecisionEdit::default() };
        let e = s.write(|tx| tx.decisions().edit(old, &edit, now)).unwrap_err().to_string();
        assert!(e.contains("superseded") && e.contains(&format!("edit #{new} instead")), "{e}");
    }
}
