//! The data shipped inside the binary: role templates, the tier rubric, the default keymap.

use serde::Deserialize;

use crate::domain::error::{Error, Result};
use crate::domain::model::{Direction, Rollup, Unit};

pub const DEMAND_GEN: &str = include_str!("../assets/roles/demand-gen.toml");
pub const PRODUCT_MARKETING: &str = include_str!("../assets/roles/product-marketing.toml");
pub const KEYMAP: &str = include_str!("../assets/keymap.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    DemandGen,
    ProductMarketing,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::DemandGen, Role::ProductMarketing];

    pub fn parse(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "demand-gen" | "demand" | "dg" => Ok(Role::DemandGen),
            "product-marketing" | "pmm" | "product" => Ok(Role::ProductMarketing),
            other => Err(Error::input(format!("'{other}' is not a role (demand-gen or product-marketing)"))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::DemandGen => "demand-gen",
            Role::ProductMarketing => "product-marketing",
        }
    }

    pub fn template(self) -> RoleTemplate {
        let text = match self {
            Role::DemandGen => DEMAND_GEN,
            Role::ProductMarketing => PRODUCT_MARKETING,
        };
        // The templates are part of the binary and covered by tests: a parse failure is a build defect.
        toml::from_str(text).expect("embedded role template parses")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct RoleTemplate {
    pub role: String,
    pub label: String,
    pub currency: String,
    #[serde(rename = "metric")]
    pub metrics: Vec<MetricTemplate>,
    #[serde(rename = "meeting")]
    pub meetings: Vec<MeetingTemplate>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MetricTemplate {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub direction: Direction,
    pub rollup: Rollup,
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub headline: u32,
    #[serde(default)]
    pub min_volume: f64,
    /// A count that may be fractional (weighted conversions); counts are whole otherwise.
    #[serde(default)]
    pub fractional: bool,
    #[serde(default)]
    pub target_month: Option<f64>,
    #[serde(default)]
    pub target_quarter: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MeetingTemplate {
    pub key: String,
    pub name: String,
    #[serde(default = "daily_kind")]
    pub kind: String,
    pub time: String,
    pub duration: u32,
    pub recurrence: String,
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub kpis: Vec<String>,
}

fn daily_kind() -> String {
    "daily".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_asset_parses() {
        for role in Role::ALL {
            let t = role.template();
            assert!(t.metrics.iter().any(|m| m.headline > 0));
            assert!(t.meetings.len() >= 8);
        }
    }
}
