//! Locating the header row after any preamble, and walking data rows with their physical line numbers.

use csv::StringRecord;

use super::ImportError;
use super::decode::{Line, lines, sniff_separator, split_cells};
use super::number::Numbers;
use super::sink::Sink;

/// Headers further down than this are not headers of any export we know.
const HEADER_SEARCH_LINES: usize = 100;

pub(super) struct Header {
    /// 1-based physical line of the header row.
    pub line: usize,
    pub sep: u8,
    /// Header cells trimmed but otherwise as written, so errors name columns the way the user sees them.
    pub columns: Vec<String>,
}

impl Header {
    /// First column matching any of `names`, ignoring ASCII case.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.iter().position(|c| c.eq_ignore_ascii_case(n)))
    }

    /// Like `find`, but a missing column is an error on the header line.
    pub fn require(&self, sink: &mut Sink<'_>, names: &[&str]) -> Option<usize> {
        let found = self.find(names);
        if found.is_none() {
            let name = names.first().copied().unwrap_or("-");
            let mut msg = "missing required column".to_string();
            if names.len() > 1 {
                msg = format!("{msg} (also accepted: {})", names[1..].join(", "));
            }
            sink.error(self.line, name, msg);
        }
        found
    }

    pub fn name(&self, idx: usize) -> &str {
        self.columns.get(idx).map_or("-", String::as_str)
    }

    /// The non-empty columns not among `read`, named as written: the summary's "not read".
    pub fn unread(&self, read: &[usize]) -> Vec<String> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(i, c)| !c.is_empty() && !read.contains(i))
            .map(|(_, c)| c.clone())
            .collect()
    }
}

pub(super) struct Table<'a> {
    pub header: Header,
    /// Lines before the header (title blocks, `#` comments), for presets that read dates from them.
    pub preamble: Vec<Line<'a>>,
    body: &'a str,
    reader: csv::Reader<&'a [u8]>,
    /// GA4 stacks several report sections in one file; only the first table is imported.
    pub stop_at_comment: bool,
}

impl<'a> Table<'a> {
    /// GA4: the header is the first line that is neither blank nor a `#` comment.
    pub fn after_comments(text: &'a str) -> Result<Self, ImportError> {
        let mut preamble = Vec::new();
        for line in lines(text) {
            let t = line.text.trim();
            if t.is_empty() || t.starts_with('#') {
                preamble.push(line);
            } else {
                return Table::at(text, line, preamble);
            }
        }
        Err(ImportError::new(1, "-", "no header row found (only comments and blank lines)"))
    }

    /// The header is the first line, among the first 100, naming the most of `anchors`
    /// (each anchor being a column and its accepted aliases). Missing columns are the preset's to report.
    pub fn by_columns(text: &'a str, anchors: &[&[&str]]) -> Result<Self, ImportError> {
        let mut best: Option<(usize, Line<'a>)> = None;
        for line in lines(text).take(HEADER_SEARCH_LINES) {
            if line.text.trim().is_empty() {
                continue;
            }
            let cells = split_cells(line.text, sniff_separator(line.text));
            let score = anchors
                .iter()
                .filter(|alts| alts.iter().any(|a| cells.iter().any(|c| c.eq_ignore_ascii_case(a))))
                .count();
            if score > best.map_or(0, |b| b.0) {
                best = Some((score, line));
            }
        }
        let Some((_, line)) = best else {
            let wanted: Vec<&str> = anchors.iter().filter_map(|a| a.first().copied()).collect();
            let first = lines(text).find(|l| !l.text.trim().is_empty()).map_or("", |l| l.text);
            let msg = format!(
                "no header row found (expected columns such as {}); first line is {}",
                wanted.join(", "),
                crate::domain::text::quote(first)
            );
            return Err(ImportError::new(1, "-", msg));
        };
        let preamble = lines(text).take_while(|l| l.number < line.number).collect();
        Table::at(text, line, preamble)
    }

    fn at(text: &'a str, line: Line<'a>, preamble: Vec<Line<'a>>) -> Result<Self, ImportError> {
        let body = &text[line.offset..];
        let sep = sniff_separator(line.text);
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sep).from_reader(body.as_bytes());
        let mut record = StringRecord::new();
        let has_header = reader
            .read_record(&mut record)
            .map_err(|e| ImportError::new(line.number, "-", format!("unreadable header: {e}")))?;
        if !has_header {
            return Err(ImportError::new(line.number, "-", "no header row found"));
        }
        let columns = record.iter().map(|c| c.trim().to_string()).collect();
        Ok(Table { header: Header { line: line.number, sep, columns }, preamble, body, reader, stop_at_comment: false })
    }

    /// Calls `f` for each non-empty data row with its 1-based physical line; empty rows are
    /// recorded as skipped. Every record read counts towards `rows_read`.
    pub fn rows<'o>(&mut self, sink: &mut Sink<'o>, mut f: impl FnMut(&mut Sink<'o>, &Header, usize, &StringRecord)) {
        // The file's decimal mark: its separator decides, or (tab) its own cells.
        match Numbers::settle(self.body, self.header.sep, self.header.line) {
            Ok(n) => sink.numbers = n,
            Err(e) => return sink.errors.push(e),
        }
        let bytes = self.body.as_bytes();
        // The csv crate reads a quote that is never closed as running to the end of the file: that
        // is a broken file, not a value. Quotes pair up in valid CSV ("" inside a field too).
        if let Some(open) = unclosed_quote(bytes) {
            let at = self.header.line + bytes[..open].iter().filter(|&&b| b == b'\n').count();
            sink.error(at, "-", "a quoted field is never closed (a \" is missing)");
        }
        // The csv crate's own line numbers drift on CRLF and blank lines, so lines are counted here
        // from byte offsets: one pass over the text in total, whatever the row count.
        let (mut cursor, mut line) = (0usize, self.header.line);
        let mut record = StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let reported = record.position().map_or(cursor, |p| usize::try_from(p.byte()).unwrap_or(cursor));
                    let mut start = reported.max(cursor).min(bytes.len());
                    // The reported start can sit on the end of the previous line or on skipped blank lines.
                    while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                        start += 1;
                    }
                    line += bytes[cursor..start].iter().filter(|&&b| b == b'\n').count();
                    cursor = start;
                    if self.stop_at_comment && record.get(0).is_some_and(|c| c.trim_start().starts_with('#')) {
                        break;
                    }
                    sink.rows_read += 1;
                    if record.iter().all(|c| c.trim().is_empty()) {
                        sink.skip(line, "empty row");
                        continue;
                    }
                    f(sink, &self.header, line, &record);
                }
                Err(e) => {
                    sink.error(line, "-", format!("unreadable CSV: {e}"));
                    break;
                }
            }
        }
    }
}

/// Reads each `(metric, column)` count cell of a row into `slots`; false when any cell is bad
/// (every bad cell is reported, not just the first).
pub(super) fn read_counts(
    sink: &mut Sink<'_>,
    h: &Header,
    line: usize,
    rec: &StringRecord,
    cols: &[(&str, usize)],
    slots: &mut [Option<f64>],
) -> bool {
    let mut ok = true;
    for (slot, &(_, col)) in slots.iter_mut().zip(cols) {
        match sink.numbers.count(cell(rec, col), line) {
            Ok(v) => *slot = v,
            Err(e) => {
                sink.error(line, h.name(col), e);
                ok = false;
            }
        }
    }
    ok
}

/// A trimmed cell; cells missing from short rows read as empty, which every preset treats as missing.
pub(super) fn cell(record: &StringRecord, idx: usize) -> &str {
    record.get(idx).map_or("", str::trim)
}

pub(super) fn opt_cell(record: &StringRecord, idx: Option<usize>) -> &str {
    idx.map_or("", |i| cell(record, i))
}

/// Where the last quote that is never closed opens, if any.
fn unclosed_quote(bytes: &[u8]) -> Option<usize> {
    let mut open: Option<usize> = None;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'"' {
            open = if open.is_some() { None } else { Some(i) };
        }
    }
    open
}
