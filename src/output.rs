//! Output formats and the safe text sink, below every face: `Format`, plain text with stored
//! text neutralised, spreadsheet-safe CSV, Markdown cells, JSON. Exports, the brief and every
//! face print through these, so no stored text reaches a terminal or a spreadsheet as commands.

use std::io::Write;

use clap::ValueEnum;

use crate::domain::text::safe;

/// Writing output failed: stdout went away, or a serializer failed. Always the system's fault.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Error(String);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn system(msg: impl Into<String>) -> Self {
        Error(msg.into())
    }
}

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
pub fn print_text<E: From<Error>>(s: &str) -> Result<(), E> {
    let mut out = std::io::stdout().lock();
    for line in s.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map(|b| (b, "\n")).unwrap_or((line, ""));
        if let Err(e) = write!(out, "{}{nl}", safe(body)) {
            return Ok(broken_pipe_ok(e)?);
        }
    }
    Ok(out.flush().or_else(broken_pipe_ok)?)
}

/// Print machine formats (JSON, CSV, ICS) as they are: escaping is the format's own.
pub fn print_raw<E: From<Error>>(s: &str) -> Result<(), E> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes()).or_else(broken_pipe_ok)?;
    Ok(out.flush().or_else(broken_pipe_ok)?)
}

fn broken_pipe_ok(e: std::io::Error) -> Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(Error::system(format!("stdout: {e}"))) }
}

/// Print a value as pretty JSON (what `--format json` prints, byte for byte, for every face).
pub fn print_json<T: serde::Serialize, E: From<Error>>(value: &T) -> Result<(), E> {
    print_raw(&json::<T, Error>(value)?)
}

pub fn json<T: serde::Serialize, E: From<Error>>(value: &T) -> Result<String, E> {
    serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(|e| Error::system(format!("json: {e}")).into())
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
pub fn csv<E: From<Error>>(header: &[&str], rows: &[Vec<String>]) -> Result<String, E> {
    Ok(csv_text(header, rows)?)
}

fn csv_text(header: &[&str], rows: &[Vec<String>]) -> Result<String> {
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
