//! simple-cicd's HTTP side: an axum router over the engine, for `scicd serve` and the desktop
//! app's local server. `/api/health` sits behind the localhost guard whatever address the
//! server listens on; `/api/v1` (see [`v1`]) authenticates every request by its bearer token
//! (a signed-in user's access token or an API token) and checks the scope each route declares;
//! the webhook routes (`/hooks/...`) are open to other hosts and authenticate each delivery by
//! its signature. `/api/openapi.json` and `/api/docs` describe `/api/v1`; every other path is the
//! Vue app (see [`ui`]), except unknown `/api/...` and `/hooks/...` paths, which answer JSON 404s.

mod docs;
mod guard;
mod health;
mod hooks;
mod listen;
pub mod ui;
pub mod v1;

use std::future::Future;
use std::net::SocketAddr;

use axum::extract::Request;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use simple_cicd_engine::model::ServerStatus;
use simple_cicd_engine::Engine;

pub use guard::is_loopback_host;
pub use listen::{Limits, BODY_TIMEOUT, HEADER_TIMEOUT};

/// The router: the guarded API, the open webhook routes, and the UI built into the binary.
pub fn router(engine: Engine) -> Router {
    router_with_ui(engine, ui::Files::embedded())
}

/// The router with these UI files (tests use their own).
pub fn router_with_ui(engine: Engine, files: ui::Files) -> Router {
    let api =
        Router::new().route("/api/health", get(health::health)).layer(axum::middleware::from_fn(guard::localhost_only));
    let hooks = Router::new().route("/hooks/{provider}/{template}", post(hooks::receive));
    let docs = Router::new().route("/api/openapi.json", get(v1::openapi)).route("/api/docs", get(docs::page));
    api.merge(docs)
        .merge(v1::router(&engine))
        .merge(hooks)
        .fallback(move |request: Request| fallback(files, request))
        .with_state(engine)
}

async fn fallback(files: ui::Files, request: Request) -> Response {
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") || path.starts_with("/hooks/") {
        return v1::api_not_found(request).await;
    }
    ui::serve(files, &request)
}

/// A server that listens.
pub struct Server {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The task serving it; ends when `shutdown` resolves.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `addr` and serves the router until `shutdown` resolves. Binding errors are returned at
/// once with what to do.
pub async fn start(
    engine: Engine,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Server, String> {
    start_with_ui(engine, addr, ui::Files::embedded(), shutdown).await
}

/// [`start`] with these UI files (tests use their own).
pub async fn start_with_ui(
    engine: Engine,
    addr: SocketAddr,
    files: ui::Files,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Server, String> {
    start_with_limits(engine, addr, files, Limits::default(), shutdown).await
}

/// [`start_with_ui`] with these connection limits (tests shorten the deadlines).
pub async fn start_with_limits(
    engine: Engine,
    addr: SocketAddr,
    files: ui::Files,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Server, String> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => "another program (or another simple-cicd) uses this port; choose another with --listen or the server.listen setting",
            std::io::ErrorKind::PermissionDenied => "ports below 1024 need privileges; choose a port above 1024",
            _ => "check the address (setting server.listen)",
        };
        format!("cannot listen on {addr}: {e}; {hint}")
    })?;
    let addr = listener.local_addr().map_err(|e| format!("cannot read the listening address: {e}"))?;
    let status = ServerStatus { listening: true, address: Some(addr.to_string()), error: None };
    // Event streams never end by themselves: they end when the server stops.
    let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
    let shutdown = async move {
        shutdown.await;
        let _ = stopping_tx.send(true);
    };
    let app =
        router_with_ui(engine, files).layer(Extension(v1::ServerInfo(status))).layer(Extension(v1::Stopping(stopping)));
    // The peer's address reaches the handlers (the guard, the audit log's "from where") from the
    // connection: see `listen`.
    let task = tokio::spawn(listen::serve(listener, app, limits, shutdown));
    Ok(Server { addr, task })
}
