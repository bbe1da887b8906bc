//! The localhost guard: only requests from this machine (by the connection's peer address),
//! addressed to a loopback host and coming from no page or a loopback page are served. This stops DNS
//! rebinding and drive-by requests from web pages in the user's browser (GitButler's rule; no
//! permissive CORS).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether `host` (a Host header or an Origin's host, with or without port) names this machine.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    if host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
        return true;
    }
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host })
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn origin_host(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://").map(|(_, r)| r)?;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Refuses requests that do not come from this machine (the connection's peer address, when the
/// server knows it), or whose Host or Origin is not loopback, or that carry two of either.
pub async fn localhost_only(request: Request<Body>, next: Next) -> Response {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    if peer.is_some_and(|ip| !ip.is_loopback()) {
        return (StatusCode::FORBIDDEN, "simple-cicd answers this route only to programs on this machine")
            .into_response();
    }
    // A second Host or Origin would let a check of the first pass what a proxy or the page meant
    // by the other: one of each at most.
    let headers = request.headers();
    if headers.get_all(header::HOST).iter().count() > 1 || headers.get_all(header::ORIGIN).iter().count() > 1 {
        return (StatusCode::BAD_REQUEST, "a request may name one Host and one Origin").into_response();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !is_loopback_host(host) {
        return (StatusCode::FORBIDDEN, "simple-cicd answers only requests addressed to localhost").into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()) {
        if !origin_host(origin).is_some_and(is_loopback_host) {
            return (StatusCode::FORBIDDEN, "requests from other web sites are refused").into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_addresses_are_recognised() {
        for ok in ["localhost", "localhost:8750", "127.0.0.1", "127.0.0.1:8750", "[::1]:8750", "::1"] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in ["", "evil.example", "evil.example:8750", "192.168.1.2:8750", "localhost.evil.example"] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
