//! The Decisions tab: the decision log, newest first, with search, filters and the actions
//! done (Space), edit (`e`, kept in its history), reverse (`r`) and supersede (`S`). Nothing is
//! deleted: a reversed or superseded decision stays in the log, linked.

mod draw;
mod filter;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;

use self::filter::{Filter, search_matches};
use crate::domain::model::DecisionStatus;
use crate::error::Result;
use crate::keymap::Action;
use crate::store::decisions::Decision;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::decision_form;
use crate::tui::screen::{Ctx, Effect, Input, Links, Screen, ScreenId, Target};
use crate::tui::widgets::clamp_selection;
use crate::tui::widgets::form::{Field, Form, FormEvent};

#[derive(Default)]
pub struct Decisions {
    all: Vec<Decision>,
    /// Indexes into `all` that pass the search and the filter, in order.
    shown: Vec<usize>,
    sel: usize,
    query: String,
    /// True while the search line has the keyboard.
    searching: bool,
    filter: Filter,
    filter_form: Option<Form>,
    today: Option<NaiveDate>,
    /// Rows visible in the table at the last draw (for paging).
    page: usize,
}

impl Decisions {
    fn refilter(&mut self) {
        let today = self.today.unwrap_or_default();
        let selected = self.selected().map(|d| d.id);
        self.shown = (0..self.all.len())
            .filter(|&i| self.filter.matches(&self.all[i], today) && search_matches(&self.query, &self.all[i]))
            .collect();
        self.sel = selected
            .and_then(|id| self.shown.iter().position(|&i| self.all[i].id == id))
            .unwrap_or_else(|| clamp_selection(self.sel, self.shown.len()));
    }

    fn selected(&self) -> Option<&Decision> {
        self.shown.get(self.sel).and_then(|&i| self.all.get(i))
    }

    fn open_filter_form(&mut self, cx: &Ctx) {
        let f = &self.filter;
        let status = match f.status {
            Some(filter::StatusFilter::Open) => "open".to_string(),
            Some(filter::StatusFilter::Is(s)) => s.to_string(),
            None => String::new(),
        };
        let when = match f.when {
            Some(filter::When::Overdue) => "overdue",
            Some(filter::When::ThisWeek) => "this week",
            None => "",
        };
        let mut meetings: Vec<String> = self.all.iter().filter_map(|d| d.meeting.clone()).collect();
        meetings.sort();
        meetings.dedup();
        let statuses = ["open", "proposed", "decided", "done", "reversed", "superseded"];
        self.filter_form = Some(Form::new(
            "Filter decisions (empty = any)",
            vec![
                Field::new("Status")
                    .value(&status)
                    .hint("open, proposed, decided, done, reversed, superseded")
                    .choices(statuses.iter().map(|s| s.to_string()).collect()),
                Field::new("Owner")
                    .value(f.owner.as_deref().unwrap_or(""))
                    .choices(cx.store.decisions().known_owners().unwrap_or_default()),
                Field::new("Meeting").value(f.meeting.as_deref().unwrap_or("")).choices(meetings),
                Field::new("Due")
                    .value(when)
                    .hint("overdue, this week")
                    .choices(vec!["overdue".into(), "this week".into()]),
            ],
        ));
    }

    fn filter_key(&mut self, input: &Input) -> Effect {
        let Some(form) = self.filter_form.as_mut() else { return Effect::None };
        match form.handle(input.key) {
            FormEvent::Editing => Effect::None,
            FormEvent::Cancel => {
                self.filter_form = None;
                Effect::None
            }
            FormEvent::Submit => match Filter::parse(form.get(0), form.get(1), form.get(2), form.get(3)) {
                Ok(f) => {
                    self.filter = f;
                    self.filter_form = None;
                    self.refilter();
                    Effect::Status(format!("{} decisions shown", self.shown.len()))
                }
                Err(e) => {
                    form.error = Some(e.to_string());
                    Effect::None
                }
            },
        }
    }

    fn search_key(&mut self, input: &Input) -> Effect {
        match input.key.code {
            KeyCode::Enter => self.searching = false,
            KeyCode::Esc => {
                self.searching = false;
                self.query.clear();
            }
            KeyCode::Backspace => {
                self.query.pop();
            }
            KeyCode::Char(c) if !c.is_control() => self.query.push(c),
            _ => {}
        }
        self.refilter();
        Effect::None
    }

    fn set_status(&self, to: DecisionStatus, cx: &Ctx) -> Result<Effect> {
        let Some(d) = self.selected() else { return Ok(Effect::Status("no decision selected".into())) };
        match to {
            DecisionStatus::Reversed => {
                let id = d.id;
                let q = format!("Reverse #{id} \"{}\"? It stays in the log, marked reversed.", d.title);
                Ok(Effect::Popup(Box::new(Confirm::new("Reverse decision", &q, move |cx: &Ctx| {
                    cx.store.write(|tx| tx.decisions().set_status(id, DecisionStatus::Reversed, cx.now))?;
                    Ok(Effect::Saved(format!("decision #{id} reversed")))
                }))))
            }
            _ => match cx.store.write(|tx| tx.decisions().set_status(d.id, to, cx.now)) {
                Ok(d) => Ok(Effect::Saved(format!("decision #{} {}", d.id, d.status))),
                Err(e) => Ok(Effect::Error(e.to_string())),
            },
        }
    }
}

impl Screen for Decisions {
    fn id(&self) -> ScreenId {
        ScreenId::Decisions
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        self.today = Some(cx.now.date());
        self.all = cx.store.decisions().all()?;
        self.refilter();
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        if self.filter_form.is_some() {
            return Ok(self.filter_key(&input));
        }
        if self.searching {
            return Ok(self.search_key(&input));
        }
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        let last = self.shown.len().saturating_sub(1);
        match action {
            Action::Up => self.sel = self.sel.saturating_sub(1),
            Action::Down => self.sel = (self.sel + 1).min(last),
            Action::PageUp => self.sel = self.sel.saturating_sub(self.page.max(1)),
            Action::PageDown => self.sel = (self.sel + self.page.max(1)).min(last),
            Action::Top => self.sel = 0,
            Action::Bottom => self.sel = last,
            Action::Search => {
                self.searching = true;
            }
            Action::Filter => self.open_filter_form(cx),
            Action::Done => return self.set_status(DecisionStatus::Done, cx),
            Action::Delete => {
                let key = |a| cx.config.keymap.key_for("decisions", a).unwrap_or_default();
                return Ok(Effect::Status(format!(
                    "decisions are never deleted: {} reverses one, {} supersedes it, {} corrects it",
                    key(Action::Reverse),
                    key(Action::Supersede),
                    key(Action::Edit)
                )));
            }
            Action::Reverse => return self.set_status(DecisionStatus::Reversed, cx),
            Action::Supersede => {
                return Ok(match self.selected() {
                    Some(d) if d.status == DecisionStatus::Superseded => {
                        Effect::Error(format!("#{} is already superseded", d.id))
                    }
                    Some(d) => Effect::Popup(decision_form::supersede(d, cx)),
                    None => Effect::Status("no decision selected".into()),
                });
            }
            Action::New => return Ok(Effect::Popup(decision_form::open(Links::default(), cx))),
            Action::Edit => {
                return Ok(match self.selected() {
                    Some(d) => Effect::Popup(decision_form::edit(d, cx)),
                    None => Effect::Status("no decision selected".into()),
                });
            }
            Action::Select => {
                let Some(d) = self.selected() else { return Ok(Effect::None) };
                return Ok(match (d.meeting_id, d.launch_id, d.campaign_id) {
                    (Some(m), _, _) => Effect::Jump(Target::Meeting(m)),
                    (None, Some(l), _) => Effect::Jump(Target::Launch(l)),
                    (None, None, Some(c)) => Effect::Jump(Target::Campaign(c)),
                    _ => Effect::Status("this decision is not linked to a meeting, launch or campaign".into()),
                });
            }
            Action::Back if !self.query.is_empty() || !self.filter.is_empty() => {
                self.query.clear();
                self.filter = Filter::default();
                self.refilter();
                return Ok(Effect::Status("search and filters cleared".into()));
            }
            _ => return Ok(Effect::Unhandled),
        }
        Ok(Effect::None)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw::draw(self, frame, area, cx);
    }

    fn captures_text(&self) -> bool {
        self.searching || self.filter_form.is_some()
    }

    fn hints(&self) -> Vec<Action> {
        vec![
            Action::Search,
            Action::Filter,
            Action::Done,
            Action::Edit,
            Action::Reverse,
            Action::Supersede,
            Action::Select,
        ]
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        if let Target::Decision(id) = target {
            if self.all.is_empty() {
                self.reload(cx)?;
            }
            self.query.clear();
            self.filter = Filter::default();
            self.refilter();
            if let Some(pos) = self.shown.iter().position(|&i| self.all[i].id == *id) {
                self.sel = pos;
            }
        }
        Ok(())
    }

    fn paste(&mut self, text: &str) {
        if let Some(f) = self.filter_form.as_mut() {
            f.paste(text);
        } else if self.searching {
            self.query.push_str(&crate::domain::text::safe(text).replace('\n', " "));
            self.refilter();
        }
    }
}
