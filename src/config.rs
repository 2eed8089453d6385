//! `config.toml`: user settings. A missing file means defaults; a malformed one is an error naming the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::calendar::{Calendar, Pacing};
use crate::domain::compete::Settings as CompeteSettings;
use crate::domain::error::{Error, Result};
use crate::domain::import::{DealColumns, ImportSettings, StageOutcome, squash};
use crate::domain::mentor::{MentorConfig, RoleScope};
use crate::domain::rubric::TierRules;
use crate::domain::workflow::Category;
use crate::keymap::{KeyPatch, Keymap};

#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub bell: bool,
    /// IANA zone name written into calendar exports; floating local time when absent.
    pub timezone: Option<String>,
    /// Who ticks items and owns "herself" decisions; defaults to $USER.
    pub user: String,
    pub tiers: TierRules,
    pub keymap: Keymap,
    /// `[compete]`: the battlecard protocol's settings.
    pub compete: CompeteSettings,
    /// `[mentor]` and `[role]`: mentor mode's rules, and whether it has a group in Attention.
    pub mentor: MentorSettings,
    /// What every import is told besides the file: `[import.hubspot-deals]` (the portal's own
    /// names for competitor, reason and segment), `[channels.aliases]`,
    /// `[channels.campaign_types]`, `[import.hubspot_stages]`.
    pub import: ImportSettings,
    /// Holidays, weekend days and the minimum share before a pacing verdict (`[calendar]`, `[pacing]`).
    pub pacing: Pacing,
    /// Who to ask about a feed gone quiet: channel (or metric) -> person (`[feeds.owners]`).
    pub feed_owners: BTreeMap<String, String>,
}

/// Mentor mode as configured. Questions, never changes: nothing here makes it write.
#[derive(Debug, Clone, PartialEq)]
pub struct MentorSettings {
    /// `[mentor] attention = false` keeps its questions out of the attention list (the
    /// `mentor` command still asks them).
    pub attention: bool,
    pub rules: MentorConfig,
}

impl Default for MentorSettings {
    fn default() -> Self {
        MentorSettings { attention: true, rules: MentorConfig::default() }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    ui: RawUi,
    #[serde(default)]
    calendar: RawCalendar,
    #[serde(default)]
    tiering: RawTiering,
    #[serde(default)]
    mentor: RawMentor,
    #[serde(default)]
    role: RawRole,
    #[serde(default)]
    compete: RawCompete,
    #[serde(default)]
    import: RawImport,
    #[serde(default)]
    pacing: RawPacing,
    #[serde(default)]
    feeds: RawFeeds,
    /// `[keys.SECTION]` tables of `"key" = "action"`, with spans so errors name the real line.
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<Binds>>,
    #[serde(default)]
    channels: RawChannels,
}

/// `[channels.aliases]` "label" = "slug" and `[channels.campaign_types]` "type" = "slug".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannels {
    #[serde(default)]
    aliases: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    campaign_types: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// One `[keys.SECTION]` table, each key with its span. Deserialized by hand only so that a
/// section that is not a table is refused in the user's terms ("expected a table of ...").
#[derive(Debug, Default)]
struct Binds(BTreeMap<Spanned<String>, Spanned<toml::Value>>);

impl<'de> Deserialize<'de> for Binds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Binds, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Binds;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"a table of "key" = "action""#)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> std::result::Result<Binds, A::Error> {
                let mut binds = BTreeMap::new();
                while let Some((key, action)) = m.next_entry()? {
                    binds.insert(key, action);
                }
                Ok(Binds(binds))
            }
        }
        d.deserialize_map(Visit)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUi {
    bell: Option<bool>,
    user: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompete {
    stale_after_days: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImport {
    #[serde(rename = "hubspot-deals")]
    hubspot_deals: Option<RawDealColumns>,
    /// `[import.hubspot_stages]` "Closed: abandoned" = "lost".
    #[serde(default)]
    hubspot_stages: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDealColumns {
    competitor: Option<String>,
    reason: Option<String>,
    segment: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    timezone: Option<Spanned<String>>,
    /// ISO dates: no meetings, and counted as a weekend day by pacing.
    holidays: Option<Vec<Spanned<String>>>,
    /// Weekday names (`sat`, `sun`).
    weekend: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPacing {
    /// No pacing verdict before this share of the period's expected volume is in (0 to 0.9).
    min_share: Option<Spanned<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    owners: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTiering {
    tier1_min: Option<Spanned<u32>>,
    tier2_min: Option<Spanned<u32>>,
    weights: Option<RawWeights>,
    lead_weeks: Option<RawLeadWeeks>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMentor {
    attention: Option<bool>,
    /// Headline KPIs that count activity, not outcomes ("launches shipped").
    activity_kpis: Option<Vec<String>>,
    overload_ratio: Option<Spanned<f64>>,
    overload_min_extra: Option<usize>,
    measure_days: Option<Spanned<i64>>,
}

/// `[role] owns = [...]`, `does_not_own = [...]`: workflow categories, as slugs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    owns: Option<Vec<Spanned<String>>>,
    does_not_own: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    revenue: Option<u32>,
    urgency: Option<u32>,
    demand: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeadWeeks {
    tier1: Option<u32>,
    tier2: Option<u32>,
    tier3: Option<u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            bell: true,
            timezone: None,
            user: default_user(),
            tiers: TierRules::defaults(),
            keymap: Keymap::build(&[]).expect("default keymap builds"),
            mentor: MentorSettings::default(),
            compete: CompeteSettings::default(),
            import: ImportSettings::default(),
            pacing: Pacing::default(),
            feed_owners: BTreeMap::new(),
        }
    }
}

fn default_user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "me".into())
}

impl Config {
    /// Load `path`; a missing file means defaults.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config { path: Some(path.to_path_buf()), ..Config::default() });
            }
            Err(e) => return Err(Error::input(format!("{}: {e}", path.display()))),
        };
        Config::parse(&text)
            .map(|c| Config { path: Some(path.to_path_buf()), ..c })
            .map_err(|e| Error::input(format!("{}:{e}", path.display())))
    }

    /// Parse config text. Errors start with the line number: `3: unknown field ...`. Every line
    /// comes from the parser's span of the offending key or value, never from searching the text
    /// (a comment mentioning a key must not move the reported line).
    pub fn parse(text: &str) -> Result<Config> {
        let line = |span: std::ops::Range<usize>| line_of_offset(text, span.start);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of_offset(text, s.start)).unwrap_or(1);
            Error::input(format!("{line}: {}", e.message().trim()))
        })?;
        let mut cfg = Config::default();
        if let Some(b) = raw.ui.bell {
            cfg.bell = b;
        }
        if let Some(u) = raw.ui.user.filter(|u| !u.get_ref().trim().is_empty()) {
            // The user's name is written into the store and every export: one line of text.
            if u.get_ref().chars().any(char::is_control) {
                return Err(Error::input(format!(
                    "{}: user must be one line of text, without control characters",
                    line(u.span())
                )));
            }
            cfg.user = u.into_inner();
        }
        if let Some(tz) = raw.calendar.timezone {
            cfg.timezone =
                Some(check_timezone(tz.get_ref()).map_err(|why| Error::input(format!("{}: {why}", line(tz.span()))))?);
        }
        if let Some(days) = raw.compete.stale_after_days {
            if *days.get_ref() < 1 {
                let at = line(days.span());
                return Err(Error::input(format!("{at}: stale_after_days must be at least 1 (the protocol's is 92)")));
            }
            cfg.compete.stale_after_days = *days.get_ref();
        }
        if let Some(c) = raw.import.hubspot_deals {
            let name = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            cfg.import.hubspot_deals =
                DealColumns { competitor: name(c.competitor), reason: name(c.reason), segment: name(c.segment) };
        }
        for h in raw.calendar.holidays.iter().flatten() {
            Calendar::new(std::slice::from_ref(h.get_ref()), None)
                .map_err(|e| Error::input(format!("{}: {e}", line(h.span()))))?;
        }
        let holidays: Vec<String> = raw.calendar.holidays.iter().flatten().map(|h| h.get_ref().clone()).collect();
        let weekend = raw.calendar.weekend.as_ref();
        cfg.pacing.calendar = Calendar::new(&holidays, weekend.map(|w| w.get_ref().as_slice()))
            .map_err(|e| Error::input(format!("{}: {e}", weekend.map_or(1, |w| line(w.span())))))?;
        if let Some(m) = &raw.pacing.min_share {
            let v = *m.get_ref();
            if !(0.0..=0.9).contains(&v) {
                return Err(Error::input(format!(
                    "{}: min_share must be a share from 0 to 0.9 (0.1 is 10% of the period), got {v}",
                    line(m.span())
                )));
            }
            cfg.pacing.min_share = v;
        }
        if let Some(owners) = raw.feeds.owners {
            cfg.feed_owners = owners
                .into_iter()
                .filter(|(_, o)| !o.trim().is_empty())
                .map(|(k, o)| (crate::domain::text::channel_slug(&k), o.trim().to_string()))
                .collect();
        }
        let r = &mut cfg.tiers;
        let (tier1_min, tier2_min) = (&raw.tiering.tier1_min, &raw.tiering.tier2_min);
        if let Some(v) = tier1_min {
            r.rubric.tier1_min = *v.get_ref();
        }
        if let Some(v) = tier2_min {
            r.rubric.tier2_min = *v.get_ref();
        }
        if let Some(w) = raw.tiering.weights {
            r.rubric.weights.revenue = w.revenue.unwrap_or(r.rubric.weights.revenue);
            r.rubric.weights.urgency = w.urgency.unwrap_or(r.rubric.weights.urgency);
            r.rubric.weights.demand = w.demand.unwrap_or(r.rubric.weights.demand);
        }
        if let Some(l) = raw.tiering.lead_weeks {
            r.lead_weeks.tier1 = l.tier1.unwrap_or(r.lead_weeks.tier1);
            r.lead_weeks.tier2 = l.tier2.unwrap_or(r.lead_weeks.tier2);
            r.lead_weeks.tier3 = l.tier3.unwrap_or(r.lead_weeks.tier3);
        }
        if r.rubric.tier2_min >= r.rubric.tier1_min {
            // Only a set value can break the order (the defaults hold it): point at that one.
            let at = tier2_min.as_ref().or(tier1_min.as_ref()).map_or(1, |v| line(v.span()));
            return Err(Error::input(format!("{at}: tier2_min must be below tier1_min")));
        }
        cfg.mentor = mentor_settings(&raw.mentor, &raw.role, &line)?;
        for (label, slug) in &raw.channels.aliases {
            let aliases = std::mem::take(&mut cfg.import.aliases);
            cfg.import.aliases = aliases
                .with(label.get_ref(), slug.get_ref())
                .map_err(|e| Error::input(format!("{}: {e}", line(slug.span()))))?;
        }
        for (label, slug) in &raw.channels.campaign_types {
            let aliases = std::mem::take(&mut cfg.import.aliases);
            cfg.import.aliases = aliases
                .with_campaign_type(label.get_ref(), slug.get_ref())
                .map_err(|e| Error::input(format!("{}: {e}", line(slug.span()))))?;
        }
        for (stage, outcome) in &raw.import.hubspot_stages {
            let o = StageOutcome::parse(outcome.get_ref()).ok_or_else(|| {
                Error::input(format!(
                    "{}: stage '{}' = '{}': an outcome is won, lost or open",
                    line(outcome.span()),
                    stage.get_ref(),
                    outcome.get_ref()
                ))
            })?;
            cfg.import.stages.insert(squash(stage.get_ref()), o);
        }
        let mut patches = Vec::new();
        for (section, binds) in &raw.keys {
            if let Some(why) = crate::keymap::unknown_section(section.get_ref()) {
                // Named at the section itself, even when it is empty.
                return Err(Error::input(format!("{}: {why}", line(section.span()))));
            }
            for (key, action) in &binds.get_ref().0 {
                let at = line(key.span());
                let Some(action) = action.get_ref().as_str() else {
                    return Err(Error::input(format!("{at}: the action for '{}' must be a string", key.get_ref())));
                };
                patches.push(KeyPatch {
                    section: section.get_ref().clone(),
                    key: key.get_ref().clone(),
                    action: action.into(),
                    line: at,
                });
            }
        }
        // The first mistake in the file is the one reported.
        patches.sort_by_key(|p| p.line);
        cfg.keymap = Keymap::build(&patches).map_err(|e| {
            // Keymap errors say "config line N: ..."; keep the "N: ..." shape of this function.
            Error::input(e.to_string().trim_start_matches("config line ").to_string())
        })?;
        Ok(cfg)
    }
}

/// A calendar time zone must be one the IANA database names (`Europe/Paris`): it is written into
/// calendar files as `TZID`, where anything else would be an invalid file, or an injected line.
/// `chrono-tz` carries the database, so the check needs no system files.
fn check_timezone(name: &str) -> std::result::Result<String, String> {
    let trimmed = name.trim();
    match trimmed.parse::<chrono_tz::Tz>() {
        Ok(tz) if !trimmed.is_empty() => Ok(tz.name().to_string()),
        _ => Err(format!(
            "timezone {} is not an IANA time zone (such as Europe/Paris or America/New_York)",
            crate::domain::text::quote(name)
        )),
    }
}

/// `[mentor]` and `[role]` over the defaults; a bad value is refused at its own line.
fn mentor_settings(
    m: &RawMentor,
    r: &RawRole,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
) -> Result<MentorSettings> {
    let mut out = MentorSettings::default();
    if let Some(a) = m.attention {
        out.attention = a;
    }
    let rules = &mut out.rules;
    if let Some(k) = &m.activity_kpis {
        rules.activity_kpis = k.clone();
    }
    if let Some(v) = &m.overload_ratio {
        if v.get_ref().is_nan() || *v.get_ref() < 1.0 {
            return Err(Error::input(format!(
                "{}: overload_ratio must be 1 or more (2 means twice the median)",
                line(v.span())
            )));
        }
        rules.overload_ratio = *v.get_ref();
    }
    if let Some(v) = m.overload_min_extra {
        rules.overload_min_extra = v;
    }
    if let Some(v) = &m.measure_days {
        if *v.get_ref() < 0 {
            return Err(Error::input(format!("{}: measure_days cannot be negative", line(v.span()))));
        }
        rules.measure_days = *v.get_ref();
    }
    let categories = |list: &Option<Vec<Spanned<String>>>, key: &str| -> Result<Vec<(Category, usize)>> {
        let mut out = Vec::new();
        for c in list.iter().flatten() {
            let at = line(c.span());
            let cat = Category::parse(c.get_ref()).map_err(|e| Error::input(format!("{at}: [role] {key}: {e}")))?;
            out.push((cat, at));
        }
        Ok(out)
    };
    let owns = categories(&r.owns, "owns")?;
    let not = categories(&r.does_not_own, "does_not_own")?;
    let scope = RoleScope { owns: owns.iter().map(|c| c.0).collect(), does_not_own: not.iter().map(|c| c.0).collect() };
    if let Err(e) = scope.validate() {
        let at = not.iter().find(|(c, _)| c.slug() == e.0).map_or(1, |(_, at)| *at);
        return Err(Error::input(format!("{at}: {e}")));
    }
    rules.scope = scope;
    Ok(out)
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_means_defaults() {
        let c = Config::parse("").unwrap();
        assert!(c.bell);
        assert_eq!(c.tiers.rubric.tier1_min, 12);
    }

    #[test]
    fn settings_patch_the_defaults() {
        let c =
            Config::parse("[ui]\nbell = false\n[tiering]\ntier1_min = 13\n[tiering.lead_weeks]\ntier1 = 10\n").unwrap();
        assert!(!c.bell);
        assert_eq!(c.tiers.rubric.tier1_min, 13);
        assert_eq!(c.tiers.lead_weeks.tier1, 10);
        assert_eq!(c.tiers.lead_weeks.tier2, 4);
    }

    #[test]
    fn compete_and_hubspot_settings() {
        let c = Config::parse(
            "[compete]\nstale_after_days = 60\n[import.hubspot-deals]\ncompetitor = \"Main rival\"\nreason = \"Why lost\"\n",
        )
        .unwrap();
        assert_eq!(c.compete.stale_after_days, 60);
        assert_eq!(c.import.hubspot_deals.competitor.as_deref(), Some("Main rival"));
        assert_eq!(c.import.hubspot_deals.segment, None);
        let e = Config::parse("[compete]\nstale_after_days = 0\n").unwrap_err().to_string();
        assert!(e.starts_with("2:"), "{e}");
    }

    #[test]
    fn channel_aliases_campaign_types_and_deal_stages_extend_the_importer() {
        let c = Config::parse(
            "[channels.aliases]\n\"AI Assistant\" = \"referral\"\n[channels.campaign_types]\n\"Multi-channel\" = \"other\"\n\
             [import.hubspot_stages]\n\"Closed: abandoned\" = \"lost\"\n[import.hubspot-deals]\ncompetitor = \"Rival\"\n",
        )
        .unwrap();
        use crate::domain::channel::Channel;
        assert_eq!(c.import.aliases.channel("AI assistant"), Channel::Known("referral".into()));
        assert_eq!(c.import.aliases.campaign_type("Multi-channel", ""), Channel::Known("other".into()));
        assert_eq!(c.import.stages.get("closedabandoned"), Some(&StageOutcome::Lost));
        assert_eq!(c.import.hubspot_deals.competitor.as_deref(), Some("Rival"), "both [import] tables are read");
        let e = Config::parse("[channels.aliases]\n\"X\" = \"Paid Search\"\n").unwrap_err().to_string();
        assert!(e.starts_with("2:") && e.contains("a channel is a slug"), "{e}");
        let e = Config::parse("[import.hubspot_stages]\n\"Dead\" = \"gone\"\n").unwrap_err().to_string();
        assert!(e.starts_with("2:") && e.contains("won, lost or open"), "{e}");
    }

    #[test]
    fn the_calendar_and_pacing_are_read_and_checked() {
        let c = Config::parse(
            "[calendar]\nholidays = [\"2026-12-25\", \"2027-01-01\"]\nweekend = [\"sat\", \"sun\"]\n\
             [pacing]\nmin_share = 0.2\n[feeds.owners]\nLinkedIn = \"Sam\"\n",
        )
        .unwrap();
        let d = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(c.pacing.calendar.is_holiday(d("2027-01-01")));
        assert_eq!(c.pacing.min_share, 0.2);
        assert_eq!(c.feed_owners.get("linkedin").map(String::as_str), Some("Sam"));
        let e = Config::parse("[calendar]\nholidays = [\n  \"2026-12-25\",\n  \"12/25/2026\",\n]\n").unwrap_err();
        assert!(e.to_string().starts_with("4:") && e.to_string().contains("12/25/2026"), "{e}");
        let e = Config::parse("[pacing]\nmin_share = 1.5\n").unwrap_err().to_string();
        assert!(e.starts_with("2:") && e.contains("min_share"), "{e}");
        let e = Config::parse("[calendar]\nweekend = [\"caturday\"]\n").unwrap_err().to_string();
        assert!(e.starts_with("2:") && e.contains("caturday"), "{e}");
    }

    #[test]
    fn malformed_config_names_the_line() {
        let e = Config::parse("[ui]\nbell = true\nbel = 3\n").unwrap_err().to_string();
        assert!(e.starts_with("3:"), "{e}");
        let e = Config::parse("[ui]\nbell = \n").unwrap_err().to_string();
        assert!(e.starts_with("2:"), "{e}");
        let e = Config::parse("[keys.global]\n\"x\" = \"quit\"\n\"y\" = \"fly\"\n").unwrap_err().to_string();
        assert!(e.starts_with("3:") && e.contains("fly"), "{e}");
    }

    #[test]
    fn a_timezone_must_be_an_iana_zone_on_one_line() {
        let c = Config::parse("[calendar]\ntimezone = \"Europe/Paris\"\n").unwrap();
        assert_eq!(c.timezone.as_deref(), Some("Europe/Paris"));
        for bad in ["Mars/Olympus", "Europe/Paris\\r\\nX-INJECTED:1", ""] {
            let e = Config::parse(&format!("[ui]\nbell = true\n[calendar]\ntimezone = \"{bad}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("4:") && e.contains("not an IANA time zone"), "{bad:?}: {e}");
            assert!(!e.contains('\n') && !e.contains('\r'), "{e:?}");
        }
    }

    #[test]
    fn a_user_name_with_control_characters_is_refused_naming_the_line() {
        let e = Config::parse("[ui]\nuser = \"Eve\\u001b]0;pwned\\u0007\"\n").unwrap_err().to_string();
        assert!(e.starts_with("2:") && e.contains("control characters"), "{e}");
        assert_eq!(Config::parse("[ui]\nuser = \"Zoë\"\n").unwrap().user, "Zoë");
    }
}
