//! Malformed files: every error is collected, on the right physical line and column.

use mktg::io::import::{self as imp, ImportError, Preset};

/// Where the hand-written, real-shaped export files live.
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn errors(bytes: &[u8], preset: Option<Preset>) -> Vec<ImportError> {
    match imp::parse(bytes, preset) {
        Ok(p) => panic!("expected errors, got {} facts", p.facts.len()),
        Err(e) => e,
    }
}

/// Detects the malformed fixture as `preset`, parses it and returns (line, column) of each error.
fn places(name: &str, preset: Preset) -> Vec<(usize, String)> {
    let bytes = fixture(name);
    assert_eq!(imp::detect(&bytes), Some(preset), "detect {name}");
    let errs = errors(&bytes, None);
    assert_eq!(errs, errors(&bytes, Some(preset)));
    errs.iter().map(|e| (e.line, e.column.clone())).collect()
}

fn want(v: &[(usize, &str)]) -> Vec<(usize, String)> {
    v.iter().map(|(l, c)| (*l, c.to_string())).collect()
}

#[test]
fn ga4_malformed() {
    let got = places("ga4_malformed.csv", Preset::Ga4);
    assert_eq!(got, want(&[(5, "Date"), (6, "Sessions"), (7, "Sessions"), (8, "Key events")]));
    let errs = errors(&fixture("ga4_malformed.csv"), None);
    assert_eq!(errs[0].to_string(), "5: Date: invalid date '20260230' (no such date)");
    assert!(errs[2].message.contains("parentheses"), "{}", errs[2]);
}

#[test]
fn hubspot_deals_malformed() {
    let got = places("hubspot_deals_malformed.csv", Preset::HubspotDeals);
    assert_eq!(
        got,
        want(&[(3, "Close Date"), (4, "Amount"), (5, "Create Date"), (5, "Close Date"), (7, "Amount")]),
        "the quoted two-line name starts on line 5, so the next record is line 7"
    );
    let errs = errors(&fixture("hubspot_deals_malformed.csv"), None);
    assert_eq!(errs[1].to_string(), "4: Amount: amount '12.345' has more than 2 decimals");
    assert_eq!(errs[3].message, "closed deal has no Close Date");
}

#[test]
fn hubspot_contacts_malformed_never_echo_personal_data() {
    let got = places("hubspot_contacts_malformed.csv", Preset::HubspotContacts);
    assert_eq!(got, want(&[(2, "Create Date"), (3, "Create Date"), (4, "Create Date")]));
    for e in errors(&fixture("hubspot_contacts_malformed.csv"), None) {
        assert!(!e.to_string().contains('@'), "{e}");
    }
}

#[test]
fn linkedin_malformed() {
    let got = places("linkedin_malformed.csv", Preset::LinkedinAds);
    assert_eq!(
        got,
        want(&[
            (7, "Start Date (in UTC)"),
            (8, "Total Spent"),
            (9, "Impressions"),
            (10, "Currency"),
            (10, "Total Spent"),
            (10, "Clicks"),
        ])
    );
    let errs = errors(&fixture("linkedin_malformed.csv"), None);
    assert_eq!(errs[1].to_string(), "8: Total Spent: '$1O.00' is not a number");
    assert_eq!(
        errs[3].message,
        "the file is in EUR but the store keeps USD; convert it, or import it into a store kept in EUR (mktg init --currency EUR)"
    );
}

#[test]
fn google_ads_malformed() {
    let got = places("google_ads_malformed.csv", Preset::GoogleAds);
    assert_eq!(got, want(&[(5, "Day"), (6, "Cost"), (7, "Campaign"), (7, "Impr.")]));
}

#[test]
fn kpi_csv_malformed_including_duplicates() {
    let got = places("kpi_malformed.csv", Preset::KpiCsv);
    assert_eq!(got, want(&[(3, "date"), (4, "metric"), (5, "value"), (6, "-"), (7, "value")]));
    let errs = errors(&fixture("kpi_malformed.csv"), None);
    assert_eq!(errs[1].to_string(), "4: metric: bad metric key 'Sessions' (use lowercase a-z, 0-9 and _)");
    assert!(errs[3].message.contains("duplicate of line 2"), "{}", errs[3]);
    assert_eq!(
        errs[4].message,
        "'1,5' uses ',' for decimals, but in a ','-separated file '.' is the decimal mark and ',' groups thousands"
    );
}

#[test]
fn spend_csv_malformed() {
    let got = places("spend_malformed.csv", Preset::SpendCsv);
    assert_eq!(got, want(&[(3, "date"), (4, "amount"), (5, "campaign"), (6, "amount"), (7, "amount")]));
    let errs = errors(&fixture("spend_malformed.csv"), None);
    assert!(errs[4].message.contains("out of range"), "{}", errs[4]);
}

/// Renames one required header cell in a valid fixture and expects exactly that column reported.
#[test]
fn missing_required_columns_are_named() {
    let cases = [
        ("hubspot_deals_labels.csv", Preset::HubspotDeals, "Close Date", 1),
        ("hubspot_deals_ids.csv", Preset::HubspotDeals, "Amount", 1),
        ("hubspot_contacts_bom_crlf.csv", Preset::HubspotContacts, "Create Date", 1),
        ("linkedin_campaigns.csv", Preset::LinkedinAds, "Total Spent", 7),
        ("kpi_semicolon.csv", Preset::KpiCsv, "value", 1),
        ("spend_multiline.csv", Preset::SpendCsv, "amount", 1),
    ];
    for (name, preset, column, line) in cases {
        let text = String::from_utf8(fixture(name)).unwrap();
        let broken = text.replacen(column, "Something else", 1);
        let errs = errors(broken.as_bytes(), Some(preset));
        let missing: Vec<_> = errs.iter().filter(|e| e.message.starts_with("missing required column")).collect();
        assert_eq!(missing.len(), 1, "{name}: {errs:?}");
        assert_eq!((missing[0].line, missing[0].column.as_str()), (line, column), "{name}");
    }
    // Google Ads is UTF-16 on disk, and without Cost there is nothing to import.
    let gads = "Campaign report\nSeptember 1, 2026 - September 30, 2026\nDay\tCampaign\tImpr.\n2026-09-01\tX\t5\n";
    let errs = errors(gads.as_bytes(), Some(Preset::GoogleAds));
    assert_eq!(errs[0].to_string(), "3: Cost: missing required column");
    // GA4 without any metric column, and a per-range GA4 table without an End date.
    let ga4 =
        "# Start date: 20260501\nSession primary channel group (Default Channel Group),Engagement rate\nDirect,0.5\n";
    assert_eq!(errors(ga4.as_bytes(), Some(Preset::Ga4))[0].line, 2);
    let undated = "Session primary channel group (Default Channel Group),Sessions\nDirect,5\n";
    assert!(errors(undated.as_bytes(), Some(Preset::Ga4))[0].message.contains("End date"));
}

#[test]
fn extra_columns_in_plain_formats_are_errors() {
    let errs = errors(b"date,metric,value,source\n2026-09-01,leads,1,x\n", Some(Preset::KpiCsv));
    assert_eq!((errs[0].line, errs[0].column.as_str()), (1, "source"));
}

#[test]
fn every_error_is_collected_not_just_the_first() {
    let mut text = String::from("date,metric,value\n");
    for i in 0..30 {
        text.push_str(&format!("2026-13-{:02},m{i},x\n", i % 28 + 1));
    }
    let errs = errors(text.as_bytes(), Some(Preset::KpiCsv));
    assert_eq!(errs.len(), 60, "a bad date and a bad value on each of 30 rows");
    assert!(errs.windows(2).all(|w| w[0].line <= w[1].line), "sorted by line");
    assert_eq!(errs.last().map(|e| e.line), Some(31));
}

#[test]
fn undetectable_file_explains_itself() {
    let errs = errors(b"\xEF\xBB\xBFfoo;bar;baz\n1;2;3\n", None);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 1);
    for preset in Preset::ALL {
        assert!(errs[0].message.contains(preset.name()), "{}", errs[0]);
    }
    assert!(errs[0].message.contains("'foo;bar;baz'"), "{}", errs[0]);
    assert_eq!(imp::detect(b"foo;bar;baz\n"), None);
    assert_eq!(errors(b"", None)[0].line, 1);
}

#[test]
fn line_numbers_survive_crlf_blank_lines_and_quoted_newlines() {
    let text =
        "date,metric,value\r\n\r\n2026-09-01,leads,1\r\n\r\n\r\n2026-09-02,\"lea\r\nds\",2\r\n2026-09-31,leads,3\r\n";
    let errs = errors(text.as_bytes(), Some(Preset::KpiCsv));
    assert_eq!(errs.iter().map(|e| (e.line, e.column.as_str())).collect::<Vec<_>>(), [(6, "metric"), (8, "date")]);
    let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    assert_eq!(errors(&utf16be, None), errs);
}

#[test]
fn invalid_encoding_is_one_error_with_a_line() {
    let errs = errors(b"date,metric,value\n2026-09-01,leads,1\n2026-09-02,caf\xE9,1\n", None);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 3);
    assert!(errs[0].message.contains("UTF-8"));
}
