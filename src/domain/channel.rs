//! One channel vocabulary across tools: the alias table that maps what GA4, HubSpot, Google Ads,
//! LinkedIn and hand-made files call a channel to mktg's slugs, extensible in config
//! (`[channels.aliases]`). GA4 "Direct", HubSpot "Direct Traffic" and a utm "(direct)" all land
//! on `direct`, so a file from one tool meets a file from another.
//!
//! Labels are compared after normalising case, `_`, `-` and repeated spaces. A label in no row
//! is the caller's to refuse (tool exports: their labels are a closed list, so an unknown one is
//! a custom grouping that would silently never meet the others) or to keep under its own slug and
//! name (hand-made files, whose vocabulary is the user's own).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::error::{Error, Result};
use crate::domain::text::channel_slug;

/// mktg's channels (DOMAIN.md), the slugs every alias lands on.
pub const SLUGS: [&str; 12] = [
    "direct",
    "organic-search",
    "paid-search",
    "organic-social",
    "paid-social",
    "email",
    "referral",
    "display",
    "video",
    "events",
    "affiliates",
    "other",
];

/// (label as tools write it, slug). Shown in docs/imports.md: keep the two in step.
pub const ALIASES: &[(&str, &str)] = &[
    // direct
    ("Direct", "direct"),
    ("Direct Traffic", "direct"),
    ("(direct)", "direct"),
    ("(none)", "direct"),
    // organic-search: free Shopping listings are organic results
    ("Organic Search", "organic-search"),
    ("Organic Shopping", "organic-search"),
    // paid-search: Cross-network is Performance Max and Smart campaigns
    ("Paid Search", "paid-search"),
    ("Paid Shopping", "paid-search"),
    ("Cross-network", "paid-search"),
    ("cpc", "paid-search"),
    ("ppc", "paid-search"),
    ("paidsearch", "paid-search"),
    ("sem", "paid-search"),
    // organic-social: YouTube's organic views stay out of `video`, whose CPL is paid
    ("Organic Social", "organic-social"),
    ("Organic Video", "organic-social"),
    ("Social Media", "organic-social"),
    ("Social", "organic-social"),
    ("Social Network", "organic-social"),
    // paid-social: LinkedIn Campaign Manager is paid social
    ("Paid Social", "paid-social"),
    ("paidsocial", "paid-social"),
    ("LinkedIn Ads", "paid-social"),
    ("LinkedIn", "paid-social"),
    // email
    ("Email", "email"),
    ("E-mail", "email"),
    ("Email Marketing", "email"),
    // referral: GA4 counts AI assistants as Referral; HubSpot splits them out
    ("Referral", "referral"),
    ("Referrals", "referral"),
    ("AI Referrals", "referral"),
    ("link", "referral"),
    // display
    ("Display", "display"),
    ("Demand Gen", "display"),
    ("Discovery", "display"),
    ("banner", "display"),
    ("cpm", "display"),
    // video (paid)
    ("Paid Video", "video"),
    ("Video", "video"),
    ("cpv", "video"),
    // events, affiliates
    ("Events", "events"),
    ("Event", "events"),
    ("Affiliates", "affiliates"),
    ("Affiliate", "affiliates"),
    // other: named in the import summary whenever a file's rows land here
    ("Other", "other"),
    ("Paid Other", "other"),
    ("Audio", "other"),
    ("SMS", "other"),
    ("Mobile Push Notifications", "other"),
    ("Unassigned", "other"),
    ("(other)", "other"),
    ("(not set)", "other"),
    ("Other Campaigns", "other"),
    ("Offline Sources", "other"),
    ("Offline", "other"),
];

/// Google Ads campaign types (the part before " - ": "Video - Bumper ad" is a Video campaign) and
/// video subtypes. Search-led types are paid search; App campaigns are `other`.
pub const CAMPAIGN_TYPES: &[(&str, &str)] = &[
    ("Search", "paid-search"),
    ("Shopping", "paid-search"),
    ("Performance Max", "paid-search"),
    ("Smart", "paid-search"),
    ("Local", "paid-search"),
    ("Hotel", "paid-search"),
    ("Display", "display"),
    ("Demand Gen", "display"),
    ("Discovery", "display"),
    ("Video", "video"),
    ("In-stream", "video"),
    ("Bumper", "video"),
    ("Shorts", "video"),
    ("Outstream", "video"),
    ("Video reach", "video"),
    ("Video views", "video"),
    ("Non-skippable", "video"),
    ("Efficient reach", "video"),
    ("Drive conversions", "video"),
    ("Ad sequence", "video"),
    ("App", "other"),
    ("Universal app", "other"),
];

/// Lowercase, `_` and `-` as spaces, runs of spaces as one: the form labels are compared in.
pub fn normalise(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        let c = if matches!(c, '_' | '-') || c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// What a label is in mktg's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// A slug of the vocabulary (or one the config maps to).
    Known(String),
    /// In no table: the caller refuses it or keeps it under `channel_slug` and names it.
    Unknown,
}

/// The alias table with the config's additions (`[channels.aliases]`, which win over the built-in
/// rows) and the Google Ads campaign types (`[channels.campaign_types]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    extra: HashMap<String, String>,
    extra_types: HashMap<String, String>,
}

impl Aliases {
    /// Adds config rows: `label = "slug"`. A target that is not a slug is refused.
    pub fn with(mut self, label: &str, slug: &str) -> Result<Aliases> {
        self.extra.insert(normalise(label), check_target(label, slug)?);
        Ok(self)
    }

    pub fn with_campaign_type(mut self, label: &str, slug: &str) -> Result<Aliases> {
        self.extra_types.insert(normalise(label), check_target(label, slug)?);
        Ok(self)
    }

    /// The slug `label` means: the config first, then the table, then a slug of the vocabulary
    /// written any way (`PAID_SEARCH`).
    pub fn channel(&self, label: &str) -> Channel {
        let key = normalise(label);
        if let Some(slug) = self.extra.get(&key) {
            return Channel::Known(slug.clone());
        }
        if let Some(slug) = table(&ALIAS_INDEX, ALIASES).get(&key) {
            return Channel::Known((*slug).to_string());
        }
        let slug = channel_slug(label);
        if SLUGS.contains(&slug.as_str()) { Channel::Known(slug) } else { Channel::Unknown }
    }

    /// The slug a channel in a hand-made history (touches-csv) means: the config first; then a
    /// label already written as a slug (`linkedin`, `partner-webinar`: lowercase letters, digits,
    /// single hyphens) is the user's own channel name and kept as written, since such a file names
    /// channels the way its owner counts them (the reference deal credits `linkedin`
    /// apart from other paid social); a label written as a tool writes it (`LinkedIn Ads`,
    /// `Paid Search`, `PAID_SEARCH`) goes through the table as in every other import.
    pub fn own_channel(&self, label: &str) -> Channel {
        let label = label.trim();
        if let Some(slug) = self.extra.get(&normalise(label)) {
            return Channel::Known(slug.clone());
        }
        if !label.is_empty() && channel_slug(label) == label {
            return Channel::Known(label.to_string());
        }
        self.channel(label)
    }

    /// The channel of a Google Ads campaign type (and subtype, when the report has that column).
    pub fn campaign_type(&self, kind: &str, subtype: &str) -> Channel {
        for label in [subtype, kind] {
            if label.trim().is_empty() {
                continue;
            }
            // "Video - Bumper ad" is a Video campaign: the whole label first, then its head.
            let key = normalise(label);
            let head = normalise(label.split(" - ").next().unwrap_or(label));
            for k in [&key, &head] {
                if let Some(slug) = self.extra_types.get(k.as_str()) {
                    return Channel::Known(slug.clone());
                }
                if let Some(slug) = table(&TYPE_INDEX, CAMPAIGN_TYPES).get(k.as_str()) {
                    return Channel::Known((*slug).to_string());
                }
            }
        }
        Channel::Unknown
    }
}

static ALIAS_INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
static TYPE_INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();

/// A table by its normalised labels, built once: imports look a label up per row.
fn table(
    index: &'static OnceLock<HashMap<String, &'static str>>,
    rows: &'static [(&'static str, &'static str)],
) -> &'static HashMap<String, &'static str> {
    index.get_or_init(|| rows.iter().map(|(l, s)| (normalise(l), *s)).collect())
}

fn check_target(label: &str, slug: &str) -> Result<String> {
    let s = slug.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(Error::input(format!(
            "alias '{label}' = '{slug}': a channel is a slug such as {}",
            SLUGS[..4].join(", ")
        )));
    }
    Ok(s.to_string())
}

/// Names whose case a slug loses and running text should keep.
const PROPER: &[(&str, &str)] = &[
    ("linkedin", "LinkedIn"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("google", "Google"),
    ("bing", "Bing"),
    ("reddit", "Reddit"),
    ("twitter", "Twitter"),
    ("g2", "G2"),
];

/// A channel slug as running text names it: "paid-search" → "paid search", "linkedin" →
/// "LinkedIn", "review-sites" → "review sites". A slug is an identifier, not a word to read.
pub fn label(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| PROPER.iter().find(|(k, _)| *k == w).map_or_else(|| w.to_string(), |(_, l)| l.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_history_keeps_a_channel_written_as_a_slug_and_maps_a_tools_label() {
        let a = Aliases::default();
        assert_eq!(a.own_channel("linkedin"), Channel::Known("linkedin".into()));
        assert_eq!(a.own_channel(" partner-webinar "), Channel::Known("partner-webinar".into()));
        assert_eq!(a.own_channel("email"), Channel::Known("email".into()));
        assert_eq!(a.own_channel("LinkedIn Ads"), Channel::Known("paid-social".into()));
        assert_eq!(a.own_channel("LinkedIn"), Channel::Known("paid-social".into()));
        assert_eq!(a.own_channel("PAID_SEARCH"), Channel::Known("paid-search".into()));
        assert_eq!(a.own_channel("Partner Webinar"), Channel::Unknown);
        let a = Aliases::default().with("linkedin", "paid-social").unwrap();
        assert_eq!(a.own_channel("linkedin"), Channel::Known("paid-social".into()), "the config wins");
    }

    use super::*;

    fn known(s: &str) -> Channel {
        Channel::Known(s.into())
    }

    #[test]
    fn every_tools_label_lands_on_one_slug() {
        let a = Aliases::default();
        for (label, slug) in [
            ("Direct", "direct"),
            ("Direct Traffic", "direct"),
            ("DIRECT_TRAFFIC", "direct"),
            ("(direct)", "direct"),
            ("Paid Search", "paid-search"),
            ("Paid search", "paid-search"),
            ("PAID_SEARCH", "paid-search"),
            ("cpc", "paid-search"),
            ("Cross-network", "paid-search"),
            ("LinkedIn ads", "paid-social"),
            ("Email Marketing", "email"),
            ("EMAIL_MARKETING", "email"),
            ("Referrals", "referral"),
            ("AI Referrals", "referral"),
            ("Unassigned", "other"),
            ("(other)", "other"),
            ("Offline Sources", "other"),
            ("organic-search", "organic-search"),
            ("events", "events"),
        ] {
            assert_eq!(a.channel(label), known(slug), "{label}");
        }
        assert_eq!(a.channel("AI Assistant"), Channel::Unknown);
        assert_eq!(a.channel("Organic"), Channel::Unknown, "search or social? the user says");
    }

    #[test]
    fn the_config_adds_labels_and_wins_over_the_table() {
        let a = Aliases::default().with("AI Assistant", "referral").unwrap().with("Social", "paid-social").unwrap();
        assert_eq!(a.channel("ai_assistant"), known("referral"));
        assert_eq!(a.channel("Social"), known("paid-social"));
        let e = Aliases::default().with("X", "Paid Search").unwrap_err().to_string();
        assert!(e.contains("a channel is a slug"), "{e}");
    }

    #[test]
    fn campaign_types_by_their_real_labels() {
        let a = Aliases::default();
        for (kind, slug) in [
            ("Search", "paid-search"),
            ("Performance Max", "paid-search"),
            ("PERFORMANCE_MAX", "paid-search"),
            ("Shopping", "paid-search"),
            ("Smart", "paid-search"),
            ("Display - Smart", "display"),
            ("Demand Gen", "display"),
            ("Discovery", "display"),
            ("Video", "video"),
            ("Video - Bumper ad", "video"),
            ("Video - Outstream", "video"),
            ("App", "other"),
        ] {
            assert_eq!(a.campaign_type(kind, ""), known(slug), "{kind}");
        }
        assert_eq!(a.campaign_type("Video", "In-stream"), known("video"));
        assert_eq!(a.campaign_type("Multi-channel", ""), Channel::Unknown);
        let a = a.with_campaign_type("Multi-channel", "other").unwrap();
        assert_eq!(a.campaign_type("Multi-channel", ""), known("other"));
    }

    #[test]
    fn a_slug_reads_as_words_in_running_text() {
        assert_eq!(label("paid-search"), "paid search");
        assert_eq!(label("linkedin"), "LinkedIn");
        assert_eq!(label("linkedin-ads"), "LinkedIn ads");
        assert_eq!(label("review-sites"), "review sites");
        assert_eq!(label("email"), "email");
    }
}
