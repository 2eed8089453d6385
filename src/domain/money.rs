//! Money as integer minor units (cents): parsing what people type and formatting it back.

use crate::domain::error::{Error, Result};
use crate::domain::number::{self, Source};
use crate::domain::text::quote;

/// The largest amount read: ±100 billion in major units, far below i64's limit so sums of many
/// entries can never overflow.
pub const MAX_CENTS: i64 = number::MAX_CENTS as i64;

/// Parse an amount as people type it: `12000`, `12,000`, `12 000`, `$12,000.50`, `-5.25`,
/// `€1.234,50`, `12,000 USD` (the grammar is `domain::number`'s). Exact: at most two decimals.
pub fn parse_cents(input: &str) -> Result<i64> {
    let bad = |why: &str| Error::input(format!("{} is not an amount: {why}", quote(input.trim())));
    match number::cents(input, Source::Typed) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(bad("no digits")),
        Err(e) => Err(bad(e.why())),
    }
}

/// The currency an amount names, if any: `$` USD, `€` EUR, `£` GBP, `¥` JPY, or an ISO code.
fn named_currency(input: &str) -> Option<String> {
    let t: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    for (sym, code) in [('$', "USD"), ('€', "EUR"), ('£', "GBP"), ('¥', "JPY")] {
        if t.contains(sym) {
            return Some(code.into());
        }
    }
    let letters: String = t.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    number::is_currency_code(&letters).then(|| letters.to_ascii_uppercase())
}

/// Refuse an amount that names another currency than the store keeps: "100 EUR" is not $100.
pub fn check_currency(input: &str, store_currency: &str) -> Result<()> {
    match named_currency(input) {
        Some(c) if !c.eq_ignore_ascii_case(store_currency) => Err(Error::input(format!(
            "{} is in {c}, but this store keeps {store_currency}; convert it first",
            quote(input.trim())
        ))),
        _ => Ok(()),
    }
}

/// Parse an amount for a store keeping `currency`: as [`parse_cents`], and in that currency.
pub fn parse_amount(input: &str, currency: &str) -> Result<i64> {
    check_currency(input, currency)?;
    parse_cents(input)
}

/// An amount as typed for a plan (`zero_ok`: zero or more) or for spend and a move (more than
/// zero), in the store's currency: the one check the command line and the budget forms share.
pub fn parse_positive(input: &str, currency: &str, zero_ok: bool) -> Result<i64> {
    let c = parse_amount(input, currency)?;
    if c < 0 || (c == 0 && !zero_ok) {
        let want = if zero_ok { "zero or more" } else { "more than zero" };
        return Err(Error::input(format!("{} must be {want}", quote(input.trim()))));
    }
    Ok(c)
}

/// `1234567` cents -> `12,345.67`.
pub fn format_plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", group_thousands(abs / 100), abs % 100)
}

/// `1234567` cents with currency USD -> `$12,345.67`; whole amounts drop the cents.
pub fn format(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let body = if abs.is_multiple_of(100) {
        group_thousands(abs / 100)
    } else {
        format!("{}.{:02}", group_thousands(abs / 100), abs % 100)
    };
    match symbol(currency) {
        Some(sym) => format!("{sign}{sym}{body}"),
        None => format!("{sign}{body} {currency}"),
    }
}

/// Compact form for tiles and tables: `$12.3k`, `$1.25M`.
pub fn format_short(cents: i64, currency: &str) -> String {
    let major = cents as f64 / 100.0;
    let sign = if major < 0.0 { "-" } else { "" };
    let a = major.abs();
    let body = if a >= 1_000_000.0 {
        format!("{:.2}M", a / 1_000_000.0)
    } else if a >= 10_000.0 {
        format!("{:.0}k", a / 1_000.0)
    } else if a >= 1_000.0 {
        format!("{:.1}k", a / 1_000.0)
    } else {
        format!("{a:.0}")
    };
    match symbol(currency) {
        Some(sym) => format!("{sign}{sym}{body}"),
        None => format!("{sign}{body} {currency}"),
    }
}

/// A difference as people quote it, to three significant figures: "$11.7k", "$2.9k", "$290",
/// "$122k" (`format_short` rounds $11.7k to "$12k", too coarse for what a plan was missed by).
pub fn format_amount3(cents: i64, currency: &str) -> String {
    let a = (cents as f64 / 100.0).abs();
    if (10_000.0..100_000.0).contains(&a) {
        let sign = if cents < 0 { "-" } else { "" };
        let body = format!("{:.1}k", a / 1_000.0);
        return match symbol(currency) {
            Some(sym) => format!("{sign}{sym}{body}"),
            None => format!("{sign}{body} {currency}"),
        };
    }
    format_short(cents, currency)
}

pub fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    }
}

pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Split `total` into parts proportional to `weights`, so the parts always add
/// up to the whole (largest-remainder rounding).
pub fn split_by_weights(total: i64, weights: &[u32]) -> Vec<i64> {
    let sum: u64 = weights.iter().map(|w| u64::from(*w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let (base, remainders): (Vec<i64>, Vec<i128>) = weights
        .iter()
        .map(|w| {
            let exact = i128::from(total) * i128::from(*w);
            (exact.div_euclid(i128::from(sum)) as i64, exact.rem_euclid(i128::from(sum)))
        })
        .unzip();
    let left = total - base.iter().sum::<i64>();
    largest_remainder(base, &remainders, left)
}

/// Hand `left` extra units out one each to the parts with the largest remainders (ties go to
/// the earlier part): the rounding that keeps rounded parts adding up to the rounded whole.
pub fn largest_remainder<R: Ord>(mut base: Vec<i64>, remainders: &[R], left: i64) -> Vec<i64> {
    let mut order: Vec<usize> = (0..base.len()).collect();
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
    for i in order.into_iter().take(left.max(0) as usize) {
        base[i] += 1;
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_cents("12000").unwrap(), 1_200_000);
        assert_eq!(parse_cents("12,000").unwrap(), 1_200_000);
        assert_eq!(parse_cents("$12,000.50").unwrap(), 1_200_050);
        assert_eq!(parse_cents("€1.234,50").unwrap(), 123_450);
        assert_eq!(parse_cents("12,5").unwrap(), 1_250);
        assert_eq!(parse_cents("-5.25").unwrap(), -525);
        assert_eq!(parse_cents("1,234,567").unwrap(), 123_456_700);
        assert_eq!(parse_cents("0.1").unwrap(), 10);
    }

    #[test]
    fn bad_amounts_say_why() {
        assert!(parse_cents("12.345").unwrap_err().to_string().contains("more than 2 decimals"));
        assert!(parse_cents("abc").is_err());
        assert!(parse_cents("1,23,4").is_err());
        assert!(parse_cents("99999999999999999999").unwrap_err().to_string().contains("too large"));
        assert_eq!(parse_cents("12 000").unwrap(), 1_200_000, "spaces group thousands, as in the other grammars");
        assert!(parse_cents("12x4").is_err());
        assert!(parse_cents("12x").is_err());
        assert!(parse_cents("abcd12").is_err());
        assert!(parse_cents("12abc").is_err(), "not a currency code");
        assert_eq!(parse_cents("12,000 USD").unwrap(), 1_200_000);
        assert_eq!(parse_cents("EUR 12").unwrap(), 1_200);
    }

    #[test]
    fn an_amount_in_another_currency_is_refused_not_converted() {
        assert_eq!(parse_amount("$100", "USD").unwrap(), 10_000);
        assert_eq!(parse_amount("100 usd", "USD").unwrap(), 10_000);
        assert_eq!(parse_amount("100", "EUR").unwrap(), 10_000);
        for foreign in ["100EUR", "€100", "£5", "100 GBP"] {
            let e = parse_amount(foreign, "USD").unwrap_err().to_string();
            assert!(e.contains("store keeps USD"), "{foreign}: {e}");
        }
    }

    #[test]
    fn formatting_groups_thousands() {
        assert_eq!(format(123_456_789, "USD"), "$1,234,567.89");
        assert_eq!(format(500_000, "USD"), "$5,000");
        assert_eq!(format(-500_000, "EUR"), "-€5,000");
        assert_eq!(format(100, "CHF"), "1 CHF");
        assert_eq!(format_plain(5), "0.05");
        assert_eq!(format_amount3(1_172_872, "USD"), "$11.7k");
        assert_eq!(format_amount3(29_017, "USD"), "$290");
        assert_eq!(format_amount3(12_172_872, "USD"), "$122k");
    }

    #[test]
    fn a_split_always_adds_up_to_the_whole() {
        let parts = split_by_weights(100_001, &[70, 20, 10]);
        assert_eq!(parts.iter().sum::<i64>(), 100_001);
        assert_eq!(parts, vec![70_001, 20_000, 10_000]);
        assert_eq!(split_by_weights(1, &[1, 1, 1]).iter().sum::<i64>(), 1);
    }
}
