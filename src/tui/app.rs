//! The cockpit's state machine: tabs, popups, the footer, onboarding; one event in, one frame out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::kept::Kept;
use super::onboarding::Onboarding;
use super::popups::{decision_form, help::Help};
use super::screen::{Ctx, Effect, Input, Popup, PopupOutcome, Screen, ScreenId};
use super::screens;
use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::text::{safe, truncate};
use crate::error::Result;
use crate::keymap::Action;
use crate::store::Store;

/// Below this the cockpit shows a notice instead of a layout that cannot fit.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub struct App<'a> {
    store: &'a Store,
    config: &'a Config,
    pub theme: Theme,
    clock: Clock,
    screens: Vec<Box<dyn Screen>>,
    active: usize,
    /// Screens that must reload before they are next drawn.
    stale: Vec<bool>,
    popup: Option<Box<dyn Popup>>,
    onboarding: Option<Onboarding>,
    status: Option<(String, bool)>,
    pub quit: bool,
    /// A bell requested by a screen, rung by the terminal loop.
    pub bell: bool,
    data_version: i64,
    /// Text for `$EDITOR`, waiting for the terminal loop to hand it over.
    editor_request: Option<String>,
    /// The last frame was the "too small" notice: keys must not act on a screen nobody can see.
    too_small: bool,
    /// The clock's minute in the last frame, so the top bar moves when the minute does.
    drawn_minute: Option<u32>,
    /// Slow work asked for by the last event, for the loop to run off the event loop.
    job: Option<super::jobs::Job>,
    /// The tab a jump came from: Esc on the target, once the screen has nothing left to close, goes back.
    jumped_from: Option<usize>,
    /// Screens may reload off the event loop (set by the live cockpit; `render` reloads in place).
    background: bool,
    /// Kept for the frames to come, so a key that changes no data reads nothing from the store
    /// and regroups no keymap on its way to the frame: the store's currency (read again once the
    /// data changes), each tab's key and each view's help (the keymap is fixed while the app runs).
    kept: Kept,
}

impl<'a> App<'a> {
    pub fn new(store: &'a Store, config: &'a Config, clock: Clock, theme: Theme) -> Result<App<'a>> {
        let onboarding = store.meta().role()?.is_none().then(Onboarding::new);
        let screens = screens::all();
        let n = screens.len();
        let kept = Kept::new(&screens, config);
        Ok(App {
            store,
            config,
            theme,
            clock,
            screens,
            active: 0,
            stale: vec![true; n],
            popup: None,
            onboarding,
            status: None,
            quit: false,
            bell: false,
            data_version: store.data_version().unwrap_or(0),
            editor_request: None,
            too_small: false,
            drawn_minute: None,
            jumped_from: None,
            job: None,
            background: false,
            kept,
        })
    }

    /// Run under the event loop: screens with slow reloads (the dashboard's brief) hand them to
    /// background jobs and keep showing what they have meanwhile. Needs a store file (a job opens
    /// its own connection).
    pub fn run_jobs_in_background(&mut self) {
        self.background = self.store.path().is_some();
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            store: self.store,
            config: self.config,
            theme: &self.theme,
            now: self.clock.now(),
            background: self.background,
        }
    }

    pub fn active_screen(&self) -> ScreenId {
        self.screens[self.active].id()
    }

    pub fn select(&mut self, id: ScreenId) {
        if let Some(i) = self.screens.iter().position(|s| s.id() == id) {
            self.active = i;
        }
    }

    /// Reload the visible screen if the store changed since it last looked.
    fn refresh_active(&mut self) {
        if !self.stale[self.active] {
            return;
        }
        self.stale[self.active] = false;
        let cx = Ctx {
            store: self.store,
            config: self.config,
            theme: &self.theme,
            now: self.clock.now(),
            background: self.background,
        };
        if let Err(e) = self.screens[self.active].reload(&cx) {
            self.status = Some((e.to_string(), true));
        }
    }

    fn mark_all_stale(&mut self) {
        self.stale.iter_mut().for_each(|s| *s = true);
        self.kept.currency = None;
    }

    pub fn on_paste(&mut self, text: &str) {
        if let Some(p) = self.popup.as_mut() {
            p.paste(text);
        } else if let Some(o) = self.onboarding.as_mut() {
            let _ = o;
        } else {
            self.screens[self.active].paste(text);
        }
    }

    /// Slow work the last event asked for, with what it needs: the store file and the time.
    pub fn take_job(&mut self) -> Option<(super::jobs::Job, std::path::PathBuf, chrono::NaiveDateTime)> {
        let job = self
            .job
            .take()
            .or_else(|| self.popup.as_mut().and_then(|p| p.take_job()))
            .or_else(|| self.screens.iter_mut().find_map(|s| s.take_job()))?;
        let Some(path) = self.store.path() else {
            self.status = Some(("background work needs a store file".into(), true));
            return None;
        };
        Some((job, path.to_path_buf(), self.clock.now()))
    }

    /// A background job finished.
    pub fn job_done(&mut self, result: super::jobs::JobResult) {
        let report = match result {
            super::jobs::JobResult::Demo(report) => report,
            super::jobs::JobResult::Palette(..) => return self.palette_done(result),
            other => {
                let cx = Ctx {
                    store: self.store,
                    config: self.config,
                    theme: &self.theme,
                    now: self.clock.now(),
                    background: self.background,
                };
                let i = ScreenId::Dashboard.index();
                self.screens[i].job_done(other, &cx);
                return;
            }
        };
        let step = match self.onboarding.as_mut() {
            Some(o) => o.demo_done(report),
            None => return,
        };
        let effect = match step {
            Ok(super::onboarding::Step::Finished(msg)) => {
                self.onboarding = None;
                self.mark_all_stale();
                self.data_version = self.store.data_version().unwrap_or(self.data_version);
                Effect::Status(msg)
            }
            Ok(_) => Effect::None,
            Err(e) => Effect::Error(e.to_string()),
        };
        self.apply(effect);
    }

    /// A palette command finished: to the palette if it is still open, else to the footer.
    fn palette_done(&mut self, result: super::jobs::JobResult) {
        let back = match self.popup.as_mut() {
            Some(p) => p.job_done(result),
            None => Err(result),
        };
        let effect = match back {
            Ok(PopupOutcome::Continue) => Effect::None,
            Ok(PopupOutcome::Close(effect)) => {
                self.popup = None;
                effect
            }
            Err(super::jobs::JobResult::Palette(done)) => {
                let (command, said) = *done;
                super::popups::palette::said_in_footer(&command, said)
            }
            Err(_) => Effect::None,
        };
        self.apply(effect);
    }

    /// Add a note to the footer's message (or show it alone).
    pub fn note(&mut self, note: &str) {
        self.status = Some(match self.status.take() {
            Some((msg, is_error)) => (format!("{msg} · {note}"), is_error),
            None => (note.to_string(), false),
        });
    }

    /// Ctrl-E in a form asked for `$EDITOR`: the text to edit, once.
    pub fn take_editor_request(&mut self) -> Option<String> {
        self.editor_request.take()
    }

    /// What came back from `$EDITOR` goes into the field it came from.
    pub fn editor_done(&mut self, result: Result<String>) {
        match result {
            Ok(text) => {
                if let Some(form) = self.popup.as_mut().and_then(|p| p.form_mut()) {
                    form.set_focused_value(&text);
                }
            }
            Err(e) => self.status = Some((e.to_string(), true)),
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        self.refresh_active();
        let result = self.dispatch_key(key);
        match result {
            Ok(effect) => self.apply(effect),
            Err(e) => self.status = Some((e.to_string(), true)),
        }
    }

    fn dispatch_key(&mut self, key: KeyEvent) -> Result<Effect> {
        // Ctrl-C always quits, whatever has focus: the terminal must never trap the user.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return Ok(Effect::None);
        }
        if self.too_small {
            if self.config.keymap.action("global", &key) == Some(Action::Quit) {
                self.quit = true;
            }
            return Ok(Effect::None);
        }
        if self.onboarding.is_some() {
            return self.onboarding_key(key);
        }
        if key.code == KeyCode::Char('e')
            && key.modifiers.contains(KeyModifiers::CONTROL)
            && let Some(form) = self.popup.as_mut().and_then(|p| p.form_mut())
        {
            self.editor_request = Some(form.focused_value());
            return Ok(Effect::None);
        }
        if let Some(mut popup) = self.popup.take() {
            let outcome = {
                let cx = self.ctx();
                popup.handle(key, &cx)
            };
            return match outcome {
                Ok(PopupOutcome::Continue) => {
                    self.popup = Some(popup);
                    Ok(Effect::None)
                }
                Ok(PopupOutcome::Close(effect)) => Ok(effect),
                Err(e) => {
                    self.popup = Some(popup);
                    Err(e)
                }
            };
        }
        self.status = None;
        let id = self.active_screen();
        let captures = self.screens[self.active].captures_text();
        let action = if captures { None } else { self.config.keymap.action(id.name(), &key) };
        let effect = {
            let cx = Ctx {
                store: self.store,
                config: self.config,
                theme: &self.theme,
                now: self.clock.now(),
                background: self.background,
            };
            self.screens[self.active].handle(Input { key, action }, &cx)?
        };
        match effect {
            Effect::Unhandled if !captures => Ok(self.global(action)),
            other => Ok(other),
        }
    }

    fn global(&mut self, action: Option<Action>) -> Effect {
        let Some(action) = action else { return Effect::None };
        if matches!(
            action,
            Action::NextTab
                | Action::PrevTab
                | Action::TabDashboard
                | Action::TabLaunches
                | Action::TabBudget
                | Action::TabToday
                | Action::TabDecisions
                | Action::TabTeam
                | Action::TabLearn
                | Action::TabCompete
        ) {
            self.jumped_from = None; // moving on by hand: Esc no longer means "back to where I jumped from"
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => {
                let id = self.active_screen();
                let view = self.screens[self.active].view_name();
                let body = self.kept.help(&self.config.keymap, id, view, &self.theme);
                return Effect::Popup(Box::new(Help::new(body)));
            }
            Action::Back => {
                if let Some(from) = self.jumped_from.take() {
                    self.active = from;
                }
            }
            Action::NextTab => self.active = (self.active + 1) % self.screens.len(),
            Action::PrevTab => self.active = (self.active + self.screens.len() - 1) % self.screens.len(),
            Action::TabDashboard => self.select(ScreenId::Dashboard),
            Action::TabLaunches => self.select(ScreenId::Launches),
            Action::TabBudget => self.select(ScreenId::Budget),
            Action::TabToday => self.select(ScreenId::Today),
            Action::TabDecisions => self.select(ScreenId::Decisions),
            Action::TabTeam => self.select(ScreenId::Team),
            Action::TabLearn => self.select(ScreenId::Learn),
            Action::TabCompete => self.select(ScreenId::Compete),
            Action::Refresh => {
                self.mark_all_stale();
                return Effect::Status("reloaded".into());
            }
            Action::Imports => {
                return match super::popups::imports::Imports::open(&self.ctx()) {
                    Ok(p) => Effect::Popup(Box::new(p)),
                    Err(e) => Effect::Error(e.to_string()),
                };
            }
            Action::Palette => return Effect::Popup(Box::new(super::popups::palette::Palette::new())),
            Action::LogDecision => {
                let mut links = self.screens[self.active].links();
                if links.meeting_id.is_none() {
                    // Pressed outside the Today screen during a meeting: it belongs to that meeting.
                    links.meeting_id = self.current_meeting();
                }
                let cx = self.ctx();
                return Effect::Popup(decision_form::open(links, &cx));
            }
            _ => {}
        }
        Effect::None
    }

    /// The meeting under way by the clock (the store's one rule, as a budget move or an
    /// override made now is linked to), its instance created if it has none yet.
    fn current_meeting(&self) -> Option<i64> {
        let now = self.clock.now();
        self.store.write(|tx| tx.cadence().meeting_under_way(now)).ok().flatten()
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None | Effect::Unhandled => {}
            Effect::Status(s) => self.status = Some((s, false)),
            Effect::Error(s) => self.status = Some((s, true)),
            Effect::Saved(s) => {
                self.mark_all_stale();
                if !s.is_empty() {
                    self.status = Some((s, false));
                }
            }
            Effect::Jump(target) => {
                let from = self.active;
                self.select(target.screen());
                self.jumped_from = (self.active != from).then_some(from);
                self.refresh_active();
                let cx = Ctx {
                    store: self.store,
                    config: self.config,
                    theme: &self.theme,
                    now: self.clock.now(),
                    background: self.background,
                };
                if let Err(e) = self.screens[self.active].focus(&target, &cx) {
                    self.status = Some((e.to_string(), true));
                }
            }
            Effect::Popup(p) => self.popup = Some(p),
            Effect::Bell(s) => {
                self.bell = self.config.bell;
                self.status = Some((s, false));
            }
            Effect::Then(first, then) => {
                self.apply(*first);
                self.apply(*then);
            }
        }
    }

    /// Once a second: notice other processes' writes cheaply, and let screens follow the clock.
    /// Returns true when something visible changed.
    pub fn on_tick(&mut self) -> bool {
        let mut changed = self.drawn_minute != Some(chrono::Timelike::minute(&self.clock.now()))
            || self.popup.as_ref().is_some_and(|p| p.busy());
        if let Ok(v) = self.store.data_version()
            && v != self.data_version
        {
            self.data_version = v;
            self.mark_all_stale();
            changed = true;
        }
        if self.onboarding.is_none() {
            self.refresh_active();
            let effect = {
                let cx = Ctx {
                    store: self.store,
                    config: self.config,
                    theme: &self.theme,
                    now: self.clock.now(),
                    background: self.background,
                };
                self.screens[self.active].tick(&cx)
            };
            if !matches!(effect, Effect::None) {
                self.apply(effect);
                changed = true;
            }
        }
        changed
    }

    fn onboarding_key(&mut self, key: KeyEvent) -> Result<Effect> {
        let Some(o) = self.onboarding.as_mut() else { return Ok(Effect::None) };
        let now = self.clock.now();
        match o.handle(key, &self.config.keymap, self.store, now)? {
            super::onboarding::Step::Stay => Ok(Effect::None),
            super::onboarding::Step::Quit => {
                self.quit = true;
                Ok(Effect::None)
            }
            super::onboarding::Step::GenerateDemo => {
                self.job = Some(super::jobs::Job::Demo);
                Ok(Effect::None)
            }
            super::onboarding::Step::Finished(msg) => {
                self.onboarding = None;
                self.mark_all_stale();
                self.data_version = self.store.data_version().unwrap_or(self.data_version);
                Ok(Effect::Status(msg))
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.drawn_minute = Some(chrono::Timelike::minute(&self.clock.now()));
        self.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        if self.too_small {
            let msg =
                format!("terminal too small: {}x{}, mktg needs {MIN_WIDTH}x{MIN_HEIGHT}", area.width, area.height);
            // Word-wrapped by ratatui, so even a 20-column terminal shows the whole notice.
            frame.render_widget(Paragraph::new(msg).style(self.theme.warn()).wrap(Wrap { trim: true }), area);
            return;
        }
        if let Some(o) = self.onboarding.as_mut() {
            o.draw(frame, area, &self.theme, &self.config.keymap);
            return;
        }
        self.refresh_active();
        if self.kept.currency.is_none() {
            self.kept.currency = Some(self.store.meta().currency());
        }
        let [top, body, footer] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
        self.draw_tabs(frame, top);
        let cx = Ctx {
            store: self.store,
            config: self.config,
            theme: &self.theme,
            now: self.clock.now(),
            background: self.background,
        };
        self.screens[self.active].draw(frame, body, &cx);
        if let Some(p) = self.popup.as_mut() {
            p.draw(frame, body, &cx);
        }
        self.draw_footer(frame, footer);
    }

    fn draw_tabs(&self, frame: &mut Frame, area: Rect) {
        let keys = self.kept.tab_keys();
        let full = |i: usize| format!(" {} {} ", keys[i], self.screens[i].id().title());
        let wide: usize = 6 + (0..self.screens.len()).map(|i| full(i).chars().count()).sum::<usize>();
        // Too narrow for every title and the time: the other tabs show their key only.
        let compact = wide + " 00:00 ".len() > area.width as usize;
        let mut spans = vec![Span::styled(" mktg ", self.theme.title())];
        for (i, key) in keys.iter().enumerate() {
            let label = if compact && i != self.active { format!(" {key} ") } else { full(i) };
            let style = if i == self.active { self.theme.selected() } else { self.theme.dim() };
            spans.push(Span::styled(label, style));
        }
        let used: usize = spans.iter().map(|s| s.width()).sum();
        // The day is dropped before the time when the tabs leave no room for both.
        let mut clock = self.clock.now().format(" %a %d %b %H:%M ").to_string();
        if used + clock.chars().count() > area.width as usize {
            clock = self.clock.now().format(" %H:%M ").to_string();
        }
        // The store's one currency, beside the clock when there is room for it.
        let currency = format!(" {} ·", self.kept.currency.as_deref().unwrap_or_default());
        if used + clock.chars().count() + currency.chars().count() <= area.width as usize {
            clock.insert_str(0, &currency);
        }
        let pad = (area.width as usize).saturating_sub(used + clock.chars().count());
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(clock, self.theme.accent()));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_footer(&self, frame: &mut Frame, area: Rect) {
        if let Some((msg, is_error)) = &self.status {
            let style = if *is_error { self.theme.bad() } else { self.theme.good() };
            let text = truncate(&safe(msg), area.width as usize).into_owned();
            frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
            return;
        }
        let id = self.active_screen();
        let entry = |a: Action| self.config.keymap.key_for(id.name(), a).map(|k| (k, super::footer::short_help(a)));
        // "? keys" and "q quit" always show; the screen's own hints fill the room left.
        let always: Vec<(String, &str)> = [Action::Help, Action::Quit].into_iter().filter_map(entry).collect();
        let width = |(k, l): &(String, &str)| k.chars().count() + l.chars().count() + 3;
        let mut room = (area.width as usize).saturating_sub(always.iter().map(width).sum());
        let mut shown = Vec::new();
        let mut hints = self.screens[self.active].hints();
        hints.push(Action::LogDecision);
        for e in hints.into_iter().filter_map(entry) {
            if width(&e) > room {
                break;
            }
            room -= width(&e);
            shown.push(e);
        }
        let mut spans = Vec::new();
        for (k, label) in shown.into_iter().chain(always) {
            spans.push(Span::styled(format!(" {k}"), self.theme.key()));
            spans.push(Span::styled(format!(" {label} "), self.theme.dim()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
