//! Serves the built app (Trunk's `dist/`) from memory.
//!
//! Files are read and compressed once at start ([`compression`]), so the
//! server spends no CPU per request. Hashed assets are immutable and
//! cached for a year; `index.html`, the service worker and the manifest must
//! be revalidated on every load so a new build reaches phones at once.

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

mod compression;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// One file of the app, with its compressed forms.
struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    etag: HeaderValue,
    // `Bytes`, so answering clones a pointer, not the file.
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// Every file of the built app, by URL path.
#[derive(Clone, Default)]
pub struct AppShell {
    assets: Arc<HashMap<String, Asset>>,
}

impl AppShell {
    /// Loads every file under `dir`. A missing directory gives an empty shell
    /// (the API still works; the caller warns).
    pub fn load(dir: &Path) -> std::io::Result<AppShell> {
        let mut files = Vec::new();
        if dir.is_dir() {
            read_dir(dir, dir, &mut files)?;
        }
        let compressible: Vec<&[u8]> =
            files.iter().filter(|(url, _)| is_compressible(url)).map(|(_, bytes)| bytes.as_slice()).collect();
        let mut compressed = compression::compress_all(&compressible).into_iter();
        let assets = files
            .into_iter()
            .map(|(url, bytes)| {
                let forms =
                    if is_compressible(&url) { compressed.next().unwrap_or_default() } else { Default::default() };
                (url.clone(), Asset::new(&url, bytes, forms))
            })
            .collect();
        Ok(AppShell { assets: Arc::new(assets) })
    }

    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// The Content-Security-Policy every response carries. `index.html`
    /// starts the app with an inline module script (the loader) and carries
    /// its styles inline, so the first screen paints without waiting for
    /// another file; only those exact elements are allowed (by their hashes,
    /// read from the built `index.html`), never inline script or style in
    /// general. `wasm-unsafe-eval` is what compiling WebAssembly needs.
    pub fn content_security_policy(&self) -> String {
        let index = self.get("/index.html").map(|index| String::from_utf8_lossy(&index.identity).into_owned());
        let hashes = |tag: &str| -> String {
            inline_elements(index.as_deref().unwrap_or(""), tag)
                .iter()
                .map(|element| format!(" 'sha256-{}'", BASE64.encode(Sha256::digest(element.as_bytes()))))
                .collect()
        };
        let (scripts, styles) = (hashes("script"), hashes("style"));

        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; img-src 'self' data:; \
             connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        )
    }

    fn get(&self, path: &str) -> Option<&Asset> {
        self.assets.get(path)
    }
}

/// Every file under `dir`, by URL path.
fn read_dir(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            read_dir(root, &path, files)?;
            continue;
        }
        let relative = path.strip_prefix(root).expect("a file found under root");
        let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        files.push((url, std::fs::read(&path)?));
    }
    Ok(())
}

/// Images and fonts are compressed already.
fn is_compressible(url: &str) -> bool {
    !matches!(content_type(url), "image/png" | "image/jpeg" | "image/webp" | "font/woff2")
}

impl Asset {
    fn new(url: &str, identity: Vec<u8>, compressed: compression::Compressed) -> Asset {
        let digest = Sha256::digest(&identity);
        let etag = format!("\"{}\"", digest.iter().take(12).map(|byte| format!("{byte:02x}")).collect::<String>());
        Asset {
            content_type: content_type(url),
            cache_control: if is_hashed(url) { IMMUTABLE } else { REVALIDATE },
            etag: HeaderValue::from_str(&etag).expect("hex digits are a valid header value"),
            identity: Bytes::from(identity),
            brotli: compressed.brotli.map(Bytes::from),
            gzip: compressed.gzip.map(Bytes::from),
        }
    }
}

/// The contents of the inline `<tag>` elements of an HTML page: `<style>`s,
/// or the `<script>`s without `src`. Trunk's minifier may leave attributes
/// unquoted, so only `src=` is looked for.
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut contents = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(end) = body.find(&close) else { break };
        if !attributes.contains("src=") {
            contents.push(&body[..end]);
        }
        rest = &body[end..];
    }
    contents
}

/// Trunk names built assets `name-<hash>[_bg].ext`, the hash a 64-bit value in
/// hex without leading zeros (so up to 16 digits); those files never change.
fn is_hashed(url: &str) -> bool {
    let file = url.rsplit('/').next().unwrap_or(url);
    let stem = file.split('.').next().unwrap_or(file);
    stem.split(['-', '_'])
        .skip(1)
        .any(|part| (MIN_HASH_DIGITS..=16).contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

/// Fewer digits than this would mean a hash with five leading zero nibbles
/// (one in a million builds); such an asset is merely revalidated.
const MIN_HASH_DIGITS: usize = 11;

fn content_type(url: &str) -> &'static str {
    match url.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers any GET outside the API: the file at that path, or `index.html`
/// for the app's own routes (paths without an extension), so a reload on
/// `/visits/new` opens the app. A page the browser navigates to opens the
/// app too, whatever its path: a link a chat app ended with a full stop
/// (`/households/…id….`) gets the app's own "not found" page with its way
/// home, not the browser's. A missing script, style or image is a `404`.
pub async fn serve(State(shell): State<AppShell>, request: Request) -> Response {
    let path = request.uri().path();
    // Under /api only the API answers, in its own error shape: `/api/v1/`,
    // `/api/v2/…` or `/api` are no page of the app.
    if path == "/api" || path.starts_with("/api/") {
        let mut answer = ApiError::NotFound.into_response();
        // As the API's own answers (`/api/v1/` ends up here, not in the API's router).
        answer.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return answer;
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return ApiError::MethodNotAllowed.into_response();
    }
    let asset = match shell.get(path) {
        Some(asset) => asset,
        None if path == "/"
            || !path.rsplit('/').next().unwrap_or("").contains('.')
            || is_page_navigation(request.headers()) =>
        {
            match shell.get("/index.html") {
                Some(index) => index,
                None => {
                    return (StatusCode::SERVICE_UNAVAILABLE, "Ứng dụng chưa được build (scripts/build-app.sh).")
                        .into_response()
                }
            }
        }
        None => return StatusCode::NOT_FOUND.into_response(),
    };
    respond(asset, request.headers())
}

/// The browser is opening a page (a link, the address bar), not fetching a
/// file for one: what browsers say with `Sec-Fetch-Mode`, and older ones,
/// which do not send it, with an `Accept` that asks for HTML.
fn is_page_navigation(headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).map(|value| value.to_str().unwrap_or(""));
    match value("sec-fetch-mode") {
        Some(mode) => mode == "navigate",
        None => value("accept").unwrap_or("").contains("text/html"),
    }
}

fn respond(asset: &Asset, request_headers: &HeaderMap) -> Response {
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, asset.content_type)
        .header(header::CACHE_CONTROL, asset.cache_control)
        .header(header::ETAG, asset.etag.clone())
        .header(header::VARY, "Accept-Encoding");
    let not_modified =
        request_headers.get(header::IF_NONE_MATCH).is_some_and(|tags| tags.as_bytes() == asset.etag.as_bytes());
    if not_modified {
        return response.status(StatusCode::NOT_MODIFIED).body(Body::empty()).expect("a valid response");
    }
    let accepted = request_headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or("");
    let accepts = |coding: &str| accepted.split(',').any(|part| part.split(';').next().unwrap_or("").trim() == coding);
    let body = match (&asset.brotli, &asset.gzip) {
        (Some(brotli), _) if accepts("br") => {
            response = response.header(header::CONTENT_ENCODING, "br");
            brotli.clone()
        }
        (_, Some(gzip)) if accepts("gzip") => {
            response = response.header(header::CONTENT_ENCODING, "gzip");
            gzip.clone()
        }
        _ => asset.identity.clone(),
    };
    response.body(Body::from(body)).expect("a valid response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scripts_without_src_are_inline() {
        let html = "<head><script type=module>import init from '/a.js';</script><script defer src=/boot.js></script>\
                    <script>x()</script></head>";
        assert_eq!(inline_elements(html, "script"), ["import init from '/a.js';", "x()"]);
    }

    #[test]
    fn inline_styles_are_found_beside_scripts() {
        let html = "<head><style>body{margin:0}</style><script>x()</script><style media=print>p{}</style></head>";
        assert_eq!(inline_elements(html, "style"), ["body{margin:0}", "p{}"]);
        assert_eq!(inline_elements(html, "script"), ["x()"]);
    }

    #[test]
    fn trunk_hashed_names_are_immutable_and_others_revalidate() {
        assert!(is_hashed("/gocua-app-3f2a9c1d5e6b7a80_bg.wasm"));
        assert!(is_hashed("/gocua-app-3f2a9c1d5e6b7a80.js"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(is_hashed("/gocua-app-8c29bc586a48f58_bg.wasm"), "Trunk drops leading zeros of the hash");
        assert!(!is_hashed("/gocua-app_bg.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/manifest.webmanifest"));
    }
}
