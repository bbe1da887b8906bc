//! The router's guard, through real requests.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use simple_cicd_engine::{Engine, EngineOptions};
use tower::ServiceExt;

async fn app() -> (axum::Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
    (simple_cicd_server::router(engine), dir)
}

fn get(host: &str, origin: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().uri("/api/health").header("host", host);
    if let Some(o) = origin {
        b = b.header("origin", o);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn health_answers_requests_addressed_to_localhost() {
    let (app, _dir) = app().await;
    let res = app.oneshot(get("127.0.0.1:8750", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_rebound_host_name_is_refused() {
    let (app, _dir) = app().await;
    let res = app.oneshot(get("attacker.example:8750", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "DNS rebinding must not reach the engine");
}

#[tokio::test]
async fn a_request_from_another_web_site_is_refused() {
    let (app, _dir) = app().await;
    let res = app.oneshot(get("localhost:8750", Some("https://evil.example"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "a page in the user's browser must not drive the API");
}
