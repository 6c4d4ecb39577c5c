//! Saving a file the app made or fetched (a backup, an export) to the phone:
//! a Blob behind a temporary link that the browser downloads.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

/// Saves `bytes` as `file_name`, of MIME type `mime`.
pub fn save(bytes: &[u8], mime: &str, file_name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}
