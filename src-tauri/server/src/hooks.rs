//! `POST /hooks/<provider>/<template>`: webhook deliveries from forges. These come from other
//! hosts, so they are outside the localhost guard; each is authenticated by its signature
//! instead (see the engine's `trigger::webhook`).
//!
//! Body size: at most `webhooks.maxBodyKiB` (default 1024 KiB). A delivery announcing more in
//! its Content-Length is answered 413 before a byte of the body is read; one without a length is
//! read only up to the limit. A body that does not arrive within the server's body deadline
//! ([`crate::Limits`]) is refused.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Serialize;
use simple_cicd_engine::model::DeliveryOutcome;
use simple_cicd_engine::trigger::{webhook_body_limit, webhook_receive, WebhookBody, WebhookRequest};
use simple_cicd_engine::Engine;

/// The JSON answer to a delivery.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    outcome: DeliveryOutcome,
    message: String,
    run_id: Option<i64>,
    run_number: Option<i64>,
}

async fn read_body(headers: &HeaderMap, body: Body, limit: usize, deadline: Duration) -> WebhookBody {
    let announced =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return WebhookBody::TooLarge(limit / 1024);
    }
    match tokio::time::timeout(deadline, Limited::new(body, limit).collect()).await {
        Err(_) => WebhookBody::Broken(format!("it did not arrive within {}s", deadline.as_secs())),
        Ok(Ok(collected)) => WebhookBody::Complete(collected.to_bytes().to_vec()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => WebhookBody::TooLarge(limit / 1024),
        Ok(Err(e)) => WebhookBody::Broken(e.to_string()),
    }
}

/// Receives one delivery.
pub async fn receive(
    State(engine): State<Engine>,
    Path((provider, template)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let (headers, deadline) = (parts.headers, crate::Limits::of(&parts.extensions).body_timeout);
    let received = match webhook_body_limit(&engine).await {
        Ok(limit) => {
            let body = read_body(&headers, body, limit, deadline).await;
            let headers = headers
                .iter()
                .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
                .collect();
            webhook_receive(&engine, WebhookRequest { provider, template, headers, body }).await
        }
        Err(e) => Err(e),
    };
    match received {
        Ok(a) => {
            let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let answer = Answer { outcome: a.outcome, message: a.message, run_id: a.run_id, run_number: a.run_number };
            (status, Json(answer)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "a webhook delivery could not be handled");
            let answer = Answer {
                outcome: DeliveryOutcome::Rejected,
                message: format!("simple-cicd could not handle the delivery: {e}"),
                run_id: None,
                run_number: None,
            };
            (StatusCode::SERVICE_UNAVAILABLE, Json(answer)).into_response()
        }
    }
}
