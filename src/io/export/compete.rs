//! Competition as text, Markdown and CSV: the battlecard Sales reads, the competitor list, and
//! win/loss. Each renders a view from `views::compete`, so every format shows the same figures.

use std::fmt::Write as _;

use crate::domain::battlecard::Section;
use crate::domain::text::{fit, safe, safe_keeping_breaks};
use crate::io::error::Result;
use crate::output::{csv, md};
use crate::store::compete::RaisedTrigger;
use crate::views::compete::{CardJson, ListJson, RateJson, TrendJson, WinLossJson};

/// "▲ +5.0 pts", "▼ -12.5 pts", "= 0.0 pts", or "—" when either period has no closed deal.
pub fn trend_words(t: &TrendJson) -> String {
    match t.change_points {
        None => "—".into(),
        Some(p) if p > 0.0 => format!("▲ +{p:.1} pts"),
        Some(p) if p < 0.0 => format!("▼ {p:.1} pts"),
        Some(p) => format!("= {:.1} pts", p.abs()),
    }
}

fn name_or_none(t: &TrendJson) -> String {
    t.name.as_deref().map_or_else(|| "(none named)".into(), |n| safe(n).into_owned())
}

/// "35.0% (n = 20)" and, when there are any, the open deals beside it.
fn rate_words(r: &RateJson) -> String {
    if r.open > 0 { format!("{} +{} open", r.label, r.open) } else { r.label.clone() }
}

/// `winloss --format text`.
pub fn winloss_text(w: &WinLossJson) -> String {
    let by = match w.by {
        crate::domain::winloss::By::Competitor => "competitor",
        crate::domain::winloss::By::Reason => "reason",
        crate::domain::winloss::By::Segment => "segment",
    };
    let mut s =
        format!("Win/loss by {by}, {} against {}: won / (won + lost), open deals beside\n\n", w.period, w.previous);
    let _ = writeln!(s, "{:<24} {:<26} {:<26} change", "", w.period, w.previous);
    let line = |name: &str, t: &TrendJson| {
        let deals = if t.change_deals >= 0 { format!("+{}", t.change_deals) } else { t.change_deals.to_string() };
        format!(
            "{} {} {} {}, {deals} deals\n",
            fit(name, 24),
            fit(&rate_words(&t.this), 26),
            fit(&rate_words(&t.prev), 26),
            trend_words(t)
        )
    };
    s.push_str(&line("All deals", &w.total));
    for g in &w.groups {
        s.push_str(&line(&name_or_none(g), g));
    }
    if w.total.this.n == 0 && w.total.prev.n == 0 {
        s.push_str("\nNo closed deals in either period: import a winloss-csv or a HubSpot deals export.\n");
    }
    s
}

/// `winloss --format csv`: one row per group, the total first; money in cents.
pub fn winloss_csv(w: &WinLossJson) -> Result<String> {
    let header = [
        "group",
        "key",
        "name",
        "period",
        "won",
        "lost",
        "open",
        "n",
        "rate",
        "previous",
        "prev_won",
        "prev_lost",
        "prev_open",
        "prev_n",
        "prev_rate",
        "change_points",
        "change_deals",
        "won_cents",
        "lost_cents",
    ];
    let num = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let row = |group: &str, t: &TrendJson| -> Vec<String> {
        vec![
            group.into(),
            t.key.clone().unwrap_or_default(),
            t.name.clone().unwrap_or_default(),
            w.period.clone(),
            t.this.won.to_string(),
            t.this.lost.to_string(),
            t.this.open.to_string(),
            t.this.n.to_string(),
            num(t.this.rate),
            w.previous.clone(),
            t.prev.won.to_string(),
            t.prev.lost.to_string(),
            t.prev.open.to_string(),
            t.prev.n.to_string(),
            num(t.prev.rate),
            t.change_points.map(|p| format!("{p:.1}")).unwrap_or_default(),
            t.change_deals.to_string(),
            t.this.won_cents.to_string(),
            t.this.lost_cents.to_string(),
        ]
    };
    let mut rows = vec![row("total", &w.total)];
    rows.extend(w.groups.iter().map(|g| row("group", g)));
    csv(&header, &rows)
}

/// A card's status line: owner, segment, refresh date and age.
fn card_head(c: &CardJson) -> String {
    let mut head = format!("Owner: {}", safe(&c.owner));
    if let Some(s) = &c.segment {
        let _ = write!(head, " · segment: {}", safe(s));
    }
    match (c.refreshed_on, c.age_days) {
        (Some(d), Some(age)) => {
            let _ = write!(head, " · last refreshed {d} ({age} days ago)");
        }
        _ => head.push_str(" · never refreshed"),
    }
    head
}

fn stale_words(c: &CardJson) -> Option<String> {
    c.stale.then(|| c.stale_reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
}

fn win_rate_line(c: &CardJson) -> String {
    let t = &c.win_rate;
    format!(
        "Win rate against {}, {}: {}; quarter before: {} ({})",
        safe(&c.name),
        c.period,
        rate_words(&t.this),
        rate_words(&t.prev),
        trend_words(t)
    )
}

/// Text kept as written (line breaks too), made safe, with nothing a Markdown viewer runs as HTML.
fn md_block(s: &str) -> String {
    safe_keeping_breaks(s).replace('<', "&lt;").replace('>', "&gt;")
}

/// A few words of a section's earlier text, on one line.
fn gist(s: &str) -> String {
    let one: String = safe(s).split_whitespace().collect::<Vec<_>>().join(" ");
    crate::domain::text::truncate(&one, 80).into_owned()
}

/// `compete card KEY --format markdown`: what Sales reads before a call. Sections always in the
/// same order; unwritten ones say so.
pub fn card_markdown(c: &CardJson) -> String {
    let mut s = format!("# {}\n\n{}\n", md(&c.name), md(&card_head(c)));
    if let Some(why) = stale_words(c) {
        let _ = writeln!(s, "\n**Stale:** {}", md(&why));
    }
    let _ = writeln!(s, "\n{}", md(&win_rate_line(c)));
    for sec in &c.sections {
        let mark = if sec.changed { " (changed)" } else { "" };
        let _ = writeln!(s, "\n## {}{mark}\n", sec.title);
        match (&sec.text, sec.section) {
            (None, _) => s.push_str("_Not written yet._\n"),
            (Some(_), Section::Objections) if !c.objections.is_empty() => {
                s.push_str("| Objection | Answer | Proof |\n|---|---|---|\n");
                for o in &c.objections {
                    let proof = o.proof.as_deref().unwrap_or("—");
                    let _ = writeln!(s, "| {} | {} | {} |", md(&o.objection), md(&o.answer), md(proof));
                }
            }
            (Some(t), _) => {
                s.push_str(&md_block(t));
                s.push('\n');
            }
        }
        if let (Some(by), Some(at)) = (&sec.by, sec.at) {
            let _ = writeln!(s, "\n_Updated {} by {}_", at.format("%Y-%m-%d"), md(by));
        }
    }
    if let Some(r) = &c.last_refresh {
        let title = match r.previous {
            Some(p) => format!("Changed since the refresh before ({})", p.format("%Y-%m-%d")),
            None => "Changed in this refresh (the card's first)".into(),
        };
        let _ = writeln!(s, "\n## {title}\n");
        if c.changed_since_previous_refresh.is_empty() {
            s.push_str("Nothing: the refresh confirmed every section as it was.\n");
        }
        for ch in &c.changed_since_previous_refresh {
            let was = ch.before.as_deref().map_or_else(|| "new section".into(), |b| format!("was: \"{}\"", gist(b)));
            let _ = writeln!(
                s,
                "- **{}** ({}, {}): {}",
                ch.section.title(),
                md(&ch.by),
                ch.at.format("%Y-%m-%d"),
                md(&was)
            );
        }
    }
    s
}

/// `compete card KEY --format text`.
pub fn card_text(c: &CardJson) -> String {
    let mut s = format!("{}\n{}\n", safe(&c.name), card_head(c));
    if let Some(why) = stale_words(c) {
        let _ = writeln!(s, "STALE: {why}");
    }
    let _ = writeln!(s, "{}", win_rate_line(c));
    for sec in &c.sections {
        let mark = if sec.changed { " ●" } else { "" };
        let _ = writeln!(s, "\n{}{mark}\n{}", sec.title, "-".repeat(sec.title.chars().count()));
        match &sec.text {
            None => s.push_str("(not written yet)\n"),
            Some(t) => {
                for line in t.lines() {
                    let _ = writeln!(s, "{}", safe(line));
                }
            }
        }
        if let (Some(by), Some(at)) = (&sec.by, sec.at) {
            let _ = writeln!(s, "  updated {} by {}", at.format("%Y-%m-%d"), safe(by));
        }
    }
    if let Some(r) = &c.last_refresh {
        let since = r.previous.map(|p| format!(" (since {})", p.format("%Y-%m-%d"))).unwrap_or_default();
        let names: Vec<&str> = c.changed_since_previous_refresh.iter().map(|ch| ch.section.title()).collect();
        let changed = if names.is_empty() { "nothing".to_string() } else { names.join(", ") };
        let _ = writeln!(s, "\nChanged in the last refresh{since}: {changed}");
    }
    s
}

/// "111 d", or "never".
pub fn age_words(age: Option<i64>) -> String {
    age.map_or_else(|| "never".into(), |a| format!("{a} d"))
}

/// `compete list --format text`.
pub fn list_text(l: &ListJson) -> String {
    let mut s = format!(
        "Competitors: win rate {} (trend against {}); cards stale after {} days\n\n",
        l.period, l.previous, l.stale_after_days
    );
    if l.competitors.is_empty() {
        s.push_str("No competitors yet: `mktg compete add KEY --name N --owner O`.\n");
    } else {
        let _ = writeln!(
            s,
            "{} {} {} {} {} Segment",
            fit("Competitor", 18),
            fit("Win rate", 24),
            fit("Trend", 13),
            fit("Card age", 12),
            fit("Owner", 12)
        );
    }
    for c in &l.competitors {
        let age = format!("{}{}", age_words(c.age_days), if c.stale { " STALE" } else { "" });
        let _ = writeln!(
            s,
            "{} {} {} {} {} {}",
            fit(&safe(&c.name), 18),
            fit(&rate_words(&c.win_rate.this), 24),
            fit(&trend_words(&c.win_rate), 13),
            fit(&age, 12),
            fit(&safe(&c.owner), 12),
            safe(c.segment.as_deref().unwrap_or(""))
        );
    }
    let stale: Vec<String> = l
        .competitors
        .iter()
        .filter(|c| c.stale)
        .map(|c| {
            let why: Vec<String> = c.stale_reasons.iter().map(ToString::to_string).collect();
            format!("  {} (owner {}): {}", safe(&c.name), safe(&c.owner), why.join("; "))
        })
        .collect();
    if !stale.is_empty() {
        let _ = writeln!(s, "\nStale cards:\n{}", stale.join("\n"));
    }
    if !l.without_card.is_empty() {
        s.push_str("\nNamed in deals, no card yet:\n");
        for t in &l.without_card {
            let _ = writeln!(s, "  {} {}", fit(&name_or_none(t), 18), rate_words(&t.this));
        }
    }
    let _ = writeln!(
        s,
        "\nAll deals {}: {}; {}: {}",
        l.period,
        rate_words(&l.total.this),
        l.previous,
        rate_words(&l.total.prev)
    );
    if !l.open_triggers.is_empty() {
        s.push_str("\nOpen positioning triggers (proposed):\n");
        for t in &l.open_triggers {
            let id = t.decision_id.map(|d| format!("#{d} ")).unwrap_or_default();
            let on = t.review_on.map(|d| format!(", review {d}")).unwrap_or_default();
            let _ = writeln!(s, "  {id}{} (owner {}{on})", safe(&t.title), safe(&t.owner));
        }
    }
    s
}

/// The positioning triggers a write just raised, one line each, as `import` lists them:
/// "  Positioning review: ...: decision #12 owned by dana, on the positioning review Mon 04 Jan".
pub fn raised_lines(raised: &[RaisedTrigger]) -> String {
    let mut s = String::new();
    for t in raised {
        let on =
            t.review_on.map(|d| format!(", on the positioning review {}", d.format("%a %d %b"))).unwrap_or_default();
        let id = t.decision_id.map(|d| format!("decision #{d}")).unwrap_or_default();
        let _ = writeln!(s, "  {}: {id} owned by {}{on}", safe(&t.title), safe(&t.owner));
    }
    s
}

/// The same, as a status line's tail: "; positioning review proposed (decision #12)".
pub fn raised_status(raised: &[RaisedTrigger]) -> String {
    let ids: Vec<String> = raised.iter().filter_map(|t| t.decision_id.map(|d| format!("#{d}"))).collect();
    match ids.len() {
        0 => String::new(),
        1 => format!("; positioning review proposed (decision {})", ids[0]),
        n => format!("; {n} positioning reviews proposed (decisions {})", ids.join(", ")),
    }
}
