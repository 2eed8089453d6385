//! `decision list` and `export decisions`: the decision log, filtered.

use chrono::NaiveDate;

use crate::domain::error::Error;
use crate::domain::model::DecisionStatus;
use crate::store::Store;
use crate::store::decisions::Decision;
use crate::store::error::Result;

/// Which decisions to list; the default is all of them.
#[derive(Debug, Clone, Default)]
pub struct DecisionQuery {
    pub status: StatusFilter,
    /// Any case.
    pub owner: Option<String>,
    /// Only open decisions past their due day.
    pub overdue: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    /// Proposed or decided: someone still has to act.
    Open,
    Is(DecisionStatus),
}

impl StatusFilter {
    /// `all` (or nothing), `open`, or a status name.
    pub fn parse(s: &str) -> Result<StatusFilter, Error> {
        match s.trim() {
            "" | "all" => Ok(StatusFilter::All),
            "open" => Ok(StatusFilter::Open),
            other => Ok(StatusFilter::Is(DecisionStatus::parse(other)?)),
        }
    }

    fn admits(self, s: DecisionStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Open => s.is_open(),
            StatusFilter::Is(want) => s == want,
        }
    }
}

/// The decisions matching `q`, newest first.
pub fn list(store: &Store, q: &DecisionQuery, today: NaiveDate) -> Result<Vec<Decision>> {
    let owner = q.owner.as_ref().map(|o| o.trim().to_lowercase());
    Ok(store
        .decisions()
        .all()?
        .into_iter()
        .filter(|d| q.status.admits(d.status))
        .filter(|d| owner.as_ref().is_none_or(|o| d.owner.to_lowercase() == *o))
        .filter(|d| !q.overdue || d.is_overdue(today))
        .collect())
}
