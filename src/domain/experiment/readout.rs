//! The readout: each treatment against control, the verdicts in their order of precedence, and
//! the recommendation as data (an action, its reason, the risks in numbers, the date).
//!
//! Precedence, first match wins:
//! 1. SRM p < 0.001: "do not trust" overrides everything (the split is broken, so is every lift);
//! 2. any variant below 150 conversions: "not enough data", with the progress "92 / 150";
//! 3. no lift can be computed (a control that never converted): no verdict;
//! 4. |relative lift| > 50%: "suspicious" (more often a tracking bug than a real effect);
//! 5. otherwise both engines' verdicts, and whether they agree.
//!
//! An SRM warning (p < 0.01) does not change the verdict; it travels in [`Readout::srm`].
//!
//! The recommendation: ship the best treatment both engines call a win; roll back when every
//! treatment is a loss both engines agree on; iterate on an SRM or a suspicious lift; otherwise
//! keep running until the planned end, and iterate once it has passed without a decision.

use chrono::NaiveDate;
use serde::Serialize;

use super::stats::{Lift, Srm, SrmLevel, lift, srm};
use super::{ExperimentError, Variant};

/// No verdict while any variant has fewer conversions than this.
pub const MIN_CONVERSIONS: u64 = 150;
/// Bayesian "won" at or above this chance to win, "lost" at or below its complement.
pub const WIN_CHANCE: f64 = 0.95;
/// A relative lift beyond +/- this is suspicious.
pub const SUSPICIOUS_LIFT: f64 = 0.5;

/// What a readout is judged with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    /// Two-sided significance level; the interval is at 1 - alpha.
    pub alpha: f64,
    pub min_conversions: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { alpha: 0.05, min_conversions: MIN_CONVERSIONS }
    }
}

impl Settings {
    /// Settings with a typed alpha, refused outside (0, 1).
    pub fn with_alpha(alpha: f64) -> Result<Settings, ExperimentError> {
        if !(alpha > 0.0 && alpha < 1.0) {
            return Err(ExperimentError::OutOfRange { what: "alpha", value: alpha, range: "between 0 and 1" });
        }
        Ok(Settings { alpha, ..Settings::default() })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frequentist {
    SignificantWin,
    SignificantLoss,
    Inconclusive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bayesian {
    Won,
    Lost,
    Undecided,
}

/// Conversions of the smallest variant against the minimum: shown as "92 / 150".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub conversions: u64,
    pub needed: u64,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.conversions, self.needed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Verdict {
    /// The visitors did not split as the weights say (SRM p < 0.001): no number can be trusted.
    DoNotTrust {
        srm_p_value: f64,
    },
    NotEnoughData {
        progress: Progress,
    },
    /// Control never converted (or a variant has no visitors): there is no lift to judge.
    NoLift,
    Suspicious {
        relative_lift: f64,
    },
    /// Both engines' verdicts; `engines_agree` is false when one calls it and the other does not.
    Read {
        frequentist: Frequentist,
        bayesian: Bayesian,
        engines_agree: bool,
    },
}

/// One treatment against control.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub variant: String,
    pub lift: Option<Lift>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Ship,
    RollBack,
    Iterate,
    KeepRunning,
}

/// Why the action: the faces turn this into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    SampleRatioMismatch,
    NotEnoughData,
    NoLift,
    Suspicious,
    Won,
    Lost,
    EnginesDisagree,
    Inconclusive,
}

/// How the readout ends: what to do, what waiting costs, and by when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub action: Action,
    pub reason: Reason,
    /// The variant the numbers below are about: the one to ship, or the one leading.
    pub variant: Option<String>,
    /// Expected relative lift forgone by keeping control, E[max(0, lift)] (0.12 = 12%)...
    pub risk_of_doing_nothing: Option<f64>,
    /// ...and the same in conversion-rate points (relative x control's rate).
    pub risk_of_doing_nothing_points: Option<f64>,
    /// Expected relative loss if that variant ships, E[max(0, -lift)].
    pub risk_of_shipping: Option<f64>,
    /// The experiment's planned end; `days_left` is negative once it has passed.
    pub decision_by: Option<NaiveDate>,
    pub days_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readout {
    /// What it was judged with (alpha, the minimum conversions), for the JSON and the footnote.
    pub settings: Settings,
    pub variants: Vec<Variant>,
    pub comparisons: Vec<Comparison>,
    pub srm: Srm,
    pub progress: Progress,
    /// The verdict that leads the readout: a gate (SRM, not enough data) or the leading comparison's.
    pub verdict: Verdict,
    pub recommendation: Recommendation,
}

/// Read out `variants` (the first is control) as of `today`, for an experiment ending on `end`.
/// Fewer than two variants gives an empty comparison list and "not enough data".
pub fn readout(variants: &[Variant], settings: &Settings, end: Option<NaiveDate>, today: NaiveDate) -> Readout {
    let visitors: Vec<u64> = variants.iter().map(|v| v.visitors).collect();
    let weights: Vec<f64> = variants.iter().map(|v| v.weight).collect();
    let srm = srm(&visitors, &weights);
    let smallest = variants.iter().map(|v| v.conversions).min().unwrap_or(0);
    let progress = Progress { conversions: smallest.min(settings.min_conversions), needed: settings.min_conversions };
    let gate = if srm.level == SrmLevel::DoNotTrust {
        Some(Verdict::DoNotTrust { srm_p_value: srm.p_value })
    } else if smallest < settings.min_conversions || variants.len() < 2 {
        Some(Verdict::NotEnoughData { progress })
    } else {
        None
    };
    let comparisons: Vec<Comparison> = match variants.split_first() {
        Some((control, treatments)) => treatments
            .iter()
            .map(|t| {
                let lift = lift((control.visitors, control.conversions), (t.visitors, t.conversions), settings.alpha);
                let verdict = gate.unwrap_or_else(|| judge(lift.as_ref(), settings.alpha));
                Comparison { variant: t.name.clone(), lift, verdict }
            })
            .collect(),
        None => Vec::new(),
    };
    let lead = leading(&comparisons);
    let verdict = gate.or_else(|| lead.map(|c| c.verdict)).unwrap_or(Verdict::NotEnoughData { progress });
    let recommendation = recommend(&comparisons, lead, verdict, end, today);
    Readout { settings: *settings, variants: variants.to_vec(), comparisons, srm, progress, verdict, recommendation }
}

/// Steps 3 to 5 of the precedence, for one comparison that passed the gates.
fn judge(lift: Option<&Lift>, alpha: f64) -> Verdict {
    let Some(l) = lift else { return Verdict::NoLift };
    if l.relative.abs() > SUSPICIOUS_LIFT {
        return Verdict::Suspicious { relative_lift: l.relative };
    }
    let frequentist = match (l.p_value < alpha, l.relative > 0.0) {
        (true, true) => Frequentist::SignificantWin,
        (true, false) => Frequentist::SignificantLoss,
        (false, _) => Frequentist::Inconclusive,
    };
    let bayesian = if l.chance_to_win >= WIN_CHANCE {
        Bayesian::Won
    } else if l.chance_to_win <= 1.0 - WIN_CHANCE {
        Bayesian::Lost
    } else {
        Bayesian::Undecided
    };
    let engines_agree = matches!(
        (frequentist, bayesian),
        (Frequentist::SignificantWin, Bayesian::Won)
            | (Frequentist::SignificantLoss, Bayesian::Lost)
            | (Frequentist::Inconclusive, Bayesian::Undecided)
    );
    Verdict::Read { frequentist, bayesian, engines_agree }
}

fn is_agreed(c: &Comparison, f: Frequentist) -> bool {
    matches!(c.verdict, Verdict::Read { frequentist, engines_agree: true, .. } if frequentist == f)
}

/// The comparison the recommendation is about: the best agreed winner, else the highest chance to win.
fn leading(comparisons: &[Comparison]) -> Option<&Comparison> {
    fn best<'a>(it: impl Iterator<Item = &'a Comparison>) -> Option<&'a Comparison> {
        let chance = |c: &Comparison| c.lift.map_or(f64::NEG_INFINITY, |l| l.chance_to_win);
        it.max_by(|a, b| chance(a).total_cmp(&chance(b)))
    }
    best(comparisons.iter().filter(|c| is_agreed(c, Frequentist::SignificantWin))).or_else(|| best(comparisons.iter()))
}

fn recommend(
    comparisons: &[Comparison],
    lead: Option<&Comparison>,
    verdict: Verdict,
    end: Option<NaiveDate>,
    today: NaiveDate,
) -> Recommendation {
    // Waiting is the answer until the planned end; after it, a test that has not decided needs a new design.
    let ended = end.is_some_and(|e| today > e);
    let wait_or_iterate = if ended { Action::Iterate } else { Action::KeepRunning };
    let (action, reason) = match verdict {
        Verdict::DoNotTrust { .. } => (Action::Iterate, Reason::SampleRatioMismatch),
        Verdict::NotEnoughData { .. } => (wait_or_iterate, Reason::NotEnoughData),
        Verdict::NoLift => (wait_or_iterate, Reason::NoLift),
        Verdict::Suspicious { .. } => (Action::Iterate, Reason::Suspicious),
        Verdict::Read { .. } if lead.is_some_and(|c| is_agreed(c, Frequentist::SignificantWin)) => {
            (Action::Ship, Reason::Won)
        }
        Verdict::Read { .. } if comparisons.iter().all(|c| is_agreed(c, Frequentist::SignificantLoss)) => {
            (Action::RollBack, Reason::Lost)
        }
        Verdict::Read { .. }
            if comparisons.iter().any(|c| matches!(c.verdict, Verdict::Read { engines_agree: false, .. })) =>
        {
            (wait_or_iterate, Reason::EnginesDisagree)
        }
        Verdict::Read { .. } => (wait_or_iterate, Reason::Inconclusive),
    };
    let lift = lead.and_then(|c| c.lift);
    Recommendation {
        action,
        reason,
        variant: lead.map(|c| c.variant.clone()),
        risk_of_doing_nothing: lift.map(|l| l.risk_of_keeping),
        risk_of_doing_nothing_points: lift.map(|l| l.risk_of_keeping * l.control_rate),
        risk_of_shipping: lift.map(|l| l.risk_of_shipping),
        decision_by: end,
        days_left: end.map(|e| (e - today).num_days()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn arms(counts: &[(u64, u64)]) -> Vec<Variant> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &(n, k))| Variant { name: format!("v{i}"), weight: 1.0, visitors: n, conversions: k })
            .collect()
    }

    fn read(counts: &[(u64, u64)], end: &str, today: &str) -> Readout {
        readout(&arms(counts), &Settings::default(), Some(d(end)), d(today))
    }

    #[test]
    fn the_reference_is_frequentist_inconclusive_bayesian_won_and_says_they_disagree() {
        let r = read(&[(10_000, 500), (10_000, 560)], "2026-12-01", "2026-11-20");
        let expected =
            Verdict::Read { frequentist: Frequentist::Inconclusive, bayesian: Bayesian::Won, engines_agree: false };
        assert_eq!(r.verdict, expected);
        assert_eq!(r.comparisons[0].verdict, expected);
        let rec = &r.recommendation;
        assert_eq!((rec.action, rec.reason), (Action::KeepRunning, Reason::EnginesDisagree));
        assert_eq!((rec.decision_by, rec.days_left), (Some(d("2026-12-01")), Some(11)));
        assert!((rec.risk_of_shipping.unwrap() - 0.00098).abs() < 5e-6);
        // Doing nothing forgoes about 12.1% relative, 0.6 rate points.
        assert!((rec.risk_of_doing_nothing.unwrap() - 0.1210).abs() < 5e-4);
        assert!((rec.risk_of_doing_nothing_points.unwrap() - 0.00605).abs() < 5e-5);
        // Past the end, the same disagreement asks for a new design instead of more waiting.
        let late = read(&[(10_000, 500), (10_000, 560)], "2026-12-01", "2026-12-02");
        assert_eq!((late.recommendation.action, late.recommendation.days_left), (Action::Iterate, Some(-1)));
    }

    #[test]
    fn srm_below_a_thousandth_overrides_even_a_clear_win() {
        let r = read(&[(10_000, 500), (10_500, 700)], "2026-12-01", "2026-11-20");
        assert!(matches!(r.verdict, Verdict::DoNotTrust { srm_p_value } if srm_p_value < 0.001));
        assert!(matches!(r.comparisons[0].verdict, Verdict::DoNotTrust { .. }));
        assert_eq!((r.recommendation.action, r.recommendation.reason), (Action::Iterate, Reason::SampleRatioMismatch));
        // Between 0.001 and 0.01 the verdict stands and the warning rides along.
        let r = read(&[(10_000, 500), (10_380, 700)], "2026-12-01", "2026-11-20");
        assert_eq!(r.srm.level, SrmLevel::Warning);
        assert!(matches!(r.verdict, Verdict::Read { .. }));
    }

    #[test]
    fn below_150_conversions_there_is_no_verdict_and_the_progress_shows() {
        let r = read(&[(2_000, 92), (2_000, 160)], "2026-12-01", "2026-11-20");
        assert_eq!(r.verdict, Verdict::NotEnoughData { progress: Progress { conversions: 92, needed: 150 } });
        assert_eq!(r.progress.to_string(), "92 / 150");
        assert_eq!((r.recommendation.action, r.recommendation.reason), (Action::KeepRunning, Reason::NotEnoughData));
        // The lift is still computed, for the faces that want to show it greyed out.
        assert!(r.comparisons[0].lift.is_some());
        // Not-enough-data outranks suspicious: 92 vs 160 is a +74% lift.
        assert!(r.comparisons[0].lift.unwrap().relative > 0.5);
        assert_eq!(read(&[(5_000, 150), (5_000, 150)], "2026-12-01", "2026-11-20").progress.to_string(), "150 / 150");
    }

    #[test]
    fn a_lift_beyond_fifty_percent_is_suspicious_not_a_win() {
        let r = read(&[(10_000, 200), (10_000, 320)], "2026-12-01", "2026-11-20");
        assert!(matches!(r.verdict, Verdict::Suspicious { relative_lift } if (relative_lift - 0.6).abs() < 1e-9));
        assert_eq!((r.recommendation.action, r.recommendation.reason), (Action::Iterate, Reason::Suspicious));
    }

    #[test]
    fn agreed_wins_ship_and_agreed_losses_roll_back() {
        let win = read(&[(20_000, 1_000), (20_000, 1_150)], "2026-12-01", "2026-11-20");
        let expected =
            Verdict::Read { frequentist: Frequentist::SignificantWin, bayesian: Bayesian::Won, engines_agree: true };
        assert_eq!(win.verdict, expected);
        assert_eq!((win.recommendation.action, win.recommendation.variant.as_deref()), (Action::Ship, Some("v1")));
        let loss = read(&[(20_000, 1_150), (20_000, 1_000)], "2026-12-01", "2026-11-20");
        assert_eq!((loss.recommendation.action, loss.recommendation.reason), (Action::RollBack, Reason::Lost));
        let flat = read(&[(20_000, 1_000), (20_000, 1_005)], "2026-12-01", "2026-11-20");
        assert_eq!(
            (flat.recommendation.action, flat.recommendation.reason),
            (Action::KeepRunning, Reason::Inconclusive)
        );
        let flat_late = read(&[(20_000, 1_000), (20_000, 1_005)], "2026-12-01", "2026-12-05");
        assert_eq!(flat_late.recommendation.action, Action::Iterate);
    }

    #[test]
    fn with_three_arms_the_best_agreed_winner_leads() {
        let r = read(&[(20_000, 1_000), (20_000, 1_010), (20_000, 1_200)], "2026-12-01", "2026-11-20");
        assert_eq!(r.comparisons.len(), 2);
        assert_eq!(r.comparisons[0].variant, "v1");
        assert_eq!((r.recommendation.action, r.recommendation.variant.as_deref()), (Action::Ship, Some("v2")));
        assert_eq!(r.verdict, r.comparisons[1].verdict);
    }

    #[test]
    fn degenerate_inputs_give_a_verdict_not_a_panic() {
        let none = readout(&[], &Settings::default(), None, d("2026-11-20"));
        assert!(matches!(none.verdict, Verdict::NotEnoughData { .. }));
        assert_eq!(none.recommendation.decision_by, None);
        let lone = readout(&arms(&[(1_000, 200)]), &Settings::default(), None, d("2026-11-20"));
        assert!(matches!(lone.verdict, Verdict::NotEnoughData { .. }));
        // With no minimum, a control that never converted has no lift to judge.
        let s = Settings { min_conversions: 0, ..Settings::default() };
        let zero = readout(&arms(&[(1_000, 0), (1_000, 5)]), &s, None, d("2026-11-20"));
        assert_eq!(zero.verdict, Verdict::NoLift);
        assert!(Settings::with_alpha(0.0).is_err() && Settings::with_alpha(0.1).is_ok());
    }

    #[test]
    fn the_readout_serialises_with_kebab_case_kinds() {
        let r = read(&[(10_000, 500), (10_000, 560)], "2026-12-01", "2026-11-20");
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["verdict"]["kind"], "read");
        assert_eq!(v["verdict"]["frequentist"], "inconclusive");
        assert_eq!(v["recommendation"]["action"], "keep-running");
        assert_eq!(v["recommendation"]["decision_by"], "2026-12-01");
        assert_eq!(
            (v["settings"]["alpha"].as_f64(), v["settings"]["min_conversions"].as_u64()),
            (Some(0.05), Some(150))
        );
    }
}
