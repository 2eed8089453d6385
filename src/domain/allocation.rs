//! The team's time against 70/20/10: core GTM execution, systems and frameworks, strategic
//! exploration. Weekly hours per person in, shares per person and for the team out, with a
//! question wherever a bucket is more than 10 points off its target.
//!
//! "No time logged" is its own state: a person with no entries has no split, never 0/0/0.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration};
use serde::Serialize;

use crate::domain::period::{Grain, Period};
use crate::domain::team::{Person, person_key};

/// A bucket more than this many points from its target is flagged.
pub const TOLERANCE_PTS: f64 = 10.0;
/// A week holds 168 hours; more in one entry is a typo.
pub const WEEK_HOURS: f64 = 168.0;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("'{0}' is not a week (expected like 2026-W47)")]
    Week(String),
    #[error("'{0}': expected BUCKET=HOURS, e.g. core=28")]
    Token(String),
    #[error("'{token}': '{bucket}' is not a bucket (core, systems or exploration)")]
    Bucket { token: String, bucket: String },
    #[error("'{token}': '{value}' is not a number of hours{hint}")]
    Hours { token: String, value: String, hint: &'static str },
    #[error("{bucket} is given twice ('{first}', '{second}')")]
    Twice { bucket: &'static str, first: String, second: String },
    #[error("{0} is missing: give all three, e.g. core=28 systems=8 exploration=4 (0 is fine)")]
    Missing(&'static str),
    #[error("{0} hours is more than a week holds (168)")]
    TooMany(String),
    #[error("no hours: core, systems and exploration are all 0")]
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeBucket {
    Core,
    Systems,
    Exploration,
}

impl TimeBucket {
    pub const ALL: [TimeBucket; 3] = [TimeBucket::Core, TimeBucket::Systems, TimeBucket::Exploration];

    pub fn slug(self) -> &'static str {
        match self {
            TimeBucket::Core => "core",
            TimeBucket::Systems => "systems",
            TimeBucket::Exploration => "exploration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeBucket::Core => "core GTM execution",
            TimeBucket::Systems => "systems and frameworks",
            TimeBucket::Exploration => "strategic exploration",
        }
    }

    /// The 70/20/10 rule, in percent.
    pub fn target_pct(self) -> f64 {
        match self {
            TimeBucket::Core => 70.0,
            TimeBucket::Systems => 20.0,
            TimeBucket::Exploration => 10.0,
        }
    }

    /// The question a senior operator asks when this bucket is over (or under) its share.
    pub fn question(self, over: bool) -> &'static str {
        match (self, over) {
            (TimeBucket::Core, true) => "all execution, no systems: who builds the machine?",
            (TimeBucket::Core, false) => "is launch and enablement work slipping?",
            (TimeBucket::Systems, true) => "frameworks crowding out execution?",
            (TimeBucket::Systems, false) => "no time for systems: heroics again?",
            (TimeBucket::Exploration, true) => "strategic work with no clear output?",
            (TimeBucket::Exploration, false) => "no time to look ahead?",
        }
    }

    fn parse(s: &str) -> Option<TimeBucket> {
        TimeBucket::ALL.into_iter().find(|b| b.slug().eq_ignore_ascii_case(s.trim()))
    }
}

/// One week's hours for one person.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct WeekHours {
    pub core: f64,
    pub systems: f64,
    pub exploration: f64,
}

impl WeekHours {
    pub fn get(&self, b: TimeBucket) -> f64 {
        match b {
            TimeBucket::Core => self.core,
            TimeBucket::Systems => self.systems,
            TimeBucket::Exploration => self.exploration,
        }
    }

    fn slot(&mut self, b: TimeBucket) -> &mut f64 {
        match b {
            TimeBucket::Core => &mut self.core,
            TimeBucket::Systems => &mut self.systems,
            TimeBucket::Exploration => &mut self.exploration,
        }
    }

    pub fn total(&self) -> f64 {
        self.core + self.systems + self.exploration
    }

    fn add(&mut self, o: &WeekHours) {
        for b in TimeBucket::ALL {
            *self.slot(b) += o.get(b);
        }
    }
}

/// `2026-W47` (any case) through the project's one ISO week parser; days, months and
/// quarters are refused here, since time is logged per week.
pub fn parse_week(s: &str) -> Result<Period, AllocationError> {
    match Period::parse(s) {
        Ok(p) if p.grain == Grain::Week => Ok(p),
        _ => Err(AllocationError::Week(s.trim().to_string())),
    }
}

/// `core=28 systems=8 exploration=4`: all three, each once, in any order, hours as a decimal
/// with a dot (an `h` after the number is allowed). The first bad token is named.
pub fn parse_hours<S: AsRef<str>>(tokens: &[S]) -> Result<WeekHours, AllocationError> {
    let mut seen: [Option<String>; 3] = Default::default();
    let mut hours = WeekHours::default();
    for token in tokens {
        let token = token.as_ref().trim();
        let Some((name, value)) = token.split_once('=') else {
            return Err(AllocationError::Token(token.to_string()));
        };
        let bucket = TimeBucket::parse(name)
            .ok_or_else(|| AllocationError::Bucket { token: token.to_string(), bucket: name.trim().to_string() })?;
        let i = TimeBucket::ALL.iter().position(|b| *b == bucket).unwrap_or(0);
        if let Some(first) = &seen[i] {
            return Err(AllocationError::Twice { bucket: bucket.slug(), first: first.clone(), second: token.into() });
        }
        *hours.slot(bucket) = parse_number(token, value)?;
        seen[i] = Some(token.to_string());
    }
    if let Some(i) = seen.iter().position(Option::is_none) {
        return Err(AllocationError::Missing(TimeBucket::ALL[i].slug()));
    }
    let total = hours.total();
    if total > WEEK_HOURS {
        return Err(AllocationError::TooMany(format_hours(total)));
    }
    if total == 0.0 {
        return Err(AllocationError::Nothing);
    }
    Ok(hours)
}

fn parse_number(token: &str, value: &str) -> Result<f64, AllocationError> {
    let bad = |hint| AllocationError::Hours { token: token.into(), value: value.trim().into(), hint };
    let v = value.trim();
    let v = v.strip_suffix(['h', 'H']).unwrap_or(v);
    if v.contains(',') {
        return Err(bad(" (use a dot: 7.5)"));
    }
    if v.starts_with('-') {
        return Err(bad(" (hours cannot be negative)"));
    }
    let plain = !v.is_empty()
        && v.chars().all(|c| c.is_ascii_digit() || c == '.')
        && v.matches('.').count() <= 1
        && v.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return Err(bad(""));
    }
    let h: f64 = v.parse().map_err(|_| bad(""))?;
    if h > WEEK_HOURS {
        return Err(AllocationError::TooMany(format_hours(h)));
    }
    Ok(h)
}

/// "28", "7.5": hours as typed back.
pub fn format_hours(h: f64) -> String {
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One person's logged week. A second entry for the same person and week replaces the first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeEntry {
    pub person: String,
    #[serde(serialize_with = "as_name")]
    pub week: Period,
    pub hours: WeekHours,
}

fn as_name<S: serde::Serializer>(p: &Period, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// Whether `week` counts in `period`: a week belongs to the month or quarter holding its
/// Thursday (the ISO rule that also gives a week its year), and to a day inside it.
pub fn week_in_period(week: &Period, period: &Period) -> bool {
    match period.grain {
        Grain::Week => week.start == period.start,
        Grain::Day => week.contains(period.start),
        Grain::Month | Grain::Quarter => period.contains(week.start + Duration::days(3)),
    }
}

/// One bucket of a split: its hours, share and how far from its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketShare {
    pub bucket: TimeBucket,
    pub hours: f64,
    /// Percent of the hours logged.
    pub share_pct: f64,
    pub target_pct: f64,
    /// `share_pct - target_pct`, in points.
    pub off_pts: f64,
    /// "exploration 40%, +30 pts: strategic work with no clear output?" when more than 10 points off.
    pub flag: Option<String>,
}

/// Hours logged over one or more weeks, split into the three buckets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    pub weeks: usize,
    pub hours: f64,
    pub buckets: [BucketShare; 3],
}

impl Split {
    pub fn on_track(&self) -> bool {
        self.buckets.iter().all(|b| b.flag.is_none())
    }

    pub fn flags(&self) -> impl Iterator<Item = &str> {
        self.buckets.iter().filter_map(|b| b.flag.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Allocation {
    NoTimeLogged,
    Logged(Box<Split>),
}

impl Allocation {
    fn of(total: WeekHours, weeks: usize) -> Allocation {
        let sum = total.total();
        if weeks == 0 || sum <= 0.0 {
            return Allocation::NoTimeLogged;
        }
        let buckets = TimeBucket::ALL.map(|bucket| {
            let hours = total.get(bucket);
            let share_pct = hours * 100.0 / sum;
            let target_pct = bucket.target_pct();
            let off_pts = share_pct - target_pct;
            let flag = (off_pts.abs() > TOLERANCE_PTS).then(|| {
                let (share, off) = format_share(share_pct, off_pts);
                format!("{} {share}, {off}: {}", bucket.slug(), bucket.question(off_pts > 0.0))
            });
            BucketShare { bucket, hours, share_pct, target_pct, off_pts, flag }
        });
        Allocation::Logged(Box::new(Split { weeks, hours: sum, buckets }))
    }
}

/// "40%", "+30 pts"; with one decimal next to the 10-point edge, so that a flag never reads
/// "+10 pts" (inside the band) and an unflagged bucket never reads "+11 pts".
pub fn format_share(share_pct: f64, off_pts: f64) -> (String, String) {
    if (TOLERANCE_PTS - 0.5..TOLERANCE_PTS + 0.5).contains(&off_pts.abs()) {
        (format!("{share_pct:.1}%"), format!("{off_pts:+.1} pts"))
    } else {
        (format!("{}%", share_pct.round()), format!("{:+} pts", off_pts.round()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonAllocation {
    pub person: String,
    pub name: String,
    pub allocation: Allocation,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllocationReport {
    pub people: Vec<PersonAllocation>,
    pub team: Allocation,
}

/// Per person (in the team's order) and for the team as a whole, over the weeks in `period`
/// (all weeks when `None`). Entries of people not on the list are left out.
pub fn allocation(people: &[Person], entries: &[TimeEntry], period: Option<&Period>) -> AllocationReport {
    let index: HashMap<String, usize> = people.iter().enumerate().map(|(i, p)| (person_key(&p.key), i)).collect();
    // (person, ISO year, ISO week) → the last entry given for it; ordered, so that the sums
    // below add in one order and print the same digits every run.
    let mut latest: BTreeMap<(usize, i32, u32), &WeekHours> = BTreeMap::new();
    for e in entries {
        if period.is_some_and(|p| !week_in_period(&e.week, p)) {
            continue;
        }
        if let Some(&i) = index.get(&person_key(&e.person)) {
            let w = e.week.start.iso_week();
            latest.insert((i, w.year(), w.week()), &e.hours);
        }
    }
    let mut totals = vec![(WeekHours::default(), 0usize); people.len()];
    let mut team = WeekHours::default();
    for ((i, _, _), h) in &latest {
        totals[*i].0.add(h);
        totals[*i].1 += 1;
        team.add(h);
    }
    let team_weeks = latest.keys().map(|(_, y, w)| (*y, *w)).collect::<HashSet<_>>().len();
    AllocationReport {
        people: people
            .iter()
            .zip(totals)
            .map(|(p, (h, weeks))| PersonAllocation {
                person: p.key.clone(),
                name: p.name.clone(),
                allocation: Allocation::of(h, weeks),
            })
            .collect(),
        team: Allocation::of(team, team_weeks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::team::Level;
    use crate::domain::team::tests::person;

    fn entry(p: &str, week: &str, h: [f64; 3]) -> TimeEntry {
        TimeEntry {
            person: p.into(),
            week: parse_week(week).unwrap(),
            hours: WeekHours { core: h[0], systems: h[1], exploration: h[2] },
        }
    }

    fn split(a: &Allocation) -> &Split {
        match a {
            Allocation::Logged(s) => s,
            Allocation::NoTimeLogged => panic!("no time logged"),
        }
    }

    #[test]
    fn hours_28_8_4_are_70_20_10_on_track() {
        let team = [person("ana", Level::Senior)];
        let r = allocation(&team, &[entry("ana", "2026-W47", [28.0, 8.0, 4.0])], None);
        let s = split(&r.people[0].allocation);
        let shares: Vec<f64> = s.buckets.iter().map(|b| b.share_pct).collect();
        assert_eq!(shares, [70.0, 20.0, 10.0]);
        assert!(s.on_track());
        assert_eq!((s.weeks, s.hours), (1, 40.0));
        assert_eq!(r.team, r.people[0].allocation);
    }

    #[test]
    fn hours_20_4_16_flag_exploration_at_40_percent_plus_30_pts() {
        let team = [person("ana", Level::Senior)];
        let r = allocation(&team, &[entry("ANA", "2026-W47", [20.0, 4.0, 16.0])], None);
        let s = split(&r.people[0].allocation);
        let flags: Vec<&str> = s.flags().collect();
        assert_eq!(
            flags,
            [
                "core 50%, -20 pts: is launch and enablement work slipping?",
                "exploration 40%, +30 pts: strategic work with no clear output?"
            ]
        );
        assert!(!s.on_track());
        assert_eq!(s.buckets[1].flag, None, "systems at 10% is exactly 10 points off: not more");
    }

    #[test]
    fn no_entries_is_no_time_logged_never_zero_zero_zero() {
        let team = [person("ana", Level::Senior), person("raj", Level::Pmm)];
        let r = allocation(&team, &[entry("raj", "2026-W46", [30.0, 8.0, 2.0])], None);
        assert_eq!(r.people[0].allocation, Allocation::NoTimeLogged);
        assert!(matches!(r.people[1].allocation, Allocation::Logged(_)));
        assert_eq!(allocation(&team, &[], None).team, Allocation::NoTimeLogged);
        let json = serde_json::to_string(&Allocation::NoTimeLogged).unwrap();
        assert_eq!(json, r#"{"state":"no-time-logged"}"#);
    }

    #[test]
    fn the_team_adds_hours_across_people_and_weeks_and_a_relogged_week_replaces() {
        let team = [person("ana", Level::Senior), person("raj", Level::Pmm)];
        let entries = [
            entry("ana", "2026-W46", [10.0, 10.0, 10.0]),
            entry("ana", "2026-w46", [28.0, 8.0, 4.0]),
            entry("ana", "2026-W47", [28.0, 8.0, 4.0]),
            entry("raj", "2026-W47", [28.0, 8.0, 4.0]),
            entry("outsider", "2026-W47", [0.0, 0.0, 40.0]),
        ];
        let r = allocation(&team, &entries, None);
        let t = split(&r.team);
        assert_eq!((t.weeks, t.hours), (2, 120.0));
        assert!(t.on_track());
        assert_eq!(split(&r.people[0].allocation).weeks, 2);
        let nov = Period::parse("2026-11").unwrap();
        let r = allocation(&team, &[entry("ana", "2026-W44", [0.0, 0.0, 40.0])], Some(&nov));
        assert_eq!(r.team, Allocation::NoTimeLogged, "W44 (26 Oct - 1 Nov) has its Thursday in October");
    }

    #[test]
    fn weeks_belong_where_their_thursday_is() {
        let w53 = parse_week("2026-W53").unwrap();
        assert!(week_in_period(&w53, &Period::parse("2026-12").unwrap()));
        assert!(week_in_period(&w53, &Period::parse("2026-Q4").unwrap()));
        assert!(!week_in_period(&w53, &Period::parse("2027-01").unwrap()));
        assert!(week_in_period(&w53, &Period::parse("2027-01-02").unwrap()));
        assert!(week_in_period(&w53, &Period::parse("2026-W53").unwrap()));
        assert_eq!(parse_week("2026-11").unwrap_err().to_string(), "'2026-11' is not a week (expected like 2026-W47)");
        assert!(parse_week("2026-W54").is_err());
    }

    #[test]
    fn hours_parse_with_one_clear_error_per_bad_token() {
        let ok = parse_hours(&["exploration=4", "core=28h", "SYSTEMS=7.5"]).unwrap();
        assert_eq!((ok.core, ok.systems, ok.exploration), (28.0, 7.5, 4.0));
        let err = |t: &[&str]| parse_hours(t).unwrap_err().to_string();
        assert_eq!(err(&["28", "systems=8", "exploration=4"]), "'28': expected BUCKET=HOURS, e.g. core=28");
        assert_eq!(err(&["cor=28"]), "'cor=28': 'cor' is not a bucket (core, systems or exploration)");
        assert_eq!(err(&["core=abc"]), "'core=abc': 'abc' is not a number of hours");
        assert_eq!(err(&["core=7,5"]), "'core=7,5': '7,5' is not a number of hours (use a dot: 7.5)");
        assert_eq!(err(&["core=-3"]), "'core=-3': '-3' is not a number of hours (hours cannot be negative)");
        assert_eq!(err(&["core="]), "'core=': '' is not a number of hours");
        assert_eq!(err(&["core=1.2.3"]), "'core=1.2.3': '1.2.3' is not a number of hours");
        assert_eq!(err(&["core=28", "core=30"]), "core is given twice ('core=28', 'core=30')");
        assert_eq!(
            err(&["core=28", "exploration=4"]),
            "systems is missing: give all three, e.g. core=28 systems=8 exploration=4 (0 is fine)"
        );
        assert_eq!(err(&["core=100", "systems=60", "exploration=10"]), "170 hours is more than a week holds (168)");
        assert_eq!(err(&["core=0", "systems=0", "exploration=0"]), "no hours: core, systems and exploration are all 0");
    }

    #[test]
    fn shares_next_to_the_edge_show_a_decimal() {
        assert_eq!(format_share(80.4, 10.4), ("80.4%".to_string(), "+10.4 pts".to_string()));
        assert_eq!(format_share(40.0, 30.0), ("40%".to_string(), "+30 pts".to_string()));
        assert_eq!(format_share(5.0, -15.0), ("5%".to_string(), "-15 pts".to_string()));
        let team = [person("ana", Level::Senior)];
        // 80.4% core: 10.4 points over, flagged, and the words say more than 10.
        let r = allocation(&team, &[entry("ana", "2026-W47", [40.2, 7.8, 2.0])], None);
        assert_eq!(
            split(&r.team).flags().next(),
            Some("core 80.4%, +10.4 pts: all execution, no systems: who builds the machine?")
        );
    }
}
