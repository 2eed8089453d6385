//! Property test: any valid kpi-csv parses to exactly the facts that generated it; plus the 1M-row timing.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use mktg::domain::channel::{Aliases, Channel};
use mktg::domain::number::{Decimal, Evidence, evidence};
use mktg::io::import::{self as imp, DayOrder, Fact, ParseOptions, Preset};
use proptest::prelude::*;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// (day, metric key, canonical channel slug) => (value, style bits choosing how the row is written).
type Rows = BTreeMap<(NaiveDate, String, String), (f64, u32)>;
type Row = ((NaiveDate, String, String), (f64, u32));

fn metric_key() -> impl Strategy<Value = String> {
    let ch = prop_oneof![b'a'..=b'z', b'0'..=b'9', Just(b'_')];
    proptest::collection::vec(ch, 1..12).prop_map(|v| v.into_iter().map(char::from).collect())
}

/// Canonical slugs made of lowercase words; the file spells them in other ways.
fn channel(with_channel: bool) -> BoxedStrategy<String> {
    if !with_channel {
        return Just(String::new()).boxed();
    }
    let word =
        proptest::collection::vec(b'a'..=b'z', 1..7).prop_map(|v| v.into_iter().map(char::from).collect::<String>());
    proptest::collection::vec(word, 0..3)
        .prop_map(|w| w.join("-"))
        // Channels the alias table leaves as they are ("cpc" would come back as paid-search).
        .prop_filter(
            "an alias of another channel",
            |c| !matches!(Aliases::default().channel(c), Channel::Known(slug) if slug != *c),
        )
        .boxed()
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e12..1e12f64,
        (-1_000_000_000i64..1_000_000_000).prop_map(|i| i as f64),
        (-100_000_000_000i64..100_000_000_000).prop_map(|c| c as f64 / 100.0),
        (0.0..1.0f64),
    ]
}

fn rows(with_channel: bool) -> impl Strategy<Value = Vec<Row>> {
    let day = (0i64..60_000).prop_map(|d| NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(d));
    let key = (day, metric_key(), channel(with_channel));
    proptest::collection::btree_map(key, (value(), any::<u32>()), 0..40)
        .prop_map(|m: Rows| m.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
}

fn render_date(d: NaiveDate, style: u32) -> String {
    match style % 5 {
        0 => d.format("%Y-%m-%d").to_string(),
        1 => d.format("%Y%m%d").to_string(),
        2 => format!("{}/{}/{}", d.month(), d.day(), d.year()),
        3 => format!("{} {}, {}", &MONTHS[d.month0() as usize][..3], d.day(), d.year()),
        _ => format!("{} {}, {}", MONTHS[d.month0() as usize], d.day(), d.year()),
    }
}

fn group(int: &str, sep: char) -> String {
    let (sign, digits) = int.split_at(usize::from(int.starts_with('-')));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// Writes a value the way a person or spreadsheet might, with the file's decimal mark.
fn render_value(v: f64, style: u32, decimal: Decimal) -> String {
    let plain = format!("{v}");
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let (dec, grp) = match decimal {
        Decimal::Dot => ('.', ','),
        Decimal::Comma => (',', '.'),
    };
    let with = |int: String| if frac.is_empty() { int } else { format!("{int}{dec}{frac}") };
    match style % 5 {
        1 => format!("{}%", with(int.to_string())),
        2 => with(group(int, grp)),
        3 => format!("${}", with(int.to_string())),
        4 => format!(" {} ", with(int.to_string())),
        _ => with(int.to_string()),
    }
}

fn render_channel(slug: &str, style: u32) -> String {
    match style % 4 {
        0 => slug.to_string(),
        1 => slug.replace('-', " ").to_uppercase(),
        2 => slug.replace('-', "_"),
        _ => slug
            .split('-')
            .map(|w| w.get(..1).unwrap_or("").to_uppercase() + w.get(1..).unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn field(s: &str, sep: char) -> String {
    if s.contains(sep) || s.contains('"') { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_valid_kpi_csv_round_trips(
        (with_channel, rows) in any::<bool>().prop_flat_map(|c| (Just(c), rows(c))),
        sep in prop_oneof![Just(','), Just(';'), Just('\t')],
        tab_decimal in prop_oneof![Just(Decimal::Dot), Just(Decimal::Comma)],
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        header_style in 0u32..3,
        crlf in any::<bool>(),
        encoding in 0u32..3,
    ) {
        let names = ["date", "metric", "value", "channel"];
        let cols: Vec<usize> = order.into_iter().filter(|&c| c < 3 || with_channel).collect();
        let eol = if crlf { "\r\n" } else { "\n" };
        let header: Vec<String> = cols
            .iter()
            .map(|&c| match header_style {
                0 => names[c].to_string(),
                1 => names[c].to_uppercase(),
                _ => names[c][..1].to_uppercase() + &names[c][1..],
            })
            .collect();
        let mut text = header.join(&sep.to_string()) + eol;
        let mut want = Vec::new();
        // The separator decides the decimal mark; a tab file is decided by its own cells.
        let decimal = match sep {
            ',' => Decimal::Dot,
            ';' => Decimal::Comma,
            _ => tab_decimal,
        };
        let mut settled: Option<Decimal> = None;
        let mut ambiguous = false;
        for (i, ((day, metric, channel), (value, style))) in rows.iter().enumerate() {
            let cells: Vec<String> = cols
                .iter()
                .map(|&c| match c {
                    0 => render_date(*day, style >> 8),
                    1 => metric.clone(),
                    2 => {
                        let cell = render_value(*value, *style, decimal);
                        match evidence(&cell) {
                            Some(Evidence::Decides(d)) => { settled.get_or_insert(d); }
                            Some(Evidence::Ambiguous) => ambiguous = true,
                            None => {}
                        }
                        cell
                    }
                    _ => render_channel(channel, style >> 16),
                })
                .map(|s| field(&s, sep))
                .collect();
            text.push_str(&cells.join(&sep.to_string()));
            text.push_str(eol);
            want.push(Fact::Kpi {
                line: i + 2,
                key: format!("{}|{metric}|{channel}", day.format("%Y-%m-%d")),
                metric: metric.clone(),
                day: *day,
                channel: channel.clone(),
                campaign: None,
                value: *value,
            });
        }
        let bytes: Vec<u8> = match encoding {
            0 => text.into_bytes(),
            1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            _ => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        };
        prop_assert_eq!(imp::detect(&bytes), Some(Preset::KpiCsv));
        // Written month first (style 2): the flag settles the files whose dates could be either.
        let opts = ParseOptions { date_order: Some(DayOrder::Mdy), ..ParseOptions::new(None) };
        let parsed = imp::parse_with(&bytes, &opts);
        if sep == '\t' && settled.is_none() && ambiguous {
            // Every number could be read two ways and nothing settles it: refused, one line.
            let errs = parsed.err().unwrap_or_default();
            prop_assert_eq!(errs.len(), 1);
            prop_assert!(errs[0].message.contains("could be read with '.' or ','"), "{}", errs[0]);
            return Ok(());
        }
        prop_assert_eq!(settled.unwrap_or(decimal), decimal);
        prop_assert!(parsed.is_ok(), "{:?}", parsed.err());
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.rows_read, rows.len());
        prop_assert_eq!(parsed.facts, want);
    }
}

/// Builds a kpi-csv with `n` distinct (date, metric, channel) rows.
fn big_kpi_csv(n: usize) -> String {
    let metrics = ["sessions", "leads", "mqls", "sqls", "opps", "pipeline", "spend", "clicks", "impressions", "won"];
    let channels = ["paid-social", "Organic Search", "email", "paid_search", "direct"];
    let start = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let mut text = String::with_capacity(n * 48);
    text.push_str("date,metric,value,channel\n");
    for i in 0..n {
        let day = start + chrono::Duration::days((i / 50) as i64);
        let metric = metrics[(i / 5) % 10];
        let channel = channels[i % 5];
        text.push_str(&format!("{},{metric},{}.{},{channel}\n", day.format("%Y-%m-%d"), i % 100_000, i % 100));
    }
    text
}

#[test]
#[ignore = "timing; run with: cargo test --release --test it import_prop -- --ignored --nocapture"]
fn one_million_kpi_rows() {
    let text = big_kpi_csv(1_000_000);
    let t = Instant::now();
    let parsed = imp::parse(text.as_bytes(), Some(Preset::KpiCsv));
    let elapsed = t.elapsed();
    let parsed = parsed.unwrap_or_else(|e| panic!("{:?}", &e[..e.len().min(3)]));
    assert_eq!(parsed.facts.len(), 1_000_000);
    println!("parsed 1,000,000 kpi-csv rows ({} MB) in {elapsed:?}", text.len() / 1_000_000);
    if !cfg!(debug_assertions) {
        assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    }
}
