//! Work too slow for a keypress: it runs on a blocking thread with its own connection to the
//! store file (SQLite serialises it with the cockpit's), and its result comes back as an event.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::brief::Brief;
use crate::brief::drill::Drill;
use crate::config::Config;
use crate::domain::period_choice::PeriodChoice;
use crate::error::Result;
use crate::store::Store;
use crate::store::demo::{DemoOptions, DemoReport};

pub enum Job {
    /// Onboarding's "load demo data".
    Demo,
    /// The dashboard's brief, and its open drill-down, after the store changed.
    Dashboard(Box<DashboardJob>),
    /// A command from the palette (`:`): import, export, report exec, backup.
    Palette(Box<PaletteJob>),
}

/// A palette command to run, with the config it reads and where it reports progress.
pub struct PaletteJob {
    pub command: super::palette::Command,
    pub config: Config,
    pub progress: std::sync::Arc<super::palette::Progress>,
}

/// What the dashboard shows, to compute afresh.
pub struct DashboardJob {
    pub choice: PeriodChoice,
    /// The metric of the open drill-down, if one is open.
    pub drill: Option<String>,
    pub config: Config,
}

pub enum JobResult {
    Demo(Result<DemoReport>),
    Dashboard(Box<DashboardData>),
    /// What the palette's command said, and which command it was.
    Palette(Box<(super::palette::Command, super::palette::Said)>),
}

/// A dashboard job's answer, with what it was asked (the screen may have moved on since).
pub struct DashboardData {
    pub choice: PeriodChoice,
    pub drill_metric: Option<String>,
    pub brief: Result<Brief>,
    pub drill: Option<Result<Drill>>,
}

impl Job {
    /// Whether the job may run on idle cycles only (`SCHED_IDLE`): the recompute after a write,
    /// which nobody waits for (the last brief stays on screen, marked "refreshing…") and which
    /// comes back after every write by another process. Not the work a user asked for and waits
    /// on (the demo data, a palette command with its progress line): beside a busy process,
    /// idle cycles alone could stretch an import from seconds to many minutes.
    pub fn may_idle(&self) -> bool {
        matches!(self, Job::Dashboard(_))
    }

    pub fn run(self, db: &Path, now: NaiveDateTime) -> JobResult {
        match self {
            Job::Demo => JobResult::Demo(
                Store::open(db)
                    .and_then(|s| s.write(|tx| crate::store::demo::fill(tx, now, &DemoOptions::default())))
                    .map_err(Into::into),
            ),
            Job::Palette(job) => {
                let said = job.command.run(db, &job.config, now, &job.progress);
                JobResult::Palette(Box::new((job.command, said)))
            }
            Job::Dashboard(job) => {
                let store = Store::open(db);
                let (brief, drill) = match store {
                    Ok(store) => match Brief::build_at(&store, &job.config, now, job.choice) {
                        // The drill-down covers the period the brief shows (a closed month on the 1st).
                        Ok(b) => {
                            let drill = job
                                .drill
                                .as_deref()
                                .map(|m| Drill::build(&store, m, &b.shown, now.date()).map_err(Into::into));
                            (Ok(b), drill)
                        }
                        Err(e) => (Err(e.into()), None),
                    },
                    Err(e) => (Err(e.into()), None),
                };
                JobResult::Dashboard(Box::new(DashboardData {
                    choice: job.choice,
                    drill_metric: job.drill,
                    brief,
                    drill,
                }))
            }
        }
    }
}
