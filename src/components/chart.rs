//! Charts drawn as SVG by the app, legible on a 360 px screen: horizontal
//! bars (a label above each bar, the figure at its end) and a line over
//! days. The numbers are always also given as a table beside them.

use leptos::prelude::*;

/// One bar: its label, its length as a share of the longest (0–1), and the figure written at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub share: f64,
    pub figure: String,
}

const WIDTH: f64 = 320.0;
const ROW: f64 = 34.0;

#[component]
pub fn BarChart(title: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let height = ROW * bars.len() as f64 + 4.0;
    view! {
        <svg class="chart bars" role="img" aria-label=title viewBox=format!("0 0 {WIDTH} {height}") width="100%">
            {bars.into_iter().enumerate().map(|(i, bar)| {
                let y = ROW * i as f64;
                let length = (bar.share.clamp(0.0, 1.0) * (WIDTH - 120.0)).max(2.0);
                view! {
                    <text x="0" y=y + 12.0 class="chart-label">{bar.label}</text>
                    <rect x="0" y=y + 16.0 width=length height="12" rx="3" class="chart-bar" />
                    <text x=length + 6.0 y=y + 27.0 class="chart-figure">{bar.figure}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// A line of one figure per day, with the first and last day written under it.
#[component]
pub fn DayLine(title: &'static str, points: Vec<(String, u32)>) -> impl IntoView {
    let top = points.iter().map(|(_, value)| *value).max().unwrap_or(0).max(1) as f64;
    let (plot_height, left) = (100.0, 24.0);
    let step = if points.len() > 1 { (WIDTH - left - 8.0) / (points.len() - 1) as f64 } else { 0.0 };
    let coordinates: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, value))| (left + step * i as f64, 8.0 + plot_height * (1.0 - *value as f64 / top)))
        .collect();
    let path = coordinates.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let first = points.first().map(|(day, _)| day.clone()).unwrap_or_default();
    let last = points.last().map(|(day, _)| day.clone()).unwrap_or_default();
    view! {
        <svg class="chart line" role="img" aria-label=title viewBox=format!("0 0 {WIDTH} 140") width="100%">
            <line x1=left y1="108" x2=WIDTH - 8.0 y2="108" class="chart-axis" />
            <text x="0" y="14" class="chart-figure">{top as u32}</text>
            <text x="0" y="108" class="chart-figure">"0"</text>
            <polyline points=path class="chart-line" />
            {coordinates.iter().map(|(x, y)| view! { <circle cx=*x cy=*y r="3" class="chart-dot" /> }).collect_view()}
            <text x=left y="128" class="chart-label">{first}</text>
            <text x=WIDTH - 8.0 y="128" text-anchor="end" class="chart-label">{last}</text>
        </svg>
    }
}
