//! Charts drawn by the app, legible on a 320 px screen: every word and
//! figure is HTML text at the page's own size; only the shapes scale with
//! the screen (a bar's length, the SVG line over days), so no label ever
//! shrinks to a few pixels. The numbers are always also given as a table
//! beside them.

use leptos::prelude::*;

/// One bar: its label, its length as a share of the longest (0–1), and the figure written at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub share: f64,
    pub figure: String,
}

/// Horizontal bars, each under its label and figure.
#[component]
pub fn BarChart(title: &'static str, bars: Vec<Bar>) -> impl IntoView {
    view! {
        <div class="chart bars" role="img" aria-label=title>
            {bars.into_iter().map(|bar| {
                let length = format!("{:.1}%", (bar.share.clamp(0.0, 1.0) * 100.0).max(0.5));
                view! {
                    <div class="chart-row">
                        <div class="chart-words">
                            <span class="chart-label">{bar.label}</span>
                            <span class="chart-figure">{bar.figure}</span>
                        </div>
                        <span class="chart-bar" style:width=length></span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// The line's drawing area, in SVG units; it stretches to the screen's width.
const LINE_WIDTH: f64 = 300.0;
const LINE_HEIGHT: f64 = 100.0;

/// A line of one figure per day, with its top figure beside it and the first and last day under it.
#[component]
pub fn DayLine(title: &'static str, points: Vec<(String, u32)>) -> impl IntoView {
    let top = points.iter().map(|(_, value)| *value).max().unwrap_or(0).max(1);
    let step = if points.len() > 1 { LINE_WIDTH / (points.len() - 1) as f64 } else { 0.0 };
    let path = points
        .iter()
        .enumerate()
        .map(|(i, (_, value))| {
            let (x, y) = (step * i as f64, LINE_HEIGHT * (1.0 - f64::from(*value) / f64::from(top)));
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let first = points.first().map(|(day, _)| day.clone()).unwrap_or_default();
    let last = points.last().map(|(day, _)| day.clone()).unwrap_or_default();
    view! {
        <div class="chart line" role="img" aria-label=title>
            <div class="chart-plot">
                <span class="chart-figure chart-top">{top}</span>
                <svg viewBox=format!("-4 -4 {} {}", LINE_WIDTH + 8.0, LINE_HEIGHT + 8.0) preserveAspectRatio="none">
                    <line x1="0" y1=LINE_HEIGHT x2=LINE_WIDTH y2=LINE_HEIGHT class="chart-axis" />
                    <polyline points=path class="chart-line" />
                </svg>
                <span class="chart-figure chart-zero">"0"</span>
            </div>
            <div class="chart-days"><span class="chart-label">{first}</span><span class="chart-label">{last}</span></div>
        </div>
    }
}
