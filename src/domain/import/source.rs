//! Which report an import came from, and which of two sources the cockpit counts when both state
//! the same metric for the same day (or period) and channel.
//!
//! A source is `preset|dimension|signature`: the tool, what its rows are cut by (GA4's session or
//! first-user channel group, Google Ads' campaign), and the columns it reads. GA4 Traffic
//! acquisition and User acquisition of one month are two sources (both state Key events, by
//! different channel dimensions); the same Google Ads report downloaded as `.csv` or as Excel
//! `.csv` is one. Facts of two sources are never summed twice and never deleted: the one ranked
//! first here is counted, the other kept apart.
//!
//! The precedence, for one metric (docs/imports.md says the same):
//! 1. the tool that owns the metric: HubSpot for the funnel (leads to won and lost, pipeline,
//!    revenue), then GA4, then the ad platforms; the ad platforms for spend, impressions, clicks
//!    and conversions, then a spend-csv; GA4 for sessions, engaged sessions, key events, new and
//!    active users; a hand-made kpi-csv last;
//! 2. within GA4, the scope the metric belongs to: the session channel group for sessions,
//!    engaged sessions and key events, the first-user channel group for new and active users;
//! 3. then the earlier import.
//!
//! Between a daily series and a period total (a month without a Day column) the daily series is
//! counted, whatever its source: it is what a chart can show.

/// The identity of a source: `preset|dimension|signature`, the signature's columns sorted so
/// that a column moved in the export does not make another report.
pub fn identity(preset: &str, dimension: &str, signature: &[&str]) -> String {
    let mut cols: Vec<&str> = signature.to_vec();
    cols.sort_unstable();
    cols.dedup();
    format!("{preset}|{dimension}|{}", cols.join(","))
}

/// (preset, dimension, signature) of an identity.
pub fn parts(source: &str) -> (&str, &str, &str) {
    let mut it = source.splitn(3, '|');
    (it.next().unwrap_or(""), it.next().unwrap_or(""), it.next().unwrap_or(""))
}

/// A source as a person reads it: "ga4, session channel group".
pub fn describe(source: &str) -> String {
    match parts(source) {
        ("", _, _) => "an earlier import".to_string(),
        (preset, "", _) => preset.to_string(),
        (preset, dimension, _) => format!("{preset}, {dimension}"),
    }
}

const FUNNEL: &[&str] = &["leads", "mqls", "sqls", "opps", "pipeline", "revenue", "won", "lost"];
const WEB: &[&str] = &["sessions", "engaged_sessions", "key_events", "new_users", "active_users"];
const ADS: &[&str] = &["spend", "impressions", "clicks", "conversions"];
const SESSION_SCOPED: &[&str] = &["sessions", "engaged_sessions", "key_events"];
const USER_SCOPED: &[&str] = &["new_users", "active_users"];

/// The rank of `source` for `metric`: the lowest is counted (ties go to the earlier import).
pub fn rank(metric: &str, source: &str) -> (u8, u8) {
    let (preset, dimension, _) = parts(source);
    let tool = if FUNNEL.contains(&metric) {
        match preset {
            "hubspot-deals" | "hubspot-contacts" => 0,
            "ga4" => 1,
            "google-ads" | "linkedin-ads" => 2,
            _ => 3,
        }
    } else if WEB.contains(&metric) {
        if preset == "ga4" { 0 } else { 3 }
    } else if ADS.contains(&metric) {
        match preset {
            "google-ads" | "linkedin-ads" => 0,
            "spend-csv" => 1,
            _ => 3,
        }
    } else {
        3
    };
    let scope = if preset != "ga4" {
        0
    } else if dimension.starts_with("session") {
        u8::from(!SESSION_SCOPED.contains(&metric))
    } else if dimension.starts_with("first-user") {
        u8::from(!USER_SCOPED.contains(&metric))
    } else {
        2
    };
    (tool, scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_its_preset_dimension_and_columns() {
        let a = identity("ga4", "session channel group", &["sessions", "key_events"]);
        assert_eq!(a, "ga4|session channel group|key_events,sessions");
        assert_eq!(a, identity("ga4", "session channel group", &["key_events", "sessions", "sessions"]));
        assert_eq!(describe(&a), "ga4, session channel group");
        assert_eq!(describe(""), "an earlier import");
    }

    #[test]
    fn each_metric_is_counted_from_the_source_that_owns_it() {
        let session = identity("ga4", "session channel group", &["key_events"]);
        let user = identity("ga4", "first-user channel group", &["key_events", "new_users"]);
        assert!(rank("key_events", &session) < rank("key_events", &user));
        assert!(rank("new_users", &user) < rank("new_users", &session));
        let hubspot = identity("hubspot-contacts", "original traffic source", &["leads"]);
        let ga4_leads = identity("ga4", "first-user channel group", &["leads"]);
        let hand = identity("kpi-csv", "channel", &["date", "metric", "value"]);
        assert!(rank("leads", &hubspot) < rank("leads", &ga4_leads));
        assert!(rank("leads", &ga4_leads) < rank("leads", &hand));
        let ads = identity("google-ads", "campaign", &["spend"]);
        assert!(rank("spend", &ads) < rank("spend", &hand));
    }
}
