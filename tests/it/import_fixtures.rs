//! Valid fixtures: detection, and the exact facts each one must produce.

use mktg::io::import::{self as imp, Fact, ParsedFile, Preset};

/// Where the hand-written, real-shaped export files live.
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn parse_ok(name: &str, preset: Preset) -> ParsedFile {
    let bytes = fixture(name);
    assert_eq!(imp::detect(&bytes), Some(preset), "detect {name}");
    let by_detection = imp::parse(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    let explicit = imp::parse(&bytes, Some(preset)).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    assert_eq!(by_detection, explicit);
    assert_eq!(explicit.preset, preset);
    explicit
}

/// One line per fact with every field, so a whole file's output is compared at once.
fn render(f: &Fact) -> String {
    match f {
        Fact::Kpi { line, key, metric, day, channel, campaign, value } => format!(
            "L{line} kpi {day} {metric} ch={channel} camp={} = {value} [{key}]",
            campaign.as_deref().unwrap_or("-")
        ),
        Fact::Spend { line, key, campaign, channel, day, amount_cents, note } => {
            format!("L{line} spend {day} {campaign} ch={channel} = {amount_cents}c note={note:?} [{key}]")
        }
        Fact::Experiment { line, key, experiment, variant, day, visitors, conversions } => {
            format!("L{line} experiment {day:?} {experiment} {variant} = {visitors}/{conversions} [{key}]")
        }
        Fact::Outcome { line, key, outcome: o } => format!(
            "L{line} outcome {} {:?} {} comp={:?} reason={:?} seg={:?} amount={:?} [{key}]",
            o.deal, o.closed_on, o.outcome, o.competitor, o.reason, o.segment, o.amount_cents
        ),
        Fact::Touch { line, key, at, kind, amount_cents, .. } => {
            format!("L{line} touch {at} {kind} {amount_cents:?} [{key}]")
        }
    }
}

fn rendered(p: &ParsedFile) -> Vec<String> {
    p.facts.iter().map(render).collect()
}

fn skipped(p: &ParsedFile) -> Vec<(usize, &str)> {
    p.skipped.iter().map(|s| (s.line, s.reason.as_str())).collect()
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn range(a: &str, b: &str) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    Some((day(a), day(b)))
}

#[test]
fn ga4_channel_table_with_preamble_and_totals() {
    let p = parse_ok("ga4_traffic_acquisition.csv", Preset::Ga4);
    let mut want = Vec::new();
    for (line, ch, s, e, k) in [
        (10, "organic-search", 12408, 8391, 212),
        (11, "direct", 5120, 3021, 88),
        (12, "paid-social", 3310, 1402, 41),
        (13, "email", 1204, 903, 37),
        (14, "other", 18, 2, 0),
    ] {
        for (metric, v) in [("sessions", s), ("engaged_sessions", e), ("key_events", k)] {
            want.push(format!("L{line} kpi 2026-05-31 {metric} ch={ch} camp=- = {v} [2026-05-31|{metric}|{ch}]"));
        }
    }
    assert_eq!(rendered(&p), want);
    assert_eq!(p.rows_read, 6, "the second report section is not read");
    assert_eq!(skipped(&p), vec![(15, "totals row (empty first cell)")]);
    assert_eq!(p.range, range("2026-05-01", "2026-05-31"));
    assert_eq!(p.currency, None);
    assert!(p.campaigns.is_empty());
}

#[test]
fn ga4_per_day() {
    let p = parse_ok("ga4_daily.csv", Preset::Ga4);
    assert_eq!(p.facts.len(), 20);
    assert_eq!(p.rows_read, 6);
    assert_eq!(skipped(&p), vec![(15, "totals row ('Grand total')")]);
    assert_eq!(p.range, range("2026-05-01", "2026-05-03"));
    let r = rendered(&p);
    assert_eq!(
        r[..4],
        [
            "L10 kpi 2026-05-01 sessions ch=organic-search camp=- = 402 [2026-05-01|sessions|organic-search]",
            "L10 kpi 2026-05-01 engaged_sessions ch=organic-search camp=- = 270 [2026-05-01|engaged_sessions|organic-search]",
            "L10 kpi 2026-05-01 key_events ch=organic-search camp=- = 7 [2026-05-01|key_events|organic-search]",
            "L10 kpi 2026-05-01 new_users ch=organic-search camp=- = 310 [2026-05-01|new_users|organic-search]",
        ]
    );
    assert_eq!(
        r[19],
        "L14 kpi 2026-05-03 new_users ch=organic-search camp=- = 322 [2026-05-03|new_users|organic-search]"
    );
    let sessions: f64 = p
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::Kpi { metric, value, .. } if metric == "sessions" => Some(*value),
            _ => None,
        })
        .sum();
    assert_eq!(sessions, 1456.0, "matches the file's own grand total");
}

#[test]
fn hubspot_deals_with_labels() {
    let p = parse_ok("hubspot_deals_labels.csv", Preset::HubspotDeals);
    assert_eq!(
        rendered(&p),
        [
            "L2 kpi 2026-08-01 pipeline ch=paid-social camp=- = 12000 [pipeline|2026-08-01|paid-social]",
            "L2 kpi 2026-09-14 revenue ch=paid-social camp=- = 12000 [revenue|2026-09-14|paid-social]",
            "L2 kpi 2026-09-14 won ch=paid-social camp=- = 2 [won|2026-09-14|paid-social]",
            "L3 kpi 2026-08-01 pipeline ch=organic-search camp=- = 5000 [pipeline|2026-08-01|organic-search]",
            "L3 kpi 2026-09-20 lost ch=organic-search camp=- = 1 [lost|2026-09-20|organic-search]",
            "L4 kpi 2026-09-02 pipeline ch=paid-social camp=- = 7500.5 [pipeline|2026-09-02|paid-social]",
        ]
    );
    assert_eq!(p.rows_read, 5);
    assert!(p.skipped.is_empty());
    assert_eq!(p.range, range("2026-08-01", "2026-09-20"));
}

#[test]
fn hubspot_deals_with_internal_ids() {
    let p = parse_ok("hubspot_deals_ids.csv", Preset::HubspotDeals);
    assert_eq!(
        rendered(&p),
        [
            "L2 kpi 2026-07-10 pipeline ch=paid-search camp=- = 25000 [pipeline|2026-07-10|paid-search]",
            "L2 kpi 2026-09-01 revenue ch=paid-search camp=- = 25000 [revenue|2026-09-01|paid-search]",
            "L2 kpi 2026-09-01 won ch=paid-search camp=- = 1 [won|2026-09-01|paid-search]",
            "L3 kpi 2026-09-03 pipeline ch=organic-search camp=- = 25800.5 [pipeline|2026-09-03|organic-search]",
            "L4 kpi 2026-07-15 pipeline ch=paid-search camp=- = 4000 [pipeline|2026-07-15|paid-search]",
            "L4 kpi 2026-09-01 lost ch=paid-search camp=- = 1 [lost|2026-09-01|paid-search]",
        ]
    );
}

#[test]
fn hubspot_contacts_with_bom_and_crlf() {
    let bytes = fixture("hubspot_contacts_bom_crlf.csv");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]) && bytes.windows(2).any(|w| w == b"\r\n"));
    let p = parse_ok("hubspot_contacts_bom_crlf.csv", Preset::HubspotContacts);
    let k = |line, m: &str, d: &str, ch: &str, v| format!("L{line} kpi {d} {m} ch={ch} camp=- = {v} [{m}|{d}|{ch}]");
    assert_eq!(
        rendered(&p),
        [
            k(2, "leads", "2026-09-01", "paid-social", 2),
            k(3, "mqls", "2026-09-01", "paid-social", 1),
            k(4, "leads", "2026-09-01", "organic-search", 1),
            k(4, "mqls", "2026-09-01", "organic-search", 1),
            k(4, "sqls", "2026-09-01", "organic-search", 1),
            k(5, "leads", "2026-09-02", "paid-social", 2),
            k(5, "mqls", "2026-09-02", "paid-social", 2),
            k(5, "sqls", "2026-09-02", "paid-social", 2),
            k(5, "opps", "2026-09-02", "paid-social", 2),
            k(8, "leads", "2026-09-03", "direct", 1),
        ]
    );
    assert_eq!(p.rows_read, 8);
    assert_eq!(
        skipped(&p),
        [
            (7, "lifecycle stage 'subscriber' is not counted as a lead"),
            (9, "lifecycle stage 'other' is outside the funnel"),
        ]
    );
    // Personal data never leaves the file.
    let everything = format!("{p:?}");
    for pii in ["@", "Ada", "Lovelace", "555"] {
        assert!(!everything.contains(pii), "{pii} leaked");
    }
}

#[test]
fn linkedin_with_title_block() {
    let p = parse_ok("linkedin_campaigns.csv", Preset::LinkedinAds);
    let r = rendered(&p);
    assert_eq!(r.len(), 18);
    assert_eq!(
        r[..6],
        [
            "L8 spend 2026-09-01 Brand Awareness Q3 ch=paid-social = 117403c note=\"linkedin-ads import\" [2026-09-01|Brand Awareness Q3|spend]",
            "L8 kpi 2026-09-01 spend ch=paid-social camp=Brand Awareness Q3 = 1174.03 [2026-09-01|Brand Awareness Q3|paid-social|spend]",
            "L8 kpi 2026-09-01 impressions ch=paid-social camp=Brand Awareness Q3 = 41946 [2026-09-01|Brand Awareness Q3|paid-social|impressions]",
            "L8 kpi 2026-09-01 clicks ch=paid-social camp=Brand Awareness Q3 = 312 [2026-09-01|Brand Awareness Q3|paid-social|clicks]",
            "L8 kpi 2026-09-01 leads ch=paid-social camp=Brand Awareness Q3 = 12 [2026-09-01|Brand Awareness Q3|paid-social|leads]",
            "L8 kpi 2026-09-01 conversions ch=paid-social camp=Brand Awareness Q3 = 4 [2026-09-01|Brand Awareness Q3|paid-social|conversions]",
        ]
    );
    assert_eq!(
        r[6],
        "L9 spend 2026-09-01 Demand Gen, Retargeting ch=paid-social = 17403c note=\"linkedin-ads import\" [2026-09-01|Demand Gen, Retargeting|spend]"
    );
    assert_eq!(
        r[12],
        "L10 spend 2026-09-02 Brand Awareness Q3 ch=paid-social = 98010c note=\"linkedin-ads import\" [2026-09-02|Brand Awareness Q3|spend]"
    );
    assert_eq!(
        p.campaigns,
        [
            ("Brand Awareness Q3".to_string(), "paid-social".to_string()),
            ("Demand Gen, Retargeting".to_string(), "paid-social".to_string()),
        ]
    );
    assert_eq!(p.range, range("2026-09-01", "2026-09-30"));
    assert_eq!(p.currency.as_deref(), Some("USD"));
    assert_eq!(p.rows_read, 3);
}

#[test]
fn google_ads_utf16_tabs_and_totals() {
    let bytes = fixture("google_ads_utf16.csv");
    assert!(bytes.starts_with(&[0xFF, 0xFE]), "fixture is UTF-16LE with BOM");
    let p = parse_ok("google_ads_utf16.csv", Preset::GoogleAds);
    let spends: Vec<String> = p.facts.iter().filter(|f| matches!(f, Fact::Spend { .. })).map(render).collect();
    assert_eq!(
        spends,
        [
            "L4 spend 2026-09-01 Brand - Search ch=paid-search = 123456c note=\"google-ads import\" [2026-09-01|Brand - Search|spend]",
            "L5 spend 2026-09-01 PMax - All Products ch=paid-search = 25000c note=\"google-ads import\" [2026-09-01|PMax - All Products|spend]",
            "L7 spend 2026-09-02 Brand - Search ch=paid-search = 110010c note=\"google-ads import\" [2026-09-02|Brand - Search|spend]",
        ]
    );
    let r = rendered(&p);
    // YouTube Launch (line 6: paused, no spend, no activity) creates nothing.
    assert_eq!(r.len(), 17);
    assert!(r.contains(
        &"L4 kpi 2026-09-01 conversions ch=paid-search camp=Brand - Search = 31.5 [2026-09-01|Brand - Search|paid-search|conversions]"
            .to_string()
    ));
    // "--" cells are missing facts: no conversions on line 7, no spend on line 8.
    assert_eq!(r.iter().filter(|l| l.starts_with("L7 ")).count(), 4);
    assert_eq!(
        r.iter().filter(|l| l.starts_with("L8 ")).cloned().collect::<Vec<_>>(),
        [
            "L8 kpi 2026-09-02 impressions ch=display camp=Display Remarketing = 5000 [2026-09-02|Display Remarketing|display|impressions]",
            "L8 kpi 2026-09-02 clicks ch=display camp=Display Remarketing = 12 [2026-09-02|Display Remarketing|display|clicks]",
            "L8 kpi 2026-09-02 conversions ch=display camp=Display Remarketing = 0 [2026-09-02|Display Remarketing|display|conversions]",
        ]
    );
    assert_eq!(
        skipped(&p),
        [
            (9, "totals row ('Total: Account')"),
            (10, "totals row ('Total: Search')"),
            (11, "totals row ('Total: Campaigns')"),
        ]
    );
    let names: Vec<(&str, &str)> = p.campaigns.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        names,
        [("Brand - Search", "paid-search"), ("PMax - All Products", "paid-search"), ("Display Remarketing", "display"),]
    );
    assert_eq!(p.range, range("2026-09-01", "2026-09-30"));
    assert_eq!(p.currency.as_deref(), Some("USD"));
    assert_eq!(p.rows_read, 8);
}

#[test]
fn kpi_csv_semicolons_and_european_numbers() {
    let p = parse_ok("kpi_semicolon.csv", Preset::KpiCsv);
    assert_eq!(
        rendered(&p),
        [
            "L2 kpi 2026-09-01 sessions ch=organic-search camp=- = 1234 [2026-09-01|sessions|organic-search]",
            "L3 kpi 2026-09-01 mqls ch=paid-social camp=- = 42 [2026-09-01|mqls|paid-social]",
            "L4 kpi 2026-09-02 engagement_rate ch= camp=- = 62.5 [2026-09-02|engagement_rate|]",
            "L5 kpi 2026-09-03 pipeline ch=paid-social camp=- = 12500.75 [2026-09-03|pipeline|paid-social]",
            "L7 kpi 2026-09-04 sessions ch=direct camp=- = 2000000 [2026-09-04|sessions|direct]",
        ]
    );
    assert_eq!(skipped(&p), [(6, "no value")]);
    assert_eq!(p.range, range("2026-09-01", "2026-09-04"));
}

#[test]
fn spend_csv_with_multiline_note() {
    let p = parse_ok("spend_multiline.csv", Preset::SpendCsv);
    assert_eq!(
        rendered(&p),
        [
            "L2 spend 2026-09-01 Brand Awareness Q3 ch=paid-social = 120000c note=\"Agency retainer, September\\ninvoice #4411\" [2026-09-01|Brand Awareness Q3|1]",
            "L4 spend 2026-09-01 Brand Awareness Q3 ch=paid-social = 120000c note=\"Agency retainer, September\\ninvoice #4411\" [2026-09-01|Brand Awareness Q3|2]",
            "L6 spend 2026-09-02 Webinar Series ch=events = 35050c note=\"Speaker fee\" [2026-09-02|Webinar Series|1]",
            "L7 spend 2026-09-03 Webinar Series ch=events = -5000c note=\"Refund: speaker travel\" [2026-09-03|Webinar Series|1]",
            "L9 spend 2026-09-05 Trade Show \"Expo\" ch=events = 123450c note=\"Booth deposit\" [2026-09-05|Trade Show \"Expo\"|1]",
        ]
    );
    assert_eq!(skipped(&p), [(8, "no amount")]);
    assert_eq!(p.rows_read, 6);
    assert_eq!(p.campaigns.len(), 3);
    assert_eq!(p.campaigns[2], ("Trade Show \"Expo\"".to_string(), "events".to_string()));
}

#[test]
fn keys_are_unique_and_stable_for_every_valid_fixture() {
    for name in [
        "ga4_traffic_acquisition.csv",
        "ga4_daily.csv",
        "hubspot_deals_labels.csv",
        "hubspot_deals_ids.csv",
        "hubspot_contacts_bom_crlf.csv",
        "linkedin_campaigns.csv",
        "google_ads_utf16.csv",
        "kpi_semicolon.csv",
        "spend_multiline.csv",
    ] {
        let bytes = fixture(name);
        let a = imp::parse(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let b = imp::parse(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let keys: Vec<&str> = a.facts.iter().map(Fact::key).collect();
        let unique: std::collections::HashSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len(), "{name}: duplicate keys");
        assert_eq!(keys, b.facts.iter().map(Fact::key).collect::<Vec<_>>(), "{name}");
    }
}
