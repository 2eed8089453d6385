//! The Launches tab: the table of launches, tiering by keyboard, readiness checklists,
//! stages through the go-live gate, the post-mortem record.

mod detail;
mod forms;
mod postmortem;
mod table;
mod tier_panel;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::launch::{self, Launch, LaunchDetail, LaunchFilter, SortBy, arrange};
use crate::domain::model::Stage;
use crate::error::Result;
use crate::keymap::Action;
use crate::tui::screen::{Ctx, Effect, Input, Links, Screen, ScreenId, Target};
use crate::tui::widgets::clamp_selection;

/// One line of the table: a launch, or the fold holding past launches.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Row {
    Launch(usize),
    PastFold(usize),
}

/// The open launch: its detail and the focused checklist item.
struct Detail {
    data: LaunchDetail,
    cursor: usize,
}

#[derive(Default)]
pub struct Launches {
    /// Every launch, arranged (current by `sort`, then past), before the filter.
    launches: Vec<Launch>,
    rows: Vec<Row>,
    selected: usize,
    sort: SortBy,
    filter: LaunchFilter,
    past_open: bool,
    detail: Option<Detail>,
    /// A `>` refused by the gate on this launch: a second `>` asks for an override reason.
    gate_refused: Option<i64>,
    /// The checklist item the last gate refusal named first, per launch: its checklist opens there.
    named_item: Option<(i64, String)>,
    /// A done item Space was pressed on once: a second Space unticks it (never silently).
    untick_armed: Option<i64>,
    today: NaiveDate,
}

impl Launches {
    fn rebuild_rows(&mut self) {
        let keep = self.selected_launch().map(|l| l.id);
        let shown: Vec<usize> = (0..self.launches.len()).filter(|i| self.filter.matches(&self.launches[*i])).collect();
        let (past, current): (Vec<usize>, Vec<usize>) = shown.into_iter().partition(|i| self.launches[*i].is_past());
        self.rows = current.into_iter().map(Row::Launch).collect();
        if !past.is_empty() {
            self.rows.push(Row::PastFold(past.len()));
            if self.past_open {
                self.rows.extend(past.into_iter().map(Row::Launch));
            }
        }
        if let Some(id) = keep {
            self.select_id(id);
        }
        self.selected = clamp_selection(self.selected, self.rows.len());
    }

    fn select_id(&mut self, id: i64) -> bool {
        let found = self.rows.iter().position(|r| matches!(r, Row::Launch(i) if self.launches[*i].id == id));
        if let Some(p) = found {
            self.selected = p;
        }
        found.is_some()
    }

    fn selected_launch(&self) -> Option<&Launch> {
        match self.rows.get(self.selected)? {
            Row::Launch(i) => self.launches.get(*i),
            Row::PastFold(_) => None,
        }
    }

    /// The launch the keys act on: the open one, else the selected row.
    fn current(&self) -> Option<&Launch> {
        match &self.detail {
            Some(d) => Some(&d.data.launch),
            None => self.selected_launch(),
        }
    }

    fn open_detail(&mut self, id: i64, cx: &Ctx) -> Result<()> {
        let data = cx.store.launches().detail(id)?;
        let kept = self.detail.as_ref().filter(|d| d.data.launch.id == id).map(|d| d.cursor);
        // Opened afresh: on the item the gate's refusal named, else on the first open one.
        let named = self.named_item.take_if(|(l, _)| *l == id).map(|(_, label)| label);
        let cursor = kept
            .or_else(|| named.and_then(|label| data.items.iter().position(|i| i.label == label)))
            .or_else(|| data.items.iter().position(|i| i.required && !i.is_done()))
            .unwrap_or(0);
        let cursor = clamp_selection(cursor, data.items.len());
        self.detail = Some(Detail { data, cursor });
        Ok(())
    }

    fn move_selection(&mut self, action: Action) {
        let n = self.rows.len();
        if let Some(d) = self.detail.as_mut() {
            let m = d.data.items.len();
            d.cursor = step(d.cursor, m, action);
        } else {
            self.selected = step(self.selected, n, action);
        }
    }

    /// `>` / `<`: one stage on; going live passes the gate, entering post-mortem asks for its record.
    fn move_stage(&mut self, forward: bool, cx: &Ctx) -> Result<Effect> {
        let Some(l) = self.current().cloned() else { return Ok(Effect::None) };
        let to = if forward { l.stage.next() } else { l.stage.prev() };
        let Some(to) = to else {
            let end = if forward { "last" } else { "first" };
            return Ok(Effect::Status(format!("'{}' is at the {end} stage", l.name)));
        };
        if to == Stage::PostMortem {
            return Ok(Effect::Popup(Box::new(postmortem::postmortem_form(&l, cx))));
        }
        if launch::crosses_gate(l.stage, to) {
            let blockers = launch::gate_blockers(&cx.store.launches().items(l.id)?, &cx.config.tiers);
            if !blockers.is_empty() {
                if self.gate_refused == Some(l.id) {
                    self.gate_refused = None;
                    return Ok(Effect::Popup(Box::new(forms::gate_override_form(&l, to, &blockers))));
                }
                self.gate_refused = Some(l.id);
                self.named_item = blockers.first().map(|b| (l.id, b.clone()));
                let key = cx.config.keymap.key_for("launches", Action::StageNext).unwrap_or_else(|| ">".into());
                return Ok(Effect::Error(format!(
                    "{} · {key} again overrides, with a reason",
                    launch::gate_refusal(&l.name, &blockers)
                )));
            }
        }
        cx.store.write(|tx| tx.launches().stage(l.id, to, None, &cx.config.user, &cx.config.tiers, cx.now))?;
        Ok(Effect::Saved(format!("'{}' moved to {}", l.name, to.label())))
    }

    /// Space in the detail: tick the focused item (who, when), or untick it.
    fn toggle_item(&mut self, cx: &Ctx) -> Result<Effect> {
        let Some(d) = &self.detail else { return Ok(Effect::None) };
        let Some(item) = d.data.items.get(d.cursor) else { return Ok(Effect::None) };
        let id = d.data.launch.id;
        if item.is_done() {
            // A done item is unticked only on a second Space: one stray key must not undo a tick.
            if self.untick_armed != Some(item.id) {
                self.untick_armed = Some(item.id);
                let by = item.done_by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default();
                let key = cx.config.keymap.key_for("launches", Action::Toggle).unwrap_or_else(|| "Space".into());
                return Ok(Effect::Status(format!("'{}' is done{by}; {key} again unticks it", item.label)));
            }
            self.untick_armed = None;
            cx.store.write(|tx| tx.launches().untick(id, item.id))?;
            Ok(Effect::Saved(format!("unticked {}", item.label)))
        } else {
            cx.store.write(|tx| tx.launches().tick(id, &[item.id], &cx.config.user, cx.now))?;
            let msg = format!("ticked {} ({})", item.label, cx.config.user);
            // As in a meeting's checklist: a tick moves on to the next item, so Space Space ticks two.
            if let Some(d) = self.detail.as_mut() {
                d.cursor = (d.cursor + 1).min(d.data.items.len().saturating_sub(1));
            }
            Ok(Effect::Saved(msg))
        }
    }

    fn handle_action(&mut self, action: Action, cx: &Ctx) -> Result<Effect> {
        match action {
            Action::Up | Action::Down | Action::Top | Action::Bottom | Action::PageUp | Action::PageDown => {
                self.move_selection(action);
                Ok(Effect::None)
            }
            Action::Back if self.detail.is_some() => {
                self.detail = None;
                Ok(Effect::None)
            }
            Action::Select if self.detail.is_none() => match self.rows.get(self.selected) {
                Some(Row::PastFold(_)) => {
                    self.past_open = !self.past_open;
                    self.rebuild_rows();
                    Ok(Effect::None)
                }
                Some(Row::Launch(i)) => {
                    let id = self.launches[*i].id;
                    self.open_detail(id, cx)?;
                    Ok(Effect::None)
                }
                None => Ok(Effect::None),
            },
            Action::Toggle if self.detail.is_some() => self.toggle_item(cx),
            Action::Toggle if matches!(self.rows.get(self.selected), Some(Row::PastFold(_))) => {
                self.past_open = !self.past_open;
                self.rebuild_rows();
                Ok(Effect::None)
            }
            Action::Sort if self.detail.is_none() => {
                self.sort = self.sort.next();
                arrange(&mut self.launches, self.sort);
                self.rebuild_rows();
                Ok(Effect::Status(format!("sorted by {}", self.sort.label())))
            }
            Action::Filter if self.detail.is_none() => {
                self.filter = self.filter.next();
                self.rebuild_rows();
                Ok(Effect::Status(format!("showing {}", self.filter.label())))
            }
            Action::New if self.detail.is_none() => Ok(Effect::Popup(Box::new(forms::launch_form(None, cx)))),
            Action::Edit => match &self.detail {
                Some(d) => Ok(match d.data.items.get(d.cursor) {
                    Some(i) => Effect::Popup(Box::new(forms::note_form(
                        d.data.launch.id,
                        i.id,
                        &i.label,
                        i.note.as_deref().unwrap_or(""),
                    ))),
                    None => Effect::None,
                }),
                None => Ok(self
                    .selected_launch()
                    .map_or(Effect::None, |l| Effect::Popup(Box::new(forms::launch_form(Some(l), cx))))),
            },
            Action::Tier => {
                Ok(self.current().map_or(Effect::None, |l| Effect::Popup(Box::new(tier_panel::TierPanel::new(l)))))
            }
            Action::Override => {
                Ok(self.current().map_or(Effect::None, |l| Effect::Popup(Box::new(forms::override_form(l)))))
            }
            Action::Pivot => {
                Ok(self.current().map_or(Effect::None, |l| Effect::Popup(Box::new(forms::pivot_form(l, cx)))))
            }
            Action::StageNext => self.move_stage(true, cx),
            Action::StagePrev => self.move_stage(false, cx),
            _ => Ok(Effect::Unhandled),
        }
    }
}

/// Move a cursor in `0..len` by a navigation action.
fn step(at: usize, len: usize, action: Action) -> usize {
    if len == 0 {
        return 0;
    }
    let last = len - 1;
    match action {
        Action::Up => at.saturating_sub(1),
        Action::Down => (at + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageUp => at.saturating_sub(10),
        Action::PageDown => (at + 10).min(last),
        _ => at,
    }
}

impl Screen for Launches {
    fn id(&self) -> ScreenId {
        ScreenId::Launches
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        self.today = cx.now.date();
        let mut launches = cx.store.launches().all()?;
        arrange(&mut launches, self.sort);
        self.launches = launches;
        self.rebuild_rows();
        if let Some(id) = self.detail.as_ref().map(|d| d.data.launch.id) {
            self.open_detail(id, cx)?;
        }
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        // Any other key between two `>` presses means the second is not an override request.
        if action != Action::StageNext {
            self.gate_refused = None;
        }
        if action != Action::Toggle {
            self.untick_armed = None;
        }
        self.handle_action(action, cx)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        match &self.detail {
            Some(d) => detail::draw(frame, area, &d.data, d.cursor, cx),
            None => table::draw(frame, area, self, cx),
        }
    }

    fn view_name(&self) -> &'static str {
        if self.detail.is_some() { "checklist" } else { "" }
    }

    fn hints(&self) -> Vec<Action> {
        if self.detail.is_some() {
            vec![
                Action::Toggle,
                Action::Edit,
                Action::Tier,
                Action::Override,
                Action::StageNext,
                Action::StagePrev,
                Action::Back,
            ]
        } else {
            vec![
                Action::Select,
                Action::Tier,
                Action::Override,
                Action::StageNext,
                Action::StagePrev,
                Action::New,
                Action::Edit,
                Action::Sort,
                Action::Filter,
            ]
        }
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        let Target::Launch(id) = target else { return Ok(()) };
        self.filter = LaunchFilter::All;
        if self.launches.iter().any(|l| l.id == *id && l.is_past()) {
            self.past_open = true;
        }
        self.rebuild_rows();
        if self.select_id(*id) {
            self.open_detail(*id, cx)?;
        }
        Ok(())
    }

    fn links(&self) -> Links {
        Links { launch_id: self.current().map(|l| l.id), ..Links::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::store::Store;
    use crate::store::demo::DemoOptions;
    use crate::tui::theme::Theme;

    #[test]
    fn a_jump_from_the_dashboard_opens_the_launch_even_when_folded_and_links_decisions_to_it() {
        let store = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        store
            .write(|tx| crate::store::demo::fill(tx, now, &DemoOptions { days: 30, ..DemoOptions::default() }))
            .unwrap();
        let (config, theme) = (Config::default(), Theme::plain());
        let cx = Ctx { store: &store, config: &config, theme: &theme, now, background: false };
        let mut screen = Launches::default();
        screen.reload(&cx).unwrap();
        assert_eq!(
            screen.links().launch_id,
            store.launches().all().unwrap().iter().find(|l| l.name == "Partner Portal").map(|l| l.id)
        );
        // A launch is past (folded) once its post-mortem is on record.
        let past = store.launches().all().unwrap().into_iter().find(|l| l.name == "SSO for SMB").unwrap();
        let pm = crate::domain::launch::PostMortem { worked: "docs".into(), ..Default::default() };
        store.write(|tx| tx.launches().postmortem(past.id, &pm, &[], "alex", &config.tiers, now)).unwrap();
        screen.reload(&cx).unwrap();
        screen.focus(&Target::Launch(past.id), &cx).unwrap();
        assert!(screen.past_open);
        assert_eq!(screen.detail.as_ref().map(|d| d.data.launch.id), Some(past.id));
        assert_eq!(screen.links().launch_id, Some(past.id));
    }
}
