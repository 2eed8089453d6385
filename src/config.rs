//! `config.toml`: user settings. A missing file means defaults; a malformed one is an error naming the line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::assets::TierRules;
use crate::error::{Error, Result};
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
    keys: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUi {
    bell: Option<bool>,
    user: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    timezone: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTiering {
    tier1_min: Option<u32>,
    tier2_min: Option<u32>,
    weights: Option<RawWeights>,
    lead_weeks: Option<RawLeadWeeks>,
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
        Config::parse(&text).map(|c| Config { path: Some(path.to_path_buf()), ..c }).map_err(|e| match e {
            Error::Input(m) => Error::input(format!("{}:{m}", path.display())),
            e => e,
        })
    }

    /// Parse config text. Errors start with the line number: `3: unknown field ...`.
    pub fn parse(text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of_offset(text, s.start)).unwrap_or(1);
            Error::input(format!("{line}: {}", e.message().trim()))
        })?;
        let mut cfg = Config::default();
        if let Some(b) = raw.ui.bell {
            cfg.bell = b;
        }
        if let Some(u) = raw.ui.user.filter(|u| !u.trim().is_empty()) {
            cfg.user = u;
        }
        cfg.timezone = raw.calendar.timezone;
        let r = &mut cfg.tiers;
        if let Some(v) = raw.tiering.tier1_min {
            r.rubric.tier1_min = v;
        }
        if let Some(v) = raw.tiering.tier2_min {
            r.rubric.tier2_min = v;
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
            let line = line_of(text, "tier2_min").or_else(|| line_of(text, "tier1_min")).unwrap_or(1);
            return Err(Error::input(format!("{line}: tier2_min must be below tier1_min")));
        }
        let mut patches = Vec::new();
        for (section, binds) in &raw.keys {
            let line = line_of(text, &format!("[keys.{section}]")).unwrap_or(1);
            let toml::Value::Table(binds) = binds else {
                return Err(Error::input(format!("{line}: [keys.{section}] must be a table of key = \"action\"")));
            };
            for (key, action) in binds {
                let line = line_of_binding(text, section, key).unwrap_or(line);
                let Some(action) = action.as_str() else {
                    return Err(Error::input(format!("{line}: the action for '{key}' must be a string")));
                };
                patches.push(KeyPatch { section: section.clone(), key: key.clone(), action: action.into(), line });
            }
        }
        cfg.keymap = Keymap::build(&patches).map_err(|e| {
            // Keymap errors say "config line N: ..."; keep the "N: ..." shape of this function.
            Error::input(e.message().trim_start_matches("config line ").to_string())
        })?;
        Ok(cfg)
    }
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// The line of `key = ...` inside `[keys.section]`.
fn line_of_binding(text: &str, section: &str, key: &str) -> Option<usize> {
    let header = format!("[keys.{section}]");
    let mut inside = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            inside = t == header;
            continue;
        }
        let lhs = t.split('=').next().unwrap_or("").trim().trim_matches('"').trim_matches('\'');
        if inside && lhs == key {
            return Some(i + 1);
        }
    }
    None
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
    fn malformed_config_names_the_line() {
        let e = Config::parse("[ui]\nbell = true\nbel = 3\n").unwrap_err().to_string();
        assert!(e.starts_with("3:"), "{e}");
        let e = Config::parse("[ui]\nbell = \n").unwrap_err().to_string();
        assert!(e.starts_with("2:"), "{e}");
        let e = Config::parse("[keys.global]\n\"x\" = \"quit\"\n\"y\" = \"fly\"\n").unwrap_err().to_string();
        assert!(e.starts_with("3:") && e.contains("fly"), "{e}");
    }
}
