//! The store's one currency: ISO 4217 codes, their minor units and symbols, and what a symbol or
//! code written beside a number says about the currency it is in.
//!
//! Money is kept in hundredths (integer "cents"), so a currency is accepted when its minor unit
//! has at most two decimals: the three-decimal dinars and rials are refused at `init` rather than
//! rounded. A currency with no minor unit (JPY, KRW...) takes whole amounts only.

use crate::domain::error::{Error, Result};

/// One ISO 4217 currency: code and decimals of its minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    /// Decimals of the minor unit: 2 for USD (cents), 0 for JPY.
    pub decimals: u8,
}

/// Active ISO 4217 currencies (funds, precious metals and test codes left out).
const ISO_4217: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// Currencies written with a `$` (dollars and pesos): a `$` in a file is accepted as the store's
/// currency when the store keeps one of these, and refused otherwise.
const DOLLARS: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "CUP", "DOP", "UYU", "BSD", "BBD",
    "BZD", "BMD", "BND", "KYD", "FJD", "GYD", "JMD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD",
];

/// How amounts of a currency are shown: the symbol where people recognise it, else the code.
const SYMBOLS: &[(&str, &str)] = &[
    ("USD", "$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("JPY", "¥"),
    ("INR", "₹"),
    ("KRW", "₩"),
    ("CNY", "CN¥"),
    ("CAD", "CA$"),
    ("AUD", "A$"),
    ("NZD", "NZ$"),
    ("HKD", "HK$"),
    ("SGD", "S$"),
    ("MXN", "MX$"),
    ("BRL", "R$"),
    ("ILS", "₪"),
    ("TRY", "₺"),
    ("PHP", "₱"),
    ("NGN", "₦"),
    ("VND", "₫"),
    ("UAH", "₴"),
    ("RUB", "₽"),
    ("THB", "฿"),
];

/// The currency of `code` (any case), if ISO 4217 knows it.
pub fn find(code: &str) -> Option<Currency> {
    let code = code.trim();
    ISO_4217.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|&(code, decimals)| Currency { code, decimals })
}

/// Whether `code` is an ISO 4217 code (any case).
pub fn is_code(code: &str) -> bool {
    code.len() == 3 && find(code).is_some()
}

/// The currency a store may keep: an ISO 4217 code whose minor unit fits in hundredths.
pub fn for_store(code: &str) -> Result<Currency> {
    let shown = code.trim();
    let c = find(shown).ok_or_else(|| {
        Error::input(format!("'{shown}' is not an ISO 4217 currency code (USD, EUR, GBP, INR, JPY, ...)"))
    })?;
    if c.decimals > 2 {
        return Err(Error::input(format!(
            "{} has {} decimal places, and mktg keeps money in hundredths: it cannot hold {} exactly",
            c.code, c.decimals, c.code
        )));
    }
    Ok(c)
}

/// Decimals of the store currency's minor unit (2 when the code is unknown: the store's default).
pub fn decimals(code: &str) -> u8 {
    find(code).map_or(2, |c| c.decimals)
}

/// The symbol amounts of `code` are shown with, if it has a well-known one.
pub fn symbol(code: &str) -> Option<&'static str> {
    SYMBOLS.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(_, s)| *s)
}

/// A currency mark written beside a number in a cell or a typed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Symbol(char),
    /// An ISO code, uppercased ASCII.
    Code([u8; 3]),
}

impl Mark {
    pub fn code(code: &str) -> Option<Mark> {
        let b = code.as_bytes();
        (b.len() == 3 && is_code(code)).then(|| Mark::Code([b[0], b[1], b[2]].map(|c| c.to_ascii_uppercase())))
    }

    /// Whether an amount written with this mark can be in `store` (an ISO code).
    pub fn fits(self, store: &str) -> bool {
        let store = store.trim().to_ascii_uppercase();
        match self {
            Mark::Code(c) => std::str::from_utf8(&c).is_ok_and(|c| c == store),
            Mark::Symbol('$') => DOLLARS.contains(&store.as_str()),
            Mark::Symbol('€') => store == "EUR",
            Mark::Symbol('£') => matches!(store.as_str(), "GBP" | "EGP" | "GIP" | "FKP" | "SHP" | "SYP" | "LBP"),
            Mark::Symbol('¥') => matches!(store.as_str(), "JPY" | "CNY"),
            Mark::Symbol(s) => SYMBOLS.iter().any(|(c, sym)| *c == store && sym.ends_with(s)),
        }
    }

    /// What the mark says, for a refusal: "EUR", "dollars", "yen or yuan".
    pub fn named(self) -> String {
        match self {
            Mark::Code(c) => String::from_utf8_lossy(&c).into_owned(),
            Mark::Symbol('$') => "dollars ($)".into(),
            Mark::Symbol('€') => "EUR".into(),
            Mark::Symbol('£') => "GBP".into(),
            Mark::Symbol('¥') => "yen or yuan (¥)".into(),
            Mark::Symbol(s) => {
                SYMBOLS.iter().find(|(_, sym)| sym.ends_with(s)).map_or_else(|| s.to_string(), |(c, _)| (*c).into())
            }
        }
    }
}

/// Characters read as currency symbols beside a number.
pub fn is_symbol(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₩' | '₪' | '₺' | '₱' | '₦' | '₫' | '₴' | '₽' | '฿')
}

/// Refuses an amount written in another currency than the store keeps: one line naming both.
pub fn check_mark(raw: &str, mark: Mark, store: &str) -> Result<()> {
    if mark.fits(store) {
        return Ok(());
    }
    Err(Error::input(format!(
        "'{}' is in {}, but this store keeps {store}; convert it first",
        raw.trim(),
        mark.named()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_validated_against_iso_4217() {
        assert_eq!(for_store("eur").unwrap().code, "EUR");
        assert_eq!(for_store("INR").unwrap().decimals, 2);
        assert_eq!(for_store("JPY").unwrap().decimals, 0);
        let e = for_store("EURO").unwrap_err().to_string();
        assert!(e.contains("not an ISO 4217 currency code"), "{e}");
        assert!(for_store("XYZ").is_err());
        let e = for_store("KWD").unwrap_err().to_string();
        assert!(e.contains("3 decimal places"), "{e}");
    }

    #[test]
    fn a_mark_fits_the_currencies_it_can_mean() {
        assert!(Mark::Symbol('$').fits("USD"));
        assert!(Mark::Symbol('$').fits("cad"));
        assert!(!Mark::Symbol('$').fits("EUR"));
        assert!(Mark::Symbol('€').fits("EUR"));
        assert!(Mark::Symbol('₹').fits("INR"));
        assert!(!Mark::Symbol('₹').fits("USD"));
        assert!(Mark::Symbol('¥').fits("CNY"));
        assert!(Mark::code("gbp").unwrap().fits("GBP"));
        assert!(!Mark::code("GBP").unwrap().fits("USD"));
        assert_eq!(Mark::code("EURO"), None);
        let e = check_mark("1.234,50 €", Mark::Symbol('€'), "USD").unwrap_err().to_string();
        assert_eq!(e, "'1.234,50 €' is in EUR, but this store keeps USD; convert it first");
    }
}
