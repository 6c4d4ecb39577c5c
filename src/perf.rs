//! Marks on the browser's performance timeline, read by the benchmarks
//! (scripts/bench-notebook.sh); they cost a function call and change nothing.

/// Records `name` at the current time (`performance.mark`).
pub fn mark(name: &str) {
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark(name);
    }
}
