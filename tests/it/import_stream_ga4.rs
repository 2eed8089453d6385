//! A daily GA4 export is written while it is still being parsed (like a kpi-csv), and lands
//! exactly as when it is parsed first: same facts, rollups and log, rows of one day summed
//! where two labels name one channel. A row summed into a fact
//! already written (two labels of one channel, far apart in the file) takes the stream back,
//! and the file is then written whole, with the sum.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Days, NaiveDate, NaiveDateTime};
use mktg::io::import::{ParseOptions, fingerprint, parse, parse_streaming};
use mktg::store::Store;
use mktg::store::imports::{ImportOutcome, ImportRequest, StreamRequest, Streamed};

/// Cross-network is paid search in the alias table: summed into Paid Search's facts of its day.
const CHANNELS: [&str; 9] = [
    "Organic Search",
    "Direct",
    "Paid Search",
    "Paid Social",
    "Email",
    "Referral",
    "Display",
    "Organic Social",
    "Cross-network",
];
/// Days of rows: 8 channels x 3 metrics a row, several of the parser's batches.
const DAYS: u64 = 1_500;

fn now() -> NaiveDateTime {
    mktg::clock::parse_now("2026-11-20T08:45").expect("now")
}

/// GA4 Traffic acquisition as downloaded: the preamble, then newest day first.
fn ga4(extra: &[&str]) -> String {
    let end = NaiveDate::from_ymd_opt(2026, 11, 19).expect("day");
    let start = end - Days::new(DAYS - 1);
    let mut text = String::from("# Traffic acquisition: Session primary channel group (Default Channel Group)\n");
    let _ = writeln!(text, "# Start date: {}\n# End date: {}", start.format("%Y%m%d"), end.format("%Y%m%d"));
    text.push_str("Session primary channel group (Default Channel Group),Date,Sessions,Engaged sessions,Key events\n");
    for d in 0..DAYS {
        let day = (end - Days::new(d)).format("%Y%m%d");
        for (c, name) in CHANNELS.iter().enumerate() {
            let h = (d as usize * 7919 + c * 104_729) % 1_000_003;
            let _ = writeln!(text, "{name},{day},{},{},{}", 20 + h % 400, 10 + h % 200, h % 9);
        }
    }
    for row in extra {
        let _ = writeln!(text, "{row}");
    }
    text
}

fn store(path: &Path) -> Store {
    let s = Store::create(path, false).expect("store");
    s.write(|tx| tx.meta().init_role(mktg::assets::Role::DemandGen, now())).expect("init");
    s
}

/// Imports `text` the way `mktg import` does (streamed, or parsed first when it must be).
fn streamed(store: &Store, text: &str) {
    let bytes = text.as_bytes();
    let print = fingerprint(bytes);
    let (to_store, batches) = std::sync::mpsc::sync_channel(4);
    std::thread::scope(|s| {
        let parser = s.spawn(|| parse_streaming(bytes, &ParseOptions::new(None), to_store));
        let finish = || parser.join().expect("parser");
        let first = batches.recv().expect("a daily GA4 export streams");
        let req = StreamRequest {
            file_name: "ga4.csv",
            fingerprint: &print,
            now: now(),
            dry_run: false,
            estimated_facts: 1,
            user: "dana",
        };
        match store.imports().import_streamed(&req, first, batches, finish, &mut |_, _| {}).expect("import") {
            Streamed::Done(ImportOutcome::Imported(_), _) => {}
            Streamed::Done(ImportOutcome::Refused(e), _) => panic!("refused: {e:?}"),
            Streamed::Done(..) => panic!("already imported"),
            Streamed::ParseFailed(e) => panic!("parse: {e:?}"),
        }
    })
}

/// Parsed whole, then written (the path every other preset takes).
fn parsed_first(store: &Store, text: &str) {
    let parsed = parse(text.as_bytes(), None).expect("parse");
    let print = fingerprint(text.as_bytes());
    let req = ImportRequest {
        file_name: "ga4.csv",
        fingerprint: &print,
        parsed: &parsed,
        now: now(),
        dry_run: false,
        user: "dana",
    };
    match store.imports().import(&req, &mut |_, _| {}).expect("import") {
        ImportOutcome::Imported(_) => {}
        ImportOutcome::Refused(e) => panic!("refused: {e:?}"),
        ImportOutcome::AlreadyImported { .. } => panic!("already imported"),
    }
}

/// Every table an import writes, ordered, without row ids.
fn dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut out = Vec::new();
    for sql in [
        "SELECT metric, day, channel, campaign_id, quote(value), import_id, source_key, created_at FROM kpi_obs
         ORDER BY metric, day, channel",
        "SELECT metric, day, source, quote(sum), n FROM kpi_day ORDER BY 1, 2, 3",
        "SELECT * FROM kpi_channel ORDER BY 1, 2",
        "SELECT * FROM kpi_feed ORDER BY 1, 2",
        "SELECT * FROM kpi_channel_month ORDER BY 1, 2, 3",
        "SELECT id, file_name, preset, range_start, range_end, rows_read, skipped, source, notes, created, updated,
                unchanged, removed, campaigns_created, kept FROM import_log ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).expect("prepare");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                use rusqlite::types::ValueRef;
                let cell = |i| match r.get_ref(i) {
                    Ok(ValueRef::Null) => "NULL".to_string(),
                    Ok(ValueRef::Integer(n)) => n.to_string(),
                    Ok(ValueRef::Real(f)) => format!("{f:?}"),
                    Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
                    Ok(ValueRef::Blob(_)) | Err(_) => "?".to_string(),
                };
                let cells: Vec<String> = (0..n).map(cell).collect();
                Ok(cells.join("|"))
            })
            .expect("query");
        out.extend(rows.map(|r| r.expect("row")));
    }
    out
}

fn both_ways(text: &str) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().expect("dir");
    let (a, b) = (dir.path().join("streamed.db"), dir.path().join("parsed.db"));
    streamed(&store(&a), text);
    parsed_first(&store(&b), text);
    (dump(&a), dump(&b))
}

#[test]
fn a_daily_ga4_export_streams_into_the_same_store_as_parsed_first() {
    let (streamed, parsed) = both_ways(&ga4(&[]));
    assert_eq!(streamed.len(), parsed.len());
    assert!(streamed == parsed, "the two stores differ");
    // The facts of the day (not its rollup row, whose third column is the source).
    let facts =
        streamed.iter().filter(|r| r.starts_with("sessions|2026-11-19|") && !r.contains("|2026-11-19|ga4|")).count();
    assert_eq!(facts, CHANNELS.len() - 1, "the newest day is in, Cross-network summed into paid search");
}

#[test]
fn a_row_summed_into_a_fact_already_written_takes_the_stream_back() {
    // "(direct)" is Direct in the alias table: on the newest day (in the first batch) it is
    // summed into Direct's facts, which the writer already holds.
    let text = ga4(&["(direct),20261119,1000,500,7"]);
    let (streamed, parsed) = both_ways(&text);
    assert!(streamed == parsed, "the two stores differ");
    let direct = streamed
        .iter()
        .find(|r| r.starts_with("sessions|2026-11-19|direct|"))
        .expect("direct's sessions on the newest day");
    // Direct's own row that day (day 0, channel 1 of `ga4`): 20 + 104,729 % 400 sessions.
    let own = 20 + 104_729 % 400;
    assert!(direct.contains(&format!("|{}.0|", 1000 + own)), "summed: {direct}");
}
