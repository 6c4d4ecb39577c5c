//! The app's side of public/boot.js, which runs before the app: it marks
//! on `<html>` what it holds for the app (a new build waiting, the
//! browser's install dialog) and announces it with an event, since the app
//! may start before or after; the app answers with events of its own.

use leptos::prelude::*;

/// Whether boot.js has marked `attribute` on `<html>` as ready.
pub fn marked_ready(attribute: &str) -> bool {
    document().document_element().and_then(|html| html.get_attribute(attribute)).as_deref() == Some("ready")
}

/// Sends boot.js the event `name`.
pub fn ask(name: &str) {
    if let Ok(event) = leptos::web_sys::Event::new(name) {
        let _ = window().dispatch_event(&event);
    }
}
