//! Work too slow for a keypress: it runs on a blocking thread with its own connection to the
//! store file (SQLite serialises it with the cockpit's), and its result comes back as an event.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::error::Result;
use crate::store::Store;
use crate::store::demo::{DemoOptions, DemoReport};

pub enum Job {
    /// Onboarding's "load demo data".
    Demo,
}

pub enum JobResult {
    Demo(Result<DemoReport>),
}

impl Job {
    pub fn run(self, db: &Path, now: NaiveDateTime) -> JobResult {
        match self {
            Job::Demo => JobResult::Demo(
                Store::open(db)
                    .and_then(|s| s.write(|tx| crate::store::demo::fill(tx, now, &DemoOptions::default())))
                    .map_err(Into::into),
            ),
        }
    }
}
