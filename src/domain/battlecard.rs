//! Battlecards by the update protocol: one card per competitor, a fixed list of sections Sales
//! actually uses, each stamped with who updated it and when; stale when its newest section is
//! older than a quarter or the competitor launched since; and what changed at the last refresh.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest a section may be, in characters: a card is read in a hurry before a call.
pub const MAX_SECTION_CHARS: usize = 20_000;
/// A card whose newest section is older than this many days is stale (a quarter).
pub const STALE_AFTER_DAYS: i64 = 92;
/// Edits with no more than this many days between them are one refresh.
pub const REFRESH_GAP_DAYS: i64 = 7;

/// The sections of a card, in the order a card is always shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    WhyWeWin,
    WhyWeLose,
    /// Objection, answer, proof: see [`parse_objections`].
    Objections,
    Landmines,
    Pricing,
    Proof,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::WhyWeWin,
        Section::WhyWeLose,
        Section::Objections,
        Section::Landmines,
        Section::Pricing,
        Section::Proof,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Section::WhyWeWin => "why-we-win",
            Section::WhyWeLose => "why-we-lose",
            Section::Objections => "objections",
            Section::Landmines => "landmines",
            Section::Pricing => "pricing",
            Section::Proof => "proof",
        }
    }

    /// The heading on the card.
    pub fn title(self) -> &'static str {
        match self {
            Section::WhyWeWin => "Why we win",
            Section::WhyWeLose => "Why we lose",
            Section::Objections => "Objections",
            Section::Landmines => "Landmines to set",
            Section::Pricing => "Pricing",
            Section::Proof => "Proof points",
        }
    }

    /// A section slug; case, spaces and underscores are forgiven (`Why_We_Win`). Anything else
    /// is refused naming the six.
    pub fn parse(s: &str) -> Result<Section, CardError> {
        let slug = crate::domain::text::channel_slug(s);
        Section::ALL.into_iter().find(|x| x.slug() == slug).ok_or_else(|| CardError::UnknownSection(s.trim().into()))
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Why a card edit is refused. Every variant is bad input (exit 2 at the faces).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error(
        "'{0}' is not a battlecard section (one of: why-we-win, why-we-lose, objections, landmines, pricing, proof)"
    )]
    UnknownSection(String),
    #[error("the {section} section is {chars} characters; the limit is 20000 (cut it or move detail to a linked doc)")]
    TooLong { section: Section, chars: usize },
    #[error("objections, entry {entry}: {problem} (write each as 'Objection: ...', 'Answer: ...', 'Proof: ...')")]
    Objection { entry: usize, problem: &'static str },
}

/// Check a section's new text before it is stored: the length limit, and for objections the
/// objection / answer / proof shape.
pub fn check_text(section: Section, text: &str) -> Result<(), CardError> {
    let chars = text.chars().count();
    if chars > MAX_SECTION_CHARS {
        return Err(CardError::TooLong { section, chars });
    }
    if section == Section::Objections {
        parse_objections(text)?;
    }
    Ok(())
}

/// One objection with its answer and, when there is one yet, its proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objection {
    pub objection: String,
    pub answer: String,
    pub proof: Option<String>,
}

/// Read the objections section: entries separated by blank lines, each with lines labelled
/// `Objection:`, `Answer:` and optionally `Proof:` (any case, a leading `- ` allowed); unlabelled
/// lines continue the field above. An entry with no objection or no answer is refused.
pub fn parse_objections(text: &str) -> Result<Vec<Objection>, CardError> {
    let mut out = Vec::new();
    for (i, block) in blocks(text).into_iter().enumerate() {
        let entry = i + 1;
        let bad = |problem| CardError::Objection { entry, problem };
        let mut fields: [Option<String>; 3] = [None, None, None];
        let mut current: Option<usize> = None;
        for line in block {
            let line = line.trim().trim_start_matches("- ").trim();
            match labelled(line) {
                Some((i, rest)) => {
                    if fields[i].is_some() {
                        return Err(bad("a label is given twice"));
                    }
                    fields[i] = Some(rest.to_string());
                    current = Some(i);
                }
                None => {
                    let i = current.ok_or_else(|| bad("it does not start with 'Objection:'"))?;
                    if let Some(f) = fields[i].as_mut() {
                        if !f.is_empty() {
                            f.push(' ');
                        }
                        f.push_str(line);
                    }
                }
            }
        }
        let [objection, answer, proof] = fields;
        let objection = objection.filter(|s| !s.is_empty()).ok_or_else(|| bad("no objection"))?;
        let answer = answer.filter(|s| !s.is_empty()).ok_or_else(|| bad("no answer"))?;
        out.push(Objection { objection, answer, proof: proof.filter(|s| !s.is_empty()) });
    }
    Ok(out)
}

/// Runs of non-blank lines.
fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        match (line.trim().is_empty(), out.last_mut()) {
            (true, Some(last)) if !last.is_empty() => out.push(Vec::new()),
            (false, Some(last)) => last.push(line),
            _ => {}
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

/// `("Answer: We ship SSO")` => `Some((1, "We ship SSO"))`.
fn labelled(line: &str) -> Option<(usize, &str)> {
    let (label, rest) = line.split_once(':')?;
    let i = ["objection", "answer", "proof"].iter().position(|l| label.trim().eq_ignore_ascii_case(l))?;
    Some((i, rest.trim()))
}

/// One stored version of a section: the card keeps them all, the newest is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionVersion {
    pub section: Section,
    pub text: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// A launch recorded against the competitor (`compete launched`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetitorLaunch {
    pub on: NaiveDate,
    pub note: Option<String>,
}

/// One of our own launches marked as a product pivot (`launch pivot`): a card written before it
/// argues against a product we no longer sell, whatever its age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPivot {
    pub launch: i64,
    pub name: String,
    pub on: NaiveDate,
}

/// Why a card is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "kebab-case")]
pub enum StaleReason {
    /// No section has been written yet.
    NeverWritten,
    /// The newest section is older than the limit.
    Old { refreshed_on: NaiveDate, age_days: i64, limit_days: i64 },
    /// The competitor launched after the card's last refresh.
    Launched { on: NaiveDate, note: Option<String>, refreshed_on: NaiveDate },
    /// Our product pivoted after the card's last refresh.
    Pivot { launch: i64, name: String, on: NaiveDate, refreshed_on: NaiveDate },
}

impl fmt::Display for StaleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StaleReason::NeverWritten => f.write_str("no section written yet"),
            StaleReason::Old { age_days, limit_days, .. } => {
                write!(f, "last refreshed {age_days} days ago (refresh every {limit_days})")
            }
            StaleReason::Launched { on, note, refreshed_on } => {
                write!(f, "the competitor launched on {on}, after the last refresh on {refreshed_on}")?;
                match note {
                    Some(n) => write!(f, " ({})", crate::domain::text::safe(n)),
                    None => Ok(()),
                }
            }
            StaleReason::Pivot { name, on, refreshed_on, .. } => write!(
                f,
                "our product pivot \"{}\" on {on} came after the last refresh on {refreshed_on}",
                crate::domain::text::safe(name)
            ),
        }
    }
}

/// A card's age and, when stale, every reason why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    pub refreshed_on: Option<NaiveDate>,
    pub age_days: Option<i64>,
    pub reasons: Vec<StaleReason>,
}

impl Freshness {
    pub fn is_stale(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// When the card was last refreshed: its newest section version.
pub fn last_refreshed(history: &[SectionVersion]) -> Option<NaiveDateTime> {
    history.iter().map(|v| v.at).max()
}

/// Staleness by the protocol, on `today`: older than `limit_days` (stale from day limit + 1), or a
/// competitor launch or one of our product pivots dated after the refresh day and not after today
/// (a launch announced for next week makes the card stale on its day; one on the refresh day is
/// taken as covered by it).
pub fn freshness(
    refreshed: Option<NaiveDateTime>,
    launches: &[CompetitorLaunch],
    pivots: &[OwnPivot],
    today: NaiveDate,
    limit_days: i64,
) -> Freshness {
    let Some(refreshed_on) = refreshed.map(|t| t.date()) else {
        return Freshness { refreshed_on: None, age_days: None, reasons: vec![StaleReason::NeverWritten] };
    };
    let age_days = (today - refreshed_on).num_days();
    let mut reasons = Vec::new();
    if age_days > limit_days {
        reasons.push(StaleReason::Old { refreshed_on, age_days, limit_days });
    }
    let mut after: Vec<&CompetitorLaunch> = launches.iter().filter(|l| l.on > refreshed_on && l.on <= today).collect();
    after.sort_by_key(|l| l.on);
    reasons.extend(after.into_iter().map(|l| StaleReason::Launched { on: l.on, note: l.note.clone(), refreshed_on }));
    let mut pivoted: Vec<&OwnPivot> = pivots.iter().filter(|p| p.on > refreshed_on && p.on <= today).collect();
    pivoted.sort_by_key(|p| (p.on, p.launch));
    reasons.extend(pivoted.into_iter().map(|p| StaleReason::Pivot {
        launch: p.launch,
        name: p.name.clone(),
        on: p.on,
        refreshed_on,
    }));
    Freshness { refreshed_on: Some(refreshed_on), age_days: Some(age_days), reasons }
}

/// The current text of each written section, in card order.
pub fn current(history: &[SectionVersion]) -> Vec<&SectionVersion> {
    Section::ALL.iter().filter_map(|s| newest(history.iter().filter(|v| v.section == *s))).collect()
}

fn newest<'a>(versions: impl Iterator<Item = &'a SectionVersion>) -> Option<&'a SectionVersion> {
    // The later one wins a tie in time: versions are appended in the order they were saved.
    versions.fold(None, |best: Option<&SectionVersion>, v| match best {
        Some(b) if b.at > v.at => Some(b),
        _ => Some(v),
    })
}

/// A section as it was before a refresh and as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionChange {
    pub section: Section,
    /// `None`: the section was first written in this refresh.
    pub before: Option<String>,
    pub after: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// Sections whose text at the end differs from their text before `since` (a section saved again
/// with the same words did not change).
pub fn changes_since(history: &[SectionVersion], since: NaiveDateTime) -> Vec<SectionChange> {
    Section::ALL
        .iter()
        .filter_map(|&s| {
            let now = newest(history.iter().filter(|v| v.section == s))?;
            let before = newest(history.iter().filter(|v| v.section == s && v.at < since)).map(|v| v.text.clone());
            (now.at >= since && before.as_deref() != Some(now.text.as_str())).then(|| SectionChange {
                section: s,
                before,
                after: now.text.clone(),
                by: now.by.clone(),
                at: now.at,
            })
        })
        .collect()
}

/// The last refresh and what it changed. A refresh is a run of edits with no gap of more than
/// `gap_days` between them (a quarterly refresh may take a few days). Returns when the last
/// refresh began, when the one before it ended (if any), and the changed sections.
pub fn last_refresh(
    history: &[SectionVersion],
    gap_days: i64,
) -> Option<(NaiveDateTime, Option<NaiveDateTime>, Vec<SectionChange>)> {
    let mut times: Vec<NaiveDateTime> = history.iter().map(|v| v.at).collect();
    times.sort_unstable();
    let mut began = *times.last()?;
    let mut previous = None;
    for &t in times.iter().rev().skip(1) {
        if began - t > Duration::days(gap_days) {
            previous = Some(t);
            break;
        }
        began = t;
    }
    Some((began, previous, changes_since(history, began)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> NaiveDateTime {
        d(s).and_hms_opt(10, 0, 0).unwrap()
    }
    fn version(section: Section, text: &str, day: &str) -> SectionVersion {
        SectionVersion { section, text: text.into(), by: "maya".into(), at: t(day) }
    }

    #[test]
    fn sections_come_in_one_order_and_unknown_ones_are_refused_naming_the_six() {
        let slugs: Vec<&str> = Section::ALL.iter().map(|s| s.slug()).collect();
        assert_eq!(slugs, ["why-we-win", "why-we-lose", "objections", "landmines", "pricing", "proof"]);
        assert_eq!(Section::parse("Why_We_Win").unwrap(), Section::WhyWeWin);
        assert_eq!(Section::parse(" pricing ").unwrap(), Section::Pricing);
        assert_eq!(
            Section::parse("faq").unwrap_err().to_string(),
            "'faq' is not a battlecard section (one of: why-we-win, why-we-lose, objections, landmines, pricing, proof)"
        );
    }

    #[test]
    fn a_section_over_twenty_thousand_characters_is_refused() {
        // Characters, not bytes: 20,000 accented letters are within the limit.
        assert!(check_text(Section::Pricing, &"é".repeat(MAX_SECTION_CHARS)).is_ok());
        let e = check_text(Section::Pricing, &"x".repeat(MAX_SECTION_CHARS + 1)).unwrap_err();
        assert_eq!(e, CardError::TooLong { section: Section::Pricing, chars: 20_001 });
        assert!(e.to_string().starts_with("the pricing section is 20001 characters; the limit is 20000"));
    }

    #[test]
    fn objections_read_as_objection_answer_proof() {
        let text = "Objection: Too expensive\nAnswer: Cheaper than two analysts\n  over a year\nProof: Acme case study\n\n\
                    - objection: No SSO\n- answer: SAML since v4\n";
        let got = parse_objections(text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].answer, "Cheaper than two analysts over a year");
        assert_eq!(got[0].proof.as_deref(), Some("Acme case study"));
        assert_eq!((got[1].objection.as_str(), got[1].proof.as_deref()), ("No SSO", None));
        let e = check_text(Section::Objections, "Objection: a\nAnswer: b\n\nObjection: no answer here").unwrap_err();
        assert_eq!(e, CardError::Objection { entry: 2, problem: "no answer" });
        assert!(check_text(Section::Objections, "just some notes").is_err());
        assert!(check_text(Section::WhyWeWin, "just some notes").is_ok());
    }

    #[test]
    fn a_card_goes_stale_after_a_quarter() {
        let refreshed = Some(t("2026-08-01"));
        let late = freshness(refreshed, &[], &[], d("2026-11-20"), STALE_AFTER_DAYS);
        assert!(late.is_stale());
        assert_eq!(late.reasons, [StaleReason::Old { refreshed_on: d("2026-08-01"), age_days: 111, limit_days: 92 }]);
        assert_eq!(late.reasons[0].to_string(), "last refreshed 111 days ago (refresh every 92)");
        let early = freshness(refreshed, &[], &[], d("2026-10-31"), STALE_AFTER_DAYS);
        assert_eq!((early.is_stale(), early.age_days), (false, Some(91)));
        assert!(!freshness(refreshed, &[], &[], d("2026-11-01"), STALE_AFTER_DAYS).is_stale()); // 92 days
        assert!(freshness(refreshed, &[], &[], d("2026-11-02"), STALE_AFTER_DAYS).is_stale()); // 93
        assert_eq!(freshness(None, &[], &[], d("2026-11-20"), 92).reasons, [StaleReason::NeverWritten]);
    }

    #[test]
    fn a_competitor_launch_after_the_last_refresh_makes_the_card_stale() {
        let launch = CompetitorLaunch { on: d("2026-11-02"), note: Some("Acme AI\x1b[2J".into()) };
        let f = freshness(Some(t("2026-10-15")), std::slice::from_ref(&launch), &[], d("2026-11-20"), STALE_AFTER_DAYS);
        assert!(f.is_stale());
        let why = f.reasons[0].to_string();
        assert!(
            why.starts_with("the competitor launched on 2026-11-02, after the last refresh on 2026-10-15"),
            "{why}"
        );
        assert!(!why.contains('\x1b'));
        // Refreshed after the launch, or the launch still ahead: fresh.
        assert!(!freshness(Some(t("2026-11-03")), std::slice::from_ref(&launch), &[], d("2026-11-20"), 92).is_stale());
        assert!(!freshness(Some(t("2026-10-15")), std::slice::from_ref(&launch), &[], d("2026-11-01"), 92).is_stale());
    }

    #[test]
    fn our_product_pivot_after_the_last_refresh_makes_the_card_stale_on_its_day() {
        let pivot = OwnPivot { launch: 7, name: "Platform\x1b[2J".into(), on: d("2026-11-10") };
        let pivots = std::slice::from_ref(&pivot);
        let f = freshness(Some(t("2026-10-15")), &[], pivots, d("2026-11-20"), STALE_AFTER_DAYS);
        assert_eq!(
            f.reasons,
            [StaleReason::Pivot {
                launch: 7,
                name: "Platform\x1b[2J".into(),
                on: d("2026-11-10"),
                refreshed_on: d("2026-10-15")
            }]
        );
        let why = f.reasons[0].to_string();
        assert!(why.starts_with("our product pivot \"Platform"), "{why}");
        assert!(why.ends_with("on 2026-11-10 came after the last refresh on 2026-10-15"), "{why}");
        assert!(!why.contains('\x1b'));
        // Refreshed since, or the pivot still ahead: fresh.
        assert!(!freshness(Some(t("2026-11-10")), &[], pivots, d("2026-11-20"), 92).is_stale());
        assert!(!freshness(Some(t("2026-10-15")), &[], pivots, d("2026-11-09"), 92).is_stale());
    }

    #[test]
    fn the_last_refresh_lists_the_sections_it_changed() {
        let history = vec![
            version(Section::WhyWeWin, "Faster setup", "2026-08-01"),
            version(Section::Pricing, "List $40/seat", "2026-08-01"),
            version(Section::Proof, "Globex", "2026-08-02"),
            // The Q4 refresh, over two days: pricing changed, why-we-win saved unchanged, a new landmine.
            version(Section::Pricing, "List $45/seat", "2026-10-15"),
            version(Section::WhyWeWin, "Faster setup", "2026-10-15"),
            version(Section::Landmines, "Ask about audit logs", "2026-10-16"),
        ];
        let (began, previous, changes) = last_refresh(&history, REFRESH_GAP_DAYS).unwrap();
        assert_eq!((began, previous), (t("2026-10-15"), Some(t("2026-08-02"))));
        let got: Vec<(Section, Option<&str>, &str)> =
            changes.iter().map(|c| (c.section, c.before.as_deref(), c.after.as_str())).collect();
        assert_eq!(
            got,
            [
                (Section::Landmines, None, "Ask about audit logs"),
                (Section::Pricing, Some("List $40/seat"), "List $45/seat")
            ]
        );
        let now: Vec<Section> = current(&history).iter().map(|v| v.section).collect();
        assert_eq!(now, [Section::WhyWeWin, Section::Landmines, Section::Pricing, Section::Proof]);
        assert_eq!(last_refreshed(&history), Some(t("2026-10-16")));
        assert!(last_refresh(&[], REFRESH_GAP_DAYS).is_none());
    }
}
