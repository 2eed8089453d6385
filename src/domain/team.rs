//! The team: levels, competencies, ratings with evidence, and the skills matrix that makes promotion
//! criteria explicit (people × competencies, the demonstrated level marked against the person's own).
//!
//! Pure: the store hands in people, competencies and ratings; faces render the [`Matrix`].

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::text::{channel_slug, close_matches, fuzzy_match, name_key};

/// Why a team input was refused: one line each, naming the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("'{0}' is not a level (one of: junior, pmm, senior, staff)")]
    Level(String),
    #[error("{what} is empty")]
    Blank { what: &'static str },
    #[error("'{given}' is not {what}{}", hint(.suggestions, .all))]
    Unknown { what: &'static str, given: String, suggestions: Vec<String>, all: Vec<String> },
    #[error("'{given}' matches more than one {what} ({}): type more of it", .candidates.join(", "))]
    Ambiguous { what: &'static str, given: String, candidates: Vec<String> },
    #[error("{0} cannot be their own manager")]
    OwnManager(String),
}

fn hint(suggestions: &[String], all: &[String]) -> String {
    if !suggestions.is_empty() {
        format!(" (did you mean {}?)", suggestions.join(" or "))
    } else if all.is_empty() {
        " (the list is empty)".to_string()
    } else {
        format!(" (one of: {})", all.join(", "))
    }
}

/// The career ladder, in order: a rating compares with `<` and `>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Junior,
    Pmm,
    Senior,
    Staff,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Junior, Level::Pmm, Level::Senior, Level::Staff];

    pub fn slug(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Pmm => "pmm",
            Level::Senior => "senior",
            Level::Staff => "staff",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Junior => "Junior PMM",
            Level::Pmm => "PMM",
            Level::Senior => "Senior PMM",
            Level::Staff => "Staff PMM",
        }
    }

    /// What the level means, from the domain's ladder: the bar a rating is held to.
    pub fn expectation(self) -> &'static str {
        match self {
            Level::Junior => "executes defined launches with supervision",
            Level::Pmm => "owns a segment or product independently",
            Level::Senior => "builds frameworks and mentors juniors",
            Level::Staff => "leads cross-functional strategy and influences the roadmap",
        }
    }

    /// `junior`, `pmm`, `senior`, `staff`, any case; the labels ("Senior PMM") and "principal"
    /// (the same rung as staff) are accepted too.
    pub fn parse(s: &str) -> Result<Level, TeamError> {
        let k = name_key(s);
        let k = k.strip_suffix(" pmm").unwrap_or(&k);
        match k {
            "junior" => Ok(Level::Junior),
            "pmm" => Ok(Level::Pmm),
            "senior" => Ok(Level::Senior),
            "staff" | "principal" | "staff/principal" => Ok(Level::Staff),
            _ => Err(TeamError::Level(s.trim().to_string())),
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug())
    }
}

/// The competencies a new store starts with (slug, label); the user may add and rename.
pub const SEEDED_COMPETENCIES: [(&str, &str); 7] = [
    ("positioning", "Positioning"),
    ("launch-execution", "Launch execution"),
    ("sales-enablement", "Sales enablement"),
    ("competitive-intelligence", "Competitive intelligence"),
    ("analytics", "Analytics"),
    ("cross-functional-influence", "Cross-functional influence"),
    ("coaching", "Coaching"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Competency {
    pub slug: String,
    pub label: String,
}

impl Competency {
    /// A new competency from its label: the slug follows the project's one slug rule.
    pub fn from_label(label: &str) -> Result<Competency, TeamError> {
        let slug = channel_slug(label);
        if slug.is_empty() {
            return Err(TeamError::Blank { what: "the competency's name" });
        }
        Ok(Competency { slug, label: label.trim().to_string() })
    }
}

pub fn seeded_competencies() -> Vec<Competency> {
    SEEDED_COMPETENCIES.iter().map(|(s, l)| Competency { slug: s.to_string(), label: l.to_string() }).collect()
}

/// The competency a user typed: its slug or label in any case and spacing, or a unique prefix
/// of the slug ("launch" is launch-execution). Refused when unknown or when the prefix is shared.
pub fn resolve_competency<'a>(given: &str, list: &'a [Competency]) -> Result<&'a Competency, TeamError> {
    let slug = channel_slug(given);
    if slug.is_empty() {
        return Err(TeamError::Blank { what: "the competency" });
    }
    if let Some(c) = list.iter().find(|c| c.slug == slug || name_key(&c.label) == name_key(given)) {
        return Ok(c);
    }
    let prefixed: Vec<&Competency> = list.iter().filter(|c| c.slug.starts_with(&slug)).collect();
    match prefixed.as_slice() {
        [one] => Ok(one),
        [] => Err(TeamError::Unknown {
            what: "a competency",
            given: given.trim().to_string(),
            suggestions: close_matches(&slug, list.iter().map(|c| c.slug.as_str()))
                .into_iter()
                .map(String::from)
                .collect(),
            all: list.iter().map(|c| c.slug.clone()).collect(),
        }),
        many => Err(TeamError::Ambiguous {
            what: "competency",
            given: given.trim().to_string(),
            candidates: many.iter().map(|c| c.slug.clone()).collect(),
        }),
    }
}

/// A member of the team. `key` is what owner fields hold; it matches case- and dash-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub key: String,
    pub name: String,
    pub level: Level,
    pub manager: Option<String>,
}

/// The key owner fields and ratings are matched on: "Ana–Lopez" and "ana-lopez" are one person.
pub fn person_key(s: &str) -> String {
    name_key(s)
}

/// Checks a new member before the store writes it: a key and a name, and not their own manager.
/// Whether the manager exists is [`resolve_person`]'s question, asked by the caller.
pub fn validate_person(key: &str, name: &str, manager: Option<&str>) -> Result<(), TeamError> {
    if key.trim().is_empty() {
        return Err(TeamError::Blank { what: "the person's key" });
    }
    if name.trim().is_empty() {
        return Err(TeamError::Blank { what: "the person's name" });
    }
    if manager.is_some_and(|m| person_key(m) == person_key(key)) {
        return Err(TeamError::OwnManager(key.trim().to_string()));
    }
    Ok(())
}

/// The member a user typed, by key or full name in any case and dash.
pub fn resolve_person<'a>(given: &str, people: &'a [Person]) -> Result<&'a Person, TeamError> {
    let k = person_key(given);
    if k.is_empty() {
        return Err(TeamError::Blank { what: "the person" });
    }
    people.iter().find(|p| person_key(&p.key) == k || person_key(&p.name) == k).ok_or_else(|| TeamError::Unknown {
        what: "on the team",
        given: given.trim().to_string(),
        suggestions: close_matches(&k, people.iter().map(|p| p.key.as_str())).into_iter().map(String::from).collect(),
        all: people.iter().map(|p| p.key.clone()).collect(),
    })
}

/// What an owner field holds once typed: a member, or a name the form offers to add to the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerMatch<'a> {
    OnTeam(&'a Person),
    NotOnTeam(String),
}

pub fn match_owner<'a>(typed: &str, people: &'a [Person]) -> OwnerMatch<'a> {
    match resolve_person(typed, people) {
        Ok(p) => OwnerMatch::OnTeam(p),
        Err(_) => OwnerMatch::NotOnTeam(typed.trim().to_string()),
    }
}

/// The one-line note for an owner who is not on the team: accepted as written (Sales and Product
/// own things too), with a hint when it is close to a member. `None` when the owner is on the
/// team, or when there is no team yet (a store that does not use the team is not nagged).
pub fn off_team_note(typed: &str, people: &[Person]) -> Option<String> {
    let typed = typed.trim();
    if people.is_empty() || typed.is_empty() {
        return None;
    }
    let OwnerMatch::NotOnTeam(name) = match_owner(typed, people) else { return None };
    let k = person_key(&name);
    let near = close_matches(&k, people.iter().map(|p| p.key.as_str()));
    let hint = if near.is_empty() { String::new() } else { format!(" (did you mean {}?)", near.join(" or ")) };
    Some(format!("note: '{name}' is not on the team{hint}: add with mktg team add"))
}

/// Completion candidates for an owner field, best first: key or name starting with what was
/// typed, then the fuzzy (in-order letters) matches. Nothing typed offers the whole team.
pub fn complete_owner<'a>(typed: &str, people: &'a [Person]) -> Vec<&'a Person> {
    let t = person_key(typed);
    let starts = |p: &&Person| person_key(&p.key).starts_with(&t) || person_key(&p.name).starts_with(&t);
    let mut out: Vec<&Person> = people.iter().filter(starts).collect();
    out.extend(people.iter().filter(|p| !starts(p) && (fuzzy_match(&t, &p.key) || fuzzy_match(&t, &p.name))));
    out
}

/// One rating of one person in one competency. The newest date wins; on the same date the one
/// later in the list (the store passes them in the order written) wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub person: String,
    pub competency: String,
    pub level: Level,
    pub evidence: String,
    pub date: NaiveDate,
}

/// A rating needs its evidence: promotion criteria are explicit or they are nothing.
pub fn validate_evidence(evidence: &str) -> Result<String, TeamError> {
    let e = evidence.trim();
    if e.is_empty() {
        return Err(TeamError::Blank { what: "the evidence (what did they do that shows this level?)" });
    }
    Ok(e.to_string())
}

/// Where a demonstrated level sits against the person's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Above their level: promotion evidence.
    PromotionEvidence,
    AtLevel,
    /// Below their level: coaching focus.
    CoachingFocus,
}

impl Mark {
    pub fn of(demonstrated: Level, own: Level) -> Mark {
        match demonstrated.cmp(&own) {
            std::cmp::Ordering::Greater => Mark::PromotionEvidence,
            std::cmp::Ordering::Equal => Mark::AtLevel,
            std::cmp::Ordering::Less => Mark::CoachingFocus,
        }
    }

    /// The symbol every face puts after the level: `▲` promotion evidence, `▼` coaching focus.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::PromotionEvidence => "▲",
            Mark::AtLevel => "",
            Mark::CoachingFocus => "▼",
        }
    }
}

/// The latest rating of one person in one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub level: Level,
    pub mark: Mark,
    pub evidence: String,
    pub date: NaiveDate,
}

impl Cell {
    /// "staff ▲", "pmm ▼", "senior".
    pub fn short(&self) -> String {
        match self.mark {
            Mark::AtLevel => self.level.slug().to_string(),
            m => format!("{} {}", self.level.slug(), m.symbol()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    pub person: Person,
    /// One per competency, in the matrix's competency order; `None` where never rated.
    pub cells: Vec<Option<Cell>>,
}

impl MatrixRow {
    fn count(&self, mark: Mark) -> usize {
        self.cells.iter().flatten().filter(|c| c.mark == mark).count()
    }
    pub fn promotion_evidence(&self) -> usize {
        self.count(Mark::PromotionEvidence)
    }
    pub fn coaching_focus(&self) -> usize {
        self.count(Mark::CoachingFocus)
    }
    pub fn unrated(&self) -> usize {
        self.cells.iter().filter(|c| c.is_none()).count()
    }
}

/// People × competencies with the demonstrated level, in the order the store gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub competencies: Vec<Competency>,
    pub rows: Vec<MatrixRow>,
}

impl Matrix {
    /// One person's row only: the page for a 1:1.
    pub fn for_person(&self, key: &str) -> Option<Matrix> {
        let k = person_key(key);
        let row = self.rows.iter().find(|r| person_key(&r.person.key) == k)?;
        Some(Matrix { competencies: self.competencies.clone(), rows: vec![row.clone()] })
    }
}

/// Builds the matrix in one pass over the ratings. Ratings naming a person or competency not in
/// the lists are left out (the store's foreign keys keep that from happening).
pub fn matrix(people: &[Person], competencies: &[Competency], ratings: &[Rating]) -> Matrix {
    let person_ix: HashMap<String, usize> = people.iter().enumerate().map(|(i, p)| (person_key(&p.key), i)).collect();
    let comp_ix: HashMap<&str, usize> = competencies.iter().enumerate().map(|(i, c)| (c.slug.as_str(), i)).collect();
    let mut latest: Vec<Vec<Option<&Rating>>> = vec![vec![None; competencies.len()]; people.len()];
    for r in ratings {
        let (Some(&p), Some(&c)) =
            (person_ix.get(&person_key(&r.person)), comp_ix.get(channel_slug(&r.competency).as_str()))
        else {
            continue;
        };
        let slot = &mut latest[p][c];
        if slot.is_none_or(|old| r.date >= old.date) {
            *slot = Some(r);
        }
    }
    let rows = people
        .iter()
        .zip(latest)
        .map(|(p, cells)| MatrixRow {
            person: p.clone(),
            cells: cells
                .into_iter()
                .map(|r| {
                    r.map(|r| Cell {
                        level: r.level,
                        mark: Mark::of(r.level, p.level),
                        evidence: r.evidence.clone(),
                        date: r.date,
                    })
                })
                .collect(),
        })
        .collect();
    Matrix { competencies: competencies.to_vec(), rows }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn person(key: &str, level: Level) -> Person {
        Person { key: key.into(), name: format!("{key} name"), level, manager: None }
    }

    pub(crate) fn rate(person: &str, competency: &str, level: Level, date: &str) -> Rating {
        Rating {
            person: person.into(),
            competency: competency.into(),
            level,
            evidence: format!("{person} {competency}"),
            date: d(date),
        }
    }

    #[test]
    fn levels_are_ordered_and_parse_with_one_clear_error() {
        assert!(Level::Junior < Level::Pmm && Level::Pmm < Level::Senior && Level::Senior < Level::Staff);
        assert_eq!(Level::parse(" Senior ").unwrap(), Level::Senior);
        assert_eq!(Level::parse("Senior PMM").unwrap(), Level::Senior);
        assert_eq!(Level::parse("principal").unwrap(), Level::Staff);
        assert_eq!(Level::parse("pmm").unwrap(), Level::Pmm);
        let e = Level::parse("lead").unwrap_err().to_string();
        assert_eq!(e, "'lead' is not a level (one of: junior, pmm, senior, staff)");
        for l in Level::ALL {
            assert_eq!(Level::parse(l.slug()).unwrap(), l);
            assert_eq!(Level::parse(l.label()).unwrap(), l);
        }
    }

    #[test]
    fn competencies_resolve_by_slug_label_or_unique_prefix() {
        let list = seeded_competencies();
        assert_eq!(list.len(), 7);
        assert_eq!(resolve_competency("Sales Enablement", &list).unwrap().slug, "sales-enablement");
        assert_eq!(resolve_competency("launch", &list).unwrap().slug, "launch-execution");
        assert_eq!(resolve_competency("cross_functional_influence", &list).unwrap().slug, "cross-functional-influence");
        let e = resolve_competency("positoning", &list).unwrap_err().to_string();
        assert_eq!(e, "'positoning' is not a competency (did you mean positioning?)");
        let e = resolve_competency("juggling", &list).unwrap_err().to_string();
        assert!(e.starts_with("'juggling' is not a competency (one of: positioning, launch-execution"), "{e}");
        let mut more = list.clone();
        more.push(Competency::from_label("Analyst relations").unwrap());
        let e = resolve_competency("analy", &more).unwrap_err().to_string();
        assert_eq!(e, "'analy' matches more than one competency (analytics, analyst-relations): type more of it");
        assert!(Competency::from_label("  ").is_err());
    }

    #[test]
    fn people_match_by_key_or_name_in_any_case_and_dash() {
        let mut ana = person("ana-lopez", Level::Senior);
        ana.name = "Ana López".into();
        let people = vec![person("raj", Level::Pmm), ana];
        assert_eq!(resolve_person("ANA–LOPEZ", &people).unwrap().key, "ana-lopez");
        assert_eq!(resolve_person("ana lópez", &people).unwrap().key, "ana-lopez");
        let e = resolve_person("rja", &people).unwrap_err().to_string();
        assert_eq!(e, "'rja' is not on the team (did you mean raj?)");
        assert_eq!(
            resolve_person("dana", &[]).unwrap_err().to_string(),
            "'dana' is not on the team (the list is empty)"
        );
        assert_eq!(match_owner("Dana", &people), OwnerMatch::NotOnTeam("Dana".into()));
        assert_eq!(off_team_note("Dana", &people).unwrap(), "note: 'Dana' is not on the team: add with mktg team add");
        assert_eq!(
            off_team_note("rja", &people).unwrap(),
            "note: 'rja' is not on the team (did you mean raj?): add with mktg team add"
        );
        assert_eq!(off_team_note("ANA–LOPEZ", &people), None);
        assert_eq!(off_team_note("ana lópez", &people), None, "the name matches too");
        assert_eq!(off_team_note("Dana", &[]), None, "no team, no nagging");
        assert!(matches!(match_owner("raj", &people), OwnerMatch::OnTeam(p) if p.key == "raj"));
        let keys = |v: Vec<&Person>| v.into_iter().map(|p| p.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(complete_owner("a", &people)), ["ana-lopez", "raj"]);
        assert_eq!(keys(complete_owner("", &people)), ["raj", "ana-lopez"]);
        assert_eq!(keys(complete_owner("zz", &people)), Vec::<String>::new());
        assert_eq!(
            validate_person("ana", "Ana", Some("ANA")).unwrap_err().to_string(),
            "ana cannot be their own manager"
        );
        assert!(validate_person(" ", "Ana", None).is_err());
        assert_eq!(
            validate_evidence("  ").unwrap_err().to_string(),
            "the evidence (what did they do that shows this level?) is empty"
        );
    }

    #[test]
    fn a_senior_rated_staff_in_three_competencies_shows_three_promotion_marks() {
        let people = vec![person("ana", Level::Senior)];
        let ratings = vec![
            rate("ana", "positioning", Level::Staff, "2026-10-01"),
            rate("ana", "analytics", Level::Staff, "2026-10-02"),
            rate("ana", "coaching", Level::Staff, "2026-10-03"),
            rate("ana", "launch-execution", Level::Senior, "2026-10-03"),
            rate("ana", "sales-enablement", Level::Pmm, "2026-10-03"),
        ];
        let m = matrix(&people, &seeded_competencies(), &ratings);
        let row = &m.rows[0];
        assert_eq!((row.promotion_evidence(), row.coaching_focus(), row.unrated()), (3, 1, 2));
        assert_eq!(row.cells[0].as_ref().unwrap().short(), "staff ▲");
        assert_eq!(row.cells[1].as_ref().unwrap().short(), "senior");
        assert_eq!(row.cells[2].as_ref().unwrap().short(), "pmm ▼");
    }

    #[test]
    fn the_latest_rating_wins_and_the_same_day_goes_to_the_later_entry() {
        let people = vec![person("Raj", Level::Pmm)];
        let ratings = vec![
            rate("raj", "positioning", Level::Staff, "2026-11-01"),
            rate("RAJ", "Positioning", Level::Junior, "2026-09-01"),
            rate("raj", "analytics", Level::Junior, "2026-11-02"),
            rate("raj", "analytics", Level::Senior, "2026-11-02"),
            rate("nobody", "analytics", Level::Senior, "2026-11-02"),
            rate("raj", "juggling", Level::Senior, "2026-11-02"),
        ];
        let m = matrix(&people, &seeded_competencies(), &ratings);
        let cells = &m.rows[0].cells;
        assert_eq!(cells[0].as_ref().unwrap().level, Level::Staff);
        assert_eq!(cells[4].as_ref().unwrap().level, Level::Senior);
        assert_eq!(m.rows[0].promotion_evidence(), 2);
        assert!(m.for_person("RAJ").is_some());
        assert!(m.for_person("ana").is_none());
    }
}
