//! `/api/v1`: the REST API for scripts and the browser UI. Every route is declared once in
//! [`ROUTES`] with the scope it needs; the router is built from that table, and the tests derive
//! the role × route matrix from it. A request carries `Authorization: Bearer` with an access token
//! (from `POST /api/v1/auth/signin`) or an API token (`scicd_…`); the caller is established from
//! it here, never taken from the request body. Errors are the engine's `ApiError` JSON with the
//! HTTP status defined next to its code.

mod caller;
mod error;
mod events;
mod handlers;
mod openapi;

use axum::routing::{delete, get, post, MethodRouter};
use axum::Router;
use simple_cicd_engine::model::Scope;
use simple_cicd_engine::Engine;

pub use caller::peer_addr;
pub use error::ApiFailure;
pub use openapi::openapi;

/// The HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// DELETE
    Delete,
}

/// One route of the API.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// Its method.
    pub method: Method,
    /// Its path, with `{id}` parameters.
    pub path: &'static str,
    /// What the caller must hold; `None`: no sign-in needed (signing in itself).
    pub scope: Option<Scope>,
    /// The operation, as the audit log and the docs name it.
    pub op: &'static str,
    /// What it does, in a line (the OpenAPI summary).
    pub summary: &'static str,
}

const fn r(method: Method, path: &'static str, scope: Option<Scope>, op: &'static str, summary: &'static str) -> Route {
    Route { method, path, scope, op, summary }
}

use Method::{Delete, Get, Post};
const READ: Option<Scope> = Some(Scope::Read);
const RUN: Option<Scope> = Some(Scope::Run);
const DEPLOY: Option<Scope> = Some(Scope::Deploy);
const ADMIN: Option<Scope> = Some(Scope::Admin);

/// Every route of `/api/v1`.
pub const ROUTES: &[Route] = &[
    r(
        Post,
        "/api/v1/auth/signin",
        None,
        "sign_in",
        "Sign in with a name and password: an access token and a refresh token",
    ),
    r(
        Post,
        "/api/v1/auth/refresh",
        None,
        "refresh",
        "Trade a refresh token for a new pair (a reused one ends the session)",
    ),
    r(Post, "/api/v1/auth/signout", READ, "sign_out", "End the session of the access token"),
    r(Get, "/api/v1/me", READ, "me", "Who the API takes the caller for, and its scopes"),
    r(Get, "/api/v1/dashboard", READ, "dashboard", "Run counts by status and the latest runs"),
    r(Get, "/api/v1/templates", READ, "template_list", "Every template with its last run"),
    r(Get, "/api/v1/templates/{name}", READ, "template_get", "One template"),
    r(Get, "/api/v1/runs", READ, "run_list", "A page of the run history (template, status, limit, offset)"),
    r(Post, "/api/v1/runs", RUN, "run_start", "Start a run of a template (params, ref); the trigger names the caller"),
    r(Get, "/api/v1/runs/{id}", READ, "run_get", "One run"),
    r(Post, "/api/v1/runs/{id}/cancel", RUN, "run_cancel", "Cancel a queued or running run"),
    r(Get, "/api/v1/runs/{id}/logs", READ, "run_logs", "Log lines from a sequence number on"),
    r(
        Get,
        "/api/v1/runs/{id}/events",
        READ,
        "run_events",
        "The live log and status as Server-Sent Events (status, lines, end)",
    ),
    r(Get, "/api/v1/runs/{id}/steps", READ, "run_steps", "The steps of a run"),
    r(Post, "/api/v1/runs/{id}/answer", RUN, "run_answer", "Approve or decline the approval step a run waits on"),
    r(Post, "/api/v1/runs/{id}/retry", RUN, "run_retry", "Run a failed pipeline run again from one of its steps"),
    r(Get, "/api/v1/apps", READ, "app_list", "Every app (deployment target) with its current revision"),
    r(Get, "/api/v1/apps/{name}", READ, "app_get", "An app: services or release, revisions, drift and health"),
    r(Post, "/api/v1/apps/{name}/rollback", DEPLOY, "app_rollback", "Launch an earlier revision again, as a run"),
    r(Post, "/api/v1/apps/{name}/redeploy", DEPLOY, "app_redeploy", "Launch the current revision again, as a run"),
    r(Get, "/api/v1/users", ADMIN, "user_list", "Every user"),
    r(Post, "/api/v1/users", ADMIN, "user_add", "Add a user"),
    r(Get, "/api/v1/tokens", READ, "token_list", "API tokens (the caller's own; an admin's choice of user)"),
    r(Post, "/api/v1/tokens", READ, "token_create", "Create an API token; its value is in this answer only"),
    r(Delete, "/api/v1/tokens/{id}", READ, "token_revoke", "Revoke an API token"),
    r(Get, "/api/v1/audit", READ, "audit_list", "The audit log, newest first"),
];

fn handler(op: &str) -> MethodRouter<Engine> {
    use handlers::*;
    match op {
        "sign_in" => post(sign_in),
        "refresh" => post(refresh),
        "sign_out" => post(sign_out),
        "me" => get(me),
        "dashboard" => get(dashboard),
        "template_list" => get(template_list),
        "template_get" => get(template_get),
        "run_list" => get(run_list),
        "run_start" => post(run_start),
        "run_get" => get(run_get),
        "run_cancel" => post(run_cancel),
        "run_logs" => get(run_logs),
        "run_events" => get(events::run_events),
        "run_steps" => get(run_steps),
        "run_answer" => post(run_answer),
        "run_retry" => post(run_retry),
        "app_list" => get(app_list),
        "app_get" => get(app_get),
        "app_rollback" => post(app_rollback),
        "app_redeploy" => post(app_redeploy),
        "user_list" => get(user_list),
        "user_add" => post(user_add),
        "token_list" => get(token_list),
        "token_create" => post(token_create),
        "token_revoke" => delete(token_revoke),
        "audit_list" => get(audit_list),
        other => unreachable!("route {other} has no handler"),
    }
}

/// The `/api/v1` router: each route behind the check of its declared scope.
pub fn router(engine: &Engine) -> Router<Engine> {
    let mut router = Router::new();
    for route in ROUTES {
        let mut h = handler(route.op);
        if let Some(scope) = route.scope {
            h = h.layer(axum::middleware::from_fn_with_state(engine.clone(), move |state, req, next| {
                caller::require(scope, state, req, next)
            }));
        }
        router = router.route(route.path, h);
    }
    router
}
