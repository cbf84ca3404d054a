//! The dashboard's charts as server-side SVG: a line chart of daily series and a horizontal
//! bar chart (the funnel). Written by hand rather than with a plotting crate: two chart
//! shapes are a few dozen lines of `path`/`rect`, and we need what such crates do not give —
//! `role="img"`, a `<title>` and `<desc>` wired with `aria-labelledby`, colours from our
//! palette — without their dependency trees. Every chart has a data table beside it in the
//! page (a `<details>`), which is what screen readers and phones read.

use std::fmt::Write as _;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
/// Room for the y-axis labels (left) and the x-axis labels (bottom).
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;
const RIGHT: f64 = 12.0;

/// Line colours with at least 3:1 contrast on white, told apart by dash as well.
const STYLES: [(&str, &str); 3] = [("#0f1f3d", ""), ("#b3261e", "6 4"), ("#1d5e2a", "2 3")];

/// One line of a chart.
pub struct Series<'a> {
    pub label: &'a str,
    pub values: Vec<i64>,
}

/// Escapes text for SVG (XML) content and attributes.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(out: &mut String, id: &str, title: &str, desc: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

#[allow(
    clippy::cast_precision_loss,
    reason = "counts far below 2^52 are drawn in pixels"
)]
fn scaled(v: i64, max: i64, span: f64) -> f64 {
    if max <= 0 {
        0.0
    } else {
        v as f64 / max as f64 * span
    }
}

/// A line chart of `series` over `labels` (one per point: the days), with the largest value
/// and zero on the y axis and the first and last labels on the x axis.
#[allow(
    clippy::cast_precision_loss,
    reason = "a chart has at most a year of points"
)]
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[Series<'_>],
) -> String {
    let mut out = String::new();
    open(&mut out, id, title, desc, HEIGHT);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let base = TOP + plot_h;
    let _ = write!(
        out,
        "<g class=\"axis\"><line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#767676\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{}\" y2=\"{TOP}\" stroke=\"#c8c8c8\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{max}</text>\
         <text x=\"{}\" y=\"{base}\" text-anchor=\"end\" font-size=\"12\">0</text>",
        WIDTH - RIGHT,
        WIDTH - RIGHT,
        LEFT - 6.0,
        TOP + 4.0,
        LEFT - 6.0,
    );
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        let _ = write!(
            out,
            "<text x=\"{LEFT}\" y=\"{}\" font-size=\"12\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            HEIGHT - 8.0,
            esc(first),
            WIDTH - RIGHT,
            HEIGHT - 8.0,
            esc(last)
        );
    }
    out.push_str("</g>");
    let steps = labels.len().saturating_sub(1).max(1) as f64;
    for (s, (color, dash)) in series.iter().zip(STYLES) {
        let mut d = String::new();
        for (i, v) in s.values.iter().enumerate() {
            let x = LEFT + plot_w * i as f64 / steps;
            let y = base - scaled(*v, max, plot_h);
            let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" });
        }
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"><title>{}</title></path>",
            esc(s.label)
        );
    }
    legend(&mut out, series.iter().map(|s| s.label));
    out.push_str("</svg>");
    out
}

fn legend<'a>(out: &mut String, labels: impl Iterator<Item = &'a str>) {
    let mut x = LEFT + 8.0;
    for (label, (color, dash)) in labels.zip(STYLES) {
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            TOP + 10.0,
            x + 18.0,
            TOP + 10.0,
            x + 22.0,
            TOP + 14.0,
            esc(label)
        );
        #[allow(clippy::cast_precision_loss, reason = "a legend label is a few words")]
        let width = label.chars().count() as f64;
        x += 34.0 + width * 7.0;
    }
}

/// Horizontal bars, one per `(label, value)`, each with its value printed.
#[allow(clippy::cast_precision_loss, reason = "a funnel has a handful of bars")]
pub fn bars(id: &str, title: &str, desc: &str, rows: &[(&str, i64)]) -> String {
    let row_h = 34.0;
    let height = row_h * rows.len() as f64 + 8.0;
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let label_w = 150.0;
    let span = WIDTH - label_w - 80.0;
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = scaled(*value, max, span).max(1.0);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#0f1f3d\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\">{value}</text>",
            label_w - 8.0,
            y + 19.0,
            esc(label),
            row_h - 10.0,
            label_w + w + 6.0,
            y + 19.0,
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_is_labelled_and_escaped() {
        let svg = lines(
            "c",
            "Views & visitors",
            "Per day",
            &["2026-11-01".into(), "2026-11-02".into()],
            &[Series {
                label: "Views",
                values: vec![0, 7],
            }],
        );
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\""));
        assert!(svg.contains("<title id=\"c-title\">Views &amp; visitors</title>"));
        assert!(
            svg.contains(">7</text>"),
            "the maximum is on the axis: {svg}"
        );
        assert!(
            svg.contains("M56.0,192.0"),
            "zero sits on the x axis: {svg}"
        );
    }

    #[test]
    fn bars_print_their_values() {
        let svg = bars(
            "f",
            "Funnel",
            "Views to paid",
            &[("Views", 100), ("Paid", 0)],
        );
        assert!(svg.contains(">100</text>") && svg.contains(">0</text>"));
    }
}
