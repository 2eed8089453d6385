//! `mktg import` end to end: each preset lands in the right KPIs and spend, a broken file changes
//! nothing and says where, re-import is idempotent, updated exports replace, undo, dry run.

use std::path::{Path, PathBuf};

use super::common::Sandbox;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn store() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s
}

fn import(s: &Sandbox, file: &Path) -> String {
    s.ok(&["import", file.to_str().expect("utf-8 path")])
}

/// (day, metric, channel, value) of every stored observation, via `export kpis --format json`.
fn kpis(s: &Sandbox) -> Vec<(String, String, String, f64)> {
    let json: serde_json::Value = serde_json::from_str(&s.ok(&["export", "kpis", "--format", "json"])).expect("json");
    json.as_array()
        .expect("array")
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().expect(k).to_string();
            (text("date"), text("metric"), text("channel"), r["value"].as_f64().expect("value"))
        })
        .collect()
}

fn kpi(s: &Sandbox, day: &str, metric: &str, channel: &str) -> Option<f64> {
    kpis(s).into_iter().find(|k| k.0 == day && k.1 == metric && k.2 == channel).map(|k| k.3)
}

fn db(s: &Sandbox) -> rusqlite::Connection {
    rusqlite::Connection::open(s.db()).expect("open store")
}

/// (campaign, channel, quarter, day, cents, note) of every spend entry.
fn spend(s: &Sandbox) -> Vec<(String, String, String, String, i64, String)> {
    let c = db(s);
    let mut stmt = c
        .prepare(
            "SELECT c.name, c.channel, c.period, s.day, s.amount_cents, s.note FROM spend s
             JOIN campaign c ON c.id = s.campaign_id ORDER BY s.day, c.name, s.id",
        )
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

fn write(s: &Sandbox, name: &str, text: &str) -> PathBuf {
    let p = s.path(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// (metric, from, to, channel, value) of every period total.
fn periods(s: &Sandbox) -> Vec<(String, String, String, String, f64)> {
    let c = db(s);
    let mut stmt = c
        .prepare("SELECT metric, day_from, day_to, channel, value FROM kpi_period ORDER BY metric, channel")
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

fn period(s: &Sandbox, metric: &str, channel: &str) -> Option<f64> {
    periods(s).into_iter().find(|p| p.0 == metric && p.3 == channel).map(|p| p.4)
}

#[test]
fn a_ga4_channel_report_without_a_date_column_becomes_period_totals_never_a_day() {
    let s = store();
    let out = import(&s, &fixture("ga4_traffic_acquisition.csv"));
    assert!(out.contains("imported as #1 (ga4, 2026-05-01 to 2026-05-31)"), "{out}");
    assert!(out.contains("1x totals row (empty first cell) (line 15)"), "{out}");
    assert!(out.contains("  period total 2026-05-01..2026-05-31 (no Day column)\n"), "{out}");
    assert!(out.contains("  channels: Unassigned -> other\n"), "{out}");
    assert_eq!(period(&s, "sessions", "organic-search"), Some(12408.0));
    assert_eq!(period(&s, "key_events", "paid-social"), Some(41.0));
    assert_eq!(period(&s, "engaged_sessions", "email"), Some(903.0));
    assert!(periods(&s).iter().all(|p| (p.1.as_str(), p.2.as_str()) == ("2026-05-01", "2026-05-31")));
    assert!(kpis(&s).is_empty(), "no daily fact: a month is never stored on its last day");
}

#[test]
fn hubspot_deals_become_pipeline_revenue_and_wins_by_date_and_source() {
    let s = store();
    import(&s, &fixture("hubspot_deals_labels.csv"));
    assert_eq!(kpi(&s, "2026-08-01", "pipeline", "paid-social"), Some(12000.0));
    assert_eq!(kpi(&s, "2026-09-14", "revenue", "paid-social"), Some(12000.0));
    assert_eq!(kpi(&s, "2026-09-14", "won", "paid-social"), Some(2.0));
    assert_eq!(kpi(&s, "2026-09-20", "lost", "organic-search"), Some(1.0));
    assert_eq!(kpi(&s, "2026-09-02", "pipeline", "paid-social"), Some(7500.5));
}

#[test]
fn hubspot_contacts_become_funnel_counts_and_never_store_names() {
    let s = store();
    let out = import(&s, &fixture("hubspot_contacts_bom_crlf.csv"));
    assert!(out.contains("lifecycle stage 'subscriber' is not counted as a lead"), "{out}");
    let metrics: std::collections::BTreeSet<String> = kpis(&s).into_iter().map(|k| k.1).collect();
    assert!(metrics.iter().all(|m| ["leads", "mqls", "sqls", "opps"].contains(&m.as_str())), "{metrics:?}");
    assert_eq!(kpi(&s, "2026-09-02", "opps", "paid-social"), Some(2.0));
    assert_eq!(kpi(&s, "2026-09-01", "leads", "paid-social"), Some(2.0));
    let text = String::from_utf8_lossy(&std::fs::read(s.db()).expect("db")).into_owned();
    for personal in ["Lovelace", "ada@example.com", "555 0100", "Hopper"] {
        assert!(!text.contains(personal), "{personal} was stored");
    }
}

#[test]
fn linkedin_spend_lands_on_campaigns_created_in_the_quarter_of_the_day() {
    let s = store();
    let out = import(&s, &fixture("linkedin_campaigns.csv"));
    assert!(out.contains("campaigns created  2"), "{out}");
    assert!(out.contains("Demand Gen, Retargeting (paid-social, 2026-Q3)"), "{out}");
    let sp = spend(&s);
    assert_eq!(sp.len(), 3);
    assert_eq!(sp[0].0, "Brand Awareness Q3");
    assert_eq!(
        (sp[0].1.as_str(), sp[0].2.as_str(), sp[0].3.as_str(), sp[0].4),
        ("paid-social", "2026-Q3", "2026-09-01", 117403)
    );
    assert_eq!(
        kpis(&s).iter().filter(|k| k.1 == "impressions" && k.0 == "2026-09-01").map(|k| k.3).sum::<f64>(),
        43892.0
    );
}

#[test]
fn google_ads_utf16_with_totals_becomes_spend_per_campaign_and_day() {
    let s = store();
    let out = import(&s, &fixture("google_ads_utf16.csv"));
    assert!(out.contains("rows skipped       3"), "{out}");
    assert!(out.contains("1x totals row ('Total: Account') (line 9)"), "{out}");
    let brand: i64 = spend(&s).iter().filter(|r| r.0 == "Brand - Search").map(|r| r.4).sum();
    assert_eq!(brand, 123456 + 110010);
    assert_eq!(kpis(&s).iter().find(|k| k.1 == "clicks" && k.2 == "display").map(|k| k.3), Some(12.0));
}

#[test]
fn a_kpi_csv_with_a_metric_the_store_lacks_is_refused_at_that_line_and_imports_without_it() {
    let s = store();
    let path = fixture("kpi_semicolon.csv");
    let err = s.fails(&["import", path.to_str().expect("path")], 2);
    assert!(err.contains("kpi_semicolon.csv:4: metric: unknown metric 'engagement_rate'"), "{err}");
    assert!(kpis(&s).is_empty());
    let text = std::fs::read_to_string(&path).expect("fixture");
    let without: String = text.lines().filter(|l| !l.contains("engagement_rate")).map(|l| format!("{l}\n")).collect();
    import(&s, &write(&s, "kpis.csv", &without));
    assert_eq!(kpi(&s, "2026-09-01", "sessions", "organic-search"), Some(1234.0), "in a ';' file '.' groups");
    assert_eq!(kpi(&s, "2026-09-03", "pipeline", "paid-social"), Some(12500.75));
    assert_eq!(kpi(&s, "2026-09-04", "sessions", "direct"), Some(2_000_000.0));
}

#[test]
fn a_spend_csv_keeps_its_multiline_note_and_refund() {
    let s = store();
    import(&s, &fixture("spend_multiline.csv"));
    let sp = spend(&s);
    assert!(sp.iter().any(|r| r.0 == "Brand Awareness Q3" && r.5 == "Agency retainer, September\ninvoice #4411"));
    assert!(sp.iter().any(|r| r.0 == "Webinar Series" && r.4 == -5000));
    assert!(sp.iter().any(|r| r.0 == "Trade Show \"Expo\"" && r.4 == 123450));
}

#[test]
fn a_malformed_file_of_each_kind_leaves_the_store_byte_for_byte_unchanged_and_names_the_line() {
    let s = store();
    import(&s, &fixture("linkedin_campaigns.csv"));
    let before = std::fs::read(s.db()).expect("db");
    for (name, place) in [
        ("ga4_malformed.csv", "ga4_malformed.csv:"),
        ("hubspot_deals_malformed.csv", "hubspot_deals_malformed.csv:"),
        ("hubspot_contacts_malformed.csv", "hubspot_contacts_malformed.csv:"),
        ("linkedin_malformed.csv", "linkedin_malformed.csv:"),
        ("google_ads_malformed.csv", "google_ads_malformed.csv:"),
        ("kpi_malformed.csv", "kpi_malformed.csv:3: date: invalid date '2026-02-30'"),
        ("spend_malformed.csv", "spend_malformed.csv:"),
    ] {
        let err = s.fails(&["import", fixture(name).to_str().expect("path")], 2);
        assert!(err.contains(place), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one error line: {err}");
        let first = err.trim_start_matches("error: ");
        let parts: Vec<&str> = first.splitn(4, ':').collect();
        assert!(parts.len() == 4 && parts[1].parse::<usize>().is_ok(), "{name}: not file:line: column: what: {first}");
        assert!(err.contains("nothing was imported"), "{name}: {err}");
        assert_eq!(std::fs::read(s.db()).expect("db"), before, "{name} changed the store");
    }
}

#[test]
fn a_file_with_many_problems_shows_twenty_then_counts_the_rest() {
    let s = store();
    let mut text = String::from("date,metric,value\n");
    for i in 0..25 {
        text.push_str(&format!("2026-11-{:02},leads,oops\n", i + 1));
    }
    let out = s.run(&["import", write(&s, "bad.csv", &text).to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    // One error line on stderr, naming the first problem and the count.
    let err = String::from_utf8_lossy(&out.stderr);
    let shown = s.path("bad.csv").display().to_string();
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {shown}:2: value: 'oops' is not a number (and 24 more problems, listed on stdout); nothing was imported"
        )
    );
    // The list on stdout: twenty, then the count of the rest.
    let list = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 21, "{list}");
    assert!(lines[0].ends_with("bad.csv:2: value: 'oops' is not a number"), "{list}");
    assert_eq!(lines[20], "... and 5 more");
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let s = store();
    let path = fixture("google_ads_utf16.csv");
    import(&s, &path);
    let before = (kpis(&s), spend(&s));
    let again = import(&s, &path);
    assert!(again.contains("already imported as #1, nothing changed"), "{again}");
    assert_eq!((kpis(&s), spend(&s)), before);
}

#[test]
fn an_updated_export_of_the_same_period_replaces_the_earlier_one() {
    let s = store();
    let original = std::fs::read_to_string(fixture("linkedin_campaigns.csv")).expect("fixture");
    import(&s, &write(&s, "li-v1.csv", &original));
    // A day later the same report has a corrected spend and the second campaign's row is gone.
    let updated: String = original
        .replace("$980.10", "$990.10")
        .lines()
        .filter(|l| !l.contains("Retargeting"))
        .map(|l| format!("{l}\n"))
        .collect();
    let out = import(&s, &write(&s, "li-v2.csv", &updated));
    assert!(out.contains("imported as #2"), "{out}");
    assert!(out.contains("replaces import #1"), "{out}");
    // The corrected day's spend entry and its spend KPI; the dropped row's six facts go.
    assert!(out.contains("facts updated      2"), "{out}");
    assert!(out.contains("facts unchanged    10"), "{out}");
    assert!(out.contains("facts removed      6"), "{out}");
    let sp = spend(&s);
    assert_eq!(sp.iter().map(|r| r.4).collect::<Vec<_>>(), vec![117403, 99010], "no double counting");
    let log = db(&s)
        .query_row("SELECT replaced_by FROM import_log WHERE id = 1", [], |r| r.get::<_, Option<i64>>(0))
        .expect("log");
    assert_eq!(log, Some(2));
}

#[test]
fn an_updated_ad_export_replaces_the_earlier_one_when_its_campaign_was_known_in_another_case() {
    // The store knows the campaign as typed by hand; the tool's export spells it otherwise, so
    // its facts keep their own keys (the stored name would spell another), and an updated
    // export still finds every one of them.
    let s = store();
    db(&s)
        .execute(
            "INSERT INTO campaign(name, period, channel, planned_cents, created_at)
             VALUES ('brand awareness q3', '2026-Q3', 'paid-social', 500000, '2026-08-01T09:00:00')",
            [],
        )
        .expect("campaign");
    let original = std::fs::read_to_string(fixture("linkedin_campaigns.csv")).expect("fixture");
    let out = import(&s, &write(&s, "li-v1.csv", &original));
    assert!(out.contains("campaigns created  1"), "{out}");
    let updated = original.replace("$980.10", "$990.10");
    let out = import(&s, &write(&s, "li-v2.csv", &updated));
    assert!(out.contains("replaces import #1"), "{out}");
    assert!(out.contains("facts updated      2"), "{out}");
    assert!(out.contains("facts removed      0"), "{out}");
    let sp = spend(&s);
    let brand: Vec<i64> = sp.iter().filter(|r| r.0 == "brand awareness q3").map(|r| r.4).collect();
    assert_eq!(brand, vec![117403, 99010], "no double counting: {sp:?}");
    assert_eq!(sp.len(), 3, "{sp:?}");
    // Five facts a row: the created campaign's (one row) are spelled by their rows, the re-typed
    // one's (two rows) keep their keys.
    let keys: (i64, i64) = db(&s)
        .query_row(
            "SELECT count(*) FILTER (WHERE o.source_key IS NULL), count(*) FILTER (WHERE o.source_key IS NOT NULL)
             FROM kpi_obs o JOIN campaign c ON c.id = o.campaign_id WHERE c.name != 'brand awareness q3'
             UNION ALL
             SELECT count(*) FILTER (WHERE o.source_key IS NULL), count(*) FILTER (WHERE o.source_key IS NOT NULL)
             FROM kpi_obs o JOIN campaign c ON c.id = o.campaign_id WHERE c.name = 'brand awareness q3'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("keys");
    assert_eq!(keys, (5, 0));
}

#[test]
fn undo_removes_exactly_that_imports_facts_and_the_campaigns_it_created() {
    let s = store();
    import(&s, &fixture("ga4_daily.csv"));
    let ga4 = kpis(&s);
    import(&s, &fixture("google_ads_utf16.csv"));
    let out = s.ok(&["import", "--undo", "2"]);
    assert!(out.contains("undid import #2 (google_ads_utf16.csv)"), "{out}");
    assert!(out.contains("campaigns it created, removed: Brand - Search"), "{out}");
    assert_eq!(kpis(&s), ga4);
    assert!(spend(&s).is_empty());
    let campaigns: i64 = db(&s).query_row("SELECT count(*) FROM campaign", [], |r| r.get(0)).expect("count");
    assert_eq!(campaigns, 0);
    let err = s.fails(&["import", "--undo", "2"], 2);
    assert!(err.contains("already undone"), "{err}");
    // Undone, the same file imports afresh.
    assert!(import(&s, &fixture("google_ads_utf16.csv")).contains("imported as #3"));
}

#[test]
fn a_dry_run_shows_the_summary_and_writes_nothing() {
    let s = store();
    let before = std::fs::read(s.db()).expect("db");
    let out = s.ok(&["import", "--dry-run", fixture("linkedin_campaigns.csv").to_str().expect("path")]);
    assert!(out.contains("dry run, nothing written"), "{out}");
    assert!(out.contains("facts created      18"), "{out}");
    assert!(out.contains("campaigns created  2"), "{out}");
    assert_eq!(std::fs::read(s.db()).expect("db"), before);
    import(&s, &fixture("linkedin_campaigns.csv"));
    let before = std::fs::read(s.db()).expect("db");
    let undo = s.ok(&["import", "--undo", "1", "--dry-run"]);
    assert!(undo.contains("dry run, nothing written: undoing import #1"), "{undo}");
    assert!(undo.contains("18 facts removed"), "{undo}");
    assert_eq!(std::fs::read(s.db()).expect("db"), before);
}

#[test]
fn cells_that_look_like_formulas_are_stored_as_typed_data() {
    let s = store();
    let text = "date,campaign,amount,note\n2026-11-02,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",10,=1+1\n";
    import(&s, &write(&s, "formula.csv", text));
    let sp = spend(&s);
    assert_eq!(sp[0].0, "=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(sp[0].5, "=1+1");
}

#[test]
fn control_characters_from_a_file_never_reach_the_terminal() {
    let s = store();
    let text = "date,campaign,amount\n2026-11-02,\"Evil\x1b[31mRed\",10\n";
    let out = import(&s, &write(&s, "esc.csv", text));
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains("Evil"), "{out}");
}

#[test]
fn a_file_in_another_currency_is_refused_naming_both() {
    let s = store();
    let text = std::fs::read_to_string(fixture("linkedin_campaigns.csv")).expect("fixture").replace(",USD,", ",EUR,");
    let err = s.fails(&["import", write(&s, "eur.csv", &text).to_str().expect("path")], 2);
    assert!(err.contains("eur.csv:8: Currency: the file is in EUR but the store keeps USD"), "{err}");
}

#[test]
fn a_wrong_preset_or_a_missing_file_is_one_clear_error() {
    let s = store();
    let err = s.fails(&["import", "--preset", "excel", fixture("ga4_daily.csv").to_str().expect("path")], 2);
    assert!(err.contains("unknown preset 'excel' (one of: ga4, hubspot-deals"), "{err}");
    let err = s.fails(&["import", "/nonexistent/file.csv"], 2);
    assert!(err.contains("/nonexistent/file.csv: no such file"), "{err}");
    let err = s.fails(&["import", "--undo", "9"], 2);
    assert!(err.contains("there is no import #9"), "{err}");
}
