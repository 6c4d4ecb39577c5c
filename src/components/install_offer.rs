//! The offer to put Gõ Cửa on the home screen: made once the volunteer has
//! saved a visit (they know what the app is for by then), never at first
//! sight, and again a week after "later". On Android it opens the browser's
//! own install dialog, kept by public/boot.js; on an iPhone, whose Safari
//! has none, it shows the steps — and why: Safari erases the data of a site
//! not opened for seven days unless it sits on the home screen.

use crate::boot;
use crate::i18n;
use crate::install::{self, Place, System};
use crate::notebook::Notebook;
use chrono::{Duration, Utc};
use leptos::prelude::*;

/// What public/boot.js marks on `<html>` (and announces) while the browser's install dialog can be opened.
const READY_ATTRIBUTE: &str = "data-install";
const READY_EVENT: &str = "gocua:install-ready";
const DONE_EVENT: &str = "gocua:install-done";
/// Asks public/boot.js to open the browser's install dialog.
const INSTALL_EVENT: &str = "gocua:install";
/// How long "later" lasts.
const LATER: Duration = Duration::days(7);

#[component]
pub fn InstallOffer() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let surroundings = install::surroundings();
    if surroundings.place != Place::Browser {
        return ().into_any();
    }
    let ios = surroundings.system == System::Ios;
    let dialog_ready = RwSignal::new(boot::marked_ready(READY_ATTRIBUTE));
    let ready = window_event_listener_untyped(READY_EVENT, move |_| {
        dialog_ready.try_set(true);
    });
    let done = window_event_listener_untyped(DONE_EVENT, move |_| {
        dialog_ready.try_set(false);
    });
    on_cleanup(move || {
        ready.remove();
        done.remove();
    });
    let put_off = notebook.store().ok().and_then(|store| store.install_offer_dismissed());
    let later = RwSignal::new(put_off.is_some_and(|at| Utc::now() - at < LATER));
    let saved_a_visit = move || notebook.visits.with(|visits| visits.iter().any(|v| v.is_mine() && !v.deleted));
    let offered = move || !later.get() && saved_a_visit() && (ios || dialog_ready.get());
    let install = move |_| boot::ask(INSTALL_EVENT);
    let put_off = move |_| {
        // Not kept (storage full)? Then it is offered again at the next open: nothing lost.
        if let Ok(store) = notebook.store() {
            let _ = store.save_install_offer_dismissed(Utc::now());
        }
        later.set(true);
    };
    view! {
        <Show when=offered>
            <section class="install-offer" aria-labelledby="install-title">
                <h2 id="install-title">{i18n::INSTALL_TITLE}</h2>
                {if ios {
                    view! {
                        <p>{i18n::INSTALL_WHY_IOS}</p>
                        <ol>{i18n::INSTALL_STEPS_IOS.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}</ol>
                    }
                    .into_any()
                } else {
                    view! {
                        <p>{i18n::INSTALL_WHY}</p>
                        <button class="primary" on:click=install>{i18n::INSTALL_BUTTON}</button>
                    }
                    .into_any()
                }}
                <button class="link" on:click=put_off>{i18n::INSTALL_LATER}</button>
            </section>
        </Show>
    }
    .into_any()
}
