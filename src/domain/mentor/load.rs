//! `team load`: per owner, the open decisions, follow-ups, checklist items, launches and campaigns,
//! and how many of them are overdue. Team members come first in the team's order (with zero rows,
//! so the median is honest), then owners who are not on the team, then what nobody owns.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::mentor::{Facts, owner_of};
use crate::domain::team::person_key;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub decisions: usize,
    pub follow_ups: usize,
    pub checklist_items: usize,
    pub launches: usize,
    pub campaigns: usize,
    /// Among the above, past their due date.
    pub overdue: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.decisions + self.follow_ups + self.checklist_items + self.launches + self.campaigns
    }

    /// "6 decisions, 3 follow-ups, 2 overdue": the non-zero parts, for evidence lines.
    pub fn breakdown(&self) -> String {
        let parts = [
            (self.decisions, "decision", "decisions"),
            (self.follow_ups, "follow-up", "follow-ups"),
            (self.checklist_items, "checklist item", "checklist items"),
            (self.launches, "launch", "launches"),
            (self.campaigns, "campaign", "campaigns"),
            (self.overdue, "overdue", "overdue"),
        ];
        let out: Vec<String> = parts
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        if out.is_empty() { "nothing open".into() } else { out.join(", ") }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerLoad {
    /// The member's name, or the owner as first written when not on the team.
    pub owner: String,
    /// The normalised key owner fields match on.
    pub key: String,
    pub on_team: bool,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadReport {
    pub owners: Vec<OwnerLoad>,
    /// Open items with no owner at all.
    pub unowned: Counts,
}

impl LoadReport {
    /// The median of the team members' open totals (members with nothing open count as 0);
    /// `None` without a team.
    pub fn team_median(&self) -> Option<f64> {
        let mut totals: Vec<usize> = self.owners.iter().filter(|o| o.on_team).map(|o| o.counts.total()).collect();
        if totals.is_empty() {
            return None;
        }
        totals.sort_unstable();
        let n = totals.len();
        Some(if n % 2 == 1 { totals[n / 2] as f64 } else { (totals[n / 2 - 1] + totals[n / 2]) as f64 / 2.0 })
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Decision,
    FollowUp,
    Checklist,
    Launch,
    Campaign,
}

/// One pass over each kind of record; owners matched through a map of normalised keys.
pub fn team_load<'a>(f: &Facts<'a>) -> LoadReport {
    let mut owners: Vec<OwnerLoad> = f
        .team
        .iter()
        .map(|p| OwnerLoad { owner: p.name.clone(), key: person_key(&p.key), on_team: true, counts: Counts::default() })
        .collect();
    let mut index: HashMap<String, usize> = HashMap::with_capacity(owners.len() * 2);
    for (i, p) in f.team.iter().enumerate() {
        index.insert(person_key(&p.key), i);
        index.entry(person_key(&p.name)).or_insert(i);
    }
    let members = owners.len();
    let mut unowned = Counts::default();
    // Owner fields repeat the same few spellings thousands of times: remember each spelling's
    // row, so `name_key` (which allocates) runs once per spelling, not once per record.
    let mut seen: HashMap<&'a str, usize> = HashMap::new();
    let mut add = |owner: &'a Option<String>, kind: Kind, due: Option<NaiveDate>| {
        let counts = match owner_of(owner) {
            None => &mut unowned,
            Some(o) => {
                let i = match seen.get(o) {
                    Some(&i) => i,
                    None => {
                        let key = person_key(o);
                        let i = *index.entry(key.clone()).or_insert_with(|| {
                            owners.push(OwnerLoad {
                                owner: o.to_string(),
                                key,
                                on_team: false,
                                counts: Counts::default(),
                            });
                            owners.len() - 1
                        });
                        seen.insert(o, i);
                        i
                    }
                };
                &mut owners[i].counts
            }
        };
        match kind {
            Kind::Decision => counts.decisions += 1,
            Kind::FollowUp => counts.follow_ups += 1,
            Kind::Checklist => counts.checklist_items += 1,
            Kind::Launch => counts.launches += 1,
            Kind::Campaign => counts.campaigns += 1,
        }
        if due.is_some_and(|d| d < f.today) {
            counts.overdue += 1;
        }
    };
    for d in f.decisions.iter().filter(|d| d.open) {
        add(&d.owner, if d.follow_up { Kind::FollowUp } else { Kind::Decision }, d.due);
    }
    for c in f.checklist.iter().filter(|c| !c.done) {
        add(&c.owner, Kind::Checklist, c.due);
    }
    for l in f.launches.iter().filter(|l| l.open()) {
        // Overdue: the planned date passed and it has not gone live.
        add(&l.owner, Kind::Launch, l.went_live.is_none().then_some(l.date));
    }
    for c in f.campaigns.iter().filter(|c| c.open) {
        add(&c.owner, Kind::Campaign, c.due);
    }
    // Members keep the team's order; everyone else by load, heaviest first, then by name.
    owners[members..].sort_by(|a, b| b.counts.total().cmp(&a.counts.total()).then_with(|| a.key.cmp(&b.key)));
    LoadReport { owners, unowned }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mentor::tests::{decision, facts, launch};
    use crate::domain::mentor::{CampaignFact, ChecklistFact};
    use crate::domain::model::Stage;
    use crate::domain::team::Level;
    use crate::domain::team::tests::{d, person};

    #[test]
    fn load_counts_open_items_per_owner_and_the_overdue_among_them() {
        let team = [person("ana", Level::Senior), person("raj", Level::Pmm), person("lee", Level::Junior)];
        let mut fu = decision(3, Some("ANA"), Some("2026-11-01"));
        fu.follow_up = true;
        let mut done = decision(4, Some("ana"), Some("2026-11-01"));
        done.open = false;
        let decisions =
            [decision(1, Some("ana"), Some("2026-11-30")), decision(2, Some("raj"), Some("2026-11-02")), fu, done];
        let launches = [
            launch(1, Some("Ana"), Stage::Build, "2026-11-10"),
            launch(2, Some("ana"), Stage::PostMortem, "2026-09-01"),
        ];
        let campaigns = [
            CampaignFact {
                id: 1,
                name: "ABM".into(),
                owner: Some("Dana (Sales)".into()),
                open: true,
                ..Default::default()
            },
            CampaignFact { id: 2, name: "Imported".into(), open: true, ..Default::default() },
        ];
        let checklist = [
            ChecklistFact {
                id: 1,
                label: "deck".into(),
                owner: Some("raj".into()),
                due: Some(d("2026-11-19")),
                done: false,
            },
            ChecklistFact { id: 2, label: "faq".into(), owner: Some("raj".into()), due: None, done: true },
        ];
        let mut f = facts(&team);
        f.decisions = &decisions;
        f.launches = &launches;
        f.campaigns = &campaigns;
        f.checklist = &checklist;
        let r = team_load(&f);
        let names: Vec<&str> = r.owners.iter().map(|o| o.owner.as_str()).collect();
        assert_eq!(names, ["ana name", "raj name", "lee name", "Dana (Sales)"]);
        let ana = r.owners[0].counts;
        assert_eq!((ana.decisions, ana.follow_ups, ana.launches, ana.overdue, ana.total()), (1, 1, 1, 2, 3));
        assert_eq!(r.owners[0].counts.breakdown(), "1 decision, 1 follow-up, 1 launch, 2 overdue");
        let raj = r.owners[1].counts;
        assert_eq!((raj.decisions, raj.checklist_items, raj.overdue), (1, 1, 2));
        assert_eq!(r.owners[2].counts.breakdown(), "nothing open");
        assert!(!r.owners[3].on_team);
        assert_eq!(r.unowned.campaigns, 1);
        assert_eq!(r.team_median(), Some(2.0), "3, 2 and 0 open");
    }
}
