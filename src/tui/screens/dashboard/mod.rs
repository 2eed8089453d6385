//! The Dashboard tab: the morning dashboard (tiles, funnel, budget burn, agenda, attention),
//! the KPI drill-down, and KPI entry. Every number comes from [`crate::brief::Brief`].
//!
//! Keys: `h`/`l` pick a tile, `j`/`k` move in the attention list, Enter opens what is
//! selected (a tile's drill-down, or where an attention line points), `p` cycles the
//! period (day, week, month, quarter, last month, last quarter), `a` shows every attention
//! line (the groups' rest), `c` acknowledges a campaign over plan, `r` records a value. In the
//! drill-down, `j`/`k` pick an entry, `e` edits it, `x` deletes it (after a confirmation), Esc
//! goes back.

mod attention;
mod drilldown;
mod entry;
mod panels;
mod target;
mod tiles;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

use crate::brief::{Brief, Link};
use crate::domain::attention::kind;
use crate::domain::budget::acknowledged_words;
use crate::domain::period_choice::PeriodChoice;
use crate::error::Result;
use crate::keymap::Action;
use crate::tui::jobs::{DashboardJob, Job, JobResult};
use crate::tui::screen::{Ctx, Effect, Input, Screen, ScreenId, Target};
use crate::tui::widgets::{clamp_selection, panel};
use drilldown::DrillView;

/// At this width and height and above, the wide layout; below, the compact one.
const WIDE_MIN: (u16, u16) = (110, 34);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Tiles,
    Attention,
}

pub struct Dashboard {
    choice: PeriodChoice,
    /// Every attention line, not just each group's top ones.
    all: bool,
    /// The attention lines on screen, as indices into the brief's list (set when drawn).
    shown: Vec<usize>,
    brief: Option<Brief>,
    error: Option<String>,
    focus: Focus,
    tile: usize,
    line: usize,
    drill: Option<DrillView>,
    refresh: Refresh,
    /// The attention lines' text as last cut, for the brief on screen.
    cut: attention::Cut,
}

/// A reload running off the event loop: the last brief stays on screen, marked, meanwhile.
#[derive(Default)]
struct Refresh {
    running: bool,
    /// The store changed again (or the view did) while it ran: run once more when it is back.
    again: bool,
    job: Option<Job>,
}

impl Default for Dashboard {
    fn default() -> Dashboard {
        Dashboard {
            choice: PeriodChoice::default(),
            all: false,
            shown: Vec::new(),
            brief: None,
            error: None,
            focus: Focus::Attention,
            tile: 0,
            line: 0,
            drill: None,
            refresh: Refresh::default(),
            cut: attention::Cut::default(),
        }
    }
}

impl Dashboard {
    /// Compute the brief (and the open drill-down) here and now.
    fn reload_now(&mut self, cx: &Ctx) -> Result<()> {
        match Brief::build_at(cx.store, cx.config, cx.now, self.choice) {
            Ok(b) => self.show(b),
            Err(e) => self.error = Some(e.to_string()),
        }
        if let (Some(d), Some(b)) = (self.drill.as_mut(), self.brief.as_ref()) {
            d.reload(cx.store, &b.shown, cx.now.date())?;
        }
        Ok(())
    }

    fn show(&mut self, b: Brief) {
        self.tile = clamp_selection(self.tile, b.tiles.len());
        self.line = clamp_selection(self.line, b.attention.len());
        self.brief = Some(b);
        self.cut = attention::Cut::default();
        self.error = None;
    }

    /// Ask for the brief to be computed off the event loop (one job at a time).
    fn request(&mut self, cx: &Ctx) {
        if self.refresh.running {
            self.refresh.again = true;
            return;
        }
        self.refresh.running = true;
        self.refresh.job = Some(Job::Dashboard(Box::new(DashboardJob {
            choice: self.choice,
            drill: self.drill.as_ref().map(|d| d.metric().to_string()),
            config: cx.config.clone(),
        })));
    }

    /// `p`: the next period. In place when its brief is kept, or the facts' channel scan is at
    /// hand (a few rollup reads), else off the event loop like any refresh.
    fn cycle_period(&mut self, cx: &Ctx) -> Result<Effect> {
        self.choice = self.choice.cycle();
        let today = cx.now.date();
        let in_place = crate::brief::kept::at_hand(cx.store, cx.config, today, self.choice)
            || crate::brief::scan::at_hand(cx.store, today)?;
        let label = if cx.background && !in_place {
            self.request(cx);
            // The brief is on its way: name the choice, the tiles will name the period.
            self.choice.name()
        } else {
            self.reload_now(cx)?;
            self.brief.as_ref().map(|b| b.period_label()).unwrap_or_default()
        };
        Ok(Effect::Status(format!("KPIs for {label} (p: {})", self.choice.cycle().name())))
    }

    /// The brief's index of the selected attention line.
    fn selected_line(&self) -> Option<usize> {
        if self.all { Some(self.line) } else { self.shown.get(self.line).copied() }
    }

    /// `c` on a campaign over plan: acknowledged, it leaves the list until more is spent.
    fn acknowledge(&mut self, cx: &Ctx) -> Result<Effect> {
        let item = self.brief.as_ref().and_then(|b| self.selected_line().and_then(|i| b.attention.get(i)));
        let Some(item) = item.filter(|a| a.kind == kind::OVER_PLAN) else {
            return Ok(Effect::Status("c acknowledges a campaign over plan: select one in the attention list".into()));
        };
        let Link::Campaign { id } = item.link else { return Ok(Effect::None) };
        let o = cx.store.write(|tx| tx.budget().acknowledge(id, &cx.config.user, cx.now))?;
        let currency = cx.store.meta().currency();
        let words = acknowledged_words(&o.name, &o.period, o.spent_cents, o.planned_cents, &currency);
        Ok(Effect::Saved(words))
    }

    fn draw_view(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        if let Some(e) = &self.error {
            let p = Paragraph::new(format!("could not compute the dashboard: {e}")).block(panel(
                "Dashboard",
                true,
                cx.theme,
            ));
            frame.render_widget(p.style(cx.theme.bad()), area);
            return;
        }
        let Some(b) = &self.brief else { return };
        if let Some(d) = self.drill.as_mut() {
            d.draw(frame, area, b, cx);
            return;
        }
        let wide = area.width >= WIDE_MIN.0 && area.height >= WIDE_MIN.1;
        let tile_sel = (self.focus == Focus::Tiles).then_some(self.tile);
        let line_sel = (self.focus == Focus::Attention).then_some(self.line);
        let all = self.all;
        if wide {
            let [top, strip, rest] =
                Layout::vertical([Constraint::Length(7), Constraint::Length(5), Constraint::Min(4)]).areas(area);
            tiles::draw_grid(frame, top, b, tile_sel, cx);
            let [funnel, burn] = Layout::horizontal([Constraint::Min(60), Constraint::Length(44)]).areas(strip);
            panels::draw_funnel(frame, funnel, b, cx);
            panels::draw_burn(frame, burn, b, cx);
            let [att, agenda] = Layout::horizontal([Constraint::Min(60), Constraint::Length(40)]).areas(rest);
            self.shown = attention::draw(frame, att, b, line_sel, all, cx, &mut self.cut);
            panels::draw_agenda(frame, agenda, b, cx);
        } else {
            let rows = b.tiles.len() as u16 + 3;
            let [top, strip, rest] =
                Layout::vertical([Constraint::Length(rows), Constraint::Length(3), Constraint::Min(3)]).areas(area);
            tiles::draw_table(frame, top, b, tile_sel, cx);
            panels::draw_strip(frame, strip, b, cx);
            self.shown = attention::draw(frame, rest, b, line_sel, all, cx, &mut self.cut);
        }
    }

    fn open_drill(&mut self, metric: &str, cx: &Ctx) -> Result<()> {
        let shown = match &self.brief {
            Some(b) => b.shown,
            None => self.choice.resolve(cx.now.date(), cx.now.date() - chrono::Duration::days(1))?,
        };
        self.drill = Some(DrillView::open(cx.store, metric, &shown, cx.now.date())?);
        Ok(())
    }

    fn record_form(&self, metric: Option<&str>, cx: &Ctx) -> Effect {
        let (metrics, channels) = match &self.brief {
            Some(b) => (b.metrics.clone(), b.channels.clone()),
            None => (cx.store.kpis().metrics().unwrap_or_default(), Vec::new()),
        };
        Effect::Popup(Box::new(entry::entry_form(metrics, channels, metric, None, cx)))
    }

    fn target_form(&self, metric: &str, cx: &Ctx) -> Result<Effect> {
        let m = cx.store.kpis().metric(metric)?;
        Ok(Effect::Popup(Box::new(target::target_form(&m, cx)?)))
    }

    fn handle_main(&mut self, action: Action, cx: &Ctx) -> Result<Effect> {
        let Some(b) = &self.brief else { return Ok(Effect::Unhandled) };
        let tiles = b.tiles.len();
        let lines = if self.all { b.attention.len() } else { self.shown.len() };
        match action {
            Action::Left => {
                self.focus = Focus::Tiles;
                self.tile = self.tile.saturating_sub(1);
            }
            Action::Right => {
                self.focus = Focus::Tiles;
                self.tile = clamp_selection(self.tile + 1, tiles);
            }
            Action::Up => {
                self.focus = Focus::Attention;
                self.line = self.line.saturating_sub(1);
            }
            Action::Down => {
                self.focus = Focus::Attention;
                self.line = clamp_selection(self.line + 1, lines);
            }
            Action::Top => self.line = 0,
            Action::Bottom => self.line = lines.saturating_sub(1),
            Action::Select => return self.select(cx),
            Action::CyclePeriod => return self.cycle_period(cx),
            Action::ShowAll => {
                let keep = self.selected_line();
                self.all = !self.all;
                self.focus = Focus::Attention;
                self.line = match (self.all, keep) {
                    (true, Some(i)) => i,
                    (false, Some(i)) => self.shown.iter().position(|x| *x == i).unwrap_or(0),
                    _ => 0,
                };
            }
            Action::Acknowledge => return self.acknowledge(cx),
            Action::Record => {
                let metric = self.focused_metric();
                return Ok(self.record_form(metric.as_deref(), cx));
            }
            Action::SetTarget => {
                let Some(metric) = self.focused_metric() else {
                    let key = cx.config.keymap.key_for("dashboard", Action::Left).unwrap_or_default();
                    return Ok(Effect::Status(format!(
                        "pick a KPI first ({key} moves to the tiles), then set its target"
                    )));
                };
                return self.target_form(&metric, cx);
            }
            _ => return Ok(Effect::Unhandled),
        }
        Ok(Effect::None)
    }

    /// The metric the selection is about: the tile, or an attention line about a KPI.
    fn focused_metric(&self) -> Option<String> {
        let b = self.brief.as_ref()?;
        match self.focus {
            Focus::Tiles => b.tiles.get(self.tile).map(|t| t.metric.key.clone()),
            Focus::Attention => match self.selected_line().and_then(|i| b.attention.get(i)).map(|a| &a.link) {
                Some(Link::Kpi { metric }) => Some(metric.clone()),
                _ => None,
            },
        }
    }

    fn select(&mut self, cx: &Ctx) -> Result<Effect> {
        let Some(b) = &self.brief else { return Ok(Effect::None) };
        let link = match self.focus {
            Focus::Tiles => b.tiles.get(self.tile).map(|t| Link::Kpi { metric: t.metric.key.clone() }),
            Focus::Attention => self.selected_line().and_then(|i| b.attention.get(i)).map(|a| a.link.clone()),
        };
        Ok(match link {
            None => Effect::None,
            Some(Link::Kpi { metric }) => {
                self.open_drill(&metric, cx)?;
                Effect::None
            }
            Some(Link::Launch { id }) => Effect::Jump(Target::Launch(id)),
            Some(Link::Campaign { id }) => Effect::Jump(Target::Campaign(id)),
            Some(Link::Decision { id }) => Effect::Jump(Target::Decision(id)),
            Some(Link::Competitor { key }) => Effect::Jump(Target::Competitor(key)),
            // A capability's own screen: its tab says the rest.
            Some(Link::View { view, .. }) => Effect::Status(format!("see the {view} tab")),
            Some(Link::None) => Effect::None,
        })
    }
}

impl Screen for Dashboard {
    fn id(&self) -> ScreenId {
        ScreenId::Dashboard
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        // After a write (ours or another process's) the brief is computed off the event loop:
        // with a thousand channels a day, judging them all takes longer than a frame.
        if cx.background && self.brief.is_some() {
            self.request(cx);
            return Ok(());
        }
        self.reload_now(cx)
    }

    fn take_job(&mut self) -> Option<Job> {
        self.refresh.job.take()
    }

    fn job_done(&mut self, result: JobResult, cx: &Ctx) {
        let JobResult::Dashboard(data) = result else { return };
        self.refresh.running = false;
        if data.choice == self.choice {
            match data.brief {
                Ok(b) => self.show(b),
                Err(e) => self.error = Some(e.to_string()),
            }
            if let (Some(d), Some(Ok(drill))) = (self.drill.as_mut(), data.drill)
                && data.drill_metric.as_deref() == Some(d.metric())
            {
                d.replace(drill);
            }
        }
        if std::mem::take(&mut self.refresh.again) || data.choice != self.choice {
            self.request(cx);
        }
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        if let Some(d) = self.drill.as_mut() {
            return match action {
                Action::Back => {
                    self.drill = None;
                    Ok(Effect::None)
                }
                Action::CyclePeriod => self.cycle_period(cx),
                Action::Record => {
                    let metric = d.entries_of().to_string();
                    Ok(self.record_form(Some(&metric), cx))
                }
                Action::SetTarget => {
                    let metric = d.metric().to_string();
                    self.target_form(&metric, cx)
                }
                other => d.handle(other, self.brief.as_ref(), cx),
            };
        }
        self.handle_main(action, cx)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        self.draw_view(frame, area, cx);
        if self.refresh.running && area.width > 20 {
            // The numbers on screen are the last ones computed; new ones are on their way.
            let mark = " refreshing… ";
            let w = mark.chars().count() as u16;
            let at = Rect { x: area.x + area.width - w - 2, y: area.y, width: w, height: 1 };
            frame.render_widget(Paragraph::new(mark).style(cx.theme.dim()), at);
        }
    }

    fn view_name(&self) -> &'static str {
        if self.drill.is_some() { "drill-down" } else { "" }
    }

    fn hints(&self) -> Vec<Action> {
        if self.drill.is_some() {
            vec![
                Action::Back,
                Action::Record,
                Action::SetTarget,
                Action::Edit,
                Action::Delete,
                Action::Note,
                Action::CyclePeriod,
            ]
        } else {
            vec![Action::Select, Action::CyclePeriod, Action::ShowAll, Action::Record, Action::SetTarget]
        }
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        if let Target::Kpi(metric) = target {
            self.open_drill(metric, cx)?;
        }
        Ok(())
    }

    fn tick(&mut self, cx: &Ctx) -> Effect {
        // The agenda's current / next meeting follows the clock while the cockpit is open.
        // Past midnight the whole brief moves on a day.
        if self.brief.as_ref().is_some_and(|b| b.today != cx.now.date()) {
            let _ = self.reload(cx);
        }
        if let Some(b) = self.brief.as_mut() {
            b.focus = crate::domain::feeds::agenda_focus(&b.agenda, cx.now);
        }
        Effect::None
    }
}
