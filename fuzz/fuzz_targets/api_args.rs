//! The HTTP API's request bodies (and path and query arguments): each generated operation of
//! `/api/v1` reads its arguments through the real route (axum's path matching, the query, the
//! JSON body, the argument struct that refuses unknown fields), stopping before authentication
//! and the engine (`simple_cicd_server::v1::arguments_router`).
//!
//! Input: the first byte picks the operation; then lines: the path parameters (tab-separated),
//! the query string, and the body (the rest).
//!
//! Properties: never a panic; arguments that fit answer 204; everything else is the API's JSON
//! error with a 4xx status and a message, never a 5xx.
#![no_main]

use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use libfuzzer_sys::fuzz_target;
use simple_cicd_server::v1::{self, Method, Route};
use tower::ServiceExt;

struct Api {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    ops: Vec<Route>,
}

static API: LazyLock<Api> = LazyLock::new(|| Api {
    runtime: tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"),
    router: v1::arguments_router(),
    ops: v1::ROUTES.iter().filter(|r| !v1::CUSTOM.iter().any(|c| c.op == r.op)).copied().collect(),
});

/// Percent-encodes what may not stand as it is in a URI's path or query.
fn encode(text: &str, keep: &[u8]) -> String {
    text.bytes()
        .map(
            |b| {
                if b.is_ascii_alphanumeric() || keep.contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            },
        )
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let api = &*API;
    let route = &api.ops[pick as usize % api.ops.len()];
    let mut parts = rest.splitn(3, |b| *b == b'\n');
    let params = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let query = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let body = parts.next().unwrap_or_default().to_vec();

    let mut values = params.split('\t');
    let path: Vec<String> = route
        .path
        .split('/')
        .map(|seg| match seg.starts_with('{') {
            true => encode(values.next().unwrap_or("x"), b"-._~"),
            false => seg.to_string(),
        })
        .collect();
    let mut uri = path.join("/");
    if !query.is_empty() {
        uri = format!("{uri}?{}", encode(&query, b"-._~=&%+"));
    }
    let method = match route.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    };
    let Ok(request) =
        Request::builder().method(method).uri(&uri).header("content-type", "application/json").body(Body::from(body))
    else {
        return;
    };
    let response = api.runtime.block_on(api.router.clone().oneshot(request)).expect("the router is infallible");
    let status = response.status();
    if status == StatusCode::NO_CONTENT {
        return;
    }
    assert!(status.is_client_error(), "{} {uri}: status {status}, not 204 or 4xx", route.op);
    let bytes = api.runtime.block_on(axum::body::to_bytes(response.into_body(), usize::MAX)).expect("a body");
    let error: serde_json::Value = serde_json::from_slice(&bytes).expect("a refusal is JSON");
    assert!(
        error.get("code").is_some_and(|c| c.is_string())
            && error.get("message").is_some_and(|m| m.as_str().is_some_and(|m| !m.is_empty())),
        "{} {uri}: a refusal is the API's error, {error}",
        route.op
    );
});
