//! index.html's own sign-in form, which a signed-out phone opening home or
//! the sign-in page gets with the first paint, before the app runs: the app
//! starts at the phone's first touch (index.html's inline script, Trunk.toml's loader).
//! When it does, its sign-in page replaces that form; what was typed, where
//! the cursor was, and a "Đăng nhập" already pressed carry over, so the
//! change is not felt.

use leptos::prelude::*;
use leptos::web_sys::{HtmlElement, HtmlInputElement};
use wasm_bindgen::JsCast;

/// What the phone did with index.html's sign-in form before the app started.
/// (No `Debug`: it holds a password.)
#[derive(Default)]
pub struct FirstSignIn {
    username: String,
    password: String,
    /// The field the cursor was in (its id, the same in both forms), and the selection in it.
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
        let active = document().active_element().map(|active| active.id());
        let mut seen = FirstSignIn { submitted: form.has_attribute("data-submitted"), ..Default::default() };
        for (id, value) in [("username", &mut seen.username), ("password", &mut seen.password)] {
            let Some(field) = input(id) else { continue };
            *value = field.value();
            if active.as_deref() == Some(id) {
                seen.cursor = Some((id, field.selection_start().ok().flatten(), field.selection_end().ok().flatten()));
            }
        }
        Some(seen)
    }

    /// Keeps it for the app's sign-in page ([`take`]); called at the app's root.
    pub fn keep_for_the_sign_in_page(self) {
        provide_context(Kept(StoredValue::new(Some(self))));
    }

    /// Puts the cursor back and presses "Đăng nhập" again, in the sign-in
    /// page's form, which already holds the typed values: once the form is
    /// in the document, in the task that built it, so no key the phone
    /// sends meanwhile lands anywhere else.
    fn resume_once_built(self) {
        let mut carried = Some(self);
        Effect::new(move |_| {
            // After the fields' own effects, which write their values (and so put
            // the cursor at the end): they were queued as the page was built.
            if let Some(carried) = carried.take() {
                queue_microtask(move || carried.resume());
            }
        });
    }

    fn resume(self) {
        if let Some((id, start, end)) = self.cursor {
            if let Some(field) = input(id) {
                let _ = field.focus();
                if let (Some(start), Some(end)) = (start, end) {
                    let _ = field.set_selection_range(start, end);
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

/// For the sign-in page, as it is built: what was typed into index.html's
/// form, the first time only, with the cursor and the press to follow once
/// the page's form is in the document.
pub fn take() -> Option<(String, String)> {
    let Kept(kept) = use_context::<Kept>()?;
    let mut typed = kept.try_update_value(Option::take).flatten()?;
    let values = (std::mem::take(&mut typed.username), std::mem::take(&mut typed.password));
    typed.resume_once_built();
    Some(values)
}

fn input(id: &str) -> Option<HtmlInputElement> {
    document().get_element_by_id(id)?.dyn_into().ok()
}
