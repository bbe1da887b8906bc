//! Who calls: the bearer token checked by the engine, the peer address from the connection (not
//! from a header), and the route's scope checked before its handler runs. A refused call to a
//! route that changes something is audited.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::Scope;
use simple_cicd_engine::{api, Engine, Error};

use super::{ApiFailure, Kind, Route};

/// The peer's address as the connection gives it (`unknown` when served without one).
pub fn peer_addr<B>(request: &Request<B>) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The bearer token of a request.
pub fn bearer<B>(request: &Request<B>) -> Option<String> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// The `access_token` query parameter (event streams only: a browser's EventSource cannot send
/// an Authorization header). Its value is never logged.
fn query_token<B>(request: &Request<B>) -> Option<String> {
    let query = request.uri().query()?;
    super::args::form_urlencoded(query).into_iter().find(|(k, _)| k == "access_token").map(|(_, v)| v)
}

/// Authenticates the request and checks `scope`; the caller goes into the request's extensions.
pub async fn require(
    route: &'static Route,
    scope: Scope,
    State(engine): State<Engine>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let token = bearer(&request).or_else(|| (route.kind == Kind::Events).then(|| query_token(&request)).flatten());
    let Some(token) = token else {
        let e = Error::Unauthenticated {
            reason: "sign in first (POST /api/v1/auth/signin) or send an API token: Authorization: Bearer scicd_…"
                .into(),
        };
        return ApiFailure::from(e).into_response();
    };
    let addr = peer_addr(&request);
    let caller = match api::authenticate(&engine, &token, &addr).await {
        Ok(c) => c,
        Err(e) => return ApiFailure::from(e).into_response(),
    };
    let check = caller.require(scope);
    if check.is_err() && route.elevated() {
        let action = super::ops::action(route.op);
        api::audit_record(&engine, &caller, &action, request.uri().path(), &check, None).await;
    }
    if let Err(e) = check {
        return ApiFailure::from(e).into_response();
    }
    request.extensions_mut().insert::<Caller>(caller);
    next.run(request).await
}
