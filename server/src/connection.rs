//! How connections are served: one task per connection, headers cut after
//! 30 seconds, a connection closed after an error answered to a request
//! whose body may be unread, and a graceful stop on Ctrl-C or SIGTERM that
//! lets requests under way finish.

use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::{Extension, Router};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;

/// Headers that have not all arrived by then are cut, as a body is (`crate::REQUEST_TIMEOUT`).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` until Ctrl-C or SIGTERM, finishing requests already under
/// way. Handlers learn the client's address (for sign-in rate limits).
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    serve_with(listener, app, HEADER_TIMEOUT).await
}

/// [`serve`], cutting requests whose headers take longer than `header_timeout`.
pub async fn serve_with(listener: TcpListener, app: Router, header_timeout: Duration) -> std::io::Result<()> {
    let app = app.layer(axum::middleware::from_fn(close_after_error_with_body));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(app.clone().layer(Extension(ConnectInfo(address))));
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %address, "connection ended with an error");
            }
        });
    }
    graceful.shutdown().await;
    Ok(())
}

/// An error answered to a request that carries a body may have been sent
/// before the body was read (a 401, 405 or 413 is decided on the headers);
/// bytes left unread on a kept-alive connection would be taken for the
/// client's next request. Such an answer says `Connection: close`, and the
/// connection closes after it.
async fn close_after_error_with_body(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers.get(header::CONTENT_LENGTH).is_some_and(|length| length.as_bytes() != b"0");
    let mut response = next.run(request).await;
    let status = response.status();
    if has_body && (status.is_client_error() || status.is_server_error()) {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
