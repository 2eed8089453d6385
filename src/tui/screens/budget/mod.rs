//! The Budget tab: a quarter's campaigns (plan vs actual, pacing, returns), the burn gauge,
//! the 70/20/10 view, a campaign's detail, and the forms that plan, spend and move money.

mod attribution;
mod charts;
mod detail;
mod forms;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use self::detail::Detail;
use crate::domain::budget::{CampaignRow, Column, Elapsed, totals};
use crate::domain::model::Bucket;
use crate::domain::money;
use crate::domain::period::{Grain, Period};
use crate::error::Result;
use crate::keymap::Action;
use crate::store::budget::SpendEntry;
use crate::tui::screen::{Ctx, Effect, Input, Links, Screen, ScreenId, Target};
use crate::tui::widgets::clamp_selection;

/// Which campaigns the table shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Filter {
    #[default]
    All,
    Bucket(Bucket),
    Channel(String),
}

impl Filter {
    fn keeps(&self, r: &CampaignRow) -> bool {
        match self {
            Filter::All => true,
            Filter::Bucket(b) => r.facts.bucket == Some(*b),
            Filter::Channel(c) => &r.facts.channel == c,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Filter::All => "all".into(),
            Filter::Bucket(b) => format!("bucket {b}"),
            Filter::Channel(c) => format!("channel {c}"),
        }
    }
}

#[derive(Default)]
pub struct Budget {
    /// The quarter shown; the current one until the user moves.
    period: Option<Period>,
    rows: Vec<CampaignRow>,
    /// Indices into `rows` after the filter and the sort.
    view: Vec<usize>,
    selected: usize,
    sort: Option<Column>,
    filter: Filter,
    /// First scrollable column shown (the campaign name stays put).
    col_offset: usize,
    elapsed: Option<Elapsed>,
    currency: String,
    detail: Option<Detail>,
    /// The last deleted spend entry, for `u`.
    undo: Option<SpendEntry>,
    /// The attribution panel, while `t` shows it.
    attribution: Option<attribution::Panel>,
}

impl Budget {
    fn period(&self, cx: &Ctx) -> Period {
        self.period.unwrap_or_else(|| Period::containing(Grain::Quarter, cx.now.date()))
    }

    fn elapsed(&self) -> Elapsed {
        self.elapsed.unwrap_or(Elapsed { days: 0, period_days: 1, expected: 0.0, min_share: 0.0 })
    }

    fn selected_row(&self) -> Option<&CampaignRow> {
        self.view.get(self.selected).and_then(|i| self.rows.get(*i))
    }

    /// The rows shown, in order.
    fn shown(&self) -> Vec<&CampaignRow> {
        self.view.iter().filter_map(|i| self.rows.get(*i)).collect()
    }

    fn shown_totals(&self) -> CampaignRow {
        let rows: Vec<CampaignRow> = self.shown().into_iter().cloned().collect();
        totals(&rows, self.elapsed())
    }

    fn rebuild_view(&mut self, keep: Option<i64>) {
        let mut view: Vec<usize> = (0..self.rows.len()).filter(|i| self.filter.keeps(&self.rows[*i])).collect();
        if let Some(col) = self.sort {
            view.sort_by(|a, b| col.compare(&self.rows[*a], &self.rows[*b]));
        }
        self.view = view;
        if let Some(id) = keep
            && let Some(pos) = self.view.iter().position(|i| self.rows[*i].facts.id == id)
        {
            self.selected = pos;
        }
        self.selected = clamp_selection(self.selected, self.view.len());
    }

    fn money(&self, cents: i64) -> String {
        money::format(cents, &self.currency)
    }

    fn next_sort(&mut self) -> String {
        let cols = Column::ALL;
        self.sort = match self.sort {
            None => Some(cols[0]),
            Some(c) => cols.iter().position(|x| *x == c).and_then(|i| cols.get(i + 1)).copied(),
        };
        let keep = self.selected_row().map(|r| r.facts.id);
        self.rebuild_view(keep);
        match self.sort {
            Some(c) => format!("sorted by {} {}", c.title(), c.arrow()),
            None => "sorted as planned (creation order)".into(),
        }
    }

    fn next_filter(&mut self) -> String {
        let mut options = vec![Filter::All];
        options.extend(Bucket::ALL.iter().map(|b| Filter::Bucket(*b)));
        let mut channels: Vec<String> = self.rows.iter().map(|r| r.facts.channel.clone()).collect();
        channels.sort();
        channels.dedup();
        options.extend(channels.into_iter().map(Filter::Channel));
        let at = options.iter().position(|f| *f == self.filter).unwrap_or(0);
        self.filter = options.get(at + 1).cloned().unwrap_or_default();
        self.selected = 0;
        self.rebuild_view(None);
        format!("showing {} ({} campaigns)", self.filter.label(), self.view.len())
    }

    fn move_selection(&mut self, action: Action) {
        let len = self.view.len();
        if len == 0 {
            return;
        }
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(len - 1),
            Action::PageUp => self.selected.saturating_sub(10),
            Action::PageDown => (self.selected + 10).min(len - 1),
            Action::Top => 0,
            Action::Bottom => len - 1,
            _ => self.selected,
        };
    }

    /// `t` cycles: credits against the plan, every model side by side, back to the campaigns.
    fn handle_attribution(&mut self, action: Action, cx: &Ctx) -> Result<Option<Effect>> {
        let period = self.period(cx);
        Ok(Some(match (action, self.attribution.as_mut()) {
            (Action::Attribution, None) => {
                let mut p = attribution::Panel::new();
                p.load(cx, &period)?;
                let msg = format!("attribution under {}: M changes the model, t compares them all", p.model);
                self.attribution = Some(p);
                Effect::Status(msg)
            }
            (Action::Attribution, Some(p)) if p.mode == attribution::Mode::Plan => {
                p.mode = attribution::Mode::Compare;
                p.load(cx, &period)?;
                Effect::Status("every model side by side on closed-won revenue".into())
            }
            (Action::Attribution | Action::Back, Some(_)) => {
                self.attribution = None;
                Effect::None
            }
            (Action::Model, Some(p)) => {
                p.next_model();
                p.mode = attribution::Mode::Plan;
                p.load(cx, &period)?;
                Effect::Status(format!("credited under {}", p.model))
            }
            (Action::Model, None) => Effect::Status("t shows attribution first".into()),
            _ => return Ok(None),
        }))
    }

    fn handle_table(&mut self, action: Action, cx: &Ctx) -> Result<Effect> {
        if let Some(effect) = self.handle_attribution(action, cx)? {
            return Ok(effect);
        }
        let selected = self.selected_row().cloned();
        Ok(match action {
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                self.move_selection(action);
                Effect::None
            }
            Action::Left => {
                self.col_offset = self.col_offset.saturating_sub(1);
                Effect::None
            }
            Action::Right => {
                self.col_offset = (self.col_offset + 1).min(table::SCROLLABLE.len() - 1);
                Effect::None
            }
            Action::PrevPeriod | Action::NextPeriod => {
                let p = self.period(cx);
                self.period = Some(if action == Action::PrevPeriod { p.prev() } else { p.next() });
                self.selected = 0;
                self.reload(cx)?;
                Effect::Status(format!("{} · {} campaigns", self.period(cx).label(), self.rows.len()))
            }
            Action::Sort => Effect::Status(self.next_sort()),
            Action::Filter => Effect::Status(self.next_filter()),
            Action::Select => match selected {
                Some(r) => {
                    self.detail = Some(Detail::load(cx, r.facts.id)?);
                    Effect::None
                }
                None => Effect::Status("no campaign here yet: n plans one".into()),
            },
            Action::New => Effect::Popup(Box::new(forms::plan_form(cx, self.period(cx), None)?)),
            Action::Edit => match selected {
                Some(r) => Effect::Popup(Box::new(forms::plan_form(cx, self.period(cx), Some(&r))?)),
                None => Effect::Status("no campaign selected".into()),
            },
            Action::Spend => self.spend_form(cx, selected.as_ref(), None)?,
            Action::Move => self.move_form(cx, selected.as_ref())?,
            Action::Undo => self.undo_delete(cx)?,
            // x deletes on every screen; here there is nothing to delete, so it says where there is.
            Action::Delete => {
                let key = |a| cx.config.keymap.key_for("budget", a).unwrap_or_default();
                Effect::Status(format!(
                    "campaigns are not deleted: {} opens one, then {} deletes a spend entry; {} changes the plan",
                    key(Action::Select),
                    key(Action::Delete),
                    key(Action::Edit)
                ))
            }
            _ => Effect::Unhandled,
        })
    }

    fn spend_form(&self, cx: &Ctx, row: Option<&CampaignRow>, entry: Option<&SpendEntry>) -> Result<Effect> {
        if self.rows.is_empty() {
            return Ok(Effect::Status(format!("no campaigns in {} yet: n plans one", self.period(cx).label())));
        }
        let names = self.rows.iter().map(|r| r.facts.name.clone()).collect();
        Ok(Effect::Popup(Box::new(forms::spend_form(cx, self.period(cx), names, row, entry))))
    }

    fn move_form(&self, cx: &Ctx, source: Option<&CampaignRow>) -> Result<Effect> {
        if self.rows.len() < 2 {
            return Ok(Effect::Status("a move needs two campaigns in this quarter".into()));
        }
        let period = self.period(cx);
        Ok(Effect::Popup(Box::new(forms::move_form(self.rows.clone(), period, self.elapsed(), source, &self.currency))))
    }

    fn undo_delete(&mut self, cx: &Ctx) -> Result<Effect> {
        let Some(e) = self.undo.take() else { return Ok(Effect::Status("nothing to undo".into())) };
        cx.store.write(|tx| tx.budget().spend_restore(&e))?;
        Ok(Effect::Saved(format!("restored {} on {}", self.money(e.amount_cents), e.day)))
    }

    fn handle_detail(&mut self, action: Action, cx: &Ctx) -> Result<Effect> {
        let Some(d) = self.detail.as_mut() else { return Ok(Effect::Unhandled) };
        let row = self.rows.iter().find(|r| r.facts.id == d.id).cloned();
        Ok(match action {
            Action::Back => {
                self.detail = None;
                Effect::None
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                d.move_selection(action);
                Effect::None
            }
            Action::Spend => self.spend_form(cx, row.as_ref(), None)?,
            Action::Edit => match d.selected_entry().cloned() {
                Some(e) => self.spend_form(cx, row.as_ref(), Some(&e))?,
                None => Effect::Status("no spend entry selected".into()),
            },
            Action::Delete => match d.selected_entry().cloned() {
                Some(e) if e.import_id.is_some() => {
                    Effect::Error("this entry came from an import: undo the import to remove it".into())
                }
                Some(e) => {
                    let gone = cx.store.write(|tx| tx.budget().spend_delete(e.id))?;
                    let msg = format!("deleted {} on {} · u to undo", self.money(gone.amount_cents), gone.day);
                    self.undo = Some(gone);
                    Effect::Saved(msg)
                }
                None => Effect::Status("no spend entry selected".into()),
            },
            Action::Undo => self.undo_delete(cx)?,
            Action::Move => self.move_form(cx, row.as_ref())?,
            _ => Effect::Unhandled,
        })
    }
}

impl Screen for Budget {
    fn id(&self) -> ScreenId {
        ScreenId::Budget
    }

    fn reload(&mut self, cx: &Ctx) -> Result<()> {
        let period = self.period(cx);
        let today = cx.now.date();
        let keep = self.selected_row().map(|r| r.facts.id);
        self.currency = cx.store.meta().currency();
        let paced = cx.store.budget().paced_rows(&period, today, &cx.config.pacing)?;
        self.elapsed = Some(paced.elapsed);
        self.rows = paced.rows;
        self.rebuild_view(keep);
        if let Some(p) = self.attribution.as_mut() {
            p.load(cx, &period)?;
        }
        if let Some(d) = &self.detail {
            let id = d.id;
            let sel = d.selected;
            self.detail = match self.rows.iter().any(|r| r.facts.id == id) {
                true => Some(Detail::load(cx, id)?.with_selection(sel)),
                false => None,
            };
        }
        Ok(())
    }

    fn handle(&mut self, input: Input, cx: &Ctx) -> Result<Effect> {
        let Some(action) = input.action else { return Ok(Effect::Unhandled) };
        if self.detail.is_some() { self.handle_detail(action, cx) } else { self.handle_table(action, cx) }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        if let Some(d) = &self.detail
            && let Some(row) = self.rows.iter().find(|r| r.facts.id == d.id)
        {
            d.draw(frame, area, cx, row, &self.period(cx), &self.currency);
            return;
        }
        let compact = area.height < 30;
        // Compact: the gauge is one borderless line, so the 70/20/10 table still fits.
        let gauge_h = if compact { 1 } else { 3 };
        let [gauge, rest] = Layout::vertical([Constraint::Length(gauge_h), Constraint::Min(5)]).areas(area);
        let quarter = totals(&self.rows, self.elapsed());
        charts::draw_gauge(frame, gauge, cx, &quarter, self.elapsed(), &self.period(cx), &self.currency);
        if let Some(p) = &self.attribution {
            p.draw(frame, rest, cx, &self.period(cx), &self.currency);
            return;
        }
        let want = self.view.len() as u16 + 4;
        let table_area = if compact {
            if rest.height >= want + 6 {
                let [t, b] = Layout::vertical([Constraint::Length(want), Constraint::Min(6)]).areas(rest);
                charts::draw_bucket_lines(frame, b, cx, &self.rows, &self.currency);
                t
            } else {
                rest
            }
        } else {
            // The table takes what its rows need; the 70/20/10 view the rest (at least 12 lines).
            let want = want.min(rest.height.saturating_sub(12)).max(6);
            let [t, chart] = Layout::vertical([Constraint::Length(want), Constraint::Min(12)]).areas(rest);
            charts::draw_buckets(frame, chart, cx, &self.rows, &self.currency);
            t
        };
        table::draw(frame, table_area, cx, self);
    }

    fn view_name(&self) -> &'static str {
        if self.detail.is_some() {
            "campaign"
        } else if self.attribution.is_some() {
            "attribution"
        } else {
            ""
        }
    }

    fn hints(&self) -> Vec<Action> {
        if self.detail.is_some() {
            vec![Action::Back, Action::Spend, Action::Edit, Action::Delete, Action::Undo, Action::Move]
        } else if self.attribution.is_some() {
            vec![Action::Attribution, Action::Model, Action::Back, Action::PrevPeriod, Action::NextPeriod]
        } else {
            vec![
                Action::Select,
                Action::New,
                Action::Spend,
                Action::Move,
                Action::Sort,
                Action::Filter,
                Action::Attribution,
                Action::PrevPeriod,
                Action::NextPeriod,
            ]
        }
    }

    fn focus(&mut self, target: &Target, cx: &Ctx) -> Result<()> {
        let Target::Campaign(id) = target else { return Ok(()) };
        if let Some(p) = cx.store.budget().campaign_period(*id)? {
            self.period = Some(p);
        }
        self.filter = Filter::All;
        self.detail = None;
        self.reload(cx)?;
        self.rebuild_view(Some(*id));
        Ok(())
    }

    fn links(&self) -> Links {
        let campaign_id = match &self.detail {
            Some(d) => Some(d.id),
            None => self.selected_row().map(|r| r.facts.id),
        };
        Links { campaign_id, ..Links::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::store::Store;
    use crate::tui::theme::Theme;

    #[test]
    fn a_jump_to_last_quarters_campaign_selects_it_and_links_decisions_to_it() {
        let store = Store::open_in_memory().unwrap();
        let now = crate::clock::parse_now("2026-11-20T08:45").unwrap();
        store
            .write(|tx| {
                crate::store::demo::fill(tx, now, &crate::store::demo::DemoOptions { days: 120, ..Default::default() })
            })
            .unwrap();
        let (config, theme) = (Config::default(), Theme::plain());
        let cx = Ctx { store: &store, config: &config, theme: &theme, now, background: false };
        let q3 = Period::parse("2026-Q3").unwrap();
        let target = store.budget().find_campaign("Webinar series", &q3).unwrap();
        let mut b = Budget::default();
        b.reload(&cx).unwrap();
        assert_eq!(b.period(&cx).to_string(), "2026-Q4");
        b.focus(&Target::Campaign(target.id), &cx).unwrap();
        assert_eq!(b.period(&cx), q3);
        assert_eq!(b.selected_row().map(|r| r.facts.id), Some(target.id));
        assert_eq!(b.links().campaign_id, Some(target.id));
    }
}
