//! Launches as text, CSV, JSON and Markdown: `mktg launch list` and `mktg export launches` share these rows.

use chrono::NaiveDateTime;

use crate::domain::launch::TierSource;
use crate::domain::rubric::TierRules;
use crate::domain::text::{fit, fit_right};
use crate::io::error::{Error, Result};
use crate::output::{self, Format};
use crate::store::Store;
pub use crate::views::launches::{LaunchRecord, records};

const HEADER: [&str; 12] = [
    "id",
    "name",
    "product",
    "owner",
    "launch_date",
    "days_to_go",
    "stage",
    "tier",
    "tier_source",
    "done",
    "required",
    "open_baseline",
];

/// Render records in `format`.
pub fn render(records: &[LaunchRecord], format: Format) -> Result<String> {
    match format {
        Format::Json => output::json(&records),
        Format::Csv => {
            let rows: Vec<Vec<String>> = records
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.name.clone(),
                        r.product.clone(),
                        r.owner.clone(),
                        r.launch_date.clone(),
                        r.days_to_go.to_string(),
                        r.stage.clone(),
                        r.tier.map(|t| t.to_string()).unwrap_or_default(),
                        match r.tier_source {
                            Some(TierSource::Override) => "override".into(),
                            Some(TierSource::Computed) => "computed".into(),
                            None => String::new(),
                        },
                        r.readiness.done.to_string(),
                        r.readiness.required.to_string(),
                        r.open_baseline.join("; "),
                    ]
                })
                .collect();
            output::csv(&HEADER, &rows)
        }
        Format::Markdown => Ok(markdown(records)),
        Format::Text => Ok(text(records)),
        Format::Ics => Err(Error::input("launches export as text, csv, json or markdown, not ics")),
    }
}

fn text(records: &[LaunchRecord]) -> String {
    if records.is_empty() {
        return "no launches yet: `mktg launch add NAME --date D`\n".into();
    }
    let mut out = format!(
        "{:>4}  {}  {}  {}  {:>5}  {}  {}  {:>6}  {}  flag\n",
        "id",
        fit("name", 26),
        fit("product", 12),
        fit("date", 10),
        "days",
        fit("tier", 6),
        fit("stage", 11),
        "ready",
        fit("owner", 12)
    );
    for r in records {
        let flag = if r.lead_flag.is_some() { "  ! inside lead time" } else { "" };
        let line = format!(
            "{:>4}  {}  {}  {}  {}  {}  {}  {}  {}{flag}",
            r.id,
            fit(&r.name, 26),
            fit(&r.product, 12),
            r.launch_date,
            fit_right(&r.days_to_go.to_string(), 5),
            fit(&r.tier_label(), 6),
            fit(&r.stage, 11),
            fit_right(&format!("{}/{}", r.readiness.done, r.readiness.required), 6),
            fit(&r.owner, 12)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn markdown(records: &[LaunchRecord]) -> String {
    let mut out = String::from(
        "# Launches\n\n| Launch | Product | Date | Days | Tier | Stage | Ready | Owner | Blocking go-live |\n|---|---|---|---:|---|---|---:|---|---|\n",
    );
    for r in records {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {}/{} | {} | {} |\n",
            output::md(&r.name),
            output::md(&r.product),
            r.launch_date,
            r.days_to_go,
            r.tier_label(),
            r.stage,
            r.readiness.done,
            r.readiness.required,
            output::md(&r.owner),
            output::md(&r.open_baseline.join("; "))
        ));
    }
    out
}

/// The launches as `format` (JSON when `None`). Lead-time flags use the shipped rubric:
/// this entry point does not see the user's config.
pub fn export(store: &Store, format: Option<Format>, now: NaiveDateTime) -> Result<String> {
    let recs = records(store, now.date(), &TierRules::defaults())?;
    render(&recs, format.unwrap_or(Format::Json))
}
