//! The morning dashboard, KPI entry and the brief, as the director meets them.

use crate::common::Sandbox;

fn render(s: &Sandbox, w: &str, h: &str, keys: &str) -> String {
    s.ok(&["render", "dashboard", "--width", w, "--height", h, "--keys", keys])
}

#[test]
fn the_morning_dashboard_at_120x40() {
    let s = Sandbox::demo();
    let screen = render(&s, "120", "40", "");
    // Yesterday's paid-social CPL jump leads the attention list, with how far and which way.
    assert!(screen.contains("paid-social CPL"), "{screen}");
    assert!(screen.contains("LinkedIn ABM pacing over +12%"), "{screen}");
    assert!(screen.contains("decision overdue"), "{screen}");
    assert!(screen.contains("09:00 next Ad performance review"), "{screen}");
    insta::assert_snapshot!("dashboard_120x40", screen);
}

#[test]
fn the_morning_dashboard_fits_80x24() {
    let s = Sandbox::demo();
    let screen = render(&s, "80", "24", "");
    for line in screen.lines() {
        assert_eq!(line.chars().count(), 80, "a line overflows: {line}");
    }
    assert!(screen.contains("paid-social CPL"), "{screen}");
    assert!(screen.contains("09:00 Ad performance review (next)"), "{screen}");
    insta::assert_snapshot!("dashboard_80x24", screen);
}

#[test]
fn enter_on_the_cpl_anomaly_opens_its_chart_and_channel_breakdown() {
    let s = Sandbox::demo();
    let screen = render(&s, "120", "40", "Enter");
    assert!(screen.contains("Blended CPL by day"), "{screen}");
    assert!(screen.contains("By channel"), "{screen}");
    assert!(screen.contains("paid-social"), "{screen}");
    insta::assert_snapshot!("drilldown_cpl_120x40", screen);
    // Esc goes back to the dashboard.
    let back = render(&s, "120", "40", "Enter Esc");
    assert!(back.contains("Attention ·"), "{back}");
}

#[test]
fn p_switches_the_tiles_between_day_week_month_and_quarter() {
    let s = Sandbox::demo();
    let quarter = render(&s, "80", "24", "p");
    assert!(quarter.contains("Q4 2026 to date (50 of 92 days)"), "{quarter}");
    // Then the periods just closed, named as such.
    let last_month = render(&s, "80", "24", "p p");
    assert!(last_month.contains("October 2026, closed"), "{last_month}");
    let last_quarter = render(&s, "80", "24", "p p p");
    assert!(last_quarter.contains("Q3 2026, closed"), "{last_quarter}");
    let day = render(&s, "80", "24", "p p p p");
    assert!(day.contains("Thu 19 Nov (latest complete day)"), "{day}");
    let week = render(&s, "80", "24", "p p p p p");
    assert!(week.contains("W47 2026 to date (4 of 7 days)"), "{week}");
    let month = render(&s, "80", "24", "p p p p p p");
    assert!(month.contains("Nov 2026 to date (19 of 30 days)"), "{month}");
}

#[test]
fn recording_a_kpi_through_the_form_reads_back_with_kpi_list() {
    let s = Sandbox::demo();
    let screen = render(&s, "120", "40", "r leads Tab Tab 1,234 Tab email Enter");
    assert!(screen.contains("recorded leads 1,234 for 2026-11-20"), "{screen}");
    let listed = s.ok(&["kpi", "list", "--metric", "leads", "--from", "2026-11-20"]);
    assert!(listed.contains("2026-11-20") && listed.contains("email") && listed.contains("1,234"), "{listed}");
}

#[test]
fn a_value_that_does_not_fit_the_unit_keeps_the_form_open_and_saves_nothing() {
    let s = Sandbox::demo();
    let screen = render(&s, "120", "40", "r leads Tab Tab 12.5% Enter");
    assert!(screen.contains("not a count value"), "{screen}");
    let listed = s.ok(&["kpi", "list", "--metric", "leads", "--from", "2026-11-20"]);
    assert!(listed.contains("no observations"), "{listed}");
}

#[test]
fn an_entry_is_edited_and_deleted_from_the_drill_down_after_a_confirmation() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    s.ok(&["kpi", "record", "leads", "40", "--date", "2026-11-19", "--channel", "email"]);
    // Tile 1 is Leads: l moves to tiles (tile 2), h back to tile 1, Enter opens it.
    let edited = render(&s, "120", "40", "l h Enter e C-u 45 Enter");
    assert!(edited.contains("updated #1: leads 45 for 2026-11-19"), "{edited}");
    let listed = s.ok(&["kpi", "list", "--metric", "leads"]);
    assert!(listed.contains("45") && !listed.contains(" 40"), "{listed}");
    let kept = render(&s, "120", "40", "l h Enter x n");
    assert!(kept.contains("nothing changed"), "{kept}");
    let deleted = render(&s, "120", "40", "l h Enter x y");
    assert!(deleted.contains("deleted #1 leads 45"), "{deleted}");
    assert!(s.ok(&["kpi", "list"]).contains("no observations"));
}

#[test]
fn kpi_record_reads_values_as_people_type_them() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    assert!(s.ok(&["kpi", "record", "leads", "1,234"]).contains("recorded leads 1,234 for 2026-11-20"));
    let out = s.ok(&["kpi", "record", "spend", "$1,234.50", "--date", "yesterday", "--channel", "email"]);
    assert!(out.contains("$1,234.50 for 2026-11-19 in email"), "{out}");
    let json = s.ok(&["kpi", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let values: Vec<f64> = rows.as_array().unwrap().iter().map(|r| r["value"].as_f64().unwrap()).collect();
    assert!(values.contains(&1234.0) && values.contains(&1234.5), "{json}");
    let err = s.fails(&["kpi", "record", "leads", "12.5%"], 2);
    assert!(err.contains("'12.5%' is not a count value"), "{err}");
}

#[test]
fn an_unknown_metric_lists_the_close_matches() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    let err = s.fails(&["kpi", "record", "leds", "5"], 2);
    assert!(err.starts_with("error: unknown metric 'leds'; did you mean leads"), "{err}");
    let err = s.fails(&["kpi", "record", "cpl", "40"], 2);
    assert!(err.contains("computed from spend/leads"), "{err}");
}

#[test]
fn a_week_target_wins_over_the_scaled_month_default() {
    let s = Sandbox::demo();
    assert!(s.ok(&["kpi", "target", "leads", "1,500", "--period", "2026-W47"]).contains("2026-W47: 1,500"));
    let json = s.ok(&["brief", "--format", "json", "--period", "week"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let leads = v["kpis"].as_array().unwrap().iter().find(|k| k["metric"] == "leads").unwrap().clone();
    assert_eq!(leads["target"], 1500.0);
    let err = s.fails(&["kpi", "target", "leads", "10", "--period", "2026-11-20"], 2);
    assert!(err.contains("is a day"), "{err}");
}

#[test]
fn the_brief_as_json_has_a_stable_shape() {
    let s = Sandbox::demo();
    let v: serde_json::Value = serde_json::from_str(&s.ok(&["brief", "--format", "json"])).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["today"], "2026-11-20");
    assert_eq!(v["data_through"], "2026-11-19");
    assert_eq!(v["period"]["name"], "2026-11");
    assert_eq!(v["period"]["current"]["to"], "2026-11-19");
    assert_eq!(v["period"]["previous"]["from"], "2026-10-01");
    let kpis = v["kpis"].as_array().unwrap();
    let keys: Vec<&str> = kpis.iter().map(|k| k["metric"].as_str().unwrap()).collect();
    assert_eq!(keys, ["leads", "mqls", "sqls", "pipeline", "cpl", "spend", "roas"]);
    // Money is integer cents: the pipeline target of $2,400,000 is 240000000.
    let pipeline = &kpis[3];
    assert_eq!(pipeline["target"], 240_000_000);
    assert!(pipeline["value"].is_i64());
    assert_eq!(v["budget"]["planned_cents"].as_i64().map(|c| c > 0), Some(true));
    for k in kpis {
        for field in
            ["label", "unit", "direction", "value", "target", "expected", "previous", "change", "pace", "behind"]
        {
            assert!(k.get(field).is_some(), "kpi {} lacks {field}", k["metric"]);
        }
    }
    let attention = v["attention"].as_array().unwrap();
    assert_eq!(attention[0]["rank"], 1);
    assert_eq!(attention[0]["link"], serde_json::json!({"kind": "kpi", "metric": "cpl"}));
    let anomalies = v["anomalies"].as_array().unwrap();
    let cpl = anomalies.iter().find(|a| a["metric"] == "cpl" && a["channel"] == "paid-social").unwrap();
    assert_eq!(
        (cpl["day"].as_str(), cpl["direction"].as_str(), cpl["good"].as_bool()),
        (Some("2026-11-19"), Some("up"), Some(false))
    );
    // The organic leads spike three days ago is there too, as good news.
    assert!(anomalies.iter().any(|a| a["metric"] == "leads" && a["channel"] == "organic" && a["day"] == "2026-11-17"));
    assert!(v["agenda"][0]["next"].as_bool().unwrap());
    assert_eq!(
        v["decisions_due"].as_array().unwrap().iter().filter(|d| d["overdue_days"].as_i64() > Some(0)).count(),
        3,
        "two decisions and the webinar post-mortem's follow-up"
    );
}

#[test]
fn the_brief_in_text_and_markdown_says_what_the_dashboard_says() {
    let s = Sandbox::demo();
    let text = s.ok(&["brief"]);
    assert!(text.contains("paid-social CPL $221 vs $47 usual"), "{text}");
    assert!(text.contains("09:00-09:30 Ad performance review (0/4) <- next"), "{text}");
    let md = s.ok(&["brief", "--format", "markdown"]);
    assert!(md.starts_with("# Morning brief, Fri 20 Nov 2026 08:45"), "{md}");
    // Paced by the calendar: 19 days of November hold more than 19/30 of its weekday volume;
    // the target is still the role template's (marked).
    assert!(md.contains("| Pipeline created | $1.25M | $2.40M\\* | -21% behind |"), "{md}");
    let screen = render(&s, "120", "40", "");
    assert!(screen.contains("$1.25M") && screen.contains("-21% behind"), "{screen}");
}

/// The frame as text.
fn frame(app: &mut mktg::tui::App<'_>, term: &mut ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    term.draw(|f| app.draw(f)).expect("draw");
    mktg::tui::buffer_to_text(term.backend().buffer())
}

#[test]
fn another_process_writing_leaves_the_last_brief_on_screen_marked_refreshing_until_the_new_one_is_ready() {
    let s = Sandbox::demo();
    let store = mktg::store::Store::open(&s.db()).expect("store");
    let config = mktg::config::Config::default();
    let clock = mktg::clock::Clock::frozen(mktg::clock::parse_now(crate::common::NOW).expect("now"));
    let mut app = mktg::tui::App::new(&store, &config, clock, mktg::tui::theme::Theme::plain()).expect("app");
    app.run_jobs_in_background();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    // The first frame is computed before it is drawn: there is nothing older to show.
    let first = frame(&mut app, &mut term);
    assert!(first.contains("now  Leads 2,"), "{first}");
    assert!(!first.contains("refreshing"), "{first}");
    assert!(app.take_job().is_none());

    s.ok(&["kpi", "record", "leads", "500", "--date", "2026-11-19", "--channel", "email"]);
    assert!(app.on_tick(), "the tick notices the other process's write");
    let during = frame(&mut app, &mut term);
    assert!(during.contains("refreshing"), "{during}");
    let funnel = |screen: &str| screen.lines().find(|l| l.contains("now  Leads")).map(str::to_string);
    assert_eq!(funnel(&during), funnel(&first), "the last numbers stay while the new ones are computed");
    // Keys are answered meanwhile, from the brief on screen.
    app.on_key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('l')));
    assert!(frame(&mut app, &mut term).contains("refreshing"));

    let (job, db, now) = app.take_job().expect("the refresh runs as a background job");
    app.job_done(job.run(&db, now));
    let after = frame(&mut app, &mut term);
    assert!(!after.contains("refreshing"), "{after}");
    assert_ne!(funnel(&after), funnel(&first), "{after}");
    assert!(app.take_job().is_none(), "one refresh for one write");
}

#[test]
fn the_top_bar_follows_a_currency_another_process_sets_and_help_is_the_same_each_time() {
    let s = Sandbox::new();
    s.ok(&["init", "--role", "demand-gen"]);
    let store = mktg::store::Store::open(&s.db()).expect("store");
    let config = mktg::config::Config::default();
    let clock = mktg::clock::Clock::frozen(mktg::clock::parse_now(crate::common::NOW).expect("now"));
    let mut app = mktg::tui::App::new(&store, &config, clock, mktg::tui::theme::Theme::plain()).expect("app");
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    let top = |screen: &str| screen.lines().next().unwrap_or_default().to_string();
    assert!(top(&frame(&mut app, &mut term)).contains(" USD · "));
    // The currency is kept between frames (a key reads nothing from the store), until the data moves.
    s.ok(&["init", "--role", "demand-gen", "--currency", "EUR"]);
    assert!(app.on_tick(), "the tick notices the other process's write");
    assert!(top(&frame(&mut app, &mut term)).contains(" EUR · "), "{}", frame(&mut app, &mut term));
    // Help is built once per view and kept: opened again, it shows the same keys.
    let key = |c: char| crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
    app.on_key(key('?'));
    let first = frame(&mut app, &mut term);
    assert!(first.contains("Keys: Dashboard"), "{first}");
    app.on_key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc));
    assert!(!frame(&mut app, &mut term).contains("Keys: Dashboard"));
    app.on_key(key('?'));
    assert_eq!(frame(&mut app, &mut term), first);
}
