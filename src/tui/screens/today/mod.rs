//! The Today tab: the day's meetings in time order, the current one highlighted as the clock
//! moves, the next counted down; a meeting opened with Enter (checklist, notes, KPIs, its
//! decisions); skip, move, one-off; and the template settings view (`,`).

mod agenda;
mod meeting;
mod settings;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use ratatui::Frame;
use ratatui::layout::Rect;

use self::meeting::MeetingView;
use self::settings::Settings;
use crate::domain::dates::parse_time;
use crate::domain::feeds::{AgendaItem, agenda_focus};
use crate::domain::model::MeetingStatus;
use crate::error::Result;
use crate::keymap::Action;
use crate::store::cadence::ChecklistItem;
use crate::tui::screen::{Ctx, Effect, Input, Links, Screen, ScreenId, Target};
use crate::tui::widgets::clamp_selection;
use crate::tui::widgets::form::{Field, Form, FormEvent};

/// What the agenda shows beside a row without opening it.
#[derive(Debug, Clone, Default)]
pub(super) struct Preview {
    pub items: Vec<ChecklistItem>,
    pub kpis: Vec<String>,
    pub rule: Option<String>,
    /// Open items carried from an earlier session.
    pub carried_open: usize,
    /// The workflows this meeting runs: "Battlecard refresh (Jordan)".
    pub workflows: Vec<String>,
}

/// Up / down / first / last in a list of `len` rows; true when `action` was one of them.
pub(super) fn move_selection(sel: &mut usize, len: usize, action: Action) -> bool {
    let last = len.saturating_sub(1);
    *sel = match action {
        Action::Up => sel.saturating_sub(1),
        Action::Down => (*sel + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return false,
    };
    true
}

/// A small form the agenda opens over itself.
enum AgendaForm {
    Move(AgendaItem),
    OneOff,
}

#[derive(Default)]
pub struct Today {
    /// Days from today: `[` / `]` move it.
    offset: i64,
    day: NaiveDate,
    items: Vec<AgendaItem>,
    /// The next meeting from now across days (when the day shown is today).
    next: Option<crate::domain::feeds::NextMeeting>,
    /// The day shown is a configured holiday.
    holiday: bool,
    previews: Vec<Preview>,
    sel: usize,
    /// Until the user moves the selection, it follows the current (or next) meeting.
    moved: bool,
    meeting: Option<MeetingView>,
    settings: Option<Settings>,
    form: Option<(AgendaForm, Form)>,
    /// The meeting whose start was last announced (day, start, name).
    announced: Option<(NaiveDate, NaiveTime, String)>,
    loaded_for: Option<NaiveDate>,
}

impl Today {
    fn selected(&self) -> Option<&AgendaItem> {
        self.items.get(self.sel)
    }

    fn is_today(&self, now: NaiveDateTime) -> bool {
        self.day == now.date()
    }

    fn follow_clock(&mut self, now: NaiveDateTime) {
        if self.moved || !self.is_today(now) {
            return;
        }
        let f = agenda_focus(&self.items, now);
        if let Some(i) = f.current.or(f.next) {
            self.sel = i;
        }
    }

    fn load_previews(&mut self, cx: &Ctx) -> Result<()> {
        let templates = cx.store.cadence().templates_on(self.day)?;
        let workflows = cx.store.workflows().all()?;
        self.previews = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let key = item.template_id.and_then(|id| templates.iter().find(|t| t.id == id)).map(|t| t.key.as_str());
            let behind: Vec<String> = key
                .map(|k| crate::views::workflows::behind_meeting(&workflows, k))
                .unwrap_or_default()
                .into_iter()
                .map(|w| match w.summary.owner {
                    Some(o) => format!("{} ({o})", w.summary.name),
                    None => format!("{} (no owner)", w.summary.name),
                })
                .collect();
            let rule = item
                .template_id
                .and_then(|id| templates.iter().find(|t| t.id == id))
                .and_then(|t| t.rule())
                .map(|r| r.describe());
            let p = match (item.instance_id, item.template_id) {
                (Some(id), _) => {
                    let m = cx.store.cadence().meeting(id)?;
                    let carried_open = m.items.iter().filter(|i| i.carried_from.is_some() && !i.done).count();
                    Preview { items: m.items, kpis: m.kpis, rule, carried_open, workflows: Vec::new() }
                }
                (None, Some(tid)) => {
                    let items = cx.store.cadence().planned_items(tid, self.day)?;
                    let kpis = templates.iter().find(|t| t.id == tid).map(|t| t.kpis.clone()).unwrap_or_default();
                    let carried_open = items.iter().filter(|i| i.carried_from.is_some()).count();
                    Preview { items, kpis, rule, carried_open, workflows: Vec::new() }
                }
                (None, None) => Preview::default(),
            };
            self.previews.push(Preview { workflows: behind, ..p });
        }
        Ok(())
    }

    fn open_selected(&mut self, cx: &Ctx) -> Result<Effect> {
        let Some(item) = self.selected().cloned() else { return Ok(Effect::None) };
        let created = item.instance_id.is_none();
        let id = cx.store.write(|tx| tx.cadence().open_meeting(&item, self.day, cx.now))?;
        self.meeting = Some(MeetingView::load(id, cx)?);
        // Opening creates the day's instance the first time: everyone must see it.
        Ok(if created { Effect::Saved(String::new()) } else { Effect::None })
    }

    fn agenda_form_key(&mut self, input: &Input, cx: &Ctx) -> Result<Effect> {
        let Some((kind, form)) = self.form.as_mut() else { return Ok(Effect::None) };
        match form.handle(input.key) {
            FormEvent::Editing => Ok(Effect::None),
            FormEvent::Cancel => {
                self.form = None;
                Ok(Effect::Status("nothing changed".into()))
            }
            FormEvent::Submit => {
                if let Some(why) = form.missing() {
                    form.error = Some(why);
                    return Ok(Effect::None);
                }
                let result = match kind {
                    AgendaForm::Move(item) => (|| -> Result<String> {
                        let t = parse_time(form.get(0))?;
                        cx.store.write(|tx| tx.cadence().move_meeting(item, self.day, t, cx.now))?;
                        Ok(format!("{} moved to {} ({})", item.name, t.format("%H:%M"), self.day.format("%a %d %b")))
                    })(),
                    AgendaForm::OneOff => {
                        let minutes = match form.get(2) {
                            "" => Ok(30),
                            m => m
                                .parse::<u32>()
                                .map_err(|_| crate::error::Error::input(format!("'{m}' is not a length in minutes"))),
                        };
                        (|| -> Result<String> {
                            let t = parse_time(form.get(1))?;
                            let minutes = minutes?;
                            cx.store.write(|tx| tx.cadence().add_one_off(self.day, form.get(0), t, minutes, cx.now))?;
                            Ok(format!("one-off '{}' added at {}", form.get(0), t.format("%H:%M")))
                        })()
                    }
                };
                match result {
                    Ok(msg) => {
                        self.form = None;
                        Ok(Effect::Saved(msg))
                    }
                    Err(e) => {
                        form.error = Some(e.to_string());
                        Ok(Effect::None)
                    }
                }
            }
        }
    }

    fn agenda_action(&mut self, action: Action, cx: &Ctx) -> Result<Effect> {
        if move_selection(&mut self.sel, self.items.len(), action) {
            self.moved = true;
            return Ok(Effect::None);
        }
        match action {
            Action::PrevPeriod | Action::NextPeriod | Action::Left | Action::Right => {
                let back = matches!(action, Action::PrevPeriod | Action::Left);
                self.offset += if back { -1 } else { 1 };
                self.moved = false;
                self.sel = 0;
                self.reload(cx)?;
                return Ok(Effect::Status(format!("{}", self.day.format("%A %d %B"))));
            }
            Action::Select => return self.open_selected(cx),
            Action::Skip => {
                let Some(item) = self.selected().cloned() else { return Ok(Effect::None) };
                let status = cx.store.write(|tx| tx.cadence().toggle_skip(&item, self.day, cx.now))?;
                let what = if status == MeetingStatus::Skipped { "skipped" } else { "back on" };
                return Ok(Effect::Saved(format!("{} {what} {}", item.name, self.day.format("%a %d %b"))));
            }
            Action::Move => {
                let Some(item) = self.selected().cloned() else { return Ok(Effect::None) };
                let title = format!("Move {} ({} only)", item.name, self.day.format("%a %d %b"));
                let field =
                    Field::new("New time").required().hint("HH:MM").value(&item.start.format("%H:%M").to_string());
                self.form = Some((AgendaForm::Move(item), Form::new(&title, vec![field])));
            }
            Action::New => {
                let title = format!("One-off meeting on {}", self.day.format("%a %d %b"));
                let fields = vec![
                    Field::new("Name").required(),
                    Field::new("Time").required().hint("HH:MM"),
                    Field::new("Minutes").hint("30"),
                ];
                self.form = Some((AgendaForm::OneOff, Form::new(&title, fields)));
            }
            Action::Settings => self.settings = Some(Settings::load(cx)?),
            Action::Back if self.offset != 0 => {
                self.offset = 0;
                self.moved = false;
                self.reload(cx)?;
            }
            _ => return Ok(Effect::Unhandled),
        }
        Ok(Effect::None)
    }
}

impl Screen for Today {
    fn id(&self) -> ScreenId {
        ScreenId::Today
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        self.day = cx.now.date() + Duration::days(self.offset);
        self.loaded_for = Some(cx.now.date());
        let cal = &cx.config.pacing.calendar;
        self.items = cx.store.cadence().agenda_on(self.day, cal)?;
        self.holiday = cal.is_holiday(self.day);
        self.next = if self.offset == 0 { cx.store.cadence().next_meeting(cx.now, cal)? } else { None };
        self.sel = clamp_selection(self.sel, self.items.len());
        self.follow_clock(cx.now);
        self.load_previews(cx)?;
        if let Some(m) = self.meeting.as_mut() {
            m.reload(cx)?;
        }
        if let Some(s) = self.settings.as_mut() {
            s.reload(cx)?;
        }
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        if let Some(s) = self.settings.as_mut() {
            return match s.handle(&input, cx)? {
                settings::Outcome::Close => {
                    self.settings = None;
                    Ok(Effect::None)
                }
                settings::Outcome::Effect(e) => Ok(e),
            };
        }
        if let Some(m) = self.meeting.as_mut() {
            return match m.handle(&input, cx)? {
                meeting::Outcome::Close => {
                    self.meeting = None;
                    Ok(Effect::None)
                }
                meeting::Outcome::Effect(e) => Ok(e),
            };
        }
        if self.form.is_some() {
            return self.agenda_form_key(&input, cx);
        }
        match input.action {
            Some(a) => self.agenda_action(a, cx),
            None => Ok(Effect::Unhandled),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        if let Some(s) = self.settings.as_mut() {
            s.draw(frame, area, cx);
        } else if let Some(m) = self.meeting.as_mut() {
            m.draw(frame, area, cx);
        } else {
            agenda::draw(self, frame, area, cx);
        }
    }

    fn captures_text(&self) -> bool {
        self.form.is_some()
            || self.meeting.as_ref().is_some_and(|m| m.captures_text())
            || self.settings.as_ref().is_some_and(|s| s.captures_text())
    }

    fn view_name(&self) -> &'static str {
        if self.settings.is_some() {
            "meeting templates"
        } else if self.meeting.is_some() {
            "meeting"
        } else {
            ""
        }
    }

    fn hints(&self) -> Vec<Action> {
        if self.settings.is_some() {
            vec![Action::Edit, Action::Back]
        } else if let Some(m) = self.meeting.as_ref() {
            let more = m.kpi_cut().then_some(Action::PageDown);
            [Some(Action::Toggle), Some(Action::Edit), more, Some(Action::Back)].into_iter().flatten().collect()
        } else {
            vec![
                Action::Select,
                Action::Skip,
                Action::Move,
                Action::New,
                Action::PrevPeriod,
                Action::NextPeriod,
                Action::Settings,
            ]
        }
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        if let Target::Meeting(id) = target {
            let view = MeetingView::load(*id, cx)?;
            self.offset = (view.day() - cx.now.date()).num_days();
            self.settings = None;
            self.reload(cx)?;
            if let Some(i) = self.items.iter().position(|a| a.instance_id == Some(*id)) {
                self.sel = i;
                self.moved = true;
            }
            self.meeting = Some(view);
        }
        Ok(())
    }

    fn links(&self) -> Links {
        Links { meeting_id: self.meeting.as_ref().map(|m| m.instance_id()), ..Links::default() }
    }

    /// Follow the clock: a new day reloads; a meeting starting is announced once (and rings).
    fn tick(&mut self, cx: &Ctx) -> Effect {
        if self.loaded_for != Some(cx.now.date()) && self.reload(cx).is_err() {
            return Effect::None;
        }
        self.follow_clock(cx.now);
        if !self.is_today(cx.now) {
            return Effect::None;
        }
        let Some(i) = agenda_focus(&self.items, cx.now).current else { return Effect::None };
        let item = &self.items[i];
        let key = (self.day, item.start, item.name.clone());
        if self.announced.as_ref() == Some(&key) {
            return Effect::None;
        }
        self.announced = Some(key);
        // Only a start seen as it happens is announced, not one already under way when the tab opened.
        if cx.now - self.day.and_time(item.start) < Duration::seconds(60) {
            return Effect::Bell(format!("{} starting", item.name));
        }
        Effect::None
    }

    fn paste(&mut self, text: &str) {
        if let Some((_, f)) = self.form.as_mut() {
            f.paste(text);
        } else if let Some(m) = self.meeting.as_mut() {
            m.paste(text);
        } else if let Some(s) = self.settings.as_mut() {
            s.paste(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::store::Store;
    use crate::tui::theme::Theme;

    fn tick_at(today: &mut Today, store: &Store, config: &Config, now: &str) -> Option<String> {
        let theme = Theme::plain();
        let cx = Ctx { store, config, theme: &theme, now: crate::clock::parse_now(now).unwrap(), background: false };
        match today.tick(&cx) {
            Effect::Bell(msg) => Some(msg),
            _ => None,
        }
    }

    #[test]
    fn a_meeting_starting_is_announced_once_as_the_clock_moves() {
        let store = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T12:58").unwrap();
        store.write(|tx| tx.meta().init_role(crate::assets::Role::DemandGen, now)).unwrap();
        let config = Config::default();
        let mut t = Today::default();
        assert_eq!(tick_at(&mut t, &store, &config, "2026-11-20T12:59:59"), None);
        assert_eq!(t.selected().map(|a| a.name.as_str()), Some("Sales sync"), "the selection follows the clock");
        assert_eq!(tick_at(&mut t, &store, &config, "2026-11-20T13:00:00").as_deref(), Some("Sales sync starting"));
        assert_eq!(tick_at(&mut t, &store, &config, "2026-11-20T13:00:01"), None, "once");
        // Opening the cockpit in the middle of a meeting does not ring for it.
        let mut late = Today::default();
        assert_eq!(tick_at(&mut late, &store, &config, "2026-11-20T13:10:00"), None);
        assert_eq!(
            tick_at(&mut late, &store, &config, "2026-11-20T15:00:00").as_deref(),
            Some("Webinar planning starting")
        );
    }
}
