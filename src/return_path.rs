//! The page a signed-out visitor asked for, kept through sign-in: a link
//! to a household opened on a signed-out phone leads to that household once
//! the volunteer has signed in, not to home.

/// The sign-in page's address for a visitor who asked for `asked` (a path
/// with its query): `/login`, with the asked page as `next` unless it is home.
pub fn sign_in_path(asked: &str) -> String {
    match safe(asked) {
        Some(path) if path != "/" => format!("/login?next={}", String::from(js_sys::encode_uri_component(path))),
        _ => "/login".to_owned(),
    }
}

/// Where to go once signed in: `next` when it is a page of this app, home
/// otherwise. Anything else — another site (`//evil.example`,
/// `https://…`), the sign-in or join page itself, an overlong value — is
/// ignored: a link cannot send a volunteer off the app by signing in.
pub fn after_sign_in(next: Option<&str>) -> &str {
    next.and_then(safe).unwrap_or("/")
}

/// Longest path kept: a page of this app is far shorter.
const LONGEST: usize = 512;

fn safe(path: &str) -> Option<&str> {
    let one_of_ours = path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\");
    let plain = !path.chars().any(|c| c.is_control() || c == '\\');
    let not_sign_in = !["/login", "/join"]
        .iter()
        .any(|page| path.strip_prefix(page).is_some_and(|rest| rest.is_empty() || rest.starts_with(['?', '/', '#'])));
    (one_of_ours && plain && not_sign_in && path.len() <= LONGEST).then_some(path)
}
