//! The built app as a phone's browser fetches it: compressed, cached right.

use crate::common::TestServer;

#[tokio::test]
async fn index_and_service_worker_are_revalidated_on_every_load() {
    let server = TestServer::start().await;
    for path in ["/", "/index.html", "/sw.js", "/visits/new"] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(response.headers().contains_key("etag"));
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_sent_compressed() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/gocua-app-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(response.headers()["content-encoding"], "br");
    assert!(response.bytes().await.unwrap().len() < 4096);
}

#[tokio::test]
async fn gzip_is_used_when_brotli_is_not_accepted_and_identity_when_neither_is() {
    let server = TestServer::start().await;
    let gzip = server.client.get(server.url("/index.html")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let plain =
        server.client.get(server.url("/index.html")).header("accept-encoding", "identity").send().await.unwrap();
    assert!(!plain.headers().contains_key("content-encoding"));
    assert!(plain.text().await.unwrap().contains("Gõ Cửa"));
}

#[tokio::test]
async fn an_unchanged_file_is_answered_not_modified() {
    let server = TestServer::start().await;
    let first = server.client.get(server.url("/sw.js")).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    let again = server.client.get(server.url("/sw.js")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_app() {
    let server = TestServer::start().await;
    let response = server.client.get(server.url("/missing-0123456789abcdef.js")).send().await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_page_opened_at_a_path_with_a_dot_is_the_app_with_its_not_found_page() {
    let server = TestServer::start().await;
    // A link a chat app ended with a full stop, an old bookmark to a file.
    for path in ["/households/0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b.", "/typo.html", "/a.b"] {
        let navigation = server.client.get(server.url(path)).header("sec-fetch-mode", "navigate").send().await.unwrap();
        assert_eq!(navigation.status(), 200, "{path}");
        assert_eq!(navigation.headers()["content-type"], "text/html; charset=utf-8", "{path}");
        assert!(navigation.text().await.unwrap().contains("Gõ Cửa"), "{path}");
        let older_browser = server
            .client
            .get(server.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap();
        assert_eq!(older_browser.status(), 200, "{path}");
        // The same path fetched for a page (a script, an image) is no page, whatever it accepts.
        let fetched = server
            .client
            .get(server.url(path))
            .header("sec-fetch-mode", "no-cors")
            .header("accept", "text/html,*/*")
            .send()
            .await
            .unwrap();
        assert_eq!(fetched.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn every_answer_carries_a_strict_content_security_policy() {
    let server = TestServer::start().await;
    for (path, status) in
        [("/", 200), ("/sw.js", 200), ("/api/v1/health", 200), ("/api/v1/visits", 401), ("/nothing.js", 404)]
    {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(response.headers()["referrer-policy"], "no-referrer", "{path}");
    }
}
