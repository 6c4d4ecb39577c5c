//! Where the app is running, for putting it on the phone's home screen.
//!
//! A notebook that lives in a chat app's built-in browser (Zalo's, most
//! often) or in an iPhone's Safari tab is at risk: the first may keep its
//! storage apart or drop it, and Safari erases a site's storage after seven
//! days without use unless the site was added to the home screen. So the app
//! tells each what to do ([`crate::components::InAppNotice`],
//! [`crate::components::InstallOffer`]). What it reads is the user agent and
//! whether it already runs from the home screen; the rule is here, pure.

/// The phone's system, as far as installing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Android,
    /// An iPhone or iPad: apps go on the home screen through the Share menu.
    Ios,
    Other,
}

/// Where the app is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside another app's built-in browser, named as volunteers know it.
    InApp(&'static str),
    /// A browser tab.
    Browser,
    /// Started from the home screen: installed already.
    HomeScreen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Surroundings {
    pub system: System,
    pub place: Place,
}

/// The built-in browsers of chat and social apps, by what their user agents
/// carry (lowercase). index.html's first screen holds the same marks.
pub const IN_APP_BROWSERS: [(&str, &str); 6] = [
    ("zalo", "Zalo"),
    ("fban", "Facebook"),
    ("fbav", "Facebook"),
    ("fb_iab", "Facebook"),
    ("instagram", "Instagram"),
    ("line/", "LINE"),
];

/// Reads the surroundings from a user agent and whether the app runs as an installed one.
pub fn surroundings_of(user_agent: &str, standalone: bool) -> Surroundings {
    let agent = user_agent.to_ascii_lowercase();
    let system = if agent.contains("iphone") || agent.contains("ipad") || agent.contains("ipod") {
        System::Ios
    } else if agent.contains("android") {
        System::Android
    } else {
        System::Other
    };
    let in_app = IN_APP_BROWSERS.iter().find(|(mark, _)| agent.contains(mark)).map(|(_, name)| *name);
    let place = match in_app {
        Some(app) => Place::InApp(app),
        None if standalone => Place::HomeScreen,
        None => Place::Browser,
    };
    Surroundings { system, place }
}

/// This phone's surroundings.
pub fn surroundings() -> Surroundings {
    let window = leptos::prelude::window();
    let user_agent = window.navigator().user_agent().unwrap_or_default();
    let standalone = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
        // iOS Safari's own flag for an app started from the home screen.
        || js_sys::Reflect::get(&window.navigator(), &"standalone".into()).is_ok_and(|flag| flag.is_truthy());
    surroundings_of(&user_agent, standalone)
}

/// An Android link that opens `href` in Chrome, out of an in-app browser.
pub fn chrome_intent(href: &str) -> Option<String> {
    let (scheme, rest) = href.split_once("://")?;
    Some(format!("intent://{rest}#Intent;scheme={scheme};package=com.android.chrome;end"))
}
