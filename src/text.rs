//! Text at the app's input edge: composed to NFC by the browser's own
//! `String.prototype.normalize`, so the app carries no Unicode tables and
//! Vietnamese typed on any keyboard reaches the domain in one form.

/// `raw` in Unicode normalisation form C.
pub fn nfc(raw: &str) -> String {
    js_sys::JsString::from(raw).normalize("NFC").into()
}
