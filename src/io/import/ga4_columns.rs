//! What each column of a GA4 export is: the UI's English names, the Data API's camelCase and the
//! warehouse loaders' snake_case all compare alike once lowercased without `_`, spaces or
//! brackets (`Session primary channel group (Default Channel Group)`,
//! `sessionPrimaryChannelGroup`, `session_primary_channel_group`).

/// The metrics a GA4 file is read for, by normalised column name. `Conversions` is what
/// `Key events` was called before 2024; `New leads` and `Qualified leads` come from the Lead
/// acquisition report (its `Converted leads` are not read: a won deal is counted from HubSpot).
const METRICS: &[(&str, &str)] = &[
    ("sessions", "sessions"),
    ("engagedsessions", "engaged_sessions"),
    ("keyevents", "key_events"),
    ("conversions", "key_events"),
    ("newusers", "new_users"),
    ("activeusers", "active_users"),
    ("newleads", "leads"),
    ("qualifiedleads", "mqls"),
];

/// What one header column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Column {
    /// A metric read into this key.
    Metric(&'static str),
    Date,
    /// `Nth day`: an index from the start date, not a date.
    NthDay,
    /// A channel group; `scope` is `session`, `first-user` or `` (an exploration's own).
    Channel {
        scope: &'static str,
        custom: bool,
    },
    /// Session source, medium or source / medium: not a channel without GA4's own rules.
    SourceMedium,
    /// Any other dimension (page, landing page, event, country, device, campaign...).
    Dimension,
    /// A metric mktg does not read (users, rates, durations, revenue, counts of events).
    Unread,
}

pub(super) fn normalise(column: &str) -> String {
    column.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Words of GA4's dimensions that are not channels (checked before the metric words: "Country"
/// holds "count").
const DIMENSION_WORDS: &[&str] = &[
    "page",
    "landing",
    "eventname",
    "country",
    "city",
    "region",
    "device",
    "browser",
    "language",
    "campaign",
    "platform",
    "screenclass",
    "hostname",
    "itemname",
    "operatingsystem",
];

/// Words of metrics GA4 writes that mktg does not read: never a dimension.
const UNREAD_WORDS: &[&str] = &[
    "users",
    "rate",
    "average",
    "per",
    "count",
    "revenue",
    "views",
    "duration",
    "value",
    "time",
    "bounce",
    "exits",
    "purchases",
    "returning",
    "total",
];

pub(super) fn classify(column: &str) -> Column {
    let n = normalise(column);
    if let Some((_, key)) = METRICS.iter().find(|(name, _)| *name == n) {
        return Column::Metric(key);
    }
    // A key event column scoped to one event: "Key events (purchase)".
    if n.starts_with("keyevents") && !n.contains("rate") && !n.contains("per") {
        return Column::Metric("key_events");
    }
    if n == "date" {
        return Column::Date;
    }
    if n == "nthday" {
        return Column::NthDay;
    }
    if n.contains("channel") {
        let scope = if n.starts_with("session") {
            "session"
        } else if n.starts_with("firstuser") {
            "first-user"
        } else {
            ""
        };
        let default = n.contains("defaultchannelgroup") || n.contains("primarychannelgroup");
        return Column::Channel { scope, custom: !default };
    }
    if n.contains("source") || n.contains("medium") {
        return Column::SourceMedium;
    }
    let dimension_word = DIMENSION_WORDS.iter().any(|w| n.contains(w)) || matches!(n.as_str(), "age" | "gender");
    if dimension_word && !n.contains("per") && !n.contains("views") {
        return Column::Dimension;
    }
    if UNREAD_WORDS.iter().any(|w| n.contains(w)) || n.starts_with("keyevents") || n == "convertedleads" {
        return Column::Unread;
    }
    Column::Dimension
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_api_and_warehouse_names_alike() {
        for c in ["Sessions", "sessions"] {
            assert_eq!(classify(c), Column::Metric("sessions"));
        }
        for c in ["Engaged sessions", "engagedSessions", "engaged_sessions"] {
            assert_eq!(classify(c), Column::Metric("engaged_sessions"));
        }
        for c in ["Key events", "keyEvents", "key_events", "Conversions", "conversions", "Key events (purchase)"] {
            assert_eq!(classify(c), Column::Metric("key_events"), "{c}");
        }
        assert_eq!(classify("New leads"), Column::Metric("leads"));
        assert_eq!(classify("Qualified leads"), Column::Metric("mqls"));
        let session = Column::Channel { scope: "session", custom: false };
        for c in [
            "Session primary channel group (Default Channel Group)",
            "Session primary channel group (Default channel group)",
            "Session default channel group",
            "sessionDefaultChannelGroup",
            "session_default_channel_group",
        ] {
            assert_eq!(classify(c), session, "{c}");
        }
        assert_eq!(classify("firstUserDefaultChannelGroup"), Column::Channel { scope: "first-user", custom: false });
        assert_eq!(
            classify("Session Awin - CPA_Channel_Expanded_w_Audio_video_awin"),
            Column::Channel { scope: "session", custom: true }
        );
        assert_eq!(classify("sessionSource"), Column::SourceMedium);
        assert_eq!(classify("Session source / medium"), Column::SourceMedium);
        assert_eq!(classify("Page path and screen class"), Column::Dimension);
        assert_eq!(classify("Landing page"), Column::Dimension);
        assert_eq!(classify("Country"), Column::Dimension);
        assert_eq!(classify("Views per active user"), Column::Unread);
        for c in ["Total users", "Returning users", "Engagement rate", "Session key event rate", "Event count"] {
            assert_eq!(classify(c), Column::Unread, "{c}");
        }
        assert_eq!(classify("Converted leads"), Column::Unread);
        assert_eq!(classify("Nth day"), Column::NthDay);
        assert_eq!(classify("Date"), Column::Date);
    }
}
