//! "Can it run without you?": the share of launches that went live in the last two quarters owned
//! by someone other than the director and with no gate override. Director-level success is team
//! autonomy, not launches shipped.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::domain::mentor::{LaunchFact, owner_of};
use crate::domain::team::person_key;

/// Why a launch that went live does not count as run by the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotAutonomous {
    OwnedByDirector,
    NoOwner,
    GateOverride,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaunchAutonomy {
    pub launch_id: i64,
    pub name: String,
    pub went_live: NaiveDate,
    /// Empty when the team ran it.
    pub reasons: Vec<NotAutonomous>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Autonomy {
    /// The first day of the window: the day after the same date two quarters (six months) ago.
    pub from: NaiveDate,
    /// Today: the window ends with it.
    pub to: NaiveDate,
    pub went_live: usize,
    pub autonomous: usize,
    /// `autonomous / went_live`, 0.0 to 1.0; `None` when nothing went live (not 0%).
    pub share: Option<f64>,
    /// Every launch that went live in the window, oldest first.
    pub launches: Vec<LaunchAutonomy>,
}

/// The window is "the last two quarters" as the issue says it: the six months ending today, so the
/// figure always covers two quarters' launches (counting from the previous quarter's start gave
/// three months on 1 October and six on 31 December).
pub fn autonomy(launches: &[LaunchFact], director: &str, today: NaiveDate) -> Autonomy {
    let from = today.checked_sub_months(Months::new(6)).and_then(|d| d.succ_opt()).unwrap_or(today);
    let director = person_key(director);
    let mut rows: Vec<LaunchAutonomy> = launches
        .iter()
        .filter_map(|l| {
            let live = l.went_live.filter(|d| (from..=today).contains(d))?;
            let mut reasons = Vec::new();
            match owner_of(&l.owner) {
                None => reasons.push(NotAutonomous::NoOwner),
                Some(o) if person_key(o) == director => reasons.push(NotAutonomous::OwnedByDirector),
                Some(_) => {}
            }
            if l.gate_override {
                reasons.push(NotAutonomous::GateOverride);
            }
            Some(LaunchAutonomy { launch_id: l.id, name: l.name.clone(), went_live: live, reasons })
        })
        .collect();
    rows.sort_by_key(|r| (r.went_live, r.launch_id));
    let went_live = rows.len();
    let autonomous = rows.iter().filter(|r| r.reasons.is_empty()).count();
    Autonomy {
        from,
        to: today,
        went_live,
        autonomous,
        share: (went_live > 0).then(|| autonomous as f64 / went_live as f64),
        launches: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mentor::tests::launch;
    use crate::domain::model::Stage;
    use crate::domain::team::tests::d;

    #[test]
    fn autonomy_counts_launches_the_team_ran_without_the_director_or_an_override() {
        let live = |id, owner: Option<&str>, day: &str, gate_override| {
            let mut l = launch(id, owner, Stage::Measure, day);
            l.went_live = Some(d(day));
            l.gate_override = gate_override;
            l
        };
        let launches = [
            live(1, Some("priya"), "2026-07-01", false),
            live(2, Some("Sam"), "2026-08-10", false),
            live(3, Some("marcus"), "2026-10-02", true),
            live(4, None, "2026-11-02", false),
            live(5, Some("jordan"), "2026-11-12", false),
            live(6, Some("lee"), "2026-05-20", false),
            launch(7, Some("lee"), Stage::Qa, "2026-11-01"),
            live(8, Some("lee"), "2026-05-21", false),
        ];
        // Six months back from 20 Nov: 21 May on; 20 May is a day too old.
        let a = autonomy(&launches, "sam", d("2026-11-20"));
        assert_eq!((a.from, a.went_live, a.autonomous), (d("2026-05-21"), 6, 3));
        assert_eq!(a.share, Some(0.5));
        let reasons: Vec<&[NotAutonomous]> = a.launches.iter().map(|l| l.reasons.as_slice()).collect();
        assert_eq!(
            reasons,
            [
                &[][..],
                &[],
                &[NotAutonomous::OwnedByDirector],
                &[NotAutonomous::GateOverride],
                &[NotAutonomous::NoOwner],
                &[]
            ]
        );
        let none = autonomy(&launches[6..7], "sam", d("2026-11-20"));
        assert_eq!((none.went_live, none.share), (0, None));
        // On 1 October the window still reaches back two quarters, not one.
        assert_eq!(autonomy(&launches, "sam", d("2026-10-01")).from, d("2026-04-02"));
    }
}
