//! Shared output helpers: formats, safe plain text, spreadsheet-safe CSV.

use std::io::Write;

use clap::ValueEnum;

use crate::domain::text::safe;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Json,
    Markdown,
    Ics,
}

/// Print plain text to stdout with any control characters from stored text neutralised.
/// A closed pipe (`mktg ... | head`) is not an error.
pub fn print_text(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for line in s.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map(|b| (b, "\n")).unwrap_or((line, ""));
        if let Err(e) = write!(out, "{}{nl}", safe(body)) {
            return broken_pipe_ok(e);
        }
    }
    out.flush().or_else(broken_pipe_ok)
}

/// Print machine formats (JSON, CSV, ICS) as they are: escaping is the format's own.
pub fn print_raw(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes()).or_else(broken_pipe_ok)?;
    out.flush().or_else(broken_pipe_ok)
}

fn broken_pipe_ok(e: std::io::Error) -> Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(Error::system(format!("stdout: {e}"))) }
}

pub fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(|e| Error::system(format!("json: {e}")))
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// is prefixed with `'` so it is shown as text. Numbers are left alone.
/// Terminal control characters (ESC, C0/C1, bidi overrides) are shown as `�`, as in every
/// plain-text output; newlines and tabs inside a cell are kept (CSV quotes them).
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let cell = crate::domain::text::safe_keeping_breaks(s);
    if risky && s.parse::<f64>().is_err() { format!("'{cell}").into() } else { cell }
}

/// Write rows as CSV (header first), every text cell neutralised.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| Error::system(e.to_string()))?;
    for row in rows {
        w.write_record(row.iter().map(|c| csv_cell(c).into_owned())).map_err(|e| Error::system(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| Error::system(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::system(e.to_string()))
}

/// Escape text for a Markdown table cell or line: pipes, and nothing that renders as HTML.
pub fn md(s: &str) -> String {
    safe(s).replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_formulas_are_neutralised_but_numbers_are_not() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-12.5"), "-12.5");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("red\x1b[31m\nnext"), "red\u{FFFD}[31m\nnext");
    }
}
