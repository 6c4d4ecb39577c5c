//! What the screens that ask the server share (account, commune, reports):
//! the signed-in user's token, a failure said in Vietnamese, and the line that
//! shows it. Each such screen loads through a [`LocalResource`] and changes
//! through an [`Action`]; these read what went wrong from either.

use crate::api::ApiError;
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::api::TeamSummary;
use leptos::prelude::*;

/// What a screen shows when the server cannot be asked, or said no.
pub(crate) fn failure(error: &ApiError) -> String {
    match error {
        ApiError::Network(_) => i18n::NEEDS_NETWORK_HERE.to_owned(),
        other => crate::sync::describe(other),
    }
}

/// The token a load or a change sends, or what to say when there is none
/// (signed out in another tab meanwhile: the screen is leaving for sign-in).
pub(crate) fn signed_in(notebook: Notebook) -> Result<String, String> {
    let token = notebook.session.with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
    token.ok_or_else(|| i18n::ERROR_SESSION_EXPIRED.to_owned())
}

/// What a screen loads: its value, or a failure to say.
pub(crate) type Loaded<T> = LocalResource<Result<T, String>>;

/// The commune's teams, to choose from; asked of the server only when
/// `wanted` (a coordinator's screen), an empty list otherwise.
pub(crate) fn team_choices(notebook: Notebook, wanted: bool) -> Loaded<Vec<TeamSummary>> {
    LocalResource::new(move || async move {
        if !wanted {
            return Ok(Vec::new());
        }
        let token = signed_in(notebook)?;
        crate::api::teams(&token).await.map(|list| list.teams).map_err(|error| failure(&error))
    })
}

/// What a load brought, or nothing while it is on its way or failed (the
/// failure is said by [`load_failure`]).
pub(crate) fn listed<T: Clone + Default + 'static>(resource: Loaded<T>) -> T {
    resource.get().and_then(Result::ok).unwrap_or_default()
}

/// Why a load failed, once it has.
pub(crate) fn load_failure<T: 'static>(resource: Loaded<T>) -> Option<String> {
    resource.with(|read| read.as_ref()?.as_ref().err().cloned())
}

/// Why the last change failed, if it did.
pub(crate) fn change_failure<I: 'static, O: Clone + 'static>(action: Action<I, Result<O, String>>) -> Option<String> {
    action.value().with(|last| last.as_ref()?.as_ref().err().cloned())
}

/// A section's failure line, shown when set.
#[component]
pub(crate) fn Problem(#[prop(into)] problem: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || problem.with(Option::is_some)>
            <p class="error" role="alert">{move || problem.get()}</p>
        </Show>
    }
}
