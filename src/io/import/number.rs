//! The importers' side of `domain::number`: a cell of a file whose fields are separated by `sep`,
//! with the error as the text an `ImportError` carries.

use crate::domain::number::{self, Reading, Source};

pub(super) use crate::domain::number::MAX_CENTS;

fn file(sep: u8) -> Source {
    Source::File { separator: sep }
}

/// Any number (kpi-csv values): the unit's checks come later, once the metric is known.
pub(super) fn number(raw: &str, sep: u8) -> Result<Option<Reading>, String> {
    number::read(raw, file(sep)).map_err(|e| e.to_string())
}

/// A count (sessions, clicks, leads): never negative, never a percentage.
pub(super) fn count(raw: &str, sep: u8) -> Result<Option<f64>, String> {
    number::count(raw, file(sep)).map_err(|e| e.to_string())
}

/// Money to exact integer cents.
pub(super) fn cents(raw: &str, sep: u8) -> Result<Option<i64>, String> {
    number::cents(raw, file(sep)).map_err(|e| e.to_string())
}
