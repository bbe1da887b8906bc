//! `GET /api/health`: is the engine there and its database answering.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use simple_cicd_engine::{api, Engine};

/// The health answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    ok: bool,
    version: &'static str,
    template_count: i64,
}

/// Answers 200 with counts when the database answers, 503 otherwise.
pub async fn health(State(engine): State<Engine>) -> Result<Json<Health>, (StatusCode, String)> {
    let stats = api::dashboard_stats(&engine).await.map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    Ok(Json(Health { ok: true, version: env!("CARGO_PKG_VERSION"), template_count: stats.template_count }))
}
