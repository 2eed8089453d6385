//! The tabs.

mod budget;
mod compete;
mod dashboard;
mod decisions;
mod launches;
mod learn;
mod team;
mod today;

use super::screen::Screen;

/// Every screen, in tab order.
pub fn all() -> Vec<Box<dyn Screen>> {
    vec![
        Box::new(dashboard::Dashboard::default()),
        Box::new(launches::Launches::default()),
        Box::new(budget::Budget::default()),
        Box::new(today::Today::default()),
        Box::new(decisions::Decisions::default()),
        Box::new(learn::Learn::default()),
        Box::new(compete::Compete::default()),
        Box::new(team::Team::default()),
    ]
}
