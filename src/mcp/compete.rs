//! The competition tools: `competitor_card` and `winloss`, each its command's `--format json`.

use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde::Deserialize;

use super::tools::{Answer, Call, args};
use crate::error::Result;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CardArgs {
    /// The competitor's key (acme); case, spacing and dashes are forgiven.
    key: String,
}

pub(super) fn competitor_card(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    let a: CardArgs = args("competitor_card", a)?;
    Answer::of(&crate::views::compete::card(c.store, &a.key, c.now.date(), &c.config.compete)?)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WinlossArgs {
    /// 2026-Q4 (default: the current quarter), 2026-11 or 2026-W47; compared with the period before.
    #[serde(default)]
    period: Option<String>,
    /// Group by competitor (the default), reason or segment.
    #[serde(default)]
    by: Option<WinlossBy>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum WinlossBy {
    Competitor,
    Reason,
    Segment,
}

pub(super) fn winloss(c: &Call<'_>, a: JsonObject) -> Result<Answer> {
    use crate::views::compete as view;
    let a: WinlossArgs = args("winloss", a)?;
    let period = view::period_or_quarter(a.period.as_deref(), c.now.date())?;
    let by = match a.by.unwrap_or(WinlossBy::Competitor) {
        WinlossBy::Competitor => crate::domain::winloss::By::Competitor,
        WinlossBy::Reason => crate::domain::winloss::By::Reason,
        WinlossBy::Segment => crate::domain::winloss::By::Segment,
    };
    Answer::of(&view::winloss(c.store, period, by)?)
}
