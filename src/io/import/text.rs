//! Normalising free text from files: channel slugs and the squashed form used to compare stage names.

/// `"Paid Social"` => `"paid-social"`, `"PAID_SOCIAL"` => `"paid-social"`.
///
/// Hyphens join the run too, so `"Paid - Social"` does not become `"paid---social"`.
pub(super) fn slug(raw: &str) -> String {
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

/// Lowercase alphanumerics only, so `"Closed Won"`, `"closedwon"` and `"CLOSED_WON"` compare equal.
pub(super) fn squash(raw: &str) -> String {
    raw.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Keeps error messages readable when a cell holds a whole paragraph.
pub(super) fn shorten(raw: &str, max_chars: usize) -> String {
    match raw.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &raw[..i]),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Paid Social"), "paid-social");
        assert_eq!(slug("  Organic   Search "), "organic-search");
        assert_eq!(slug("PAID_SOCIAL"), "paid-social");
        assert_eq!(slug("Paid - Social"), "paid-social");
        assert_eq!(slug("Cross-network"), "cross-network");
        assert_eq!(slug(""), "");
        assert_eq!(slug(" Réseaux  Sociaux_"), "réseaux-sociaux");
        assert_eq!(slug("\u{a0}Paid\u{a0}Social"), "paid-social");
        assert_eq!(slug("Paid\x0bSocial"), "paid-social");
    }

    #[test]
    fn squashes_and_shortens() {
        assert_eq!(squash("Decision Maker Bought-In"), "decisionmakerboughtin");
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
