//! The accept loop: each connection served as HTTP/1.1 by hyper, with a deadline on the request's
//! head, the peer's address put into every request (the guard and the audit log read it from
//! there, never from a header), and a graceful stop that lets answers in flight finish.
//!
//! The deadline is what stops slow-loris: a client that sends its request line and headers byte
//! by byte, or opens a connection and sends nothing, or keeps an idle keep-alive connection, is
//! disconnected once [`Limits::header_timeout`] has passed without a complete head. Bodies have
//! their own deadline where they are read (see `hooks::BODY_TIMEOUT`). HTTP/2 is not offered: a
//! browser speaks it only over TLS, which this server does not do, and HTTP/1.1 alone keeps one
//! place where the deadline applies.
//! Left out: limits on the number of connections (the deadline frees them) and TLS.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client may take over a request's head (request line and headers): from the moment
/// the connection opens, or the previous answer on it ends, to the blank line.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the body of a request may take to arrive, once its head has.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The limits of the connections a server accepts; every request carries them in its extensions
/// (see [`Limits::of`]), so the handlers that read a body know its deadline.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`HEADER_TIMEOUT`] (the default); tests shorten it.
    pub header_timeout: Duration,
    /// See [`BODY_TIMEOUT`] (the default); tests shorten it.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout: HEADER_TIMEOUT, body_timeout: BODY_TIMEOUT }
    }
}

impl Limits {
    /// The limits of the server a request came to (the defaults when it came another way, as in
    /// tests that call the router directly).
    pub fn of(extensions: &axum::http::Extensions) -> Limits {
        extensions.get::<Limits>().copied().unwrap_or_default()
    }
}

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting and waits for the
/// connections to finish what they are answering.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.extensions_mut().insert(limits);
            let app = app.clone();
            async move { Ok::<_, Infallible>(app.oneshot(request.map(Body::new)).await.unwrap_or_else(|e| match e {})) }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// A failed accept: a connection that went away before it was accepted is nothing; anything else
/// (out of file descriptors) is logged and the loop waits a moment instead of spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::warn!(error = %e, "cannot accept a connection; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
