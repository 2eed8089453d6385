//! Turning raw file bytes into text, and the line/cell splitting used before the CSV reader takes over.

use std::borrow::Cow;

use super::ImportError;

/// Decodes UTF-8 (BOM optional) or UTF-16 LE/BE (BOM, or the tell-tale NUL pattern) into text.
///
/// UTF-8 without a BOM is borrowed: the 1M-row kpi-csv path must not copy the whole file twice.
pub(super) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8(rest)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        Cow::Owned(utf16(rest, u16::from_le_bytes)?)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        Cow::Owned(utf16(rest, u16::from_be_bytes)?)
    } else if looks_like_utf16(bytes, 1) {
        // Some tools drop the BOM when re-saving; ASCII text in UTF-16 has a NUL in every other byte.
        Cow::Owned(utf16(bytes, u16::from_le_bytes)?)
    } else if looks_like_utf16(bytes, 0) {
        Cow::Owned(utf16(bytes, u16::from_be_bytes)?)
    } else {
        utf8(bytes)?
    };
    Ok(normalise_lone_cr(text))
}

fn looks_like_utf16(bytes: &[u8], nul_at: usize) -> bool {
    bytes.len() >= 4
        && bytes.len().is_multiple_of(2)
        && bytes[nul_at] == 0
        && bytes[nul_at + 2] == 0
        && bytes[1 - nul_at] != 0
        && bytes[3 - nul_at] != 0
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            Err(ImportError::new(
                line,
                "-",
                format!(
                    "not valid UTF-8 (byte 0x{:02X}); save the file as UTF-8 or UTF-16 with a byte-order mark",
                    bytes[at]
                ),
            ))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    let pairs = bytes.chunks_exact(2);
    let odd = !pairs.remainder().is_empty();
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    for c in char::decode_utf16(pairs.map(|p| unit([p[0], p[1]]))) {
        match c {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                out.push(c);
            }
            Err(e) => {
                let msg = format!("not valid UTF-16 (unpaired surrogate 0x{:04X})", e.unpaired_surrogate());
                return Err(ImportError::new(line, "-", msg));
            }
        }
    }
    if odd {
        return Err(ImportError::new(line, "-", "truncated UTF-16 (odd number of bytes)"));
    }
    Ok(out)
}

/// Classic-Mac files end lines with a bare CR; line numbers are counted on LF, so make them LF.
fn normalise_lone_cr(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains('\r') && !text.contains('\n') { Cow::Owned(text.replace('\r', "\n")) } else { text }
}

/// A physical line: 1-based number, byte offset of its start, and its content without the line ending.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub number: usize,
    pub offset: usize,
    pub text: &'a str,
}

pub(super) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut offset = 0;
    let mut number = 0;
    std::iter::from_fn(move || {
        if offset >= text.len() {
            return None;
        }
        let rest = &text[offset..];
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let raw = &rest[..len];
        let raw = raw.strip_suffix('\n').unwrap_or(raw);
        let line = Line { number: number + 1, offset, text: raw.strip_suffix('\r').unwrap_or(raw) };
        offset += len;
        number += 1;
        Some(line)
    })
}

/// Picks the separator that occurs most often outside quotes in the header line.
///
/// Ties go to tab, then semicolon: a header with commas inside names is more likely than one with tabs.
pub(super) fn sniff_separator(header: &str) -> u8 {
    let (mut comma, mut semi, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semi += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > 0 && tab >= semi && tab >= comma {
        b'\t'
    } else if semi > 0 && semi >= comma {
        b';'
    } else {
        b','
    }
}

/// Splits one line into trimmed, unquoted cells; only used on header candidates, never on data rows.
pub(super) fn split_cells(line: &str, sep: u8) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if quoted && chars.peek() == Some(&'"') {
                cell.push('"');
                chars.next();
            } else {
                quoted = !quoted;
            }
        } else if !quoted && u32::from(c) == u32::from(sep) {
            cells.push(cell.trim().to_string());
            cell.clear();
        } else {
            cell.push(c);
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").unwrap(), "a,b");
        assert_eq!(decode(&utf16le("a\tb\n")).unwrap(), "a\tb\n");
        let mut be = vec![0xFE, 0xFF];
        be.extend("x€".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), "x€");
        let no_bom: Vec<u8> = "ab\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&no_bom).unwrap(), "ab\n");
    }

    #[test]
    fn bad_encodings_name_the_line() {
        let e = decode(b"a\nb\n\xFF").unwrap_err();
        assert_eq!(e.line, 3);
        let mut v = utf16le("a\n");
        v.extend([0x00, 0xD8, 0x41, 0x00]);
        assert_eq!(decode(&v).unwrap_err().line, 2);
        let mut odd = utf16le("ab");
        odd.push(0);
        assert!(decode(&odd).unwrap_err().message.contains("odd"));
    }

    #[test]
    fn lines_strip_endings() {
        let l: Vec<_> = lines("a\r\nb\n\nc").map(|l| (l.number, l.offset, l.text)).collect();
        assert_eq!(l, vec![(1, 0, "a"), (2, 3, "b"), (3, 5, ""), (4, 6, "c")]);
        assert_eq!(decode(b"a\rb\r").unwrap(), "a\nb\n");
    }

    #[test]
    fn sniffs_and_splits() {
        assert_eq!(sniff_separator("date;metric;value"), b';');
        assert_eq!(sniff_separator("Day\tCampaign\tCost"), b'\t');
        assert_eq!(sniff_separator("\"a;b\",c"), b',');
        assert_eq!(split_cells(" \"a,\"\"b\"\" \", c ", b','), vec!["a,\"b\"", "c"]);
    }
}
