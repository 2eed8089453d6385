//! `:` the command palette, over any screen: `import FILE` (its dry run, then y to import),
//! `export WHAT --out FILE`, `report exec --out FILE`, `backup FILE`. Tab completes command names
//! and file paths; the line is edited by the one form widget (C-u clears). A command runs as a
//! background job with a "working…" line (and, for an import, how many facts are written);
//! a refusal is the command line's one `error:` line, and the palette stays open to fix it.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::error::Result;
use crate::keymap::Action;
use crate::tui::jobs::{Job, JobResult, PaletteJob};
use crate::tui::palette::{COMMANDS, Command, Progress, Said, common_prefix, completions};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::{centered, modal, text};

enum State {
    Editing,
    Working {
        what: String,
        since: Instant,
        progress: Arc<Progress>,
    },
    /// An import's dry run is shown: y imports the file, n leaves it.
    Confirm {
        command: Command,
        report: String,
    },
    /// A report to read (an import's, or a refused file's problems); any key closes it.
    Shown {
        text: String,
        is_error: bool,
        saved: Option<String>,
    },
}

pub struct Palette {
    form: Form,
    state: State,
    /// Candidates Tab found that share no longer start: listed under the line.
    candidates: Vec<String>,
    job: Option<Job>,
}

impl Palette {
    pub fn new() -> Palette {
        let mut form = Form::new("Command", vec![Field::new(":").hint("import, export, report exec, backup")]);
        form.keys = Some(vec![("Enter", "run"), ("Tab", "complete"), ("C-u", "clear"), ("Esc", "close")]);
        Palette { form, state: State::Editing, candidates: Vec::new(), job: None }
    }

    fn line(&self) -> String {
        self.form.fields.first().map(|f| f.value.clone()).unwrap_or_default()
    }

    fn set_line(&mut self, line: &str) {
        self.form.set_focused_value(line);
        self.offer();
    }

    /// The completion shown in grey: only when one candidate is left, so Enter never runs a guess.
    fn offer(&mut self) {
        let line = self.line();
        let cands = completions(&line);
        if let Some(f) = self.form.fields.first_mut() {
            f.choices = if cands.len() == 1 { cands } else { Vec::new() };
        }
    }

    fn tab(&mut self) {
        let line = self.line();
        let cands = completions(&line);
        self.candidates.clear();
        match cands.len() {
            0 => self.form.error = Some("nothing to complete".into()),
            1 => self.set_line(&cands[0]),
            _ => {
                let shared = common_prefix(&cands);
                if shared.chars().count() > line.chars().count() {
                    self.set_line(&shared);
                }
                self.candidates = cands;
            }
        }
    }

    fn start(&mut self, command: Command, cx: &Ctx) {
        let progress = Arc::new(Progress::default());
        self.state = State::Working { what: command.working(), since: Instant::now(), progress: progress.clone() };
        self.job = Some(Job::Palette(Box::new(PaletteJob { command, config: cx.config.clone(), progress })));
    }

    /// The job's answer: the next state, or the palette closes with an effect.
    pub fn done(&mut self, command: Command, said: Said) -> PopupOutcome {
        match (command, said) {
            // Already imported: nothing to confirm.
            (Command::Import { dry_run: true, .. }, Said::Done(report))
                if report.contains(": already imported as #") =>
            {
                self.state = State::Shown { text: report, is_error: false, saved: None };
                PopupOutcome::Continue
            }
            (Command::Import { file, preset, date_order, dry_run: true }, Said::Done(report)) => {
                let command = Command::Import { file, preset, date_order, dry_run: false };
                self.state = State::Confirm { command, report };
                PopupOutcome::Continue
            }
            (Command::Import { .. }, Said::Done(report)) => {
                let first = report.lines().next().unwrap_or_default().to_string();
                self.state = State::Shown { text: report, is_error: false, saved: Some(first) };
                PopupOutcome::Continue
            }
            (_, Said::Done(msg)) => PopupOutcome::Close(Effect::Saved(msg)),
            (_, Said::Failed { line, list: Some(list) }) => {
                self.state = State::Shown { text: format!("{line}\n\n{list}"), is_error: true, saved: None };
                PopupOutcome::Continue
            }
            (_, Said::Failed { line, list: None }) => {
                self.state = State::Editing;
                self.form.error = Some(line);
                PopupOutcome::Continue
            }
        }
    }
}

/// The rows `lines` take wrapped inside a modal `w` wide, with its border.
fn rows(lines: &[Line], w: u16) -> u16 {
    let inner = usize::from(w.saturating_sub(2)).max(1);
    let n: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    n as u16 + 2
}

impl Default for Palette {
    fn default() -> Self {
        Palette::new()
    }
}

/// A palette command finished after its palette was closed: the footer says how it went.
pub fn said_in_footer(command: &Command, said: Said) -> Effect {
    match (command, said) {
        (Command::Import { dry_run: true, .. }, Said::Done(report)) => Effect::Status(format!(
            "{}; nothing imported (the palette was closed)",
            report.lines().next().unwrap_or_default()
        )),
        (_, Said::Done(msg)) => Effect::Saved(msg.lines().next().unwrap_or_default().to_string()),
        (_, Said::Failed { line, .. }) => Effect::Error(line),
    }
}

impl Popup for Palette {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match &mut self.state {
            State::Working { .. } => {
                // The work goes on; its outcome comes to the footer.
                return Ok(if key.code == KeyCode::Esc {
                    PopupOutcome::Close(Effect::Status("still working: the outcome will show here".into()))
                } else {
                    PopupOutcome::Continue
                });
            }
            State::Confirm { command, .. } => {
                return Ok(match cx.config.keymap.action("confirm", &key) {
                    Some(Action::Yes) => {
                        let command = command.clone();
                        self.start(command, cx);
                        PopupOutcome::Continue
                    }
                    Some(Action::No) => PopupOutcome::Close(Effect::Status("not imported; nothing changed".into())),
                    _ => PopupOutcome::Continue,
                });
            }
            State::Shown { saved, .. } => {
                return Ok(PopupOutcome::Close(match saved.take() {
                    Some(msg) => Effect::Saved(msg),
                    None => Effect::None,
                }));
            }
            State::Editing => {}
        }
        self.form.error = None;
        match key.code {
            KeyCode::Esc => return Ok(PopupOutcome::Close(Effect::None)),
            KeyCode::Tab => self.tab(),
            KeyCode::Enter => {
                // What is on screen runs: the completion shown is part of the line.
                if let Some(c) = self.form.fields.first().and_then(|f| f.completion()).map(str::to_string) {
                    self.form.set_focused_value(&c);
                }
                self.candidates.clear();
                match Command::parse(&self.line()) {
                    Ok(command) => self.start(command, cx),
                    Err(e) => self.form.error = Some(format!("error: {e}")),
                }
            }
            // One line: no field to move to.
            KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {}
            _ => {
                self.form.handle(key);
                self.candidates.clear();
                self.offer();
            }
        }
        Ok(PopupOutcome::Continue)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = area.width.saturating_sub(4).clamp(40, 100);
        let t = cx.theme;
        match &self.state {
            State::Editing => {
                // Each candidate by what differs: the word being completed.
                let line = self.line();
                let head = line.rfind(' ').map_or(0, |i| i + 1);
                let word = |c: &String| c.get(head..).unwrap_or(c).trim_end().to_string();
                let mut notes: Vec<String> = self.candidates.iter().take(8).map(word).collect();
                if self.candidates.len() > 8 {
                    notes.push(format!("… and {} more", self.candidates.len() - 8));
                }
                if self.line().trim().is_empty() {
                    notes.extend(COMMANDS.iter().map(|(_, how)| (*how).to_string()));
                }
                self.form.notes = notes;
                let h = self.form.height() + 2;
                let inner = modal(frame, centered(area, w, h), "Command", t);
                self.form.draw(frame, inner, t);
            }
            State::Working { what, since, progress } => {
                let (done, total) = (progress.done.load(Ordering::Relaxed), progress.total.load(Ordering::Relaxed));
                let facts = if total > 0 { format!(": {done} of {total} facts") } else { String::new() };
                let secs = since.elapsed().as_secs();
                let line = format!("working… {what}{facts} ({secs} s)");
                let inner = modal(frame, centered(area, w, 5), "Command", t);
                let lines = vec![
                    Line::from(Span::styled(line, t.accent())),
                    Line::from(vec![Span::styled("Esc", t.key()), Span::raw(" hide (the work goes on)")]),
                ];
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            }
            State::Confirm { report, .. } => {
                let mut lines: Vec<Line> = report.lines().map(|l| Line::from(text(l))).collect();
                lines.push(Line::default());
                let mut ask = vec![Span::raw("Import it?  ")];
                ask.extend(super::confirm::answer_keys(&cx.config.keymap, t));
                lines.push(Line::from(ask));
                let h = rows(&lines, w).min(area.height);
                let inner = modal(frame, centered(area, w, h), "Import: the dry run", t);
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            }
            State::Shown { text: body, is_error, .. } => {
                let style = if *is_error { t.bad() } else { t.good() };
                let mut lines: Vec<Line> = body
                    .lines()
                    .map(|l| Line::from(Span::styled(crate::domain::text::safe(l).into_owned(), style)))
                    .collect();
                lines.push(Line::default());
                lines.push(Line::from(Span::styled("any key closes", t.dim())));
                let h = rows(&lines, w).min(area.height);
                let inner = modal(frame, centered(area, w, h), "Command", t);
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            }
        }
    }

    fn paste(&mut self, text: &str) {
        if matches!(self.state, State::Editing) {
            self.form.paste(text);
            self.offer();
        }
    }

    fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    fn busy(&self) -> bool {
        matches!(self.state, State::Working { .. })
    }

    fn job_done(&mut self, result: JobResult) -> std::result::Result<PopupOutcome, JobResult> {
        match result {
            JobResult::Palette(done) => {
                let (command, said) = *done;
                Ok(self.done(command, said))
            }
            other => Err(other),
        }
    }
}
