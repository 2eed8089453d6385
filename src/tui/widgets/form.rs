//! A keyboard form: labelled one-line fields with completion, for every "new / edit" dialog.
//!
//! Tab / Down next field (accepting a shown completion), BackTab / Up previous,
//! Enter submits from any field, Esc cancels. Validation belongs to the caller,
//! which puts its one-line verdict in `error` and keeps the form open.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::text::{safe, truncate, width};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Default)]
pub struct Field {
    pub label: String,
    pub value: String,
    /// Cursor position in chars.
    pub cursor: usize,
    pub required: bool,
    /// Shown dimmed after an empty field: "fri, +3d, 2026-11-27".
    pub hint: String,
    /// Completion candidates: the first one starting with what was typed is offered.
    pub choices: Vec<String>,
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
    pub fn value(mut self, v: &str) -> Field {
        self.value = v.into();
        self.cursor = v.chars().count();
        self
    }
    pub fn choices(mut self, c: Vec<String>) -> Field {
        self.choices = c;
        self
    }

    /// The completion offered for what is typed, if any (the untyped rest).
    pub fn completion(&self) -> Option<String> {
        if self.value.is_empty() || self.choices.is_empty() {
            return None;
        }
        let typed = self.value.to_lowercase();
        self.choices
            .iter()
            .find(|c| c.to_lowercase().starts_with(&typed) && c.len() > self.value.len())
            .map(|c| c.chars().skip(self.value.chars().count()).collect())
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.value.char_indices().nth(char_idx).map(|(b, _)| b).unwrap_or(self.value.len())
    }

    fn insert(&mut self, s: &str) {
        let at = self.byte_at(self.cursor);
        // Fields are one line: pasted newlines and tabs become spaces.
        let clean: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        self.value.insert_str(at, &clean);
        self.cursor += clean.chars().count();
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

    /// Focus the field labelled `label` (to point at what was wrong).
    pub fn focus_label(&mut self, label: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.label == label) {
            self.focus = i;
        }
    }

    /// The focused field's text, for `$EDITOR`.
    pub fn focused_value(&self) -> String {
        self.fields.get(self.focus).map(|f| f.value.clone()).unwrap_or_default()
    }

    /// Replace the focused field with what was written in `$EDITOR`, kept as written
    /// (newlines included); trailing newlines an editor adds are dropped.
    pub fn set_focused_value(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            *f = f.clone().value(text.trim_end_matches(['\n', '\r']));
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.insert(text);
        }
    }

    pub fn handle(&mut self, key: KeyEvent) -> FormEvent {
        let n = self.fields.len();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Cancel };
        match key.code {
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Enter => return FormEvent::Submit,
            KeyCode::Tab | KeyCode::Down => {
                if let Some(rest) = f.completion() {
                    f.insert(&rest);
                }
                self.focus = (self.focus + 1) % n.max(1);
            }
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n.max(1) - 1) % n.max(1),
            KeyCode::Left => f.cursor = f.cursor.saturating_sub(1),
            KeyCode::Right => {
                if f.cursor == f.value.chars().count() {
                    if let Some(rest) = f.completion() {
                        f.insert(&rest);
                    }
                } else {
                    f.cursor += 1;
                }
            }
            KeyCode::Home => f.cursor = 0,
            KeyCode::End => f.cursor = f.value.chars().count(),
            KeyCode::Backspace if f.cursor > 0 => {
                let at = f.byte_at(f.cursor - 1);
                f.value.remove(at);
                f.cursor -= 1;
            }
            KeyCode::Delete if f.cursor < f.value.chars().count() => {
                let at = f.byte_at(f.cursor);
                f.value.remove(at);
            }
            KeyCode::Char('u') if ctrl => {
                f.value.clear();
                f.cursor = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let before: String = f.value.chars().take(f.cursor).collect();
                let kept = before.trim_end().rfind(' ').map(|i| i + 1).unwrap_or(0);
                let kept_chars = before[..kept].chars().count();
                let after: String = f.value.chars().skip(f.cursor).collect();
                f.value = format!("{}{after}", &before[..kept]);
                f.cursor = kept_chars;
            }
            KeyCode::Char(c) if !ctrl => f.insert(&c.to_string()),
            _ => {}
        }
        self.error = None;
        FormEvent::Editing
    }

    /// Height the form wants: one line per field, notes, error, and the key line.
    pub fn height(&self) -> u16 {
        (self.fields.len() + self.notes.len() + 3) as u16
    }

    /// Draw the fields inside `area` (the caller draws the modal frame).
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let label_w = self.fields.iter().map(|f| width(&f.label)).max().unwrap_or(0) + 2;
        let value_w = (area.width as usize).saturating_sub(label_w + 1).max(1);
        let mut lines: Vec<Line> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
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
            if focused {
                let cur = f.cursor - start;
                let before: String = visible.chars().take(cur).collect();
                let at: String = visible.chars().skip(cur).take(1).collect();
                let after: String = visible.chars().skip(cur + 1).collect();
                spans.push(Span::raw(before));
                let at = if at.is_empty() { " ".to_string() } else { at };
                spans.push(Span::styled(at, theme.selected()));
                spans.push(Span::raw(after));
                if let Some(rest) = f.completion() {
                    spans.push(Span::styled(safe(&rest).into_owned(), theme.dim().add_modifier(Modifier::ITALIC)));
                }
            } else {
                spans.push(Span::raw(visible));
            }
            if f.value.is_empty() && !f.hint.is_empty() {
                spans.push(Span::styled(format!(" {}", f.hint), theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        for n in &self.notes {
            lines.push(Line::from(Span::styled(safe(n).into_owned(), theme.accent())));
        }
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(format!("✗ {}", safe(e)), theme.bad())));
        }
        lines.push(Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::raw(" save  "),
            Span::styled("Tab", theme.key()),
            Span::raw(" next field  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" cancel"),
        ]));
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
    fn tab_accepts_the_offered_completion() {
        let mut f = Form::new("t", vec![Field::new("Owner").choices(vec!["Samantha".into()]), Field::new("Due")]);
        type_text(&mut f, "sa");
        assert_eq!(f.fields[0].completion().as_deref(), Some("mantha"));
        f.handle(key(KeyCode::Tab));
        assert_eq!(f.get(0), "samantha");
        assert_eq!(f.focus, 1);
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
