//! Issue #13, end to end: files in the byte shapes people really export (GA4's comment preamble,
//! Google Ads and LinkedIn as UTF-16 with tabs, Excel with a BOM and CRLF, HubSpot's two export
//! forms) either land the numbers asserted here, or are refused with the one line asserted here
//! and nothing written. The files are our reconstructions (tests/fixtures/import, synthetic numbers).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::common::Sandbox;

pub const NOV20: &str = "2026-11-20T08:45";
/// For the November month-total files: the month is over.
pub const DEC01: &str = "2026-12-01T08:00";

pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name).to_string_lossy().into_owned()
}

/// A store kept in one currency, run at one clock.
pub struct Store {
    pub s: Sandbox,
    pub now: &'static str,
}

impl Store {
    pub fn new(currency: &str, now: &'static str) -> Store {
        let st = Store { s: Sandbox::new(), now };
        st.ok(&["init", "--currency", currency]);
        st
    }

    /// A demo store (seed 1) ending at `now`.
    pub fn demo(now: &'static str) -> Store {
        let st = Store { s: Sandbox::new(), now };
        st.ok(&["demo", "--seed", "1", "--days", "120"]);
        st
    }

    pub fn config(&self, toml: &str) {
        std::fs::write(self.s.path("config.toml"), toml).expect("config");
    }

    /// `mktg --db <store> --now <this store's clock> --config <sandbox config> args...`
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_mktg"));
        c.arg("--db").arg(self.s.db()).arg("--now").arg(self.now);
        c.arg("--config").arg(self.s.path("config.toml"));
        c.args(args);
        c.env_remove("MKTG_DB").env_remove("MKTG_NOW").env_remove("MKTG_CONFIG").env("NO_COLOR", "1");
        c.output().expect("run mktg")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "mktg {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    }

    pub fn import(&self, name: &str, extra: &[&str]) -> String {
        let f = fixture(name);
        let mut args = vec!["import", f.as_str()];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// Imports a file that must be refused: exit 2, nothing written; returns the first problem
    /// line without the directory part of the path.
    pub fn refused(&self, name: &str, extra: &[&str]) -> String {
        let before = self.counts();
        let f = fixture(name);
        let mut args = vec!["import", f.as_str()];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(self.counts(), before, "{name}: a refused file wrote something");
        // One line: `error: FILE:LINE: COLUMN: WHAT; nothing was imported` (more problems: on stdout).
        let line = err.lines().next().unwrap_or_default();
        assert_eq!(err.lines().count(), 1, "{err}");
        let line = line.strip_prefix("error: ").unwrap_or(line);
        let line = line.strip_suffix("; nothing was imported").unwrap_or_else(|| panic!("{err}"));
        let line = line.split(" (and ").next().unwrap_or(line);
        let dir = format!("{}/", Path::new(&f).parent().expect("dir").display());
        line.replace(&dir, "")
    }

    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.s.db()).expect("open store")
    }

    fn counts(&self) -> Vec<i64> {
        let c = self.db();
        ["kpi_obs", "kpi_period", "kpi_obs_kept", "spend", "campaign", "import_log"]
            .iter()
            .map(|t| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).expect(t))
            .collect()
    }

    fn lines(&self, sql: &str) -> Vec<String> {
        let c = self.db();
        let mut stmt = c.prepare(sql).expect(sql);
        stmt.query_map([], |r| {
            let n = r.as_ref().column_count();
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                cells.push(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Real(v) => num(v),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Null => "-".into(),
                    rusqlite::types::ValueRef::Blob(_) => "?".into(),
                });
            }
            Ok(cells.join(" "))
        })
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
    }

    /// Counted daily facts, summed over campaigns: "day metric channel value".
    pub fn daily(&self) -> Vec<String> {
        self.lines(
            "SELECT day, metric, channel, sum(value) FROM kpi_obs GROUP BY day, metric, channel
             ORDER BY day, metric, channel",
        )
    }

    /// Period totals, summed over campaigns: "from..to metric channel value".
    pub fn periods(&self) -> Vec<String> {
        self.lines(
            "SELECT day_from || '..' || day_to, metric, channel, sum(value) FROM kpi_period
             GROUP BY day_from, day_to, metric, channel, import_id ORDER BY import_id, metric, channel",
        )
    }

    /// Per metric: the sum of the period totals (every source's, counted or not).
    pub fn period_sums(&self) -> BTreeMap<String, f64> {
        let c = self.db();
        let mut stmt = c.prepare("SELECT metric, sum(value) FROM kpi_period GROUP BY metric").expect("q");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("row")).collect()
    }

    /// "day [from] campaign channel cents" of every spend entry.
    pub fn spend(&self) -> Vec<String> {
        self.lines(
            "SELECT s.day, coalesce(s.period_from, '-'), c.name, c.channel, s.amount_cents FROM spend s
             JOIN campaign c ON c.id = s.campaign_id ORDER BY s.day, c.name, s.id",
        )
    }

    pub fn campaigns(&self) -> Vec<String> {
        self.lines("SELECT name, channel FROM campaign ORDER BY id")
    }

    /// What the cockpit counts for `metric` over `from..=to` (daily facts and the period totals
    /// the precedence picks), through the store's own cube.
    pub fn counted(&self, metric: &str, channel: Option<&str>, from: &str, to: &str) -> f64 {
        let store = mktg::store::Store::open(&self.s.db()).expect("open");
        let (a, b) = (day(from), day(to));
        let cube = store.kpis().cube(&[metric.to_string()], a, b).expect("cube");
        cube.range(metric, channel, a, b).sum
    }
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("day")
}

/// A stored number as a person reads it: 412.3, 1234, 10.5.
fn num(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{}", (v * 100.0).round() / 100.0) }
}

pub fn lines(s: &str) -> Vec<String> {
    s.split_whitespace().collect::<Vec<_>>().chunks(4).map(|c| c.join(" ")).collect()
}

// ---- 1. Two GA4 reports of one month are two sources ----------------------------------------

#[test]
fn two_ga4_reports_of_one_month_keep_both_in_either_order_and_reimport_changes_nothing() {
    let traffic = "ga4-traffic-acquisition-no-date.csv";
    let user = "ga4-user-acquisition-no-date.csv";
    let mut seen = Vec::new();
    for order in [[traffic, user], [user, traffic]] {
        let st = Store::new("USD", NOV20);
        for f in order {
            st.import(f, &[]);
        }
        let sums = st.period_sums();
        assert_eq!(sums["sessions"], 8431.0);
        assert_eq!(sums["engaged_sessions"], 5370.0);
        assert_eq!(sums["new_users"], 5662.0);
        assert_eq!(sums["key_events"], 133.0 + 131.0, "both reports' key events are kept");
        // ...but counted once: the session-scoped report's, by the documented precedence.
        assert_eq!(st.counted("key_events", None, "2026-10-01", "2026-10-31"), 133.0, "never 264");
        assert_eq!(st.counted("key_events", Some("paid-search"), "2026-10-01", "2026-10-31"), 36.0);
        assert_eq!(st.counted("new_users", None, "2026-10-01", "2026-10-31"), 5662.0);
        assert_eq!(st.counted("sessions", Some("paid-search"), "2026-10-01", "2026-10-31"), 1300.0);
        // A period total never shows in a daily series.
        assert!(st.daily().is_empty(), "{:?}", st.daily());
        let before = st.periods();
        for f in order {
            let out = st.import(f, &[]);
            assert!(out.contains("already imported"), "{out}");
        }
        assert_eq!(st.periods(), before);
        seen.push(before.len());
    }
    assert_eq!(seen, vec![21 + 14, 21 + 14]);
}

#[test]
fn the_second_report_says_which_source_is_counted() {
    let st = Store::new("USD", NOV20);
    st.import("ga4-traffic-acquisition-no-date.csv", &[]);
    let out = st.import("ga4-user-acquisition-no-date.csv", &[]);
    assert!(out.contains("7 not counted where #1 (ga4, session channel group) is: it ranks first"), "{out}");
    assert!(out.contains("source             ga4, first-user channel group"), "{out}");
}

#[test]
fn a_report_that_outranks_an_earlier_one_says_which_of_its_facts_no_longer_count() {
    let st = Store::new("USD", NOV20);
    st.import("ga4-user-acquisition-no-date.csv", &[]);
    let out = st.import("ga4-traffic-acquisition-no-date.csv", &[]);
    assert!(
        out.contains(
            "no longer counted  7 key_events facts of #1 (ga4, first-user channel group): this report ranks first \
             for them; kept, not deleted"
        ),
        "{out}"
    );
    assert_eq!(st.counted("key_events", None, "2026-10-01", "2026-10-31"), 133.0);
}

// ---- 3. A report without a Day column is a period total -------------------------------------

#[test]
fn ga4_standard_report_without_a_date_is_a_period_total_naming_what_it_did_not_read() {
    let st = Store::new("USD", NOV20);
    let out = st.import("ga4-traffic-acquisition-no-date.csv", &[]);
    assert!(out.contains("period total 2026-10-01..2026-10-31 (no Day column)"), "{out}");
    assert!(out.contains("channels: Cross-network -> paid-search, Unassigned -> other"), "{out}");
    assert!(
        out.contains(
            "not read: Engagement rate, Average engagement time per session, Events per session, Event count, \
             Session key event rate, Total revenue"
        ),
        "{out}"
    );
    let sessions: Vec<String> = st.periods().into_iter().filter(|l| l.contains(" sessions ")).collect();
    assert_eq!(
        sessions,
        lines(
            "2026-10-01..2026-10-31 sessions direct 1880 2026-10-01..2026-10-31 sessions email 301 \
             2026-10-01..2026-10-31 sessions organic-search 4210 2026-10-01..2026-10-31 sessions organic-social 512 \
             2026-10-01..2026-10-31 sessions other 40 2026-10-01..2026-10-31 sessions paid-search 1300 \
             2026-10-01..2026-10-31 sessions referral 188"
        )
    );
    // Counted in every range it falls wholly inside (the quarter), in none it straddles.
    assert_eq!(st.counted("sessions", None, "2026-10-01", "2026-12-31"), 8431.0);
    assert_eq!(st.counted("sessions", None, "2026-10-01", "2026-10-30"), 0.0);
}

#[test]
fn a_month_total_google_ads_report_in_a_demo_store_raises_no_alert_and_no_spike() {
    let st = Store::demo("2026-12-01T08:45");
    let brief = |st: &Store| -> serde_json::Value {
        serde_json::from_str(&st.ok(&["brief", "--format", "json"])).expect("brief json")
    };
    let before = brief(&st);
    let last_day = |st: &Store| st.daily().into_iter().filter(|l| l.starts_with("2026-11-30")).collect::<Vec<_>>();
    let days_before = last_day(&st);
    let out = st.import("google-ads-month-total-no-day-en-us.csv", &[]);
    assert!(out.contains("period total 2026-11-01..2026-11-30 (no Day column)"), "{out}");
    let after = brief(&st);
    // Mentor mode may now ask who owns a campaign the file created: a question, not an alert.
    let alerts = |b: &serde_json::Value| -> Vec<serde_json::Value> {
        b["attention"].as_array().into_iter().flatten().filter(|a| a["group"] != "questions").cloned().collect()
    };
    assert_eq!(alerts(&after), alerts(&before), "no new alert");
    assert_eq!(after["anomalies"], before["anomalies"], "no anomaly");
    assert_eq!(last_day(&st), days_before, "nothing lands on 30 November");
}

#[test]
fn google_ads_month_total_en_gb_in_a_gbp_store_creates_only_active_campaigns() {
    let st = Store::new("GBP", DEC01);
    let out = st.import("google-ads-month-total-no-day-en-gb.csv", &[]);
    assert!(out.contains("period total 2026-11-01..2026-11-30 (no Day column)"), "{out}");
    assert!(
        out.contains(
            "3 campaigns without spend or activity, not created: Old - Display remarketing, Old - Competitor \
             terms, Test - Shopping"
        ),
        "{out}"
    );
    assert!(out.contains("Optimisation score"), "named as not read: {out}");
    assert_eq!(st.campaigns(), vec!["Brand - Search paid-search", "PMax - Hampers paid-search"]);
    assert_eq!(
        st.spend(),
        vec![
            "2026-11-30 2026-11-01 Brand - Search paid-search 123640",
            "2026-11-30 2026-11-01 PMax - Hampers paid-search 79888"
        ]
    );
    let sums = st.period_sums();
    assert_eq!((sums["clicks"], sums["impressions"], sums["conversions"]), (3413.0, 62197.0, 97.0));
    let spend = st.counted("spend", Some("paid-search"), "2026-11-01", "2026-11-30");
    assert_eq!((spend * 100.0).round(), 203_528.0);
    assert!(st.daily().is_empty());
    // In a dollar store the same file is refused naming both currencies.
    let usd = Store::new("USD", DEC01);
    assert_eq!(
        usd.refused("google-ads-month-total-no-day-en-gb.csv", &[]),
        "google-ads-month-total-no-day-en-gb.csv:4: Currency code: the file is in GBP but the store keeps USD; \
         convert it, or import it into a store kept in GBP (mktg init --currency GBP)"
    );
}

#[test]
fn google_ads_all_time_without_a_day_is_refused() {
    let st = Store::new("USD", NOV20);
    assert_eq!(
        st.refused("google-ads-all-time-no-day.csv", &[]),
        "google-ads-all-time-no-day.csv:2: -: the report covers \"All time\" and has no Day column, so its rows \
         cannot be dated; download it for a date range, or add the Day segment"
    );
}

// ---- Google Ads per day: UTF-16 and CSV forms, types, footers ---------------------------------

const ADS_DAILY: &str = "2026-11-01 clicks paid-search 406 2026-11-01 clicks video 22 \
     2026-11-01 conversions paid-search 10.5 2026-11-01 conversions video 0 \
     2026-11-01 impressions paid-search 41317 2026-11-01 impressions video 12050 \
     2026-11-01 spend paid-search 662.3 2026-11-01 spend video 80 \
     2026-11-02 clicks display 35 2026-11-02 clicks paid-search 492 \
     2026-11-02 conversions display 1 2026-11-02 conversions paid-search 12 \
     2026-11-02 impressions display 8400 2026-11-02 impressions paid-search 53207 \
     2026-11-02 spend display 60.4 2026-11-02 spend paid-search 1648.1";

#[test]
fn google_ads_utf16_daily_campaigns_land_by_type_and_the_csv_form_changes_nothing() {
    let st = Store::new("USD", NOV20);
    let out = st.import("google-ads-campaign-day-utf16-en-us.csv", &[]);
    assert!(out.contains("1x totals row ('Total: Account') (line 11)"), "{out}");
    assert_eq!(st.daily(), lines(ADS_DAILY));
    assert_eq!(
        st.campaigns(),
        vec![
            "Brand - Search paid-search",
            "PMax - All products paid-search",
            "YouTube - Launch video",
            "Demand Gen - Retarget display"
        ]
    );
    let total: i64 = st.spend().iter().map(|l| l.rsplit(' ').next().unwrap().parse::<i64>().unwrap()).sum();
    assert_eq!(total, 245_080, "= the file's Total: Account");
    let out = st.import("google-ads-campaign-day-csv-en-us.csv", &[]);
    assert!(out.contains("facts created      0") && out.contains("facts unchanged    30"), "{out}");
    assert!(out.contains("campaigns created  0"), "{out}");
    assert_eq!(st.daily(), lines(ADS_DAILY));
}

#[test]
fn google_ads_inr_with_indian_grouping_lands_in_an_inr_store_only() {
    let st = Store::new("INR", NOV20);
    st.import("google-ads-campaign-day-utf16-inr-en-in.csv", &[]);
    assert_eq!(
        st.spend(),
        vec![
            "2026-11-01 - Leads - Search paid-search 1825075",
            "2026-11-01 - Video views - Diwali video 540000",
            "2026-11-02 - Leads - Search paid-search 1799010"
        ]
    );
    let impressions: Vec<String> = st.daily().into_iter().filter(|l| l.contains("impressions")).collect();
    assert_eq!(
        impressions,
        lines(
            "2026-11-01 impressions paid-search 123456 2026-11-01 impressions video 210880 \
             2026-11-02 impressions paid-search 119004"
        )
    );
    let brief = st.ok(&["brief"]);
    assert!(brief.lines().next().unwrap_or_default().contains("amounts in INR"), "{brief}");
    let usd = Store::new("USD", NOV20);
    let line = usd.refused("google-ads-campaign-day-utf16-inr-en-in.csv", &[]);
    assert!(line.contains(":4: Currency code: the file is in INR but the store keeps USD"), "{line}");
}

#[test]
fn google_ads_campaign_types_map_by_their_real_labels_and_an_unknown_one_is_refused() {
    let st = Store::new("USD", NOV20);
    assert_eq!(
        st.refused("google-ads-campaign-types.csv", &[]),
        "google-ads-campaign-types.csv:18: Campaign type: unknown campaign type 'Multi-channel'; map it in \
         config: [channels.campaign_types] \"Multi-channel\" = \"paid-search\" (or another channel)"
    );
    st.config("[channels.campaign_types]\n\"Multi-channel\" = \"other\"\n");
    st.import("google-ads-campaign-types.csv", &[]);
    let spend: BTreeMap<String, f64> =
        st.daily().iter().filter(|l| l.contains(" spend ")).fold(BTreeMap::new(), |mut m, l| {
            let f: Vec<&str> = l.split(' ').collect();
            *m.entry(f[2].to_string()).or_default() += f[3].parse::<f64>().unwrap();
            m
        });
    let want: BTreeMap<String, f64> =
        [("paid-search", 97.0), ("display", 73.0), ("video", 58.0), ("other", 17.0 + 25.0)]
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
    assert_eq!(spend, want);
}

#[test]
fn run_report_by_campaign_counts_a_month_total_in_its_campaign_and_adds_up() {
    use mktg::brief::report::{RangeRequest, Request, run};
    let st = Store::new("GBP", DEC01);
    st.import("google-ads-month-total-no-day-en-gb.csv", &[]);
    let store = mktg::store::Store::open(&st.s.db()).expect("open");
    let req = |dimensions: &[&str]| Request {
        metrics: vec!["spend".into(), "clicks".into()],
        dimensions: dimensions.iter().map(|d| d.to_string()).collect(),
        date_ranges: vec![RangeRequest { start_date: "2026-11-01".into(), end_date: "2026-11-30".into(), name: None }],
        limit: None,
        offset: None,
    };
    let cells = |r: &mktg::brief::report::Report| -> Vec<Vec<String>> {
        r.rows
            .iter()
            .map(|row| {
                row.dimension_values
                    .iter()
                    .chain(&row.metric_values)
                    .map(|v| v.value.clone().unwrap_or_default())
                    .collect()
            })
            .collect()
    };
    let by_campaign = run(&store, &req(&["campaign"]), day("2026-11-30")).expect("report");
    assert_eq!(
        cells(&by_campaign),
        vec![vec!["Brand - Search", "1236.40", "2810"], vec!["PMax - Hampers", "798.88", "603"]]
    );
    let total = run(&store, &req(&[]), day("2026-11-30")).expect("report");
    assert_eq!(cells(&total), vec![vec!["2035.28", "3413"]]);
}
