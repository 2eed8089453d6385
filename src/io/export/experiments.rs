//! Experiments in words: the readout as text or Markdown (ending the way the director talks to
//! executives), the list, and the phrases the cockpit's Learn tab shares with them.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::experiment::{Action, Bayesian, Frequentist, Readout, Reason, SrmLevel, Verdict};
use crate::domain::money::group_thousands;
use crate::domain::text::{fit, fit_right, safe};
use crate::output::{Format, md};
use crate::views::experiments::{ListRow, ReadoutView, leading};

pub use crate::views::experiments::{pct, risk_words};

/// A probability or a rate: "96%", "5.60%".
fn share(x: f64, places: usize) -> String {
    format!("{:.*}%", places, x * 100.0)
}

/// A p-value as people read it: "p = 0.074", "p < 0.001".
pub fn p_value(p: f64) -> String {
    if p < 0.001 { "p < 0.001".into() } else { format!("p = {p:.3}") }
}

fn count(n: u64) -> String {
    group_thousands(n)
}

/// The verdict in a few words, for a list or a bar: "won (Bayesian) / inconclusive".
pub fn verdict_word(v: &Verdict) -> String {
    match v {
        Verdict::DoNotTrust { .. } => "SRM: do not trust".into(),
        Verdict::NotEnoughData { progress } => format!("not enough data {progress}"),
        Verdict::NoLift => "no lift yet".into(),
        Verdict::Suspicious { .. } => "suspicious".into(),
        Verdict::Read { frequentist, bayesian, engines_agree } => match (frequentist, bayesian, engines_agree) {
            (Frequentist::SignificantWin, _, true) => "significant win".into(),
            (Frequentist::SignificantLoss, _, true) => "significant loss".into(),
            (Frequentist::Inconclusive, _, true) => "inconclusive".into(),
            (f, b, false) => format!("{} / Bayesian {}", frequentist_word(*f), bayesian_word(*b)),
        },
    }
}

fn frequentist_word(f: Frequentist) -> &'static str {
    match f {
        Frequentist::SignificantWin => "significant win",
        Frequentist::SignificantLoss => "significant loss",
        Frequentist::Inconclusive => "inconclusive",
    }
}

fn bayesian_word(b: Bayesian) -> &'static str {
    match b {
        Bayesian::Won => "won",
        Bayesian::Lost => "lost",
        Bayesian::Undecided => "undecided",
    }
}

/// The action in words: "ship new headline", "keep running".
pub fn action_words(action: Action, variant: Option<&str>) -> String {
    match (action, variant) {
        (Action::Ship, Some(v)) => format!("ship {}", safe(v)),
        (Action::Ship, None) => "ship".into(),
        (Action::RollBack, _) => "roll back (keep control)".into(),
        (Action::Iterate, _) => "iterate (a new design)".into(),
        (Action::KeepRunning, _) => "keep running".into(),
    }
}

fn reason_words(r: Reason) -> &'static str {
    match r {
        Reason::SampleRatioMismatch => "the traffic split is broken",
        Reason::NotEnoughData => "not enough data yet",
        Reason::NoLift => "no lift to judge yet",
        Reason::Suspicious => "the lift is too large to be believed",
        Reason::Won => "both engines call it a win",
        Reason::Lost => "both engines call it a loss",
        Reason::EnginesDisagree => "the engines disagree",
        Reason::Inconclusive => "neither engine can call it",
    }
}

/// "Recommendation: keep running (the engines disagree)".
pub fn recommendation_line(r: &Readout) -> String {
    let rec = &r.recommendation;
    format!("Recommendation: {} ({})", action_words(rec.action, rec.variant.as_deref()), reason_words(rec.reason))
}

/// "Decision needed by: 2026-12-04 (14 days)".
pub fn deadline_line(r: &Readout) -> String {
    let rec = &r.recommendation;
    match (rec.decision_by, rec.days_left) {
        (Some(d), Some(0)) => format!("Decision needed by: {d} (today)"),
        (Some(d), Some(n)) if n > 0 => format!("Decision needed by: {d} ({n} day{})", if n == 1 { "" } else { "s" }),
        (Some(d), Some(n)) => {
            format!("Decision needed by: {d} (passed {} day{} ago)", -n, if n == -1 { "" } else { "s" })
        }
        _ => "Decision needed by: no planned end (set one with --end)".into(),
    }
}

/// What the verdict means, in one plain sentence (the engines' disagreement said outright).
pub fn verdict_sentence(r: &Readout) -> String {
    let lead = leading(r).and_then(|c| c.lift);
    match r.verdict {
        Verdict::DoNotTrust { srm_p_value } => format!(
            "Sample ratio mismatch ({}): the visitors did not split as the weights say, so no number here can be trusted; fix the split and restart.",
            p_value(srm_p_value)
        ),
        Verdict::NotEnoughData { progress } => {
            format!("Not enough data: the smallest variant has {progress} conversions needed for a verdict.")
        }
        Verdict::NoLift => "No lift to judge: control has no conversions yet.".into(),
        Verdict::Suspicious { relative_lift } => format!(
            "Suspicious: a {} lift is more often a tracking bug than a real effect; check the tracking before believing it.",
            pct(relative_lift)
        ),
        Verdict::Read { frequentist, bayesian, engines_agree } => {
            let (p, win) = lead.map(|l| (p_value(l.p_value), share(l.chance_to_win, 0))).unwrap_or_default();
            if engines_agree {
                match frequentist {
                    Frequentist::SignificantWin => {
                        format!("Both engines call it a win ({p}, {win} chance to win).")
                    }
                    Frequentist::SignificantLoss => {
                        format!("Both engines call it a loss ({p}, {win} chance to win).")
                    }
                    Frequentist::Inconclusive => {
                        format!("Neither engine can call it yet ({p}, {win} chance to win).")
                    }
                }
            } else {
                let f = match frequentist {
                    Frequentist::Inconclusive => format!("The frequentist test is inconclusive ({p})"),
                    other => format!("The frequentist test calls it a {} ({p})", frequentist_word(other)),
                };
                let b = match bayesian {
                    Bayesian::Undecided => format!("the Bayesian engine is undecided ({win} chance to win)"),
                    _ => format!("the Bayesian engine gives a {win} chance to win"),
                };
                format!("{f} while {b}.")
            }
        }
    }
}

/// The readout as text or Markdown.
pub fn readout(v: &ReadoutView, format: Format) -> String {
    let markdown = format == Format::Markdown;
    let t = |s: &str| if markdown { md(s) } else { s.to_string() };
    let r = &v.readout;
    let mut s = String::new();
    let window = match (v.start, v.end) {
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        (None, Some(b)) => format!(", ends {b}"),
        (Some(a), None) => format!(", from {a}"),
        (None, None) => String::new(),
    };
    let owner = if v.owner.is_empty() { String::new() } else { format!(", owner {}", t(&v.owner)) };
    let head = format!("Experiment #{} {} ({}{owner}, {}{window})", v.id, t(&v.name), t(&v.metric), v.status.as_str());
    let _ = writeln!(s, "{}{head}", if markdown { "## " } else { "" });
    if markdown {
        s.push('\n');
    }
    if !v.hypothesis.is_empty() {
        let _ = writeln!(s, "Hypothesis: {}", t(&v.hypothesis));
    }
    let through = v.counts_through.map(|d| d.to_string()).unwrap_or_else(|| "no counts yet".into());
    let _ = writeln!(s, "Counts through: {through}\n");
    let total: f64 = r.variants.iter().map(|x| x.weight).sum::<f64>().max(f64::MIN_POSITIVE);
    if markdown {
        s.push_str("| variant | weight | visitors | conversions | rate |\n|---|---:|---:|---:|---:|\n");
    } else {
        let _ = writeln!(
            s,
            "{}{}{}{}{}",
            fit("variant", 20),
            fit_right("weight", 8),
            fit_right("visitors", 12),
            fit_right("conversions", 13),
            fit_right("rate", 9)
        );
    }
    for x in &r.variants {
        let rate = x.rate().map(|r| share(r, 2)).unwrap_or_else(|| "-".into());
        let weight = format!("{:.0}%", x.weight / total * 100.0);
        if markdown {
            let _ = writeln!(
                s,
                "| {} | {weight} | {} | {} | {rate} |",
                md(&x.name),
                count(x.visitors),
                count(x.conversions)
            );
        } else {
            let _ = writeln!(
                s,
                "{}{}{}{}{}",
                fit(&x.name, 20),
                fit_right(&weight, 8),
                fit_right(&count(x.visitors), 12),
                fit_right(&count(x.conversions), 13),
                fit_right(&rate, 9)
            );
        }
    }
    s.push('\n');
    let confidence = (1.0 - r.settings.alpha) * 100.0;
    for c in &r.comparisons {
        let Some(l) = c.lift else {
            let _ = writeln!(
                s,
                "{}{} vs control: no lift yet ({})",
                if markdown { "- " } else { "" },
                t(&c.variant),
                verdict_word(&c.verdict)
            );
            continue;
        };
        let _ = writeln!(
            s,
            "{}{} vs control: {} relative ({:+.2} points), {confidence:.0}% interval [{}, {}], {}",
            if markdown { "- " } else { "" },
            t(&c.variant),
            pct(l.relative),
            l.absolute * 100.0,
            pct(l.ci_low),
            pct(l.ci_high),
            p_value(l.p_value)
        );
        let _ = writeln!(
            s,
            "  Bayesian: {} chance to win; risk of shipping {}, of keeping control {}",
            share(l.chance_to_win, 0),
            share(l.risk_of_shipping, 2),
            share(l.risk_of_keeping, 2)
        );
        let _ = writeln!(s, "  verdict: {}", verdict_word(&c.verdict));
    }
    let srm = match r.srm.level {
        SrmLevel::Ok => "ok",
        SrmLevel::Warning => "warning (watch the split)",
        SrmLevel::DoNotTrust => "mismatch: do not trust",
    };
    let _ = writeln!(
        s,
        "{}Sample ratio: {srm} ({}); progress {} conversions in the smallest variant",
        if markdown { "\n" } else { "" },
        p_value(r.srm.p_value),
        r.progress
    );
    let _ = writeln!(
        s,
        "Judged at alpha {} with at least {} conversions per variant (GrowthBook's method: delta-method lift, flat-prior Bayesian).\n",
        r.settings.alpha, r.settings.min_conversions
    );
    let _ = writeln!(s, "{}", verdict_sentence(r));
    if markdown {
        s.push('\n');
    }
    let end = if markdown { "  \n" } else { "\n" };
    s.push_str(&format!("{}{end}", recommendation_line(r)));
    s.push_str(&format!("Risk of doing nothing: {}{end}", risk_words(r)));
    s.push_str(&format!("{}\n", deadline_line(r)));
    if !v.decisions.is_empty() {
        s.push('\n');
        for d in &v.decisions {
            let _ =
                writeln!(s, "{}decision #{} {} ({})", if markdown { "- " } else { "" }, d.id, t(&d.title), d.status);
        }
    }
    s
}

/// `experiment list` as text: one line each, the leading comparison's lift and interval.
pub fn list(rows: &[ListRow], today: NaiveDate) -> String {
    if rows.is_empty() {
        return "No experiments yet: mktg experiment add NAME --metric M\n".into();
    }
    let mut s = format!(
        "{}{}{}{}{}{}\n",
        fit("#", 4),
        fit("experiment", 26),
        fit_right("lift", 8),
        fit("  interval", 20),
        fit("verdict", 34),
        "next"
    );
    for r in rows {
        let lift = r.relative_lift.map(pct).unwrap_or_else(|| "-".into());
        let interval = match (r.ci_low, r.ci_high) {
            (Some(a), Some(b)) => format!("  [{}, {}]", pct(a), pct(b)),
            _ => String::new(),
        };
        let by = match r.end {
            Some(e) if r.status.as_str() == "running" => {
                format!(", decide by {} ({})", e.format("%d %b"), crate::domain::dates::relative(e, today))
            }
            _ => String::new(),
        };
        let next = if r.status.as_str() == "decided" {
            "decided".to_string()
        } else {
            format!("{}{by}", action_words(r.action, r.variant.as_deref()))
        };
        let _ = writeln!(
            s,
            "{}{}{}{}{}{}",
            fit(&r.id.to_string(), 4),
            fit(&r.name, 26),
            fit_right(&lift, 8),
            fit(&interval, 20),
            fit(&verdict_word(&r.verdict), 34),
            next
        );
    }
    s
}
