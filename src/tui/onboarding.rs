//! First run on an empty store: pick a role, then demo data in one keypress.

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

    pub fn handle(&mut self, key: KeyEvent, store: &Store, now: NaiveDateTime) -> Result<Step> {
        match self.role {
            None => match key.code {
                KeyCode::Char('1') => self.pick(Role::DemandGen, store, now),
                KeyCode::Char('2') => self.pick(Role::ProductMarketing, store, now),
                KeyCode::Up | KeyCode::Char('k') => {
                    self.cursor = 0;
                    Ok(Step::Stay)
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    self.cursor = 1;
                    Ok(Step::Stay)
                }
                KeyCode::Enter => self.pick(Role::ALL[self.cursor], store, now),
                KeyCode::Char('q') | KeyCode::Esc => Ok(Step::Quit),
                _ => Ok(Step::Stay),
            },
            Some(role) => match key.code {
                _ if self.generating => Ok(Step::Stay),
                KeyCode::Char('y') | KeyCode::Char('d') | KeyCode::Enter => {
                    self.generating = true;
                    Ok(Step::GenerateDemo)
                }
                KeyCode::Char('n') | KeyCode::Char('e') | KeyCode::Esc => {
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
        store.init_role(role, now)?;
        self.role = Some(role);
        Ok(Step::Stay)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
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
                lines.push(Line::from(Span::styled("1/2 or ↑↓ Enter to choose, q to quit", theme.dim())));
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
                    Span::styled("  y ", theme.key()),
                    Span::raw("load demo data: a living cockpit to explore"),
                ]));
                lines.push(Line::from(vec![
                    Span::styled("  n ", theme.key()),
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
