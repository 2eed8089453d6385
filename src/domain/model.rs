//! The vocabulary every layer shares: units, directions, stages, tiers, buckets, statuses.

use serde::{Deserialize, Serialize};

use crate::domain::error::{Error, Result};

/// Declares a closed set of names stored as text, with parsing that lists the valid names.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Result<Self> {
                let t = s.trim().to_ascii_lowercase();
                match t.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Error::input(format!(
                        "'{}' is not a {} (one of: {})",
                        s.trim(),
                        $what,
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// How a metric's values are measured.
    Unit, "unit" { Count = "count", Currency = "currency", Percent = "percent", Score = "score", Ratio = "ratio" }
);
named_enum!(
    /// Which way is good.
    Direction, "direction" { Higher = "higher", Lower = "lower" }
);
named_enum!(
    /// How observations roll up over a period. `ratio` metrics are computed
    /// from the sums of other metrics (CPL = spend / leads), never averaged.
    Rollup, "roll-up" { Sum = "sum", Avg = "avg", Last = "last", Ratio = "ratio" }
);
named_enum!(
    /// The standard launch workflow, in order.
    Stage, "stage" {
        Intake = "intake", Build = "build", Qa = "qa", Launch = "launch", Measure = "measure", PostMortem = "post-mortem"
    }
);
named_enum!(
    /// The 70/20/10 buckets.
    Bucket, "bucket" { Core = "core", Growth = "growth", Experiment = "experiment" }
);
named_enum!(
    /// A decision's life.
    DecisionStatus, "decision status" {
        Proposed = "proposed", Decided = "decided", Done = "done", Reversed = "reversed", Superseded = "superseded"
    }
);
named_enum!(
    /// A meeting instance's state for the day.
    MeetingStatus, "meeting status" { Scheduled = "scheduled", Skipped = "skipped", Done = "done" }
);

impl Stage {
    pub fn next(self) -> Option<Stage> {
        let i = Stage::ALL.iter().position(|s| *s == self)?;
        Stage::ALL.get(i + 1).copied()
    }
    pub fn prev(self) -> Option<Stage> {
        let i = Stage::ALL.iter().position(|s| *s == self)?;
        i.checked_sub(1).and_then(|j| Stage::ALL.get(j).copied())
    }
    pub fn label(self) -> &'static str {
        match self {
            Stage::Intake => "Intake",
            Stage::Build => "Build",
            Stage::Qa => "QA",
            Stage::Launch => "Launch",
            Stage::Measure => "Measure",
            Stage::PostMortem => "Post-mortem",
        }
    }
}

impl DecisionStatus {
    /// Still needs someone to act.
    pub fn is_open(self) -> bool {
        matches!(self, DecisionStatus::Proposed | DecisionStatus::Decided)
    }
}

impl Bucket {
    /// The 70/20/10 rule, in percent.
    pub fn target_share(self) -> u32 {
        match self {
            Bucket::Core => 70,
            Bucket::Growth => 20,
            Bucket::Experiment => 10,
        }
    }
}

/// A launch tier, 1 (whole company) to 3 (quiet release).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tier(pub u8);

impl Tier {
    pub fn parse(s: &str) -> Result<Tier> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.trim_start_matches("tier").trim_start_matches('t').trim();
        match t {
            "1" => Ok(Tier(1)),
            "2" => Ok(Tier(2)),
            "3" => Ok(Tier(3)),
            _ => Err(Error::input(format!("'{}' is not a tier (1, 2 or 3)", s.trim()))),
        }
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tier {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_list_the_valid_ones_when_wrong() {
        assert_eq!(Stage::parse("QA").unwrap(), Stage::Qa);
        assert_eq!(Stage::parse("post-mortem").unwrap(), Stage::PostMortem);
        let e = Stage::parse("shipped").unwrap_err().to_string();
        assert!(e.contains("shipped") && e.contains("intake"), "{e}");
        assert_eq!(Stage::Intake.next(), Some(Stage::Build));
        assert_eq!(Stage::PostMortem.next(), None);
        assert_eq!(Tier::parse("tier 2").unwrap(), Tier(2));
        assert!(Tier::parse("4").is_err());
    }
}
