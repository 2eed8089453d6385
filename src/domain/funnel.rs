//! The funnel: leads -> MQL -> SQL -> opportunity -> won, with stage conversion against a
//! previous period. Conversion = next-stage count / stage count.

use serde::{Deserialize, Serialize};
/// The funnel's stages, as metric keys, in order.
pub const STAGES: [&str; 5] = ["leads", "mqls", "sqls", "opps", "won"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub metric: String,
    pub label: String,
    pub count: f64,
    pub previous: Option<f64>,
    /// Conversion from this stage into the next one; `None` for the last stage or an empty stage.
    pub conversion: Option<f64>,
    pub previous_conversion: Option<f64>,
}

impl Stage {
    /// Change of the conversion rate in percentage points (+2.1 = 2.1 points better).
    pub fn conversion_change_pp(&self) -> Option<f64> {
        Some((self.conversion? - self.previous_conversion?) * 100.0)
    }
}

/// `counts`: (metric, label, count now, count in the previous period), in stage order.
pub fn build(counts: &[(String, String, f64, Option<f64>)]) -> Vec<Stage> {
    let rate = |a: f64, b: f64| (a > 0.0).then(|| b / a);
    counts
        .iter()
        .enumerate()
        .map(|(i, (metric, label, count, previous))| {
            let next = counts.get(i + 1);
            Stage {
                metric: metric.clone(),
                label: label.clone(),
                count: *count,
                previous: *previous,
                conversion: next.and_then(|n| rate(*count, n.2)),
                previous_conversion: next.and_then(|n| rate((*previous)?, n.3?)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_conversion_is_next_over_this_and_compares_in_points() {
        let c = |m: &str, n: f64, p: f64| (m.to_string(), m.to_string(), n, Some(p));
        let f = build(&[c("leads", 1000.0, 900.0), c("mqls", 310.0, 300.0), c("sqls", 93.0, 75.0)]);
        assert!((f[0].conversion.unwrap() - 0.31).abs() < 1e-12);
        assert!((f[1].conversion.unwrap() - 0.30).abs() < 1e-12);
        assert!((f[1].conversion_change_pp().unwrap() - 5.0).abs() < 1e-9); // 30% vs 25%
        assert_eq!(f[2].conversion, None);
        let empty = build(&[("a".into(), "a".into(), 0.0, None), ("b".into(), "b".into(), 0.0, None)]);
        assert_eq!(empty[0].conversion, None);
    }
}
