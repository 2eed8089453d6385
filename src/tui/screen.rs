//! What a screen is to the app: it reloads from the store, handles actions, draws itself.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::theme::Theme;
use crate::config::Config;
use crate::error::Result;
use crate::keymap::Action;
use crate::store::Store;

/// Everything a screen may read while handling an event or drawing a frame.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub theme: &'a Theme,
    /// The clock's reading for this event or frame.
    pub now: NaiveDateTime,
    /// Slow reloads may run as background jobs (the live cockpit, on a store file); otherwise
    /// (`render`, tests) a screen reloads in place.
    pub background: bool,
}

/// The tabs, in order; the name is also the keymap section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Dashboard,
    Launches,
    Budget,
    Today,
    Decisions,
    Learn,
    Compete,
    Team,
}

impl ScreenId {
    pub const ALL: [ScreenId; 8] = [
        ScreenId::Dashboard,
        ScreenId::Launches,
        ScreenId::Budget,
        ScreenId::Today,
        ScreenId::Decisions,
        ScreenId::Learn,
        ScreenId::Compete,
        ScreenId::Team,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "dashboard",
            ScreenId::Launches => "launches",
            ScreenId::Budget => "budget",
            ScreenId::Today => "today",
            ScreenId::Decisions => "decisions",
            ScreenId::Learn => "learn",
            ScreenId::Compete => "compete",
            ScreenId::Team => "team",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "Dashboard",
            ScreenId::Launches => "Launches",
            ScreenId::Budget => "Budget",
            ScreenId::Today => "Today",
            ScreenId::Decisions => "Decisions",
            ScreenId::Learn => "Learn",
            ScreenId::Compete => "Compete",
            ScreenId::Team => "Team",
        }
    }

    pub fn parse(s: &str) -> Option<ScreenId> {
        ScreenId::ALL.into_iter().find(|id| id.name() == s.trim().to_ascii_lowercase())
    }

    /// The number on its tab and the key that reaches it: fixed per screen (Compete is 7 whatever
    /// else is built), so the label never disagrees with the keymap's `tab-*` keys.
    pub fn number(self) -> usize {
        match self {
            ScreenId::Compete => 7,
            other => other.index() + 1,
        }
    }

    pub fn index(self) -> usize {
        ScreenId::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// A thing another screen can jump to (from the attention list, a decision's links...).
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Kpi(String),
    Launch(i64),
    Campaign(i64),
    Meeting(i64),
    Decision(i64),
    /// A workflow, by name (the Team tab's backlog).
    Workflow(String),
    /// A member of the team, or an owner, by key (the Team tab's load).
    Person(String),
    /// A competitor's battlecard, by key.
    Competitor(String),
}

impl Target {
    pub fn screen(&self) -> ScreenId {
        match self {
            Target::Kpi(_) => ScreenId::Dashboard,
            Target::Launch(_) => ScreenId::Launches,
            Target::Campaign(_) => ScreenId::Budget,
            Target::Meeting(_) => ScreenId::Today,
            Target::Decision(_) => ScreenId::Decisions,
            Target::Workflow(_) | Target::Person(_) => ScreenId::Team,
            Target::Competitor(_) => ScreenId::Compete,
        }
    }
}

/// What a new decision logged from this screen should be linked to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    pub meeting_id: Option<i64>,
    pub launch_id: Option<i64>,
    pub campaign_id: Option<i64>,
}

/// One key press as a screen sees it: the raw key, and the action the keymap gives it here.
pub struct Input {
    pub key: KeyEvent,
    pub action: Option<Action>,
}

/// What handling an event asks of the app.
pub enum Effect {
    /// Nothing to do (the event was handled).
    None,
    /// The screen did not use the event: the app may (global keys).
    Unhandled,
    /// A one-line message in the footer.
    Status(String),
    /// A one-line error in the footer.
    Error(String),
    /// Something was written: every screen reloads before it is next drawn.
    Saved(String),
    /// Switch to the screen owning the target and focus it.
    Jump(Target),
    /// Open a modal over everything.
    Popup(Box<dyn Popup>),
    /// Ring the terminal bell (a meeting is starting).
    Bell(String),
    /// One effect, then another: a save, then a question about it (an owner not on the team).
    Then(Box<Effect>, Box<Effect>),
}

/// A modal dialog: it gets every key while open.
pub trait Popup {
    fn handle(&mut self, key: KeyEvent, cx: &Ctx) -> Result<PopupOutcome>;
    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx);
    /// Text pasted while the popup is open.
    fn paste(&mut self, _text: &str) {}
    /// The form whose focused field Ctrl-E hands to `$EDITOR` for long text.
    fn form_mut(&mut self) -> Option<&mut crate::tui::widgets::form::Form> {
        None
    }
    /// Slow work the popup wants done off the event loop (the palette's commands), once.
    fn take_job(&mut self) -> Option<super::jobs::Job> {
        None
    }
    /// Work under way: the frame changes as it goes (a "working…" line with the seconds).
    fn busy(&self) -> bool {
        false
    }
    /// The result of a job the popup asked for; handed back when it is not the popup's.
    fn job_done(
        &mut self,
        result: super::jobs::JobResult,
    ) -> std::result::Result<PopupOutcome, super::jobs::JobResult> {
        Err(result)
    }
}

pub enum PopupOutcome {
    /// Stay open.
    Continue,
    /// Close, and apply this effect.
    Close(Effect),
}

pub trait Screen {
    fn id(&self) -> ScreenId;
    /// Fetch what the screen shows from the store. Called when it becomes visible after a change.
    fn reload(&mut self, cx: &Ctx) -> Result<()>;
    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect>;
    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx);
    /// True while the screen has a text field focused: keys go to it raw, not through the keymap.
    fn captures_text(&self) -> bool {
        false
    }
    /// The sub-view in sight (`tui::views`), for `?`: `""` is the screen itself.
    fn view_name(&self) -> &'static str {
        ""
    }
    /// The actions worth showing in the footer right now.
    fn hints(&self) -> Vec<Action> {
        Vec::new()
    }
    /// Bring `target` into view.
    fn focus(&mut self, _target: &Target, _cx: &Ctx) -> Result<()> {
        Ok(())
    }
    /// What a decision logged now should be linked to.
    fn links(&self) -> Links {
        Links::default()
    }
    /// Called once a second with the clock; a screen may return a notice (a meeting starting).
    fn tick(&mut self, _cx: &Ctx) -> Effect {
        Effect::None
    }
    /// Text pasted while a field is focused.
    fn paste(&mut self, _text: &str) {}
    /// Slow work the screen wants done off the event loop (see `jobs`), once.
    fn take_job(&mut self) -> Option<super::jobs::Job> {
        None
    }
    /// The result of a job the screen asked for.
    fn job_done(&mut self, _result: super::jobs::JobResult, _cx: &Ctx) {}
}
