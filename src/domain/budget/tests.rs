//! Hand-calculated checks of the budget figures.

use chrono::NaiveDate;

use super::*;
use crate::domain::pacing::PaceStatus;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn q(s: &str) -> Period {
    Period::parse(s).unwrap()
}

fn facts(id: i64, bucket: Bucket, planned: i64, spent: i64) -> CampaignFacts {
    CampaignFacts {
        id,
        name: format!("c{id}"),
        bucket: Some(bucket),
        planned_cents: planned,
        spent_cents: spent,
        paced_cents: spent,
        ..CampaignFacts::default()
    }
}

#[test]
fn on_the_first_day_of_a_quarter_nothing_is_expected_and_there_is_no_forecast() {
    let e = Elapsed::at(&q("2026-Q4"), day("2026-10-01"));
    assert_eq!((e.days, e.period_days, e.expected), (0, 92, 0.0));
    let r = CampaignRow::new(facts(1, Bucket::Core, 9_200_000, 0), e);
    assert_eq!(r.pace.status, PaceStatus::NotYet);
    assert_eq!(pace_label(&r.pace), "not yet");
    assert_eq!(r.forecast_cents, None);
}

#[test]
fn too_early_to_call_means_no_forecast_either() {
    // Three days into a quarter, 2% of the plan expected: a run-rate from that would be noise.
    let mut e = Elapsed::at(&q("2026-Q4"), day("2026-10-04"));
    e.min_share = 0.10;
    let r = CampaignRow::new(facts(1, Bucket::Core, 9_200_000, 300_000), e);
    assert_eq!(r.forecast_cents, None);
    e.min_share = 0.0;
    assert!(CampaignRow::new(facts(1, Bucket::Core, 9_200_000, 300_000), e).forecast_cents.is_some());
}

#[test]
fn mid_quarter_pacing_and_run_rate_match_a_hand_calculation() {
    // 20 Nov 2026: 31 (Oct) + 19 complete days of Nov = 50 of 92.
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    assert_eq!(e.days, 50);
    // Planned 92,000.00: 50,000.00 expected by now; 56,000.00 spent is 12% over.
    let r = CampaignRow::new(facts(1, Bucket::Core, 9_200_000, 5_600_000), e);
    assert!((r.pace.expected - 5_000_000.0).abs() < 1e-6);
    assert!((r.pace.deviation - 0.12).abs() < 1e-9);
    assert_eq!(pace_label(&r.pace), "over +12%");
    // 56,000 / 50 days x 92 days = 103,040.00
    assert_eq!(r.forecast_cents, Some(10_304_000));
    assert_eq!(r.remaining_cents, 3_600_000);
    // 42,000 spent by now is 16% under; 51,000 is +2%, on track.
    let under = CampaignRow::new(facts(2, Bucket::Growth, 9_200_000, 4_200_000), e);
    assert_eq!(pace_label(&under.pace), "under -16%");
    let ok = CampaignRow::new(facts(3, Bucket::Growth, 9_200_000, 5_100_000), e);
    assert_eq!(pace_label(&ok.pace), "on track +2%");
}

#[test]
fn on_the_last_day_all_but_one_day_is_complete_and_after_the_end_all_are() {
    let last = Elapsed::at(&q("2026-Q4"), day("2026-12-31"));
    assert_eq!(last.days, 91);
    let r = CampaignRow::new(facts(1, Bucket::Core, 9_200_000, 9_100_000), last);
    assert_eq!(r.pace.status, PaceStatus::OnTrack);
    assert_eq!(r.forecast_cents, Some(9_200_000));
    let after = Elapsed::at(&q("2026-Q4"), day("2027-02-01"));
    assert_eq!((after.days, after.share()), (92, 1.0));
}

#[test]
fn a_leap_year_quarter_has_91_days() {
    // Q1 2028: 31 + 29 + 31. On 1 March, January and February are complete: 60 days.
    let e = Elapsed::at(&q("2028-Q1"), day("2028-03-01"));
    assert_eq!((e.days, e.period_days), (60, 91));
    let e27 = Elapsed::at(&q("2027-Q1"), day("2027-03-01"));
    assert_eq!((e27.days, e27.period_days), (59, 90));
    // 91,000 planned: 60,000 expected; 60,000 spent is exactly on pace and forecasts the plan.
    let r = CampaignRow::new(facts(1, Bucket::Core, 9_100_000, 6_000_000), e);
    assert_eq!(pace_label(&r.pace), "on track +0%");
    assert_eq!(r.forecast_cents, Some(9_100_000));
}

#[test]
fn roi_and_roas_without_spend_are_not_available_rather_than_divided_by_zero() {
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    let mut f = facts(1, Bucket::Experiment, 1_000_000, 0);
    f.won_cents = 500_000;
    f.pipeline_cents = 2_000_000;
    let r = CampaignRow::new(f, e);
    assert_eq!((r.roi, r.roas, r.pipeline_per_spend, r.cpl_cents), (None, None, None, None));
    assert_eq!(format_percent(r.roi), "n/a");
    assert_eq!(format_multiple(r.roas), "n/a");
}

#[test]
fn roi_roas_and_cpl_match_a_hand_calculation() {
    // Spent 20,000, closed-won 50,000, pipeline 200,000, 400 leads.
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    let mut f = facts(1, Bucket::Core, 4_000_000, 2_000_000);
    f.won_cents = 5_000_000;
    f.pipeline_cents = 20_000_000;
    f.leads = 400.0;
    let r = CampaignRow::new(f, e);
    assert_eq!(r.roi, Some(1.5)); // (50,000 - 20,000) / 20,000
    assert_eq!(format_percent(r.roi), "+150%");
    assert_eq!(r.roas, Some(2.5));
    assert_eq!(format_multiple(r.roas), "2.50x");
    assert_eq!(r.pipeline_per_spend, Some(10.0));
    assert_eq!(r.cpl_cents, Some(5_000)); // 20,000 / 400 = 50.00
}

#[test]
fn totals_add_up_to_the_rows() {
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    let rows: Vec<CampaignRow> = [(1, 1_000_001, 333_333), (2, 2_000_003, 666_667), (3, 7, 1)]
        .into_iter()
        .map(|(id, p, s)| CampaignRow::new(facts(id, Bucket::Core, p, s), e))
        .collect();
    let t = totals(&rows, e);
    assert_eq!(t.facts.planned_cents, 3_000_011);
    assert_eq!(t.facts.spent_cents, 1_000_001);
    assert_eq!(t.remaining_cents, rows.iter().map(|r| r.remaining_cents).sum::<i64>());
    assert_eq!(t.forecast_cents, Some(rows.iter().filter_map(|r| r.forecast_cents).sum::<i64>()));
}

#[test]
fn whole_unit_rounding_keeps_the_parts_adding_up_to_the_total() {
    // Three rows of 0.50 each: rounded independently 1 + 1 + 1 = 3 against a total of 2.
    let (parts, total) = round_units(&[50, 50, 50]);
    assert_eq!(total, 2);
    assert_eq!(parts.iter().sum::<i64>(), 2);
    let (parts, total) = round_units(&[12_345_678, 99, 1_049, 250]);
    assert_eq!(total, 123_471); // 12,347,076 cents
    assert_eq!(parts.iter().sum::<i64>(), total);
    assert_eq!(parts[0], 123_457);
}

#[test]
fn the_70_20_10_targets_add_up_to_the_plan_and_gaps_are_in_money() {
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    let rows: Vec<CampaignRow> =
        [(1, Bucket::Core, 6_000_001), (2, Bucket::Growth, 3_000_000), (3, Bucket::Experiment, 1_000_000)]
            .into_iter()
            .map(|(id, b, p)| CampaignRow::new(facts(id, b, p, 0), e))
            .collect();
    let split = bucket_split(&rows);
    assert_eq!(split.iter().map(|s| s.target_cents).sum::<i64>(), 10_000_001);
    assert_eq!(split[0].target_cents, 7_000_001);
    assert_eq!(split[0].gap_cents, -1_000_000);
    assert_eq!(split[1].gap_cents, 1_000_000);
    assert_eq!(split[2].gap_cents, 0);
}

#[test]
fn a_move_cannot_exceed_the_unspent_plan_and_shows_both_sides() {
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    let mut from = facts(1, Bucket::Growth, 4_500_000, 1_800_000);
    from.name = "Display retargeting".into();
    let from = CampaignRow::new(from, e);
    let to = CampaignRow::new(facts(2, Bucket::Core, 15_000_000, 8_000_000), e);
    let err = plan_move(&from, &to, 2_700_001, e, "USD").unwrap_err().to_string();
    assert!(err.contains("$27,000 available"), "{err}");
    assert!(plan_move(&from, &to, 0, e, "USD").is_err());
    assert!(plan_move(&from, &from, 100, e, "USD").is_err());
    let (a, b) = plan_move(&from, &to, 500_000, e, "USD").unwrap();
    assert_eq!((a.after.facts.planned_cents, a.after.remaining_cents), (4_000_000, 2_200_000));
    assert_eq!((b.after.facts.planned_cents, b.after.remaining_cents), (15_500_000, 7_500_000));
    assert!(move_preview_line(&a, "USD").starts_with("Display retargeting: planned $45,000 → $40,000"));
}

#[test]
fn sorting_puts_the_cheapest_leads_first_and_missing_figures_last() {
    let e = Elapsed::at(&q("2026-Q4"), day("2026-11-20"));
    let mut rows: Vec<CampaignRow> = [(1, 100.0), (2, 0.0), (3, 400.0)]
        .into_iter()
        .map(|(id, leads)| CampaignRow::new(CampaignFacts { leads, ..facts(id, Bucket::Core, 100_000, 40_000) }, e))
        .collect();
    rows.sort_by(|a, b| Column::Cpl.compare(a, b));
    assert_eq!(rows.iter().map(|r| r.facts.id).collect::<Vec<_>>(), vec![3, 1, 2]);
    rows.sort_by(|a, b| Column::Leads.compare(a, b));
    assert_eq!(rows[0].facts.id, 3);
}

#[test]
fn a_mistyped_campaign_name_finds_its_neighbours() {
    let names = ["Display retargeting", "LinkedIn ABM", "Search – Core terms"];
    assert_eq!(near_names("dispaly", &names), vec!["Display retargeting"]);
    assert_eq!(near_names("linkedn abm", &names), vec!["LinkedIn ABM"]);
    assert!(near_names("zzz", &names).is_empty());
}

#[test]
fn an_overspend_is_never_rounded_to_a_round_hundred() {
    use crate::domain::budget::percent_of;
    assert_eq!(percent_of(49_700_000, 49_700_000), "100%");
    assert_eq!(percent_of(49_900_000, 49_700_000), "100.4%");
    assert_eq!(percent_of(49_701_000, 49_700_000), ">100%");
    assert_eq!(percent_of(49_690_000, 49_700_000), "<100%");
    assert_eq!(percent_of(27_600_000, 49_700_000), "56%");
    assert_eq!(percent_of(5, 0), "n/a");
}

#[test]
fn spent_past_the_plan_is_said_as_over_plan_not_as_pacing() {
    use crate::domain::budget::{CampaignFacts, CampaignRow, pacing_label};
    let f = CampaignFacts {
        planned_cents: 11_000_000,
        spent_cents: 12_170_000,
        paced_cents: 12_170_000,
        ..CampaignFacts::default()
    };
    let r = CampaignRow::new(f, Elapsed::at(&q("2026-Q4"), day("2026-12-31")));
    assert_eq!(r.over_plan_cents, 1_170_000);
    assert_eq!(pacing_label(&r, "USD"), "over plan by $11.7k");
}
