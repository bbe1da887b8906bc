//! simple-cicd's HTTP side: an axum router over the engine, for `scicd serve` and the desktop
//! app's local server. So far it answers a health check behind the localhost guard; the REST
//! API, webhooks and live logs (SSE) are added route by route, each calling `engine::api`.

mod guard;
mod health;

use axum::routing::get;
use axum::Router;
use simple_cicd_engine::Engine;

pub use guard::is_loopback_host;

/// The router, with the localhost guard in front of every route.
pub fn router(engine: Engine) -> Router {
    Router::new()
        .route("/api/health", get(health::health))
        .layer(axum::middleware::from_fn(guard::localhost_only))
        .with_state(engine)
}
