//! The Learn tab: running experiments with a lift bar, its interval and the verdict (Enter opens
//! the readout), post-mortems and their follow-through, alert rules, notes; `w` shows the weekly
//! review pack, the same one `mktg report weekly` prints. Every number comes from the views the
//! command line prints (`views::experiments`, `views::learn`, `views::weekly`). The forms (`n`
//! experiment, `r` result, `D` decide, `p` post-mortem, Space follow-up done, `a` alert, `N`
//! note) write through the same checks as their commands.

mod draw;
mod forms;
mod loop_forms;

use crate::error::Result;
use crate::keymap::Action;
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId};
use crate::views::experiments::{ListRow, ReadoutView};
use crate::views::learn::{FollowThroughView, PostmortemView, RuleView};

/// A full-screen text laid over the tab: an experiment's readout or the weekly pack.
struct Overlay {
    title: String,
    lines: Vec<String>,
    scroll: usize,
}

#[derive(Default)]
pub struct Learn {
    experiments: Vec<ListRow>,
    postmortems: Vec<PostmortemView>,
    follow_through: Option<FollowThroughView>,
    rules: Vec<RuleView>,
    notes: Vec<crate::store::notes::Note>,
    sel: usize,
    overlay: Option<Overlay>,
}

impl Learn {
    fn open_readout(&mut self, cx: &Ctx) -> Result<Effect> {
        let Some(row) = self.experiments.get(self.sel) else {
            return Ok(Effect::Status("no experiment yet: mktg experiment add NAME".into()));
        };
        let v: ReadoutView = crate::views::experiments::readout(cx.store, row.id, cx.now.date())?;
        let text = crate::io::export::experiments::readout(&v, crate::output::Format::Text);
        self.overlay = Some(Overlay {
            title: format!("Experiment #{} readout", v.id),
            lines: text.lines().map(String::from).collect(),
            scroll: 0,
        });
        Ok(Effect::None)
    }

    fn open_weekly(&mut self, cx: &Ctx) -> Result<Effect> {
        let w = crate::views::weekly::Weekly::build(cx.store, cx.config, cx.now)?;
        self.overlay = Some(Overlay {
            title: "Weekly performance review".into(),
            lines: crate::io::export::weekly::text(&w),
            scroll: 0,
        });
        Ok(Effect::None)
    }

    fn overlay_key(&mut self, action: Option<Action>) -> Effect {
        let Some(o) = self.overlay.as_mut() else { return Effect::None };
        let last = o.lines.len().saturating_sub(1);
        match action {
            Some(Action::Up) => o.scroll = o.scroll.saturating_sub(1),
            Some(Action::Down) => o.scroll = (o.scroll + 1).min(last),
            Some(Action::PageUp) => o.scroll = o.scroll.saturating_sub(10),
            Some(Action::PageDown) => o.scroll = (o.scroll + 10).min(last),
            Some(Action::Top) => o.scroll = 0,
            Some(Action::Bottom) => o.scroll = last,
            Some(Action::Back | Action::Select | Action::Weekly) => self.overlay = None,
            _ => return Effect::Unhandled,
        }
        Effect::None
    }
}

impl Screen for Learn {
    fn id(&self) -> ScreenId {
        ScreenId::Learn
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        let today = cx.now.date();
        self.experiments = crate::views::experiments::list(cx.store, today)?;
        self.postmortems = crate::views::learn::postmortems(cx.store, today)?;
        self.follow_through = Some(crate::views::learn::follow_through_view(cx.store, today, None)?);
        self.rules = crate::views::learn::rules(cx.store)?;
        let mut notes = crate::views::learn::notes(cx.store, None, None)?;
        notes.sort_by(|a, b| b.note.from.cmp(&a.note.from).then(b.id.cmp(&a.id)));
        self.notes = notes;
        self.sel = crate::tui::widgets::clamp_selection(self.sel, self.experiments.len());
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        if self.overlay.is_some() {
            return Ok(self.overlay_key(input.action));
        }
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        let last = self.experiments.len().saturating_sub(1);
        match action {
            Action::Up => self.sel = self.sel.saturating_sub(1),
            Action::Down => self.sel = (self.sel + 1).min(last),
            Action::Top => self.sel = 0,
            Action::Bottom => self.sel = last,
            Action::Select => return self.open_readout(cx),
            Action::Weekly => return self.open_weekly(cx),
            Action::New => return Ok(Effect::Popup(forms::add(cx))),
            Action::AddResult => {
                return Ok(match self.experiments.get(self.sel) {
                    Some(row) => Effect::Popup(forms::result(row.id, cx)?),
                    None => Effect::Status("no experiment yet: n adds one".into()),
                });
            }
            Action::Decide => {
                return Ok(match self.experiments.get(self.sel) {
                    Some(row) => Effect::Popup(forms::decide(row.id, cx)?),
                    None => Effect::Status("no experiment yet: n adds one".into()),
                });
            }
            Action::Postmortem => {
                let about = self.experiments.get(self.sel).map(|r| r.name.clone());
                return Ok(Effect::Popup(loop_forms::postmortem(about.as_deref(), cx)));
            }
            Action::Done => return Ok(Effect::Popup(loop_forms::done(cx)?)),
            Action::AddAlert => return Ok(Effect::Popup(loop_forms::alert(cx))),
            Action::Note => return Ok(Effect::Popup(crate::tui::popups::note_form::open(cx.now.date(), "", ""))),
            _ => return Ok(Effect::Unhandled),
        }
        Ok(Effect::None)
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, cx: &Ctx) {
        draw::draw(self, frame, area, cx);
    }

    fn view_name(&self) -> &'static str {
        if self.overlay.is_some() { "readout" } else { "" }
    }

    fn hints(&self) -> Vec<Action> {
        if self.overlay.is_some() {
            vec![Action::Down, Action::Back]
        } else {
            vec![Action::Select, Action::New, Action::AddResult, Action::Decide, Action::Weekly]
        }
    }
}
