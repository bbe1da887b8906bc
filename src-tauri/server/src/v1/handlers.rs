//! The hand-written handlers of `/api/v1`: signing in and out (which work before there is a
//! caller, or on the token itself) and `me`. Every other operation is generated (see `ops`).

use axum::extract::{Request, State};
use axum::{Extension, Json};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{Scope, Session};
use simple_cicd_engine::{api, Engine, Error};

use super::caller::{bearer, peer_addr};
use super::ApiFailure;

type Answer<T> = Result<Json<T>, ApiFailure>;

/// `POST /auth/signin`
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    name: String,
    password: String,
}

fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiFailure> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiFailure::from(Error::invalid(
            "body",
            "invalid",
            format!("the request body is not what this route takes: {e}"),
        ))
    })
}

async fn read(request: Request) -> Result<(String, Option<String>, bytes::Bytes), ApiFailure> {
    let addr = peer_addr(&request);
    let token = bearer(&request);
    let deadline = crate::Limits::of(request.extensions()).body_timeout;
    let bytes = super::args::read_body(request.into_body(), deadline).await?;
    Ok((addr, token, bytes))
}

pub async fn sign_in(State(engine): State<Engine>, request: Request) -> Answer<Session> {
    let (addr, _, bytes) = read(request).await?;
    let b: SignIn = body(&bytes)?;
    Ok(Json(api::sign_in(&engine, &b.name, &b.password, &addr).await?))
}

/// `POST /auth/refresh`
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Refresh {
    refresh_token: String,
}

pub async fn refresh(State(engine): State<Engine>, request: Request) -> Answer<Session> {
    let (_, _, bytes) = read(request).await?;
    let b: Refresh = body(&bytes)?;
    Ok(Json(api::refresh(&engine, &b.refresh_token).await?))
}

pub async fn sign_out(State(engine): State<Engine>, request: Request) -> Answer<()> {
    let (addr, token, _) = read(request).await?;
    api::sign_out(&engine, &token.unwrap_or_default(), &addr).await?;
    Ok(Json(()))
}

/// `GET /me`: who the API takes the caller for, and what it may do.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    actor: String,
    scopes: Vec<Scope>,
}

pub async fn me(Extension(caller): Extension<Caller>) -> Answer<Me> {
    let scopes = Scope::ALL.into_iter().filter(|s| caller.allows(*s)).collect();
    Ok(Json(Me { actor: caller.actor(), scopes }))
}

/// `GET /runs/{id}/log`: the whole stored (masked) log as a text file.
pub async fn run_log_download(
    State(engine): State<Engine>,
    super::run_id::RunId(id): super::run_id::RunId,
) -> Result<axum::response::Response, ApiFailure> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let run = api::run_get(&engine, id).await?;
    let mut text = String::new();
    engine
        .store()
        .log_scan(id, |line| {
            text.push_str(&api::strip_ansi(line.text));
            text.push('\n');
        })
        .await?;
    let name = format!("{}-{}.log", run.template, run.number).replace(['"', '\\', '/'], "_");
    let headers = [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    Ok((headers, text).into_response())
}
