//! Money as integer minor units (cents): parsing what people type and formatting it back.

use crate::domain::currency;
use crate::domain::error::{Error, Result};
use crate::domain::number::{self, Source};

/// The largest amount read: ±100 billion in major units, far below i64's limit so sums of many
/// entries can never overflow.
pub const MAX_CENTS: i64 = number::MAX_CENTS as i64;

/// Parse an amount as people type it: `12000`, `12,000`, `12 000`, `$12,000.50`, `-5.25`,
/// `€1.234,50`, `12,000 USD` (the grammar is `domain::number`'s). Exact: at most two decimals.
pub fn parse_cents(input: &str) -> Result<i64> {
    let bad = |why: &str| Error::input(format!("{} is not an amount: {why}", crate::domain::text::quote(input.trim())));
    match number::cents(input, Source::Typed) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(bad("no digits")),
        Err(e) => Err(bad(e.why())),
    }
}

/// Refuse an amount that names another currency than the store keeps ("100 EUR" is not $100),
/// or that has more decimals than the store currency's minor unit (no ¥12.5, no $1.005).
pub fn check_currency(input: &str, store_currency: &str) -> Result<()> {
    let Ok(Some(r)) = number::read(input, Source::Typed) else { return Ok(()) };
    if let Some(mark) = r.currency {
        currency::check_mark(input, mark, store_currency)?;
    }
    Ok(())
}

/// The store currency's rule on decimals: at most its minor unit's.
pub fn check_decimals(input: &str, decimals: usize, store_currency: &str) -> Result<()> {
    let allowed = usize::from(currency::decimals(store_currency));
    if decimals > allowed {
        let unit = match allowed {
            0 => format!("{store_currency} has no minor unit: whole amounts only"),
            n => format!("{store_currency} has {n} decimals at most"),
        };
        return Err(Error::input(format!("{} is not an amount: {unit}", crate::domain::text::quote(input.trim()))));
    }
    Ok(())
}

/// Parse an amount for a store keeping `currency`: as [`parse_cents`], and in that currency.
pub fn parse_amount(input: &str, currency: &str) -> Result<i64> {
    check_currency(input, currency)?;
    let cents = parse_cents(input)?;
    if let Ok(Some(r)) = number::read(input, Source::Typed) {
        check_decimals(input, r.decimals, currency)?;
    }
    Ok(cents)
}

/// An amount as typed for a plan (`zero_ok`: zero or more) or for spend and a move (more than
/// zero), in the store's currency: the one check the command line and the budget forms share.
pub fn parse_positive(input: &str, currency: &str, zero_ok: bool) -> Result<i64> {
    let c = parse_amount(input, currency)?;
    if c < 0 || (c == 0 && !zero_ok) {
        let want = if zero_ok { "zero or more" } else { "more than zero" };
        return Err(Error::input(format!("{} must be {want}", crate::domain::text::quote(input.trim()))));
    }
    Ok(c)
}

/// `1234567` cents -> `12,345.67`.
pub fn format_plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", group_thousands(abs / 100), abs % 100)
}

/// `1234567` cents with currency USD -> `$12,345.67`; whole amounts drop the cents. Rupees are
/// grouped the Indian way (`₹1,23,456.78`); a currency without a well-known symbol is written
/// with its code after the number (`1,234 CHF`).
pub fn format(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let group = if is_inr(currency) { group_indian } else { group_thousands };
    let body =
        if abs.is_multiple_of(100) { group(abs / 100) } else { format!("{}.{:02}", group(abs / 100), abs % 100) };
    with_symbol(sign, &body, currency)
}

/// Compact form for tiles and tables: `$12.3k`, `$1.25M`; rupees in lakh and crore (`₹2.4L`,
/// `₹1.25Cr`), as they are read in India.
pub fn format_short(cents: i64, currency: &str) -> String {
    let major = cents as f64 / 100.0;
    let sign = if major < 0.0 { "-" } else { "" };
    let a = major.abs();
    let body = if is_inr(currency) && a >= 100_000.0 {
        if a >= 10_000_000.0 { format!("{:.2}Cr", a / 10_000_000.0) } else { format!("{:.1}L", a / 100_000.0) }
    } else if a >= 1_000_000.0 {
        format!("{:.2}M", a / 1_000_000.0)
    } else if a >= 10_000.0 {
        format!("{:.0}k", a / 1_000.0)
    } else if a >= 1_000.0 {
        format!("{:.1}k", a / 1_000.0)
    } else {
        format!("{a:.0}")
    };
    with_symbol(sign, &body, currency)
}

fn is_inr(currency: &str) -> bool {
    currency.eq_ignore_ascii_case("INR")
}

fn with_symbol(sign: &str, body: &str, currency: &str) -> String {
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
    currency::symbol(currency)
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

/// `12345678` -> `1,23,45,678`: the last three digits, then groups of two.
pub fn group_indian(n: u64) -> String {
    let digits = n.to_string();
    if digits.len() <= 3 {
        return digits;
    }
    let (head, tail) = digits.split_at(digits.len() - 3);
    let mut out = String::with_capacity(digits.len() + digits.len() / 2);
    for (i, c) in head.chars().enumerate() {
        if i > 0 && (head.len() - i).is_multiple_of(2) {
            out.push(',');
        }
        out.push(c);
    }
    out.push(',');
    out.push_str(tail);
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
        for foreign in ["100EUR", "€100", "£5", "100 GBP", "₹100"] {
            let e = parse_amount(foreign, "USD").unwrap_err().to_string();
            assert!(e.contains("store keeps USD"), "{foreign}: {e}");
        }
        assert_eq!(parse_amount("₹1,23,456.50", "INR").unwrap(), 12_345_650);
        assert_eq!(parse_amount("$100", "CAD").unwrap(), 10_000, "a dollar sign in a dollar store");
        let e = parse_amount("¥1,500.50", "JPY").unwrap_err().to_string();
        assert_eq!(e, "'¥1,500.50' is not an amount: JPY has no minor unit: whole amounts only");
    }

    #[test]
    fn formatting_groups_thousands() {
        assert_eq!(format(123_456_789, "USD"), "$1,234,567.89");
        assert_eq!(format(500_000, "USD"), "$5,000");
        assert_eq!(format(-500_000, "EUR"), "-€5,000");
        assert_eq!(format(100, "CHF"), "1 CHF");
        assert_eq!(format_plain(5), "0.05");
        assert_eq!(format(12_345_678, "INR"), "₹1,23,456.78");
        assert_eq!(format(1_234_567_800, "INR"), "₹1,23,45,678");
        assert_eq!(format_short(24_000_000, "INR"), "₹2.4L");
        assert_eq!(format_short(12_500_000_000, "INR"), "₹12.50Cr");
        assert_eq!(format_short(1_234_500, "INR"), "₹12k");
        assert_eq!(format(150_000, "JPY"), "¥1,500");
        assert_eq!(format(150_000, "CAD"), "CA$1,500");
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
