//! Smaller shapes each preset must also accept, written inline because each is a few lines.

use mktg::io::import::{self as imp, Fact, ParsedFile, Preset};

fn ok(text: &str, preset: Preset) -> ParsedFile {
    assert_eq!(imp::detect(text.as_bytes()), Some(preset), "{text}");
    imp::parse(text.as_bytes(), None).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn kpis(p: &ParsedFile) -> Vec<(String, f64)> {
    p.facts
        .iter()
        .filter_map(|f| match f {
            Fact::Kpi { key, value, .. } => Some((key.clone(), *value)),
            Fact::Spend { .. } | Fact::Experiment { .. } | Fact::Outcome { .. } | Fact::Touch { .. } => None,
        })
        .collect()
}

#[test]
fn header_only_files_are_empty_not_errors() {
    let p = ok("date,campaign,amount\n", Preset::SpendCsv);
    assert_eq!((p.rows_read, p.facts.len(), p.range), (0, 0, None));
}

#[test]
fn ga4_without_channel_column_and_with_older_names() {
    let text = "# Start date: 20260501\n# End date: 20260531\nNew users,Active users,Conversions,Sessions\n\"1,000\",2000,30,2500\n";
    let p = ok(text, Preset::Ga4);
    assert_eq!(
        kpis(&p),
        [
            ("2026-05-31|new_users|".to_string(), 1000.0),
            ("2026-05-31|active_users|".to_string(), 2000.0),
            ("2026-05-31|key_events|".to_string(), 30.0),
            ("2026-05-31|sessions|".to_string(), 2500.0),
        ]
    );
    // A month with no Date column is a period total, never a day.
    assert_eq!(p.period, Some((day("2026-05-01"), day("2026-05-31"))));
    assert!(p.notes.iter().any(|n| n == "no channel column: the facts are not split by channel"), "{:?}", p.notes);
}

#[test]
fn ga4_scoped_key_event_column_and_semicolons() {
    let text = "# Start date: 20260501\n# End date: 20260531\nFirst user primary channel group (Default Channel Group);Key events (purchase)\nPaid Search;12\nTotal;12\n";
    let p = ok(text, Preset::Ga4);
    assert_eq!(kpis(&p), [("2026-05-31|key_events|paid-search".to_string(), 12.0)]);
    assert_eq!(p.skipped.len(), 1);
    assert_eq!(p.range, Some((day("2026-05-01"), day("2026-05-31"))));
    assert!(p.source.starts_with("ga4|first-user channel group|"), "{}", p.source);
    // Only an End date: the period cannot be known, so the rows cannot be dated.
    let e = imp::parse(text.replacen("# Start date: 20260501\n", "", 1).as_bytes(), None).unwrap_err();
    assert!(e[0].message.contains("no Date column and no date range"), "{e:?}");
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn google_ads_without_day_column_uses_the_range_end() {
    let text = "Campaign report\nSeptember 1, 2026 - September 30, 2026\nCampaign,Campaign type,Cost,Clicks\nLaunch,Demand Gen,\"1,000.00\",10\nShop,Shopping,5,1\n";
    let p = ok(text, Preset::GoogleAds);
    let spends: Vec<(&str, &str, i64, chrono::NaiveDate)> = p
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::Spend { campaign, channel, amount_cents, day, .. } => {
                Some((campaign.as_str(), channel.as_str(), *amount_cents, *day))
            }
            Fact::Kpi { .. } | Fact::Experiment { .. } | Fact::Outcome { .. } | Fact::Touch { .. } => None,
        })
        .collect();
    assert_eq!(
        spends,
        [("Launch", "display", 100_000, day("2026-09-30")), ("Shop", "paid-search", 500, day("2026-09-30"))]
    );
}

#[test]
fn ads_rows_repeating_a_campaign_day_are_summed() {
    // Extra segment columns (here Device) split one campaign-day over several rows.
    let text = "Start Date (in UTC),Campaign Name,Device,Total Spent,Clicks\n9/14/2026,Brand,Mobile,$1.10,1\n9/14/2026,Brand,Desktop,$2.20,2\n";
    let p = ok(text, Preset::LinkedinAds);
    assert_eq!(p.facts.len(), 3);
    assert!(matches!(&p.facts[0], Fact::Spend { amount_cents: 330, line: 2, .. }));
    assert_eq!(kpis(&p)[1], ("2026-09-14|Brand|paid-social|clicks".to_string(), 3.0));
    assert_eq!(p.campaigns.len(), 1);
    assert_eq!(p.range, Some((day("2026-09-14"), day("2026-09-14"))));
    assert!(p.notes.contains(&"rows summed: rows split by Device, summed per campaign".to_string()), "{:?}", p.notes);
    // Without the column that tells them apart, two rows of one campaign-day are refused.
    let e = imp::parse(text.replace(",Device", "").replace(",Mobile", "").replace(",Desktop", "").as_bytes(), None)
        .unwrap_err();
    assert_eq!((e[0].line, e[0].column.as_str()), (3, "-"));
    assert!(e[0].message.starts_with("repeats line 2 (Brand on 2026-09-14)"), "{}", e[0].message);
}

#[test]
fn contacts_with_custom_stage_or_no_source() {
    let text = "Record ID,Create Date,Lifecycle Stage\n1,2026-09-01,evangelist\n2,2026-09-01,98765432\n3,2026-09-01,\n";
    let p = ok(text, Preset::HubspotContacts);
    assert_eq!(
        kpis(&p),
        [
            ("leads|2026-09-01|".to_string(), 1.0),
            ("mqls|2026-09-01|".to_string(), 1.0),
            ("sqls|2026-09-01|".to_string(), 1.0),
            ("opps|2026-09-01|".to_string(), 1.0),
        ]
    );
    let reasons: Vec<&str> = p.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["unknown lifecycle stage '98765432'", "no lifecycle stage"]);
}

#[test]
fn text_from_the_file_is_kept_as_written_but_trimmed() {
    let text = "date,campaign,amount,note\n2026-09-01,  Brand\u{7}Q3  ,1,\"  tab\there \u{1b}[31m  \"\n";
    let p = ok(text, Preset::SpendCsv);
    match &p.facts[0] {
        Fact::Spend { campaign, note, channel, .. } => {
            assert_eq!(campaign, "Brand\u{7}Q3");
            assert_eq!(note, "tab\there \u{1b}[31m");
            assert_eq!(channel, "");
        }
        f => panic!("{f:?}"),
    }
}

#[test]
fn empty_rows_are_skipped_and_counted() {
    let p = ok("date,metric,value\n,,\n2026-09-01,leads,1\n", Preset::KpiCsv);
    assert_eq!(p.rows_read, 2);
    assert_eq!(p.skipped.len(), 1);
    assert_eq!((p.skipped[0].line, p.skipped[0].reason.as_str()), (2, "empty row"));
}
