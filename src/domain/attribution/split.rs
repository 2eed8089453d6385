//! A model's weights over a path, and the exact split of an amount by them.
//!
//! Weights are integers so the split is exact: the rule-based models in per-mille of the deal
//! (scaled by the number of "rest" touches so a shared pool divides evenly), time decay as
//! 2^(-days/half-life) relative to the newest touch in units of 2^-52. A missing milestone or an
//! empty pool simply contributes no weight, which renormalises the present weights to 1.
//! Each touch then gets floor(amount x weight / total) cents and the cents left over go one each
//! to the largest remainders, ties to the earlier touch: the credits sum to the amount exactly
//! and are never negative.

use chrono::NaiveDateTime;

use super::path::{DEAL, FIRST, LEAD, Path, WON, path};
use super::{AttributionError, Deal, Model, Settings};

/// Per-mille shares of a rule-based model's milestones, and the pool the other touches share.
fn shares(model: Model) -> Option<(&'static [(u8, u128)], u128)> {
    match model {
        Model::First => Some((&[(FIRST, 1000)], 0)),
        Model::UShaped => Some((&[(FIRST, 400), (LEAD, 400)], 200)),
        Model::WShaped => Some((&[(FIRST, 300), (LEAD, 300), (DEAL, 300)], 100)),
        Model::FullPath => Some((&[(FIRST, 225), (LEAD, 225), (DEAL, 225), (WON, 225)], 100)),
        Model::Last | Model::Linear | Model::TimeDecay => None,
    }
}

/// The milestone roles a model places weight on: the ones whose absence renormalises it.
pub(super) fn roles(model: Model) -> u8 {
    shares(model).map_or(0, |(s, _)| s.iter().fold(0, |acc, (r, _)| acc | r))
}

/// Time decay's weight scale: the newest touch weighs 2^52, older ones proportionally less.
const DECAY_UNIT: f64 = (1u64 << 52) as f64;

/// Fill `out` with the model's weight for each step of the path (all zero only for an empty path).
pub(super) fn weights(
    model: Model,
    path: &Path<'_>,
    converted_at: NaiveDateTime,
    settings: &Settings,
    out: &mut Vec<u128>,
) {
    out.clear();
    let n = path.steps.len();
    if n == 0 {
        return;
    }
    match model {
        Model::Last => {
            out.resize(n, 0);
            out[n - 1] = 1;
        }
        Model::Linear => out.resize(n, 1),
        Model::TimeDecay => {
            let days = |at: NaiveDateTime| (converted_at - at).num_seconds() as f64 / 86_400.0;
            // The newest touch is the last step; weights relative to it stay within (0, 1].
            let newest = days(path.steps[n - 1].at);
            out.extend(path.steps.iter().map(|s| {
                let w = (-(days(s.at) - newest) / settings.half_life_days).exp2();
                (w * DECAY_UNIT).round() as u128
            }));
        }
        Model::First | Model::UShaped | Model::WShaped | Model::FullPath => {
            let Some((milestones, pool)) = shares(model) else { return };
            let held = |roles: u8| milestones.iter().filter(|(r, _)| roles & r != 0).map(|(_, s)| *s).sum::<u128>();
            let rest = path.steps.iter().filter(|s| held(s.roles()) == 0).count() as u128;
            out.extend(path.steps.iter().map(|s| match held(s.roles()) {
                0 => pool,
                share => share * rest.max(1),
            }));
        }
    }
}

/// Split `amount` (cents, not negative) by `weights`, largest remainder, ties to the earlier.
/// `order` is scratch space, kept by the caller to spare an allocation per deal.
pub(super) fn split(amount: i64, weights: &[u128], order: &mut Vec<(u128, usize)>, out: &mut Vec<i64>) {
    out.clear();
    let total: u128 = weights.iter().sum();
    if weights.is_empty() {
        return;
    }
    // Cannot happen (every model weighs some touch of a non-empty path); equal shares keep it exact.
    let (weights, total) =
        if total == 0 { (&vec![1; weights.len()][..], weights.len() as u128) } else { (weights, total) };
    let amount = amount.max(0) as u128;
    order.clear();
    let mut given = 0u128;
    for (i, w) in weights.iter().enumerate() {
        let (q, r) = div_rem(amount * w, total);
        given += q;
        // Fits: each share is at most the amount.
        out.push(q as i64);
        order.push((r, i));
    }
    let left = (amount - given) as usize;
    if left > 0 {
        order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in &order[..left] {
            out[i] += 1;
        }
    }
}

/// Quotient and remainder, in one 64-bit division when both fit (the common case: a 128-bit
/// division is a slow library call, and this runs for every touch under every model).
fn div_rem(a: u128, b: u128) -> (u128, u128) {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => (u128::from(a / b), u128::from(a % b)),
        _ => {
            let q = a / b;
            (q, a - q * b)
        }
    }
}

/// One touch's credit under one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit<'a> {
    pub at: NaiveDateTime,
    pub channel: &'a str,
    pub campaign: Option<&'a str>,
    pub cents: i64,
}

/// A deal's credits touch by touch under `model`, in path order; empty when it has no touches.
pub fn credit<'a>(deal: &'a Deal, model: Model, settings: &Settings) -> Result<Vec<Credit<'a>>, AttributionError> {
    let path = path(deal)?;
    let (mut w, mut order, mut cents) = (Vec::new(), Vec::new(), Vec::new());
    weights(model, &path, deal.converted_at, settings, &mut w);
    split(deal.amount_cents, &w, &mut order, &mut cents);
    Ok(path
        .steps
        .iter()
        .zip(cents)
        .map(|(s, cents)| Credit { at: s.at, channel: s.channel, campaign: s.campaign, cents })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_of(amount: i64, weights: &[u128]) -> Vec<i64> {
        let mut out = Vec::new();
        split(amount, weights, &mut Vec::new(), &mut out);
        out
    }

    #[test]
    fn leftover_cents_go_to_the_largest_remainders_then_to_the_earlier_touch() {
        assert_eq!(split_of(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(split_of(200, &[1, 1, 1]), [67, 67, 66]);
        // 10 x 1/6 = 1.67 and 10 x 5/6 = 8.33: the larger remainder wins, whatever its position.
        assert_eq!(split_of(10, &[5, 1]), [8, 2]);
        assert_eq!(split_of(0, &[3, 1]), [0, 0]);
        assert_eq!(split_of(i64::MAX, &[1, 1]), [i64::MAX / 2 + 1, i64::MAX / 2]);
    }
}
