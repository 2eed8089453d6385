//! The reference deal, asserted to the cent, and the properties every model keeps.

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::*;

fn at(day: &str) -> NaiveDateTime {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap().and_hms_opt(0, 0, 0).unwrap()
}

fn touch(day: &str, channel: &str) -> Touch {
    Touch { at: at(day), channel: Some(channel.into()), campaign: None, kind: TouchKind::Touch }
}

fn milestone(day: &str, channel: Option<&str>, kind: TouchKind) -> Touch {
    Touch { at: at(day), channel: channel.map(Into::into), campaign: None, kind }
}

/// $12,000.00 closed-won 2026-10-31, contact created 09-20, deal created 10-12, seven touches.
/// The milestone rows carry no channel: they mark the touches at their times.
fn reference() -> Deal {
    Deal {
        id: "ref".into(),
        amount_cents: 1_200_000,
        converted_at: at("2026-10-31"),
        touches: vec![
            touch("2026-09-01", "linkedin"),
            touch("2026-09-10", "organic-search"),
            touch("2026-09-20", "email"),
            touch("2026-10-05", "paid-search"),
            touch("2026-10-12", "events"),
            touch("2026-10-25", "email"),
            touch("2026-10-31", "direct"),
            milestone("2026-09-20", None, TouchKind::ContactCreated),
            milestone("2026-10-12", None, TouchKind::DealCreated),
            milestone("2026-10-31", None, TouchKind::ClosedWon),
        ],
    }
}

fn cents(deal: &Deal, model: Model) -> Vec<i64> {
    credit(deal, model, &Settings::default()).unwrap().iter().map(|c| c.cents).collect()
}

#[test]
fn the_reference_deal_is_credited_to_the_cent_under_every_model() {
    let d = reference();
    assert_eq!(cents(&d, Model::First), [1_200_000, 0, 0, 0, 0, 0, 0]);
    assert_eq!(cents(&d, Model::Last), [0, 0, 0, 0, 0, 0, 1_200_000]);
    assert_eq!(cents(&d, Model::Linear), [171429, 171429, 171429, 171429, 171428, 171428, 171428]);
    assert_eq!(cents(&d, Model::UShaped), [480000, 48000, 480000, 48000, 48000, 48000, 48000]);
    assert_eq!(cents(&d, Model::WShaped), [360000, 30000, 360000, 30000, 360000, 30000, 30000]);
    assert_eq!(cents(&d, Model::FullPath), [270000, 40000, 270000, 40000, 270000, 40000, 270000]);
    assert_eq!(cents(&d, Model::TimeDecay), [1746, 4256, 11457, 50598, 101197, 366625, 664121]);
    for m in Model::ALL {
        assert_eq!(cents(&d, m).iter().sum::<i64>(), 1_200_000, "{m}");
    }
}

#[test]
fn milestone_rows_as_a_touches_file_writes_them_give_the_same_credits() {
    // touches-csv style: the milestone rows name their channel, and the closed-won row comes
    // first in the file; each marks the touch of its channel at its time, adding none.
    let mut d = reference();
    d.touches.truncate(7);
    d.touches.insert(0, milestone("2026-10-31", Some("direct"), TouchKind::ClosedWon));
    d.touches.push(milestone("2026-09-20", Some("email"), TouchKind::ContactCreated));
    d.touches.push(milestone("2026-10-12", Some("events"), TouchKind::DealCreated));
    assert_eq!(cents(&d, Model::WShaped), [360000, 30000, 360000, 30000, 360000, 30000, 30000]);
    assert_eq!(cents(&d, Model::FullPath), [270000, 40000, 270000, 40000, 270000, 40000, 270000]);
}

#[test]
fn by_channel_under_w_shaped_adds_both_email_touches() {
    let r = report(&[reference()], &[Model::WShaped], By::Channel, &Settings::default()).unwrap();
    let got: Vec<(&str, i64)> = r.rows.iter().map(|row| (row.key.as_deref().unwrap(), row.cents[0])).collect();
    assert_eq!(
        got,
        [
            ("email", 390000),
            ("events", 360000),
            ("linkedin", 360000),
            ("direct", 30000),
            ("organic-search", 30000),
            ("paid-search", 30000)
        ]
    );
    assert_eq!((r.deals, r.cents, r.unattributed), (1, 1_200_000, Unattributed::default()));
    assert_eq!(r.missing_milestones, [0]);
}

#[test]
fn two_touches_under_u_shaped_split_evenly_first_and_lead_creation() {
    let d = Deal {
        id: "two".into(),
        amount_cents: 1_200_000,
        converted_at: at("2026-10-31"),
        touches: vec![
            touch("2026-09-01", "linkedin"),
            milestone("2026-09-20", Some("email"), TouchKind::ContactCreated),
        ],
    };
    assert_eq!(cents(&d, Model::UShaped), [600000, 600000]);
}

#[test]
fn two_plain_touches_then_a_contact_created_row_split_evenly_under_u_shaped() {
    // HubSpot: lead creation is the last interaction before the contact was created.
    let d = Deal {
        id: "later".into(),
        amount_cents: 1_200_000,
        converted_at: at("2026-10-31"),
        touches: vec![
            touch("2026-09-01", "linkedin"),
            touch("2026-09-10", "organic-search"),
            milestone("2026-09-15", None, TouchKind::ContactCreated),
        ],
    };
    assert_eq!(cents(&d, Model::UShaped), [600000, 600000]);
}

#[test]
fn a_missing_milestone_renormalises_the_present_weights_and_is_counted() {
    // No lead creation known: first 40 and the rest's 20 become two thirds and one third.
    let d = Deal {
        id: "nolead".into(),
        amount_cents: 1_200_000,
        converted_at: at("2026-10-31"),
        touches: vec![touch("2026-09-01", "linkedin"), touch("2026-09-20", "email")],
    };
    assert_eq!(cents(&d, Model::UShaped), [800000, 400000]);
    let r = report(&[d], &[Model::Linear, Model::UShaped], By::Channel, &Settings::default()).unwrap();
    assert_eq!(r.missing_milestones, [0, 1]);
}

#[test]
fn one_touch_takes_everything_under_every_model() {
    let d = Deal {
        id: "one".into(),
        amount_cents: 99_999,
        converted_at: at("2026-10-31"),
        touches: vec![touch("2026-10-01", "webinar"), milestone("2026-10-01", None, TouchKind::ContactCreated)],
    };
    for m in Model::ALL {
        assert_eq!(cents(&d, m), [99_999], "{m}");
    }
}

#[test]
fn a_touch_after_the_conversion_is_ignored() {
    let mut d = reference();
    d.touches.push(touch("2026-11-01", "paid-social"));
    for m in Model::ALL {
        assert_eq!(cents(&d, m), cents(&reference(), m), "{m}");
    }
}

#[test]
fn deals_without_touches_are_reported_unattributed_never_dropped() {
    let lonely = Deal {
        id: "none".into(),
        amount_cents: 50_000,
        converted_at: at("2026-10-31"),
        touches: vec![touch("2026-11-05", "email")],
    };
    let r = report(&[reference(), lonely], &Model::ALL, By::Channel, &Settings::default()).unwrap();
    assert_eq!(r.unattributed, Unattributed { deals: 1, cents: 50_000 });
    assert_eq!(r.deals, 1);
    for m in 0..Model::ALL.len() {
        assert_eq!(r.rows.iter().map(|row| row.cents[m]).sum::<i64>(), 1_200_000);
    }
}

#[test]
fn a_comparison_has_one_row_per_channel_and_one_column_per_model() {
    let models = [Model::First, Model::WShaped, Model::TimeDecay];
    let r = report(&[reference()], &models, By::Channel, &Settings::default()).unwrap();
    assert_eq!(r.rows.len(), 6);
    let linkedin = r.rows.iter().find(|row| row.key.as_deref() == Some("linkedin")).unwrap();
    assert_eq!(linkedin.cents, [1_200_000, 360000, 1746]);
    assert_eq!(linkedin.spread(), 1_200_000 - 1746);
    // Ordered by the first model's column.
    assert_eq!(r.rows[0].key.as_deref(), Some("linkedin"));
}

#[test]
fn campaigns_fold_case_and_dashes_and_touches_without_one_are_a_row() {
    let mut d = reference();
    d.touches[0].campaign = Some("Search – Core terms".into());
    d.touches[3].campaign = Some("search - core terms".into());
    let r = report(&[d], &[Model::Linear], By::Campaign, &Settings::default()).unwrap();
    let got: Vec<(Option<&str>, i64)> = r.rows.iter().map(|row| (row.key.as_deref(), row.cents[0])).collect();
    assert_eq!(got, [(None, 171429 * 2 + 171428 * 3), (Some("Search – Core terms"), 171429 * 2)]);
}

#[test]
fn the_half_life_is_a_setting_and_bad_values_are_refused() {
    let d = reference();
    let slow = Settings::with_half_life(30.0).unwrap();
    let fast = credit(&d, Model::TimeDecay, &Settings::default()).unwrap();
    let slower = credit(&d, Model::TimeDecay, &slow).unwrap();
    assert!(slower[0].cents > fast[0].cents);
    assert_eq!(slower.iter().map(|c| c.cents).sum::<i64>(), 1_200_000);
    for bad in [0.0, -7.0, f64::NAN, f64::INFINITY] {
        assert!(Settings::with_half_life(bad).is_err());
    }
}

#[test]
fn names_parse_forgivingly_and_list_the_valid_ones_when_wrong() {
    assert_eq!(Model::parse("W_Shaped").unwrap(), Model::WShaped);
    assert_eq!(Model::parse("time decay").unwrap(), Model::TimeDecay);
    let e = Model::parse("position").unwrap_err().to_string();
    assert!(e.contains("'position'") && e.contains("full-path"), "{e}");
    assert_eq!(TouchKind::parse("").unwrap(), TouchKind::Touch);
    assert_eq!(TouchKind::parse("Closed Won").unwrap(), TouchKind::ClosedWon);
    assert!(TouchKind::parse("meeting").is_err());
    let rows = reference().touches;
    assert_eq!(Goal::Revenue.conversion(&rows), Some(at("2026-10-31")));
    assert_eq!(Goal::Pipeline.conversion(&rows), Some(at("2026-10-12")));
}

const CHANNELS: [&str; 4] = ["email", "events", "linkedin", "direct"];

fn any_touch() -> impl Strategy<Value = Touch> {
    // Minutes from 120 days before the conversion to 5 days after; few channels so instants and
    // channels collide; milestones with and without a channel.
    (-172_800i64..7_200, 0..CHANNELS.len(), 0u8..8).prop_map(|(minutes, c, k)| {
        let kind = match k {
            0 => TouchKind::ContactCreated,
            1 => TouchKind::DealCreated,
            2 => TouchKind::ClosedWon,
            3 => TouchKind::ClosedLost,
            _ => TouchKind::Touch,
        };
        let at = at("2026-10-31") + chrono::Duration::minutes(minutes / 1440 * 1440 + minutes % 3);
        let channel = (kind == TouchKind::Touch || c % 2 == 0).then(|| CHANNELS[c].to_string());
        Touch { at, channel, campaign: None, kind }
    })
}

/// A deal has one row of each milestone kind: later ones become plain touches.
fn one_of_each_milestone(mut touches: Vec<Touch>) -> Vec<Touch> {
    let mut seen = Vec::new();
    for t in &mut touches {
        if t.kind != TouchKind::Touch && seen.contains(&t.kind) {
            t.kind = TouchKind::Touch;
            t.channel.get_or_insert_with(|| "direct".into());
        }
        seen.push(t.kind);
    }
    touches
}

proptest! {
    #[test]
    fn every_model_credits_the_whole_amount_and_never_less_than_zero(
        amount in 0i64..=crate::domain::money::MAX_CENTS,
        touches in proptest::collection::vec(any_touch(), 0..14).prop_map(one_of_each_milestone),
        half_life in 0.5f64..60.0,
    ) {
        let deal = Deal { id: "p".into(), amount_cents: amount, converted_at: at("2026-10-31"), touches };
        // Duplicate or ambiguous milestones are refused by design; those draws prove nothing here.
        prop_assume!(path(&deal).is_ok());
        let settings = Settings::with_half_life(half_life).unwrap();
        let has_touches = !path(&deal).unwrap().is_empty();
        for m in Model::ALL {
            let c = credit(&deal, m, &settings).unwrap();
            prop_assert!(c.iter().all(|c| c.cents >= 0), "{m}: {c:?}");
            let sum: i64 = c.iter().map(|c| c.cents).sum();
            prop_assert_eq!(sum, if has_touches { amount } else { 0 }, "{}", m);
        }
    }
}
