//! Attention items: what is off, how far, where to go, in groups read in order: off track,
//! due, at risk, good news, and mentor mode's questions. Any area can produce them (they are
//! plain values); the brief gathers every registered source (`brief::attention::SOURCES`),
//! folds items of one cause into one line and ranks them with [`arrange`].

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The four groups, in the order the dashboard and the brief show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Happening now and bad: anomalies, behind pace, over plan, feeds gone quiet.
    OffTrack,
    /// A date has come: decisions overdue or due today, follow-ups.
    Due,
    /// Not wrong yet, but heading there: launches inside their lead time with items open.
    AtRisk,
    /// Welcome surprises, worth a line in the weekly review.
    GoodNews,
    /// Mentor mode's questions a senior operator would raise today (`[mentor] attention`).
    Questions,
}

impl Group {
    pub const ALL: [Group; 5] = [Group::OffTrack, Group::Due, Group::AtRisk, Group::GoodNews, Group::Questions];

    pub fn label(self) -> &'static str {
        match self {
            Group::OffTrack => "off track",
            Group::Due => "due",
            Group::AtRisk => "at risk",
            Group::GoodNews => "good news",
            Group::Questions => "questions",
        }
    }
}

/// The kinds the brief itself produces; other areas name their own (`"alert"`, `"follow-up"`).
pub mod kind {
    pub const ANOMALY: &str = "anomaly";
    pub const PACE: &str = "pace";
    pub const CAMPAIGN: &str = "campaign";
    pub const OVER_PLAN: &str = "over-plan";
    pub const STALE: &str = "stale";
    pub const DECISION: &str = "decision";
    pub const LAUNCH: &str = "launch";
    /// The learning loop's: an alert rule in breach, a post-mortem follow-up overdue.
    pub const ALERT: &str = "alert";
    pub const FOLLOW_UP: &str = "follow-up";
    /// Competition's: a battlecard due for its owner's refresh.
    pub const BATTLECARD: &str = "battlecard";
    /// Mentor mode's: a question about ownership, dates, outcomes or load.
    pub const MENTOR: &str = "mentor";
    /// Every kind above, for reading a kept brief back (`brief::kept`): a kind not listed here
    /// makes a kept brief unreadable, so it is computed afresh instead.
    pub const ALL: &[&str] =
        &[ANOMALY, PACE, CAMPAIGN, OVER_PLAN, STALE, DECISION, LAUNCH, ALERT, FOLLOW_UP, BATTLECARD, MENTOR];
}

/// Where Enter on a line goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Link {
    Kpi {
        metric: String,
    },
    Launch {
        id: i64,
    },
    Campaign {
        id: i64,
    },
    Decision {
        id: i64,
    },
    /// A competitor's battlecard (the Compete tab opens it).
    Competitor {
        key: String,
    },
    /// Another screen by its name (`"learn"`, `"compete"`, `"team"`), optionally one of its rows:
    /// how a new capability links its items without a new variant here.
    View {
        view: String,
        id: Option<i64>,
    },
    /// Nowhere to go: the line says it all.
    None,
}

impl Link {
    /// "chart", "launch #3": said on the line so nobody has to guess.
    pub fn label(&self) -> String {
        match self {
            Link::Kpi { .. } => "chart".into(),
            Link::Launch { id } => format!("launch #{id}"),
            Link::Campaign { id } => format!("campaign #{id}"),
            Link::Decision { id } => format!("decision #{id}"),
            Link::Competitor { key } => format!("card {key}"),
            Link::View { view, id: Some(id) } => format!("{view} #{id}"),
            Link::View { view, id: None } => view.clone(),
            Link::None => String::new(),
        }
    }
}

/// One line of attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    pub group: Group,
    /// What produced it: see [`kind`]; other areas add their own.
    pub kind: &'static str,
    /// What: "paid-social CPL", "decision overdue 3 days:".
    pub what: String,
    /// How far: "$220 vs $45 usual (z 6.1) ↑ bad".
    pub how_far: String,
    /// True when this is bad news (false for a welcome surprise).
    pub bad: bool,
    /// Higher first within its group; only the order matters.
    pub severity: f64,
    pub link: Link,
    /// Who to ask, where one is known.
    pub owner: Option<String>,
    /// Items of the same cause folded into this line ("Spend ↑ z 12.6").
    pub folded: Vec<String>,
    /// Items sharing a cause fold into the strongest of them (not serialised: an internal key).
    #[serde(skip)]
    pub cause: Option<String>,
    /// How the line reads when folded into another one.
    #[serde(skip)]
    pub brief: String,
}

impl Attention {
    /// A bad item of `group` and `kind`, with no owner and nothing folded.
    pub fn new(group: Group, kind: &'static str, what: String, how_far: String, severity: f64, link: Link) -> Self {
        Attention {
            group,
            kind,
            what,
            how_far,
            bad: group != Group::GoodNews,
            severity,
            link,
            owner: None,
            folded: Vec::new(),
            cause: None,
            brief: String::new(),
        }
    }

    pub fn with_owner(mut self, owner: Option<String>) -> Self {
        self.owner = owner.filter(|o| !o.trim().is_empty());
        self
    }

    pub fn with_cause(mut self, cause: String, brief: String) -> Self {
        self.cause = Some(cause);
        self.brief = brief;
        self
    }

    /// The mark before the line: `!` bad news, `+` good news, `?` a mentor question.
    pub fn mark(&self) -> &'static str {
        match (self.group, self.bad) {
            (Group::Questions, _) => "?",
            (_, true) => "!",
            (_, false) => "+",
        }
    }

    /// The line as read: what, how far, what it folds, and whom to ask.
    pub fn line(&self) -> String {
        let mut s = format!("{} {}", self.what, self.how_far);
        if !self.folded.is_empty() {
            s.push_str(&format!("; also {}", self.folded.join(", ")));
        }
        if let Some(o) = &self.owner {
            s.push_str(&format!(" · owner {o}"));
        }
        s
    }
}

/// The moment an attention source looks from: the clock, the last day with data, the currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    /// The latest day any feed has data for (yesterday when everything is current).
    pub data_through: NaiveDate,
    pub currency: String,
}

/// Items of one cause folded into the strongest (the others listed on its line), then the
/// groups in order and each group strongest first.
pub fn arrange(items: Vec<Attention>) -> Vec<Attention> {
    let mut out: Vec<Attention> = Vec::with_capacity(items.len());
    let mut items = items;
    items.sort_by(|a, b| a.group.cmp(&b.group).then(b.severity.total_cmp(&a.severity)));
    for a in items {
        let lead = a.cause.as_ref().and_then(|c| out.iter_mut().find(|o| o.cause.as_ref() == Some(c)));
        match lead {
            Some(lead) => lead.folded.push(if a.brief.is_empty() { a.what.clone() } else { a.brief.clone() }),
            None => out.push(a),
        }
    }
    out
}

/// How many items each non-empty group holds, in group order.
pub fn counts(items: &[Attention]) -> Vec<(Group, usize)> {
    Group::ALL.iter().map(|g| (*g, items.iter().filter(|a| a.group == *g).count())).filter(|(_, n)| *n > 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(group: Group, what: &str, severity: f64) -> Attention {
        Attention::new(group, kind::ANOMALY, what.into(), String::new(), severity, Link::None)
    }

    #[test]
    fn groups_come_in_order_and_the_strongest_first() {
        let items = vec![
            item(Group::GoodNews, "good", 90.0),
            item(Group::Due, "due", 10.0),
            item(Group::OffTrack, "weak", 1.0),
            item(Group::OffTrack, "strong", 5.0),
        ];
        let whats: Vec<String> = arrange(items).into_iter().map(|a| a.what).collect();
        assert_eq!(whats, ["strong", "weak", "due", "good"]);
    }

    #[test]
    fn one_cause_folds_into_one_line() {
        let cause = || "paid-social 2026-11-19".to_string();
        let items = vec![
            item(Group::OffTrack, "paid-social Spend", 250.0).with_cause(cause(), "Spend ↑ z 12.6".into()),
            item(Group::OffTrack, "paid-social CPL", 530.0).with_cause(cause(), "CPL ↑".into()),
            item(Group::OffTrack, "SQLs behind pace", 310.0),
        ];
        let out = arrange(items);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].what, "paid-social CPL");
        assert_eq!(out[0].folded, vec!["Spend ↑ z 12.6".to_string()]);
        assert!(out[0].line().ends_with("; also Spend ↑ z 12.6"), "{}", out[0].line());
        assert_eq!(counts(&out), vec![(Group::OffTrack, 2)]);
    }
}
