//! The importers' side of `domain::number`: one file's numbers, read with the decimal mark and the
//! digit grouping the file settles, every refusal naming the line that settled it.

use super::ImportError;
use super::decode::lines;
use crate::domain::number::{self, Decimal, Evidence, Grouping, NumberError, Reading, Source};

/// How one file writes its numbers, learnt as it is read.
#[derive(Debug, Clone)]
pub(super) struct Numbers {
    decimal: Decimal,
    /// The field separator, when it is what decided the decimal mark.
    separator: Option<u8>,
    /// The first cell that showed the file's decimal mark (for refusals of the other one).
    evidence: Option<(usize, String)>,
    /// The first cell grouped in threes or the Indian way, beyond what the other allows.
    grouping: Option<(Grouping, usize, String)>,
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers { decimal: Decimal::Dot, separator: Some(b','), evidence: None, grouping: None }
    }
}

impl Numbers {
    /// The decimal mark of a table separated by `sep` whose rows start on line `first_line`: the
    /// separator decides for `,` and `;`; otherwise the first cell that reads one way only does,
    /// and a file where every number could be read two ways is refused.
    pub fn settle(body: &str, sep: u8, first_line: usize) -> Result<Numbers, ImportError> {
        if let Some(decimal) = Decimal::for_separator(sep) {
            return Ok(Numbers { decimal, separator: Some(sep), evidence: None, grouping: None });
        }
        let mut ambiguous: Option<(usize, String)> = None;
        for line in lines(body) {
            for cell in line.text.split(char::from(sep)) {
                let cell = cell.trim().trim_matches('"').trim();
                match number::evidence(cell) {
                    Some(Evidence::Decides(decimal)) => {
                        let evidence = Some((first_line + line.number - 1, cell.to_string()));
                        return Ok(Numbers { decimal, separator: None, evidence, grouping: None });
                    }
                    Some(Evidence::Ambiguous) => {
                        ambiguous.get_or_insert((first_line + line.number - 1, cell.to_string()));
                    }
                    None => {}
                }
            }
        }
        match ambiguous {
            None => Ok(Numbers { decimal: Decimal::Dot, separator: None, evidence: None, grouping: None }),
            Some((line, cell)) => Err(ImportError::new(
                line,
                "-",
                format!(
                    "'{cell}' could be read with '.' or ',' as the decimal mark and no number in the file settles \
                     which; save the file with a ',' or ';' separator"
                ),
            )),
        }
    }

    /// Reads a cell; `None` for blank or `--`.
    pub fn read(&mut self, raw: &str, line: usize) -> Result<Option<Reading>, String> {
        let r = match number::read(raw, Source::File { decimal: self.decimal }) {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(None),
            Err(NumberError::OtherConvention { raw, written, file }) => return Err(self.other(&raw, written, file)),
            Err(e) => return Err(e.to_string()),
        };
        // The first cell written with a mark (a decimal, or a group) shows the file's convention.
        if self.evidence.is_none() && raw.contains(['.', ',']) {
            self.evidence = Some((line, raw.trim().to_string()));
        }
        if r.grouping != Grouping::Plain {
            match &self.grouping {
                None => self.grouping = Some((r.grouping, line, raw.trim().to_string())),
                Some((g, l, v)) if *g != r.grouping => {
                    let (this, that) = match r.grouping {
                        Grouping::Indian => ("the Indian way", "in threes"),
                        _ => ("in threes", "the Indian way"),
                    };
                    return Err(format!(
                        "'{}' groups digits {this} but line {l} groups them {that} ('{v}'); a file keeps one grouping",
                        raw.trim()
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(Some(r))
    }

    /// A count (sessions, clicks): never negative, never a percentage.
    pub fn count(&mut self, raw: &str, line: usize) -> Result<Option<f64>, String> {
        let Some(r) = self.read(raw, line)? else { return Ok(None) };
        number::count_reading(raw, &r).map(Some).map_err(|e| e.to_string())
    }

    /// Money to exact cents, with the currency mark the cell carries, if any.
    pub fn cents(&mut self, raw: &str, line: usize) -> Result<Option<(i64, Reading)>, String> {
        let r = match self.read(raw, line) {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(None),
            Err(e) if e.contains("too large") => {
                return Err(NumberError::OutOfRange(raw.trim().to_string()).to_string());
            }
            Err(e) => return Err(e),
        };
        number::cents_reading(raw, &r).map(|c| Some((c, r))).map_err(|e| e.to_string())
    }

    fn other(&self, raw: &str, written: char, file: char) -> String {
        match (&self.evidence, self.separator) {
            (Some((l, v)), _) => format!(
                "'{raw}' uses '{written}' for decimals, but this file uses '{file}' (line {l}: '{v}'); a file keeps \
                 one convention"
            ),
            (None, Some(sep)) => format!(
                "'{raw}' uses '{written}' for decimals, but in a '{}'-separated file '{file}' is the decimal mark and \
                 '{written}' groups thousands",
                char::from(sep)
            ),
            (None, None) => format!("'{raw}' uses '{written}' for decimals, but this file uses '{file}'"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_reads_a_dot_as_thousands_and_refuses_a_mix_naming_the_line() {
        let mut n = Numbers::settle("", b';', 2).unwrap();
        assert_eq!(n.read("1.234", 2).unwrap().unwrap().value, 1234.0);
        assert_eq!(n.read("1.234,50", 3).unwrap().unwrap().value, 1234.5);
        assert_eq!(
            n.read("1,234.50", 4).unwrap_err(),
            "'1,234.50' uses '.' for decimals, but this file uses ',' (line 2: '1.234'); a file keeps one convention"
        );
        let mut n = Numbers::settle("", b';', 2).unwrap();
        assert_eq!(
            n.read("12.5", 2).unwrap_err(),
            "'12.5' uses '.' for decimals, but in a ';'-separated file ',' is the decimal mark and '.' groups thousands"
        );
    }

    #[test]
    fn a_tab_file_is_settled_by_its_first_cell_that_reads_one_way() {
        let n = Numbers::settle("Brand\t\"9,380\"\t412.30\n", b'\t', 4).unwrap();
        assert_eq!(n.decimal, Decimal::Dot);
        assert_eq!(n.evidence, Some((4, "412.30".into())));
        let e = Numbers::settle("Brand\t\"9,380\"\t1.234\n", b'\t', 4).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("could be read with '.' or ','"), "{}", e.message);
    }

    #[test]
    fn a_file_keeps_one_grouping() {
        let mut n = Numbers::default();
        assert_eq!(n.read("1,23,456", 3).unwrap().unwrap().value, 123_456.0);
        assert_eq!(n.read("12,345", 4).unwrap().unwrap().value, 12_345.0);
        let e = n.read("1,234,567", 5).unwrap_err();
        assert_eq!(
            e,
            "'1,234,567' groups digits in threes but line 3 groups them the Indian way ('1,23,456'); a file keeps one grouping"
        );
    }
}
