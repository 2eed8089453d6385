//! One grammar for every number mktg reads: typed on the command line or in a cockpit form, or a
//! cell of an imported file. Money (`money`), KPI values (`kpi::parse_value`) and the importers
//! (`io::import::number`) are thin uses of it.
//!
//! The rules, whatever the source:
//! - An optional sign (`-`, `−`, `+`) or parentheses (an accountant's negative); an optional
//!   currency symbol (`$ € £ ¥`) or ISO code (`USD`, `eur`) before or after; an optional `%` or
//!   `x` after. Whether a sign or a mark is allowed is the unit's business (`kpi::check_reading`,
//!   `cents`): the grammar only says it was there.
//! - Digits may be grouped by thousands with `,` `.` `'` `_` or spaces (no-break ones too): one
//!   grouping character per number, a first group of one to three digits, then groups of three.
//! - The decimal mark is the `.` or `,` that does not group. With both, the last one is decimal
//!   (`1,234.50`, `1.234,50`); repeated, it groups (`1.234.567`). A lone `,` before exactly three
//!   digits groups thousands (`12,000`); any other lone `,` is a decimal comma (`12,5`), except
//!   in a comma-separated file, where the writer's convention cannot be known: refused there.
//!   A lone `.` is always a decimal point, as every tool's export writes it: `1.234` is one and a
//!   bit (a count keeps it and shows it as `1.234`; an amount refuses its third decimal).
//! - At most 15 digits before the decimal mark (beyond that an `f64` no longer holds every whole
//!   number exactly: the value would be silently wrong); no exponents (`1e5` is not a number).
//!
//! The import's million-row path goes through `read` for every value: the common plain form
//! (`-123.45`) takes a short path that allocates nothing.

/// Where a number comes from: what a lone comma means depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Typed by a person: `12,5` is twelve and a half, `12,000` twelve thousand.
    Typed,
    /// A cell of a file whose fields are separated by `separator`.
    File { separator: u8 },
}

/// A number as read: its value and what its writing said about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub value: f64,
    /// Written with a minus sign or in parentheses.
    pub negative: bool,
    /// Written in parentheses.
    pub parens: bool,
    /// A `%` after it.
    pub percent: bool,
    /// An `x` after it (`3.5x`).
    pub times: bool,
    /// A currency symbol or code around it.
    pub currency_mark: bool,
    /// Digits after the decimal mark.
    pub decimals: usize,
}

impl Reading {
    /// Nothing any unit could object to: no sign and no mark. Most cells of a file.
    pub fn is_plain(&self) -> bool {
        !(self.negative || self.percent || self.times || self.currency_mark)
    }
}

/// What the grammar refuses. The text is the one line a user reads, the same for a typed value
/// and a file's cell; `why` is the short reason a caller wraps in its own words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("{} is not a number", crate::domain::text::quote(.0))]
    NotANumber(String),
    #[error("ambiguous number {}: write the decimal with '.' or group thousands in threes", crate::domain::text::quote(.0))]
    AmbiguousComma(String),
    #[error("malformed number {}", crate::domain::text::quote(.0))]
    Malformed(String),
    #[error("number {} is too large: at most 15 digits before the decimal point", crate::domain::text::quote(.0))]
    TooLarge(String),
    #[error("amount {} has more than 2 decimals", crate::domain::text::quote(.0))]
    TooManyDecimals(String),
    #[error("amount {} is out of range (too large; the limit is ±100000000000.00)", crate::domain::text::quote(.0))]
    OutOfRange(String),
    #[error("percentage {} where an amount was expected", crate::domain::text::quote(.0))]
    PercentAmount(String),
    #[error("negative value {} where a count was expected", crate::domain::text::quote(.0))]
    NegativeCount(String),
    #[error("negative value in parentheses {} where a count was expected", crate::domain::text::quote(.0))]
    ParensCount(String),
    #[error("percentage {} where a count was expected", crate::domain::text::quote(.0))]
    PercentCount(String),
}

impl NumberError {
    /// The reason alone, for a caller that names the value its own way (`'12x' is not an amount: ...`).
    pub fn why(&self) -> &'static str {
        match self {
            NumberError::NotANumber(_) => "not a number",
            NumberError::AmbiguousComma(_) => "ambiguous separator",
            NumberError::Malformed(_) => "misplaced thousands separator",
            NumberError::TooLarge(_) | NumberError::OutOfRange(_) => "too large",
            NumberError::TooManyDecimals(_) => "more than 2 decimals",
            NumberError::PercentAmount(_) => "a percent sign on an amount",
            NumberError::NegativeCount(_) | NumberError::ParensCount(_) => "below zero",
            NumberError::PercentCount(_) => "a percent sign on a count",
        }
    }
}

/// Longer strings are not numbers of any kind, and would not fit the digit buffer.
const MAX_DIGITS: usize = 40;
/// Beyond this many digits before the decimal mark an `f64` stops holding whole numbers exactly.
pub const MAX_INT_DIGITS: usize = 15;
/// Amounts are capped at ±100 billion in major units, so that sums of a whole file stay far from
/// `i64` overflow.
pub const MAX_CENTS: i128 = 10_000_000_000_000;

/// ISO codes accepted beside a number; other letters there are a typo, not a currency.
const CODES: [&str; 26] = [
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "INR", "CNY",
    "HKD", "SGD", "BRL", "MXN", "ZAR", "KRW", "ILS", "AED", "TRY", "RON",
];

pub fn is_currency_code(t: &str) -> bool {
    CODES.iter().any(|c| c.eq_ignore_ascii_case(t))
}

fn is_currency_symbol(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥')
}

/// Characters that only ever group thousands (never a decimal mark).
fn is_group_only(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_' | '\'')
}

/// Reads `raw`; `None` for a blank cell or `--` (what exports write for "no data").
pub fn read(raw: &str, source: Source) -> Result<Option<Reading>, NumberError> {
    if let Some(r) = plain(raw) {
        return Ok(Some(r));
    }
    read_full(raw, source)
}

/// The overwhelmingly common `-123.45`: ASCII digits, at most one `.`, an optional leading `-`.
fn plain(raw: &str) -> Option<Reading> {
    let b = raw.as_bytes();
    let (negative, digits) = match b.strip_prefix(b"-") {
        Some(d) => (true, d),
        None => (false, b),
    };
    let mut dot = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {}
            b'.' if dot.is_none() && i > 0 => dot = Some(i),
            _ => return None,
        }
    }
    let int_len = dot.unwrap_or(digits.len());
    if digits.is_empty() || int_len > MAX_INT_DIGITS || digits.len() > MAX_DIGITS {
        return None;
    }
    let decimals = dot.map_or(0, |d| digits.len() - d - 1);
    let value: f64 = raw.parse().ok()?;
    Some(Reading {
        value: if value == 0.0 { 0.0 } else { value },
        negative,
        parens: false,
        percent: false,
        times: false,
        currency_mark: false,
        decimals,
    })
}

fn read_full(raw: &str, source: Source) -> Result<Option<Reading>, NumberError> {
    let bad = || NumberError::NotANumber(raw.trim().to_string());
    let mut s = raw.trim();
    if s.is_empty() || s == "--" {
        return Ok(None);
    }
    let mut parens = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        parens = true;
        s = inner.trim();
    }
    let (mut percent, mut times) = (false, false);
    if let Some(inner) = s.strip_suffix('%') {
        percent = true;
        s = inner.trim_end();
    } else if let Some(inner) = s.strip_suffix(['x', 'X']).filter(|r| r.ends_with(|c: char| c.is_ascii_digit())) {
        times = true;
        s = inner;
    }
    let (mut negative, mut signs, mut marks) = (false, 0, 0);
    // Leading signs, symbols and a code ("-$5", "$-5", "EUR 12", "+12").
    loop {
        if let Some(rest) = strip_code_prefix(s) {
            marks += 1;
            s = rest;
            continue;
        }
        let Some(c) = s.chars().next() else { break };
        match c {
            '-' | '\u{2212}' => {
                negative = true;
                signs += 1;
            }
            '+' => signs += 1,
            c if is_currency_symbol(c) => marks += 1,
            c if c.is_whitespace() => {}
            _ => break,
        }
        s = &s[c.len_utf8()..];
    }
    // Trailing symbols and a code ("12 €", "12,000 USD").
    loop {
        if let Some(rest) = strip_code_suffix(s) {
            marks += 1;
            s = rest;
            continue;
        }
        let Some(c) = s.chars().next_back() else { break };
        if is_currency_symbol(c) {
            marks += 1;
        } else if !c.is_whitespace() {
            break;
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    if signs > 1 || marks > 1 || (parens && negative) || s.is_empty() {
        return Err(bad());
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_group_only(c)) {
        return Err(bad());
    }
    let (int_part, frac_part) = match decimal_mark(s, source, raw)? {
        Some(pos) => (&s[..pos], &s[pos + 1..]),
        None => (s, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) || (int_part.is_empty() && frac_part.is_empty()) {
        return Err(bad());
    }
    check_groups(int_part, raw)?;
    let mut digits = [0u8; MAX_DIGITS];
    let mut len = 0;
    for b in int_part.bytes().chain(frac_part.bytes()).filter(u8::is_ascii_digit) {
        if len == MAX_DIGITS {
            return Err(NumberError::TooLarge(raw.trim().to_string()));
        }
        digits[len] = b;
        len += 1;
    }
    let int_digits = len - frac_part.len();
    if int_digits > MAX_INT_DIGITS {
        return Err(NumberError::TooLarge(raw.trim().to_string()));
    }
    let value = to_f64(&digits[..len], frac_part.len(), negative || parens).ok_or_else(bad)?;
    Ok(Some(Reading {
        value,
        negative: negative || parens,
        parens,
        percent,
        times,
        currency_mark: marks > 0,
        decimals: frac_part.len(),
    }))
}

/// `s` without a leading ISO code ("EUR 12", "usd12"), if it has one followed by a number.
fn strip_code_prefix(s: &str) -> Option<&str> {
    let code = s.get(..3)?;
    let rest = &s[3..];
    let starts_number = rest.trim_start().starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | ','));
    (code.chars().all(|c| c.is_ascii_alphabetic()) && is_currency_code(code) && starts_number).then_some(rest)
}

/// `s` without a trailing ISO code ("12 USD", "100eur").
fn strip_code_suffix(s: &str) -> Option<&str> {
    let at = s.len().checked_sub(3)?;
    let code = s.get(at..)?;
    let rest = &s[..at];
    let ends_number = rest.trim_end().ends_with(|c: char| c.is_ascii_digit() || c == '.');
    (code.chars().all(|c| c.is_ascii_alphabetic()) && is_currency_code(code) && ends_number).then_some(rest)
}

/// Where the decimal mark is, if any (see the module's rules).
fn decimal_mark(s: &str, source: Source, raw: &str) -> Result<Option<usize>, NumberError> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let spaced = s.contains(is_group_only);
    let mark = match (dots, commas) {
        (0, 0) => None,
        (1, 0) => s.rfind('.'),
        (_, 0) => None,
        (0, 1) => {
            let pos = s.rfind(',').ok_or_else(|| NumberError::NotANumber(raw.trim().to_string()))?;
            let before = s[..pos].trim_matches(is_group_only);
            let after = &s[pos + 1..];
            let thousands = after.len() == 3 && !before.is_empty() && before != "0" && !spaced;
            let comma_is_field_separator = source == Source::File { separator: b',' };
            if thousands {
                None
            } else if spaced || !comma_is_field_separator {
                Some(pos)
            } else {
                return Err(NumberError::AmbiguousComma(raw.trim().to_string()));
            }
        }
        (0, _) => None,
        _ => {
            let (dot, comma) = (s.rfind('.'), s.rfind(','));
            let (pos, count) = if dot > comma { (dot, dots) } else { (comma, commas) };
            if count > 1 {
                return Err(NumberError::NotANumber(raw.trim().to_string()));
            }
            pos
        }
    };
    Ok(mark)
}

/// Grouped digits must look like `1,234,567`: one grouping character, groups of three after the first.
fn check_groups(int_part: &str, raw: &str) -> Result<(), NumberError> {
    let mut group_chars = int_part.chars().filter(|c| !c.is_ascii_digit());
    let Some(g) = group_chars.next() else {
        return Ok(());
    };
    let same_kind = |c: char| c == g || (is_group_only(c) && is_group_only(g) && c != '_' && g != '_');
    if !group_chars.all(same_kind) {
        return Err(NumberError::Malformed(raw.trim().to_string()));
    }
    let mut groups = int_part.split(same_kind);
    let first_ok = groups.next().is_some_and(|f| (1..=3).contains(&f.len()));
    if !first_ok || !groups.all(|grp| grp.len() == 3) {
        return Err(NumberError::Malformed(raw.trim().to_string()));
    }
    Ok(())
}

/// The digits (the last `frac` of them after the decimal mark) as the nearest `f64`.
fn to_f64(digits: &[u8], frac: usize, negative: bool) -> Option<f64> {
    // Rebuilt as "-123.45" on the stack, so the standard parser rounds correctly.
    let mut buf = [0u8; MAX_DIGITS + 3];
    let mut n = 0;
    if negative {
        buf[n] = b'-';
        n += 1;
    }
    let int_len = digits.len() - frac;
    if int_len == 0 {
        buf[n] = b'0';
        n += 1;
    }
    for (i, &d) in digits.iter().enumerate() {
        if i == int_len {
            buf[n] = b'.';
            n += 1;
        }
        buf[n] = d;
        n += 1;
    }
    let value: f64 = std::str::from_utf8(&buf[..n]).ok()?.parse().ok()?;
    // "-0" is zero: keep it from surfacing as -0.0 in comparisons and output.
    Some(if value == 0.0 { 0.0 } else { value })
}

/// A count read by a tool's importer (sessions, clicks, impressions): never negative, never a
/// percentage. Fractions stay (attribution-weighted conversions).
pub fn count(raw: &str, source: Source) -> Result<Option<f64>, NumberError> {
    let Some(r) = read(raw, source)? else { return Ok(None) };
    let shown = || raw.trim().to_string();
    if r.parens {
        return Err(NumberError::ParensCount(shown()));
    }
    if r.negative && r.value != 0.0 {
        return Err(NumberError::NegativeCount(shown()));
    }
    if r.percent {
        return Err(NumberError::PercentCount(shown()));
    }
    if r.times {
        return Err(NumberError::NotANumber(shown()));
    }
    Ok(Some(r.value))
}

/// Money to exact integer cents, from the digits rather than through `f64`: at most two
/// decimals, within ±100 billion, never a percentage.
pub fn cents(raw: &str, source: Source) -> Result<Option<i64>, NumberError> {
    let shown = || raw.trim().to_string();
    let read = match read(raw, source) {
        // For money, too many digits is an amount out of range.
        Err(NumberError::TooLarge(s)) => return Err(NumberError::OutOfRange(s)),
        other => other?,
    };
    let Some(r) = read else { return Ok(None) };
    if r.percent {
        return Err(NumberError::PercentAmount(shown()));
    }
    if r.times {
        return Err(NumberError::NotANumber(shown()));
    }
    if r.decimals > 2 {
        return Err(NumberError::TooManyDecimals(shown()));
    }
    // Exact: the value has at most 15 + 2 significant digits, so rounding its cents is exact.
    let cents = (r.value * 100.0).round();
    if !cents.is_finite() || cents.abs() > MAX_CENTS as f64 {
        return Err(NumberError::OutOfRange(shown()));
    }
    Ok(Some(cents as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPED: Source = Source::Typed;
    const COMMA: Source = Source::File { separator: b',' };
    const SEMI: Source = Source::File { separator: b';' };

    fn v(s: &str, src: Source) -> f64 {
        read(s, src).unwrap().unwrap().value
    }

    #[test]
    fn grouping_and_decimal_marks_as_people_write_them() {
        for (s, want) in [
            ("1,234", 1234.0),
            ("1 234", 1234.0),
            ("12 000", 12000.0),
            ("1\u{a0}234,5", 1234.5),
            ("1_234", 1234.0),
            ("1,234,567.5", 1_234_567.5),
            ("€1.234,50", 1234.5),
            ("1.234.567", 1_234_567.0),
            ("12,5", 12.5),
            ("$12,000.50", 12000.5),
            ("12,000 USD", 12000.0),
            ("EUR 12", 12.0),
            ("62.5%", 62.5),
            ("3.5x", 3.5),
            ("(12)", -12.0),
            (".5", 0.5),
            ("-0", 0.0),
        ] {
            assert_eq!(v(s, TYPED), want, "{s}");
        }
        assert_eq!(v("1,5", SEMI), 1.5);
        assert_eq!(v("0,500", SEMI), 0.5);
        assert_eq!(read("--", COMMA).unwrap(), None);
    }

    #[test]
    fn a_comma_that_could_be_either_is_refused_only_where_the_file_uses_commas() {
        assert_eq!(read("1,5", COMMA), Err(NumberError::AmbiguousComma("1,5".into())));
        assert_eq!(v("1,5", TYPED), 1.5);
    }

    #[test]
    fn a_lone_dot_is_a_decimal_point_wherever_the_number_comes_from() {
        assert_eq!(v("1.234", TYPED), 1.234);
        assert_eq!(v("1.234", SEMI), 1.234);
        assert_eq!(count("31.50", COMMA), Ok(Some(31.5)));
        assert_eq!(cents("1.234", TYPED), Err(NumberError::TooManyDecimals("1.234".into())));
    }

    #[test]
    fn garbage_exponents_and_too_many_digits_are_refused() {
        for bad in ["abc", "1,2,3", "12,34.5.6", "$$5", "--5", "1e5", "1e400", "1,23,456", "-", "(-5)", "12x4", "12abc"]
        {
            assert!(read(bad, COMMA).is_err(), "{bad}");
        }
        assert_eq!(read("99999999999999999999", TYPED).unwrap_err().why(), "too large");
        assert_eq!(v("999999999999999", TYPED), 999_999_999_999_999.0);
        assert!(read("0.6245098039215686", COMMA).is_ok(), "long fractions keep their precision");
    }

    #[test]
    fn money_is_exact_and_bounded() {
        assert_eq!(cents("$1,174.03", COMMA), Ok(Some(117_403)));
        assert_eq!(cents("€1.234,5", SEMI), Ok(Some(123_450)));
        assert_eq!(cents("0.1", COMMA), Ok(Some(10)));
        assert_eq!(cents("(2.50)", COMMA), Ok(Some(-250)));
        assert_eq!(cents("100000000000.00", COMMA), Ok(Some(10_000_000_000_000)));
        assert!(cents("100000000000.01", COMMA).unwrap_err().to_string().contains("out of range"));
        assert!(cents("1.005", COMMA).unwrap_err().to_string().contains("2 decimals"));
        assert!(cents("5%", COMMA).is_err());
    }

    #[test]
    fn counts_refuse_what_a_count_cannot_be() {
        assert!(count("(5)", COMMA).unwrap_err().to_string().contains("parentheses"));
        assert!(count("-5", COMMA).is_err());
        assert!(count("5%", COMMA).is_err());
        assert_eq!(count("1,946", COMMA), Ok(Some(1946.0)));
    }
}
