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
            Fact::Spend { .. } | Fact::Experiment { .. } | Fact::Outcome { .. } => None,
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
            ("2026-05-31|sessions|".to_string(), 2500.0),
            ("2026-05-31|key_events|".to_string(), 30.0),
            ("2026-05-31|new_users|".to_string(), 1000.0),
            ("2026-05-31|active_users|".to_string(), 2000.0),
        ]
    );
}

#[test]
fn ga4_scoped_key_event_column_and_semicolons() {
    let text = "# End date: 20260531\nFirst user primary channel group (Default Channel Group);Key events (purchase)\nPaid Search;12\nTotal;12\n";
    let p = ok(text, Preset::Ga4);
    assert_eq!(kpis(&p), [("2026-05-31|key_events|paid-search".to_string(), 12.0)]);
    assert_eq!(p.skipped.len(), 1);
    // Only an End date in the preamble: the range falls back to the facts' own days.
    assert_eq!(p.range, Some((day("2026-05-31"), day("2026-05-31"))));
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
            Fact::Kpi { .. } | Fact::Experiment { .. } | Fact::Outcome { .. } => None,
        })
        .collect();
    assert_eq!(
        spends,
        [("Launch", "paid-social", 100_000, day("2026-09-30")), ("Shop", "shopping", 500, day("2026-09-30"))]
    );
}

#[test]
fn ads_rows_repeating_a_campaign_day_are_summed() {
    // Extra segment columns (here Device) split one campaign-day over several rows.
    let text = "Start Date (in UTC),Campaign Name,Device,Total Spent,Clicks\n9/1/2026,Brand,Mobile,$1.10,1\n9/1/2026,Brand,Desktop,$2.20,2\n";
    let p = ok(text, Preset::LinkedinAds);
    assert_eq!(p.facts.len(), 3);
    assert!(matches!(&p.facts[0], Fact::Spend { amount_cents: 330, line: 2, .. }));
    assert_eq!(kpis(&p)[1], ("2026-09-01|Brand|linkedin|clicks".to_string(), 3.0));
    assert_eq!(p.campaigns.len(), 1);
    assert_eq!(p.range, Some((day("2026-09-01"), day("2026-09-01"))));
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
