//! simple-cicd's HTTP side: an axum router over the engine, for `scicd serve` and the desktop
//! app's local server. `/api/health` sits behind the localhost guard whatever address the
//! server listens on; `/api/v1` (see [`v1`]) authenticates every request by its bearer token
//! (a signed-in user's access token or an API token) and checks the scope each route declares;
//! the webhook routes (`/hooks/...`) are open to other hosts and authenticate each delivery by
//! its signature.

mod guard;
mod health;
mod hooks;
pub mod v1;

use std::future::Future;
use std::net::SocketAddr;

use axum::routing::{get, post};
use axum::Router;
use simple_cicd_engine::Engine;

pub use guard::is_loopback_host;
pub use hooks::BODY_TIMEOUT;

/// The router: the guarded API and the open webhook routes.
pub fn router(engine: Engine) -> Router {
    let api =
        Router::new().route("/api/health", get(health::health)).layer(axum::middleware::from_fn(guard::localhost_only));
    let hooks = Router::new().route("/hooks/{provider}/{template}", post(hooks::receive));
    let docs = Router::new().route("/api/openapi.json", get(v1::openapi));
    api.merge(docs).merge(v1::router(&engine)).merge(hooks).with_state(engine)
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
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => "another program (or another simple-cicd) uses this port; choose another with --listen or the server.listen setting",
            std::io::ErrorKind::PermissionDenied => "ports below 1024 need privileges; choose a port above 1024",
            _ => "check the address (setting server.listen)",
        };
        format!("cannot listen on {addr}: {e}; {hint}")
    })?;
    let addr = listener.local_addr().map_err(|e| format!("cannot read the listening address: {e}"))?;
    let app = router(engine);
    // The peer's address reaches the handlers (the audit log's "from where"), from the connection.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(shutdown).await });
    Ok(Server { addr, task })
}
