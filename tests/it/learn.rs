//! The learning loop end to end: experiments (and their CSV import), post-mortems with
//! follow-through, edge-triggered alerts, notes carried into the brief, the weekly pack.

use crate::common::Sandbox;

fn demo() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["demo", "--seed", "1"]);
    s
}

#[test]
fn an_alert_on_sqls_behind_pace_fires_once_per_crossing() {
    let s = demo();
    let out = s.run(&["alert", "check"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("sqls-behind: sqls behind-pace"), "{shown}");
    // Edge-triggered: still behind, but it already said so.
    let again = s.run(&["alert", "check"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty(), "{}", String::from_utf8_lossy(&again.stdout));
}

#[test]
fn four_follow_ups_three_on_time_is_75_percent_and_the_overdue_one_needs_attention() {
    let s = demo();
    let out = s.ok(&["postmortem", "followthrough"]);
    assert!(out.contains("Follow-through: 75% (3 of 4 done on time)"), "{out}");
    let brief = s.ok(&["brief"]);
    assert!(
        brief.contains("follow-up overdue 4 days: Attribution review of webinar-sourced pipeline, owner Alex"),
        "{brief}"
    );
}

#[test]
fn a_follow_up_is_a_decision_that_decision_done_closes() {
    let s = Sandbox::new();
    let out = s.ok(&[
        "postmortem",
        "add",
        "Spring launch",
        "--worked",
        "press",
        "--follow-up",
        "Fix the form=Sam@2026-11-25",
    ]);
    let ids: Vec<&str> = out.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).collect();
    assert!(ids.len() >= 2, "post-mortem id and follow-up decision id: {out}");
    let json = s.ok(&["postmortem", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let text = v.to_string();
    assert!(text.contains("Fix the form"), "{text}");
    let decision = text
        .split("\"decision_id\":")
        .nth(1)
        .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
        .expect("a decision id")
        .to_string();
    s.ok(&["decision", "done", &decision]);
    let after = s.ok(&["postmortem", "followthrough"]);
    assert!(after.contains("100%"), "{after}");
}

#[test]
fn the_note_on_cpl_sits_under_the_paid_social_cpl_anomaly_in_the_brief() {
    let s = demo();
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
    let anomalies = v["anomalies"].as_array().expect("anomalies");
    let cpl = anomalies
        .iter()
        .find(|a| a["metric"] == "cpl" && a["channel"] == "paid-social" && a["day"] == "2026-11-19")
        .expect("the paid-social CPL anomaly");
    let notes = cpl["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1);
    assert!(notes[0]["text"].as_str().unwrap().starts_with("Creative swap"));
    // And only there: the leads anomaly of the same day is not explained by a CPL note.
    let leads = anomalies.iter().find(|a| a["metric"] == "leads" && a["channel"] == "paid-social").unwrap();
    assert_eq!(leads["notes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_weekly_html_is_one_well_formed_file_with_a_chart_per_headline_kpi() {
    let s = demo();
    let html = s.ok(&["report", "weekly", "--format", "html"]);
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .expect("well-formed");
    let headline: Vec<serde_json::Value> = {
        let v: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
        v["kpis"].as_array().expect("kpis").clone()
    };
    let kpi_charts =
        doc.descendants().filter(|n| n.has_tag_name("figure") && n.attribute("class") == Some("kpi")).count();
    assert_eq!(kpi_charts, headline.len());
    for fig in doc.descendants().filter(|n| n.has_tag_name("figure")) {
        assert!(fig.descendants().any(|n| n.tag_name().name() == "svg"), "a figure without its chart");
    }
    // No network, no scripts.
    assert!(!doc.descendants().any(|n| n.has_tag_name("script") || n.has_tag_name("link") || n.has_tag_name("img")));
    assert!(!html.contains("http://") || html.matches("http://").all(|_| html.contains("http://www.w3.org/2000/svg")));
    assert!(!html.contains("https://"));
}

#[test]
fn experiment_counts_import_from_csv_all_or_nothing_idempotent_and_undoable() {
    let s = demo();
    let before = s.ok(&["experiment", "readout", "2", "--format", "json"]);
    let file = s.path("ab.csv");
    std::fs::write(
        &file,
        "experiment,variant,visitors,conversions,date\n\
         webinar-invite-subject-line,control,3000,160,2026-11-20\n\
         2,Question,3000,170,2026-11-20\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let dry = s.ok(&["import", f, "--dry-run"]);
    assert!(dry.contains("experiment-csv"), "{dry}");
    assert_eq!(s.ok(&["experiment", "readout", "2", "--format", "json"]), before);
    let done = s.ok(&["import", f]);
    assert!(done.contains("imported as #1"), "{done}");
    let v: serde_json::Value =
        serde_json::from_str(&s.ok(&["experiment", "readout", "2", "--format", "json"])).unwrap();
    assert_eq!(v["readout"]["variants"][1]["conversions"], 170);
    assert!(s.ok(&["import", f]).contains("already imported as #1"));
    s.ok(&["import", "--undo", "1"]);
    assert_eq!(s.ok(&["experiment", "readout", "2", "--format", "json"]), before);

    // A variant the experiment does not have: nothing written, the line named.
    std::fs::write(&file, "experiment,variant,visitors,conversions\n2,control,4000,200\n2,B,4000,210\n").unwrap();
    let err = s.fails(&["import", f], 2);
    assert!(err.contains("ab.csv:3: experiment: experiment #2 has no variant 'B'"), "{err}");
    assert_eq!(s.ok(&["experiment", "readout", "2", "--format", "json"]), before);
}
