//! The one keyboard form: labelled one-line fields with completion, for every "new / edit"
//! dialog. Every field in every form follows the same rules (see `docs/architecture.md`):
//!
//! - Tab / Down / Enter accept the completion shown (in grey after the cursor), as it is
//!   spelled in the list: `Da` + Tab is "Dana (Sales)". Del at the end of a field dismisses it.
//! - A prefilled value is shown selected: typing replaces it, Backspace clears it, and the
//!   arrows, Home or End keep it and move into it to edit.
//! - A field of a known kind (a date, a time, an amount, a KPI value) shows what the text
//!   means as you type: `fri` → Fri 27 Nov, or why it cannot be read.
//! - C-u clears the field, C-w deletes a word, BackTab / Up go back a field, Enter submits
//!   from any field, Esc cancels.
//!
//! Validation belongs to the caller, which puts its one-line verdict in `error` and keeps
//! the form open (`FormPopup` does this for dialogs, focusing the field a refusal names).

use chrono::{Datelike, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::text::{safe, truncate, width};
use crate::tui::theme::Theme;

/// What a field holds, so the form can say what the typed text means as it is typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Kind {
    /// Free text.
    #[default]
    Text,
    /// A day as people type it (`fri`, `+3d`, `2026-11-27`), relative to `today`.
    Date { today: NaiveDate },
    /// A time of day, `HH:MM`.
    Time,
    /// An amount of money in the store's currency.
    Amount { currency: String },
    /// A value of `metric` (its unit, and whether a count must be whole).
    Value { metric: Box<crate::domain::kpi::Metric>, currency: String },
}

impl Kind {
    /// What `text` reads as (`Fri 27 Nov`, `$1,250`), or why it cannot be read. Parsed with
    /// the same functions the saving code uses, so the form never promises what is refused.
    pub fn resolve(&self, text: &str) -> Option<Result<String, String>> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let shown = match self {
            Kind::Text => return None,
            Kind::Date { today } => crate::domain::dates::parse_human(text, *today).map(|d| {
                if d.year() == today.year() {
                    d.format("%a %d %b").to_string()
                } else {
                    d.format("%a %d %b %Y").to_string()
                }
            }),
            Kind::Time => crate::domain::dates::parse_time(text).map(|t| t.format("%H:%M").to_string()),
            Kind::Amount { currency } => {
                crate::domain::money::parse_amount(text, currency).map(|c| crate::domain::money::format(c, currency))
            }
            Kind::Value { metric, currency } => crate::domain::kpi::parse_value(metric, text, currency)
                .map(|v| crate::domain::kpi::format_value(metric.unit, v, currency, false)),
        };
        Some(shown.map_err(|e| e.to_string()))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Field {
    pub label: String,
    /// The name a refusal uses for this field (`owner`, `due`...), when it differs from the label.
    pub key: Option<&'static str>,
    pub value: String,
    /// Cursor position in chars.
    pub cursor: usize,
    pub required: bool,
    /// Shown dimmed after an empty field: "fri, +3d, 2026-11-27".
    pub hint: String,
    /// Shown dimmed after the value, whatever it is: "template", "in force".
    pub tag: String,
    /// Completion candidates: the first one starting with what was typed is offered.
    pub choices: Vec<String>,
    pub kind: Kind,
    /// The whole value is selected (a prefilled value, or a field just entered): typing replaces it.
    pub selected: bool,
    /// The completion for the current text was dismissed (Del at the end).
    dismissed: bool,
}

impl Field {
    pub fn new(label: &str) -> Field {
        Field { label: label.into(), ..Field::default() }
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = hint.into();
        self
    }
    pub fn key(mut self, key: &'static str) -> Field {
        self.key = Some(key);
        self
    }
    pub fn tag(mut self, tag: &str) -> Field {
        self.tag = tag.into();
        self
    }
    /// A prefilled value: shown selected, so typing replaces it.
    pub fn value(mut self, v: &str) -> Field {
        self.value = v.into();
        self.cursor = v.chars().count();
        self.selected = !v.is_empty();
        self
    }
    pub fn choices(mut self, c: Vec<String>) -> Field {
        self.choices = c;
        self
    }
    pub fn kind(mut self, kind: Kind) -> Field {
        self.kind = kind;
        self
    }
    /// A date field relative to `today`.
    pub fn date(self, today: NaiveDate) -> Field {
        self.kind(Kind::Date { today })
    }

    /// The choice offered for what is typed, as the list spells it: none for an untouched
    /// prefilled value, for text that already is a choice, or once dismissed.
    pub fn completion(&self) -> Option<&str> {
        if self.value.is_empty() || self.choices.is_empty() || self.selected || self.dismissed {
            return None;
        }
        let typed = self.value.to_lowercase();
        if self.choices.iter().any(|c| c.to_lowercase() == typed) {
            return None;
        }
        self.choices.iter().find(|c| c.to_lowercase().starts_with(&typed)).map(String::as_str)
    }

    /// The part of the completion not typed yet, for drawing after the cursor.
    fn completion_rest(&self) -> Option<String> {
        self.completion().map(|c| c.chars().skip(self.value.chars().count()).collect())
    }

    /// Take the offered completion, spelled as the list spells it.
    fn accept_completion(&mut self) {
        if let Some(c) = self.completion().map(str::to_string) {
            self.set(&c);
        }
    }

    fn set(&mut self, v: &str) {
        self.value = v.to_string();
        self.cursor = v.chars().count();
        self.selected = false;
        self.dismissed = false;
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.value.char_indices().nth(char_idx).map(|(b, _)| b).unwrap_or(self.value.len())
    }

    fn insert(&mut self, s: &str) {
        if self.selected {
            self.set("");
        }
        let at = self.byte_at(self.cursor);
        // Fields are one line: pasted newlines and tabs become spaces.
        let clean: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        self.value.insert_str(at, &clean);
        self.cursor += clean.chars().count();
        self.dismissed = false;
    }

    /// Entering a field selects what it holds, as a prefilled value is.
    fn enter(&mut self) {
        self.selected = !self.value.is_empty();
        self.cursor = self.value.chars().count();
    }

    /// Apply one editing key; false when the key is not an editing key.
    fn edit(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let end = self.value.chars().count();
        match key.code {
            KeyCode::Left => {
                self.selected = false;
                self.cursor = self.cursor.saturating_sub(1);
            }
            KeyCode::Right if self.cursor == end && self.completion().is_some() => self.accept_completion(),
            KeyCode::Right => {
                self.selected = false;
                self.cursor = (self.cursor + 1).min(end);
            }
            KeyCode::Home => {
                self.selected = false;
                self.cursor = 0;
            }
            KeyCode::End => {
                self.selected = false;
                self.cursor = end;
            }
            KeyCode::Backspace | KeyCode::Delete if self.selected => self.set(""),
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
                self.dismissed = false;
            }
            KeyCode::Delete if self.cursor < end => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            // Del at the end: the text stays as typed, without the completion offered for it.
            KeyCode::Delete => self.dismissed = true,
            KeyCode::Char('u') if ctrl => self.set(""),
            KeyCode::Char('w') if ctrl && self.selected => self.set(""),
            KeyCode::Char('w') if ctrl => {
                let before: String = self.value.chars().take(self.cursor).collect();
                let kept = before.trim_end().rfind(' ').map(|i| i + 1).unwrap_or(0);
                let kept_chars = before[..kept].chars().count();
                let after: String = self.value.chars().skip(self.cursor).collect();
                self.value = format!("{}{after}", &before[..kept]);
                self.cursor = kept_chars;
                self.dismissed = false;
            }
            KeyCode::Char(c) if !ctrl => self.insert(&c.to_string()),
            _ => return false,
        }
        true
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    /// Still editing.
    Editing,
    /// Enter: the caller validates and saves (or sets `error`).
    Submit,
    /// Esc: nothing is saved.
    Cancel,
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Extra lines shown under the fields (a preview of the effect, a warning).
    pub notes: Vec<String>,
    /// The owner hands Ctrl-E to `$EDITOR` for long text: say so in the key line.
    pub long_text: bool,
    /// The key line's words when they are not a form's ("Enter run" in the command palette).
    pub keys: Option<Vec<(&'static str, &'static str)>>,
}

impl Form {
    pub fn new(title: &str, fields: Vec<Field>) -> Form {
        Form { title: title.into(), fields, ..Form::default() }
    }

    /// The trimmed value of field `i`.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(|f| f.value.trim()).unwrap_or("")
    }

    /// The value of the field labelled `label`.
    pub fn by_label(&self, label: &str) -> &str {
        self.fields.iter().find(|f| f.label == label).map(|f| f.value.trim()).unwrap_or("")
    }

    /// The first required field left empty, as an error naming it.
    pub fn missing(&self) -> Option<String> {
        self.fields.iter().find(|f| f.required && f.value.trim().is_empty()).map(|f| format!("{} is required", f.label))
    }

    /// The index of the first required field left empty.
    pub fn missing_at(&self) -> Option<usize> {
        self.fields.iter().position(|f| f.required && f.value.trim().is_empty())
    }

    /// Focus field `i` (its value selected, as on entering it with Tab).
    pub fn focus_at(&mut self, i: usize) {
        if let Some(f) = self.fields.get_mut(i) {
            f.enter();
            self.focus = i;
        }
    }

    /// Focus the field labelled `label` (to point at what was wrong).
    pub fn focus_label(&mut self, label: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.label == label) {
            self.focus_at(i);
        }
    }

    /// Focus the field a refusal names (`Error::field()`): by its key, else by its label in any case.
    pub fn focus_named(&mut self, name: &str) -> bool {
        let found = self
            .fields
            .iter()
            .position(|f| f.key == Some(name))
            .or_else(|| self.fields.iter().position(|f| f.label.eq_ignore_ascii_case(name)));
        if let Some(i) = found {
            self.focus_at(i);
        }
        found.is_some()
    }

    /// The focused field's text, for `$EDITOR`.
    pub fn focused_value(&self) -> String {
        self.fields.get(self.focus).map(|f| f.value.clone()).unwrap_or_default()
    }

    /// Replace the focused field with what was written in `$EDITOR`, kept as written
    /// (newlines included); trailing newlines an editor adds are dropped.
    pub fn set_focused_value(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.set(text.trim_end_matches(['\n', '\r']));
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.insert(text);
        }
    }

    pub fn handle(&mut self, key: KeyEvent) -> FormEvent {
        let n = self.fields.len().max(1);
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Cancel };
        match key.code {
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Enter => {
                // What is on screen is what is saved: the completion shown is part of it.
                f.accept_completion();
                return FormEvent::Submit;
            }
            KeyCode::Tab | KeyCode::Down => {
                f.accept_completion();
                f.selected = false;
                let next = (self.focus + 1) % n;
                self.focus_at(next);
            }
            KeyCode::BackTab | KeyCode::Up => {
                f.selected = false;
                let prev = (self.focus + n - 1) % n;
                self.focus_at(prev);
            }
            _ => {
                f.edit(key);
            }
        }
        self.error = None;
        FormEvent::Editing
    }

    /// Height the form wants: one line per field, notes, the error, the key line, and one
    /// spare for a line that wraps.
    pub fn height(&self) -> u16 {
        (self.fields.len() + self.notes.len() + usize::from(self.error.is_some()) + 2) as u16
    }

    fn field_line(&self, i: usize, f: &Field, label_w: usize, value_w: usize, theme: &Theme) -> Line<'static> {
        let focused = i == self.focus;
        let mark = if f.required { "*" } else { " " };
        let label = format!("{:>w$}{mark} ", f.label, w = label_w - 1);
        let mut spans = vec![Span::styled(label, if focused { theme.current() } else { theme.dim() })];
        let shown = safe(&f.value);
        // Keep the cursor in view on long values: show the tail.
        let chars: Vec<char> = shown.chars().collect();
        let start = f.cursor.saturating_sub(value_w.saturating_sub(2));
        let visible: String = chars.iter().skip(start).collect();
        let visible = truncate(&visible, value_w).into_owned();
        if focused && f.selected {
            // Selected as a whole: what typing will replace.
            spans.push(Span::styled(visible, theme.selected()));
            spans.push(Span::raw(" "));
        } else if focused {
            let cur = f.cursor - start;
            let before: String = visible.chars().take(cur).collect();
            let at: String = visible.chars().skip(cur).take(1).collect();
            let after: String = visible.chars().skip(cur + 1).collect();
            spans.push(Span::raw(before));
            let at = if at.is_empty() { " ".to_string() } else { at };
            spans.push(Span::styled(at, theme.selected()));
            spans.push(Span::raw(after));
            if let Some(rest) = f.completion_rest() {
                spans.push(Span::styled(safe(&rest).into_owned(), theme.dim().add_modifier(Modifier::ITALIC)));
            }
        } else {
            spans.push(Span::raw(visible));
        }
        if f.value.is_empty() && !f.hint.is_empty() {
            spans.push(Span::styled(format!(" {}", f.hint), theme.dim()));
        }
        // What the text reads as, with the completion taken if it would be.
        let meant = f.completion().map(str::to_string).unwrap_or_else(|| f.value.clone());
        match f.kind.resolve(&meant) {
            Some(Ok(v)) if !v.eq_ignore_ascii_case(meant.trim()) => {
                spans.push(Span::styled(format!("  → {}", safe(&v)), theme.accent()))
            }
            Some(Err(why)) if focused => spans.push(Span::styled(format!("  ✗ {}", safe(&why)), theme.warn())),
            _ => {}
        }
        if !f.tag.is_empty() {
            spans.push(Span::styled(format!("  ({})", safe(&f.tag)), theme.dim()));
        }
        Line::from(spans)
    }

    /// Draw the fields inside `area` (the caller draws the modal frame).
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let label_w = self.fields.iter().map(|f| width(&f.label)).max().unwrap_or(0) + 2;
        let value_w = (area.width as usize).saturating_sub(label_w + 1).max(1);
        let mut lines: Vec<Line> =
            self.fields.iter().enumerate().map(|(i, f)| self.field_line(i, f, label_w, value_w, theme)).collect();
        for n in &self.notes {
            lines.push(Line::from(Span::styled(safe(n).into_owned(), theme.accent())));
        }
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(format!("✗ {}", safe(e)), theme.bad())));
        }
        let keys = self.keys.clone().unwrap_or_else(|| {
            vec![("Enter", "save"), ("Tab", "next field / take completion"), ("C-u", "clear"), ("Esc", "cancel")]
        });
        let mut spans = Vec::new();
        for (i, (k, what)) in keys.into_iter().enumerate() {
            let gap = if i == 0 { "" } else { "  " };
            spans.push(Span::styled(format!("{gap}{k}"), theme.key()));
            spans.push(Span::raw(format!(" {what}")));
        }
        lines.push(Line::from(spans));
        if self.long_text
            && let Some(keys) = lines.last_mut()
        {
            keys.spans.push(Span::styled("  C-e", theme.key()));
            keys.spans.push(Span::raw(" write it in $EDITOR"));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn type_text(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.handle(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn typing_moving_and_submitting() {
        let mut f = Form::new("t", vec![Field::new("Decision").required(), Field::new("Owner").required()]);
        type_text(&mut f, "Ship it");
        assert_eq!(f.missing().as_deref(), Some("Owner is required"));
        f.handle(key(KeyCode::Tab));
        type_text(&mut f, "Sam");
        assert_eq!(f.handle(key(KeyCode::Enter)), FormEvent::Submit);
        assert_eq!((f.get(0), f.get(1)), ("Ship it", "Sam"));
        assert_eq!(f.handle(key(KeyCode::Esc)), FormEvent::Cancel);
    }

    #[test]
    fn tab_and_enter_take_the_completion_as_the_list_spells_it() {
        let owners = vec!["Dana (Sales)".to_string(), "Samantha".to_string()];
        let mut f = Form::new("t", vec![Field::new("Owner").choices(owners.clone()), Field::new("Due")]);
        type_text(&mut f, "sa");
        assert_eq!(f.fields[0].completion(), Some("Samantha"));
        f.handle(key(KeyCode::Tab));
        assert_eq!(f.get(0), "Samantha");
        assert_eq!(f.focus, 1);

        let mut f = Form::new("t", vec![Field::new("Owner").choices(owners)]);
        type_text(&mut f, "Da");
        assert_eq!(f.handle(key(KeyCode::Enter)), FormEvent::Submit);
        assert_eq!(f.get(0), "Dana (Sales)", "Enter saves what the screen shows, not the prefix");
    }

    #[test]
    fn a_choice_typed_in_full_or_a_dismissed_one_is_kept_as_typed() {
        let mut f = Form::new("t", vec![Field::new("Owner").choices(vec!["Samantha".into(), "Sam".into()])]);
        type_text(&mut f, "sam");
        assert_eq!(f.fields[0].completion(), None, "'sam' is a choice itself");
        f.handle(key(KeyCode::Backspace));
        assert_eq!(f.fields[0].completion(), Some("Samantha"));
        f.handle(key(KeyCode::Delete));
        assert_eq!(f.fields[0].completion(), None, "Del at the end dismisses it");
        f.handle(key(KeyCode::Enter));
        assert_eq!(f.get(0), "sa");
    }

    #[test]
    fn typing_over_a_prefilled_value_replaces_it_and_arrows_edit_it() {
        let mut f = Form::new("t", vec![Field::new("Date").value("today"), Field::new("Note").value("draft")]);
        type_text(&mut f, "yesterday");
        assert_eq!(f.get(0), "yesterday", "not 'todayyesterday'");
        f.handle(key(KeyCode::Tab));
        f.handle(key(KeyCode::End));
        type_text(&mut f, " two");
        assert_eq!(f.get(1), "draft two");
        f.handle(key(KeyCode::BackTab));
        f.handle(key(KeyCode::Backspace));
        assert_eq!(f.get(0), "", "Backspace on a selected value clears it");
        type_text(&mut f, "x");
        f.handle(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(f.get(0), "", "C-u clears");
    }

    #[test]
    fn a_date_field_says_what_the_phrase_means() {
        let fri = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let k = Kind::Date { today: fri };
        assert_eq!(k.resolve("fri"), Some(Ok("Fri 27 Nov".to_string())));
        assert_eq!(k.resolve("+2m"), Some(Ok("Wed 20 Jan 2027".to_string())));
        assert!(matches!(k.resolve("someday"), Some(Err(why)) if why.contains("not a date")));
        assert_eq!(k.resolve(""), None);
        let amount = Kind::Amount { currency: "USD".into() };
        assert_eq!(amount.resolve("1250.5"), Some(Ok("$1,250.50".to_string())));
    }

    #[test]
    fn editing_in_the_middle_handles_wide_characters() {
        let mut f = Form::new("t", vec![Field::new("Name")]);
        type_text(&mut f, "発売日");
        f.handle(key(KeyCode::Left));
        f.handle(key(KeyCode::Backspace));
        assert_eq!(f.get(0), "発日");
        f.paste("a\nb");
        assert_eq!(f.get(0), "発a b日");
    }
}
