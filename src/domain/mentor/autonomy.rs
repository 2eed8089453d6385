//! "Can it run without you?": the share of launches that went live in the last two quarters owned
//! by someone other than the director and with no gate override. Director-level success is team
//! autonomy, not launches shipped.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::mentor::{LaunchFact, owner_of};
use crate::domain::period::{Grain, Period};
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
    /// The first day of the previous quarter.
    pub from: NaiveDate,
    /// Today: the current quarter counts to date.
    pub to: NaiveDate,
    pub went_live: usize,
    pub autonomous: usize,
    /// `autonomous / went_live`, 0.0 to 1.0; `None` when nothing went live (not 0%).
    pub share: Option<f64>,
    /// Every launch that went live in the window, oldest first.
    pub launches: Vec<LaunchAutonomy>,
}

/// The window is the previous quarter and the current one to date: "the last two quarters"
/// read so that early in a quarter there is still a full quarter behind the figure.
pub fn autonomy(launches: &[LaunchFact], director: &str, today: NaiveDate) -> Autonomy {
    let from = Period::containing(Grain::Quarter, today).prev().start;
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
            live(6, Some("lee"), "2026-06-30", false),
            launch(7, Some("lee"), Stage::Qa, "2026-11-01"),
        ];
        let a = autonomy(&launches, "sam", d("2026-11-20"));
        assert_eq!((a.from, a.went_live, a.autonomous), (d("2026-07-01"), 5, 2));
        assert_eq!(a.share, Some(0.4));
        let reasons: Vec<&[NotAutonomous]> = a.launches.iter().map(|l| l.reasons.as_slice()).collect();
        assert_eq!(
            reasons,
            [
                &[][..],
                &[NotAutonomous::OwnedByDirector],
                &[NotAutonomous::GateOverride],
                &[NotAutonomous::NoOwner],
                &[]
            ]
        );
        let none = autonomy(&launches[6..], "sam", d("2026-11-20"));
        assert_eq!((none.went_live, none.share), (0, None));
    }
}
