//! One grammar for every number mktg reads: typed on the command line or in a cockpit form, or a
//! cell of an imported file. Money (`money`), KPI values (`kpi::parse_value`) and the importers
//! (`io::import::number`) are thin uses of it.
//!
//! The rules, whatever the source:
//! - An optional sign (`-`, `−`, `+`) or parentheses (an accountant's negative); an optional
//!   currency symbol (`$ € £ ¥ ₹` ...) or ISO code (`USD`, `eur`) before or after; an optional `%`
//!   or `x` after. Whether a sign or a mark is allowed is the unit's business (`kpi::check_reading`,
//!   `cents`): the grammar only says it was there, and which currency a mark names.
//! - Digits may be grouped with `,` `.` `'` `_` or spaces (no-break ones too): one grouping
//!   character per number, in threes (`1,234,567`) or the Indian way (`12,34,567`: three, then
//!   twos). A file uses one of the two groupings throughout (`Reading::grouping` says which).
//! - The decimal mark: in a file, the file decides. A `,`-separated file writes `.` decimals
//!   and `,` groups; a `;`-separated one (European Excel) writes `,` decimals and `.` groups, so
//!   `1.234` there is one thousand two hundred and thirty-four; any other file (tab: Google Ads,
//!   LinkedIn) is decided by its own cells (`evidence`), and one where every number could be
//!   either is refused. A cell written the other way is refused ([`NumberError::OtherConvention`]),
//!   never reinterpreted. Typed by a person, with both marks the last one is decimal (`1,234.50`,
//!   `1.234,50`); repeated, it groups (`1.234.567`); a lone `,` before exactly three digits groups
//!   (`12,000`), any other lone `,` is a decimal comma (`12,5`); a lone `.` is a decimal point.
//! - At most 15 digits before the decimal mark (beyond that an `f64` no longer holds every whole
//!   number exactly: the value would be silently wrong); no exponents (`1e5` is not a number).
//!
//! The import's million-row path goes through `read` for every value: the common plain form
//! (`-123.45`) takes a short path that allocates nothing.

use crate::domain::currency::{self, Mark};

/// A file's decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal {
    /// `1,234.50`
    Dot,
    /// `1.234,50`
    Comma,
}

impl Decimal {
    /// The mark a file separated by `sep` writes (`,` files `.`, `;` files `,`); `None` when the
    /// separator does not decide it (tab) and the file's own cells must.
    pub fn for_separator(sep: u8) -> Option<Decimal> {
        match sep {
            b',' => Some(Decimal::Dot),
            b';' => Some(Decimal::Comma),
            _ => None,
        }
    }

    pub fn char(self) -> char {
        match self {
            Decimal::Dot => '.',
            Decimal::Comma => ',',
        }
    }

    fn other(self) -> Decimal {
        match self {
            Decimal::Dot => Decimal::Comma,
            Decimal::Comma => Decimal::Dot,
        }
    }
}

/// Where a number comes from: who decides what `.` and `,` mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Typed by a person: `12,5` is twelve and a half, `12,000` twelve thousand.
    Typed,
    /// A cell of a file whose decimal mark is settled (see `Decimal::for_separator`, `evidence`).
    File { decimal: Decimal },
}

/// How the digits before the decimal mark were grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// Not grouped, or too short to tell (`12,345` reads the same both ways).
    #[default]
    Plain,
    /// In threes beyond what the Indian way allows: `1,234,567`.
    Thousands,
    /// The Indian way, which threes do not allow: `1,23,456`.
    Indian,
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
    /// The currency symbol or code around it.
    pub currency: Option<Mark>,
    /// Digits after the decimal mark.
    pub decimals: usize,
    pub grouping: Grouping,
}

impl Reading {
    /// Nothing any unit could object to: no sign and no mark. Most cells of a file.
    pub fn is_plain(&self) -> bool {
        !(self.negative || self.percent || self.times || self.currency.is_some())
    }

    pub fn currency_mark(&self) -> bool {
        self.currency.is_some()
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
    #[error("'{raw}' uses '{written}' for decimals, but this file uses '{file}'")]
    OtherConvention { raw: String, written: char, file: char },
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
            NumberError::OtherConvention { .. } => "the other decimal mark",
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
/// Amounts are capped at ±100 billion in major units (10^13 cents), so that sums of a whole file
/// stay far from `i64` overflow.
pub const MAX_CENTS: i128 = 10_000_000_000_000;
/// KPI values (counts, rates, targets) are capped at 10^13, like amounts in cents: far beyond any
/// real figure, and sums of a million of them stay exact enough and finite.
pub const MAX_VALUE: f64 = 1e13;

pub fn is_currency_code(t: &str) -> bool {
    currency::is_code(t)
}

/// Characters that only ever group thousands (never a decimal mark).
fn is_group_only(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_' | '\'')
}

/// Reads `raw`; `None` for a blank cell or `--` (what exports write for "no data").
pub fn read(raw: &str, source: Source) -> Result<Option<Reading>, NumberError> {
    if let Some(r) = plain(raw, source) {
        return Ok(Some(r));
    }
    read_full(raw, source)
}

/// The overwhelmingly common `-123.45`: ASCII digits, at most one `.`, an optional leading `-`,
/// where a `.` is a decimal point (typed, or a file writing `.` decimals).
fn plain(raw: &str, source: Source) -> Option<Reading> {
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
    if dot.is_some() && source == (Source::File { decimal: Decimal::Comma }) {
        return None;
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
        currency: None,
        decimals,
        grouping: Grouping::Plain,
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
    let (mut negative, mut signs) = (false, 0);
    let mut marks: Vec<Mark> = Vec::new();
    // Leading signs, symbols and a code ("-$5", "$-5", "EUR 12", "+12").
    loop {
        if let Some((mark, rest)) = strip_code_prefix(s) {
            marks.push(mark);
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
            c if currency::is_symbol(c) => marks.push(Mark::Symbol(c)),
            c if c.is_whitespace() => {}
            _ => break,
        }
        s = &s[c.len_utf8()..];
    }
    // Trailing symbols and a code ("12 €", "12,000 USD").
    loop {
        if let Some((mark, rest)) = strip_code_suffix(s) {
            marks.push(mark);
            s = rest;
            continue;
        }
        let Some(c) = s.chars().next_back() else { break };
        if currency::is_symbol(c) {
            marks.push(Mark::Symbol(c));
        } else if !c.is_whitespace() {
            break;
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    if signs > 1 || marks.len() > 1 || (parens && negative) || s.is_empty() {
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
    let grouping = check_groups(int_part, raw)?;
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
        currency: marks.first().copied(),
        decimals: frac_part.len(),
        grouping,
    }))
}

/// `s` without a leading ISO code ("EUR 12", "usd12"), if it has one followed by a number.
fn strip_code_prefix(s: &str) -> Option<(Mark, &str)> {
    let code = s.get(..3)?;
    let rest = &s[3..];
    let starts_number = rest.trim_start().starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | ','));
    if !(code.chars().all(|c| c.is_ascii_alphabetic()) && starts_number) {
        return None;
    }
    Some((Mark::code(code)?, rest))
}

/// `s` without a trailing ISO code ("12 USD", "100eur").
fn strip_code_suffix(s: &str) -> Option<(Mark, &str)> {
    let at = s.len().checked_sub(3)?;
    let code = s.get(at..)?;
    let rest = &s[..at];
    let ends_number = rest.trim_end().ends_with(|c: char| c.is_ascii_digit() || c == '.');
    if !(code.chars().all(|c| c.is_ascii_alphabetic()) && ends_number) {
        return None;
    }
    Some((Mark::code(code)?, rest))
}

/// Where the decimal mark is, if any (see the module's rules).
fn decimal_mark(s: &str, source: Source, raw: &str) -> Result<Option<usize>, NumberError> {
    match source {
        Source::Typed => typed_decimal_mark(s, raw),
        Source::File { decimal } => file_decimal_mark(s, decimal, raw),
    }
}

fn typed_decimal_mark(s: &str, raw: &str) -> Result<Option<usize>, NumberError> {
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
            if thousands { None } else { Some(pos) }
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

/// In a file the decimal mark is settled: a cell written with the other one is refused.
fn file_decimal_mark(s: &str, decimal: Decimal, raw: &str) -> Result<Option<usize>, NumberError> {
    let (dec, grp) = (decimal.char(), decimal.other().char());
    let other = || NumberError::OtherConvention { raw: raw.trim().to_string(), written: grp, file: dec };
    let decs = s.matches(dec).count();
    let grps = s.matches(grp).count();
    let last_grp = s.rfind(grp);
    let pos = s.rfind(dec);
    if decs > 1 {
        // The file's decimal mark used to group: the other convention ("1.234.567" where '.' is decimal).
        return Err(other());
    }
    if let (Some(p), Some(g)) = (pos, last_grp)
        && g > p
    {
        return Err(other());
    }
    if decs == 0 && grps == 1 {
        // A lone grouping mark not followed by exactly three digits is the other file's decimal mark.
        let after = last_grp.map_or("", |g| &s[g + 1..]);
        if after.len() != 3 || !after.bytes().all(|b| b.is_ascii_digit()) {
            return Err(other());
        }
    }
    Ok(pos)
}

/// Grouped digits must look like `1,234,567` or `12,34,567`: one grouping character, the last
/// group three digits, the others all three or all two (the Indian way).
fn check_groups(int_part: &str, raw: &str) -> Result<Grouping, NumberError> {
    let mut group_chars = int_part.chars().filter(|c| !c.is_ascii_digit());
    let Some(g) = group_chars.next() else {
        return Ok(Grouping::Plain);
    };
    let same_kind = |c: char| c == g || (is_group_only(c) && is_group_only(g) && c != '_' && g != '_');
    let malformed = || NumberError::Malformed(raw.trim().to_string());
    if !group_chars.all(same_kind) {
        return Err(malformed());
    }
    let groups: Vec<&str> = int_part.split(same_kind).collect();
    let (Some(first), Some(last)) = (groups.first(), groups.last()) else { return Err(malformed()) };
    // "0.123" is no one's way of writing 123.
    if groups.len() < 2 || last.len() != 3 || first.is_empty() || first.starts_with('0') {
        return Err(malformed());
    }
    let middle = &groups[1..groups.len() - 1];
    let thousands = first.len() <= 3 && middle.iter().all(|m| m.len() == 3);
    let indian = first.len() <= 2 && middle.iter().all(|m| m.len() == 2);
    match (thousands, indian) {
        (true, true) => Ok(Grouping::Plain),
        (true, false) => Ok(Grouping::Thousands),
        (false, true) => Ok(Grouping::Indian),
        (false, false) => Err(malformed()),
    }
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

/// A value written as people write it: Rust's shortest round-trip form, or, when that needs more
/// than 9 decimals (a float sum's noise: `2035.2800000000002`), rounded to 9 and trimmed.
pub fn shortest(v: f64) -> String {
    let plain = format!("{v}");
    let decimals = plain.split_once('.').map_or(0, |(_, f)| f.len());
    if decimals <= 9 {
        return plain;
    }
    let rounded = format!("{v:.9}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" { "0".to_string() } else { trimmed.to_string() }
}

/// Decimals in `shortest(v)`.
pub fn decimals_of(v: f64) -> usize {
    decimals_in(&shortest(v))
}

/// [`decimals_of`] read off a value's [`shortest`] text already made (an import checks every
/// fractional value on its writing thread: formatting each twice cost double).
pub fn decimals_in(shortest: &str) -> usize {
    shortest.split_once('.').map_or(0, |(_, f)| f.len())
}

/// What one cell says about its file's decimal mark (see `Decimal`): a file whose separator does
/// not decide it is decided by its first cell that reads one way only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Reads as a number only with this decimal mark (`412.30`, `1.234,50`).
    Decides(Decimal),
    /// Reads as two different numbers (`1.234`, `1,234`).
    Ambiguous,
}

/// The evidence of one cell, or `None` when it says nothing (no mark, or not a number at all).
pub fn evidence(raw: &str) -> Option<Evidence> {
    let t = raw.trim();
    if !t.contains(['.', ',']) || !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let dot = read(t, Source::File { decimal: Decimal::Dot }).ok().flatten();
    let comma = read(t, Source::File { decimal: Decimal::Comma }).ok().flatten();
    match (dot, comma) {
        (Some(_), None) => Some(Evidence::Decides(Decimal::Dot)),
        (None, Some(_)) => Some(Evidence::Decides(Decimal::Comma)),
        (Some(a), Some(b)) if a.value != b.value => Some(Evidence::Ambiguous),
        _ => None,
    }
}

/// A count read by a tool's importer (sessions, clicks, impressions): never negative, never a
/// percentage. Whether it must be whole is its metric's business (`kpi::check_value`).
pub fn count(raw: &str, source: Source) -> Result<Option<f64>, NumberError> {
    let Some(r) = read(raw, source)? else { return Ok(None) };
    count_reading(raw, &r).map(Some)
}

/// The count rules on a reading already made.
pub fn count_reading(raw: &str, r: &Reading) -> Result<f64, NumberError> {
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
    Ok(r.value)
}

/// Money to exact integer cents, from the digits rather than through `f64`: at most two
/// decimals, within ±100 billion, never a percentage.
pub fn cents(raw: &str, source: Source) -> Result<Option<i64>, NumberError> {
    let read = match read(raw, source) {
        // For money, too many digits is an amount out of range.
        Err(NumberError::TooLarge(s)) => return Err(NumberError::OutOfRange(s)),
        other => other?,
    };
    let Some(r) = read else { return Ok(None) };
    cents_reading(raw, &r).map(Some)
}

/// The money rules on a reading already made.
pub fn cents_reading(raw: &str, r: &Reading) -> Result<i64, NumberError> {
    let shown = || raw.trim().to_string();
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
    Ok(cents as i64)
}

#[cfg(test)]
mod tests;
