//! The Compete tab: every competitor with its win rate this quarter, n, trend, card age and owner,
//! stale cards first; Enter opens the battlecard (j/k pick a section), `e` edits a section (the
//! form, or `$EDITOR` with Ctrl-E), `n` adds a competitor, `L` records a competitor launch.
//! Everything shown is `views::compete`'s readout, computed once per reload.

mod draw;
mod forms;

pub(super) use draw::review_lines;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::battlecard::Section;
use crate::domain::period::{Grain, Period};
use crate::domain::winloss::{By, Comparison};
use crate::error::Result;
use crate::keymap::Action;
use crate::store::compete::Card;
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId, Target};
use crate::tui::widgets::clamp_selection;
use crate::views::compete::{self as view, CardJson, ListJson};

/// One battlecard open over the list.
struct OpenCard {
    card: CardJson,
    /// The selected section, in `Section::ALL` order.
    sel: usize,
}

#[derive(Default)]
pub struct Compete {
    list: Option<ListJson>,
    cards: Vec<Card>,
    comparison: Option<Comparison>,
    sel: usize,
    open: Option<OpenCard>,
    /// Rows visible in the table at the last draw (for paging).
    page: usize,
}

impl Compete {
    /// The competitor under the cursor: the open card's, else the list's selected row.
    fn selected_key(&self) -> Option<String> {
        if let Some(o) = &self.open {
            return Some(o.card.key.clone());
        }
        self.list.as_ref()?.competitors.get(self.sel).map(|c| c.key.clone())
    }

    fn open_card(&mut self, key: &str, cx: &Ctx) -> Result<()> {
        let (Some(c), Some(card)) =
            (&self.comparison, self.cards.iter().find(|c| c.competitor.key.eq_ignore_ascii_case(key)))
        else {
            return Ok(());
        };
        let json = view::card_json(card, c, cx.now.date(), &cx.config.compete);
        let sel = self.open.as_ref().filter(|o| o.card.key == json.key).map_or(0, |o| o.sel);
        self.open = Some(OpenCard { card: json, sel });
        Ok(())
    }

    fn section(&self) -> Option<Section> {
        self.open.as_ref().map(|o| Section::ALL[o.sel.min(Section::ALL.len() - 1)])
    }

    fn move_sel(&mut self, a: Action) -> bool {
        let (sel, len) = match (&mut self.open, &self.list) {
            (Some(o), _) => (&mut o.sel, Section::ALL.len()),
            (None, Some(l)) => (&mut self.sel, l.competitors.len()),
            (None, None) => return false,
        };
        let last = len.saturating_sub(1);
        let page = self.page.max(1);
        match a {
            Action::Up => *sel = sel.saturating_sub(1),
            Action::Down => *sel = (*sel + 1).min(last),
            Action::PageUp => *sel = sel.saturating_sub(page),
            Action::PageDown => *sel = (*sel + page).min(last),
            Action::Top => *sel = 0,
            Action::Bottom => *sel = last,
            _ => return false,
        }
        true
    }
}

impl Screen for Compete {
    fn id(&self) -> ScreenId {
        ScreenId::Compete
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        let today = cx.now.date();
        self.cards = cx.store.compete().cards()?;
        let c = view::comparison(cx.store, Period::containing(Grain::Quarter, today), By::Competitor)?;
        let triggers = cx.store.compete().triggers()?.into_iter().filter(|t| t.is_open()).collect();
        let list = view::list_json(&self.cards, &c, triggers, today, &cx.config.compete);
        self.sel = clamp_selection(self.sel, list.competitors.len());
        self.list = Some(list);
        self.comparison = Some(c);
        if let Some(key) = self.open.as_ref().map(|o| o.card.key.clone()) {
            self.open = None;
            self.open_card(&key, cx)?;
        }
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        if self.move_sel(action) {
            return Ok(Effect::None);
        }
        match action {
            Action::Select if self.open.is_none() => {
                if let Some(key) = self.selected_key() {
                    self.open_card(&key, cx)?;
                }
                Ok(Effect::None)
            }
            Action::Back if self.open.is_some() => {
                self.open = None;
                Ok(Effect::None)
            }
            Action::Edit => Ok(match self.selected_key() {
                Some(key) => Effect::Popup(forms::section(&key, self.section(), cx)?),
                None => Effect::Status("no competitor yet: n adds one".into()),
            }),
            Action::New => Ok(Effect::Popup(forms::add(cx))),
            Action::Launched => Ok(match self.selected_key() {
                Some(key) => Effect::Popup(forms::launched(&key)),
                None => Effect::Status("no competitor yet: n adds one".into()),
            }),
            _ => Ok(Effect::Unhandled),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw::draw(self, frame, area, cx);
    }

    fn view_name(&self) -> &'static str {
        if self.open.is_some() { "card" } else { "" }
    }

    fn hints(&self) -> Vec<Action> {
        if self.open.is_some() {
            vec![Action::Edit, Action::Launched, Action::Back]
        } else {
            vec![Action::Select, Action::Edit, Action::New, Action::Launched]
        }
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        if let Target::Competitor(key) = target {
            let folded = crate::domain::compete::competitor_key(key);
            if let Some(i) = self.list.as_ref().and_then(|l| {
                l.competitors.iter().position(|c| crate::domain::compete::competitor_key(&c.key) == folded)
            }) {
                self.sel = i;
                let key = self.list.as_ref().map(|l| l.competitors[i].key.clone()).unwrap_or_default();
                self.open_card(&key, cx)?;
            }
        }
        Ok(())
    }
}
