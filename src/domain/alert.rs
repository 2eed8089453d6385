//! Alert rules the director sets on a metric, and their edge-triggered evaluation: a rule fires
//! once per crossing, not on every check while the metric stays on the wrong side.
//!
//! Pure: the store keeps each rule's [`AlertState`] between runs of `alert check`; the KPI layer
//! fills an [`Observation`] from the one computation behind the brief (value, target, pace).

use serde::{Deserialize, Serialize};

use crate::domain::text::channel_slug;

/// When a rule is in breach, as `--when` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Condition {
    /// The value is below the period's target (literally: value < target, whichever way is good).
    BelowTarget,
    /// Off pace on the metric's bad side beyond the tolerance (leads under, spend over), as the
    /// dashboard's tile says it.
    BehindPace,
    Above(f64),
    Below(f64),
    /// The value moved to the other side of V since the previous check (either direction).
    Crosses(f64),
}

/// What `--when` accepts, for the one-line error.
pub const WHEN_FORMS: &str = "below-target, behind-pace, above=V, below=V or crosses=V";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
    #[error("--when '{0}' is not a condition (expected {WHEN_FORMS})")]
    UnknownCondition(String),
    #[error("--when '{given}' needs a number after '=', like {form}=100")]
    MissingValue { given: String, form: &'static str },
    #[error("--when '{given}': '{value}' is not a number")]
    BadValue { given: String, value: String },
    #[error("--when '{0}' takes no value (expected {WHEN_FORMS})")]
    UnexpectedValue(String),
    #[error("an alert needs a key, like 'sqls-behind'")]
    EmptyKey,
    #[error("alert '{0}' needs a metric (--metric)")]
    EmptyMetric(String),
}

impl Condition {
    /// Parse `--when`. Values are plain numbers (`above=1500`, `below=0.035`, `crosses=-2.5`) in
    /// the metric's stored unit; thousands separators and currency symbols are refused, not guessed.
    pub fn parse(input: &str) -> Result<Condition, AlertError> {
        let given = input.trim();
        let lower = given.to_ascii_lowercase();
        let (name, value) = match lower.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (lower.as_str(), None),
        };
        let number = |form: &'static str| -> Result<f64, AlertError> {
            let v = value.filter(|v| !v.is_empty()).ok_or(AlertError::MissingValue { given: given.into(), form })?;
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(AlertError::BadValue { given: given.into(), value: v.into() }),
            }
        };
        let bare = |c: Condition| match value {
            None => Ok(c),
            Some(_) => Err(AlertError::UnexpectedValue(given.into())),
        };
        match name {
            "below-target" => bare(Condition::BelowTarget),
            "behind-pace" => bare(Condition::BehindPace),
            "above" => number("above").map(Condition::Above),
            "below" => number("below").map(Condition::Below),
            "crosses" => number("crosses").map(Condition::Crosses),
            _ => Err(AlertError::UnknownCondition(given.into())),
        }
    }

    /// Back to the `--when` spelling, for lists and the store.
    pub fn spec(&self) -> String {
        match self {
            Condition::BelowTarget => "below-target".into(),
            Condition::BehindPace => "behind-pace".into(),
            Condition::Above(v) => format!("above={v}"),
            Condition::Below(v) => format!("below={v}"),
            Condition::Crosses(v) => format!("crosses={v}"),
        }
    }
}

/// A rule as `alert add KEY --metric M --when W [--channel C] [--owner O]` sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub key: String,
    pub metric: String,
    pub when: Condition,
    /// A channel slug ("paid-social"), or the metric's total when `None`.
    pub channel: Option<String>,
    pub owner: Option<String>,
}

impl Rule {
    /// Build a rule from typed text: the key and metric trimmed and required, the channel as a
    /// slug, an empty channel or owner taken as none.
    pub fn new(
        key: &str,
        metric: &str,
        when: &str,
        channel: Option<&str>,
        owner: Option<&str>,
    ) -> Result<Rule, AlertError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(AlertError::EmptyKey);
        }
        let metric = metric.trim();
        if metric.is_empty() {
            return Err(AlertError::EmptyMetric(key.into()));
        }
        Ok(Rule {
            key: key.into(),
            metric: metric.into(),
            when: Condition::parse(when)?,
            channel: nonempty(channel).map(channel_slug),
            owner: nonempty(owner).map(str::to_string),
        })
    }
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// What the KPI layer knows about the rule's metric (and channel) right now.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Observation {
    /// The value over the current period so far (a sum) or its level (a ratio).
    pub value: Option<f64>,
    /// The period's target, if one is set.
    pub target: Option<f64>,
    /// Off pace on the bad side, as the dashboard tile computes it (`Tile::behind`); `None`
    /// when there is no pace yet (no target, first day of the period).
    pub behind_pace: Option<bool>,
}

/// Which side of a `crosses=V` line the value was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Below,
    /// At or above the line.
    Above,
}

/// What the store keeps per rule between checks. The default is a rule never checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AlertState {
    /// In breach at the last check that could tell.
    pub breached: bool,
    /// For `crosses=V`: the side at the last check that had a value.
    pub side: Option<Side>,
}

/// Why a check could not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    Value,
    Target,
    Pace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "missing", rename_all = "kebab-case")]
pub enum Reading {
    Breach,
    Clear,
    /// Nothing to compare yet; the stored state is kept as it was, so a gap in the data
    /// neither fires nor re-arms the rule.
    Unknown(Missing),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// True once per crossing: the first check in breach after one that was not.
    pub fired: bool,
    pub reading: Reading,
    /// The state to store for the next check.
    pub state: AlertState,
    /// The value and the line it was held against, for the fired line ("SQLs 412 below target 600").
    pub value: Option<f64>,
    pub threshold: Option<f64>,
}

/// Check `rule` against `now`, given the state stored by the previous check.
pub fn evaluate(rule: &Rule, previous: AlertState, now: &Observation) -> Evaluation {
    let unknown = |m: Missing, threshold: Option<f64>| Evaluation {
        fired: false,
        reading: Reading::Unknown(m),
        state: previous,
        value: now.value,
        threshold,
    };
    let level = |breach: bool, threshold: Option<f64>| Evaluation {
        fired: breach && !previous.breached,
        reading: if breach { Reading::Breach } else { Reading::Clear },
        state: AlertState { breached: breach, side: previous.side },
        value: now.value,
        threshold,
    };
    match rule.when {
        Condition::BehindPace => match now.behind_pace {
            Some(behind) => level(behind, now.target),
            None => unknown(Missing::Pace, now.target),
        },
        Condition::BelowTarget => match (now.value, now.target) {
            (None, t) => unknown(Missing::Value, t),
            (Some(_), None) => unknown(Missing::Target, None),
            (Some(v), Some(t)) => level(v < t, Some(t)),
        },
        Condition::Above(line) => match now.value {
            Some(v) => level(v > line, Some(line)),
            None => unknown(Missing::Value, Some(line)),
        },
        Condition::Below(line) => match now.value {
            Some(v) => level(v < line, Some(line)),
            None => unknown(Missing::Value, Some(line)),
        },
        Condition::Crosses(line) => {
            let Some(v) = now.value else { return unknown(Missing::Value, Some(line)) };
            let side = if v < line { Side::Below } else { Side::Above };
            // The first reading only records the side: there is no crossing without a before.
            let crossed = previous.side.is_some_and(|s| s != side);
            Evaluation {
                fired: crossed,
                reading: if crossed { Reading::Breach } else { Reading::Clear },
                state: AlertState { breached: crossed, side: Some(side) },
                value: Some(v),
                threshold: Some(line),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(when: &str) -> Rule {
        Rule::new("r", "sqls", when, None, Some("ana")).unwrap()
    }

    fn value(v: f64) -> Observation {
        Observation { value: Some(v), target: Some(600.0), behind_pace: None }
    }

    /// Run a rule over a series of observations from a fresh state; which checks fired.
    fn fired(r: &Rule, series: &[Observation]) -> Vec<bool> {
        let mut state = AlertState::default();
        series
            .iter()
            .map(|o| {
                let e = evaluate(r, state, o);
                state = e.state;
                e.fired
            })
            .collect()
    }

    #[test]
    fn every_when_form_parses_and_spells_back() {
        for (s, c) in [
            ("below-target", Condition::BelowTarget),
            ("Behind-Pace", Condition::BehindPace),
            ("above=1500", Condition::Above(1500.0)),
            ("below = 0.035", Condition::Below(0.035)),
            ("crosses=-2.5", Condition::Crosses(-2.5)),
        ] {
            assert_eq!(Condition::parse(s).unwrap(), c, "{s}");
            assert_eq!(Condition::parse(&c.spec()).unwrap(), c);
        }
    }

    #[test]
    fn a_bad_when_is_one_clear_line() {
        let err = |s: &str| Condition::parse(s).unwrap_err().to_string();
        assert_eq!(
            err("under-target"),
            "--when 'under-target' is not a condition (expected below-target, behind-pace, above=V, below=V or crosses=V)"
        );
        assert_eq!(err("above"), "--when 'above' needs a number after '=', like above=100");
        assert_eq!(err("below="), "--when 'below=' needs a number after '=', like below=100");
        assert_eq!(err("above=1,500"), "--when 'above=1,500': '1,500' is not a number");
        assert_eq!(err("crosses=inf"), "--when 'crosses=inf': 'inf' is not a number");
        assert!(err("behind-pace=3").starts_with("--when 'behind-pace=3' takes no value"));
    }

    #[test]
    fn a_rule_needs_a_key_and_a_metric_and_stores_its_channel_as_a_slug() {
        assert_eq!(Rule::new(" ", "sqls", "behind-pace", None, None), Err(AlertError::EmptyKey));
        assert_eq!(
            Rule::new("k", "", "behind-pace", None, None).unwrap_err().to_string(),
            "alert 'k' needs a metric (--metric)"
        );
        let r = Rule::new("cpl-social", "cpl", "above=80", Some("Paid Social"), Some(" ")).unwrap();
        assert_eq!((r.channel.as_deref(), r.owner), (Some("paid-social"), None));
    }

    #[test]
    fn a_level_rule_fires_once_per_crossing_and_re_arms_when_it_clears() {
        let r = rule("below=500");
        let series = [value(600.0), value(450.0), value(440.0), value(520.0), value(480.0)];
        assert_eq!(fired(&r, &series), [false, true, false, false, true]);
        // Already in breach at the very first check: that first check fires.
        assert_eq!(fired(&r, &[value(400.0), value(400.0)]), [true, false]);
        assert_eq!(fired(&rule("above=500"), &[value(600.0), value(500.0), value(501.0)]), [true, false, true]);
    }

    #[test]
    fn behind_pace_follows_the_tiles_verdict_and_waits_without_one() {
        let r = rule("behind-pace");
        let pace = |b: Option<bool>| Observation { value: Some(300.0), target: Some(600.0), behind_pace: b };
        let series = [pace(None), pace(Some(true)), pace(Some(true)), pace(None), pace(Some(true)), pace(Some(false))];
        assert_eq!(fired(&r, &series), [false, true, false, false, false, false]);
        let e = evaluate(&r, AlertState::default(), &pace(None));
        assert_eq!(e.reading, Reading::Unknown(Missing::Pace));
    }

    #[test]
    fn below_target_needs_both_numbers() {
        let r = rule("below-target");
        let e = evaluate(&r, AlertState::default(), &value(412.0));
        assert_eq!((e.fired, e.value, e.threshold), (true, Some(412.0), Some(600.0)));
        let no_target = Observation { value: Some(1.0), target: None, behind_pace: None };
        assert_eq!(evaluate(&r, AlertState::default(), &no_target).reading, Reading::Unknown(Missing::Target));
        // A gap keeps the stored state: no re-arm, so no second firing after it.
        let gap = Observation::default();
        assert_eq!(fired(&r, &[value(412.0), gap, value(410.0)]), [true, false, false]);
    }

    #[test]
    fn crosses_fires_on_each_change_of_side_in_either_direction() {
        let r = rule("crosses=50");
        let series = [value(40.0), value(45.0), value(55.0), value(60.0), value(50.0), value(49.0)];
        // The first check only learns the side; 50 counts as above the line.
        assert_eq!(fired(&r, &series), [false, false, true, false, false, true]);
    }

    #[test]
    fn state_round_trips_through_json_for_the_store() {
        let s = AlertState { breached: true, side: Some(Side::Above) };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(text, r#"{"breached":true,"side":"above"}"#);
        assert_eq!(serde_json::from_str::<AlertState>(&text).unwrap(), s);
    }
}
