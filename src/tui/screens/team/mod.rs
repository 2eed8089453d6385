//! The Team tab (8): "can it run without you?". The skills matrix, time this month against
//! 70/20/10, open items per owner and the director's autonomy; the nine workflow categories
//! (the empty ones too) and the backlog the strategy owner ranks.
//!
//! h/l switch between the people and the workflows, j/k pick a row, Enter opens it. On the
//! people: n adds a member, r rates, w logs a week. On the workflows: n adds one, e writes its
//! nine sections in `$EDITOR`, t triages, + and - rank.

mod draw;
mod forms;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::team::{Matrix, Person};
use crate::domain::text::name_key;
use crate::domain::workflow::WorkflowSummary;
use crate::error::Result;
use crate::keymap::Action;
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId, Target};
use crate::tui::widgets::clamp_selection;
use crate::views::team::{self as view, AllocationView, LoadView};
use crate::views::workflows::{BacklogView, CoverageView, WorkflowRow, backlog_of, coverage_of};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pane {
    #[default]
    People,
    Workflows,
}

#[derive(Default)]
pub struct Team {
    pane: Pane,
    today: Option<NaiveDate>,
    matrix: Option<Matrix>,
    /// This month's time (weeks belong to the month of their Thursday).
    allocation: Option<AllocationView>,
    load: Option<LoadView>,
    workflows: Vec<WorkflowSummary>,
    coverage: Option<CoverageView>,
    backlog: Option<BacklogView>,
    /// The selected person, in team order.
    person: usize,
    /// The selected workflow, in backlog order (ranked, triaged, untriaged).
    workflow: usize,
}

impl Team {
    fn people(&self) -> &[crate::domain::team::MatrixRow] {
        self.matrix.as_ref().map_or(&[], |m| m.rows.as_slice())
    }

    fn selected_person(&self) -> Option<&Person> {
        self.people().get(self.person).map(|r| &r.person)
    }

    /// The backlog as one list: ranked first, then triaged, then untriaged.
    fn backlog_rows(&self) -> Vec<&WorkflowRow> {
        self.backlog.as_ref().map_or(Vec::new(), |b| b.ranked.iter().chain(&b.unranked).chain(&b.untriaged).collect())
    }

    fn selected_workflow(&self) -> Option<WorkflowSummary> {
        self.backlog_rows().get(self.workflow).map(|r| r.summary.clone())
    }

    fn select_workflow(&mut self, name: &str) {
        if let Some(i) = self.backlog_rows().iter().position(|r| name_key(&r.summary.name) == name_key(name)) {
            self.workflow = i;
        }
    }

    fn rows_in_pane(&self) -> usize {
        match self.pane {
            Pane::People => self.people().len(),
            Pane::Workflows => self.backlog_rows().len(),
        }
    }

    fn sel_mut(&mut self) -> &mut usize {
        match self.pane {
            Pane::People => &mut self.person,
            Pane::Workflows => &mut self.workflow,
        }
    }

    /// `+` / `-`: the same `workflow rank` the command line runs, one place up or down.
    fn rank(&mut self, up: bool, cx: &Ctx) -> Result<Effect> {
        let Some(w) = self.selected_workflow() else { return Ok(Effect::Status("no workflow selected".into())) };
        let ranked = self.backlog.as_ref().map_or(0, |b| b.ranked.len());
        let to = match (w.rank.filter(|_| w.triage.is_triaged()), up) {
            (Some(1), true) => return Ok(Effect::Status(format!("'{}' is first already", w.name))),
            (Some(n), true) => n - 1,
            (Some(n), false) if n >= ranked => return Ok(Effect::Status(format!("'{}' is last already", w.name))),
            (Some(n), false) => n + 1,
            // Unranked: + ranks it last among the ranked; - has nowhere lower to go.
            (None, true) => ranked + 1,
            (None, false) => return Ok(Effect::Status(format!("'{}' is not ranked: + ranks it", w.name))),
        };
        match cx.store.write(|tx| tx.workflows().rank(&w.name, to, cx.now)) {
            Ok(_) => {
                self.reload(cx)?;
                self.select_workflow(&w.name);
                Ok(Effect::Saved(format!("'{}' is now #{to}", w.name)))
            }
            Err(e) if e.kind() == crate::domain::error::Kind::Input => Ok(Effect::Error(e.to_string())),
            Err(e) => Err(e.into()),
        }
    }

    fn open(&self, cx: &Ctx) -> Result<Effect> {
        match self.pane {
            Pane::People => {
                let Some(p) = self.selected_person() else { return Ok(Effect::None) };
                Ok(Effect::Popup(forms::page(&p.name, &draw::person_page(self, p))))
            }
            Pane::Workflows => {
                let Some(w) = self.selected_workflow() else { return Ok(Effect::None) };
                let detail = crate::views::workflows::show(cx.store, &w.name)?;
                Ok(Effect::Popup(forms::page(&w.name, &crate::io::export::workflows::show(&detail, false))))
            }
        }
    }
}

impl Screen for Team {
    fn id(&self) -> ScreenId {
        ScreenId::Team
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        let today = cx.now.date();
        self.today = Some(today);
        let facts = cx.store.team().facts(today)?;
        self.load = Some(view::load_from(&facts, &view::director(cx.store, cx.config)?));
        self.matrix = Some(view::matrix(cx.store)?);
        self.allocation = Some(view::allocation_this_month(cx.store, today)?);
        self.workflows = cx.store.workflows().all()?;
        self.coverage = Some(coverage_of(&self.workflows));
        self.backlog = Some(backlog_of(&self.workflows));
        self.person = clamp_selection(self.person, self.people().len());
        self.workflow = clamp_selection(self.workflow, self.backlog_rows().len());
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        let last = self.rows_in_pane().saturating_sub(1);
        match action {
            Action::Up => *self.sel_mut() = self.sel_mut().saturating_sub(1),
            Action::Down => *self.sel_mut() = (*self.sel_mut() + 1).min(last),
            Action::Top => *self.sel_mut() = 0,
            Action::Bottom => *self.sel_mut() = last,
            Action::Left => self.pane = Pane::People,
            Action::Right => self.pane = Pane::Workflows,
            Action::Select => return self.open(cx),
            Action::New => {
                return Ok(Effect::Popup(match self.pane {
                    Pane::People => forms::add_person(cx),
                    Pane::Workflows => forms::add_workflow(cx),
                }));
            }
            Action::Rate => return Ok(Effect::Popup(forms::rate(cx, self.selected_person()))),
            Action::LogTime => return Ok(Effect::Popup(forms::log_time(cx, self.selected_person()))),
            Action::Triage | Action::Edit | Action::RankUp | Action::RankDown if self.pane == Pane::People => {
                return Ok(Effect::Status("that is for a workflow: l moves to the workflows".into()));
            }
            Action::Triage => {
                return Ok(match self.selected_workflow() {
                    Some(w) => Effect::Popup(forms::triage(&w)),
                    None => Effect::Status("no workflow yet: n adds one".into()),
                });
            }
            Action::Edit => {
                return Ok(match self.selected_workflow() {
                    Some(w) => Effect::Popup(forms::edit_doc(cx, &w)?),
                    None => Effect::Status("no workflow yet: n adds one".into()),
                });
            }
            Action::RankUp => return self.rank(true, cx),
            Action::RankDown => return self.rank(false, cx),
            _ => return Ok(Effect::Unhandled),
        }
        Ok(Effect::None)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw::draw(self, frame, area, cx);
    }

    fn view_name(&self) -> &'static str {
        match self.pane {
            Pane::People => "",
            Pane::Workflows => "workflows",
        }
    }

    fn hints(&self) -> Vec<Action> {
        match self.pane {
            Pane::People => vec![Action::Select, Action::Rate, Action::LogTime, Action::New],
            Pane::Workflows => {
                vec![Action::Select, Action::Triage, Action::RankUp, Action::RankDown, Action::Edit, Action::New]
            }
        }
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        if self.matrix.is_none() {
            self.reload(cx)?;
        }
        match target {
            Target::Workflow(name) => {
                self.pane = Pane::Workflows;
                self.select_workflow(name);
            }
            Target::Person(key) => {
                self.pane = Pane::People;
                let k = name_key(key);
                if let Some(i) =
                    self.people().iter().position(|r| name_key(&r.person.key) == k || name_key(&r.person.name) == k)
                {
                    self.person = i;
                }
            }
            _ => {}
        }
        Ok(())
    }
}
