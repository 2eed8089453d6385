//! Output formats and the safe text sink, below every face: `Format`, plain text with stored
//! text neutralised, spreadsheet-safe CSV, Markdown cells, JSON. Exports, the brief and every
//! face print through these, so no stored text reaches a terminal or a spreadsheet as commands.

use std::borrow::Cow;
use std::io::Write;

use clap::ValueEnum;

use crate::domain::text::{is_unsafe, safe};

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

/// Print plain text (or Markdown) to stdout through the sink: control characters from stored
/// text are shown as `�`. A closed pipe (`mktg ... | head`) is not an error.
pub fn print_text<E: From<Error>>(s: &str) -> Result<(), E> {
    emit(s, false)
}

/// Print a machine format (JSON, CSV, ICS) to stdout through the same sink. Escaping is the
/// format's own (JSON from [`json`] is already escaped, and passes untouched); what a format
/// cannot carry is shown as `�`. CRLF line ends (ICS) are kept.
pub fn print_raw<E: From<Error>>(s: &str) -> Result<(), E> {
    emit(s, true)
}

/// Print `s` as `format` would be printed.
pub fn print<E: From<Error>>(format: Format, s: &str) -> Result<(), E> {
    emit(s, format == Format::Ics)
}

/// The bytes of a file in `format`, through the same sink as stdout: a file is read with `cat`
/// and `less` as often as by a program.
pub fn for_file(format: Format, s: &str) -> Cow<'_, str> {
    clean(s, format == Format::Ics)
}

/// The one place every byte of output passes: stdout here, files through [`for_file`], stderr
/// through [`error_line`].
fn emit<E: From<Error>>(s: &str, crlf: bool) -> Result<(), E> {
    let text = clean(s, crlf);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).or_else(broken_pipe_ok)?;
    Ok(out.flush().or_else(broken_pipe_ok)?)
}

/// Text with every character that could drive a terminal shown as `�`: C0 controls but the
/// newline and the tab (and CR before LF when `crlf`), DEL, C1, bidi controls, zero-width and
/// other invisible format characters (`domain::text::is_unsafe`). Text with none (nearly all of
/// it) is returned as it is, after one pass over its bytes.
pub fn clean(s: &str, crlf: bool) -> Cow<'_, str> {
    let Some(first) = first_unsafe(s.as_bytes(), 0, crlf) else { return Cow::Borrowed(s) };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    let mut at = first;
    let bytes = s.as_bytes();
    while at < s.len() {
        let c = s[at..].chars().next().unwrap_or('\u{FFFD}');
        let next = at + c.len_utf8();
        match c {
            '\n' | '\t' => out.push(c),
            // A CR before a LF ends a line: kept where the format needs it, else dropped.
            '\r' if bytes.get(next) == Some(&b'\n') => {
                if crlf {
                    out.push('\r');
                }
            }
            c if is_unsafe(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        // Copy the clean run up to the next unsafe character in one go.
        let until = first_unsafe(bytes, next, crlf).unwrap_or(s.len());
        out.push_str(&s[next..until]);
        at = until;
    }
    Cow::Owned(out)
}

/// The offset of the first character from `from` on that [`clean`] must change.
fn first_unsafe(b: &[u8], from: usize, crlf: bool) -> Option<usize> {
    let mut i = from;
    loop {
        // Runs of printable ASCII (nearly all output) in one scan the compiler vectorises: the
        // sink must cost nothing measurable on a million-row export (#12).
        i += b.get(i..)?.iter().position(|&x| !(0x20..0x7F).contains(&x))?;
        let x = b[i];
        if x < 0x80 {
            if x == b'\n' || x == b'\t' || (crlf && x == b'\r' && b.get(i + 1) == Some(&b'\n')) {
                i += 1;
                continue;
            }
            return Some(i);
        }
        // Multi-byte: decode just this character from the bytes (they come from a `str`).
        let len = match x {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let end = (i + len).min(b.len());
        let cp = b[i + 1..end].iter().fold(u32::from(x) & (0x7F >> len), |cp, &y| (cp << 6) | u32::from(y & 0x3F));
        if char::from_u32(cp).is_none_or(is_unsafe) {
            return Some(i);
        }
        i = end;
    }
}

fn broken_pipe_ok(e: std::io::Error) -> Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(Error::system(format!("stdout: {e}"))) }
}

/// An error as the one line a user reads on stderr: `error: ` then the message on one line,
/// through the sink, at most [`ERROR_MAX`] characters.
pub fn error_line(msg: &str) -> String {
    let one = safe(msg).replace('\n', " ");
    let one = match one.char_indices().nth(ERROR_MAX) {
        Some((i, _)) => format!("{}…", &one[..i]),
        None => one,
    };
    format!("error: {one}")
}

/// The longest error line printed: a message quoting a whole file still fits a screen.
const ERROR_MAX: usize = 1_000;

/// Print a value as pretty JSON (what `--format json` prints, byte for byte, for every face).
pub fn print_json<T: serde::Serialize, E: From<Error>>(value: &T) -> Result<(), E> {
    print_raw(&json::<T, Error>(value)?)
}

/// A value as pretty JSON. serde_json escapes only the C0 controls; the characters a terminal
/// would obey or that disguise text (DEL, C1, bidi controls, zero-width and other invisible
/// format characters) are escaped here too, as `\uXXXX`: the value reads back the same, and the
/// text is safe on a terminal.
pub fn json<T: serde::Serialize, E: From<Error>>(value: &T) -> Result<String, E> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::system(format!("json: {e}")))?;
    Ok(escape_json(text) + "\n")
}

/// Escape what serde_json leaves raw. Outside strings JSON holds only ASCII punctuation, digits,
/// letters and spaces, so every such character is inside a string, where `\uXXXX` means the same.
fn escape_json(text: String) -> String {
    if !text.chars().any(|c| c == '\x7f' || (!c.is_ascii() && is_unsafe(c))) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 32);
    for c in text.chars() {
        if c == '\x7f' || (!c.is_ascii() && is_unsafe(c)) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
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

/// Escape text for a Markdown table cell or line: pipes, and nothing that renders as HTML or as
/// a link. Brackets are escaped so no `[text](url)` or `![image](url)` forms, angle brackets are
/// entities so no raw HTML or `<scheme:...>` autolink does, and a `javascript:`, `vbscript:` or
/// `data:` scheme loses its colon's meaning in any renderer that links bare schemes.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in safe(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            ':' if ends_with_risky_scheme(&out) => out.push_str("\\:"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `text` ends with a URL scheme that runs or embeds code.
fn ends_with_risky_scheme(text: &str) -> bool {
    ["javascript", "vbscript", "data"].iter().any(|scheme| {
        let n = scheme.len();
        text.len() >= n && text.is_char_boundary(text.len() - n) && text[text.len() - n..].eq_ignore_ascii_case(scheme)
    })
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

    #[test]
    fn the_sink_keeps_text_and_marks_what_a_terminal_would_obey() {
        assert!(matches!(clean("plain\ttext\n発売 🚀\n", false), Cow::Borrowed(_)));
        assert_eq!(clean("a\x1b]52;c;aGk=\x07b\n", false), "a\u{FFFD}]52;c;aGk=\u{FFFD}b\n");
        assert_eq!(clean("x\u{9b}31m\u{202e}y\u{200b}z", false), "x\u{FFFD}31m\u{FFFD}y\u{FFFD}z");
        assert_eq!(clean("over\rwrite\r\n", false), "over\u{FFFD}write\n");
        assert_eq!(clean("ICS\r\nline\r\n", true), "ICS\r\nline\r\n");
        assert_eq!(clean("bad\rICS\r\n", true), "bad\u{FFFD}ICS\r\n");
    }

    #[test]
    fn the_fast_scan_finds_exactly_what_a_character_by_character_reading_finds() {
        // Every character class at every position of a line: printable ASCII, controls, DEL,
        // 2-, 3- and 4-byte characters safe and unsafe, CR before LF and alone.
        let parts =
            ["ab", "\n", "\t", "\r\n", "\r", "\x1b", "\x7f", "é", "\u{85}", "発", "\u{202e}", "🚀", "\u{E0041}"];
        let reference = |s: &str, crlf: bool| -> Option<usize> {
            s.char_indices().find_map(|(i, c)| {
                let ok = matches!(c, '\n' | '\t')
                    || (c == '\r' && crlf && s[i + 1..].starts_with('\n'))
                    || (!is_unsafe(c) && c != '\r');
                (!ok).then_some(i)
            })
        };
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}x{c}");
                    for crlf in [false, true] {
                        assert_eq!(first_unsafe(s.as_bytes(), 0, crlf), reference(&s, crlf), "{s:?} crlf={crlf}");
                    }
                }
            }
        }
    }

    #[test]
    fn json_escapes_c1_bidi_and_invisible_characters_and_reads_back_the_same() {
        let value = "a\u{85}b\u{202e}c\u{200b}d\u{7f}e\u{E0041}f\x1bg";
        let text = json::<_, Error>(&value).unwrap();
        assert!(text.is_ascii() || !text.chars().any(is_unsafe), "{text:?}");
        assert!(text.contains("\\u0085") && text.contains("\\u202e") && text.contains("\\udb40\\udc41"), "{text}");
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn markdown_cells_carry_no_links_nor_html() {
        assert_eq!(md("[click](javascript:alert(1))"), "\\[click\\](javascript\\:alert(1))");
        assert_eq!(md("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(md("DATA:text/html"), "DATA\\:text/html");
        assert_eq!(md("a|b at 9:30"), "a\\|b at 9:30");
    }
}
