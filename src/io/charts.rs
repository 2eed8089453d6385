//! Charts for the weekly review pack: pure functions from plain numbers to one inline SVG string.
//!
//! Drawn with plotters' SVG backend and no font support at all: the SVG carries `<text>`
//! elements in a generic `sans-serif` family and the browser lays them out, so nothing reads
//! system fonts and the build needs only the Rust toolchain. Black and grey on white, with
//! labels on the lines, so a chart still reads when the pack is printed. No scripts, no links,
//! no external references: the page that holds the SVG opens with no network.

use std::error::Error as StdError;

use chrono::{Duration, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::domain::text::{safe, truncate};

#[derive(Debug, thiserror::Error)]
#[error("could not draw the chart '{title}': {why}")]
pub struct ChartError {
    title: String,
    why: String,
}

const WIDTH: u32 = 640;
const GREY: RGBColor = RGBColor(110, 110, 110);
const LIGHT: RGBColor = RGBColor(225, 225, 225);
const FONT: &str = "sans-serif";

/// A KPI over one period: its cumulative value day by day against the target and the pace.
pub struct KpiChart<'a> {
    pub title: &'a str,
    /// The period's first day and its length in days.
    pub start: NaiveDate,
    pub days: u32,
    /// The value through each complete day so far, from `start`: a running total for a sum
    /// (leads), the period-to-date level for a ratio (CPL).
    pub actual: &'a [f64],
    pub target: Option<f64>,
    /// True for a sum: the pace line climbs from nothing to the target over the period.
    /// False for a level: the target is flat and is its own pace.
    pub cumulative: bool,
    /// Days that carry a note, drawn as numbered markers (the first is "1"), so the list of
    /// notes under the chart can use the same numbers.
    pub notes: &'a [NaiveDate],
    /// How the y axis writes a value (money, percent, a count).
    pub format: &'a dyn Fn(f64) -> String,
}

/// One treatment's relative lift against control with its interval (0.12 = +12%).
pub struct LiftRow<'a> {
    pub label: &'a str,
    pub lift: f64,
    pub low: f64,
    pub high: f64,
}

/// A compact plain number for an axis: 950, 1.2k, 3.4M, 0.035.
pub fn plain(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
    };
    s.replace(".0k", "k").replace(".0M", "M")
}

/// Text from the store, safe to put in SVG: no control characters (which XML forbids and a
/// terminal would obey), no noncharacters XML refuses, and not wider than `max`. plotters
/// escapes `<`, `>`, `&` and quotes itself.
fn label(s: &str, max: usize) -> String {
    let clean: String =
        safe(s).chars().map(|c| if matches!(c, '\u{FFFE}' | '\u{FFFF}') { '\u{FFFD}' } else { c }).collect();
    truncate(&clean, max).into_owned()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

type Drawn = Result<(), Box<dyn StdError>>;

/// Draw on a white canvas and return the SVG, its title in a `<title>` for screen readers.
fn render(
    title: &str,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Drawn,
) -> Result<String, ChartError> {
    let fail = |e: Box<dyn StdError>| ChartError { title: title.to_string(), why: e.to_string() };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.into()))?;
        draw(&root).map_err(fail)?;
        root.present().map_err(|e| fail(e.into()))?;
    }
    // plotters opens with `<svg ...>\n`: the accessible name goes right after it.
    if let Some(end) = svg.find(">\n") {
        svg.insert_str(end + 2, &format!("<title>{}</title>\n", xml_escape(title)));
        svg.insert_str(4, " role=\"img\"");
    }
    Ok(svg)
}

fn finite_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// (a) A KPI's cumulative value against its target line and its pace line over a period.
pub fn kpi_chart(c: &KpiChart) -> Result<String, ChartError> {
    let title = label(c.title, 80);
    let days = c.days.max(1);
    let last = (days - 1) as f64;
    let target = c.target.filter(|t| t.is_finite());
    // Where the value should be by the end of day i: the target x the share of the period gone.
    let pace = |i: f64| target.map(|t| if c.cumulative { t * (i + 1.0) / days as f64 } else { t });
    let points: Vec<(f64, f64)> = c
        .actual
        .iter()
        .take(days as usize)
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| (i as f64, v))
        .collect();
    let (lo, hi) = finite_range(points.iter().map(|p| p.1).chain(target).chain([0.0])).unwrap_or((0.0, 1.0));
    let (lo, hi) = if hi > lo { (lo, hi + (hi - lo) * 0.1) } else { (lo, lo + 1.0) };
    let start = c.start;
    let x_fmt = move |x: &f64| {
        let r = x.round();
        if (x - r).abs() > 1e-6 {
            String::new()
        } else {
            (start + Duration::days(r as i64)).format("%b %-d").to_string()
        }
    };
    let y_fmt = |y: &f64| (c.format)(*y);
    render(&title, 320, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 18).into_font().color(&BLACK))
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..last.max(1.0), lo..hi)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(LIGHT)
            .axis_style(BLACK)
            .x_labels(7)
            .y_labels(6)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style((FONT, 12).into_font().color(&BLACK))
            .draw()?;
        if let Some(t) = target {
            let style = ShapeStyle::from(GREY).stroke_width(1);
            chart
                .draw_series(LineSeries::new([(0.0, t), (last, t)], style))?
                .label("target")
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], style));
        }
        if c.cumulative && target.is_some() {
            let style = ShapeStyle::from(GREY).stroke_width(1);
            let line = (0..days).filter_map(|i| pace(i as f64).map(|p| (i as f64, p)));
            chart.draw_series(DashedLineSeries::new(line, 6, 4, style))?.label("pace").legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (6, 0)], style)
                    + PathElement::new([(11, 0), (17, 0)], style)
            });
        }
        let style = ShapeStyle::from(BLACK).stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.iter().copied(), style))?
            .label("actual")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], style));
        for (k, day) in c.notes.iter().enumerate() {
            let x = (*day - start).num_days() as f64;
            if !(0.0..=last).contains(&x) {
                continue;
            }
            let dotted = ShapeStyle::from(GREY).stroke_width(1);
            chart.draw_series(DashedLineSeries::new([(x, lo), (x, hi)], 2, 3, dotted))?;
            let mark = (FONT, 12).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Top));
            chart.draw_series([EmptyElement::at((x, hi)) + Text::new(format!("{}", k + 1), (3, 2), mark)])?;
        }
        chart
            .configure_series_labels()
            // A running total starts low on the left; a level sits high: keep the legend off the line.
            .position(if c.cumulative { SeriesLabelPosition::UpperLeft } else { SeriesLabelPosition::LowerRight })
            .background_style(WHITE)
            .border_style(GREY)
            .label_font((FONT, 12).into_font().color(&BLACK))
            .draw()?;
        Ok(())
    })
}

/// "+12.0%" for a relative lift of 0.12.
fn pct(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// (b) Each treatment's relative lift with its interval as an error bar, and the zero line.
/// `confidence` names the interval on the axis (0.95 for the readout's default alpha of 0.05).
pub fn lift_chart(title: &str, rows: &[LiftRow], confidence: f64) -> Result<String, ChartError> {
    let title = label(title, 80);
    let rows: Vec<&LiftRow> = rows.iter().filter(|r| [r.lift, r.low, r.high].iter().all(|v| v.is_finite())).collect();
    let labels: Vec<String> = rows.iter().map(|r| label(r.label, 18)).collect();
    let n = rows.len().max(1);
    let (lo, hi) = finite_range(rows.iter().flat_map(|r| [r.low, r.high]).chain([0.0])).unwrap_or((0.0, 0.0));
    let pad = ((hi - lo) * 0.15).max(0.02);
    let (lo, hi) = (lo - pad, hi + pad);
    // Row 0 at the top, each row one unit high. The rows are plain f64 positions with their
    // labels drawn beside the axis: plotters' segmented integer axis panics on a single row.
    let y_of = |i: usize| (n - i) as f64 - 0.5;
    let x_fmt = |x: &f64| match (x * 100.0).round() {
        // The zero tick lands a hair off zero: never "-0%".
        0.0 => "0%".to_string(),
        p => format!("{p:+.0}%"),
    };
    render(&title, 110 + 40 * n as u32, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 18).into_font().color(&BLACK))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(130)
            .build_cartesian_2d(lo..hi, 0.0..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .max_light_lines(0)
            .bold_line_style(LIGHT)
            .axis_style(BLACK)
            .x_labels(7)
            .x_label_formatter(&x_fmt)
            .y_labels(0)
            .x_desc(format!("relative lift vs control, {}% interval", (confidence * 1000.0).round() / 10.0))
            .axis_desc_style((FONT, 12).into_font().color(&GREY))
            .label_style((FONT, 12).into_font().color(&BLACK))
            .draw()?;
        let zero = ShapeStyle::from(GREY).stroke_width(1);
        chart.draw_series(DashedLineSeries::new([(0.0, 0.0), (0.0, n as f64)], 4, 3, zero))?;
        let bar = ShapeStyle::from(BLACK).filled().stroke_width(2);
        chart.draw_series(
            rows.iter().enumerate().map(|(i, r)| ErrorBar::new_horizontal(y_of(i), r.low, r.lift, r.high, bar, 12)),
        )?;
        let note = (FONT, 12).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let text = format!("{} [{}, {}]", pct(r.lift), pct(r.low), pct(r.high));
            EmptyElement::at((r.lift, y_of(i))) + Text::new(text, (0, -10), note.clone())
        }))?;
        let name = (FONT, 12).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
        for (i, l) in labels.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(lo, y_of(i)));
            root.draw(&Text::new(l.as_str(), (x - 8, y), name.clone()))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Parsed as XML: well-formed, one <svg> root, and nothing that runs or fetches.
    fn check(svg: &str) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        for bad in ["<script", "href", "url(", "<image", "<foreignObject", "@import"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
        doc
    }

    fn texts(doc: &roxmltree::Document) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect()
    }

    fn sqls(notes: &[NaiveDate]) -> String {
        let actual: Vec<f64> = (1..=19).map(|i| 18.0 * i as f64).collect();
        kpi_chart(&KpiChart {
            title: "SQLs, November 2026",
            start: d("2026-11-01"),
            days: 30,
            actual: &actual,
            target: Some(600.0),
            cumulative: true,
            notes,
            format: &plain,
        })
        .unwrap()
    }

    #[test]
    fn the_kpi_chart_draws_actual_target_and_pace_with_labels() {
        let svg = sqls(&[d("2026-11-12")]);
        let doc = check(&svg);
        let t = texts(&doc);
        for want in ["SQLs, November 2026", "actual", "target", "pace", "1", "Nov 1"] {
            assert!(t.iter().any(|s| s == want), "no '{want}' in {t:?}");
        }
        assert!(doc.descendants().any(|n| n.has_tag_name("title")));
        // Printable: no colour but black, greys and white.
        for n in doc.descendants() {
            for a in ["stroke", "fill"] {
                if let Some(c) = n.attribute(a) {
                    let ok = c == "none"
                        || c.strip_prefix('#')
                            .is_some_and(|h| h.len() == 6 && h[0..2] == h[2..4] && h[2..4] == h[4..6]);
                    assert!(ok, "{a}={c}");
                }
            }
        }
    }

    #[test]
    fn a_level_kpi_has_a_flat_target_and_no_pace_line() {
        let svg = kpi_chart(&KpiChart {
            title: "CPL",
            start: d("2026-11-01"),
            days: 30,
            actual: &[52.0, 55.5, f64::NAN, 61.0],
            target: Some(50.0),
            cumulative: false,
            notes: &[d("2026-10-01")],
            format: &|v| format!("${v:.0}"),
        })
        .unwrap();
        let t = texts(&check(&svg));
        assert!(t.iter().any(|s| s == "target") && !t.iter().any(|s| s == "pace"), "{t:?}");
        assert!(t.iter().any(|s| s.starts_with('$')), "{t:?}");
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn the_lift_chart_shows_each_interval_and_the_zero_line() {
        let rows = [LiftRow { label: "new headline", lift: 0.12, low: -0.0114, high: 0.2514 }];
        let svg = lift_chart("Headline test", &rows, 0.95).unwrap();
        let doc = check(&svg);
        let t = texts(&doc);
        for want in [
            "Headline test",
            "new headline",
            "+12.0% [-1.1%, +25.1%]",
            "0%",
            "+10%",
            "relative lift vs control, 95% interval",
        ] {
            assert!(t.iter().any(|s| s == want), "no '{want}' in {t:?}");
        }
        // Empty and non-finite input still draws a well-formed, empty chart.
        check(&lift_chart("Nothing yet", &[], 0.95).unwrap());
        check(&lift_chart("Bad", &[LiftRow { label: "x", lift: f64::NAN, low: 0.0, high: 1.0 }], 0.95).unwrap());
    }

    #[test]
    fn stored_text_is_escaped_and_stripped_of_control_characters() {
        let evil = "<script>alert(1)</script> & \u{1b}[31mred\u{7}\"'";
        let rows = [LiftRow { label: evil, lift: 0.05, low: -0.01, high: 0.11 }];
        for svg in [
            lift_chart(evil, &rows, 0.95).unwrap(),
            kpi_chart(&KpiChart {
                title: evil,
                start: d("2026-11-01"),
                days: 7,
                actual: &[1.0, 2.0],
                target: None,
                cumulative: true,
                notes: &[],
                format: &plain,
            })
            .unwrap(),
        ] {
            let doc = check(&svg);
            assert!(!svg.chars().any(|c| c.is_control() && c != '\n'), "control character in {svg}");
            assert!(svg.contains("&lt;script&gt;"));
            assert!(texts(&doc).iter().any(|s| s.starts_with("<script>alert(1)")));
        }
    }

    #[test]
    fn plain_numbers_are_compact() {
        assert_eq!(
            [plain(0.0), plain(950.0), plain(1_200.0), plain(45_000.0), plain(3_400_000.0)],
            ["0", "950", "1.2k", "45k", "3.4M"]
        );
        assert_eq!([plain(0.035), plain(2.5), plain(1_000.0)], ["0.035", "2.5", "1k"]);
    }
}
