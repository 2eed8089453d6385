//! Text typed or imported by a user is data: make it safe to show, and fit it to a width.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// True for characters that could drive a terminal or disguise what text says: C0 and C1
/// controls (ESC, CSI, OSC...), DEL, and the invisible format characters: bidirectional marks,
/// embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069), zero-width
/// spaces and joiners (U+200B-U+200D, U+2060-U+2064, U+FEFF), the line and paragraph separators
/// (U+2028/2029), the Mongolian vowel separator, interlinear annotations and tag characters
/// (U+E0000-U+E007F, used to smuggle invisible ASCII).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// The text with every unsafe character replaced by a visible `?`-like mark
/// (newlines and tabs become spaces), so stored text is shown, never obeyed.
pub fn safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' | '\r' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// As [`safe`], but keeping line breaks and tabs: for formats that carry them (CSV cells). A
/// carriage return is not kept: before a newline it goes (the newline stays), alone it is shown
/// as the mark, since it moves the cursor back over what was printed.
pub fn safe_keeping_breaks(s: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && !matches!(c, '\n' | '\t');
    if !s.chars().any(unsafe_here) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            c if unsafe_here(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A value quoted in a message: `'12abc'`, on one line and at most [`QUOTE_MAX`] characters,
/// so an error about a 2 MB cell or a pasted paragraph stays one readable line.
pub fn quote(s: &str) -> String {
    let one_line: String = s.chars().map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }).collect();
    match one_line.char_indices().nth(QUOTE_MAX) {
        Some((i, _)) => format!("'{}…'", &one_line[..i]),
        None => format!("'{one_line}'"),
    }
}

/// The most characters of a value a message quotes.
pub const QUOTE_MAX: usize = 80;

/// A name as people type it, for matching: case, spacing and dashes folded, so "search - core
/// terms" finds "Search – Core terms" (an en dash nobody types).
pub fn name_key(s: &str) -> String {
    let dashes: String = s
        .chars()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    dashes.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A channel as stored: `"Paid Social"` => `"paid-social"`, `"PAID_SOCIAL"` => `"paid-social"`.
///
/// Hyphens join the run too, so `"Paid - Social"` does not become `"paid---social"`.
pub fn channel_slug(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_ascii() {
        return ascii_slug(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut pending_dash = false;
    for c in raw.chars() {
        if c.is_whitespace() || c == '_' || c == '-' {
            pending_dash = !out.is_empty();
        } else {
            if pending_dash {
                out.push('-');
                pending_dash = false;
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Same rules on bytes: channel cells are almost always ASCII and this runs once per row.
fn ascii_slug(raw: &str) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut pending_dash = false;
    for b in raw.bytes() {
        if b.is_ascii_whitespace() || b == 0x0B || b == b'_' || b == b'-' {
            pending_dash = !out.is_empty();
        } else {
            if pending_dash {
                out.push(b'-');
                pending_dash = false;
            }
            out.push(b.to_ascii_lowercase());
        }
    }
    // Only ASCII bytes were pushed, so this cannot fail; the fallback keeps it panic-free anyway.
    String::from_utf8(out).unwrap_or_default()
}

/// Display width in terminal cells (CJK and emoji count two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` cells, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Pad or cut to exactly `w` cells, left-aligned.
pub fn fit(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(pad))
}

/// Pad to `w` cells, right-aligned (numbers).
pub fn fit_right(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(pad))
}

/// Closest candidates to a mistyped name, best first (for "did you mean" errors).
pub fn close_matches<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let w = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lc = c.to_lowercase();
            let d = levenshtein(&w, &lc);
            let near = d <= 2.max(w.len() / 3) || lc.contains(&w) || w.contains(&lc);
            near.then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, c)| c).take(5).collect()
}

/// Edit distance in characters, for "did you mean" notes: `strsim` (already pulled in by clap)
/// is well tested, so the project keeps no edit-distance code of its own.
pub use strsim::levenshtein;

/// Subsequence fuzzy match: every char of `needle` appears in order in `hay`.
pub fn fuzzy_match(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars().flat_map(char::to_lowercase);
    needle.chars().flat_map(char::to_lowercase).all(|n| it.any(|h| h == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_shown_not_obeyed() {
        let hostile = "Q4\x1b[2J launch\u{202E}evil\u{9b}31m\x07";
        let shown = safe(hostile);
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        assert!(shown.contains("launch"));
        assert_eq!(safe("plain"), Cow::Borrowed("plain"));
    }

    #[test]
    fn invisible_format_characters_are_shown_as_a_mark() {
        for c in ['\u{200B}', '\u{200D}', '\u{2028}', '\u{2066}', '\u{FEFF}', '\u{E0041}', '\u{85}', '\x7f'] {
            let shown = safe(&format!("a{c}b")).into_owned();
            assert_eq!(shown, "a\u{FFFD}b", "{c:?}");
        }
        assert_eq!(safe("a\rb"), "a b");
        assert_eq!(safe_keeping_breaks("a\r\nb\tc\rd"), "a\nb\tc\u{FFFD}d");
        assert_eq!(safe("Zoë 発売 🚀"), "Zoë 発売 🚀");
    }

    #[test]
    fn a_quoted_value_is_one_bounded_line() {
        assert_eq!(quote("12abc"), "'12abc'");
        assert_eq!(quote("a\nb"), "'a b'");
        let long = quote(&"x".repeat(2_500_000));
        assert_eq!(long.chars().count(), QUOTE_MAX + 3);
        assert!(long.ends_with("…'"));
    }

    #[test]
    fn wide_characters_count_two_cells() {
        assert_eq!(width("発売"), 4);
        assert_eq!(fit("発売日🚀", 5), "発売…");
        assert_eq!(width(&fit("発売日🚀", 5)), 5);
        assert_eq!(fit_right("42", 5), "   42");
    }

    #[test]
    fn close_matches_suggest_the_likely_name() {
        let names = ["mqls", "sqls", "leads", "pipeline"];
        assert_eq!(close_matches("mql", names)[0], "mqls");
        assert_eq!(close_matches("pipline", names)[0], "pipeline");
        assert!(close_matches("zzzzzzzz", names).is_empty());
    }

    #[test]
    fn names_match_whatever_dash_and_spacing_was_typed() {
        assert_eq!(name_key("Search – Core  terms"), name_key("search - core terms"));
        assert_eq!(channel_slug(" Paid Search "), "paid-search");
        assert_eq!(channel_slug("paid_social"), "paid-social");
    }

    #[test]
    fn fuzzy_matching_is_a_subsequence() {
        assert!(fuzzy_match("gtd roi", "Test a gated ROI calculator"));
        assert!(!fuzzy_match("xyz", "Test a gated ROI calculator"));
    }
}
