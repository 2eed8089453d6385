use super::*;

const TYPED: Source = Source::Typed;
const COMMA: Source = Source::File { decimal: Decimal::Dot };
const SEMI: Source = Source::File { decimal: Decimal::Comma };

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
fn in_a_file_the_separator_decides_the_decimal_mark() {
    assert_eq!(v("1.234", SEMI), 1234.0, "in a ';' file '.' groups thousands");
    assert_eq!(v("2.000.000", SEMI), 2_000_000.0);
    assert_eq!(v("1.234,5", SEMI), 1234.5);
    assert_eq!(v("1,234", COMMA), 1234.0);
    assert_eq!(v("1.234", COMMA), 1.234);
    assert_eq!(v("1\u{202f}234,50", SEMI), 1234.5);
    let other = |raw: &str, written, file| NumberError::OtherConvention { raw: raw.into(), written, file };
    assert_eq!(read("12.5", SEMI), Err(other("12.5", '.', ',')));
    assert_eq!(read("1,234.50", SEMI), Err(other("1,234.50", '.', ',')));
    assert_eq!(read("1.234,50", COMMA), Err(other("1.234,50", ',', '.')));
    assert_eq!(read("1,5", COMMA), Err(other("1,5", ',', '.')));
    assert_eq!(read("1.234.567", COMMA), Err(other("1.234.567", ',', '.')));
    assert_eq!(read("12.5", SEMI).unwrap_err().to_string(), "'12.5' uses '.' for decimals, but this file uses ','");
    assert_eq!(v("1,5", TYPED), 1.5);
}

#[test]
fn a_lone_dot_typed_is_a_decimal_point() {
    assert_eq!(v("1.234", TYPED), 1.234);
    assert_eq!(count("31.50", COMMA), Ok(Some(31.5)));
    assert_eq!(cents("1.234", TYPED), Err(NumberError::TooManyDecimals("1.234".into())));
}

#[test]
fn digits_are_grouped_in_threes_or_the_indian_way() {
    let r = |s: &str| read(s, COMMA).unwrap().unwrap();
    assert_eq!(r("1,23,456").value, 123_456.0);
    assert_eq!(r("1,23,456").grouping, Grouping::Indian);
    assert_eq!(r("12,34,56,789.50").value, 123_456_789.5);
    assert_eq!(r("1,234,567").grouping, Grouping::Thousands);
    assert_eq!(r("12,345").grouping, Grouping::Plain, "reads the same both ways");
    assert_eq!(r("123,456").grouping, Grouping::Thousands, "the Indian way writes 1,23,456");
    assert_eq!(r("₹1,23,456.78").currency, Some(Mark::Symbol('₹')));
    for bad in ["1,2345", "12,34,5678", "1,23,4567", ",123"] {
        assert!(read(bad, COMMA).is_err(), "{bad}");
    }
}

#[test]
fn a_cell_that_reads_one_way_only_decides_a_file() {
    assert_eq!(evidence("412.30"), Some(Evidence::Decides(Decimal::Dot)));
    assert_eq!(evidence("\"1.234,50\""), None, "quotes are the CSV reader's");
    assert_eq!(evidence("1.234,50"), Some(Evidence::Decides(Decimal::Comma)));
    assert_eq!(evidence("9,380"), Some(Evidence::Ambiguous));
    assert_eq!(evidence("1.234"), Some(Evidence::Ambiguous));
    assert_eq!(evidence("1,234,567"), Some(Evidence::Decides(Decimal::Dot)));
    assert_eq!(evidence("1234"), None);
    assert_eq!(evidence("Brand - Search"), None);
    assert_eq!(evidence("2026-11-01"), None);
}

#[test]
fn garbage_exponents_and_too_many_digits_are_refused() {
    for bad in ["abc", "1,2,3", "12,34.5.6", "$$5", "--5", "1e5", "1e400", "1,2,34,567", "-", "(-5)", "12x4", "12abc"] {
        assert!(read(bad, COMMA).is_err(), "{bad}");
    }
    assert_eq!(read("99999999999999999999", TYPED).unwrap_err().why(), "too large");
    assert_eq!(v("999999999999999", TYPED), 999_999_999_999_999.0);
    assert!(read("0.6245098039215686", COMMA).is_ok(), "long fractions keep their precision");
}

#[test]
fn values_are_written_without_float_noise() {
    assert_eq!(shortest(1236.40 + 798.88), "2035.28");
    assert_eq!(shortest(0.1 + 0.2), "0.3");
    assert_eq!(shortest(12.0), "12");
    assert_eq!(shortest(3_999_999_999_999.99), "3999999999999.99");
    assert_eq!(shortest(0.123456789), "0.123456789");
    assert_eq!(decimals_of(1236.40 + 798.88), 2);
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
