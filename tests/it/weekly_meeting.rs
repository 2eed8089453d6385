//! The weekly performance review meeting shows the weekly pack: Today → Monday's review →
//! the pack `report weekly` prints, from the same computation (`views::weekly::Weekly`).

use super::common::Sandbox;

/// Today → Monday 23 Nov (three days on) → the second meeting, the weekly performance review.
const OPEN_REVIEW: &str = "] ] ] j Enter";

fn render(s: &Sandbox, w: &str, h: &str, keys: &str) -> String {
    s.ok(&["render", "today", "--width", w, "--height", h, "--keys", keys])
}

#[test]
fn the_review_meeting_shows_the_pack_at_120x40_and_at_80x24_says_there_is_more() {
    let s = Sandbox::demo();
    let wide = render(&s, "120", "40", OPEN_REVIEW);
    assert!(wide.contains("Weekly performance review  Mon 23 Nov"), "{wide}");
    assert!(wide.contains("Weekly review pack"), "{wide}");
    insta::assert_snapshot!("weekly_review_meeting_120x40", wide);
    let small = render(&s, "80", "24", OPEN_REVIEW);
    assert!(small.contains("more rows: PgDn"), "cut: it says there is more: {small}");
    insta::assert_snapshot!("weekly_review_meeting_80x24", small);
    // PageDown scrolls to the end: the last section comes into view and "more" goes.
    let end = render(&s, "80", "24", &format!("{OPEN_REVIEW}{}", " PageDown".repeat(20)));
    assert!(end.contains("Alerts fired"), "{end}");
    assert!(!end.contains("more rows"), "{end}");
    // Another meeting shows no pack.
    let other = render(&s, "120", "40", "] ] ] Enter");
    assert!(!other.contains("Weekly review pack"), "{other}");
}

#[test]
fn the_meeting_screen_and_report_weekly_json_show_the_same_numbers() {
    let s = Sandbox::demo();
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["report", "weekly", "--format", "json"])).unwrap();
    // Tall enough that the whole pack shows; lines joined as the panel wraps them.
    let screen = render(&s, "240", "200", OPEN_REVIEW);
    let panel = pack_text(&screen);
    let has = |what: &str| assert!(panel.contains(what), "the meeting shows '{what}': {panel}");
    let week = &v["week"];
    has(&format!("Weekly performance review, {}", day(week["from"].as_str().unwrap())));
    for d in v["decisions_due"].as_array().unwrap() {
        has(&format!("#{} {}", d["id"], d["title"].as_str().unwrap()));
    }
    let kpis = v["kpis"]["kpis"].as_array().unwrap();
    assert!(!kpis.is_empty());
    for k in kpis {
        let label = k["label"].as_str().unwrap();
        has(&format!("{label}: "));
        has(k["verdict"].as_str().unwrap());
        if k["unit"] == "count" {
            has(&format!(
                "{label}: {} vs target {}",
                grouped(k["value"].as_f64().unwrap()),
                grouped(k["target"].as_f64().unwrap())
            ));
        }
    }
    let anomalies = v["anomalies"].as_array().unwrap();
    assert_eq!(panel.matches(" ! ").count() + usize::from(panel.starts_with("! ")), anomalies.len(), "{panel}");
    for n in anomalies.iter().flat_map(|a| a["notes"].as_array().unwrap()) {
        has(&format!("note: {}", n["text"].as_str().unwrap()));
    }
    for e in v["experiments"].as_array().unwrap() {
        has(&format!("#{} {}", e["id"], e["name"].as_str().unwrap()));
        for c in e["readout"]["comparisons"].as_array().unwrap() {
            if let Some(lift) = c["lift"]["relative"].as_f64() {
                has(&format!("{} vs control: {:+.1}%", c["variant"].as_str().unwrap(), lift * 100.0));
            }
        }
    }
    for f in v["follow_ups"]["due"].as_array().unwrap() {
        has(&format!("#{} {}", f["decision_id"], f["text"].as_str().unwrap()));
    }
    let ft = v["follow_ups"]["follow_through"].as_f64().unwrap();
    has(&format!("follow-through so far: {:.0}%", ft * 100.0));
}

/// The text inside the pack's panel, its rows trimmed and joined (a wrapped line joins again).
fn pack_text(screen: &str) -> String {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = lines.iter().position(|l| l.iter().collect::<String>().contains("Weekly review pack")).expect("the pack");
    let title = lines[top].iter().collect::<String>();
    let at = title[..title.find("Weekly review pack").unwrap()].chars().count();
    let left = lines[top][..at].iter().rposition(|&c| c == '╭').expect("its left border");
    let right = left + lines[top][left..].iter().position(|&c| c == '╮').expect("its right border");
    let mut out = Vec::new();
    for l in &lines[top + 1..] {
        if l.get(left) == Some(&'╰') {
            break;
        }
        let inner: String = l.get(left + 1..right).unwrap_or_default().iter().collect();
        out.push(inner.trim().to_string());
    }
    out.join(" ")
}

/// "Fri 13 Nov" for 2026-11-13.
fn day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap().format("%a %d %b").to_string()
}

/// "2,716" for 2716.0.
fn grouped(x: f64) -> String {
    let digits = format!("{}", x.round() as i64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
