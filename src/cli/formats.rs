//! Each command's `--format` accepts exactly the formats that command prints, and its `--help`
//! names only those: the list is written once, at the argument (`value_parser = of(&[..])`), and
//! clap refuses any other value (exit 2, one `error:` line) before the command runs.
//! `tests/it/formats.rs` runs every format every command's help names.

use clap::ValueEnum;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::output::Format;

/// A `--format` parser that knows only `allowed`, in that order (the order `--help` shows).
pub fn of(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(allowed.iter().filter_map(|f| f.to_possible_value()))
        .try_map(|name| Format::from_str(&name, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Probe {
        #[arg(long, default_value = "text", value_parser = of(&[Format::Text, Format::Json]))]
        format: Format,
    }

    #[test]
    fn only_the_listed_formats_parse() {
        assert_eq!(Probe::try_parse_from(["p", "--format", "json"]).unwrap().format, Format::Json);
        assert_eq!(Probe::try_parse_from(["p"]).unwrap().format, Format::Text);
        let e = Probe::try_parse_from(["p", "--format", "csv"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue);
    }
}
