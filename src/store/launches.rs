//! Launches: tiering, readiness items, stages and their history.

use chrono::NaiveDate;
use rusqlite::params;

use super::{Store, parse_day};
use crate::assets::TierRules;
use crate::domain::feeds::LaunchAlert;
use crate::domain::model::Tier;
use crate::domain::tiering;
use crate::error::Result;

impl Store {
    /// Launches not yet live whose date is inside their tier's lead time and that
    /// still have required readiness items open, soonest first.
    pub fn launch_alerts(&self, today: NaiveDate, rules: &TierRules) -> Result<Vec<LaunchAlert>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT l.id, l.name, coalesce(l.override_tier, l.computed_tier), l.launch_date,
                    (SELECT count(*) FROM launch_item i WHERE i.launch_id = l.id AND i.required = 1 AND i.done_at IS NULL),
                    (SELECT group_concat(label, char(31)) FROM launch_item i
                      WHERE i.launch_id = l.id AND i.required = 1 AND i.baseline = 1 AND i.done_at IS NULL)
             FROM launch l
             WHERE l.stage IN ('intake', 'build', 'qa') AND coalesce(l.override_tier, l.computed_tier) IS NOT NULL
             ORDER BY l.launch_date, l.id",
        )?;
        let rows = stmt.query_map(params![], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, tier, date, open, baseline) = row?;
            let tier = Tier(tier);
            let date = parse_day(&date);
            let lead = tiering::lead_weeks(tier, rules);
            let inside = (date - today).num_days() <= i64::from(lead) * 7;
            if inside && open > 0 {
                let open_baseline =
                    baseline.map(|b| b.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default();
                out.push(LaunchAlert {
                    id,
                    name,
                    tier,
                    launch_date: date,
                    lead_weeks: lead,
                    open_items: open as usize,
                    open_baseline,
                });
            }
        }
        Ok(out)
    }
}
