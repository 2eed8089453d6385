//! Reading numbers and money the way people and tools write them (`1,234`, `"$174.03"`, `€1.234,50`, `62.5%`).

/// Enough for any real figure; longer strings are almost certainly not numbers and would overflow cents.
const MAX_DIGITS: usize = 40;

/// Cents are capped so sums of a whole file stay far away from `i64` overflow.
pub(super) const MAX_CENTS: i128 = 10_000_000_000_000;

/// A number stripped of its decoration: plain ASCII digits and where the decimal point goes.
struct Clean {
    negative: bool,
    parens: bool,
    percent: bool,
    digits: [u8; MAX_DIGITS],
    len: usize,
    frac: usize,
}

/// Any number (KPI values): parentheses mean negative, `%` is dropped (62.5% => 62.5).
pub(super) fn number(raw: &str, sep: u8) -> Result<Option<f64>, String> {
    if let Some(v) = plain(raw) {
        return Ok(Some(v));
    }
    match clean(raw, sep)? {
        None => Ok(None),
        Some(c) => c.to_f64(raw).map(Some),
    }
}

/// A count (sessions, clicks, leads): never negative, never a percentage.
pub(super) fn count(raw: &str, sep: u8) -> Result<Option<f64>, String> {
    let Some(c) = clean(raw, sep)? else {
        return Ok(None);
    };
    if c.parens {
        return Err(format!("negative value in parentheses '{}' where a count was expected", raw.trim()));
    }
    if c.negative && !c.is_zero() {
        return Err(format!("negative value '{}' where a count was expected", raw.trim()));
    }
    if c.percent {
        return Err(format!("percentage '{}' where a count was expected", raw.trim()));
    }
    c.to_f64(raw).map(Some)
}

/// Money to exact integer cents, from the decimal digits rather than through `f64`.
pub(super) fn cents(raw: &str, sep: u8) -> Result<Option<i64>, String> {
    let Some(c) = clean(raw, sep)? else {
        return Ok(None);
    };
    if c.percent {
        return Err(format!("percentage '{}' where an amount was expected", raw.trim()));
    }
    if c.frac > 2 {
        return Err(format!("amount '{}' has more than 2 decimals", raw.trim()));
    }
    let mut whole: i128 = 0;
    for &d in &c.digits[..c.len] {
        whole =
            whole.checked_mul(10).and_then(|w| w.checked_add(i128::from(d - b'0'))).ok_or_else(|| out_of_range(raw))?;
    }
    // Scale to cents: "174.5" has frac 1, so it is 1745 tenths => 17450 cents.
    for _ in c.frac..2 {
        whole = whole.checked_mul(10).ok_or_else(|| out_of_range(raw))?;
    }
    if whole > MAX_CENTS {
        return Err(out_of_range(raw));
    }
    let signed = if c.negative || c.parens { -whole } else { whole };
    i64::try_from(signed).map(Some).map_err(|_| out_of_range(raw))
}

/// Fast path for the overwhelmingly common `-123.45`: digits, at most one `.`, optional leading `-`.
/// Anything else goes through `clean`, which knows all the conventions.
fn plain(raw: &str) -> Option<f64> {
    let b = raw.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    let ok = !digits.is_empty()
        && digits.len() <= MAX_DIGITS
        && digits.first().is_some_and(u8::is_ascii_digit)
        && digits.iter().all(|&c| c.is_ascii_digit() || c == b'.')
        && digits.iter().filter(|&&c| c == b'.').count() <= 1;
    if !ok {
        return None;
    }
    let v: f64 = raw.parse().ok()?;
    Some(if v == 0.0 { 0.0 } else { v })
}

fn out_of_range(raw: &str) -> String {
    format!("amount '{}' is out of range (limit ±100000000000.00)", raw.trim())
}

fn not_a_number(raw: &str) -> String {
    format!("'{}' is not a number", raw.trim())
}

fn is_currency_symbol(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥')
}

/// Spaces (including the no-break kinds European locales use) only ever group thousands.
fn is_space_group(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

fn clean(raw: &str, sep: u8) -> Result<Option<Clean>, String> {
    let mut s = raw.trim();
    if s.is_empty() || s == "--" {
        return Ok(None);
    }
    let mut parens = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        parens = true;
        s = inner.trim();
    }
    let mut percent = false;
    if let Some(inner) = s.strip_suffix('%') {
        percent = true;
        s = inner.trim_end();
    }
    let (mut negative, mut signs, mut symbols) = (false, 0, 0);
    while let Some(c) = s.chars().next() {
        match c {
            '-' | '\u{2212}' => {
                negative = true;
                signs += 1;
            }
            '+' => signs += 1,
            c if is_currency_symbol(c) => symbols += 1,
            c if c.is_whitespace() => {}
            _ => break,
        }
        s = &s[c.len_utf8()..];
    }
    while let Some(c) = s.chars().next_back() {
        if is_currency_symbol(c) {
            symbols += 1;
        } else if !c.is_whitespace() {
            break;
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    if signs > 1 || symbols > 1 || (parens && negative) || s.is_empty() {
        return Err(not_a_number(raw));
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space_group(c)) {
        return Err(not_a_number(raw));
    }
    let (int_part, frac_part) = match decimal_mark(s, sep, raw)? {
        Some(pos) => (&s[..pos], &s[pos + 1..]),
        None => (s, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) || (int_part.is_empty() && frac_part.is_empty()) {
        return Err(not_a_number(raw));
    }
    check_groups(int_part, raw)?;
    let mut c = Clean { negative, parens, percent, digits: [0; MAX_DIGITS], len: 0, frac: frac_part.len() };
    for b in int_part.bytes().chain(frac_part.bytes()).filter(u8::is_ascii_digit) {
        if c.len == MAX_DIGITS {
            return Err(format!("number '{}' is too long", raw.trim()));
        }
        c.digits[c.len] = b;
        c.len += 1;
    }
    Ok(Some(c))
}

/// Finds the decimal mark, if any, following the rules people actually use:
/// with both `.` and `,` the last one is decimal; a lone `,` before exactly three digits groups
/// thousands; any other lone `,` is decimal only where `,` cannot be the field separator.
fn decimal_mark(s: &str, sep: u8, raw: &str) -> Result<Option<usize>, String> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let spaced = s.chars().any(is_space_group);
    let mark = match (dots, commas) {
        (0, 0) => None,
        (1, 0) => s.rfind('.'),
        (_, 0) => None,
        (0, 1) => {
            let pos = s.rfind(',').ok_or_else(|| not_a_number(raw))?;
            let before = s[..pos].trim_matches(is_space_group);
            let after = &s[pos + 1..];
            let thousands = after.len() == 3 && !before.is_empty() && before != "0" && !spaced;
            if thousands {
                None
            } else if spaced || sep == b';' || sep == b'\t' {
                Some(pos)
            } else {
                return Err(format!(
                    "ambiguous number '{}': write the decimal with '.' or group thousands in threes",
                    raw.trim()
                ));
            }
        }
        (0, _) => None,
        _ => {
            let (dot, comma) = (s.rfind('.'), s.rfind(','));
            let (pos, count) = if dot > comma { (dot, dots) } else { (comma, commas) };
            if count > 1 {
                return Err(not_a_number(raw));
            }
            pos
        }
    };
    Ok(mark)
}

/// Grouped integers must look like `1,234,567`: one grouping character, groups of three after the first.
fn check_groups(int_part: &str, raw: &str) -> Result<(), String> {
    let mut group_chars = int_part.chars().filter(|c| !c.is_ascii_digit());
    let Some(g) = group_chars.next() else {
        return Ok(());
    };
    let same_kind = |c: char| c == g || (is_space_group(c) && is_space_group(g));
    if !group_chars.all(same_kind) {
        return Err(format!("malformed number '{}'", raw.trim()));
    }
    let mut groups = int_part.split(same_kind);
    let first_ok = groups.next().is_some_and(|f| (1..=3).contains(&f.len()));
    if !first_ok || !groups.all(|grp| grp.len() == 3) {
        return Err(format!("malformed number '{}'", raw.trim()));
    }
    Ok(())
}

impl Clean {
    fn is_zero(&self) -> bool {
        self.digits[..self.len].iter().all(|&d| d == b'0')
    }

    fn to_f64(&self, raw: &str) -> Result<f64, String> {
        // Rebuild "-123.45" on the stack and let the standard parser do correctly rounded conversion.
        let mut buf = [0u8; MAX_DIGITS + 3];
        let mut n = 0;
        if self.negative || self.parens {
            buf[n] = b'-';
            n += 1;
        }
        let int_len = self.len - self.frac;
        if int_len == 0 {
            buf[n] = b'0';
            n += 1;
        }
        for (i, &d) in self.digits[..self.len].iter().enumerate() {
            if i == int_len {
                buf[n] = b'.';
                n += 1;
            }
            buf[n] = d;
            n += 1;
        }
        let value: f64 =
            std::str::from_utf8(&buf[..n]).ok().and_then(|s| s.parse().ok()).ok_or_else(|| not_a_number(raw))?;
        // "-0" is zero; keep it from surfacing as -0.0 in comparisons and output.
        Ok(if value == 0.0 { 0.0 } else { value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str, sep: u8) -> Option<f64> {
        number(s, sep).unwrap()
    }

    #[test]
    fn plain_and_grouped() {
        assert_eq!(n("1,234", b','), Some(1234.0));
        assert_eq!(n("1,234,567.5", b','), Some(1_234_567.5));
        assert_eq!(n("$174.03", b','), Some(174.03));
        assert_eq!(n("€1.234,50", b';'), Some(1234.5));
        assert_eq!(n("1.234.567", b';'), Some(1_234_567.0));
        assert_eq!(n("1,5", b';'), Some(1.5));
        assert_eq!(n("1 234,5", b';'), Some(1234.5));
        assert_eq!(n("0,500", b';'), Some(0.5));
        assert_eq!(n("62.5%", b','), Some(62.5));
        assert_eq!(n("-3.25", b','), Some(-3.25));
        assert_eq!(n("(12)", b','), Some(-12.0));
        assert_eq!(n(".5", b','), Some(0.5));
        assert_eq!(n("1.234", b';'), Some(1.234));
        assert_eq!(n("-0", b','), Some(0.0));
        assert_eq!(n("--", b','), None);
        assert_eq!(n("  ", b','), None);
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["abc", "1,2,3", "12,34.5.6", "1.2.3,4,5", "$$5", "--5", "1e5", "1,23,456", "-", "(-5)"] {
            assert!(number(bad, b',').is_err(), "{bad}");
        }
        assert!(number("1,5", b',').unwrap_err().contains("ambiguous"));
    }

    #[test]
    fn counts_refuse_negatives() {
        assert!(count("(5)", b',').unwrap_err().contains("parentheses"));
        assert!(count("-5", b',').is_err());
        assert!(count("5%", b',').is_err());
        assert_eq!(count("1,946", b',').unwrap(), Some(1946.0));
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(cents("$1,174.03", b',').unwrap(), Some(117_403));
        assert_eq!(cents("€1.234,5", b';').unwrap(), Some(123_450));
        assert_eq!(cents("0.1", b',').unwrap(), Some(10));
        assert_eq!(cents("(2.50)", b',').unwrap(), Some(-250));
        assert_eq!(cents("100000000000.00", b',').unwrap(), Some(10_000_000_000_000));
        assert_eq!(cents("-100000000000", b',').unwrap(), Some(-10_000_000_000_000));
        assert!(cents("100000000000.01", b',').unwrap_err().contains("out of range"));
        assert!(cents("99999999999999999999999999999999999999", b',').is_err());
        assert!(cents("1.005", b',').unwrap_err().contains("2 decimals"));
        assert!(cents("5%", b',').is_err());
        assert_eq!(cents("--", b'\t').unwrap(), None);
    }
}
