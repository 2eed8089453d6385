//! Issue #13, end to end (continued): GA4's other report shapes and API names, LinkedIn, HubSpot
//! and European/UK Excel files, and the limits every import is held to.

use super::import_real::{DEC01, NOV20, Store, fixture, lines};

// ---- 6. GA4 Data API names; reports not cut by channel ---------------------------------------

#[test]
fn ga4_api_camel_case_lands_per_channel_and_day_with_every_metric() {
    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-api-camelcase.csv", &[]);
    assert!(out.contains("channels: (other) -> other"), "{out}");
    let day1: Vec<String> = st.daily().into_iter().filter(|l| l.starts_with("2026-11-01")).collect();
    assert_eq!(
        day1,
        lines(
            "2026-11-01 active_users direct 58 2026-11-01 active_users organic-search 140 \
             2026-11-01 active_users paid-search 42 2026-11-01 engaged_sessions direct 30 \
             2026-11-01 engaged_sessions organic-search 101 2026-11-01 engaged_sessions paid-search 29 \
             2026-11-01 key_events direct 1 2026-11-01 key_events organic-search 3 \
             2026-11-01 key_events paid-search 2 2026-11-01 new_users direct 44 \
             2026-11-01 new_users organic-search 120 2026-11-01 new_users paid-search 40 \
             2026-11-01 sessions direct 61 2026-11-01 sessions organic-search 152 2026-11-01 sessions paid-search 44"
        )
    );
    assert!(st.daily().contains(&"2026-11-02 sessions other 5".to_string()));
    assert_eq!(st.daily().len(), 30, "no channel merged into a blank one");
}

#[test]
fn ga4_api_snake_case_and_first_user_name_what_they_do_not_read() {
    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-api-snake-case.csv", &[]);
    assert!(out.contains("not read: total_users, screen_page_views"), "{out}");
    let sessions: Vec<String> = st.daily().into_iter().filter(|l| l.contains(" sessions ")).collect();
    assert_eq!(
        sessions,
        lines(
            "2026-11-01 sessions organic-search 152 2026-11-01 sessions paid-social 33 \
             2026-11-02 sessions organic-search 149 2026-11-02 sessions paid-social 29"
        )
    );
    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-api-first-user.csv", &[]);
    assert!(out.contains("source             ga4, first-user channel group"), "{out}");
    assert!(out.contains("not read: totalUsers"), "{out}");
    let new_users: Vec<String> = st.daily().into_iter().filter(|l| l.contains(" new_users ")).collect();
    assert_eq!(
        new_users,
        lines(
            "2026-11-01 new_users email 4 2026-11-01 new_users organic-search 120 \
             2026-11-02 new_users email 3 2026-11-02 new_users organic-search 118"
        )
    );
}

#[test]
fn ga4_reports_not_cut_by_channel_are_refused_with_one_line() {
    let st = Store::new("USD", NOV20);
    assert_eq!(
        st.refused("ga4-pages-and-screens.csv", &[]),
        "ga4-pages-and-screens.csv:10: Page path and screen class: this GA4 report is cut by page, not by \
         channel; download Reports > Acquisition > Traffic acquisition"
    );
    assert_eq!(
        st.refused("ga4-api-source-medium.csv", &[]),
        "ga4-api-source-medium.csv:1: -: GA4 rows cut by sessionSource/sessionMedium but no channel group \
         column; add sessionDefaultChannelGroup (Session default channel group) to the export"
    );
    assert_eq!(
        st.refused("ga4-reports-snapshot-multi-section.csv", &[]),
        "ga4-reports-snapshot-multi-section.csv:9: -: this is the GA4 Reports snapshot (several tables in one \
         file); download Reports > Acquisition > Traffic acquisition (or User acquisition) instead"
    );
}

#[test]
fn ga4_daily_2023_names_exploration_and_lead_acquisition() {
    let st = Store::new("USD", NOV20);
    st.import("ga4-traffic-acquisition-daily.csv", &[]);
    let sessions: Vec<String> = st.daily().into_iter().filter(|l| l.contains(" sessions ")).collect();
    assert_eq!(
        sessions,
        lines(
            "2026-11-01 sessions direct 40 2026-11-01 sessions organic-search 88 2026-11-01 sessions paid-search 21 \
             2026-11-02 sessions direct 61 2026-11-02 sessions organic-search 149 2026-11-02 sessions paid-search 44 \
             2026-11-03 sessions direct 57 2026-11-03 sessions organic-search 152 2026-11-03 sessions paid-search 39"
        )
    );
    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-traffic-acquisition-2023-names.csv", &[]);
    assert!(out.contains("period total 2023-09-01..2023-09-30 (no Day column)"), "{out}");
    assert_eq!(st.counted("key_events", None, "2023-09-01", "2023-09-30"), 21.0, "Conversions are key events");
    assert_eq!(st.counted("sessions", Some("paid-social"), "2023-09-01", "2023-09-30"), 260.0);

    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-exploration-free-form.csv", &[]);
    assert!(out.contains("1x totals row ('Grand total') (line 8)"), "{out}");
    assert_eq!(st.counted("sessions", None, "2026-10-01", "2026-10-31"), 6431.0, "the totals row is not added");
    assert_eq!(st.counted("key_events", Some("paid-search"), "2026-10-01", "2026-10-31"), 50.0);

    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-lead-acquisition-unverified.csv", &[]);
    assert!(out.contains("not read: Converted leads"), "{out}");
    assert_eq!(st.counted("leads", None, "2026-10-01", "2026-10-31"), 75.0);
    assert_eq!(st.counted("mqls", None, "2026-10-01", "2026-10-31"), 23.0);
    assert_eq!(st.counted("leads", Some("paid-search"), "2026-10-01", "2026-10-31"), 25.0);
    // The quarter's brief counts the month's leads: period totals reach the brief.
    let q4 = Store { s: st.s, now: "2026-12-31T08:00" };
    let brief: serde_json::Value =
        serde_json::from_str(&q4.ok(&["brief", "--period", "quarter", "--format", "json"])).expect("json");
    let leads = brief["kpis"].as_array().expect("kpis").iter().find(|k| k["metric"] == "leads").expect("leads");
    assert_eq!(leads["value"].as_f64(), Some(75.0), "{leads}");
}

// ---- LinkedIn: UTF-16, tabs, preamble; day order from the values ------------------------------

#[test]
fn linkedin_month_first_and_day_first_files_land_on_the_same_days_on_paid_social() {
    for (currency, file) in [
        ("USD", "linkedin-campaign-performance-utf16-unverified.csv"),
        ("GBP", "linkedin-campaign-performance-dayfirst-unverified.csv"),
    ] {
        let st = Store::new(currency, DEC01);
        st.import(file, &[]);
        assert_eq!(
            st.spend(),
            vec![
                "2026-11-01 - ABM - Directors paid-social 117403",
                "2026-11-01 - Webinar - Nov paid-social 17403",
                "2026-11-13 - ABM - Directors paid-social 98050"
            ],
            "{file}"
        );
        let kpis: Vec<String> = st.daily().into_iter().filter(|l| !l.contains(" spend ")).collect();
        assert_eq!(
            kpis,
            lines(
                "2026-11-01 clicks paid-social 343 2026-11-01 conversions paid-social 5 \
                 2026-11-01 impressions paid-social 43892 2026-11-01 leads paid-social 15 \
                 2026-11-13 clicks paid-social 280 2026-11-13 conversions paid-social 2 \
                 2026-11-13 impressions paid-social 38002 2026-11-13 leads paid-social 9"
            ),
            "{file}"
        );
    }
}

// ---- HubSpot ---------------------------------------------------------------------------------

#[test]
fn hubspot_deals_without_create_date_or_with_an_unmapped_closed_stage_are_refused() {
    let st = Store::new("USD", NOV20);
    assert_eq!(
        st.refused("hubspot-deals-no-create-date.csv", &[]),
        "hubspot-deals-no-create-date.csv:1: Create Date: missing; in HubSpot choose Export with \"Include all \
         properties\", or add Create Date to the view before exporting"
    );
    assert_eq!(
        st.refused("hubspot-deals-with-competitor.csv", &[]),
        "hubspot-deals-with-competitor.csv:4: Deal Stage: stage 'Closed: abandoned' looks closed but is neither \
         won nor lost; export with the \"Is closed lost\" column, or map it in config: [import.hubspot_stages] \
         \"Closed: abandoned\" = \"lost\""
    );
    st.config("[import.hubspot_stages]\n\"Closed: abandoned\" = \"lost\"\n");
    let out = st.import("hubspot-deals-with-competitor.csv", &[]);
    assert!(out.contains("channels: Direct Traffic -> direct, Offline Sources -> other"), "{out}");
    // The Competitor and Closed Lost Reason columns are read since #17: each deal's outcome for win/loss.
    assert!(out.contains("not read: Deal Name, Deal owner, Pipeline\n"), "the rest named as not read: {out}");
    assert_eq!(
        st.daily(),
        lines(
            "2026-09-15 pipeline paid-search 24000 2026-10-01 pipeline organic-search 8000 \
             2026-10-02 pipeline direct 5000 2026-11-02 pipeline paid-social 12500.5 \
             2026-11-03 revenue paid-search 24000 2026-11-03 won paid-search 1 \
             2026-11-05 lost organic-search 1 2026-11-06 lost direct 1 \
             2026-11-07 revenue other 0 2026-11-07 won other 1"
        )
    );
}

#[test]
fn hubspot_all_properties_export_decides_outcomes_by_its_closed_columns() {
    let st = Store::new("USD", NOV20);
    let out = st.import("hubspot-deals-all-properties.csv", &[]);
    assert!(out.contains("channels: AI Referrals -> referral, Offline Sources -> other"), "{out}");
    assert_eq!(
        st.daily(),
        lines(
            "2026-10-20 pipeline paid-search 25000 2026-10-21 pipeline organic-search 9800 \
             2026-10-30 pipeline other 468 2026-11-10 revenue paid-search 25000 \
             2026-11-10 won paid-search 1 2026-11-12 lost organic-search 1 \
             2026-11-15 revenue other 468 2026-11-15 won other 1"
        )
    );
}

#[test]
fn hubspot_contacts_use_one_channel_alias_table_and_the_default_view_is_refused() {
    let st = Store::new("USD", NOV20);
    let out = st.import("hubspot-contacts-lifecycle.csv", &[]);
    assert!(out.contains("Direct Traffic -> direct, Email Marketing -> email, Referrals -> referral"), "{out}");
    let daily = st.daily();
    assert!(daily.iter().all(|l| !l.contains("direct-traffic") && !l.contains("email-marketing")), "{daily:?}");
    let total = |m: &str| -> f64 {
        daily
            .iter()
            .filter(|l| l.contains(&format!(" {m} ")))
            .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
            .sum()
    };
    assert_eq!((total("leads"), total("mqls"), total("sqls"), total("opps")), (9.0, 4.0, 3.0, 2.0));
    assert!(daily.contains(&"2026-11-04 mqls paid-social 1".to_string()), "on the MQL date: {daily:?}");
    assert_eq!(
        st.refused("hubspot-contacts-default-view.csv", &[]),
        "hubspot-contacts-default-view.csv:1: -: a HubSpot contacts export without Lifecycle Stage; add Lifecycle \
         Stage, Create Date and Original Traffic Source to the view (or export with \"Include all properties\")"
    );
}

// ---- 2, 4, 5. European and UK Excel files ----------------------------------------------------

#[test]
fn euro_amounts_land_in_a_euro_store_and_are_refused_in_a_dollar_store() {
    for (file, want) in [
        (
            "excel-de-spend-semicolon-eur.csv",
            vec![
                "2026-11-02 - Messe München events 123450",
                "2026-11-03 - Messe München events 85000",
                "2026-11-13 - Brand - Search paid-search 123400",
            ],
        ),
        (
            "excel-de-spend-eur-isodates.csv",
            vec!["2026-11-02 - Messe München events 123450", "2026-11-03 - Messe München events 85000"],
        ),
        (
            "excel-fr-semicolon-nbsp.csv",
            vec!["2026-11-03 - Salon Paris events 123450", "2026-11-13 - Salon Paris events 200000"],
        ),
    ] {
        let st = Store::new("EUR", NOV20);
        st.import(file, &[]);
        assert_eq!(st.spend(), want, "{file}");
        let usd = Store::new("USD", NOV20);
        let line = usd.refused(file, &[]);
        assert!(line.starts_with(&format!("{file}:2: amount: '")), "{line}");
        assert!(line.ends_with("' is in EUR but the store keeps USD; convert the file first"), "{line}");
    }
}

#[test]
fn uk_files_day_first_by_a_value_above_12_or_refused_when_every_date_is_ambiguous() {
    let st = Store::new("GBP", NOV20);
    st.import("excel-uk-dayfirst.csv", &[]);
    assert_eq!(
        st.spend(),
        vec![
            "2026-11-03 - Brand - Search paid-search 123450",
            "2026-11-04 - Brand - Search paid-search 9900",
            "2026-11-13 - Brand - Search paid-search 1000"
        ]
    );
    let st = Store::new("USD", NOV20);
    assert_eq!(
        st.refused("excel-uk-ambiguous-dates.csv", &[]),
        "excel-uk-ambiguous-dates.csv:2: date: '03/11/2026' could be 3 November or 11 March and nothing in the \
         file settles it; pass --date-order dmy or --date-order mdy"
    );
    st.import("excel-uk-ambiguous-dates.csv", &["--date-order", "dmy"]);
    assert_eq!(
        st.daily(),
        lines("2026-11-03 leads paid-search 5 2026-11-04 leads paid-search 7 2026-11-05 leads paid-search 6")
    );
}

#[test]
fn in_a_semicolon_file_1_234_is_one_thousand_two_hundred_thirty_four() {
    // The German file as Excel writes it (BOM, CRLF), less its one fractional session count.
    let st = Store::new("EUR", NOV20);
    let text = std::fs::read_to_string(fixture("excel-de-kpi-semicolon-isodates.csv")).expect("read");
    assert!(text.starts_with('\u{feff}') && text.contains("\r\n"));
    let whole: String = text.split_inclusive("\r\n").filter(|l| !l.contains("1.234,5")).collect();
    let path = st.s.path("de-whole.csv");
    std::fs::write(&path, whole).expect("write");
    st.ok(&["import", path.to_str().expect("utf-8")]);
    assert_eq!(st.daily(), lines("2026-11-02 sessions organic-search 1234 2026-11-04 sessions direct 2000000"));
    // The file itself holds 1234.5 sessions: a count takes whole numbers only, as `kpi record` does.
    assert_eq!(
        st.refused("excel-de-kpi-semicolon-isodates.csv", &[]),
        "excel-de-kpi-semicolon-isodates.csv:3: value: sessions is a count: 1234.5 is not a whole number"
    );
    let line = st.refused("excel-de-kpi-semicolon.csv", &[]);
    assert_eq!(line, "excel-de-kpi-semicolon.csv:4: value: sessions is a count: 1234.5 is not a whole number");
}

#[test]
fn a_file_mixing_number_conventions_or_not_in_utf8_is_refused_naming_the_line() {
    let st = Store::new("EUR", NOV20);
    assert_eq!(
        st.refused("excel-mixed-conventions.csv", &[]),
        "excel-mixed-conventions.csv:3: value: '1,234.50' uses '.' for decimals, but this file uses ',' (line 2: \
         '1.234,50'); a file keeps one convention"
    );
    assert_eq!(
        st.refused("excel-mixed-conventions-value.csv", &[]),
        "excel-mixed-conventions-value.csv:3: value: '1,234.50' uses '.' for decimals, but this file uses ',' \
         (line 2: '1.234'); a file keeps one convention"
    );
    let line = st.refused("excel-de-cp1252.csv", &[]);
    assert!(line.starts_with("excel-de-cp1252.csv:2: -: not valid UTF-8 (byte 0xFC)"), "{line}");
}

// ---- 7. Limits: imports held to kpi record's rules -------------------------------------------

#[test]
fn imports_and_kpi_record_share_the_unit_rules_and_bounds() {
    let st = Store::new("USD", NOV20);
    let file = st.s.path("limits.csv");
    let path = file.to_str().expect("utf-8");
    for (metric, value, want) in [
        ("leads", "12.5", "leads is a count: 12.5 is not a whole number"),
        ("spend", "10.125", "'10.125' is not an amount: USD has 2 decimals at most"),
        ("leads", "99999999999999", "'99999999999999' is out of range: a value is at most 10,000,000,000,000"),
    ] {
        std::fs::write(&file, format!("date,metric,value,channel\n2026-11-02,{metric},{value},email\n")).expect("w");
        let imported = st.run(&["import", path]);
        assert_eq!(imported.status.code(), Some(2), "{value}");
        let err = String::from_utf8_lossy(&imported.stderr).into_owned();
        assert_eq!(err, format!("error: {path}:2: value: {want}; nothing was imported\n"), "import {value}");
        let typed = st.run(&["kpi", "record", metric, value, "--date", "2026-11-02", "--channel", "email"]);
        assert_eq!(typed.status.code(), Some(2), "kpi record {metric} {value}");
        assert_eq!(String::from_utf8_lossy(&typed.stderr), format!("error: {want}\n"), "kpi record {value}");
    }
    let target = st.run(&["kpi", "target", "ctr", "1e400", "--period", "2026-11"]);
    assert_eq!(target.status.code(), Some(2), "an infinite target is refused");
    assert_eq!(String::from_utf8_lossy(&target.stderr), "error: '1e400' is not a number\n");
}

#[test]
fn the_docs_list_every_channel_alias_and_campaign_type() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/imports.md")).expect("docs");
    for (label, slug) in mktg::domain::channel::ALIASES.iter().chain(mktg::domain::channel::CAMPAIGN_TYPES) {
        let row = docs.lines().find(|l| l.starts_with(&format!("| `{slug}` |")) && l.contains(&format!("`{label}`")));
        assert!(row.is_some(), "docs/imports.md does not list `{label}` under `{slug}`");
    }
}
