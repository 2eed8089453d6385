//! Normalising free text from files: channel slugs and the squashed form used to compare stage names.

#[cfg(test)]
use crate::domain::import::squash;
#[cfg(test)]
use crate::domain::text::channel_slug as slug;

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
