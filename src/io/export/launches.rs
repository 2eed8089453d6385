//! Export of launches.

use chrono::NaiveDateTime;

use crate::cli::output::Format;
use crate::error::{Error, Result};
use crate::store::Store;

/// The launches as `format` (the default format when `None`).
pub fn export(_store: &Store, _format: Option<Format>, _now: NaiveDateTime) -> Result<String> {
    Err(Error::input("'export launches' is not available yet in this build"))
}
