//! The handlers of `/api/v1`: each reads its input, calls one engine API function with the
//! caller the route's check established, and answers JSON.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{
    ApiToken, App, AuditEntry, AuditFilter, CreatedToken, DashboardStats, LogLine, Role, Run, RunFilter, RunPage,
    RunStep, Scope, Session, Template, TemplateSummary, User,
};
use simple_cicd_engine::{api, Engine, Error};

use super::caller::{bearer, peer_addr};
use super::error::JsonBody;
use super::ApiFailure;

type Answer<T> = Result<Json<T>, ApiFailure>;

/// `POST /auth/signin`
#[derive(Debug, Deserialize)]
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
    let bytes = axum::body::to_bytes(request.into_body(), 1024 * 1024)
        .await
        .map_err(|_| ApiFailure::from(Error::invalid("body", "too_large", "the request body is larger than 1 MiB")))?;
    Ok((addr, token, bytes))
}

pub async fn sign_in(State(engine): State<Engine>, request: Request) -> Answer<Session> {
    let (addr, _, bytes) = read(request).await?;
    let b: SignIn = body(&bytes)?;
    Ok(Json(api::sign_in(&engine, &b.name, &b.password, &addr).await?))
}

/// `POST /auth/refresh`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Refresh {
    refresh_token: String,
}

pub async fn refresh(State(engine): State<Engine>, request: Request) -> Answer<Session> {
    let (_, _, bytes) = read(request).await?;
    let b: Refresh = body(&bytes)?;
    Ok(Json(api::refresh(&engine, &b.refresh_token).await?))
}

pub async fn sign_out(State(engine): State<Engine>, request: Request) -> Result<StatusCode, ApiFailure> {
    let (addr, token, _) = read(request).await?;
    api::sign_out(&engine, &token.unwrap_or_default(), &addr).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /me`: who the API takes the caller for, and what it may do.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    actor: String,
    scopes: Vec<Scope>,
}

pub async fn me(Extension(caller): Extension<Caller>) -> Answer<Me> {
    let scopes = Scope::ALL.into_iter().filter(|s| caller.allows(*s)).collect();
    Ok(Json(Me { actor: caller.actor(), scopes }))
}

pub async fn dashboard(State(engine): State<Engine>) -> Answer<DashboardStats> {
    Ok(Json(api::dashboard_stats(&engine).await?))
}

pub async fn template_get(State(engine): State<Engine>, Path(name): Path<String>) -> Answer<Template> {
    Ok(Json(api::template_get(&engine, &name).await?))
}

pub async fn template_list(State(engine): State<Engine>) -> Answer<Vec<TemplateSummary>> {
    Ok(Json(api::template_list(&engine).await?))
}

pub async fn run_list(State(engine): State<Engine>, Query(filter): Query<RunFilter>) -> Answer<RunPage> {
    Ok(Json(api::run_list(&engine, &filter).await?))
}

/// `POST /runs`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartRun {
    template: String,
    #[serde(default)]
    params: BTreeMap<String, String>,
    #[serde(default, rename = "ref")]
    git_ref: Option<String>,
}

pub async fn run_start(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    JsonBody(b): JsonBody<StartRun>,
) -> Result<(StatusCode, Json<Run>), ApiFailure> {
    let options = api::StartOptions { trigger: caller.trigger(), git_ref: b.git_ref, ..Default::default() };
    let result = api::run_start_with(&engine, &b.template, &b.params, &options).await;
    let resource = match &result {
        Ok(run) => format!("run {} of template {}", run.id, b.template),
        Err(_) => format!("template {}", b.template),
    };
    api::audit_record(&engine, &caller, "run.start", &resource, &result, None).await;
    Ok((StatusCode::CREATED, Json(result?)))
}

pub async fn run_get(State(engine): State<Engine>, Path(id): Path<i64>) -> Answer<Run> {
    Ok(Json(api::run_get(&engine, id).await?))
}

pub async fn run_cancel(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Answer<Run> {
    let result = api::run_cancel(&engine, id).await;
    api::audit_record(&engine, &caller, "run.cancel", &format!("run {id}"), &result, None).await;
    Ok(Json(result?))
}

/// `GET /runs/{id}/logs?from=0&limit=1000`
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct LogsQuery {
    from: i64,
    limit: usize,
}

impl Default for LogsQuery {
    fn default() -> Self {
        LogsQuery { from: 0, limit: 1000 }
    }
}

pub async fn run_logs(
    State(engine): State<Engine>,
    Path(id): Path<i64>,
    Query(q): Query<LogsQuery>,
) -> Answer<Vec<LogLine>> {
    Ok(Json(api::run_logs(&engine, id, q.from, q.limit.clamp(1, 10_000)).await?))
}

pub async fn run_steps(State(engine): State<Engine>, Path(id): Path<i64>) -> Answer<Vec<RunStep>> {
    Ok(Json(api::run_steps(&engine, id).await?))
}

/// `POST /runs/{id}/answer`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    approve: bool,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    step: Option<String>,
}

pub async fn run_answer(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<AnswerBody>,
) -> Answer<RunStep> {
    let answer = api::Answer { approve: b.approve, by: caller.person(), comment: b.comment, step: b.step };
    let action = if b.approve { "run.approve" } else { "run.decline" };
    let result = api::run_answer(&engine, id, answer).await;
    api::audit_record(&engine, &caller, action, &format!("run {id}"), &result, None).await;
    Ok(Json(result?))
}

/// `POST /runs/{id}/retry`
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RetryBody {
    from: Option<String>,
}

pub async fn run_retry(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    raw: bytes::Bytes,
) -> Result<(StatusCode, Json<Run>), ApiFailure> {
    // The body is optional: none retries from the first step that did not succeed.
    let from = if raw.iter().all(u8::is_ascii_whitespace) { None } else { body::<RetryBody>(&raw)?.from };
    let result = api::run_retry(&engine, id, from.as_deref(), &caller.person()).await;
    api::audit_record(&engine, &caller, "run.retry", &format!("run {id}"), &result, from.as_deref()).await;
    Ok((StatusCode::CREATED, Json(result?)))
}

pub async fn app_list(State(engine): State<Engine>) -> Answer<Vec<App>> {
    Ok(Json(api::app_list(&engine).await?))
}

pub async fn app_get(State(engine): State<Engine>, Path(name): Path<String>) -> Answer<api::AppDetail> {
    Ok(Json(api::app_get(&engine, &name).await?))
}

/// `POST /apps/{name}/rollback`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackBody {
    to: u32,
}

pub async fn app_rollback(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    JsonBody(b): JsonBody<RollbackBody>,
) -> Result<(StatusCode, Json<Run>), ApiFailure> {
    let result = api::app_rollback(&engine, &name, b.to).await;
    let to = format!("to #{}", b.to);
    api::audit_record(&engine, &caller, "app.rollback", &format!("app {name}"), &result, Some(&to)).await;
    Ok((StatusCode::CREATED, Json(result?)))
}

pub async fn app_redeploy(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> Result<(StatusCode, Json<Run>), ApiFailure> {
    let result = api::app_redeploy(&engine, &name).await;
    api::audit_record(&engine, &caller, "app.redeploy", &format!("app {name}"), &result, None).await;
    Ok((StatusCode::CREATED, Json(result?)))
}

pub async fn user_list(State(engine): State<Engine>, Extension(caller): Extension<Caller>) -> Answer<Vec<User>> {
    Ok(Json(api::user_list(&engine, &caller).await?))
}

/// `POST /users`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    role: Role,
    password: String,
}

pub async fn user_add(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    JsonBody(b): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiFailure> {
    Ok((StatusCode::CREATED, Json(api::user_add(&engine, &caller, &b.name, b.role, &b.password).await?)))
}

/// `GET /tokens?user=NAME`
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokensQuery {
    user: Option<String>,
}

pub async fn token_list(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<TokensQuery>,
) -> Answer<Vec<ApiToken>> {
    Ok(Json(api::token_list(&engine, &caller, q.user.as_deref()).await?))
}

/// `POST /tokens`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewToken {
    name: String,
    #[serde(default)]
    user: Option<String>,
    scopes: Vec<Scope>,
    /// `30d`, `12h`, ...
    #[serde(default)]
    expires: Option<String>,
}

pub async fn token_create(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    JsonBody(b): JsonBody<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiFailure> {
    let expires = b.expires.as_deref().map(api::parse_expiry).transpose()?;
    let created = api::token_create(&engine, &caller, b.user.as_deref(), &b.name, &b.scopes, expires).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn token_revoke(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Answer<ApiToken> {
    Ok(Json(api::token_revoke(&engine, &caller, id).await?))
}

pub async fn audit_list(
    State(engine): State<Engine>,
    Extension(caller): Extension<Caller>,
    Query(filter): Query<AuditFilter>,
) -> Answer<Vec<AuditEntry>> {
    Ok(Json(api::audit_list(&engine, &caller, &filter).await?))
}
