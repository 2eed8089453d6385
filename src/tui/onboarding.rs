//! First run on an empty store: pick a role, then demo data in one keypress.
//! 1/2 (and d/e for demo/empty) are choices read as typed; moving, quitting and the yes/no
//! question go through the keymap ([global], [confirm]) like every other dialog.

use chrono::NaiveDateTime;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::widgets::{centered, modal};
use crate::assets::Role;
use crate::error::Result;
use crate::keymap::{Action, Keymap};
use crate::store::Store;
use crate::store::demo::DemoReport;

pub struct Onboarding {
    role: Option<Role>,
    cursor: usize,
    /// Demo data is being generated in the background.
    generating: bool,
}

pub enum Step {
    Stay,
    Quit,
    Finished(String),
    /// Generate demo data (off the event loop), then finish.
    GenerateDemo,
}

impl Onboarding {
    pub fn new() -> Onboarding {
        Onboarding { role: None, cursor: 0, generating: false }
    }

    pub fn handle(&mut self, key: KeyEvent, keymap: &Keymap, store: &Store, now: NaiveDateTime) -> Result<Step> {
        match self.role {
            None => match (key.code, keymap.action("global", &key)) {
                (KeyCode::Char('1'), _) => self.pick(Role::DemandGen, store, now),
                (KeyCode::Char('2'), _) => self.pick(Role::ProductMarketing, store, now),
                (_, Some(Action::Up)) => {
                    self.cursor = 0;
                    Ok(Step::Stay)
                }
                (_, Some(Action::Down)) => {
                    self.cursor = 1;
                    Ok(Step::Stay)
                }
                (_, Some(Action::Select)) => self.pick(Role::ALL[self.cursor], store, now),
                (_, Some(Action::Quit | Action::Back)) => Ok(Step::Quit),
                _ => Ok(Step::Stay),
            },
            Some(role) => match (key.code, keymap.action("confirm", &key)) {
                _ if self.generating => Ok(Step::Stay),
                (KeyCode::Char('d'), _) | (_, Some(Action::Yes)) => {
                    self.generating = true;
                    Ok(Step::GenerateDemo)
                }
                (KeyCode::Char('e'), _) | (_, Some(Action::No)) => {
                    Ok(Step::Finished(format!("{} cockpit ready; r records a KPI, ? lists the keys", label(role))))
                }
                _ => Ok(Step::Stay),
            },
        }
    }

    /// The background job's outcome: the cockpit opens with a line saying what was loaded.
    pub fn demo_done(&mut self, report: Result<DemoReport>) -> Result<Step> {
        self.generating = false;
        let r = report?;
        let role = self.role.unwrap_or(Role::DemandGen);
        Ok(Step::Finished(format!(
            "{} cockpit with demo data: {} KPI rows, {} launches, {} decisions",
            label(role),
            r.kpi_rows,
            r.launches,
            r.decisions
        )))
    }

    fn pick(&mut self, role: Role, store: &Store, now: NaiveDateTime) -> Result<Step> {
        store.write(|tx| tx.meta().init_role(role, now))?;
        self.role = Some(role);
        Ok(Step::Stay)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let key = |section: &str, a: Action| keymap.key_for(section, a).unwrap_or_else(|| "?".into());
        let inner = modal(frame, centered(area, 64, 14), "Welcome to mktg", theme);
        let mut lines = vec![
            Line::from("Your marketing cockpit: KPIs, launches, budgets, meetings and"),
            Line::from("decisions, one keypress away, stored on this machine."),
            Line::default(),
        ];
        match self.role {
            None => {
                lines.push(Line::from(Span::styled("Which role are you?", theme.header())));
                for (i, role) in Role::ALL.iter().enumerate() {
                    let style = if i == self.cursor { theme.selected() } else { theme.base() };
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {} ", i + 1), theme.key()),
                        Span::styled(format!(" {} ", label(*role)), style),
                    ]));
                }
                lines.push(Line::default());
                let keys = format!(
                    "1/2 or {}/{} {} to choose, {} to quit",
                    key("global", Action::Down),
                    key("global", Action::Up),
                    key("global", Action::Select),
                    key("global", Action::Quit)
                );
                lines.push(Line::from(Span::styled(keys, theme.dim())));
            }
            Some(role) => {
                lines.push(Line::from(format!("Set up for {}.", label(role))));
                if self.generating {
                    lines.push(Line::default());
                    lines.push(Line::from(Span::styled("Generating demo data…", theme.accent())));
                    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
                    return;
                }
                lines.push(Line::default());
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", key("confirm", Action::Yes)), theme.key()),
                    Span::raw("load demo data: a living cockpit to explore"),
                ]));
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", key("confirm", Action::No)), theme.key()),
                    Span::raw("start empty with my own numbers"),
                ]));
            }
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

fn label(role: Role) -> &'static str {
    match role {
        Role::DemandGen => "Demand Generation",
        Role::ProductMarketing => "Product Marketing",
    }
}
