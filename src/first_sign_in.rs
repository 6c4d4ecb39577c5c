//! index.html's own sign-in form, which a signed-out phone opening home or
//! the sign-in page gets with the first paint, before the app runs: the app
//! starts at the phone's first touch (index.html's inline script, Trunk.toml's loader).
//! When it does, its sign-in page replaces that form; what was typed, where
//! the cursor was, and a "Đăng nhập" already pressed carry over, so the
//! change is not felt.

use leptos::prelude::*;
use leptos::web_sys::{Event, EventInit, HtmlElement, HtmlInputElement};
use wasm_bindgen::JsCast;

/// The form's fields, the same ids in index.html and the sign-in page.
const FIELDS: [&str; 2] = ["username", "password"];

/// What the phone did with index.html's sign-in form before the app started.
/// (No `Debug`: it holds a password.)
#[derive(Default)]
pub struct FirstSignIn {
    /// Each field's id and what was typed into it.
    typed: Vec<(&'static str, String)>,
    /// The field the cursor was in, and the selection in it.
    cursor: Option<(&'static str, Option<u32>, Option<u32>)>,
    /// Whether "Đăng nhập" was pressed.
    submitted: bool,
}

impl FirstSignIn {
    /// Reads index.html's form, if the page showed it (its inline script
    /// marks `data-sign-in` on `<html>`); called before the app replaces it.
    pub fn read() -> Option<Self> {
        let shown = document().document_element().is_some_and(|html| html.has_attribute("data-sign-in"));
        let form = document().get_element_by_id("first-sign-in").filter(|_| shown)?;
        let active = document().active_element();
        let mut seen = FirstSignIn { submitted: form.has_attribute("data-submitted"), ..Default::default() };
        for id in FIELDS {
            let Some(field) = input(id) else { continue };
            seen.typed.push((id, field.value()));
            if active.as_ref().is_some_and(|active| active.id() == id) {
                seen.cursor = Some((id, field.selection_start().ok().flatten(), field.selection_end().ok().flatten()));
            }
        }
        Some(seen)
    }

    /// Keeps it for the app's sign-in page, which carries it over once built
    /// ([`carry_over_once_built`]); called at the app's root.
    pub fn keep_for_the_sign_in_page(self) {
        provide_context(Kept(StoredValue::new(Some(self))));
    }

    /// Puts it into the sign-in page's form, now in the document.
    fn carry_over(self) {
        for (id, value) in &self.typed {
            if let Some(field) = input(id).filter(|_| !value.is_empty()) {
                field.set_value(value);
                // Through the event the page listens to, so its form holds the value too.
                let init = EventInit::new();
                init.set_bubbles(true);
                if let Ok(event) = Event::new_with_event_init_dict("input", &init) {
                    let _ = field.dispatch_event(&event);
                }
            }
        }
        if let Some((id, start, end)) = self.cursor {
            if let Some(field) = input(id) {
                let _ = field.focus();
                // Once the page has written the value it was given (its own effect, which puts
                // the cursor at the end); still before the phone paints.
                if let (Some(start), Some(end)) = (start, end) {
                    request_animation_frame(move || {
                        let _ = field.set_selection_range(start, end);
                    });
                }
            }
        }
        if self.submitted {
            let button = document().query_selector("#app form button[type=submit]").ok().flatten();
            if let Some(button) = button.and_then(|button| button.dyn_into::<HtmlElement>().ok()) {
                button.click();
            }
        }
    }
}

/// What [`FirstSignIn::read`] found, until the sign-in page takes it.
#[derive(Clone, Copy)]
struct Kept(StoredValue<Option<FirstSignIn>>);

/// Called by the sign-in page: once its form is in the document (an effect
/// runs after the render, before the phone paints it), the first of its
/// kind carries over what was typed into index.html's form.
pub fn carry_over_once_built() {
    let Some(Kept(kept)) = use_context::<Kept>() else { return };
    Effect::new(move |_| {
        if let Some(typed) = kept.try_update_value(Option::take).flatten() {
            typed.carry_over();
        }
    });
}

fn input(id: &str) -> Option<HtmlInputElement> {
    document().get_element_by_id(id)?.dyn_into().ok()
}
