//! The `experiment,variant,visitors,conversions[,date]` format: one variant's cumulative counts
//! per row, as an A/B tool exports them. Rows without a date are the counts as of the import's
//! day. Which experiment and variant a row names, and whether its counts agree with those
//! already stored, is the store's to check (`store::experiments`).

use std::collections::HashMap;

use super::Fact;
use super::date::push_iso;
use super::kpi_csv::check_exact_header;
use super::sink::Sink;
use super::table::{Table, cell, opt_cell};
use crate::domain::experiment::name_fold;

pub(super) fn parse(text: &str, sink: &mut Sink<'_>) {
    let columns = ["experiment", "variant", "visitors", "conversions", "date"];
    let anchors: &[&[&str]] = &[&["experiment"], &["variant"], &["visitors"], &["conversions"], &["date"]];
    let mut table = match Table::by_columns(text, anchors) {
        Ok(t) => t,
        Err(e) => return sink.errors.push(e),
    };
    let h = &table.header;
    check_exact_header(h, sink, &columns, "experiment-csv");
    let cols = (
        h.require(sink, &["experiment"]),
        h.require(sink, &["variant"]),
        h.require(sink, &["visitors"]),
        h.require(sink, &["conversions"]),
    );
    let (Some(exp_col), Some(var_col), Some(vis_col), Some(conv_col)) = cols else {
        return;
    };
    if !sink.errors.is_empty() {
        return;
    }
    let date_col = h.find(&["date"]);
    // (experiment, variant, day) => first line: the same counts twice is a mistake in the file.
    let mut seen: HashMap<String, usize> = HashMap::new();

    table.rows(sink, |sink, h, line, rec| {
        let experiment = cell(rec, exp_col);
        let variant = cell(rec, var_col);
        if experiment.is_empty() {
            sink.error(line, h.name(exp_col), "empty experiment (its id or name)");
        }
        if variant.is_empty() {
            sink.error(line, h.name(var_col), "empty variant");
        }
        let whole = |raw: &str, col: usize, sink: &mut Sink<'_>| -> Option<u64> {
            match sink.numbers.count(raw, line) {
                Ok(Some(v)) if v.fract() == 0.0 && v <= 1e15 => Some(v as u64),
                Ok(Some(_)) => {
                    sink.error(line, h.name(col), format!("'{}' is not a whole number", raw.trim()));
                    None
                }
                Ok(None) => {
                    sink.error(line, h.name(col), "empty count");
                    None
                }
                Err(e) => {
                    sink.error(line, h.name(col), e);
                    None
                }
            }
        };
        let visitors = whole(cell(rec, vis_col), vis_col, sink);
        let conversions = whole(cell(rec, conv_col), conv_col, sink);
        let raw_day = opt_cell(rec, date_col);
        let day = if raw_day.is_empty() {
            Ok(None)
        } else {
            sink.dates
                .parse(raw_day)
                .map(Some)
                .map_err(|e| sink.error(line, date_col.map(|c| h.name(c)).unwrap_or("date"), e))
        };
        let (Some(visitors), Some(conversions), Ok(day), false, false) =
            (visitors, conversions, day, experiment.is_empty(), variant.is_empty())
        else {
            return;
        };
        if let Err(e) = crate::domain::experiment::check_counts(visitors, conversions) {
            return sink.error(line, h.name(conv_col), e.to_string());
        }
        let mut key = format!("{}|{}|", name_fold(experiment), name_fold(variant));
        if let Some(d) = day {
            push_iso(&mut key, d);
        }
        if let Some(first) = seen.get(&key) {
            return sink.error(line, "-", format!("duplicate of line {first}: same experiment, variant and date"));
        }
        seen.insert(key.clone(), line);
        sink.push(Fact::Experiment {
            line,
            key,
            experiment: experiment.to_string(),
            variant: variant.to_string(),
            day,
            visitors,
            conversions,
        });
    });
}

#[cfg(test)]
mod tests {
    use crate::io::import::{Fact, Preset, parse};

    #[test]
    fn counts_per_variant_with_or_without_a_date() {
        let text = "experiment,variant,visitors,conversions,date\nHeadline test,control,\"10,000\",500,2026-11-19\n1,new-headline,10000,560,\n";
        let p = parse(text.as_bytes(), None).unwrap();
        assert_eq!(p.preset, Preset::ExperimentCsv);
        assert_eq!(p.facts.len(), 2);
        let Fact::Experiment { key, visitors, day, .. } = &p.facts[0] else { panic!() };
        assert_eq!((key.as_str(), *visitors, day.is_some()), ("headline test|control|2026-11-19", 10_000, true));
        assert_eq!(p.facts[1].day(), None);
        assert_eq!(p.range.map(|r| r.0.to_string()), Some("2026-11-19".into()));
    }

    #[test]
    fn bad_rows_are_refused_by_line_and_column() {
        let text = "experiment,variant,visitors,conversions\nx,control,100,10\nx,b,100,101\nx,b,12.5,1\nx,b,-3,1\n,b,1,1\nx,control,100,1\n";
        let errors = parse(text.as_bytes(), Some(Preset::ExperimentCsv)).unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown[0], "3: conversions: 101 conversions from 100 visitors: conversions cannot exceed visitors");
        assert_eq!(shown[1], "4: visitors: '12.5' is not a whole number");
        assert!(shown[2].starts_with("5: visitors: "), "{shown:?}");
        assert_eq!(shown[3], "6: experiment: empty experiment (its id or name)");
        assert_eq!(shown[4], "7: -: duplicate of line 2: same experiment, variant and date");
    }
}
