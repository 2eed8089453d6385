//! KPI facts in transit from the parsing thread to the writing one, packed for the trip.

use chrono::NaiveDate;

use super::{Fact, Preset};

/// A run of KPI facts with all their text in one buffer: a batch is three allocations however
/// many facts it holds. (Freeing a million small strings on the writer's thread, away from the
/// thread that allocated them, cost more than parsing them.)
#[derive(Debug, Default)]
pub struct KpiBatch {
    text: String,
    rows: Vec<Row>,
    /// The preset of the file the facts come from (`None` only in a default batch).
    preset: Option<Preset>,
    /// Set on the last message of a stream whose facts already sent are no longer final (a
    /// later row was summed into one of them): whatever was written from it must be undone.
    revoked: bool,
}

#[derive(Debug)]
struct Row {
    line: usize,
    day: NaiveDate,
    value: f64,
    /// End offsets in `text` of the key, the metric and the channel, written in that order.
    ends: [usize; 3],
}

/// One fact of a batch, borrowing its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiRow<'a> {
    pub line: usize,
    pub key: &'a str,
    pub metric: &'a str,
    pub day: NaiveDate,
    pub channel: &'a str,
    pub value: f64,
}

impl KpiBatch {
    /// The KPI facts among `facts` without a campaign, in the store's index order (metric, day,
    /// channel): written in that order each lands next to the previous one. Anything else is
    /// left out, and `len` then tells the writer the batch is not the whole run.
    pub fn sorted(preset: Preset, facts: &[Fact]) -> KpiBatch {
        let mut order: Vec<(&str, NaiveDate, &str, &Fact)> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::Kpi { metric, day, channel, campaign: None, .. } => {
                    Some((metric.as_str(), *day, channel.as_str(), f))
                }
                _ => None,
            })
            .collect();
        order.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let bytes = order.iter().map(|(m, _, c, f)| m.len() + c.len() + f.key().len()).sum();
        let mut batch = KpiBatch {
            text: String::with_capacity(bytes),
            rows: Vec::with_capacity(order.len()),
            preset: Some(preset),
            revoked: false,
        };
        for (metric, day, channel, fact) in order {
            let Fact::Kpi { line, key, value, .. } = fact else { continue };
            let mut ends = [0; 3];
            for (end, part) in ends.iter_mut().zip([key.as_str(), metric, channel]) {
                batch.text.push_str(part);
                *end = batch.text.len();
            }
            batch.rows.push(Row { line: *line, day, value: *value, ends });
        }
        batch
    }

    /// The message that takes back every batch sent before it (see `revoked`).
    pub fn revoke(preset: Preset) -> KpiBatch {
        KpiBatch { preset: Some(preset), revoked: true, ..KpiBatch::default() }
    }

    pub fn is_revoked(&self) -> bool {
        self.revoked
    }

    pub fn preset(&self) -> Option<Preset> {
        self.preset
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = KpiRow<'_>> {
        let mut start = 0;
        self.rows.iter().map(move |r| {
            let [k, m, c] = r.ends;
            let text = &self.text;
            let row = KpiRow {
                line: r.line,
                key: text.get(start..k).unwrap_or(""),
                metric: text.get(k..m).unwrap_or(""),
                day: r.day,
                channel: text.get(m..c).unwrap_or(""),
                value: r.value,
            };
            start = c;
            row
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(line: usize, metric: &str, day: u32, channel: &str, campaign: Option<&str>) -> Fact {
        let day = NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default();
        Fact::Kpi {
            line,
            key: format!("{day}|{metric}|{channel}"),
            metric: metric.into(),
            day,
            channel: channel.into(),
            campaign: campaign.map(Into::into),
            value: line as f64,
        }
    }

    #[test]
    fn a_batch_holds_the_facts_in_index_order_and_gives_back_their_text() {
        let facts = [
            kpi(2, "sessions", 2, "email", None),
            kpi(3, "leads", 2, "", None),
            kpi(4, "leads", 1, "paid-social", None),
            kpi(5, "leads", 1, "email", Some("Brand")),
        ];
        let batch = KpiBatch::sorted(Preset::KpiCsv, &facts);
        assert_eq!(batch.len(), 3, "the fact with a campaign is left to the careful path");
        let rows: Vec<(usize, &str, &str, &str)> = batch.iter().map(|r| (r.line, r.key, r.metric, r.channel)).collect();
        assert_eq!(
            rows,
            [
                (4, "2026-11-01|leads|paid-social", "leads", "paid-social"),
                (3, "2026-11-02|leads|", "leads", ""),
                (2, "2026-11-02|sessions|email", "sessions", "email"),
            ]
        );
        assert_eq!(batch.iter().map(|r| r.value).collect::<Vec<_>>(), [4.0, 3.0, 2.0]);
    }
}
