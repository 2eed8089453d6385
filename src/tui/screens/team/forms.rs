//! The Team tab's dialogs. Each saves through the same store function as its command (`team add`,
//! `team rate`, `team time`, `workflow add`, `workflow triage`, `workflow edit`), so a refusal
//! reads the same in both; the form keeps it on screen with the cursor on the field it names.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::period::{Grain, Period};
use crate::domain::team::{Level, Person};
use crate::domain::text::safe;
use crate::domain::workflow::template::{parse, render};
use crate::domain::workflow::{Category, Question, WorkflowSummary};
use crate::error::Result;
use crate::store::team::{PersonInput, RatingInput};
use crate::store::workflows::{NewWorkflow, TriageInput};
use crate::tui::screen::{Ctx, Effect, Popup, PopupOutcome};
use crate::tui::widgets::form::{Field, Form, FormEvent};
use crate::tui::widgets::{centered, modal, owner};

type Submit = Box<dyn FnMut(&Form, &Ctx) -> Result<Effect>>;

/// A form in a modal: Enter saves through `on_submit`; an input refusal stays in the form, the
/// cursor on the field it names (`fields` maps a refusal's field to the form's label).
pub struct TeamForm {
    form: Form,
    width: u16,
    fields: &'static [(&'static str, &'static str)],
    on_submit: Submit,
}

impl TeamForm {
    fn boxed(
        form: Form,
        width: u16,
        fields: &'static [(&'static str, &'static str)],
        on_submit: impl FnMut(&Form, &Ctx) -> Result<Effect> + 'static,
    ) -> Box<dyn Popup> {
        Box::new(TeamForm { form, width, fields, on_submit: Box::new(on_submit) })
    }
}

impl Popup for TeamForm {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match self.form.handle(key) {
            FormEvent::Editing => Ok(PopupOutcome::Continue),
            FormEvent::Cancel => Ok(PopupOutcome::Close(Effect::Status("cancelled; nothing changed".into()))),
            FormEvent::Submit => {
                if let Some(missing) = self.form.missing() {
                    self.form.error = Some(missing);
                    return Ok(PopupOutcome::Continue);
                }
                match (self.on_submit)(&self.form, cx) {
                    Ok(effect) => Ok(PopupOutcome::Close(effect)),
                    Err(e) if e.is_input() => {
                        if let Some(label) = e.field().and_then(|f| self.fields.iter().find(|(k, _)| *k == f)) {
                            self.form.focus_label(label.1);
                        }
                        self.form.error = Some(e.to_string());
                        Ok(PopupOutcome::Continue)
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = self.width.min(area.width.saturating_sub(2));
        let h = self.form.height() + 2 + u16::from(self.form.error.is_some());
        let title = self.form.title.clone();
        let inner = modal(frame, centered(area, w, h), &title, cx.theme);
        self.form.draw(frame, inner, cx.theme);
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.form.long_text.then_some(&mut self.form)
    }
}

const LEVELS: [&str; 4] = ["junior", "pmm", "senior", "staff"];

fn levels() -> Vec<String> {
    LEVELS.map(String::from).to_vec()
}

fn keys(people: &[Person]) -> Vec<String> {
    people.iter().map(|p| p.key.clone()).collect()
}

/// `n` on the people: `team add`.
pub fn add_person(cx: &Ctx) -> Box<dyn Popup> {
    let people = cx.store.team().people().unwrap_or_default();
    let form = Form::new(
        "Add a member of the team",
        vec![
            Field::new("Key").required().hint("what owner fields hold: priya"),
            Field::new("Name").required().hint("Priya Shah"),
            Field::new("Level").required().hint("junior, pmm, senior, staff").choices(levels()),
            Field::new("Manager").hint("a member's key").choices(keys(&people)),
        ],
    );
    const FIELDS: &[(&str, &str)] = &[("key", "Key"), ("name", "Name"), ("level", "Level"), ("manager", "Manager")];
    TeamForm::boxed(form, 70, FIELDS, |f, cx| {
        let input = PersonInput {
            key: f.get(0).into(),
            name: f.get(1).into(),
            level: f.get(2).into(),
            manager: Some(f.get(3).to_string()),
        };
        let p = cx.store.write(|tx| tx.team().add_person(&input, cx.now))?;
        Ok(Effect::Saved(format!("added {} ({}, {})", p.key, p.name, p.level.label())))
    })
}

/// `r`: `team rate`, for the selected person.
pub fn rate(cx: &Ctx, person: Option<&Person>) -> Box<dyn Popup> {
    let people = cx.store.team().people().unwrap_or_default();
    let competencies: Vec<String> =
        cx.store.team().competencies().unwrap_or_default().into_iter().map(|c| c.slug).collect();
    let title = match person {
        Some(p) => format!("Rate {} ({})", p.name, p.level.label()),
        None => "Rate a member of the team".into(),
    };
    let mut form = Form::new(
        &title,
        vec![
            Field::new("Person").required().choices(keys(&people)).value(person.map_or("", |p| p.key.as_str())),
            Field::new("Competency").required().hint("positioning, launch-execution, ...").choices(competencies),
            Field::new("Level").required().hint("the level demonstrated: junior, pmm, senior, staff").choices(levels()),
            Field::new("Evidence").required().hint("what did they do that shows this level?"),
        ],
    );
    form.focus = usize::from(person.is_some());
    form.long_text = true;
    const FIELDS: &[(&str, &str)] =
        &[("person", "Person"), ("competency", "Competency"), ("level", "Level"), ("evidence", "Evidence")];
    TeamForm::boxed(form, 90, FIELDS, |f, cx| {
        let input = RatingInput {
            person: f.get(0).into(),
            competency: f.get(1).into(),
            level: f.get(2).into(),
            evidence: f.get(3).into(),
        };
        let r = cx.store.write(|tx| tx.team().rate(&input, cx.now.date(), cx.now))?;
        let mark = match r.mark.symbol() {
            "" => String::new(),
            m => format!(" {m}"),
        };
        Ok(Effect::Saved(format!("rated {} {}{mark} in {}", r.person.name, r.level.slug(), r.competency.label)))
    })
}

/// `w`: `team time PERSON WEEK core=H systems=H exploration=H`, the three buckets as fields.
pub fn log_time(cx: &Ctx, person: Option<&Person>) -> Box<dyn Popup> {
    let people = cx.store.team().people().unwrap_or_default();
    let week = Period::containing(Grain::Week, cx.now.date()).to_string();
    let mut form = Form::new(
        "Log a week against 70/20/10",
        vec![
            Field::new("Person").required().choices(keys(&people)).value(person.map_or("", |p| p.key.as_str())),
            Field::new("Week").required().hint("2026-W47").value(&week),
            Field::new("Core").hint("hours of core GTM execution"),
            Field::new("Systems").hint("hours on systems and frameworks"),
            Field::new("Exploration").hint("hours of strategic exploration"),
        ],
    );
    form.focus = if person.is_some() { 2 } else { 0 };
    form.notes = vec!["logging a week again replaces it; 0 is fine, blank is missing".into()];
    const FIELDS: &[(&str, &str)] = &[("person", "Person"), ("week", "Week"), ("hours", "Core")];
    TeamForm::boxed(form, 70, FIELDS, |f, cx| {
        // The same `BUCKET=HOURS` words `team time` reads, so the refusals are its refusals.
        let tokens: Vec<String> = [("core", 2), ("systems", 3), ("exploration", 4)]
            .into_iter()
            .filter(|(_, i)| !f.get(*i).is_empty())
            .map(|(b, i)| format!("{b}={}", f.get(i)))
            .collect();
        let logged = cx.store.write(|tx| tx.team().log_time(f.get(0), f.get(1), &tokens, cx.now))?;
        let again = if logged.replaced { " (replaced)" } else { "" };
        Ok(Effect::Saved(format!("logged {} for {}{again}", logged.week, logged.person.name)))
    })
}

/// `n` on the workflows: `workflow add`, the owner completing from the team.
pub fn add_workflow(cx: &Ctx) -> Box<dyn Popup> {
    let categories = Category::ALL.map(|c| c.slug().to_string()).to_vec();
    let meetings: Vec<String> =
        cx.store.cadence().templates_current().unwrap_or_default().into_iter().map(|t| t.key).collect();
    let form = Form::new(
        "Add a workflow",
        vec![
            Field::new("Name").required(),
            Field::new("Category").required().hint("one of the nine: market, icp, content, ...").choices(categories),
            owner::field("Owner", cx).required(),
            Field::new("Meeting").hint("the meeting that runs it").choices(meetings),
            Field::new("Metrics").hint("the metrics it informs: win_rate, pipeline"),
        ],
    );
    const FIELDS: &[(&str, &str)] = &[
        ("name", "Name"),
        ("category", "Category"),
        ("owner", "Owner"),
        ("meeting", "Meeting"),
        ("metrics", "Metrics"),
    ];
    TeamForm::boxed(form, 80, FIELDS, |f, cx| {
        let w = NewWorkflow {
            name: f.get(0).into(),
            category: f.get(1).into(),
            owner: Some(f.get(2).into()),
            meeting: Some(f.get(3).into()),
            metrics: vec![f.get(4).into()],
        };
        let added = cx.store.write(|tx| tx.workflows().add(&w, cx.now))?;
        let saved =
            Effect::Saved(format!("added '{}' ({}): e writes its nine sections", added.name, added.category.label()));
        Ok(owner::offer_after(saved, f.get(2), cx))
    })
}

/// `t`: the five backlog questions, and only these. A blank answer leaves it untriaged.
pub fn triage(w: &WorkflowSummary) -> Box<dyn Popup> {
    let fields = Question::ALL
        .into_iter()
        .map(|q| {
            let label = q.label();
            let mut cap = label[..1].to_uppercase();
            cap.push_str(&label[1..]);
            Field::new(&cap).value(w.triage.answer(q))
        })
        .collect();
    let mut form = Form::new(&format!("Triage '{}'", w.name), fields);
    form.notes = vec!["all five answered: triaged, then ranked by you (+/-); the tool never scores it".into()];
    form.long_text = true;
    let name = w.name.clone();
    TeamForm::boxed(form, 100, &[], move |f, cx| {
        let a = |i: usize| Some(f.get(i).to_string());
        let input = TriageInput { who: a(0), unblocks: a(1), breaks: a(2), why_now: a(3), impact: a(4) };
        let t = cx.store.write(|tx| tx.workflows().triage(&name, &input, cx.now))?;
        let blank: Vec<&str> = t.blank().into_iter().map(Question::label).collect();
        let mut msg = if blank.is_empty() {
            format!("'{}' triaged: + ranks it", t.workflow.name)
        } else {
            format!("untriaged: {} {} blank", blank.join(", "), if blank.len() == 1 { "is" } else { "are" })
        };
        if t.rank_dropped {
            msg.push_str("; it lost its rank");
        }
        Ok(Effect::Saved(msg))
    })
}

/// `e`: the workflow's nine sections and four criteria, written in `$EDITOR` (Ctrl-E), checked
/// as `workflow edit` checks them, saved with Enter.
pub struct EditDoc {
    name: String,
    form: Form,
    verdict: std::result::Result<(), String>,
}

pub fn edit_doc(cx: &Ctx, w: &WorkflowSummary) -> Result<Box<dyn Popup>> {
    let (w, doc) = cx.store.workflows().doc(&w.name)?;
    let mut form = Form::new("Workflow document", vec![Field::new("Document").value(&render(&w.name, &doc))]);
    form.long_text = true;
    Ok(Box::new(EditDoc { name: w.name, form, verdict: Ok(()) }))
}

impl Popup for EditDoc {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome> {
        match key.code {
            KeyCode::Esc => Ok(PopupOutcome::Close(Effect::Status("workflow unchanged".into()))),
            KeyCode::Enter => {
                let doc = match parse(self.form.get(0)) {
                    Ok(d) => d,
                    Err(e) => {
                        self.verdict = Err(e.to_string());
                        return Ok(PopupOutcome::Continue);
                    }
                };
                let name = self.name.clone();
                let saved = cx.store.write(|tx| tx.workflows().save_doc(&name, &doc, cx.now))?;
                let flags = saved.criteria.flags();
                let tail = if flags.is_empty() { String::new() } else { format!("; ! {}", flags.join("; ")) };
                Ok(PopupOutcome::Close(Effect::Saved(format!("saved '{}'{tail}", saved.name))))
            }
            _ => Ok(PopupOutcome::Continue),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let th = cx.theme;
        let text = self.form.get(0).to_string();
        if self.verdict.is_ok() {
            self.verdict = parse(&text).map(|_| ()).map_err(|e| e.to_string());
        }
        let mut lines = vec![
            Line::from(vec![
                Span::styled("C-e", th.key()),
                Span::raw(" write it in $EDITOR  "),
                Span::styled("Enter", th.key()),
                Span::raw(" save  "),
                Span::styled("Esc", th.key()),
                Span::raw(" cancel"),
            ]),
            match &self.verdict {
                Ok(()) => Line::from(Span::styled("✓ the nine headings, in the locked order", th.good())),
                Err(e) => Line::from(Span::styled(format!("✗ {}", safe(e)), th.bad())),
            },
            Line::default(),
        ];
        lines.extend(
            text.lines().filter(|l| !l.trim_start().starts_with("<!--")).map(|l| Line::from(safe(l).into_owned())),
        );
        let w = area.width.saturating_sub(4).min(100);
        let inner =
            modal(frame, centered(area, w, area.height.saturating_sub(2)), &format!("Edit '{}'", self.name), th);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        // Ctrl-E hands the whole document to `$EDITOR`; what comes back is checked again.
        self.verdict = Ok(());
        Some(&mut self.form)
    }
}

/// Enter: a read-only page (a person's evidence, a workflow's nine sections); j/k scroll.
pub struct Page {
    title: String,
    lines: Vec<String>,
    scroll: u16,
}

pub fn page(title: &str, text: &str) -> Box<dyn Popup> {
    Box::new(Page { title: title.into(), lines: text.lines().map(String::from).collect(), scroll: 0 })
}

impl Popup for Page {
    fn handle(&mut self, key: KeyEvent, _cx: &Ctx) -> Result<PopupOutcome> {
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.scroll = self.scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(10),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            _ => return Ok(PopupOutcome::Close(Effect::None)),
        }
        Ok(PopupOutcome::Continue)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = area.width.saturating_sub(4).min(100);
        let h = (self.lines.len() as u16 + 3).min(area.height.saturating_sub(1));
        let inner = modal(frame, centered(area, w, h), &self.title, cx.theme);
        let mut lines: Vec<Line> = self.lines.iter().map(|l| Line::from(safe(l).into_owned())).collect();
        lines.push(Line::from(Span::styled("j/k scroll · any other key closes", cx.theme.dim())));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((self.scroll, 0)), inner);
    }
}

/// What the level means: the bar ratings are held to (for the person's page).
pub fn level_line(l: Level) -> String {
    format!("{}: {}", l.label(), l.expectation())
}
